"""The resolved spec: the compiled unit -> every table's count and every column's generator, as
the compiler decided them (spec first, inference for the rest). `init` and `preview` read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from seedspec.compile.build import run_passes
from seedspec.compile.unit import Linked, Unit
from seedspec.database.model import DbColumn, DbSchema
from seedspec.plan.recipes import ExistingRows
from seedspec.spec.model import CountSpec, GeneratorSpec, Spec, TreeSpec


@dataclass(frozen=True)
class ResolvedColumn:
    name: str
    generator: GeneratorSpec | None  # None: not inserted (see note)
    origin: str  # "spec" | "inferred" | "foreign key" | "key" | "skipped" | "branched"
    note: str  # why: "varchar(40) NOT NULL; name looks like an email", "generated column" ...


@dataclass(frozen=True)
class ResolvedTable:
    name: str
    count: int  # rows the plan inserts
    count_spec: CountSpec | None  # as written in the spec (None: inferred)
    count_note: str
    tree: TreeSpec | None
    columns: tuple[ResolvedColumn, ...] = field(default_factory=tuple)


def resolve(
    spec: Spec,
    schema: DbSchema,
    scale: float | None = None,
    existing: Mapping[str, ExistingRows] | None = None,
) -> list[ResolvedTable]:
    """Compile without reconciling and report what was decided, in insert order."""
    compiled = run_passes(spec, schema, scale, existing=existing)
    return resolved_tables(compiled.unit, compiled.plan.tables)


def resolved_tables(unit: Unit, names: list[str]) -> list[ResolvedTable]:
    """The public view of passes `columns` .. `cap_counts`: one ResolvedTable per table."""
    return [_table(unit, unit.linked[name]) for name in names]


def _table(unit: Unit, t: Linked) -> ResolvedTable:
    columns = tuple(_column(unit, t, col) for col in t.table.columns)
    tree = t.spec.tree if t.spec else None
    if tree is None and unit.count(t.name):
        self_fk = next((link for link in t.links if link.fk.ref_table == t.name), None)
        if self_fk is not None:
            tree = TreeSpec(self_fk.fk.columns[0], 4)
    decision = unit.counts.get(t.name)
    return ResolvedTable(
        t.name,
        unit.count(t.name),
        t.spec.count if t.spec else None,
        decision.reason if decision else "",
        tree,
        tuple(c for c in columns if c is not None),
    )


def _column(unit: Unit, t: Linked, col: DbColumn) -> ResolvedColumn | None:
    what = f"{col.sql_type or col.type}{'' if col.nullable else ' NOT NULL'}"
    cols = unit.columns[t.name]
    link = t.fk_columns.get(col.name)
    if col.name in cols.skipped:
        return ResolvedColumn(col.name, None, "skipped", f"{what}; {cols.skipped[col.name]}")
    branching = cols.branching
    if branching and (col.name in branching.cases or col.name in branching.nulls):
        # one generator written out would pin every row to one alternative of the ORs
        note = f"{what}; follows each row's choice among its CHECK's OR alternatives"
        return ResolvedColumn(col.name, None, "branched", note)
    if link is not None:
        ref_col = link.fk.ref_columns[link.fk.columns.index(col.name)]
        parent = unit.ctx.schema.table(link.fk.ref_table)
        plain = parent is not None and parent.primary_key == (ref_col,)
        target = link.fk.ref_table if plain else f"{link.fk.ref_table}.{ref_col}"
        params = dict(link.spec.params) if link.spec else {}
        params.update(table=link.fk.ref_table, column=None if plain else ref_col)
        null = link.spec.null if link.spec else 0.0
        generator = GeneratorSpec("ref", params, null)
        return ResolvedColumn(col.name, generator, "foreign key", f"{what}; references {target}")
    if col.name in cols.specs:
        g = cols.specs[col.name]
        origin = "spec" if cols.notes.get(col.name) == "spec" else "inferred"
        note = cols.notes.get(col.name, "")
        return ResolvedColumn(col.name, g, origin, what if origin == "spec" else f"{what}; {note}")
    return None
