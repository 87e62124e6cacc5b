"""SQL text + sqlglot dialect -> sqlglot tokens, and the top-level spans and words among them.

sqlglot parses expressions and most statements; the few texts it falls back to a Command for (a
SQLite CREATE TRIGGER head) or that are read for one clause (the key list and WHERE of a SQLite
CREATE INDEX, a MySQL default followed by ON UPDATE) are walked token by token here. The lexer is
the dialect's own, so string literals, quoted identifiers of every quoting style and comments are
single tokens: never mistaken for a keyword, a comma or a parenthesis.
"""

from __future__ import annotations

import sqlglot
from sqlglot.errors import SqlglotError
from sqlglot.tokens import Token, TokenType

_NOT_WORDS = frozenset(  # tokens that are names or values, whatever their text spells
    t for t in TokenType if t == TokenType.IDENTIFIER or t.name.endswith("_STRING")
) | {TokenType.STRING}


def lex(sql: str, dialect: str) -> list[Token]:
    """The tokens of ``sql`` in sqlglot dialect ``dialect`` ([] when it cannot be tokenized)."""
    try:
        return list(sqlglot.Dialect.get_or_raise(dialect).tokenize(sql))
    except (SqlglotError, ValueError):
        return []


def word(tokens: list[Token], i: int) -> str:
    """The upper-cased keyword or bare word at ``i``; "" past the end, for a quoted identifier
    or a string literal (``"after"`` is a name, never the keyword AFTER)."""
    if i >= len(tokens) or tokens[i].token_type in _NOT_WORDS:
        return ""
    return tokens[i].text.upper()


def closing(tokens: list[Token], i: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``i``; -1 when unbalanced."""
    depth = 0
    for k in range(i, len(tokens)):
        kind = tokens[k].token_type
        depth += (kind == TokenType.L_PAREN) - (kind == TokenType.R_PAREN)
        if depth == 0:
            return k
    return -1


def top_level(tokens: list[Token], lo: int, hi: int, at: TokenType) -> list[int]:
    """Indices in [lo, hi) of the tokens of type ``at`` outside every parenthesis of the range."""
    depth, found = 0, []
    for k in range(lo, hi):
        kind = tokens[k].token_type
        depth += (kind == TokenType.L_PAREN) - (kind == TokenType.R_PAREN)
        if kind == at and depth == 0:
            found.append(k)
    return found


def split(tokens: list[Token], lo: int, hi: int) -> list[tuple[int, int]]:
    """The comma-separated parts of [lo, hi) as (first, past-last) token index pairs."""
    bounds = [lo - 1, *top_level(tokens, lo, hi, TokenType.COMMA), hi]
    return [(a + 1, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a + 1]


def span(sql: str, tokens: list[Token], lo: int, hi: int) -> str:
    """The original text of tokens [lo, hi) (quotes, spacing and case as written)."""
    return sql[tokens[lo].start : tokens[hi - 1].end + 1] if hi > lo else ""
