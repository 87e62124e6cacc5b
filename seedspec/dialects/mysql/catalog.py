"""MySQL / MariaDB catalog queries: a connection + database names -> Catalog facts.

COLUMN_TYPE spellings, MariaDB's CHECK constraints (SQLAlchemy misses column-level ones), triggers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seedspec.database.catalog import Catalog, TableKey
from seedspec.database.model import DbCheck, DbTrigger
from seedspec.database.triggers import sql_writes
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

_COLUMNS = sa.text(
    "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE"
    " FROM information_schema.COLUMNS"
    " WHERE TABLE_SCHEMA IN :schemas"
).bindparams(sa.bindparam("schemas", expanding=True))
_FKS = sa.text(
    "SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME,"
    " k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME"
    " FROM information_schema.KEY_COLUMN_USAGE k"
    " WHERE k.TABLE_SCHEMA IN :schemas AND k.REFERENCED_TABLE_NAME IS NOT NULL"
    " ORDER BY 1, 2, 3, k.ORDINAL_POSITION"
).bindparams(sa.bindparam("schemas", expanding=True))
_MARIADB_CHECKS = sa.text(
    "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE"
    " FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN :schemas"
).bindparams(sa.bindparam("schemas", expanding=True))
_TRIGGERS = sa.text(
    "SELECT EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING,"
    " EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS"
    " WHERE EVENT_OBJECT_SCHEMA IN :schemas ORDER BY 1, 2, 3"
).bindparams(sa.bindparam("schemas", expanding=True))


def read_catalog(conn: sa.Connection, schemas: list[str]) -> Catalog:
    cat = Catalog()
    params = {"schemas": schemas}
    for db, table, column, typ, base in conn.execute(_COLUMNS, params):
        cat.sql_types[(db, table, column)] = str(typ)
        cat.base_types[(db, table, column)] = str(base).lower()
        if "`" in column:  # SQLAlchemy reads `a``b` from SHOW CREATE TABLE as "a``b"
            cat.names[column.replace("`", "``")] = column
    _backtick_fks(conn, params, cat)
    if getattr(conn.dialect, "is_mariadb", False):  # SQLAlchemy misses column-level CHECKs
        cat.checks = {}
        for db, table, name, clause in conn.execute(_MARIADB_CHECKS, params):
            cat.checks.setdefault((db, table), []).append(DbCheck(name, str(clause)))
    cat.triggers = _triggers(conn, params)
    return cat


def _backtick_fks(conn: sa.Connection, params: dict[str, list[str]], cat: Catalog) -> None:
    """FKs naming a backtick identifier, which SQLAlchemy's SHOW CREATE TABLE parser skips
    ("Unknown schema content"): read from information_schema instead."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for db, table, name, col, rdb, rtable, rcol in conn.execute(_FKS, params):
        fk = found.setdefault(
            (db, table, name),
            {"name": name, "columns": (), "ref": (rdb, rtable), "ref_columns": ()},
        )
        fk["columns"] += (col,)
        fk["ref_columns"] += (rcol,)
    for (db, table, name), fk in found.items():
        idents = (table, name, fk["ref"][1], *fk["columns"], *fk["ref_columns"])
        if any("`" in str(i) for i in idents):
            fk.update(deferrable=False, deferred=False)
            cat.declared_fks.setdefault((db, table), []).append(fk)


def _triggers(conn: sa.Connection, params: dict[str, list[str]]) -> dict[TableKey, list[DbTrigger]]:
    out: dict[TableKey, list[DbTrigger]] = {}
    for db, table, name, timing, event, body in conn.execute(_TRIGGERS, params):
        writes = sql_writes(body or "", "mysql")
        out.setdefault((db, table), []).append(
            DbTrigger(name, str(timing).upper(), (str(event).upper(),), writes.inserts, writes.sets)
        )
    return out
