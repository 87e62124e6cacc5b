"""PostgreSQL bulk path: seeded tables -> constraints and indexes set aside, then restored.

Set aside for the load and restored afterwards (the pg_restore order), all inside the one apply
transaction.

Restored exactly as defined (same names, definitions, deferrability, validity, comments); a
failure anywhere rolls the whole transaction back, so nothing is ever left disabled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

_CONSTRAINTS = """
SELECT con.oid, con.contype, con.conname, con.conrelid::regclass::text,
       pg_catalog.pg_get_constraintdef(con.oid),
       pg_catalog.obj_description(con.oid, 'pg_constraint')
FROM pg_catalog.pg_constraint con
WHERE (con.conrelid = ANY(CAST(:tables AS regclass[])) AND con.contype IN ('p', 'u', 'x', 'c', 'f')
       OR (con.contype = 'f' AND con.confrelid = ANY(CAST(:tables AS regclass[]))))
  -- a partition's copy of its parent's FK goes and comes back with the parent's own
  AND con.conparentid = 0
ORDER BY con.oid
"""
_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_catalog.pg_get_indexdef(i.indexrelid),
       pg_catalog.obj_description(i.indexrelid, 'pg_class')
FROM pg_catalog.pg_index i
WHERE i.indrelid = ANY(CAST(:tables AS regclass[]))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid
                  AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.indexrelid
"""
_ELIGIBLE = """
SELECT c.oid::regclass::text, c.relkind, pg_catalog.pg_has_role(c.relowner, 'USAGE'),
       c.relreplident
FROM pg_catalog.pg_class c WHERE c.oid = ANY(CAST(:tables AS regclass[]))
"""


@dataclass
class SetAside:
    """What was dropped for the load, in the order it comes back."""

    keys: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # p/u/x
    indexes: list[tuple[str, str, str | None]] = field(default_factory=list)
    checks: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    foreign_keys: list[tuple[str, str, str, str | None]] = field(default_factory=list)


def bulk_blocker(conn: sa.Connection, tables: list[str]) -> str | None:
    """Why the bulk path cannot be used on these tables (None: it can)."""
    rows = conn.execute(sa.text(_ELIGIBLE), {"tables": tables}).all()
    for name, kind, owner, replident in rows:
        if kind != "r":
            return f"{name} is partitioned (its partitions carry their own indexes)"
        if not owner:
            return f"the role may not alter {name} (not its owner)"
        if replident == "i":
            return f"{name} uses an index as REPLICA IDENTITY"
    return _lock_budget(conn, tables)


_LOCKS = """
SELECT (SELECT count(*) FROM pg_catalog.pg_index
        WHERE indrelid = ANY(CAST(:tables AS regclass[])))
     + (SELECT count(*) FROM pg_catalog.pg_constraint
        WHERE conrelid = ANY(CAST(:tables AS regclass[]))
           OR confrelid = ANY(CAST(:tables AS regclass[])))
     + cardinality(CAST(:tables AS regclass[])),
       current_setting('max_locks_per_transaction')::int
     * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)
"""


def _lock_budget(conn: sa.Connection, tables: list[str]) -> str | None:
    """Each table, index and constraint set aside is locked until commit: stay well inside the
    server's shared lock table (other sessions need it too)."""
    objects, capacity = conn.execute(sa.text(_LOCKS), {"tables": tables}).one()
    if objects * 2 > capacity // 2:
        return (
            f"setting aside {objects} indexes and constraints would need more locks than "
            f"the server's lock table safely holds ({capacity}; max_locks_per_transaction)"
        )
    return None


def set_aside(conn: sa.Connection, tables: list[str]) -> SetAside:
    saved = SetAside()
    for _oid, kind, name, table, definition, comment in conn.execute(
        sa.text(_CONSTRAINTS), {"tables": tables}
    ):
        entry = (table, name, definition, comment)
        {"f": saved.foreign_keys, "c": saved.checks}.get(kind, saved.keys).append(entry)
    for index, definition, comment in conn.execute(sa.text(_INDEXES), {"tables": tables}):
        saved.indexes.append((index, definition, comment))
    for table, name, _d, _c in saved.foreign_keys + saved.checks + saved.keys:
        _exec(conn, f"ALTER TABLE {table} DROP CONSTRAINT {_q(conn, name)}")
    for index, _d, _c in saved.indexes:
        _exec(conn, f"DROP INDEX {index}")
    return saved


def restore_keys(conn: sa.Connection, saved: SetAside) -> None:
    """Primary keys, UNIQUE and EXCLUDE constraints, then plain indexes: built once, in bulk."""
    for table, name, definition, comment in saved.keys:
        _add(conn, table, name, definition, comment)
    for index, definition, comment in saved.indexes:
        _exec(conn, definition)
        if comment is not None:
            _exec(conn, f"COMMENT ON INDEX {index} IS {_literal(conn, comment)}")


def restore_checks_and_foreign_keys(conn: sa.Connection, saved: SetAside) -> None:
    """Each CHECK and FK validated in one pass over its table (an anti-join for FKs)."""
    for table, name, definition, comment in saved.checks + saved.foreign_keys:
        _add(conn, table, name, definition, comment)


def _add(conn: sa.Connection, table: str, name: str, definition: str, comment: str | None) -> None:
    _exec(conn, f"ALTER TABLE {table} ADD CONSTRAINT {_q(conn, name)} {definition}")
    if comment is not None:
        name, text = _q(conn, name), _literal(conn, comment)
        _exec(conn, f"COMMENT ON CONSTRAINT {name} ON {table} IS {text}")


def _exec(conn: sa.Connection, sql: str) -> None:
    """DDL text as is (no parameter parsing: definitions may contain %)."""
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(sql)
    finally:
        cur.close()


def _literal(conn: sa.Connection, text: str) -> str:
    """A string literal as psycopg quotes it for this connection (its escaping settings)."""
    from psycopg import sql

    raw: Any = conn.connection.dbapi_connection
    return sql.Literal(text).as_string(raw)


def _q(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)
