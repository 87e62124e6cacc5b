"""A generator's open sides + its column (type, CHECK facts) -> params closed as inference does.

A written `int` / `float` / `decimal` with no `min` or `max` (or one side), a `date` /
`datetime` with no `from` / `to`, a `gen` or `pattern` with no length: each open side takes the
CHECK's bound (a strict one stepped inside: the next integer, the next cent, the next second or
day), else the kind's default, kept inside what the column's type stores. A written side is
kept: reconcile reports one outside the CHECK (`range-outside-check`), the `recipes` pass one
the type cannot store (`range-outside-type`). Inference reads the same windows.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from seedspec.database.checks import ColumnFacts
from seedspec.database.model import DbColumn
from seedspec.kinds.numbers import default_bounds, law_span
from seedspec.kinds.spec import GeneratorSpec
from seedspec.kinds.temporal import default_instant_range

INTEGER_LIMITS = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
    "year": (1901, 2155),
}
NUMBER_KINDS = ("int", "float", "decimal")
DEFAULT_FROM, DEFAULT_TO = default_instant_range()  # an open date range
_SECOND, _DAY = dt.timedelta(seconds=1), dt.timedelta(days=1)


def integer_limits(column: DbColumn) -> tuple[int, int]:
    """The range the column's type can store (MySQL TINYINT/MEDIUMINT from their spelling;
    SQLite's INTEGER PRIMARY KEY is the 64-bit rowid whatever its declared type says)."""
    if column.identity == "rowid":
        return INTEGER_LIMITS["bigint"]
    sql = column.sql_type.lower()
    bits = 8 if sql.startswith("tinyint") else 24 if sql.startswith("mediumint") else None
    if bits is not None:
        lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    else:
        lo, hi = INTEGER_LIMITS.get(column.type, INTEGER_LIMITS["bigint"])
    if column.unsigned or "unsigned" in sql:
        return 0, hi * 2 + 1
    return lo, hi


def type_limits(kind: str, column: DbColumn) -> tuple[float | None, float | None]:
    """What the column's type stores, for a number kind: an integer type's range, a
    numeric(p, s)'s +-(10^(p-s) - 10^-s); (None, None) when the type does not bound it."""
    if column.type in INTEGER_LIMITS:
        return integer_limits(column)
    if column.type == "numeric" and column.precision and kind != "float":
        scale = column.scale or 0
        top = 10.0 ** (column.precision - scale) - 10.0**-scale
        return -top, top
    return None, None


def int_window(facts: ColumnFacts) -> tuple[int | None, int | None]:
    """The integers a CHECK's range admits: (lowest, highest), None where it is open."""
    lo = hi = None
    if facts.lower is not None:
        low = facts.lower
        lo = math.ceil(low) if facts.lower_inclusive else math.floor(low) + 1
    if facts.upper is not None:
        high = facts.upper
        hi = math.floor(high) if facts.upper_inclusive else math.ceil(high) - 1
    return lo, hi


def number_window(facts: ColumnFacts, step: float) -> tuple[float | None, float | None]:
    """The numbers `step` apart a CHECK's range admits: (lowest, highest), None where open."""
    lo = hi = None
    if facts.lower is not None:
        lo = facts.lower + (0 if facts.lower_inclusive else step)
    if facts.upper is not None:
        hi = facts.upper - (0 if facts.upper_inclusive else step)
    return lo, hi


def moment_of(text: Any, kind: str = "datetime", end: bool = False) -> dt.datetime:
    """An ISO date or datetime as naive UTC; a bare date as a datetime's `to` (`end`) is the
    end of that day, as the generator reads it."""
    value = dt.datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if end and kind != "date" and len(str(text).strip()) <= 10:
        value += _DAY - dt.timedelta(microseconds=1)
    return value


