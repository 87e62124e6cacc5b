"""DbTable -> TableFacts: its SQL texts parsed once into typed, frozen per-table facts.

CHECKs, partition bounds, unique index expressions and trigger writes; ``facts_of(schema)`` for
every table.

The compiler, inference and drift read these instead of parsing text themselves. Facts are a pure
function of the table, so they are computed on first use and kept while the table lives.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from seedspec.database.checks import (
    Alternative,
    CheckReading,
    Clause,
    ColumnFacts,
    merge_alternative,
    read_check,
)
from seedspec.database.model import DbCheck, DbSchema, DbTable, DbUnique
from seedspec.database.partitions import PartitionRule, partition_rule
from seedspec.database.sqlexprs import named_columns


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
class UnreadCheck:
    """A CHECK the constraint model does not guarantee: the database judges rows against it.

    ``columns``: the table's columns it names (sqlglot Column nodes); ``why``: what was not read.
    """

    check: DbCheck
    name: str | None
    sql: str
    columns: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class TableFacts:
    """What a table's SQL texts say, parsed once.

    ``columns``: every CHECK merged into per-column facts (a read-only mapping; ColumnFacts
    are frozen): the facts every row must meet, with one consistent alternative of
    each OR chosen (fewest forced NULLs first, then CHECK order). ``branches``: per group of
    ORs sharing columns, the consistent combinations of their alternatives rows choose among
    (each a whole row's facts; the first is ``columns``' choice for the group; groups are
    independent). ``unread_checks``: the CHECKs
    the model does not guarantee (callers warn; the oracle evaluates them), ``unread`` the same
    with their SQL and the columns they name; ``modelled``: the CHECKs it does guarantee.
    ``unsatisfiable``: why no row can pass the CHECKs (an error), if so.
    ``partition``: the values the partition key may take. ``uniques``: per UNIQUE, its columns.
    ``insert_writes``: bare names of the tables this table's INSERT triggers write.
    """

    table: str
    columns: Mapping[str, ColumnFacts]
    unread_checks: tuple[DbCheck, ...]
    partition: PartitionRule
    uniques: tuple[UniqueFacts, ...]
    insert_writes: tuple[str, ...]
    unread: tuple[UnreadCheck, ...] = ()
    modelled: tuple[DbCheck, ...] = ()
    unsatisfiable: tuple[str, ...] = ()
    branches: tuple[tuple[Mapping[str, ColumnFacts], ...], ...] = ()


_CACHE: weakref.WeakKeyDictionary[DbTable, TableFacts] = weakref.WeakKeyDictionary()


def table_facts_of(table: DbTable) -> TableFacts:
    """The facts of one table (computed on first use)."""
    found = _CACHE.get(table)
    if found is None:
        found = _read(table)
        _CACHE[table] = found
    return found


def remember(table: DbTable, known: TableFacts) -> None:
    """Take `known` as the table's facts (read from the facts cache: database/factcache.py)."""
    _CACHE[table] = known


def facts_of(schema: DbSchema) -> dict[str, TableFacts]:
    """DbTable.name -> its facts, for every table of the schema."""
    return {t.name: table_facts_of(t) for t in schema.tables}


def _read(table: DbTable) -> TableFacts:
    model = check_model(table)
    writes: list[str] = []
    for trigger in table.triggers:
        if "INSERT" in trigger.events:
            writes += [w for w in trigger.writes if w not in writes]
    return TableFacts(
        table=table.name,
        columns=MappingProxyType(model.columns),
        unread_checks=tuple(u.check for u in model.unread),
        partition=partition_rule(table),
        uniques=tuple(unique_facts(table, u) for u in table.uniques),
        insert_writes=tuple(writes),
        unread=tuple(model.unread),
        modelled=tuple(model.modelled),
        unsatisfiable=tuple(model.unsatisfiable),
        branches=tuple(tuple(MappingProxyType(b) for b in g) for g in model.branches),
    )


@dataclass
class CheckModel:
    columns: dict[str, ColumnFacts]
    unread: list[UnreadCheck]
    modelled: list[DbCheck]
    unsatisfiable: list[str]
    branches: list[list[dict[str, ColumnFacts]]] = field(default_factory=list)


MAX_COMBINATIONS = 4096  # alternatives tried together; past this, greedy clause by clause
MAX_BRANCHES = 8  # consistent combinations rows choose among (the best ones)
TEXT_TYPES = ("char", "varchar", "text")


