"""Text-pattern predicates of a CHECK (sqlglot nodes) -> TextPattern facts (a Python regex each).

`x LIKE 'ab%'` / `NOT LIKE` / `ILIKE` (ESCAPE clause, PostgreSQL's `like_escape()`), PostgreSQL
`~` `~*` `!~` `!~*` and `SIMILAR TO` (`~ similar_to_escape(...)`), MySQL/MariaDB `REGEXP` /
`RLIKE` / `REGEXP_LIKE()`, SQLite `GLOB`. LIKE, SIMILAR TO and GLOB match the whole string and
are translated to an anchored Python regex; a regex operator is a search, kept as written (its
generated values are whole matches, which a search finds too). POSIX bracket classes
(`[[:alpha:]]`) become Python ranges. The translations walk the pattern text character by
character: the pattern languages are small and no library translates them (`fnmatch` is not
GLOB: it has no case rule and reads `[!...]`, not `[^...]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from seedspec.database.sqlvalues import Unread, unparen
from seedspec.deferred import deferred
from seedspec.generate.patterns import longest_length, shortest_length, unsupported

if TYPE_CHECKING:
    from sqlglot import exp
else:
    exp = deferred("sqlglot.expressions")

_POSIX = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": r" \t\n\r\f\v",
    "blank": r" \t",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "xdigit": "0-9A-Fa-f",
    "word": r"\w",
    "cntrl": r"\x00-\x1f\x7f",
    "print": r"\x20-\x7e",
    "graph": r"\x21-\x7e",
}


def _predicates() -> tuple[type[exp.Expression], ...]:
    # a function, not a module constant: importing this module does not import sqlglot
    return (exp.Like, exp.ILike, exp.RegexpLike, exp.RegexpILike, exp.SimilarTo, exp.Glob)


@dataclass(frozen=True)
class TextPattern:
    """One pattern a column's values must (or, negated, must not) match: `regex` is Python
    syntax, searched (re.search); `source` is the predicate as SQL, for messages."""

    regex: str
    source: str

    def matches(self, value: object) -> bool:
        wanted = self.regex  # the CHECK's value pattern (the user's), not SQL text
        return isinstance(value, str) and re.search(wanted, value) is not None

    @property
    def unsupported(self) -> str | None:
        """Why no value can be generated to match it (None: one can)."""
        return unsupported(self.regex)

    @property
    def shortest(self) -> int:
        return shortest_length(self.regex)

    @property
    def longest(self) -> int | None:
        return longest_length(self.regex)


Found: TypeAlias = "tuple[exp.Expr, TextPattern, bool]"  # (tested expression, pattern, negated)


def read_pattern(node: exp.Expr, backslash: bool = False) -> Found | None:
    """(the tested expression, its pattern, negated) of a pattern predicate; None when the
    node is not one; raises Unread for a pattern that is not a literal. `backslash`: the text
    was read as MySQL's, whose strings escape with a backslash (sqlglot has already turned them
    into their characters) and whose LIKE's default escape is the backslash."""
    return _read(node, backslash)


def _read(node: exp.Expr, backslash: bool) -> Found | None:
    text = _text
    escape: str | None = None
    if isinstance(node, exp.Escape) and isinstance(node.this, (exp.Like, exp.ILike)):
        escape = text(node.expression)
        node = node.this
    if not isinstance(node, _predicates()):
        return None
    negated = bool(node.args.get("negate"))
    target, right = node.this, unparen(node.expression)
    source = node.sql()[:120]
    if isinstance(node, exp.Glob):
        return target, TextPattern(_anchored(glob_regex(text(right))), source), negated
    if isinstance(node, exp.SimilarTo):
        return target, TextPattern(_anchored(similar_regex(text(right), "\\")), source), negated
    if isinstance(node, (exp.Like, exp.ILike)):
        ci = isinstance(node, exp.ILike)
        if _func(right) == "like_escape":
            escape, right = text(right.expressions[1]), right.expressions[0]
        regex = _anchored(like_regex(text(right), _default_escape(text(right), escape, backslash)))
        return target, TextPattern(("(?i)" if ci else "") + regex, source), negated
    if _func(right) == "similar_to_escape":
        args = right.expressions
        esc = text(args[1]) if len(args) > 1 else "\\"
        regex = _anchored(similar_regex(text(args[0]), esc))
        return target, TextPattern(regex, source), negated
    flag = node.args.get("flag")
    ci = isinstance(node, exp.RegexpILike) or (flag is not None and text(flag).lower() == "i")
    return target, TextPattern(("(?i)" if ci else "") + posix_regex(text(right)), source), negated


