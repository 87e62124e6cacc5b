"""FK links of a table: DbForeignKeys plus spec-only `ref` columns -> Link records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from seedspec.compile.tenants import tenant_of
from seedspec.database.model import DbForeignKey, DbSchema, DbTable
from seedspec.errors import Problem
from seedspec.spec.model import GeneratorSpec, Spec, TableSpec


@dataclass(frozen=True)
class Link:
    fk: DbForeignKey
    spec: GeneratorSpec | None  # the spec's `ref` for this FK's (first) column, if any
    nullable: bool
    # columns an earlier (wider) FK already fills, e.g. tenant_id of (tenant_id, product_id)
    # next to (tenant_id, customer_id): this FK then picks a parent that matches them
    shared: tuple[str, ...] = ()
    # (this row's tenant column, the parent's): the parent shares its value (compile/tenants.py)
    within: tuple[str, str] | None = None

    @property
    def id(self) -> str:
        return f"{self.fk.name or '+'.join(self.fk.columns)}"


def table_links(
    table: DbTable, tspec: TableSpec | None, schema: DbSchema
) -> tuple[list[Link], list[Problem]]:
    links: list[Link] = []
    problems: list[Problem] = []
    covered: set[str] = set()

    # widest first: (tenant_id, customer_id) before the tenant_id FK it implies; a
    # self-reference last, so it never fills a column it shares ((tenant_id, parent_id) ->
    # node (tenant_id, id): tenant_id comes from the tenant FK, the parent from the same tenant)
    def order(f: DbForeignKey) -> tuple[bool, int, str, tuple[str, ...]]:
        return (f.ref_table == table.name, -len(f.columns), f.name or "", f.columns)

    for fk in sorted(table.foreign_keys, key=order):
        if set(fk.columns) <= covered:
            continue  # implied by a wider FK whose parent carries the same reference
        shared = tuple(c for c in fk.columns if c in covered)
        gspec = None
        picked = False
        if tspec is not None:
            for name in fk.columns:
                cs = tspec.column(name)
                if cs is None:
                    continue
                if cs.generator.kind == "ref":
                    gspec = cs.generator
                elif cs.generator.kind in ("existing", "sql") and len(fk.columns) == 1:
                    # existing: a value column picking rows already there (no link to seed);
                    # sql: reported by pass `steps` (compile/passes/hatches.py)
                    if cs.generator.kind == "existing":
                        picked = True
                elif cs.generator.kind != "default":
                    problems.append(
                        Problem(
                            f"{table.name}.{name} is a foreign key to {fk.ref_table}; give it "
                            f"`ref: {fk.ref_table}` or leave it out to have it inferred",
                            cs.location,
                        )
                    )
        if picked:
            covered.update(fk.columns)
            continue
        nullable = all((c := table.column(n)) is not None and c.nullable for n in fk.columns)
        within, problem = (None, None) if shared else tenant_of(table, fk, gspec, schema)
        problems += [problem] if problem is not None else []
        links.append(Link(fk, gspec, nullable, shared, within))
        covered.update(fk.columns)
    if tspec is not None:
        spec_links, spec_problems = _spec_links(table, tspec, schema, covered)
        links += spec_links
        problems += spec_problems
    return links, problems


def _spec_links(
    table: DbTable, tspec: TableSpec, schema: DbSchema, covered: set[str]
) -> tuple[list[Link], list[Problem]]:
    """Links of spec-only `ref` columns (no FK in the schema)."""
    links: list[Link] = []
    problems: list[Problem] = []
    for cs in tspec.columns:
        if cs.generator.kind != "ref" or cs.name in covered:
            continue
        parent_name = cs.generator.params["table"]
        parent = schema.table(parent_name)
        if parent is None:
            continue  # reported by the name checks
        ref_col = cs.generator.params.get("column")
        if ref_col is None:
            if len(parent.primary_key) != 1:
                problems.append(
                    Problem(
                        f"ref: {parent_name} has no single-column primary key; "
                        f"write `ref: {parent_name}.COLUMN`",
                        cs.location,
                    )
                )
                continue
            ref_col = parent.primary_key[0]
        fk = DbForeignKey(None, (cs.name,), parent_name, (ref_col,))
        col = table.column(cs.name)
        links.append(Link(fk, cs.generator, bool(col and col.nullable)))
        covered.add(cs.name)
    return links, problems


def left_alone_parents(
    spec: Spec, schema: DbSchema, left_alone: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Left-alone tables a seeded table's FK (or spec `ref`) points at -> the columns those
    links reference (what execute must read from their existing rows), in schema order."""
    wanted: dict[str, list[str]] = {}
    for table in schema.tables:
        if table.name in left_alone:
            continue
        found, _ = table_links(table, spec.table(table.name), schema)
        for link in found:
            if link.fk.ref_table in left_alone and link.fk.ref_table != table.name:
                cols = wanted.setdefault(link.fk.ref_table, [])
                cols += [c for c in link.fk.ref_columns if c not in cols]
    order = [*(t.name for t in schema.tables), *sorted(wanted)]  # outside targets last
    return {name: tuple(wanted[name]) for name in dict.fromkeys(order) if name in wanted}
