"""CHECK constraint reader: DbCheck SQL text -> per-column facts (allowed values, bounds, lengths).

Understands what real schemas and their databases' normalised spellings use: IN lists,
`= ANY (ARRAY[...])`, comparisons with constants, BETWEEN, OR-chains of equalities,
length()/char_length() limits, IS NOT NULL, and AND-combinations of these. Anything else
is returned as not understood, so callers can warn instead of silently violating it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_IDENT = r'(?:"(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_$]*)'
_QUAL_IDENT = rf"(?:{_IDENT}\.)*({_IDENT})"
_NUM = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_STR = r"'(?:[^']|'')*'"
_CAST = r"(?:\s*::\s*[A-Za-z_][A-Za-z0-9_ ]*(?:\([^)]*\))?(?:\[\])?)*"
_LIT = rf"(?:\(?\s*(?:{_STR}|{_NUM})\s*\)?{_CAST})"
_COL = (  # a column, maybe parenthesised, cast, or wrapped in upper()/lower()/btrim()
    rf"(?:(?:upper|lower|btrim|trim)\s*\(\s*)?\(*{_QUAL_IDENT}\)*{_CAST}\)*{_CAST}"
)
# now() +- interval: a bound relative to the clock, read against a fixed date (determinism)
_NOW = r"\(*\s*(?:now\(\)|CURRENT_DATE|CURRENT_TIMESTAMP)\s*(?:([-+])\s*'([^']+)'::interval)?\s*\)*"
NOW_REFERENCE = "2025-12-31"


@dataclass
class ColumnFacts:
    """What CHECKs say about one column."""

    allowed: list[Any] | None = None  # IN list / enum-like values
    lower: float | None = None
    lower_inclusive: bool = True
    upper: float | None = None
    upper_inclusive: bool = True
    max_length: int | None = None
    min_length: int | None = None
    excluded: list[Any] = field(default_factory=list)
    is_json: bool = False  # MariaDB spells JSON as LONGTEXT CHECK (json_valid(col))
    after: tuple[str, bool] | None = None  # (other column, strictly) this column is >= / >
    differs_from: str | None = None  # another column of the row this one must not equal
    earliest: str | None = None  # ISO date/time lower bound (date and timestamp columns)
    latest: str | None = None  # ISO date/time upper bound

    def merge_lower(self, value: float, inclusive: bool) -> None:
        if self.lower is None or value > self.lower or (value == self.lower and not inclusive):
            self.lower, self.lower_inclusive = value, inclusive

    def merge_upper(self, value: float, inclusive: bool) -> None:
        if self.upper is None or value < self.upper or (value == self.upper and not inclusive):
            self.upper, self.upper_inclusive = value, inclusive


@dataclass
class CheckReading:
    facts: dict[str, ColumnFacts]
    understood: bool


def unquote(ident: str) -> str:
    if ident[:1] in '"`[':
        return ident[1:-1].replace('""', '"')
    return ident


def literal(text: str) -> Any:
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = re.sub(_CAST + r"\s*$", "", text).strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    number = float(text)
    return int(number) if number.is_integer() and re.fullmatch(r"[-+]?\d+", text) else number


def strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and _balanced_close(text) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _balanced_close(text: str) -> int:
    depth, in_str = 0, False
    for i, ch in enumerate(text):
        if ch == "'":
            in_str = not in_str
        elif not in_str and ch == "(":
            depth += 1
        elif not in_str and ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_top(text: str, word: str) -> list[str]:
    """Split on a keyword (AND / OR) outside parentheses and strings; BETWEEN's AND is kept."""
    parts, depth, in_str, start, i = [], 0, False, 0, 0
    between_pending = False
    upper = text.upper()
    n = len(word)
    while i < len(text):
        ch = text[i]
        if ch == "'":
            in_str = not in_str
        elif not in_str:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif depth == 0 and _word_at(upper, i, "BETWEEN"):
                between_pending = True
            elif depth == 0 and _word_at(upper, i, word):
                if word == "AND" and between_pending:
                    between_pending = False
                else:
                    parts.append(text[start:i])
                    start = i + n
                i += n
                continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _word_at(upper: str, i: int, word: str) -> bool:
    if not upper.startswith(word, i):
        return False
    before = upper[i - 1] if i > 0 else " "
    after = upper[i + len(word)] if i + len(word) < len(upper) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