def check_model(table: DbTable, dialect: str | None = None) -> CheckModel:
    """All of the table's CHECKs together: clauses with one alternative merged, then one
    alternative of each OR chosen consistent with everything else (NULL only where the column
    is nullable). A CHECK not understood keeps no fact and is listed as unread."""
    model = CheckModel({}, [], [], [])
    readings: list[tuple[DbCheck, CheckReading]] = []
    for check in table.checks:
        reading = read_check(check.sqltext, dialect)
        if reading.understood:
            readings.append((check, reading))
        else:
            model.unread.append(_unread(table, check, reading, reading.why or "not understood"))
    base: dict[str, ColumnFacts] = {}
    multi: list[tuple[DbCheck, tuple[Alternative, ...]]] = []
    for check, reading in readings:
        for clause in reading.clauses:
            if len(clause) == 1:
                base = merge_alternative(base, clause[0])
            else:
                multi.append((check, clause))
    bad = _unsatisfiable(table, base)
    if bad:
        names = ", ".join(c.name or c.sqltext for c, r in readings if bad in r.columns)
        model.unsatisfiable.append(f"no value of {bad} passes {names}")
    elif multi:
        base = _branches(table, base, multi, model)
    model.columns = base
    for check, reading in readings:
        if (why := _not_assured(table, reading, base)) is not None:
            model.unread.append(_unread(table, check, reading, why))
        else:
            model.modelled.append(check)
    return model


def _branches(
    table: DbTable,
    base: dict[str, ColumnFacts],
    multi: list[tuple[DbCheck, Clause]],
    model: CheckModel,
) -> dict[str, ColumnFacts]:
    """The ORs' groups chosen (model.branches, or why none holds); returns the row facts of
    each group's best branch together."""
    groups = []
    named: list[set[str]] = []
    for clauses in _components([c for _, c in multi]):
        names = {n for clause in clauses for alt in clause for n in alt}
        found = _choose(table, base, clauses)
        groups.append([{n: f for n, f in b.items() if n in names} for b in found])
        named.append(names)
    if not all(groups):
        listed = ", ".join(dict.fromkeys(c.name or c.sqltext for c, _ in multi))
        model.unsatisfiable.append(f"no alternative of {listed} holds with the others")
        return base
    for found in groups:  # disjoint columns: each group's best, together
        base = {**base, **found[0]}
    model.branches = [
        [{**{n: f for n, f in base.items() if n not in names}, **b} for b in found]
        for found, names in zip(groups, named, strict=True)
    ]
    return base


def _unread(table: DbTable, check: DbCheck, reading: CheckReading, why: str) -> UnreadCheck:
    by_lower = {c.name.lower(): c.name for c in table.columns}
    names = [by_lower[n.lower()] for n in reading.columns if n.lower() in by_lower]
    return UnreadCheck(check, check.name, check.sqltext, tuple(dict.fromkeys(names)), why)


def _not_assured(
    table: DbTable, reading: CheckReading, facts: Mapping[str, ColumnFacts]
) -> str | None:
    """Why the generators cannot promise this understood CHECK (None: they can). Free text
    asked to be both lower and upper case has no generator; the database then judges it."""
    for name in reading.columns:
        f = facts.get(name)
        if f is not None and _caseless_text(table, name, f):
            return f"{name}: both lower and upper case"
        if f is not None and (why := _unpromised_pattern(table, name, f)) is not None:
            return f"{name}: {why}"
    return None


def _unpromised_pattern(table: DbTable, name: str, f: ColumnFacts) -> str | None:
    """Why the pattern generator cannot promise a column's pattern facts (None: it can): it
    draws from the first pattern and filters by the rest, a NOT pattern, a minimum length."""
    col = table.column(name)
    if col is None or f.null is True or f.values is not None:
        return None
    if not (f.patterns or f.not_patterns):
        return None
    if col.type not in TEXT_TYPES:
        return "a text pattern on a column that is not text"
    if not f.patterns:
        return "a NOT pattern on free text"
    if len(f.patterns) > 1 or f.not_patterns or f.excluded or f.min_length or f.case or f.trimmed:
        return "a pattern filtered by other facts (the first pattern's matches are tried)"
    return None


