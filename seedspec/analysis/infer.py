"""Inference: DbTable columns (+ CHECK facts) -> GeneratorSpecs for what the spec leaves out."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from seedspec.database.checks import ColumnFacts, read_check
from seedspec.database.model import DbColumn, DbTable
from seedspec.errors import Problem
from seedspec.spec.model import GeneratorSpec

DEFAULT_COUNT = 20
INTEGER_RANGES = {"smallint": (1, 1_000), "integer": (1, 100_000), "bigint": (1, 1_000_000)}
INTEGER_LIMITS = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
    "year": (1901, 2155),
}
TEXT_KINDS = ("char", "varchar", "text")

# Column-name patterns -> mimesis providers, first match wins (names compared lower-case).
NAME_PROVIDERS: tuple[tuple[str, str], ...] = (
    (r"(^|_)e?mail(_?address)?$", "person.email"),
    (r"^(first_?name|given_name|forename)$", "person.first_name"),
    (r"^(last_?name|surname|family_name)$", "person.last_name"),
    (r"^(full_?name|display_name|contact_name)$", "person.full_name"),
    (r"^(user_?name|login|handle)$", "person.username"),
    (r"(^|_)(phone|fax|mobile|telephone)(_number)?$", "person.telephone"),
    (r"^(address|street|address_?line_?1|street_address|address1)$", "address.address"),
    (r"^(city|town)$", "address.city"),
    (r"^(state|region|province)$", "address.state"),
    (r"^country(_name)?$", "address.country"),
    (r"^(postal_?code|zip(_?code)?|postcode)$", "address.postal_code"),
    (r"^(company(_name)?|organization|organisation)$", "finance.company"),
    (r"^(job_?title|occupation|position)$", "person.occupation"),
    (r"(^|_)url$|^website$|^homepage$", "internet.url"),
    (r"^(domain|hostname|host)$", "internet.hostname"),
    (r"(^|_)(ip|ip_address)$", "internet.ip_v4"),
    (r"^(description|body|bio|comment|comments|notes?|summary|content)$", "text.sentence"),
    (r"(^|_)(courtesy|salutation|honorific)(_|$)", "person.title"),
    (r"^(gender|sex)$", "person.gender"),
    (r"^(language|lang)$", "person.language"),
    (r"^nationality$", "person.nationality"),
    (r"^(country_code|country_iso|iso_country)$", "address.country_code"),
    (r"^(street|street_name)$", "address.street_name"),
    (r"^(password|password_hash|passwd|pwd_hash|hash|digest|checksum)$", "cryptographic.hash"),
    (r"^(token|api_key|secret|session_key)$", "cryptographic.token_hex"),
    (r"^(user_agent|useragent)$", "internet.user_agent"),
    (r"^(uri|link|href)$", "internet.uri"),
    (r"^isbn(13|10)?$", "code.isbn"),
    (r"^(ean|barcode|upc)$", "code.ean"),
    (r"^(locale|locale_code)$", "code.locale_code"),
    (r"^(university|school|college)$", "person.university"),
    (r"^(bank|bank_name)$", "finance.bank"),
    (r"^(timezone|time_zone|tz)$", "datetime.timezone"),
    (r"^(continent)$", "address.continent"),
    (r"^(title|subject|headline)$", "text.title"),
    (r"^(slug)$", "internet.slug"),
    (r"^(currency|currency_code)$", "finance.currency_iso_code"),
    (r"^(colou?r)$", "text.color"),
    (r"^(file_?name)$", "file.file_name"),
    (r"^(mime_?type|content_type)$", "file.mime_type"),
)
# Provider arguments that make values vary (some providers default to the locale's one value).
PROVIDER_ARGS: dict[str, dict[str, Any]] = {"finance.currency_iso_code": {"allow_random": True}}
# Column-name patterns -> numeric ranges (min, max, distribution parameters); CHECKs still win.
NAME_NUMBERS: tuple[tuple[str, dict[str, Any]], ...] = (
    (r"(^|_)cents$", {"min": 100, "max": 100_000, "dist": "lognormal", "mu": 8.0, "sigma": 1.0}),
    (
        r"(^|_)(price|amount|cost|total|subtotal|fee|balance|revenue|payment|freight|tax)s?$",
        {"min": 1, "max": 1_000, "dist": "lognormal", "mu": 3.5, "sigma": 1.0},
    ),
    (
        r"(^|_)(salary|income|wage)$",
        {"min": 20_000, "max": 250_000, "dist": "lognormal", "mu": 11.0, "sigma": 0.4},
    ),
    (
        r"(^|_)(qty|quantity|units|stock|count|in_stock)$",
        {"min": 1, "max": 100, "dist": "geometric", "p": 0.1},
    ),
    (r"^(lat|latitude)$", {"min": -90, "max": 90}),
    (r"^(lng|lon|long|longitude)$", {"min": -180, "max": 180}),
    (r"^age$", {"min": 18, "max": 90}),
    (r"(^|_)(rating|stars|score)$", {"min": 1, "max": 5}),
    (r"(^|_)(percent|percentage|pct)$", {"min": 0, "max": 100}),
    (r"(^|_)(discount|ratio|rate)$", {"min": 0, "max": 1}),
    (r"(^|_)year$", {"min": 1990, "max": 2025}),
)
# Column-name patterns -> date ranges.
NAME_DATES: tuple[tuple[str, str, str], ...] = (
    (r"(^|_)(birth|dob|birthday|born)", "1950-01-01", "2005-12-31"),
    (r"(^|_)hire", "2005-01-01", "2025-12-31"),
)
# A later column follows an earlier one of the same row: (later name part, earlier name part).
LATER_THAN: tuple[tuple[str, str], ...] = (
    # (updated / modified / deleted ... after created: LATER_THAN_CREATED below)
    ("end", "start"),
    ("ends", "starts"),
    ("finished", "started"),
    ("finish", "start"),
    ("to", "from"),
    ("until", "from"),
    ("return", "rental"),
    ("returned", "rented"),
    ("shipped", "order"),
    ("required", "order"),
    ("delivered", "shipped"),
    ("due", "issue"),
    ("closed", "opened"),
    ("expires", "issued"),
    ("expiry", "issue"),
    ("paid", "invoice"),
    ("resolved", "reported"),
)
DATE_KINDS = ("date", "timestamp", "timestamptz")
PERSON_TABLES = re.compile(
    r"(user|person|people|employee|customer|staff|author|artist|actor|member)"
)
COMPANY_TABLES = re.compile(
    r"(compan|supplier|vendor|shipper|organi[sz]ation|publisher|store|account|client|tenant)"
)


@dataclass(frozen=True)
class InferredColumn:
    generator: GeneratorSpec | None  # None: leave the column to its default / NULL
    reason: str


def table_facts(table: DbTable) -> tuple[dict[str, ColumnFacts], list[Problem]]:
    """Merge every CHECK of the table into per-column facts; report the unreadable ones."""
    facts: dict[str, ColumnFacts] = {}
    problems = []
    for check in table.checks:
        reading = read_check(check.sqltext)
        for name, f in reading.facts.items():
            merged = facts.setdefault(name, ColumnFacts())
            _merge(merged, f)
        if not reading.understood:
            problems.append(
                Problem(
                    f"table {table.name!r}: CHECK {check.name or ''} ({check.sqltext}) is not "
                    "understood; rows may violate it",
                    severity="warning",
                    code="check-not-understood",
                )
            )
    return facts, problems


def _merge(into: ColumnFacts, f: ColumnFacts) -> None:
    if f.allowed is not None:
        into.allowed = (
            f.allowed if into.allowed is None else [v for v in into.allowed if v in f.allowed]
        )
    if f.lower is not None:
        into.merge_lower(f.lower, f.lower_inclusive)
    if f.upper is not None:
        into.merge_upper(f.upper, f.upper_inclusive)
    if f.max_length is not None:
        into.max_length = min(into.max_length or f.max_length, f.max_length)
    if f.min_length is not None:
        into.min_length = max(into.min_length or 0, f.min_length)
    into.excluded.extend(f.excluded)
    into.is_json = into.is_json or f.is_json
    into.after = into.after or f.after
    into.differs_from = into.differs_from or f.differs_from
    if f.earliest is not None:
        into.earliest = max(into.earliest or f.earliest, f.earliest)
    if f.latest is not None:
        into.latest = min(into.latest or f.latest, f.latest)


def infer_column(
    table: DbTable, column: DbColumn, facts: ColumnFacts | None, unique: bool = False
) -> InferredColumn:
    """A generator for a plain (non-FK) column, from its type, name and CHECK facts."""
    facts = facts or ColumnFacts()
    if facts.allowed:
        values = [v for v in facts.allowed if v not in facts.excluded]
        return InferredColumn(
            GeneratorSpec("choice", {"values": values, "weights": None}, unique=unique),
            "CHECK IN list",
        )
    kind = "json" if facts.is_json else column.type
    later = _later_than(table, column, facts)
    if later is not None:
        return InferredColumn(later, "follows another column of the row")
    if kind in ("enum", "set") and column.enum_values:
        params = {"values": list(column.enum_values), "weights": None}
        return InferredColumn(GeneratorSpec("choice", params, unique=unique), f"{kind} type")
    maker = _BY_KIND.get(kind)
    if maker is None:
        return InferredColumn(None, f"type {column.sql_type or kind} has no generator")
    spec = maker(table, column, facts)
    if spec is None:
        return InferredColumn(None, f"type {column.sql_type or kind} has no generator")
    if unique:
        spec = GeneratorSpec(spec.kind, spec.params, unique=True)
    return InferredColumn(spec, f"type {kind}")


def _later_than(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec | None:
    """updated_at after created_at, end after start: an offset from the earlier column."""
    numeric = ("smallint", "integer", "bigint", "numeric", "float")
    earlier, strict = facts.after if facts.after else (None, False)
    if earlier is None and column.type in DATE_KINDS:
        earlier = _earlier_by_name(table, column)
    anchor = table.column(earlier) if earlier else None
    if anchor is None or anchor.generated:
        return None
    if anchor.type != column.type and not (anchor.type in DATE_KINDS and column.type in DATE_KINDS):
        return None
    if column.type in numeric:
        return GeneratorSpec("offset", {"from": anchor.name, "min": int(strict), "max": 100})
    if column.type not in DATE_KINDS:
        return None
    unit = "days" if column.type == "date" else "hours"
    span = 30 if unit == "days" else 24 * 90
    null = 0.85 if column.nullable and re.search(r"deleted|archived|closed", column.name) else 0.0
    params = {"from": anchor.name, "min": int(strict), "max": span, "unit": unit}
    return GeneratorSpec("offset", params, null=null)


CREATED = re.compile(
    r"^(created(_at|_on|_date|_time)?|create(d)?_(date|time|ts)|creation_(date|time)|"
    r"date_created|inserted_at|insert_date)$"
)
LATER_THAN_CREATED = re.compile(
    r"(^|_)(updated|modified|changed|edited|deleted|archived|last_update|last_updated|"
    r"last_modified|last_login|last_seen)(_|$)"
)


def _earlier_by_name(table: DbTable, column: DbColumn) -> str | None:
    name = column.name.lower()
    if LATER_THAN_CREATED.search(name):  # last_update, updated_at, modified ... after created
        for col in table.columns:
            if col is not column and CREATED.match(col.name.lower()) and col.type in DATE_KINDS:
                return col.name
    for later, earlier in LATER_THAN:
        pattern = rf"(^|_){later}(_|$)"
        if re.search(pattern, name):
            candidate = re.sub(pattern, rf"\g<1>{earlier}\g<2>", name, count=1)
            for col in table.columns:
                if col.name.lower() == candidate and col.type in DATE_KINDS:
                    return col.name
    return None


def _named_number(column: DbColumn) -> dict[str, Any] | None:
    name = column.name.lower()
    for pattern, params in NAME_NUMBERS:
        if re.search(pattern, name):
            return dict(params)
    return None


def integer_limits(column: DbColumn) -> tuple[int, int]:
    """The range the column's type can store (MySQL TINYINT/MEDIUMINT from their spelling)."""
    sql = column.sql_type.lower()
    bits = 8 if sql.startswith("tinyint") else 24 if sql.startswith("mediumint") else None
    if bits is not None:
        lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    else:
        lo, hi = INTEGER_LIMITS.get(column.type, INTEGER_LIMITS["bigint"])
    if column.unsigned or "unsigned" in sql:
        return 0, hi * 2 + 1
    return lo, hi


