"""compile/tenants.py: which NOT NULL FK a self-reference or a cross reference is kept inside
(no database): a tenant by its column's or its table's name, never any other FK."""

from __future__ import annotations

from dataclasses import replace

from seedspec.compile.tenants import tenant_of
from seedspec.database.model import DbColumn, DbForeignKey, DbSchema, DbTable


def _schema(tenant_col: str, tenant_table: str) -> tuple[DbSchema, DbTable]:
    fks = (
        DbForeignKey(None, (tenant_col,), tenant_table, ("id",)),
        DbForeignKey(None, ("parent_id",), "node", ("id",)),
    )
    node = DbTable(
        "node",
        columns=(
            DbColumn("id", "integer", nullable=False),
            DbColumn(tenant_col, "integer", nullable=False),
            DbColumn("parent_id", "integer"),
        ),
        primary_key=("id",),
        foreign_keys=fks,
    )
    other = DbTable(tenant_table, columns=(DbColumn("id", "integer", nullable=False),))
    return DbSchema("sqlite", tables=(node, replace(other, primary_key=("id",)))), node


def test_a_tree_stays_in_its_tenant_only_when_it_reads_as_one() -> None:
    for column, table, expected in (
        ("org_id", "orgs", ("org_id", "org_id")),
        ("owner_ref", "workspaces", ("owner_ref", "owner_ref")),  # by its table's name
        ("ref0_id", "t0018", None),  # any other NOT NULL FK: not a tenant
        ("category_id", "categories", None),
    ):
        schema, node = _schema(column, table)
        found, problem = tenant_of(node, node.foreign_keys[1], None, schema)
        assert problem is None and found == expected, (column, table, found)