_IN = re.compile(rf"^{_COL}\s+IN\s*\((.*)\)$", re.I | re.S)
_ANY = re.compile(
    rf"^{_COL}\s*=\s*ANY\s*\(\s*\(?\s*ARRAY\s*\[(.*)\]\s*\)?{_CAST}\s*\)$",
    re.I | re.S,
)
_BETWEEN = re.compile(rf"^{_COL}\s+BETWEEN\s+({_LIT})\s+AND\s+({_LIT})$", re.I)
_CMP = re.compile(rf"^{_COL}\s*(>=|<=|<>|!=|=|>|<)\s*({_LIT})$", re.I)
_CMP_REV = re.compile(rf"^({_LIT})\s*(>=|<=|<>|!=|=|>|<)\s*{_COL}$", re.I)
_LEN = re.compile(
    rf"^(?:char_length|length|character_length|octet_length)\s*\(\s*{_COL}\s*\)"
    rf"\s*(>=|<=|=|>|<)\s*({_LIT})$",
    re.I,
)
_COLS = re.compile(rf"^{_COL}\s*(>=|<=|>|<|<>|!=)\s*{_COL}$", re.I)
_IS_NULL = re.compile(rf"^{_QUAL_IDENT}\s+IS\s+NULL$", re.I)
_CMP_NOW = re.compile(rf"^{_COL}\s*(>=|<=|>|<)\s*{_NOW}$", re.I)
_NOT_NULL = re.compile(rf"^{_QUAL_IDENT}\s+IS\s+NOT\s+NULL$", re.I)
_JSON_VALID = re.compile(rf"^json_valid\s*\(\s*{_COL}\s*\)$", re.I)  # MariaDB's JSON type
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "=": "=", "<>": "<>", "!=": "!="}


def read_check(sqltext: str) -> CheckReading:
    """Facts for rows seedspec fills (columns are non-NULL unless the spec says otherwise):
    of `A OR B`, the first alternative that does not need a NULL is the one honoured."""
    text = strip_parens(sqltext)
    alternatives = split_top(text, "OR")
    if len(alternatives) > 1 and not _or_of_equalities(alternatives):
        for alternative in alternatives:
            reading = _read_conjunction(strip_parens(alternative))
            if reading.understood and not reading.needs_null:
                return CheckReading(reading.facts, True)
        return CheckReading({}, False)
    reading = _read_conjunction(text)
    return CheckReading(reading.facts, reading.understood and not reading.needs_null)


@dataclass
class _Conjunction:
    facts: dict[str, ColumnFacts]
    understood: bool
    needs_null: bool


def _or_of_equalities(alternatives: list[str]) -> bool:
    return all(_CMP.match(strip_parens(a)) for a in alternatives)


def _read_conjunction(text: str) -> _Conjunction:
    facts: dict[str, ColumnFacts] = {}
    understood, needs_null = True, False
    for part in split_top(text, "AND"):
        part = strip_parens(part)
        if _IS_NULL.match(part):
            needs_null = True
        elif not _read_conjunct(part, facts):
            understood = False
    return _Conjunction(facts, understood, needs_null)


def _values(body: str) -> list[Any]:
    return [literal(m.group(0)) for m in re.finditer(rf"{_STR}|{_NUM}", body)]


