"""Columns that follow another column of the row: (DbTable, DbColumn, CHECK facts) -> an
`offset` GeneratorSpec (updated_at after created_at, end after start, a plain column above or
below an FK's value), or None."""

from __future__ import annotations

import re

from seedspec.analysis.names import (
    CREATED,
    LATER_SPANS,
    LATER_THAN,
    LATER_THAN_CREATED,
    readable,
)
from seedspec.database.checks import ColumnFacts
from seedspec.database.facts import table_facts_of
from seedspec.database.model import DbColumn, DbTable
from seedspec.kinds import offset
from seedspec.kinds.spec import GeneratorSpec

DATE_KINDS = ("date", "timestamp", "timestamptz")


def later_than(table: DbTable, column: DbColumn, facts: ColumnFacts) -> GeneratorSpec | None:
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
        return offset.offset_spec(anchor.name, int(strict), 100)
    if column.type not in DATE_KINDS:
        return None
    unit = "days" if column.type == "date" else "hours"
    span = _span(column, unit)
    # regexes here read column names, with the tables of analysis/names.py (not SQL)
    closing = (
        re.search(r"deleted|archived|closed|died|death", column.name) and facts.null is not False
    )
    null = 0.85 if column.nullable and closing else 0.0
    return offset.offset_spec(anchor.name, int(strict), span, unit=unit, null=null)


def _span(column: DbColumn, unit: str) -> int:
    """How far past its earlier column a later one lies: weeks, or decades (died after born)."""
    days = next((d for part, d in LATER_SPANS.items() if part in readable(column.name)), None)
    if days is None:
        return 30 if unit == "days" else 24 * 90
    return days if unit == "days" else 24 * days


def before_foreign_key(
    table: DbTable, column: DbColumn, facts: ColumnFacts
) -> GeneratorSpec | None:
    """CHECK (lvl < user_id) with user_id an FK: the FK's values are its parents' keys, so the
    plain column follows it downwards (user_id minus 1..100, or 0..100 for <=)."""
    if facts.after is not None or column.type not in ("smallint", "integer", "bigint"):
        return None
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    integers = ("smallint", "integer", "bigint")
    for name, f in table_facts_of(table).columns.items():
        anchor = table.column(name)
        if name not in fk_columns or f.after is None or f.after[0] != column.name:
            continue
        if anchor is not None and anchor.type in integers:
            return offset.offset_spec(name, -100, -int(f.after[1]))
    return None


def _earlier_by_name(table: DbTable, column: DbColumn) -> str | None:
    name = readable(column.name)
    if LATER_THAN_CREATED.search(name):  # last_update, updated_at, modified ... after created
        for col in table.columns:
            if col is not column and CREATED.match(readable(col.name)) and col.type in DATE_KINDS:
                return col.name
    for later, earlier in LATER_THAN:
        pattern = rf"(^|_){later}(_|$)"
        if re.search(pattern, name):
            candidate = re.sub(pattern, rf"\g<1>{earlier}\g<2>", name, count=1)
            for col in table.columns:
                if readable(col.name) == candidate and col.type in DATE_KINDS:
                    return col.name
    return None