def _unassured(table: DbTable, facts: Mapping[str, ColumnFacts]) -> int:
    return sum(
        _caseless_text(table, name, f) or _unpromised_pattern(table, name, f) is not None
        for name, f in facts.items()
    )


def _caseless_text(table: DbTable, name: str, f: ColumnFacts) -> bool:
    col = table.column(name)
    if col is None or f.null is True or f.values is not None or col.type not in TEXT_TYPES:
        return False
    return f.case == "both"


def _nullable(table: DbTable, name: str) -> bool:
    col = table.column(name)
    return col is None or (col.nullable and name not in table.primary_key)


def _unsatisfiable(table: DbTable, facts: Mapping[str, ColumnFacts]) -> str | None:
    for name, f in facts.items():
        if not f.satisfiable(_nullable(table, name)):
            return name
        col = table.column(name)
        text = col is not None and col.type in ("char", "varchar") and f.null is not True
        length = col.length if text and col is not None and f.allowed is None else None
        if length and any(p.shortest > length for p in f.patterns):
            return name  # the shortest match of a pattern does not fit the column
    return None


def _components(clauses: list[Clause]) -> list[list[Clause]]:
    """Clauses grouped by the columns they share (a clause joins every group naming one of its
    columns): each group's alternatives are chosen together, groups independently."""
    groups: list[tuple[set[str], list[Clause]]] = []
    for clause in clauses:
        names = {n for alt in clause for n in alt}
        joined = [g for g in groups if g[0] & names]
        merged = (names.union(*(g[0] for g in joined)), [c for g in joined for c in g[1]])
        merged[1].append(clause)
        groups = [g for g in groups if not g[0] & names] + [merged]
    return [sorted_clauses for _, sorted_clauses in groups]


def _choose(
    table: DbTable, base: dict[str, ColumnFacts], clauses: list[tuple[Alternative, ...]]
) -> list[dict[str, ColumnFacts]]:
    """The consistent combinations of one alternative per clause, best first (fewest facts left
    to the oracle, then fewest forced NULLs, then the earliest alternatives), at most
    MAX_BRANCHES of them and only as good as the best at what the generators promise: rows
    choose among them (TableFacts.branches), the first one is the table's facts."""
    sizes = [len(c) for c in clauses]
    total = 1
    for n in sizes:
        total *= n
    if total > MAX_COMBINATIONS:
        found = _greedy(table, base, clauses)
        return [found] if found is not None else []
    scored: list[tuple[tuple[int, int, tuple[int, ...]], dict[str, ColumnFacts]]] = []
    for picks in itertools.product(*(range(n) for n in sizes)):
        merged = dict(base)
        for clause, i in zip(clauses, picks, strict=True):
            merged = merge_alternative(merged, clause[i])
        if _unsatisfiable(table, merged) is not None:
            continue
        score = (_unassured(table, merged), sum(f.null is True for f in merged.values()), picks)
        scored.append((score, merged))
    scored.sort(key=lambda s: s[0])
    out: list[dict[str, ColumnFacts]] = []
    for score, merged in scored:
        if score[0] == scored[0][0][0] and merged not in out and len(out) < MAX_BRANCHES:
            out.append(merged)
    return out


def _greedy(
    table: DbTable, base: dict[str, ColumnFacts], clauses: list[tuple[Alternative, ...]]
) -> dict[str, ColumnFacts] | None:
    merged = dict(base)
    for clause in clauses:
        options = [merge_alternative(merged, alt) for alt in clause]
        options = [o for o in options if _unsatisfiable(table, o) is None]
        if not options:
            return None
        merged = min(options, key=lambda o: sum(f.null is True for f in o.values()))
    return merged


def check_facts(checks: tuple[DbCheck, ...]) -> tuple[dict[str, ColumnFacts], list[DbCheck]]:
    """Every CHECK merged into per-column facts (no table: no alternatives chosen by column
    nullability), and the CHECKs that were not understood."""
    model = check_model(DbTable("", checks=checks))
    return model.columns, [u.check for u in model.unread]


def unique_facts(table: DbTable, unique: DbUnique) -> UniqueFacts:
    names = {c.name for c in table.columns}
    inside = [c for e in unique.expressions for c in named_columns(e, names)]
    columns = tuple(dict.fromkeys([*unique.columns, *inside]))
    return UniqueFacts(unique, columns, bool(columns) and (not unique.expressions or bool(inside)))
