"""MySQL/MariaDB dialect: connection + tables -> catalog facts, MetaData rules, loaded rows.

LOAD DATA LOCAL INFILE per chunk (multi-row INSERTs when the server refuses); NOT NULL cycles and
the bulk path load with checks suspended, then prove them by query."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.dialects.mysql.base import MySQLDialect
from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

from seedspec.database.catalog import Catalog, DdlColumn, TableKey
from seedspec.database.model import DbCheck, DbSchema, DbTable
from seedspec.database.reflect_types import TypeFacts
from seedspec.database.sqlexprs import json_valid_column
from seedspec.database.sqltokens import lex, top_level
from seedspec.deferred import deferred
from seedspec.dialects import endpoints
from seedspec.dialects.base import Counter, Dialect
from seedspec.dialects.capabilities import capabilities_for
from seedspec.dialects.endpoints import Endpoint
from seedspec.dialects.mysql import catalog, infile
from seedspec.dialects.mysql import locks as my_locks
from seedspec.dialects.postgresql.copytext import encode_rows
from seedspec.dialects.verify import verify_foreign_keys, verify_uniques
from seedspec.errors import ApplyError
from seedspec.generate.base import objects

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL
else:
    sa = deferred("sqlalchemy")

_REFUSED = (1148, 2068, 3948, 4166)  # LOAD DATA LOCAL disabled on the server or the client
# The file's format (copytext.encode_rows, flavour mysql) said in full, not left to the server's
# defaults: tab-separated, backslash escapes (\N is NULL, \\ a backslash, \t \n \r), one row a
# line. Hex literals, so NO_BACKSLASH_ESCAPES in sql_mode cannot change what a backslash means.
_LOAD_FORMAT = (
    "FIELDS TERMINATED BY X'09' ENCLOSED BY '' ESCAPED BY X'5C' LINES TERMINATED BY X'0A'"
)


def _bit_ints(values: Any) -> Any:
    """'0101' -> 5: MySQL BIT columns take numbers."""
    return objects([int(v, 2) if isinstance(v, str) else v for v in list(values)])


def _is_json_valid(column: str, checks: list[DbCheck]) -> bool:
    return any(json_valid_column(c.sqltext, "mysql") == column for c in checks)


def _without_on_update(default: str) -> str:
    """``CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP`` -> ``CURRENT_TIMESTAMP``: the reflected
    default ends at a top-level ON UPDATE (MySQL's tokens: 'on update' in a string stays)."""
    tokens = lex(default, "mysql")
    for i in top_level(tokens, 0, len(tokens) - 1, TokenType.ON):
        if tokens[i + 1].token_type == TokenType.UPDATE:
            return default[: tokens[i].start].rstrip()
    return default


def _sized_bytes(compiled: str | None) -> int | None:
    """TEXT(n) / BLOB(n) as the DDL compiler spells them -> bytes n asks for (utf8mb4: 4 a
    character); None for any other type. The spelling is read by sqlglot's MySQL type parser."""
    try:
        parsed = exp.DataType.build(compiled or "", dialect="mysql") if compiled else None
    except (SqlglotError, ValueError):
        return None
    if parsed is None or parsed.this not in (exp.DataType.Type.TEXT, exp.DataType.Type.BLOB):
        return None
    size = parsed.expressions[0].this if len(parsed.expressions) == 1 else None
    if not (isinstance(size, exp.Literal) and size.this.isdigit()):
        return None
    return int(size.this) * (4 if parsed.this == exp.DataType.Type.TEXT else 1)


class MySqlDialect(Dialect):
    name = "mysql"
    test_copies = "transaction"  # the pytest plugin's per-test copy (testing/copies.py)
    placeholder = "%s"
    capabilities = capabilities_for("mysql")
    url_schemes = {"mysql": "mysql+pymysql", "mariadb": "mysql+pymysql"}
    drivers = {"pymysql": "mysql"}
    connect_args = {"local_infile": False}  # on only for the load connection (infile.py)
    unique_index_is_constraint = True  # a MySQL unique index is reflected as a unique constraint

    def __init__(self) -> None:
        self.load_data = True  # until the server refuses LOCAL INFILE
        self.schema: DbSchema | None = None

    def endpoints(self, url: URL, environ: Mapping[str, str]) -> list[Endpoint]:
        return endpoints.pymysql(url)

    def connect_for_load(self, engine: sa.Engine) -> sa.Connection:
        return infile.connect_for_load(engine)

    # -- reflection ----------------------------------------------------------------------
    def read_catalog(self, conn: sa.Connection, schemas: list[str]) -> Catalog:
        return catalog.read_catalog(conn, schemas)

    def column_default(self, default: str) -> str:
        return _without_on_update(default)

    def column_kind(self, kind: str, column: str, checks: list[DbCheck]) -> str:
        if kind == "text" and _is_json_valid(column, checks):
            return "json"  # MariaDB: JSON is LONGTEXT CHECK (json_valid(col))
        return kind

    def implicit_identity(
        self, col: dict[str, Any], table: TableKey, primary_key: tuple[str, ...], catalog: Catalog
    ) -> str | None:
        return "auto_increment" if col.get("autoincrement") is True else None

    # -- MetaData ------------------------------------------------------------------------
    def metadata_dialect(self) -> sa.engine.Dialect:
        return MySQLDialect()

    def script(self) -> Any:
        from seedspec.dialects.mysql.script import MysqlScript

        made: Any = type(self.metadata_dialect())
        return MysqlScript(made(paramstyle="named"))

    def export_values(
        self, table: DbTable, columns: Sequence[str], arrays: list[Any]
    ) -> list[list[Any]]:
        """As the INSERT path sends them: BIT columns as numbers."""
        bits = [(c := table.column(name)) is not None and c.type == "bit" for name in columns]
        arrays = [_bit_ints(a) if is_bit else a for a, is_bit in zip(arrays, bits, strict=True)]
        return super().export_values(table, columns, arrays)

    def metadata_type_facts(self, facts: TypeFacts, compiled: str | None) -> TypeFacts:
        if facts.type == "timestamptz":  # DATETIME has no time zone
            facts.type = "timestamp"
        if facts.type == "numeric":  # DECIMAL means DECIMAL(10, 0)
            facts.precision = 10 if facts.precision is None else facts.precision
            facts.scale = 0 if facts.scale is None else facts.scale
        size = _sized_bytes(compiled)
        if size is not None:  # TEXT(n) / BLOB(n): the smallest type that holds n bytes
            facts.length = 255 if size <= 255 else None  # TINYTEXT / TINYBLOB
        return facts

    def metadata_column(self, col: DdlColumn) -> DdlColumn:
        nullable = col.nullable
        if col.compiled is not None and not nullable:
            # MariaDB drops NOT NULL from a generated column unless nullable was given explicitly
            computed = col.column.computed
            head = col.compiled + ("" if computed is None else " " + col.ddl.process(computed))
            nullable = col.spec.startswith(head) and not col.spec[len(head) :].startswith(
                " NOT NULL"
            )
        if col.spec.endswith(" AUTO_INCREMENT"):
            return replace(
                col, nullable=nullable, identity="auto_increment", default=None, decided=True
            )
        return replace(col, nullable=nullable)

    # -- loading -------------------------------------------------------------------------

    oracle_int_type = "SIGNED"

    def oracle_drop(self, conn: sa.Connection, name: str) -> None:
        # TEMPORARY: no implicit commit
        self.execute_raw(conn, f"DROP TEMPORARY TABLE IF EXISTS {self.quote(conn, name)}")

    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        self.execute_raw(conn, "SET time_zone = '+00:00'")
        if suspend_fk_checks:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0")

    def bound_waits(self, conn: sa.Connection, seconds: float) -> None:
        my_locks.bound_waits(conn, seconds)

    def unbound_waits(self, conn: sa.Connection) -> None:
        my_locks.unbound_waits(conn)

    def take_apply_lock(self, conn: sa.Connection, seconds: float) -> bool:
        return my_locks.take_apply_lock(conn, seconds)

    def release_apply_lock(self, conn: sa.Connection) -> None:
        my_locks.release_apply_lock(conn)

    def take_shard_lock(self, conn: sa.Connection, seconds: float, index: int) -> bool:
        return my_locks.take_shard_lock(conn, seconds, index)

    def release_shard_lock(self, conn: sa.Connection, index: int) -> None:
        my_locks.release_shard_lock(conn, index)

    def suspend_shard_fks(self, conn: sa.Connection, in_transaction: bool) -> None:
        if in_transaction:  # the session's: back on in resume_shard_fks
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0")

    def resume_shard_fks(self, conn: sa.Connection) -> None:
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1")

    def session_id(self, conn: sa.Connection) -> int:
        return int(conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar() or 0)

    def lock_table(self, conn: sa.Connection, table: DbTable, mode: str) -> None:
        my_locks.lock_table(conn, self.qualified(conn, table))

    def lock_holders(
        self, conn: sa.Connection, table: DbTable | None, me: int, apply_lock: bool
    ) -> tuple[list[str], bool]:
        return my_locks.holders(
            conn, apply_lock, me, table.name.rpartition(".")[2] if table else None
        )

    def bound_reads(self, engine: sa.Engine, seconds: float) -> None:
        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, record: Any) -> None:
            my_locks.session_waits(dbapi_conn, seconds)
            record.info["seedspec_session"] = dbapi_conn.thread_id()

    watches_blockers = True

    def blocking(self, conn: sa.Connection, session: int) -> list[tuple[int, str]]:
        return my_locks.blocking(conn, session)

    def read_lock_holders(self, conn: sa.Connection, me: int) -> tuple[list[str], bool]:
        return my_locks.holders(conn, False, me)

    def is_lock_timeout(self, err: BaseException) -> bool:
        return my_locks.is_lock_timeout(err)

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        if suspend_fk_checks:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1")

    def clear(
        self, conn: sa.Connection, children_first: Sequence[DbTable], referenced: bool = False
    ) -> None:
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0")
        try:
            super().clear(conn, children_first, referenced)
        finally:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1")

    # -- bulk path: FK and secondary-unique checks off for the load, then proved by query --
    def bulk_blocker(self, conn: sa.Connection, tables: Sequence[DbTable]) -> str | None:
        return None

    def start_bulk(self, conn: sa.Connection, tables: Sequence[DbTable]) -> Any:
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0")
        return list(tables)

    def end_bulk(self, conn: sa.Connection, state: Any) -> None:
        """Every FK and every secondary UNIQUE of the loaded tables is proved before commit."""
        assert self.schema is not None
        names = [t.name for t in state]
        bad = verify_foreign_keys(self, conn, self.schema, names)
        bad += verify_uniques(self, conn, self.schema, names)
        if bad:
            raise ApplyError("constraints violated after the bulk load: " + "; ".join(bad))
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1, UNIQUE_CHECKS = 1")

    # -- loading ---------------------------------------------------------------------
    def prepare(self, table: DbTable, columns: Sequence[str], arrays: list[Any]) -> Any:
        kinds = {c.type for name in columns if (c := table.column(name)) is not None}
        if not self.load_data or kinds & {"bytes", "bit"}:  # binary values: plain INSERTs
            bits = [(c := table.column(name)) is not None and c.type == "bit" for name in columns]
            arrays = [_bit_ints(a) if is_bit else a for a, is_bit in zip(arrays, bits, strict=True)]
            return ("rows", super().prepare(table, columns, arrays))
        handle, path = tempfile.mkstemp(prefix="seedspec-", suffix=".tsv")
        infile.wrote(path)
        with os.fdopen(handle, "wb") as out:
            out.write(encode_rows(arrays, flavor="mysql"))
        return ("file", (path, len(arrays[0]) if arrays else 0, arrays))

    def load(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], payload: Any
    ) -> None:
        kind, data = payload
        if kind == "rows":
            self.insert(conn, table, columns, data)
            return
        path, count, arrays = data
        try:
            if not self._load_file(conn, table, columns, path, count):
                self.insert(conn, table, columns, super().prepare(table, columns, arrays))
        finally:
            infile.removed(path)
            os.unlink(path)

    def _load_file(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], path: str, count: int
    ) -> bool:
        names = ", ".join(self.quote(conn, c) for c in columns)
        raw = self.raw(conn)
        sql = (  # the path as the driver escapes a string literal
            f"LOAD DATA LOCAL INFILE {raw.escape(path)} INTO TABLE {self.qualified(conn, table)} "
            f"CHARACTER SET utf8mb4 {_LOAD_FORMAT} ({names})"
        )
        cur = raw.cursor()
        try:
            cur.execute(sql)
            loaded = cur.rowcount
            warnings = cur.connection.show_warnings()
        except Exception as err:
            if getattr(err, "args", (None,))[0] in _REFUSED:
                self.load_data = False  # the server says no: multi-row INSERTs from now on
                return False
            raise
        finally:
            cur.close()
        if warnings or loaded != count:
            first = "; ".join(str(w[2]) for w in list(warnings)[:3])
            raise ApplyError(
                f"loading {table.name}: {loaded} of {count} rows loaded"
                + (f" ({first})" if first else "")
            )
        return True

    # -- counters and the transaction's state -----------------------------------------
    def read_counters(
        self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
    ) -> list[Counter]:
        """InnoDB's AUTO_INCREMENT moves past every key loaded and a rollback keeps it moved."""
        out = []
        for name in tables:
            t = schema.table(name)
            if t is None or not any(c.identity == "auto_increment" for c in t.columns):
                continue
            value = conn.execute(_AUTO_INCREMENT, {"s": t.schema, "t": t.bare_name}).scalar()
            if value is not None:
                out.append(Counter(t.name, self.qualified(conn, t), (int(value),)))
        return out

    def restore_counter(self, conn: sa.Connection, counter: Counter) -> bool:
        t = self.schema.table(counter.table) if self.schema is not None else None
        if t is None:
            return False
        now = conn.execute(_AUTO_INCREMENT, {"s": t.schema, "t": t.bare_name}).scalar()
        if now is None or int(now) == counter.state[0]:
            return False
        # an ALTER commits implicitly: run only after the rollback, on no open transaction; a
        # session cut mid-LOAD DATA may hold the table a while: wait for it, but not for a day
        self.execute_raw(conn, "SET SESSION lock_wait_timeout = 30")
        self.execute_raw(conn, f"ALTER TABLE {counter.name} AUTO_INCREMENT = {counter.state[0]}")
        return True

    def non_transactional(
        self, conn: sa.Connection, tables: Sequence[DbTable]
    ) -> list[tuple[DbTable, str]]:
        out = []
        for t in tables:
            engine = conn.execute(_ENGINE, {"s": t.schema, "t": t.bare_name}).scalar()
            if engine is not None and str(engine).lower() not in _TRANSACTIONAL:
                out.append((t, f"ENGINE={engine}"))
        return out

    def transaction_marker(self, conn: sa.Connection) -> Any:
        """InnoDB's id of the open transaction where the role may read it (PROCESS), else None."""
        try:
            return conn.exec_driver_sql(_TRX_ID).scalar()
        except sa.exc.DBAPIError:
            return None

    def transaction_lost(self, conn: sa.Connection, marker: Any) -> bool:
        if not conn.exec_driver_sql("SELECT @@in_transaction").scalar():
            return True  # an implicit or explicit COMMIT / ROLLBACK
        return marker is not None and self.transaction_marker(conn) != marker


_AUTO_INCREMENT = sa.text(
    "SELECT AUTO_INCREMENT FROM information_schema.TABLES "
    "WHERE TABLE_SCHEMA = COALESCE(:s, DATABASE()) AND TABLE_NAME = :t"
)
_ENGINE = sa.text(
    "SELECT ENGINE FROM information_schema.TABLES "
    "WHERE TABLE_SCHEMA = COALESCE(:s, DATABASE()) AND TABLE_NAME = :t"
)
_TRANSACTIONAL = {"innodb", "rocksdb", "tokudb", "ndbcluster"}
_TRX_ID = (
    "SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()"
)


class MariaDbDialect(MySqlDialect):
    """MariaDB: loads and reflects as MySQL; its DDL differs (native UUID, sequences)."""

    def metadata_dialect(self) -> sa.engine.Dialect:
        d = MariaDBDialect()
        d.supports_sequences = True  # what initialize() sets for MariaDB 10.3+
        return d
