"""Constraint proofs by query: loaded tables -> FK and UNIQUE violations ('what: why' lines).

FKs on integer keys are proved by ranges when the parent's keys are contiguous (count = max -
min + 1 on a unique key, and every child value lies inside): three index lookups instead of a
join. Anything else is proved by an anti-join over the distinct child keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from seedspec.database.model import DbForeignKey, DbSchema, DbTable
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

if TYPE_CHECKING:
    from seedspec.dialects.base import Dialect

INTEGERS = ("smallint", "integer", "bigint")


def verify_foreign_keys(
    dialect: Dialect, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
) -> list[str]:
    out = []
    for name in tables:
        table = schema.table(name)
        for fk in table.foreign_keys if table else ():
            parent = schema.table(fk.ref_table)
            if table is None or parent is None:
                continue
            if not _proved_by_range(dialect, conn, table, parent, fk):
                out += dialect.fk_violations(conn, _only(schema, table, fk), [name])
    return out


def _only(schema: DbSchema, table: DbTable, fk: DbForeignKey) -> DbSchema:
    one = DbTable(table.name, table.schema, table.columns, table.primary_key, (fk,))
    parent = schema.table(fk.ref_table)
    return DbSchema(
        schema.dialect, (one,) if parent is None else (one, parent), schema.default_schema
    )


def _proved_by_range(
    dialect: Dialect, conn: sa.Connection, table: DbTable, parent: DbTable, fk: DbForeignKey
) -> bool:
    if len(fk.columns) != 1 or parent.primary_key != fk.ref_columns:
        return False
    col, ref = table.column(fk.columns[0]), parent.column(fk.ref_columns[0])
    if col is None or ref is None or col.type not in INTEGERS or ref.type not in INTEGERS:
        return False
    q = dialect.qualified
    r, c = dialect.quote(conn, ref.name), dialect.quote(conn, col.name)
    n, lo, hi = conn.exec_driver_sql(
        f"SELECT count(*), min({r}), max({r}) FROM {q(conn, parent)}"
    ).one()
    if n == 0 or hi - lo + 1 != n:  # the parent's (unique) keys are not one contiguous run
        return False
    child_lo, child_hi = conn.exec_driver_sql(
        f"SELECT min({c}), max({c}) FROM {q(conn, table)}"
    ).one()
    return child_lo is None or (lo <= child_lo and child_hi <= hi)


def verify_uniques(
    dialect: Dialect, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
) -> list[str]:
    """Secondary UNIQUE constraints and indexes (the primary key is always enforced)."""
    out = []
    for name in tables:
        table = schema.table(name)
        for unique in table.uniques if table else ():
            if not unique.columns or unique.expressions or unique.predicate or table is None:
                continue
            cols = ", ".join(dialect.quote(conn, c) for c in unique.columns)
            notnull = " AND ".join(f"{dialect.quote(conn, c)} IS NOT NULL" for c in unique.columns)
            dup = conn.exec_driver_sql(
                f"SELECT 1 FROM {dialect.qualified(conn, table)} WHERE {notnull} "
                f"GROUP BY {cols} HAVING count(*) > 1 LIMIT 1"
            ).first()
            if dup is not None:
                out.append(f"{name}: UNIQUE ({cols}) has duplicates")
    return out