def _read_conjunct(text: str, facts: dict[str, ColumnFacts]) -> bool:
    def col(name: str) -> ColumnFacts:
        return facts.setdefault(unquote(name), ColumnFacts())

    for pattern in (_IN, _ANY):
        m = pattern.match(text)
        if m:
            col(m.group(1)).allowed = _values(m.group(2))
            return True
    if m := _BETWEEN.match(text):
        f = col(m.group(1))
        f.merge_lower(float(literal(m.group(2))), True)
        f.merge_upper(float(literal(m.group(3))), True)
        return True
    if m := _LEN.match(text):
        return _apply_length(col(m.group(1)), m.group(2), int(literal(m.group(3))))
    if m := _CMP.match(text):
        return _apply_cmp(col(m.group(1)), m.group(2), literal(m.group(3)))
    if m := _CMP_NOW.match(text):
        return _apply_now(col(m.group(1)), m.group(2), m.group(3), m.group(4))
    if m := _COLS.match(text):  # end_date > start_date: the later column follows the earlier
        left, op, right = unquote(m.group(1)), m.group(2), unquote(m.group(3))
        if op in ("<>", "!="):
            col(right).differs_from = left
            return True
        later, earlier = (left, right) if op in (">", ">=") else (right, left)
        col(later).after = (earlier, op in (">", "<"))
        return True
    if m := _CMP_REV.match(text):
        return _apply_cmp(col(m.group(3)), _FLIP[m.group(2)], literal(m.group(1)))
    if m := _JSON_VALID.match(text):
        col(m.group(1)).is_json = True
        return True
    if _NOT_NULL.match(text):
        return True
    return _read_or_chain(text, facts)


def _read_or_chain(text: str, facts: dict[str, ColumnFacts]) -> bool:
    """`a = 'x' OR a = 'y'` (an IN list written out)."""
    alternatives = split_top(text, "OR")
    if len(alternatives) < 2:
        return False
    name, values = None, []
    for alt in alternatives:
        m = _CMP.match(strip_parens(alt))
        if not m or m.group(2) != "=" or (name is not None and unquote(m.group(1)) != name):
            return False
        name = unquote(m.group(1))
        values.append(literal(m.group(3)))
    facts.setdefault(name or "", ColumnFacts()).allowed = values
    return True


def _apply_now(f: ColumnFacts, op: str, sign: str | None, interval: str | None) -> bool:
    """col <= now() - '18 years': an upper bound, taken at NOW_REFERENCE (never later than the
    real clock, so the bound is never looser than the database's). Lower bounds on now() would
    move with the clock: not understood."""
    if op in (">", ">="):
        return False
    moment = _shift(NOW_REFERENCE, sign, interval)
    if moment is None:
        return False
    if f.latest is None or moment < f.latest:
        f.latest = moment
    return True


def _shift(day: str, sign: str | None, interval: str | None) -> str | None:
    import datetime as dt

    base = dt.date.fromisoformat(day)
    if not interval:
        return day
    m = re.fullmatch(r"\s*(\d+)\s*(year|mon|month|day|week)s?\s*", interval, re.I)
    if m is None:
        return None
    n = int(m.group(1)) * (-1 if sign == "-" else 1)
    unit = m.group(2).lower()
    if unit == "year":
        return base.replace(year=base.year + n).isoformat()
    if unit in ("mon", "month"):
        months = base.year * 12 + base.month - 1 + n
        return base.replace(
            year=months // 12, month=months % 12 + 1, day=min(base.day, 28)
        ).isoformat()
    days = n * (7 if unit == "week" else 1)
    return (base + dt.timedelta(days=days)).isoformat()


def _apply_cmp(f: ColumnFacts, op: str, value: Any) -> bool:
    if isinstance(value, str):
        if op == "=":
            f.allowed = [value]
            return True
        if op in ("<>", "!="):
            f.excluded.append(value)
            return True
        if re.fullmatch(r"[-+]?\d+(\.\d+)?", value.strip()):  # '-40'::integer
            return _apply_cmp(f, op, float(value))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T][\d:.+-]+)?", value.strip()):  # a date bound
            if op in (">", ">="):
                f.earliest = max(f.earliest or value, value)
            else:
                f.latest = min(f.latest or value, value)
            return True
        return False
    v = float(value)
    if op == ">":
        f.merge_lower(v, False)
    elif op == ">=":
        f.merge_lower(v, True)
    elif op == "<":
        f.merge_upper(v, False)
    elif op == "<=":
        f.merge_upper(v, True)
    elif op == "=":
        f.allowed = [value]
    else:
        f.excluded.append(value)
    return True


def _apply_length(f: ColumnFacts, op: str, n: int) -> bool:
    if op in ("<", "<="):
        f.max_length = n - (op == "<")
    elif op in (">", ">="):
        f.min_length = n + (op == ">")
    else:
        f.max_length = f.min_length = n
    return True
