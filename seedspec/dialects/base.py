"""Dialect base: a database family -> its reflection hooks, MetaData rules, setup and loading.

The generic behaviour loads through the DBAPI cursor (executemany); each database's subclass in
``seedspec/dialects/<name>/`` overrides what differs."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.database.catalog import Catalog, DdlColumn, TableKey
from seedspec.database.model import DbCheck, DbColumn, DbSchema, DbTable
from seedspec.database.reflect_types import DomainChecks, TypeFacts
from seedspec.deferred import deferred
from seedspec.dialects import endpoints
from seedspec.dialects.capabilities import Capabilities, capabilities_for
from seedspec.dialects.endpoints import Endpoint
from seedspec.dialects.sharding import ShardHooks

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL
else:
    sa = deferred("sqlalchemy")


@dataclass(frozen=True)
class Counter:
    """One key counter a rollback does not undo: its table, its name, its saved state."""

    table: str
    name: str
    state: tuple[Any, ...]


class Dialect(ShardHooks):
    """One database family. Subclasses live in ``seedspec/dialects/<name>/``; the registry maps
    SQLAlchemy dialect names to them. The generic class serves any other SQLAlchemy dialect."""

    name = "generic"
    # how the pytest plugin copies a seeded template per test: template_database (CREATE
    # DATABASE ... TEMPLATE), file_copy, transaction (rolled back after the test), "" (none)
    test_copies = ""
    placeholder = "%s"
    schema: DbSchema | None = None  # the reflected schema of the current apply
    capabilities: Capabilities = capabilities_for("generic")

    # -- connection setup ------------------------------------------------------------
    url_schemes: dict[str, str] = {}  # URL scheme -> SQLAlchemy driver name to use
    drivers: dict[str, str] = {}  # DBAPI module -> the pip extra that installs it
    connect_args: dict[str, object] = {}

    def setup_engine(self, engine: sa.Engine, schema: str | None) -> None:
        """Per-connection settings (event listeners) for engines seedspec creates."""

    def endpoints(self, url: URL, environ: Mapping[str, str]) -> list[Endpoint]:
        """Where a connection for this URL would go (the production guard asks; no I/O)."""
        return endpoints.generic(url)

    def connect_for_load(self, engine: sa.Engine) -> sa.Connection:
        """The apply's own connection (MySQL: the only one allowed LOCAL INFILE)."""
        return engine.connect()

    def missing_database(self, url: sa.URL) -> str | None:
        """Why this URL names no database that exists yet, when connecting would create one
        (None: connect and let the server say)."""
        return None

    # -- reflection (seedspec.database.reflect asks; the defaults change nothing) -----
    default_schema: str | None = None  # the schema a fresh database puts tables in
    primary_key_nullable = True  # False: a PK column is NOT NULL even if the catalog says not

    def read_catalog(self, conn: sa.Connection, schemas: list[str]) -> Catalog:
        """The facts the inspector does not give, read in bulk for ``schemas``."""
        return Catalog()

    def user_schemas(self, conn: sa.Connection) -> list[str]:
        """Every schema that is not the database's own ([] where schemas are databases)."""
        return []

    def domain_checks(self, conn: sa.Connection) -> DomainChecks:
        """(schema or None when visible, domain) -> [(constraint, CHECK body)]."""
        return {}

    def column_default(self, default: str) -> str:
        """A reflected server default, as a seed may rely on it."""
        return default

    def column_kind(self, kind: str, column: str, checks: list[DbCheck]) -> str:
        """The type kind of a reflected column, given its table's CHECKs."""
        return kind

    def implicit_identity(
        self, col: dict[str, Any], table: TableKey, primary_key: tuple[str, ...], catalog: Catalog
    ) -> str | None:
        """An identity the column has without IDENTITY or a nextval() default."""
        return None

    # -- MetaData (offline prediction of what reflection would return) ------------------
    fks_keep_deferrable = False  # whether reflection reports DEFERRABLE / INITIALLY DEFERRED
    unique_index_is_constraint = False  # a unique index is reflected as a unique constraint

    def metadata_dialect(self) -> sa.engine.Dialect | None:
        """A driver-less SQLAlchemy dialect whose DDL compiler predicts create_all (None: none)."""
        return None

    def declared_type_facts(self, sa_dialect: Any, compiled: str) -> TypeFacts | None:
        """Type facts read from the declared type text, when reflection reads them that way."""
        return None

    def metadata_type_facts(self, facts: TypeFacts, compiled: str | None) -> TypeFacts:
        """Adjust classified type facts to what this database stores."""
        return facts

    def metadata_column(self, col: DdlColumn) -> DdlColumn:
        """Identity, default and nullability as this database creates the column."""
        return col

    # -- naming --------------------------------------------------------------------
    def quote(self, conn: sa.Connection, ident: str) -> str:
        return conn.dialect.identifier_preparer.quote(ident)

    def qualified(self, conn: sa.Connection, table: DbTable) -> str:
        name = self.quote(conn, table.bare_name)
        return f"{self.quote(conn, table.schema)}.{name}" if table.schema else name

    # -- session -------------------------------------------------------------------
    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        """Session settings inside the apply transaction."""

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        """Undo session settings before commit (and check what the database deferred)."""

    def raw(self, conn: sa.Connection) -> Any:
        return conn.connection.dbapi_connection

    def execute_raw(self, conn: sa.Connection, sql: str) -> None:
        cur = self.raw(conn).cursor()
        try:
            cur.execute(sql)
        finally:
            cur.close()

    # -- bulk path -------------------------------------------------------------------
    def bulk_blocker(self, conn: sa.Connection, tables: Sequence[DbTable]) -> str | None:
        """Why the bulk path is not available here (None: it is)."""
        return f"{self.name} loads with its constraints in place"

    def start_bulk(self, conn: sa.Connection, tables: Sequence[DbTable]) -> Any:
        return None

    def end_inserts(self, conn: sa.Connection, state: Any) -> None:
        """After the last row is loaded (keys back, so UPDATE fills can find rows)."""

    def end_bulk(self, conn: sa.Connection, state: Any) -> None:
        """Before commit: everything restored and validated."""

    # -- checks ----------------------------------------------------------------------
    def nonempty_tables(self, conn: sa.Connection, tables: Sequence[DbTable]) -> list[str]:
        out = []
        for t in tables:
            row = conn.exec_driver_sql(f"SELECT 1 FROM {self.qualified(conn, t)} LIMIT 1").first()
            if row is not None:
                out.append(t.name)
        return out

    def existing_rows(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], limit: int
    ) -> list[tuple[Any, ...]]:
        """Distinct non-NULL values of `columns` in rows already in `table`, in their order,
        at most `limit` (the parents children of a left-alone table pick among)."""
        cols = ", ".join(self.quote(conn, c) for c in columns)
        where = " AND ".join(f"{self.quote(conn, c)} IS NOT NULL" for c in columns)
        sql = (
            f"SELECT DISTINCT {cols} FROM {self.qualified(conn, table)} WHERE {where} "
            f"ORDER BY {cols} LIMIT {int(limit)}"
        )
        return [tuple(row) for row in conn.exec_driver_sql(sql)]

    def clear(
        self, conn: sa.Connection, children_first: Sequence[DbTable], referenced: bool = False
    ) -> None:
        """Empty these tables, children first, in the transaction; `referenced`: a table that
        is not cleared references one of them (so no TRUNCATE where that matters)."""
        for t in children_first:
            conn.exec_driver_sql(f"DELETE FROM {self.qualified(conn, t)}")

    # -- the CHECK oracle (seedspec/execute/oracle.py) ---------------------------------
    oracle_int_type = "BIGINT"  # the type CAST gives the (row, attempt) columns

    def oracle_create(
        self,
        conn: sa.Connection,
        table: DbTable,
        name: str,
        columns: Sequence[str],
        extra: Sequence[str],
    ) -> None:
        """A temporary table `name` with these columns of `table` (same types) and the integer
        columns `extra`, empty, created without committing."""
        items = [self.oracle_column(conn, table, c) for c in columns]
        items += [f"CAST(0 AS {self.oracle_int_type}) AS {self.quote(conn, e)}" for e in extra]
        self.execute_raw(
            conn,
            f"CREATE TEMPORARY TABLE {self.quote(conn, name)} AS SELECT {', '.join(items)} "
            f"FROM {self.qualified(conn, table)} WHERE 1 = 0",
        )

    def oracle_column(self, conn: sa.Connection, table: DbTable, column: str) -> str:
        """The select-list item that gives the temporary table this column's type."""
        return self.quote(conn, column)

    def oracle_drop(self, conn: sa.Connection, name: str) -> None:
        self.execute_raw(conn, f"DROP TABLE IF EXISTS {self.quote(conn, name)}")

    def oracle_passes(self, check_sql: str) -> str:
        """A condition true when a row passes this CHECK (NULL passes, as in a CHECK)."""
        return f"(({check_sql}) IS NOT FALSE)"

    # -- loading ---------------------------------------------------------------------
    def adapter(self, values: list[Any], column: DbColumn | None) -> Callable[[Any], Any] | None:
        """A per-value conversion for this column, or None when the driver takes them as is."""
        sample = next((v for v in values if v is not None), None)
        if isinstance(sample, (dict, list)) and (column is None or column.type != "array"):
            return _json_value
        return None

    def prepare(self, table: DbTable, columns: Sequence[str], arrays: list[Any]) -> Any:
        """Encode one generated chunk for loading (runs in the generator thread)."""
        from seedspec.generate.values import to_python

        return self.adapt_columns(table, columns, [to_python(a) for a in arrays])

    def export_values(
        self, table: DbTable, columns: Sequence[str], arrays: list[Any]
    ) -> list[list[Any]]:
        """One chunk's values as the INSERT path hands them to the driver (`seedspec export`)."""
        values: list[list[Any]] = Dialect.prepare(self, table, columns, arrays)
        return values

    def script(self) -> Any:
        """How an exported seed.sql writes rows for this database (dialects/script.py)."""
        from seedspec.dialects.script import Script

        return Script(sa.engine.default.DefaultDialect(paramstyle="named"))

    def load(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], payload: Any
    ) -> None:
        """Load one prepared chunk (runs in the connection's thread)."""
        self.insert(conn, table, columns, payload)

    def insert(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], cols: list[list[Any]]
    ) -> None:
        cols = self.adapt_columns(table, columns, cols)
        names = ", ".join(self.quote(conn, c) for c in columns)
        marks = ", ".join([self.placeholder] * len(columns))
        sql = f"INSERT INTO {self.qualified(conn, table)} ({names}) VALUES ({marks})"
        cur = self.raw(conn).cursor()
        try:
            cur.executemany(sql, list(zip(*cols, strict=True)))
        finally:
            cur.close()

    def adapt_columns(
        self, table: DbTable, columns: Sequence[str], cols: list[list[Any]]
    ) -> list[list[Any]]:
        out = []
        for name, values in zip(columns, cols, strict=True):
            fn = self.adapter(values, table.column(name))
            out.append(values if fn is None else [None if v is None else fn(v) for v in values])
        return out

    def update(
        self,
        conn: sa.Connection,
        table: DbTable,
        key_columns: Sequence[str],
        columns: Sequence[str],
        cols: list[list[Any]],
    ) -> None:
        """cols: key columns' values then the filled columns' values."""
        cols = self.adapt_columns(table, [*key_columns, *columns], cols)
        sets = ", ".join(f"{self.quote(conn, c)} = {self.placeholder}" for c in columns)
        where = " AND ".join(f"{self.quote(conn, c)} = {self.placeholder}" for c in key_columns)
        sql = f"UPDATE {self.qualified(conn, table)} SET {sets} WHERE {where}"
        nk = len(key_columns)
        rows = [(*row[nk:], *row[:nk]) for row in zip(*cols, strict=True)]
        cur = self.raw(conn).cursor()
        try:
            cur.executemany(sql, rows)
        finally:
            cur.close()

    def reset_sequences(self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]) -> int:
        return 0

    # -- what a rollback does not undo, and the transaction's state (execute/atomic.py) ----
    def read_counters(
        self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
    ) -> list[Counter]:
        """The key counters of these tables that a rollback would not restore (PostgreSQL
        sequences, MariaDB AUTO_INCREMENT), as they are before the apply moves them."""
        return []

    def restore_counter(self, conn: sa.Connection, counter: Counter) -> bool:
        """After the rollback: put the counter back where it was (False: it was already)."""
        return False

    def protect_counters(self, conn: sa.Connection, counters: Sequence[Counter]) -> None:
        """Inside the apply's transaction, before any write: make what the apply will do to
        these counters part of the transaction where the database allows it, so that a
        rollback the client never sees (kill -9, a lost connection) undoes it too; the others
        only restore_counter puts back, after a failure seedspec itself sees."""

    def non_transactional(
        self, conn: sa.Connection, tables: Sequence[DbTable]
    ) -> list[tuple[DbTable, str]]:
        """(table, why) for tables whose writes a rollback does not undo (MyISAM, MEMORY ...)."""
        return []

    def roll_back_driver(self, conn: sa.Connection) -> None:
        """Roll back what the driver still holds open after a failure SQLAlchemy has already
        handled (SQLite keeps the transaction open when its COMMIT fails)."""

    def join_transaction(self, conn: sa.Connection) -> None:
        """Before an apply on a caller's connection: its open transaction made real in the
        driver, so a SAVEPOINT nests inside it (pysqlite begins only at the first write)."""

    def transaction_marker(self, conn: sa.Connection) -> Any:
        """What identifies the open apply transaction (checked after each after: statement)."""
        return None

    def transaction_lost(self, conn: sa.Connection, marker: Any) -> bool:
        """True when the transaction `marker` names is no longer the open one."""
        return False

    def transaction_outcome(self, conn: sa.Connection, marker: Any) -> str | None:
        """What became of a lost transaction: "committed", "aborted", or None (cannot tell)."""
        return None

    # -- lock waits (execute/locks.py) -------------------------------------------------
    def bound_waits(self, conn: sa.Connection, seconds: float) -> None:
        """Before BEGIN: this session's lock waits last at most `seconds` (0: unbounded)."""

    def unbound_waits(self, conn: sa.Connection) -> None:
        """After the apply: the session's lock waits back to the server's defaults."""

    def bound_transaction_waits(self, conn: sa.Connection, seconds: float) -> None:
        """Inside the open transaction: each statement waits at most `seconds` for a lock."""

    def take_apply_lock(self, conn: sa.Connection, seconds: float) -> bool:
        """The database-wide lock two applies share, waited for up to `seconds` (0: forever);
        False when another session still holds it."""
        return True

    def release_apply_lock(self, conn: sa.Connection) -> None:
        """Release it when it outlives the transaction (MySQL GET_LOCK)."""

    def session_id(self, conn: sa.Connection) -> int:
        """The server's id of this connection's session (0: none)."""
        return 0

    def lock_table(self, conn: sa.Connection, table: DbTable, mode: str) -> None:
        """Take the table's lock for the apply; mode: write | exclusive (the bulk path's
        ALTER TABLE, TRUNCATE)."""

    def lock_holders(
        self, conn: sa.Connection, table: DbTable | None, me: int, apply_lock: bool
    ) -> tuple[list[str], bool]:
        """On a fresh connection: the sessions but `me` holding the apply lock, or a lock on
        `table` (None: unknown), described without credentials or query text; second, whether
        the server said so (False: the sessions that may hold it, or none)."""
        return [], False

    def bound_reads(self, engine: sa.Engine, seconds: float) -> None:
        """Every connection `engine` opens (schema reads first) waits at most `seconds` for a
        lock (0: unbounded); a transaction's own bound overrides it."""

    watches_blockers = False  # True: `blocking` can say, while a session waits, who it waits for

    def blocking(self, conn: sa.Connection, session: int) -> list[tuple[int, str]]:
        """From another connection: the sessions `session` is waiting for right now (id and
        description, no credential, no query text); [] when none or the server cannot say."""
        return []

    def read_lock_holders(self, conn: sa.Connection, me: int) -> tuple[list[str], bool]:
        """From another connection, after a schema read's wait expired: the locks a read waits
        for (DDL, LOCK TABLE) and who holds them, as `lock_holders` says them."""
        return [], False

    def is_lock_timeout(self, err: BaseException) -> bool:
        """True for the driver error a bounded lock wait raises when it expires."""
        return False

    # -- verification ----------------------------------------------------------------
    def fk_violations(
        self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
    ) -> list[str]:
        """Every FK of these tables checked by anti-join; returns 'table.fk: N rows' lines."""
        out = []
        for name in tables:
            t = schema.table(name)
            if t is None:
                continue
            for fk in t.foreign_keys:
                parent = schema.table(fk.ref_table)
                if parent is None:
                    continue
                q = self.qualified
                cols = [self.quote(conn, c) for c in fk.columns]
                on = " AND ".join(
                    f"p.{self.quote(conn, pc)} = d.{cc}"
                    for cc, pc in zip(cols, fk.ref_columns, strict=True)
                )
                notnull = " AND ".join(f"{c} IS NOT NULL" for c in cols)
                # each distinct key once (an index scan), not each row: 20k products, not 800k
                sql = (
                    f"SELECT count(*) FROM (SELECT DISTINCT {', '.join(cols)} FROM {q(conn, t)} "
                    f"WHERE {notnull}) d WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {q(conn, parent)} p WHERE {on})"
                )
                bad = conn.exec_driver_sql(sql).scalar() or 0
                if bad:
                    out.append(f"{name}.{fk.name or '+'.join(fk.columns)}: {bad} missing keys")
        return out


def _json_value(value: Any) -> str:
    return json.dumps(value, default=str)


def iso_value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (dict, list)):
        return _json_value(value)
    return value
