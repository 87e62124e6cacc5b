"""PostgreSQL dialect: connection + tables -> catalog facts, MetaData rules, loaded rows.

search_path, COPY FROM STDIN via psycopg 3, deferred constraints, sequences moved past keys."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.dialects.postgresql.base import PGDialect

from seedspec.database.catalog import Catalog, DdlColumn
from seedspec.database.model import DbSchema, DbTable
from seedspec.database.reflect_types import DomainChecks, TypeFacts
from seedspec.deferred import deferred
from seedspec.dialects import endpoints
from seedspec.dialects.base import Counter, Dialect
from seedspec.dialects.capabilities import capabilities_for
from seedspec.dialects.endpoints import Endpoint
from seedspec.dialects.postgresql import bulk as pg_bulk
from seedspec.dialects.postgresql import catalog
from seedspec.dialects.postgresql import locks as pg_locks
from seedspec.dialects.postgresql.copybinary import Field, encode_binary, fields_for
from seedspec.dialects.postgresql.copytext import encode_rows

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL
else:
    sa = deferred("sqlalchemy")

_SERIALS = ("SERIAL", "BIGSERIAL", "SMALLSERIAL")


# the sequence a column's default calls (nextval('s') records a pg_depend row on it), for a
# sequence no column OWNS, which pg_get_serial_sequence does not find
_DEFAULT_SEQUENCE = sa.text(
    "SELECT d.refobjid::regclass::text FROM pg_catalog.pg_attrdef ad"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum"
    " JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::regclass"
    "  AND d.objid = ad.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass"
    " JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'"
    " WHERE ad.adrelid = CAST(:t AS regclass) AND a.attname = :c LIMIT 1"
)
_INHERITS = sa.text(
    "SELECT c.relname FROM pg_catalog.pg_inherits i"
    " JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
    " JOIN pg_catalog.pg_class p ON p.oid = i.inhparent"
    " WHERE p.relkind = 'r' AND i.inhparent = ANY(CAST(:tables AS regclass[]))"
    " ORDER BY 1 LIMIT 1"
)


# every sequence a table's rows can move: owned by its columns (serial, identity) or drawn by
# a column default (nextval('...') on any column: a default left to the database calls it)
_TABLE_SEQUENCES = sa.text(
    "SELECT DISTINCT d.objid::regclass::text FROM pg_catalog.pg_depend d"
    " JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
    " WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refobjid = CAST(:t AS regclass)"
    " AND d.deptype IN ('a', 'i')"
    " UNION SELECT DISTINCT d.refobjid::regclass::text FROM pg_catalog.pg_depend d"
    " JOIN pg_catalog.pg_attrdef ad ON ad.oid = d.objid"
    " JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'"
    " WHERE d.classid = 'pg_catalog.pg_attrdef'::regclass AND ad.adrelid = CAST(:t AS regclass)"
    " ORDER BY 1"
)


_SEQUENCE_FACTS = sa.text(
    "SELECT s.seqincrement, s.seqmin, s.seqmax, pg_catalog.pg_has_role(c.relowner, 'USAGE')"
    " FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
    " WHERE s.seqrelid = CAST(:s AS regclass)"
)


class PostgresDialect(Dialect):
    name = "postgresql"
    test_copies = "template_database"  # the pytest plugin's per-test copy (testing/copies.py)
    placeholder = "%s"
    capabilities = capabilities_for("postgresql")
    url_schemes = {"postgres": "postgresql+psycopg", "postgresql": "postgresql+psycopg"}
    drivers = {"psycopg": "postgresql"}
    default_schema = "public"
    fks_keep_deferrable = True  # MySQL ignores DEFERRABLE, SQLite does not report it

    def __init__(self) -> None:
        self._fields: dict[tuple[str, tuple[str, ...]], list[Field] | None] = {}

    # -- connection, reflection, MetaData -----------------------------------------------
    def endpoints(self, url: URL, environ: Mapping[str, str]) -> list[Endpoint]:
        return endpoints.libpq(url, environ)

    def setup_engine(self, engine: sa.Engine, schema: str | None) -> None:
        if not schema:
            return

        quoted = engine.dialect.identifier_preparer.quote_identifier(schema)  # any name

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute(f"SET search_path TO {quoted}")
            cur.close()
            dbapi_conn.commit()

    def read_catalog(self, conn: sa.Connection, schemas: list[str]) -> Catalog:
        return catalog.read_catalog(conn, schemas)

    def current_schema(self, conn: sa.Connection) -> str | None:
        """Where unqualified names resolve on this connection (search_path set on connect):
        SQLAlchemy's default_schema_name is read once per engine and may predate it."""
        return conn.execute(sa.text("SELECT current_schema()")).scalar()

    def user_schemas(self, conn: sa.Connection) -> list[str]:
        return catalog.user_schemas(conn)

    def domain_checks(self, conn: sa.Connection) -> DomainChecks:
        return catalog.domain_checks(conn)

    def metadata_dialect(self) -> sa.engine.Dialect:
        return PGDialect()

    def script(self) -> Any:
        from seedspec.dialects.postgresql.script import PostgresScript

        return PostgresScript(PGDialect(paramstyle="named"))

    def metadata_type_facts(self, facts: TypeFacts, compiled: str | None) -> TypeFacts:
        if facts.type == "bytes":
            facts.length = None  # BYTEA has no length
        return facts

    def metadata_column(self, col: DdlColumn) -> DdlColumn:
        c = col.column
        if c.identity is not None:  # identity columns are NOT NULL
            identity = "always" if c.identity.always else "by_default"
            return replace(col, identity=identity, nullable=False, decided=True)
        if col.spec.split(" ", 1)[0] in _SERIALS:
            sequence = col.key(col.table.schema, f"{col.table.name}_{c.name}_seq")
            default = f"nextval('{sequence}'::regclass)"
            return replace(col, identity="serial", default=default, decided=True)
        return col

    # -- loading -------------------------------------------------------------------------

    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        self.execute_raw(conn, "SET LOCAL TimeZone = 'UTC'")
        if deferred:
            self.execute_raw(conn, "SET CONSTRAINTS ALL DEFERRED")

    def bound_transaction_waits(self, conn: sa.Connection, seconds: float) -> None:
        pg_locks.set_lock_timeout(conn, seconds)  # the bulk path's ALTER TABLE locks too

    def take_apply_lock(self, conn: sa.Connection, seconds: float) -> bool:
        return pg_locks.take_apply_lock(conn, seconds)

    def session_id(self, conn: sa.Connection) -> int:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() or 0)

    def take_shard_lock(self, conn: sa.Connection, seconds: float, index: int) -> bool:
        return pg_locks.take_shard_lock(conn, seconds, index)

    def take_ledger_lock(self, conn: sa.Connection, seconds: float) -> bool:
        return pg_locks.take_ledger_lock(conn, seconds)

    def suspend_shard_fks(self, conn: sa.Connection, in_transaction: bool) -> None:
        """FK triggers (and ordinary triggers: a plan with triggers is not sharded) off until
        the transaction ends: SET LOCAL, so a kill or a rollback leaves nothing behind. Needs
        a superuser, or GRANT SET ON PARAMETER session_replication_role (PostgreSQL 15+)."""
        if in_transaction:
            self.execute_raw(conn, "SET LOCAL session_replication_role = replica")

    def lock_table(self, conn: sa.Connection, table: DbTable, mode: str) -> None:
        pg_locks.lock_table(conn, self.qualified(conn, table), mode)

    def lock_holders(
        self, conn: sa.Connection, table: DbTable | None, me: int, apply_lock: bool
    ) -> tuple[list[str], bool]:
        if apply_lock or table is None:
            return (pg_locks.holders(conn, None, me) if apply_lock else []), apply_lock
        return pg_locks.holders(conn, self.qualified(conn, table), me), True

    def bound_reads(self, engine: sa.Engine, seconds: float) -> None:
        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, record: Any) -> None:
            pg_locks.session_lock_timeout(dbapi_conn, seconds)
            record.info["seedspec_session"] = dbapi_conn.info.backend_pid

    watches_blockers = True

    def blocking(self, conn: sa.Connection, session: int) -> list[tuple[int, str]]:
        return pg_locks.blocking(conn, session)

    def read_lock_holders(self, conn: sa.Connection, me: int) -> tuple[list[str], bool]:
        return pg_locks.exclusive_holders(conn, me), True

    def is_lock_timeout(self, err: BaseException) -> bool:
        return pg_locks.is_lock_timeout(err)

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        # Deferred FKs are checked now, so a violation is reported before COMMIT.
        self.execute_raw(conn, "SET CONSTRAINTS ALL IMMEDIATE")

    def bulk_blocker(self, conn: sa.Connection, tables: Sequence[DbTable]) -> str | None:
        names = [self.qualified(conn, t) for t in tables]
        child = conn.execute(_INHERITS, {"tables": names}).scalar()
        if child:  # dropping the parent's CHECK/FK drops the child's inherited copy with it
            return f"{child} INHERITS from a seeded table (they share constraints)"
        return pg_bulk.bulk_blocker(conn, names)

    def start_bulk(self, conn: sa.Connection, tables: Sequence[DbTable]) -> Any:
        return pg_bulk.set_aside(conn, [self.qualified(conn, t) for t in tables])

    def end_inserts(self, conn: sa.Connection, state: Any) -> None:
        if state is not None:
            pg_bulk.restore_keys(conn, state)

    def end_bulk(self, conn: sa.Connection, state: Any) -> None:
        if state is not None:
            pg_bulk.restore_checks_and_foreign_keys(conn, state)

    def clear(
        self, conn: sa.Connection, children_first: Sequence[DbTable], referenced: bool = False
    ) -> None:
        """TRUNCATE; DELETE when a table left alone references one of them (TRUNCATE would
        refuse, or with CASCADE empty the table seedspec must not touch)."""
        if referenced:
            super().clear(conn, children_first)
            # deferred FK checks of the DELETEs run now: a pending trigger event would make
            # the bulk path's ALTER TABLE fail
            self.execute_raw(conn, "SET CONSTRAINTS ALL IMMEDIATE")
        elif children_first:
            names = ", ".join(self.qualified(conn, t) for t in children_first)
            conn.exec_driver_sql(f"TRUNCATE {names}")

    def oracle_column(self, conn: sa.Connection, table: DbTable, column: str) -> str:
        """A domain column as its base type: the oracle judges the domain's CHECK itself."""
        base = conn.exec_driver_sql(
            "SELECT format_type(t.typbasetype, t.typtypmod) FROM pg_attribute a "
            "JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = CAST(%s AS regclass) "
            "AND a.attname = %s AND t.typtype = 'd'",
            (self.qualified(conn, table), column),
        ).scalar()
        name = self.quote(conn, column)
        return f"CAST({name} AS {base}) AS {name}" if base else name

    def prepare(self, table: DbTable, columns: Sequence[str], arrays: list[Any]) -> Any:
        """Binary COPY assembled with numpy when every column has a simple binary form,
        else COPY text built column by column."""
        fields = self._binary_fields(table, tuple(columns))
        if fields is not None:
            return ("binary", encode_binary(fields, arrays))
        return ("text", encode_rows(arrays))

    def _binary_fields(self, table: DbTable, columns: tuple[str, ...]) -> list[Field] | None:
        key = (table.name, columns)
        if key not in self._fields:
            cols = [table.column(c) for c in columns]
            known = [c for c in cols if c is not None]
            self._fields[key] = fields_for(known) if len(known) == len(cols) else None
        return self._fields[key]

    def load(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], payload: Any
    ) -> None:
        fmt, data = payload
        names = ", ".join(self.quote(conn, c) for c in columns)
        options = " (FORMAT binary)" if fmt == "binary" else ""
        sql = f"COPY {self.qualified(conn, table)} ({names}) FROM STDIN{options}"
        cur = self.raw(conn).cursor()
        try:
            with cur.copy(sql) as copy:
                copy.write(data)
        finally:
            cur.close()

    def _sequences(
        self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
    ) -> Iterator[tuple[DbTable, str, str]]:
        """(table, key column, sequence as regclass text) for each identity/serial column."""
        for name in tables:
            t = schema.table(name)
            if t is None:
                continue
            for col in t.columns:
                if col.identity not in ("always", "by_default", "serial"):
                    continue
                seq = conn.execute(
                    sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": self.qualified(conn, t), "c": col.name},
                ).scalar()
                if not seq and col.default:  # nextval('actor_actor_id_seq') without OWNED BY
                    found_seq = conn.execute(
                        _DEFAULT_SEQUENCE, {"t": self.qualified(conn, t), "c": col.name}
                    )
                    seq = found_seq.scalar()
                if seq:
                    found = conn.execute(sa.text("SELECT CAST(:s AS regclass)::text"), {"s": seq})
                    yield t, col.name, str(found.scalar())

    def reset_sequences(self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]) -> int:
        moved = 0
        for t, column, seq in self._sequences(conn, schema, tables):
            qt, qc = self.qualified(conn, t), self.quote(conn, column)
            conn.execute(
                sa.text(
                    f"SELECT setval(:s, m) FROM (SELECT max({qc}) AS m FROM {qt}) x "
                    "WHERE m IS NOT NULL"
                ),
                {"s": seq},
            )
            moved += 1
        return moved

    # -- counters and the transaction's state -----------------------------------------
    def read_counters(
        self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
    ) -> list[Counter]:
        """setval is not transactional: each sequence's (last_value, is_called) before."""
        out: list[Counter] = []
        for name in tables:
            t = schema.table(name)
            if t is None:
                continue
            found = conn.execute(_TABLE_SEQUENCES, {"t": self.qualified(conn, t)}).scalars()
            for seq in found:
                if any(c.name == seq for c in out):
                    continue
                row = conn.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").one()
                out.append(Counter(t.name, str(seq), (int(row[0]), bool(row[1]))))
        return out

    def restore_counter(self, conn: sa.Connection, counter: Counter) -> bool:
        now = conn.exec_driver_sql(f"SELECT last_value, is_called FROM {counter.name}").one()
        if (int(now[0]), bool(now[1])) == counter.state:
            return False
        value, called = counter.state
        conn.execute(
            sa.text("SELECT setval(CAST(:s AS regclass), :v, :c)"),
            {"s": counter.name, "v": value, "c": called},
        )
        return True

    def protect_counters(self, conn: sa.Connection, counters: Sequence[Counter]) -> None:
        """setval and nextval are not transactional, but ALTER SEQUENCE ... RESTART is: it gives
        the sequence new storage in this transaction, and every later nextval and setval of the
        apply writes there, so a rollback the client never sees (kill -9) puts the old state
        back. RESTART WITH the value the next nextval would return changes no behaviour; it
        needs the sequence's owner (else the counter is left to restore_counter)."""
        for counter in counters:
            value, called = counter.state
            row = conn.execute(_SEQUENCE_FACTS, {"s": counter.name}).one_or_none()
            if row is None:
                continue
            increment, low, high, owner = row
            start = int(value) + int(increment) if called else int(value)
            if owner and int(low) <= start <= int(high):
                self.execute_raw(conn, f"ALTER SEQUENCE {counter.name} RESTART WITH {start}")

    def transaction_marker(self, conn: sa.Connection) -> Any:
        return conn.exec_driver_sql("SELECT txid_current()").scalar()

    def transaction_lost(self, conn: sa.Connection, marker: Any) -> bool:
        from psycopg.pq import TransactionStatus

        status = self.raw(conn).info.transaction_status
        if status == TransactionStatus.INERROR:
            return False  # the statement failed: still the apply's, waiting for its ROLLBACK
        if status != TransactionStatus.INTRANS:
            return True  # idle: a COMMIT or ROLLBACK ran
        return bool(self.transaction_marker(conn) != marker)  # COMMIT; BEGIN in one string

    def transaction_outcome(self, conn: sa.Connection, marker: Any) -> str | None:
        status = conn.exec_driver_sql(f"SELECT txid_status({int(marker)})").scalar()
        return {"committed": "committed", "aborted": "aborted"}.get(str(status))
