"""The constraint model's values: per-column facts, alternatives and clauses of CHECKs.

A table's CHECKs read together (database.checks reads one, database.facts combines them) are a
conjunction of clauses; a clause holds when one of its alternatives does; an alternative is a set
of facts about several columns of the row, each a frozen ColumnFacts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from seedspec.database.patterns import TextPattern

T = TypeVar("T", int, str)


def _least(a: T | None, b: T | None) -> T | None:
    return b if a is None else a if b is None else min(a, b)


def _most(a: T | None, b: T | None) -> T | None:
    return b if a is None else a if b is None else max(a, b)


@dataclass(frozen=True)
class ColumnFacts:
    """What CHECKs say about one column (frozen; `merged` combines two)."""

    allowed: tuple[Any, ...] | None = None  # IN list / enum-like values
    lower: float | None = None
    lower_inclusive: bool = True
    upper: float | None = None
    upper_inclusive: bool = True
    max_length: int | None = None
    min_length: int | None = None
    excluded: tuple[Any, ...] = ()  # `<>` / NOT IN values
    is_json: bool = False  # MariaDB spells JSON as LONGTEXT CHECK (json_valid(col))
    after: tuple[str, bool] | None = None  # (other column, strictly) this column is >= / >
    differs_from: str | None = None  # another column of the row this one must not equal
    earliest: str | None = None  # ISO date/time lower bound (date and timestamp columns)
    latest: str | None = None  # ISO date/time upper bound
    earliest_open: bool = False  # `>`: the earliest moment itself fails
    latest_open: bool = False  # `<`: the latest moment itself fails
    null: bool | None = None  # True: must be NULL, False: must not be NULL
    case: str | None = None  # "lower" / "upper": lower(x) = x; "both": no cased letter
    trimmed: bool = False  # trim(x) = x: no leading or trailing spaces
    json_types: tuple[tuple[str, str], ...] = ()  # (key or "" for the document, JSON type)
    conflict: bool = False  # IS NULL and IS NOT NULL together: no row passes
    patterns: tuple[TextPattern, ...] = ()  # LIKE / GLOB / SIMILAR TO / regex: must match all
    not_patterns: tuple[TextPattern, ...] = ()  # NOT LIKE ...: must match none

    def merged(self, f: ColumnFacts) -> ColumnFacts:
        """Both sets of facts at once (allowed sets intersect, bounds tighten)."""
        out = self._merged_values(f)
        return replace(
            out,
            max_length=_least(self.max_length, f.max_length),
            min_length=_most(self.min_length, f.min_length),
            excluded=tuple(dict.fromkeys([*self.excluded, *f.excluded])),
            is_json=self.is_json or f.is_json,
            after=self.after or f.after,
            differs_from=self.differs_from or f.differs_from,
            earliest=_most(self.earliest, f.earliest),
            earliest_open=_open_edge(
                self.earliest, self.earliest_open, f.earliest, f.earliest_open
            ),
            latest=_least(self.latest, f.latest),
            latest_open=_open_edge(self.latest, self.latest_open, f.latest, f.latest_open, -1),
            null=f.null if self.null is None else self.null,
            case=f.case if self.case in (None, f.case) else self.case if f.case is None else "both",
            trimmed=self.trimmed or f.trimmed,
            json_types=tuple(dict.fromkeys([*self.json_types, *f.json_types])),
            conflict=self.conflict
            or f.conflict
            or {self.null, f.null} == {True, False}
            or _json_conflict([*self.json_types, *f.json_types]),
            patterns=tuple(dict.fromkeys([*self.patterns, *f.patterns])),
            not_patterns=tuple(dict.fromkeys([*self.not_patterns, *f.not_patterns])),
        )

    def _merged_values(self, f: ColumnFacts) -> ColumnFacts:
        out = self
        if f.allowed is not None:
            mine = f.allowed if self.allowed is None else self.allowed
            keep = [v for v in mine if v in f.allowed]
            out = replace(out, allowed=tuple(keep))
        if f.lower is not None:
            out = out.with_lower(f.lower, f.lower_inclusive)
        if f.upper is not None:
            out = out.with_upper(f.upper, f.upper_inclusive)
        return out

    @classmethod
    def instant(cls, op: str, moment: str) -> ColumnFacts:
        """`x > moment` (or >=, <, <=): the earliest or latest moment, open when strict."""
        if ">" in op:
            return cls(earliest=moment, earliest_open=op == ">")
        return cls(latest=moment, latest_open=op == "<")

    def with_lower(self, value: float, inclusive: bool) -> ColumnFacts:
        if self.lower is None or value > self.lower or (value == self.lower and not inclusive):
            return replace(self, lower=value, lower_inclusive=inclusive)
        return self

    def with_upper(self, value: float, inclusive: bool) -> ColumnFacts:
        if self.upper is None or value < self.upper or (value == self.upper and not inclusive):
            return replace(self, upper=value, upper_inclusive=inclusive)
        return self

    @property
    def values(self) -> tuple[Any, ...] | None:
        """The allowed values minus the excluded ones and those the patterns refuse (None: no
        list)."""
        if self.allowed is None:
            return None
        return tuple(v for v in self.allowed if v not in self.excluded and self.fits(v))

    def fits(self, v: Any) -> bool:
        """Whether a value (a string) passes the patterns; other values are not tested."""
        if not isinstance(v, str):
            return True
        if not all(p.matches(v) for p in self.patterns):
            return False
        return not any(p.matches(v) for p in self.not_patterns)

    def satisfiable(self, nullable: bool = True) -> bool:
        """False when no value (and, for a NOT NULL column, no NULL) can pass these facts."""
        if self.conflict:
            return False
        if self.null is True:
            return nullable
        if self.values == ():
            return False
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None:
            both = self.lower_inclusive and self.upper_inclusive
            if lo > hi or (lo == hi and not both):
                return False
        if self.min_length and self.max_length is not None and self.min_length > self.max_length:
            return False
        top = self.max_length
        if (
            self.allowed is None
            and top is not None
            and any(p.shortest > top for p in self.patterns)
        ):
            return False
        return self._moments_meet()

    def _moments_meet(self) -> bool:
        """Whether a moment lies between the earliest and the latest (open ends excluded)."""
        if not (self.earliest and self.latest):
            return True
        if self.earliest == self.latest:
            return not (self.earliest_open or self.latest_open)
        return self.earliest < self.latest


def _open_edge(a: str | None, a_open: bool, b: str | None, b_open: bool, sign: int = 1) -> bool:
    """Whether the tighter of two moment bounds (the later lower one, sign 1; the earlier upper
    one, -1) is open: the open one of two equal moments wins."""
    if a is None or b is None:
        return a_open if b is None else b_open
    if a == b:
        return a_open or b_open
    return a_open if (a > b) == (sign > 0) else b_open


def _json_conflict(types: list[tuple[str, str]]) -> bool:
    """Two different JSON types asked of one key (or of the document)."""
    seen: dict[str, str] = {}
    return any(seen.setdefault(key, kind) != kind for key, kind in types)


Alternative = Mapping[str, ColumnFacts]  # one way the clause holds: facts of several columns
Clause = tuple[Alternative, ...]  # the clause holds when one of its alternatives does


def merge_alternative(into: Mapping[str, ColumnFacts], alt: Alternative) -> dict[str, ColumnFacts]:
    """The facts of both, column by column."""
    out = dict(into)
    for name, f in alt.items():
        out[name] = out[name].merged(f) if name in out else f
    return out