def _int_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    lo_lim, hi_lim = integer_limits(column)
    lo, hi = INTEGER_RANGES.get(column.type, (1, 10_000))
    named = _named_number(column)
    dist_params: dict[str, Any] = {"dist": "uniform"}
    if named:
        lo, hi = int(named.pop("min")), int(named.pop("max"))
        dist_params = {"dist": "uniform", **named}
    if column.type == "year":
        lo, hi = 1990, 2025
    if facts.lower is not None:
        lo = int(math.floor(facts.lower)) + (0 if facts.lower_inclusive else 1)
        hi = max(hi, lo + 1000) if facts.upper is None else hi
    if facts.upper is not None:
        hi = int(math.ceil(facts.upper)) - (0 if facts.upper_inclusive else 1)
        lo = min(lo, hi) if facts.lower is None else lo
    lo, hi = max(lo, lo_lim), min(hi, hi_lim)
    if facts.lower is not None or facts.upper is not None:
        dist_params = {"dist": "uniform"}  # a CHECK's range replaces the name's law
    return GeneratorSpec("int", {"min": lo, "max": max(lo, hi), **dist_params})


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
    if facts.lower is not None:
        lo = facts.lower + (0 if facts.lower_inclusive else step)
        hi = max(hi, lo + 1) if facts.upper is None else hi
    if facts.upper is not None:
        hi = facts.upper - (0 if facts.upper_inclusive else step)
        lo = min(lo, hi)
    if limit is not None:
        lo, hi = max(lo, -limit), min(hi, limit)
    return lo, hi