def _default_escape(pattern: str, escape: str | None, backslash: bool) -> str | None:
    """LIKE's escape when no ESCAPE clause names one: a backslash in PostgreSQL and MySQL,
    none in SQLite. Text read as PostgreSQL's may be SQLite's (the CHECK's text does not say
    which database wrote it), so there a pattern with a backslash and no ESCAPE is not read."""
    if escape is None and backslash:
        return "\\"
    if escape is None and "\\" in pattern:
        raise Unread("LIKE pattern with a backslash and no ESCAPE clause")
    return escape


def _func(node: exp.Expr) -> str | None:
    return str(node.this).lower() if isinstance(node, exp.Anonymous) else None


def _text(node: exp.Expr | None) -> str:
    node = unparen(node) if node is not None else None
    while isinstance(node, (exp.Cast, exp.Introducer)):
        node = unparen(node.this if isinstance(node, exp.Cast) else node.expression)
    if not isinstance(node, exp.Literal) or not node.is_string:
        raise Unread(f"pattern is not a string literal: {node.sql()[:80] if node else None}")
    return str(node.this)


def _anchored(body: str) -> str:
    """The whole string matches `body` (`.` matches a newline too, as in SQL)."""
    if "." in body:
        body = f"(?s:{body})"
    elif "|" in body:
        body = f"(?:{body})"
    return r"\A" + body + r"\Z"


def like_regex(pattern: str, escape: str | None) -> str:
    """LIKE: `%` any string, `_` one character, the escape character makes the next literal."""
    if escape is not None and len(escape) != 1:
        raise Unread(f"ESCAPE {escape!r} is not one character")
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return "".join(out)


def glob_regex(pattern: str) -> str:
    """SQLite GLOB: `*`, `?`, `[...]` with `^` negating and `]` first taken literally."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("]", "^") else i + 1)
            if pattern[i + 1 : i + 3] == "^]":
                end = pattern.find("]", i + 3)
            if end < 0:
                raise Unread(f"GLOB {pattern!r}: unclosed [")
            body = pattern[i + 1 : end]
            negate = body.startswith("^")
            body = body[1:] if negate else body
            members = "".join("\\" + c if c in "\\]^[" else c for c in body)
            out.append("[" + ("^" if negate else "") + members + "]")
            i = end + 1
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return "".join(out)


def similar_regex(pattern: str, escape: str | None) -> str:
    """SQL SIMILAR TO: LIKE's `%` and `_` plus regex `| * + ? {m,n} ( ) [...]`; `.` is literal."""
    pattern = posix_regex(pattern)
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch in "%_":
            out.append(".*" if ch == "%" else ".")
        elif ch in "|*+?{}()":
            out.append(ch)
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def posix_regex(pattern: str) -> str:
    """A POSIX / PostgreSQL / MySQL regex as Python reads it: `[[:alpha:]]` -> `[a-zA-Z]`."""
    for name, members in _POSIX.items():
        pattern = pattern.replace(f"[:{name}:]", members)
    if "[:" in pattern and ":]" in pattern:
        raise Unread(f"regex {pattern!r}: unknown POSIX class")
    return pattern
