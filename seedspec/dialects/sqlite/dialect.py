"""SQLite dialect: connection + tables -> catalog facts, MetaData rules, loaded rows.

Pragmas and explicit transactions; executemany in one transaction, FK checks deferred to commit
and verified before it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.dialects.sqlite.base import SQLiteDialect

from seedspec.database.catalog import Catalog, DdlColumn, TableKey
from seedspec.database.model import DbColumn, DbTable
from seedspec.database.reflect_types import TypeFacts, classify
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect, iso_value
from seedspec.dialects.capabilities import capabilities_for
from seedspec.dialects.endpoints import Endpoint
from seedspec.dialects.sqlite import catalog
from seedspec.errors import ApplyError

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL
else:
    sa = deferred("sqlalchemy")

_FOREVER_MS = 2**31 - 1
_DEFAULT_BUSY_MS = 5000  # pysqlite's own default (timeout=5.0)


class SqliteDialect(Dialect):
    name = "sqlite"
    test_copies = "file_copy"  # the pytest plugin's per-test copy (testing/copies.py)
    placeholder = "?"
    capabilities = capabilities_for("sqlite")
    default_schema = "main"
    primary_key_nullable = False  # SQLite lets a PK column be NULL; a seed must never rely on it

    def endpoints(self, url: URL, environ: Mapping[str, str]) -> list[Endpoint]:
        return [Endpoint("file", url.database or ":memory:")]

    def setup_engine(self, engine: sa.Engine, schema: str | None) -> None:
        """pysqlite's own transaction handling is off; we emit BEGIN ourselves (SQLAlchemy
        recipe), and foreign keys are enforced."""

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # the apply's own: the write lock taken now, waited for up to the busy timeout
            immediate = conn.info.pop("seedspec_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    def missing_database(self, url: sa.URL) -> str | None:
        """sqlite3 creates a missing file on connect: plan/check would leave an empty one."""
        path = url.database or ""
        if path in ("", ":memory:") or path.startswith("file:") or os.path.exists(path):
            return None
        return f"the SQLite database {path} does not exist (connecting would create it empty)"

    # -- reflection ----------------------------------------------------------------------
    def read_catalog(self, conn: sa.Connection, schemas: list[str]) -> Catalog:
        return catalog.read_catalog(conn, schemas)

    def implicit_identity(
        self, col: dict[str, Any], table: TableKey, primary_key: tuple[str, ...], catalog: Catalog
    ) -> str | None:
        rowid = primary_key == (str(col["name"]),) and table in catalog.rowid_tables
        return "rowid" if rowid else None

    # -- MetaData ------------------------------------------------------------------------
    def metadata_dialect(self) -> sa.engine.Dialect:
        return SQLiteDialect()

    def script(self) -> Any:
        from seedspec.dialects.sqlite.script import SqliteScript

        return SqliteScript(SQLiteDialect(paramstyle="named"))

    def declared_type_facts(self, sa_dialect: Any, compiled: str) -> TypeFacts:
        # exactly what reflection does with the declared type text
        return classify(sa_dialect._resolve_type_affinity(compiled))

    def metadata_column(self, col: DdlColumn) -> DdlColumn:
        if (
            col.primary_key == (col.column.name,)
            and (col.compiled or "").strip().upper() == "INTEGER"
            and col.table.dialect_options["sqlite"]["with_rowid"] is not False
        ):
            return replace(col, identity="rowid", decided=True)  # INTEGER PRIMARY KEY is the rowid
        return col

    # -- loading -------------------------------------------------------------------------

    def oracle_passes(self, check_sql: str) -> str:
        # SQLite's CHECK casts its result to NUMERIC and fails on 0 only ('abc' fails too)
        return f"(CAST(({check_sql}) AS NUMERIC) IS NOT 0)"

    def bound_waits(self, conn: sa.Connection, seconds: float) -> None:
        """The busy timeout bounds every wait for the file's lock; the apply's BEGIN IMMEDIATE
        takes the write lock first, so two applies never interleave."""
        ms = _FOREVER_MS if seconds <= 0 else max(1, int(round(seconds * 1000)))
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {ms}")
        conn.info["seedspec_immediate"] = True

    def bound_reads(self, engine: sa.Engine, seconds: float) -> None:
        ms = _FOREVER_MS if seconds <= 0 else max(1, int(round(seconds * 1000)))

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {ms}")
            cur.close()

    def unbound_waits(self, conn: sa.Connection) -> None:
        conn.info.pop("seedspec_immediate", None)
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {_DEFAULT_BUSY_MS}")

    def is_lock_timeout(self, err: BaseException) -> bool:
        orig = getattr(err, "orig", err)
        return getattr(orig, "sqlite_errorname", "").startswith("SQLITE_BUSY")

    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        # Cycles and self-references load in any order; checked at COMMIT and by us before it.
        self.execute_raw(conn, "PRAGMA defer_foreign_keys = ON")

    def suspend_shard_fks(self, conn: sa.Connection, in_transaction: bool) -> None:
        if not in_transaction:  # a no-op inside a transaction: before BEGIN
            self.execute_raw(conn, "PRAGMA foreign_keys = OFF")

    def resume_shard_fks(self, conn: sa.Connection) -> None:
        self.execute_raw(conn, "PRAGMA foreign_keys = ON")

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        cur = self.raw(conn).cursor()
        try:
            bad = cur.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            cur.close()
        if bad:
            tables = sorted({str(r[0]) for r in bad})
            raise ApplyError(f"{len(bad)} rows violate foreign keys in {', '.join(tables)}")
        # from here (after: statements) each statement is checked as it runs, as elsewhere
        self.execute_raw(conn, "PRAGMA defer_foreign_keys = OFF")

    def clear(
        self, conn: sa.Connection, children_first: Sequence[DbTable], referenced: bool = False
    ) -> None:
        self.execute_raw(conn, "PRAGMA defer_foreign_keys = ON")  # cycles among them, too
        super().clear(conn, children_first, referenced)

    def roll_back_driver(self, conn: sa.Connection) -> None:
        raw = self.raw(conn)
        if raw.in_transaction:  # a COMMIT that failed on a deferred FK leaves it open
            raw.rollback()

    def join_transaction(self, conn: sa.Connection) -> None:
        raw = self.raw(conn)
        if conn.in_transaction() and not raw.in_transaction:  # pysqlite waits for a write
            raw.execute("BEGIN")

    def transaction_lost(self, conn: sa.Connection, marker: Any) -> bool:
        return not self.raw(conn).in_transaction

    def adapter(self, values: list[Any], column: DbColumn | None) -> Callable[[Any], Any] | None:
        # every value, not a sample: a column whose rows follow CHECK branches may mix an
        # IN list's 0 with a decimal generator's Decimal
        if all(v is None or isinstance(v, (int, float, str, bytes)) for v in values):
            return None
        return iso_value
