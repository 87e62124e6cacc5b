"""Tenant-consistent references: one FK of a table (+ the spec's `within:`) -> the tenant column
its parent row must share (employees.manager_id within org_id), or None, or a located Problem.

A tenant column is found when the child and the referenced table both have a single-column FK
to the same parent table and column (employees.org_id -> orgs.id on both sides for a
self-reference; tasks.org_id and users.org_id -> orgs.id for tasks.assignee_id -> users).
Composite FKs that carry the tenant ((tenant_id, parent_id) -> (tenant_id, id)) are handled by
the links' shared columns instead.
"""

from __future__ import annotations

from seedspec.database.model import DbForeignKey, DbSchema, DbTable
from seedspec.errors import Problem
from seedspec.spec.model import GeneratorSpec

# when several columns qualify, the first of these names wins; none of them: no inference
TENANT_NAMES = (
    "tenant_id",
    "org_id",
    "organization_id",
    "organisation_id",
    "account_id",
    "company_id",
    "workspace_id",
    "team_id",
    "project_id",
)

TENANT_TABLES = {  # a referenced table's name, singular, that makes its FK a tenant
    "tenant", "org", "organization", "organisation", "account", "company", "companie",
    "workspace", "team", "project",
}  # fmt: skip


def _single(table: DbTable) -> dict[str, DbForeignKey]:
    """The table's single-column FKs by column (the first one of a column)."""
    out: dict[str, DbForeignKey] = {}
    for fk in table.foreign_keys:
        if len(fk.columns) == 1:
            out.setdefault(fk.columns[0], fk)
    return out


def _partner(child: dict[str, DbForeignKey], parent: DbTable, column: str) -> str | None:
    """The parent's column that references what the child's `column` references (same name
    first), or None."""
    mine = child.get(column)
    if mine is None:
        return column if parent.column(column) is not None else None
    theirs = _single(parent)
    same = theirs.get(column)
    if same is not None and (same.ref_table, same.ref_columns) == (
        mine.ref_table,
        mine.ref_columns,
    ):
        return column
    matching = [
        col
        for col, fk in theirs.items()
        if (fk.ref_table, fk.ref_columns) == (mine.ref_table, mine.ref_columns)
    ]
    # two FKs of the parent to that table (a pair: lo/hi, from/to) are not a tenant: ambiguous
    return matching[0] if len(matching) == 1 else None


def tenant_of(
    table: DbTable, fk: DbForeignKey, spec: GeneratorSpec | None, schema: DbSchema
) -> tuple[tuple[str, str] | None, Problem | None]:
    """(this row's tenant column, the parent's column it must equal) for one FK, or None."""
    within = spec.params.get("within") if spec is not None else None
    parent = schema.table(fk.ref_table)
    if within is False or parent is None or len(fk.columns) != 1:
        return None, None
    child = _single(table)
    if isinstance(within, str):
        return _written(table, fk, within, child, parent, spec)
    if spec is not None and spec.params.get("where"):
        return None, None
    found = [f for f in _candidates(table, fk, child, parent) if _tenantish(f[0], child)]
    if len(found) > 1:
        named = [f for f in found if f[0].lower() in TENANT_NAMES]
        named.sort(key=lambda f: TENANT_NAMES.index(f[0].lower()))
        found = named[:1]
    return (found[0] if found else None), None


def _tenantish(column: str, child: dict[str, DbForeignKey]) -> bool:
    """Whether an FK column reads as a tenant: by its name (org_id ...) or its table's (orgs,
    tenants, accounts ...). Any other NOT NULL FK (t.ref0_id) is not inferred as one: a tree
    kept inside it would be all roots wherever its groups are small."""
    if column.lower() in TENANT_NAMES:
        return True
    target = child[column].ref_table.rsplit(".", 1)[-1].lower().rstrip("s")
    return target in TENANT_TABLES


def _candidates(
    table: DbTable, fk: DbForeignKey, child: dict[str, DbForeignKey], parent: DbTable
) -> list[tuple[str, str]]:
    """(child column, parent column) of every NOT NULL tenant FK both sides share."""
    found = []
    for col, other in child.items():
        if col == fk.columns[0] or other.ref_table in (table.name, fk.ref_table):
            continue
        theirs = _partner(child, parent, col)
        mine_col, their_col = table.column(col), parent.column(theirs or "")
        if theirs is None or mine_col is None or their_col is None:
            continue
        if not (mine_col.nullable or their_col.nullable):
            found.append((col, theirs))
    return found


def _written(
    table: DbTable,
    fk: DbForeignKey,
    within: str,
    child: dict[str, DbForeignKey],
    parent: DbTable,
    spec: GeneratorSpec | None,
) -> tuple[tuple[str, str] | None, Problem | None]:
    """The spec's `within: COLUMN`: a column of this table the parent has a partner of."""
    where = f"{table.name}.{fk.columns[0]}"
    location = spec.location if spec is not None else None
    if table.column(within) is None:
        problem = Problem(
            f"{where}: within: {within!r} is not a column of {table.name!r}",
            location,
            code="within",
            table=table.name,
            fix=f"name a column of {table.name!r} (its tenant FK, e.g. org_id)",
        )
        return None, problem
    theirs = _partner(child, parent, within)
    if theirs is None:
        problem = Problem(
            f"{where}: within: {parent.name!r} has no column {within!r} nor an FK to the "
            f"table {table.name}.{within} references, so its rows have no tenant to match",
            location,
            code="within",
            table=table.name,
            fix=f"name a column both {table.name!r} and {parent.name!r} have, or drop `within:`",
        )
        return None, problem
    return (within, theirs), None