def _decimal_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    lo, hi = _numeric_bounds(column, facts, 1000.0)
    scale = column.scale if column.scale is not None else 2
    params = {"min": lo, "max": hi, **_law(column, facts)}
    params.update(precision=column.precision, scale=scale)
    return GeneratorSpec("decimal", params)


def _law(column: DbColumn, facts: ColumnFacts) -> dict[str, Any]:
    named = _named_number(column) or {}
    if facts.lower is not None or facts.upper is not None or "dist" not in named:
        return {"dist": "uniform"}
    return {k: v for k, v in named.items() if k not in ("min", "max")}


def _money_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("decimal", {"min": 0, "max": 1000, "dist": "uniform", "scale": 2})


def _float_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    lo, hi = _numeric_bounds(column, facts, 1000.0)
    return GeneratorSpec("float", {"min": lo, "max": hi, **_law(column, facts), "round": 6})


def _bool_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("bool", {"p": 0.5})


def provider_for(table: DbTable, column: DbColumn) -> str | None:
    name = column.name.lower()
    for pattern, provider in NAME_PROVIDERS:
        if re.search(pattern, name):
            return provider
    if name in ("name", f"{table.bare_name.lower().rstrip('s')}_name"):
        if PERSON_TABLES.search(table.bare_name.lower()):
            return "person.full_name"
        if COMPANY_TABLES.search(table.bare_name.lower()):
            return "finance.company"
    return None


