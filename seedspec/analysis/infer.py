"""Inference: DbTable columns (+ CHECK facts) -> GeneratorSpecs for what the spec leaves out."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from seedspec.analysis.closing import (
    instant_window,
    int_window,
    integer_limits,
    iso_of,
    moment_of,
    number_window,
)
from seedspec.analysis.follows import before_foreign_key, later_than
from seedspec.analysis.names import (
    COMPANY_TABLES,
    MEANING_PROVIDERS,
    NAME_DATES,
    NAME_NUMBERS,
    NAME_PROVIDERS,
    PERSON_TABLES,
    PROVIDER_ARGS,
    address_name,
    readable,
)
from seedspec.analysis.shaping import (
    array_length,
    avoiding,
    interval_limits,
    json_shaped,
    text_limits,
)
from seedspec.analysis.vocabulary import alone_unique, vocabulary_spec
from seedspec.database.checks import ColumnFacts
from seedspec.database.model import DbColumn, DbTable
from seedspec.deferred import deferred
from seedspec.kinds import (
    binary,
    choice,
    geometry,
    network,
    numbers,
    ranges,
    structured,
    temporal,
    text,
)
from seedspec.kinds.pattern import pattern_spec
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:
    import sqlglot.errors as sqlerrors
    import sqlglot.expressions as sx
else:
    sqlerrors = deferred("sqlglot.errors")
    sx = deferred("sqlglot.expressions")

DEFAULT_COUNT = 20
INTEGER_RANGES = {"smallint": (1, 1_000), "integer": (1, 100_000), "bigint": (1, 1_000_000)}
TEXT_KINDS = ("char", "varchar", "text")

DATE_KINDS = ("date", "timestamp", "timestamptz")


@dataclass(frozen=True)
class InferredColumn:
    generator: GeneratorSpec | None  # None: leave the column to its default / NULL
    reason: str


def infer_column(
    table: DbTable, column: DbColumn, facts: ColumnFacts | None, unique: bool = False
) -> InferredColumn:
    """A generator for a plain (non-FK) column, from its type, name and CHECK facts."""
    facts = facts or ColumnFacts()
    found = _by_check(table, column, facts, unique)
    if found is not None:
        return found
    kind = "json" if facts.is_json or column.meaning == "json" else column.type
    later = later_than(table, column, facts) or before_foreign_key(table, column, facts)
    if later is not None:
        return InferredColumn(later, "follows another column of the row")
    if kind in ("enum", "set") and column.enum_values:
        labels = [v for v in column.enum_values if v not in facts.excluded and facts.fits(v)]
        enum = choice.choice_spec(labels, unique=unique)
        return InferredColumn(enum, f"{kind} type" + (" minus CHECK <>" if facts.excluded else ""))
    maker = _BY_KIND.get(kind)
    if maker is None:
        return InferredColumn(None, f"type {column.sql_type or kind} has no generator")
    spec = maker(table, column, facts)
    if spec is None:
        over = f" (a range of {column.item_type})" if kind == "range" and column.item_type else ""
        return InferredColumn(None, f"type {column.sql_type or kind}{over} has no generator")
    if unique:
        spec = replace(spec, unique=True)
    return InferredColumn(spec, f"type {kind}")


def _by_check(
    table: DbTable, column: DbColumn, facts: ColumnFacts, unique: bool
) -> InferredColumn | None:
    """What the CHECK model decides alone: always NULL, a value list, a boolean's one value,
    an exact or minimum text length."""
    if facts.null is True:
        maker = _BY_KIND.get(column.type) or _text_spec
        spec = maker(table, column, ColumnFacts()) or text.provider_spec("text.word")
        return InferredColumn(replace(spec, null=1.0), "CHECK: always NULL")
    values = facts.values
    if values:
        return InferredColumn(choice.choice_spec(list(values), unique=unique), "CHECK IN list")
    if column.type == "boolean" and facts.excluded:
        kept = [v for v in (True, False) if v not in facts.excluded]
        return InferredColumn(choice.choice_spec(kept, unique=unique), "CHECK <>")
    if column.type in TEXT_KINDS and facts.patterns:
        first, *rest = facts.patterns
        spec = pattern_spec(
            first.regex,
            also=[p.regex for p in rest],
            exclude=[p.regex for p in facts.not_patterns],
            min_length=facts.min_length,
            max_length=facts.max_length,
            prefer=_title_provider(table, column) or provider_for(table, column),
        )
        return InferredColumn(spec, "CHECK pattern")
    if column.type in TEXT_KINDS and facts.min_length and facts.min_length > 1:
        # digits padded to the minimum length: exactly that many characters for the first
        # 10**n rows, never shorter, and distinct (rstr-style patterns are not a kind yet)
        width = facts.min_length
        limit = min(x for x in (column.length, facts.max_length, 10**9) if x is not None)
        if width <= limit:
            spec = text.template_spec(f"{{row:0{width}d}}")
            return InferredColumn(replace(spec, unique=unique), "CHECK minimum length")
    return None


def _named_number(column: DbColumn) -> dict[str, Any] | None:
    if column.meaning == "bounded":  # the application's validators state the range: no guess
        return None
    name = readable(column.name)
    if column.scale == 2 and re.search(r"(^|_)rate$", name):  # rental_rate numeric(4,2): money
        name = "price"
    for pattern, params in NAME_NUMBERS:
        if re.search(pattern, name):
            return dict(params)
    return None


def _inside(lo: float, hi: float, low: float | None, high: float | None) -> bool:
    """Whether [lo, hi] (a name's range) passes a CHECK's window as it is."""
    return (low is None or low <= lo) and (high is None or hi <= high)


def _int_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    lo_lim, hi_lim = integer_limits(column)
    lo, hi = INTEGER_RANGES.get(column.type, (1, 10_000))
    alone = alone_unique(table, readable(column.name))
    named = None if alone else _named_number(column)  # a unique `level` needs its room
    dist_params: dict[str, Any] = {"dist": "uniform"}
    if named:
        lo, hi = int(named.pop("min")), int(named.pop("max"))
        dist_params = {"dist": "uniform", **named}
    if column.type == "year":
        lo, hi = 1990, 2025
    low, high = int_window(facts)
    if not (named is not None or column.type == "year") or not _inside(lo, hi, low, high):
        if low is not None:
            lo = low
            hi = max(hi, lo + 1000) if high is None else hi
        if high is not None:
            hi = high
            lo = min(lo, hi) if low is None else lo
        if facts.lower is not None or facts.upper is not None:
            dist_params = {"dist": "uniform"}  # a CHECK's range replaces the name's law
    lo, hi = max(lo, lo_lim), min(hi, hi_lim)
    kept = avoiding(lo, max(lo, hi), facts.excluded, 1)
    return numbers.int_spec(int(kept[0]), int(kept[1]), dist_params)


def _numeric_bounds(column: DbColumn, facts: ColumnFacts, default_hi: float) -> tuple[float, float]:
    scale = column.scale or 0
    step = 10.0**-scale
    limit = None
    if column.precision:
        limit = 10.0 ** (column.precision - scale) - step
    named = _named_number(column) or {}
    lo = float(named.get("min", 0.0))
    hi = float(named.get("max", default_hi))
    hi = hi if limit is None else min(hi, limit)
    low, high = number_window(facts, step)
    if not named or not _inside(lo, hi, low, high):
        if low is not None:
            lo = low
            hi = max(hi, lo + 1) if high is None else hi
        if high is not None:
            hi = high
            lo = min(lo, hi)
    if limit is not None:
        lo, hi = max(lo, -limit), min(hi, limit)
    return avoiding(lo, hi, facts.excluded, step)


def _decimal_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    lo, hi = _numeric_bounds(column, facts, 1000.0)
    scale = column.scale if column.scale is not None else 2
    return numbers.decimal_spec(
        lo, hi, _law(column, facts), precision=column.precision, scale=scale
    )


def _law(column: DbColumn, facts: ColumnFacts) -> dict[str, Any]:
    """The name's distribution (prices lognormal ...), kept when its range passes the CHECK."""
    named = _named_number(column) or {}
    if "dist" not in named:
        return {"dist": "uniform"}
    low, high = number_window(facts, 10.0 ** -(column.scale or 0))
    if (facts.lower is not None or facts.upper is not None) and not _inside(
        float(named["min"]), float(named["max"]), low, high
    ):
        return {"dist": "uniform"}
    return {k: v for k, v in named.items() if k not in ("min", "max")}


def _money_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    typed = replace(column, precision=None, scale=2)
    lo, hi = _numeric_bounds(typed, facts, 1000.0)
    return numbers.decimal_spec(max(lo, 0), hi, _law(typed, facts), scale=2)


def _float_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    lo, hi = _numeric_bounds(column, replace(facts, excluded=()), 1000.0)
    lo, hi = avoiding(lo, hi, facts.excluded, 1e-6)  # rounded to 6 digits
    return numbers.float_spec(lo, hi, _law(column, facts), round=6)


def _bool_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return choice.bool_spec(0.5)


def provider_for(table: DbTable, column: DbColumn) -> str | None:
    if column.meaning in MEANING_PROVIDERS:  # what the application's model says (--models)
        return MEANING_PROVIDERS[column.meaning]
    name = address_name(readable(column.name))
    for pattern, provider in NAME_PROVIDERS:
        if re.search(pattern, name):
            return provider
    if name in ("name", f"{readable(table.bare_name).rstrip('s')}_name"):
        if PERSON_TABLES.search(readable(table.bare_name)):
            return "person.full_name"
        if COMPANY_TABLES.search(readable(table.bare_name)):
            return "finance.company"
    return None


def _title_provider(table: DbTable, column: DbColumn) -> str | None:
    if readable(column.name) == "title" and PERSON_TABLES.search(readable(table.bare_name)):
        return "person.occupation"  # an employee's title is a job title
    return None


def _text_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    length = column.length
    if facts.max_length is not None:
        length = min(length or facts.max_length, facts.max_length)
    found = _title_provider(table, column) or provider_for(table, column)
    spec = vocabulary_spec(table, column, facts, length, found)
    if spec is not None and spec.kind == "gen":
        return replace(spec, params={**spec.params, "max_length": length, **text_limits(facts)})
    if spec is not None:
        return spec
    provider = found or "text.word"
    if length is not None and length < 3 and provider != "text.word":
        provider = "text.word"
    args = dict(PROVIDER_ARGS.get(provider, {}))
    return text.provider_spec(provider, args, max_length=length, **text_limits(facts))


def _instant_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    kind = {"timestamptz": "datetime", "timestamp": "datetime"}.get(column.type, column.type)
    start, end = None, None
    for pattern, lo, hi in NAME_DATES:
        if kind != "time" and re.search(pattern, readable(column.name)):
            start, end = lo, hi
            break
    if kind != "time" and (facts.earliest or facts.latest):
        start, end = _within(kind, start or DEFAULT_FROM, end or DEFAULT_TO, facts)
    return temporal.instant_spec(kind, start, end)


DEFAULT_FROM, DEFAULT_TO = "2020-01-01", "2025-12-31"


def _within(kind: str, start: str, end: str, facts: ColumnFacts) -> tuple[str, str]:
    """Narrow a date range to a CHECK's bounds (keeping a non-empty range inside them)."""
    low, high = instant_window(kind, facts)
    lo = low if low and moment_of(low) > moment_of(start) else start
    hi = high if high and moment_of(high) < moment_of(end, kind, end=True) else end
    if moment_of(lo) > moment_of(hi, kind, end=True):  # the default range lies outside the CHECK:
        span = moment_of(end, kind, end=True) - moment_of(start)  # as long, against its bound
        lo = low or str(iso_of(kind, moment_of(str(high)) - span))
        hi = high or str(iso_of(kind, moment_of(str(low)) + span))
    return lo, hi


def _uuid_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return text.uuid_spec()


def _json_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    fields = {
        "id": numbers.int_spec(1, 1000, {"dist": "uniform"}),
        "tag": text.provider_spec("text.word"),
    }
    return json_shaped(facts, fields)


def _bytes_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return binary.bytes_spec(min(column.length or 16, 16))


def _interval_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    limits = interval_limits(facts)
    return temporal.interval_spec(limits.get("min"), limits.get("max"))


def _inet_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return text.provider_spec("internet.ip_v6" if column.meaning == "ipv6" else "internet.ip_v4")


def _mac_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return text.provider_spec("internet.mac_address")


def _cidr_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return network.cidr_spec()


def _bit_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return binary.bits_spec(column.length or 1)


def _xml_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return text.template_spec('<item id="{row}"/>')


def _tsvector_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return text.provider_spec("text.word")


def _array_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec | None:
    item_kind = column.item_type or "text"
    if item_kind == "enum" and column.enum_values:  # an enum array: members of the enum
        item_spec = choice.choice_spec(list(column.enum_values))
        return structured.array_spec(item_spec, array_length(facts))
    maker = _BY_KIND.get(item_kind)
    if maker is None or item_kind == "array":
        return None
    item = maker(table, DbColumn(column.name, item_kind), ColumnFacts())
    if item is None:
        return None
    return structured.array_spec(item, array_length(facts))


_RANGE_OF = dict(smallint="int", integer="int", bigint="int", numeric="float", float="float")
_RANGE_OF |= dict(date="date", timestamp="timestamp", timestamptz="timestamp")


def _range_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec | None:
    if column.item_type:  # a user-defined range (CREATE TYPE ... AS RANGE): its subtype's values
        subtype, _, multi = column.item_type.partition(" ")
        user_of = _RANGE_OF.get(subtype)
        return None if user_of is None else ranges.range_spec(user_of, multi=bool(multi))
    sql = column.sql_type.lower()
    of = "date" if "date" in sql else "timestamp" if "ts" in sql else "int"
    of = "float" if sql.startswith("num") else of
    return ranges.range_spec(of, multi="multirange" in sql)


def _geometry_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    """PostGIS geometry/geography: the shape, Z/M and SRID of its typmod (sqlglot reads it)."""
    name, paren, mods = column.sql_type.partition("(")
    bare = name.rsplit(".", 1)[-1] + paren + mods  # gis.geometry(...) when PostGIS has a schema
    try:
        typmod = sx.DataType.build(bare, dialect="postgres").expressions
    except sqlerrors.ParseError:
        typmod = []
    args = [a.sql().lower() for a in typmod]
    shape = args[0] if args else "point"
    dims = ""
    for suffix in ("zm", "z", "m"):
        if shape.endswith(suffix) and shape[: -len(suffix)] in geometry.EWKT_SHAPES:
            shape, dims = shape[: -len(suffix)], suffix.upper()
            break
    if shape not in geometry.EWKT_SHAPES:
        shape = "point"  # bare `geometry` (or GEOMETRY typmod): any geometry, so a point
    geography = bare.lower().startswith("geography")
    srid = int(args[1]) if len(args) > 1 and args[1].isdigit() else (4326 if geography else None)
    srid = 4326 if geography and srid == 0 else srid
    return geometry.geometry_spec(shape, srid, dims)


def _geometric_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    """point, line, lseg, box, path, polygon, circle: PostgreSQL's own literal syntax."""
    shape = column.sql_type.lower().rsplit(".", 1)[-1]
    return geometry.geometry_spec(shape if shape in geometry.PG_SHAPES else "point", fmt="pg")


def _lsn_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return text.template_spec("0/{row}")  # pg_lsn 'X/X': the row number in hex digits too


_BY_KIND = {
    "smallint": _int_spec,
    "integer": _int_spec,
    "bigint": _int_spec,
    "year": _int_spec,
    "numeric": _decimal_spec,
    "money": _money_spec,
    "float": _float_spec,
    "boolean": _bool_spec,
    "char": _text_spec,
    "varchar": _text_spec,
    "text": _text_spec,
    "date": _instant_spec,
    "time": _instant_spec,
    "timestamp": _instant_spec,
    "timestamptz": _instant_spec,
    "uuid": _uuid_spec,
    "json": _json_spec,
    "bytes": _bytes_spec,
    "interval": _interval_spec,
    "inet": _inet_spec,
    "cidr": _cidr_spec,
    "macaddr": _mac_spec,
    "bit": _bit_spec,
    "xml": _xml_spec,
    "tsvector": _tsvector_spec,
    "array": _array_spec,
    "range": _range_spec,
    "geometry": _geometry_spec,
    "geometric": _geometric_spec,
    "pg_lsn": _lsn_spec,
}
