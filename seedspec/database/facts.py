"""DbTable -> TableFacts: its SQL texts parsed once into typed, frozen per-table facts.

CHECKs, partition bounds, unique index expressions and trigger writes; ``facts_of(schema)`` for
every table.

The compiler, inference and drift read these instead of parsing text themselves. Facts are a pure
function of the table, so they are computed on first use and kept while the table lives.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from seedspec.database.checks import ColumnFacts, read_check
from seedspec.database.model import DbCheck, DbSchema, DbTable, DbUnique
from seedspec.database.partitions import PartitionRule, partition_rule

_WORD = re.compile(r"[A-Za-z_][\w$]*")


@dataclass(frozen=True)
class UniqueFacts:
    """One UNIQUE constraint or unique index, as the columns that make it unique.

    ``columns``: its plain columns, then the table columns named inside its expressions
    (``lower(email)`` -> ``email``; values built distinct stay distinct through lower()/trim()).
    ``understood``: False for an expression index whose expressions name no column.
    """

    unique: DbUnique
    columns: tuple[str, ...]
    understood: bool


@dataclass(frozen=True)
class TableFacts:
    """What a table's SQL texts say, parsed once.

    ``columns``: every CHECK merged into per-column facts (read-only mapping; treat the
    ColumnFacts as read-only too). ``unread_checks``: the CHECKs not understood (callers warn).
    ``partition``: the values the partition key may take. ``uniques``: per UNIQUE, its columns.
    ``insert_writes``: bare names of the tables this table's INSERT triggers write.
    """

    table: str
    columns: Mapping[str, ColumnFacts]
    unread_checks: tuple[DbCheck, ...]
    partition: PartitionRule
    uniques: tuple[UniqueFacts, ...]
    insert_writes: tuple[str, ...]


_CACHE: weakref.WeakKeyDictionary[DbTable, TableFacts] = weakref.WeakKeyDictionary()


def table_facts_of(table: DbTable) -> TableFacts:
    """The facts of one table (computed on first use)."""
    found = _CACHE.get(table)
    if found is None:
        found = _read(table)
        _CACHE[table] = found
    return found


def facts_of(schema: DbSchema) -> dict[str, TableFacts]:
    """DbTable.name -> its facts, for every table of the schema."""
    return {t.name: table_facts_of(t) for t in schema.tables}


def _read(table: DbTable) -> TableFacts:
    columns, unread = check_facts(table.checks)
    writes: list[str] = []
    for trigger in table.triggers:
        if "INSERT" in trigger.events:
            writes += [w for w in trigger.writes if w not in writes]
    return TableFacts(
        table=table.name,
        columns=MappingProxyType(columns),
        unread_checks=tuple(unread),
        partition=partition_rule(table),
        uniques=tuple(unique_facts(table, u) for u in table.uniques),
        insert_writes=tuple(writes),
    )


def check_facts(checks: tuple[DbCheck, ...]) -> tuple[dict[str, ColumnFacts], list[DbCheck]]:
    """Every CHECK merged into per-column facts, and the CHECKs that were not understood."""
    facts: dict[str, ColumnFacts] = {}
    unread = []
    for check in checks:
        reading = read_check(check.sqltext)
        for name, f in reading.facts.items():
            _merge(facts.setdefault(name, ColumnFacts()), f)
        if not reading.understood:
            unread.append(check)
    return facts, unread


def unique_facts(table: DbTable, unique: DbUnique) -> UniqueFacts:
    names = {c.name for c in table.columns}
    inside = [w for e in unique.expressions for w in _WORD.findall(e) if w in names]
    columns = tuple(dict.fromkeys([*unique.columns, *inside]))
    return UniqueFacts(unique, columns, bool(columns) and (not unique.expressions or bool(inside)))


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
