"""SQL text + sqlglot dialect -> sqlglot tokens, and the top-level spans and words among them.

sqlglot parses expressions and most statements; the few texts it falls back to a Command for (a
SQLite CREATE TRIGGER head) or that are read for one clause (the key list and WHERE of a SQLite
CREATE INDEX, a MySQL default followed by ON UPDATE) are walked token by token here. The lexer is
the dialect's own, so string literals, quoted identifiers of every quoting style and comments are
single tokens: never mistaken for a keyword, a comma or a parenthesis.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlglot
    from sqlglot import errors as sqlerrors
    from sqlglot import tokens as sqltokens
    from sqlglot.tokens import Token
else:
    sqlerrors = deferred("sqlglot.errors")
    sqltokens = deferred("sqlglot.tokens")
    sqlglot = deferred("sqlglot")


@functools.cache
def _not_words() -> frozenset[Any]:
    """Tokens that are names or values, whatever their text spells (made on first use: importing
    this module does not import sqlglot)."""
    kinds = sqltokens.TokenType
    named = (t for t in kinds if t == kinds.IDENTIFIER or t.name.endswith("_STRING"))
    return frozenset(named) | {kinds.STRING}


def lex(sql: str, dialect: str) -> list[Token]:
    """The tokens of ``sql`` in sqlglot dialect ``dialect`` ([] when it cannot be tokenized)."""
    try:
        return list(sqlglot.Dialect.get_or_raise(dialect).tokenize(sql))
    except (sqlerrors.SqlglotError, ValueError):
        return []


def word(tokens: list[Token], i: int) -> str:
    """The upper-cased keyword or bare word at ``i``; "" past the end, for a quoted identifier
    or a string literal (``"after"`` is a name, never the keyword AFTER)."""
    if i >= len(tokens) or tokens[i].token_type in _not_words():
        return ""
    return tokens[i].text.upper()


def closing(tokens: list[Token], i: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``i``; -1 when unbalanced."""
    depth = 0
    for k in range(i, len(tokens)):
        kind = tokens[k].token_type
        depth += (kind == sqltokens.TokenType.L_PAREN) - (kind == sqltokens.TokenType.R_PAREN)
        if depth == 0:
            return k
    return -1


def top_level(tokens: list[Token], lo: int, hi: int, at: sqltokens.TokenType) -> list[int]:
    """Indices in [lo, hi) of the tokens of type ``at`` outside every parenthesis of the range."""
    depth, found = 0, []
    for k in range(lo, hi):
        kind = tokens[k].token_type
        depth += (kind == sqltokens.TokenType.L_PAREN) - (kind == sqltokens.TokenType.R_PAREN)
        if kind == at and depth == 0:
            found.append(k)
    return found


def split(tokens: list[Token], lo: int, hi: int) -> list[tuple[int, int]]:
    """The comma-separated parts of [lo, hi) as (first, past-last) token index pairs."""
    bounds = [lo - 1, *top_level(tokens, lo, hi, sqltokens.TokenType.COMMA), hi]
    return [(a + 1, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a + 1]


def span(sql: str, tokens: list[Token], lo: int, hi: int) -> str:
    """The original text of tokens [lo, hi) (quotes, spacing and case as written)."""
    return sql[tokens[lo].start : tokens[hi - 1].end + 1] if hi > lo else ""