def _title_provider(table: DbTable, column: DbColumn) -> str | None:
    if column.name.lower() == "title" and PERSON_TABLES.search(table.bare_name.lower()):
        return "person.occupation"  # an employee's title is a job title
    return None


def _text_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    length = column.length
    if facts.max_length is not None:
        length = min(length or facts.max_length, facts.max_length)
    provider = _title_provider(table, column) or provider_for(table, column) or "text.word"
    if length is not None and length < 3 and provider != "text.word":
        provider = "text.word"
    args = dict(PROVIDER_ARGS.get(provider, {}))
    return GeneratorSpec("gen", {"provider": provider, "args": args, "max_length": length})


def _instant_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    kind = {"timestamptz": "datetime", "timestamp": "datetime"}.get(column.type, column.type)
    start, end = None, None
    for pattern, lo, hi in NAME_DATES:
        if kind != "time" and re.search(pattern, column.name.lower()):
            start, end = lo, hi
            break
    if kind != "time" and (facts.earliest or facts.latest):
        start, end = _within(start or DEFAULT_FROM, end or DEFAULT_TO, facts)
    return GeneratorSpec(kind, {"from": start, "to": end, "dist": "uniform"})


DEFAULT_FROM, DEFAULT_TO = "2020-01-01", "2025-12-31"


def _within(start: str, end: str, facts: ColumnFacts) -> tuple[str, str]:
    """Narrow a date range to a CHECK's bounds (keeping a non-empty range inside them)."""
    lo = max(start, facts.earliest[:10]) if facts.earliest else start
    hi = min(end, facts.latest[:10]) if facts.latest else end
    if lo > hi:  # the default range lies outside the CHECK: use the CHECK's own window
        lo = facts.earliest[:10] if facts.earliest else hi
        hi = facts.latest[:10] if facts.latest else lo
    return lo, hi


def _uuid_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("uuid", {})


def _json_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    fields = {
        "id": GeneratorSpec("int", {"min": 1, "max": 1000, "dist": "uniform"}),
        "tag": GeneratorSpec("gen", {"provider": "text.word", "args": {}}),
    }
    return GeneratorSpec("json", {"fields": fields})


def _template_spec(text: str) -> GeneratorSpec:
    return GeneratorSpec("template", {"template": text})


def _bytes_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("bytes", {"length": min(column.length or 16, 16)})


def _interval_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("interval", {})


def _inet_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("gen", {"provider": "internet.ip_v4", "args": {}})


def _mac_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("gen", {"provider": "internet.mac_address", "args": {}})


def _cidr_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("cidr", {})


def _bit_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("bits", {"length": column.length or 1})


def _xml_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return _template_spec('<item id="{row}"/>')


def _tsvector_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec:
    return GeneratorSpec("gen", {"provider": "text.word", "args": {}})


def _array_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec | None:
    item_kind = column.item_type or "text"
    maker = _BY_KIND.get(item_kind)
    if maker is None or item_kind == "array":
        return None
    item = maker(table, DbColumn(column.name, item_kind), ColumnFacts())
    if item is None:
        return None
    return GeneratorSpec("array", {"of": item, "length": {"min": 0, "max": 3}})


def _range_spec(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec | None:
    sql = column.sql_type.lower()
    of = "date" if "date" in sql else "timestamp" if "ts" in sql else "int"
    return GeneratorSpec("range", {"of": of})


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
}