def instant_window(kind: str, facts: ColumnFacts) -> tuple[str | None, str | None]:
    """The `from` / `to` (ISO, inclusive, of a `date` or `datetime` kind) a CHECK's moment
    bounds admit; None where open. A strict bound steps one day (date) or second inside."""
    unit = _DAY if kind == "date" else _SECOND
    lo = hi = None
    if facts.earliest:
        start = moment_of(facts.earliest)
        lo = _to_unit(start, kind, up=True)
        lo += unit if lo == start and facts.earliest_open else dt.timedelta(0)
    if facts.latest:
        end = moment_of(facts.latest)
        hi = _to_unit(end, kind, up=False)
        hi -= unit if hi == end and facts.latest_open else dt.timedelta(0)
    return iso_of(kind, lo), iso_of(kind, hi)


def _to_unit(moment: dt.datetime, kind: str, up: bool) -> dt.datetime:
    """The moment rounded to the generator's unit (a day for `date`, else a second)."""
    unit = _DAY if kind == "date" else _SECOND
    floor = dt.datetime.min + ((moment - dt.datetime.min) // unit) * unit
    return floor + unit if up and floor < moment else floor


def iso_of(kind: str, moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.date().isoformat() if kind == "date" else moment.isoformat()


def closed(
    g: GeneratorSpec, column: DbColumn | None, facts: ColumnFacts | None, typed: bool = True
) -> GeneratorSpec:
    """The generator with its open sides closed by the column's CHECK and type (see above);
    `typed`: the database keeps values inside the column's type (SQLite does not)."""
    if column is None:
        return g
    facts = facts or ColumnFacts()
    params = dict(g.params)
    if g.kind in NUMBER_KINDS:
        params = _numbers(g.kind, params, column, facts, typed)
    elif g.kind in ("date", "datetime"):
        params = _instants(g.kind, params, facts)
    elif g.kind in ("gen", "pattern") and facts.max_length is not None:
        top = params.get("max_length")
        params["max_length"] = facts.max_length if top is None else min(top, facts.max_length)
    if g.kind == "pattern" and facts.min_length is not None and params.get("min_length") is None:
        params["min_length"] = facts.min_length
    return g if params == dict(g.params) else GeneratorSpec(g.kind, params, g.null, g.unique)


def _numbers(
    kind: str, params: dict[str, Any], column: DbColumn, facts: ColumnFacts, typed: bool
) -> Any:
    if params.get("min") is not None and params.get("max") is not None:
        return params
    if kind == "int":
        check: tuple[Any, Any] = int_window(facts)
    else:
        check = number_window(facts, 10.0 ** -_digits(kind, params, column))
    floor, top = _stored(kind, column, typed)
    written = [v for v in (params.get("min"), params.get("max")) if v is not None]
    if any(v < floor or v > top for v in written):
        return params  # a written side the type cannot store: pass `recipes` says so
    out = dict(params)
    open_lo, open_hi = out.get("min") is None, out.get("max") is None
    out["min"] = check[0] if open_lo else out["min"]
    out["max"] = check[1] if open_hi else out["max"]
    default_bounds(out)
    return _open_sides_fitted(out, open_lo, open_hi, floor, top)


def _open_sides_fitted(out: Any, open_lo: bool, open_hi: bool, floor: Any, top: Any) -> Any:
    """The open sides inside the type, within a discrete law's span, and not past the other."""
    out["min"] = max(out["min"], floor) if open_lo else out["min"]
    out["max"] = min(out["max"], top) if open_hi else out["max"]
    span = law_span(out)  # a discrete law's open side within the span it tabulates
    if span is not None and out["max"] - out["min"] > span and (open_lo or open_hi):
        out["max" if open_hi else "min"] = out["min"] + span if open_hi else out["max"] - span
    if out["min"] > out["max"] and open_lo:  # a default side past the other: moved beyond it
        out["min"] = max(out["max"] - 1000, floor)
    elif out["min"] > out["max"]:
        out["max"] = min(out["min"] + 1000, top)
    return out


def _stored(kind: str, column: DbColumn, typed: bool) -> tuple[Any, Any]:
    """type_limits with -inf / inf for an open side; `int` values stay 64-bit whatever the
    column (SQLite's INTEGER holds any of them), whole numbers inside the type's range."""
    floor, top = type_limits(kind, column) if typed else (None, None)
    if kind == "int":
        lo, hi = INTEGER_LIMITS["bigint"]
        return max(lo, math.ceil(floor or lo)), min(hi, math.floor(top or hi))
    if floor is None or top is None:
        return -math.inf, math.inf
    return floor, top


def _digits(kind: str, params: dict[str, Any], column: DbColumn) -> int:
    """The digits after the point a decimal keeps (its scale) or a float rounds to (6 when not)."""
    if kind == "decimal":
        scale = params.get("scale")
        return int(scale if scale is not None else column.scale if column.scale is not None else 2)
    digits = params.get("round")
    return int(digits) if digits is not None else 6


def _instants(kind: str, params: dict[str, Any], facts: ColumnFacts) -> dict[str, Any]:
    """`from` / `to` from the CHECK where open; a default side past the written one is moved
    to it (`from: 2030-06-01` alone runs to 2030-06-01 plus the default window's length)."""
    out = dict(params)
    lo, hi = instant_window(kind, facts)
    if out.get("from") is None and lo is not None:
        out["from"] = lo
    if out.get("to") is None and hi is not None:
        out["to"] = hi
    start = moment_of(out.get("from") or DEFAULT_FROM, kind)
    end = moment_of(out.get("to") or DEFAULT_TO, kind, end=True)
    if start <= end:
        return out
    span = moment_of(DEFAULT_TO) - moment_of(DEFAULT_FROM)
    if out.get("to") is None:
        out["to"] = iso_of(kind, _shifted(start, span))
    elif out.get("from") is None:
        out["from"] = iso_of(kind, _shifted(end, -span))
    return out


def _shifted(moment: dt.datetime, by: dt.timedelta) -> dt.datetime:
    """moment + by, stopped at the first or last second a datetime holds (years 1 and 9999)."""
    try:
        return moment + by
    except OverflowError:
        return dt.datetime.max.replace(microsecond=0) if by > dt.timedelta(0) else dt.datetime.min


def outside_type(g: GeneratorSpec, column: DbColumn, typed: bool) -> tuple[str, str] | None:
    """A written min / max the column's type cannot store (pass `recipes`: range-outside-type):
    (the sides written, e.g. "min 40000", the range the type stores); None when all fit or
    the database does not keep values inside the type (`typed` False: SQLite)."""
    if g.kind not in NUMBER_KINDS or not typed:
        return None
    floor, top = type_limits(g.kind, column)
    if floor is None or top is None:
        return None
    bad = [
        f"{side} {g.params[side]}"
        for side in ("min", "max")
        if g.params.get(side) is not None and not floor <= g.params[side] <= top
    ]
    stores = f"{floor:g} to {top:g}" if isinstance(floor, float) else f"{floor} to {top}"
    return (", ".join(bad), stores) if bad else None


def instant_problems(g: GeneratorSpec, facts: ColumnFacts | None, where: str) -> list[str]:
    """A written `from` / `to` outside the CHECK's moments, or one side written past the
    CHECK's other side (reconcile: range-outside-check)."""
    if g.kind not in ("date", "datetime") or facts is None:
        return []
    low, high = instant_window(g.kind, facts)
    start, end = g.params.get("from"), g.params.get("to")
    bad = []
    for side, text, is_end in (("from", start, False), ("to", end, True)):
        if text is None:
            continue
        at = _to_unit(moment_of(text, g.kind, end=is_end), g.kind, up=not is_end)
        if low is not None and at < moment_of(low):
            bad.append(f"{side} {text} but CHECK requires >= {low}")
        elif high is not None and at > moment_of(high, g.kind, end=True):
            bad.append(f"{side} {text} but CHECK requires <= {high}")
    if not bad:
        return []
    return [f"{where}: {'; '.join(bad)}"]


__all__ = [
    "closed",
    "instant_problems",
    "instant_window",
    "iso_of",
    "int_window",
    "integer_limits",
    "moment_of",
    "number_window",
    "outside_type",
]
