"""Execute: (Plan, Engine, DbSchema) -> ApplyReport; the plan bound, loaded in one transaction."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seedspec.database.connect import connect, is_permission_denied, redact_text
from seedspec.database.guard import check_write_target
from seedspec.database.model import DbSchema, DbTable
from seedspec.database.triggers import trigger_fillers
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect
from seedspec.dialects.registry import dialect_for
from seedspec.errors import ApplyError, PermissionDenied, SeedspecError
from seedspec.execute.atomic import Attempt, message_of, run_after, settle
from seedspec.execute.clear import clear_for_apply, referencing
from seedspec.execute.ledger import Book, LedgerSpot
from seedspec.execute.locks import DEFAULT_LOCK_TIMEOUT, LockWait, hold, lock_error, take
from seedspec.execute.oracle import resolve
from seedspec.execute.prefetch import prefetch
from seedspec.execute.progress import SILENT, Progress, inserts, preparing
from seedspec.generate.model import Model
from seedspec.plan.bind import bind
from seedspec.plan.model import (
    FillDeferred,
    InsertRows,
    Plan,
    ResetSequences,
    RunSql,
    VerifyForeignKeys,
)
from seedspec.timing import timed

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

CHUNK_ROWS = 50_000


@dataclass
class TableReport:
    table: str
    rows: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        rate = self.rows / self.seconds if self.seconds > 0 else None
        return {
            "table": self.table,
            "rows": self.rows,
            "seconds": round(self.seconds, 4),
            "rows_per_second": round(rate) if rate else None,
        }


@dataclass
class ApplyReport:
    tables: list[TableReport] = field(default_factory=list)
    seconds: float = 0.0
    plan_digest: str = ""
    sequences_moved: int = 0
    cleared: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)  # never written nor cleared
    emptied: list[str] = field(default_factory=list)  # unseeded, referencing a cleared table
    load_path: str = "default"
    validate_seconds: float = 0.0
    oracle_rows: int = 0  # rows whose CHECK-oracle candidate is an attempt > 0
    oracle_skipped: list[str] = field(default_factory=list)  # tables it could not judge
    noop: bool = False  # the ledger says this plan already seeded these tables: nothing written
    ledger: dict[str, Any] | None = None  # that entry, or the one this apply recorded
    ledger_table: str = ""

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "rows": self.rows,
            "seconds": round(self.seconds, 4),
            "plan_digest": self.plan_digest,
            "sequences_moved": self.sequences_moved,
            "cleared": self.cleared,
            "left_alone": self.left_alone,
            "emptied": self.emptied,
            "load_path": self.load_path,
            "validate_seconds": round(self.validate_seconds, 4),
            "oracle_rows": self.oracle_rows,
            "oracle_skipped": self.oracle_skipped,
            "noop": self.noop,
            "ledger_table": self.ledger_table,
            "ledger": self.ledger,
            "tables": [t.to_dict() for t in self.tables],
        }


@timed("load (one transaction)")
def execute_plan(
    plan: Plan,
    engine: sa.Engine,
    schema: DbSchema,
    *,
    reset: bool = False,
    truncate: bool = False,
    allow_hosts: tuple[str, ...] = (),
    allow_remote: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    conn: sa.Connection | None = None,
    ledger: LedgerSpot | None = None,
    scale: float | None = None,
    progress: Progress | None = None,
) -> ApplyReport:
    """Load the plan in one transaction; the production guard first (api.apply has already
    asked it before any connection, this is the same question for direct callers). Every lock
    wait lasts at most `lock_timeout` seconds (0: unbounded); the apply lock is taken first.
    The ledger (execute/ledger.py) decides, under that lock, whether this plan already seeded
    the tables (nothing written) or they hold other rows (refused unless `reset`; `truncate`
    is its old name); a load records its entry in the same transaction. `conn`: the caller's
    connection is used instead of one of seedspec's (`_joined`; no ledger: the caller's
    transaction decides what stays). `progress` hears each table's rows and each phase as they
    happen (execute/progress.py)."""
    check_write_target(engine.url, allow_hosts=allow_hosts, allow_remote=allow_remote)
    told = progress or SILENT
    if conn is not None:
        return _joined(plan, conn, schema, reset or truncate, lock_timeout, told)
    dialect = dialect_for(engine.dialect.name)
    dialect.schema = schema
    spot = ledger or LedgerSpot()
    book = Book(spot, reset=reset or truncate, scale=scale)
    report = ApplyReport(
        plan_digest=plan.digest(), load_path=plan.load_path, ledger_table=spot.label
    )
    started = time.perf_counter()
    conn = connect(engine, load=True)
    attempt = Attempt()
    wait = LockWait(lock_timeout)
    try:
        dialect.bound_waits(conn, lock_timeout)
        if dialect.capabilities.implicit_commits:  # CREATE TABLE would commit: before BEGIN
            book.open(conn)
        conn.commit()  # the session settings' own autobegun transaction ended, nothing in it
        with conn.begin():
            attempt.phase = "load"
            try:
                told.phase("taking locks")
                take(conn, dialect, wait, engine)
                _run(plan, bind(plan), conn, dialect, schema, report, book, attempt, wait, told)
            except KeyboardInterrupt:
                attempt.interrupted = True  # a rollback on a broken connection may replace it
                raise
            attempt.phase = "commit"
            told.phase("committing")
    except BaseException as err:
        if dialect.is_lock_timeout(err):
            err = lock_error(err, dialect, engine, wait)
        elif is_permission_denied(err):
            err = PermissionDenied(_db_message(err))  # type: ignore[arg-type]
        if isinstance(err, (SeedspecError, sa.exc.DBAPIError, KeyboardInterrupt)) or (
            _is_driver_error(err)
        ):
            raise settle(err, attempt, conn, engine, dialect) from None
        with contextlib.suppress(Exception):  # an internal error: rolled back all the same
            settle(err, attempt, conn, engine, dialect)
        raise
    finally:
        wait.stop()
        _release(conn, dialect)
    report.seconds = time.perf_counter() - started
    return report


def _joined(
    plan: Plan,
    conn: sa.Connection,
    schema: DbSchema,
    truncate: bool,
    lock_timeout: float,
    told: Progress,
) -> ApplyReport:
    """The load on the caller's connection: inside a SAVEPOINT when a transaction is open there
    (the caller commits or rolls it back, never seedspec), else in a transaction of its own that
    it commits. A failure rolls back to where the apply began; the connection stays open."""
    dialect = dialect_for(conn.dialect.name)
    dialect.schema = schema
    report = ApplyReport(plan_digest=plan.digest(), load_path=plan.load_path)
    started = time.perf_counter()
    attempt, wait = Attempt(), LockWait(lock_timeout)
    dialect.join_transaction(conn)
    tx = conn.begin_nested() if conn.in_transaction() else conn.begin()
    try:
        told.phase("taking locks")
        take(conn, dialect, wait, conn.engine)
        book = Book(None, reset=truncate, scale=None)
        _run(plan, bind(plan), conn, dialect, schema, report, book, attempt, wait, told)
        tx.commit()  # the SAVEPOINT released, or the apply's own transaction committed
    except BaseException as err:
        if dialect.is_lock_timeout(err):
            err = lock_error(err, dialect, conn.engine, wait)
        with contextlib.suppress(Exception):
            tx.rollback()
        if isinstance(err, (SeedspecError, sa.exc.DBAPIError)) or _is_driver_error(err):
            moved = " (key counters a rollback keeps may have moved)" if attempt.counters else ""
            raise ApplyError(
                f"{message_of(err)}; rolled back to where the apply began{moved}"
            ) from None
        raise
    finally:
        with contextlib.suppress(Exception):
            dialect.release_apply_lock(conn)
    report.seconds = time.perf_counter() - started
    return report


def _release(conn: sa.Connection, dialect: Dialect) -> None:
    """The apply lock (when it outlives the transaction) and the session's waits given back."""
    try:
        if not conn.closed and not conn.invalidated:
            with contextlib.suppress(Exception):
                dialect.release_apply_lock(conn)
                dialect.unbound_waits(conn)
                conn.rollback()
    finally:
        conn.close()


def _is_driver_error(err: BaseException) -> bool:
    """An error raised by a database driver itself (raw cursors bypass SQLAlchemy's wrapping)."""
    return type(err).__module__.split(".")[0] in ("psycopg", "pymysql", "sqlite3")


def _db_message(err: sa.exc.DBAPIError) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return redact_text(" ".join(text[:2]) if text else type(orig).__name__)


def _count(conn: sa.Connection, dialect: Dialect, table: DbTable) -> int:
    return int(
        conn.exec_driver_sql(f"SELECT count(*) FROM {dialect.qualified(conn, table)}").scalar() or 0
    )


def _lock_tables(
    plan: Plan,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    tables: list[DbTable],
    truncate: bool,
    wait: LockWait,
) -> list[DbTable]:
    """Each table the apply writes locked first, in turn; returns the tables it touches."""
    left = {a.table for a in plan.left_alone}
    bulk_path = plan.load_path == "bulk"
    children = referencing(schema, tables, left)[0] if truncate or bulk_path else []
    touched = tables + (children if truncate else [])
    # TRUNCATE and the bulk path's ALTER TABLE (its FKs' other ends too) lock exclusively
    strong = tables + children if truncate or bulk_path else []
    hold(conn, dialect, list({t.name: t for t in strong or touched}.values()), strong, wait)
    if bulk_path:  # setting an FK aside locks its parent exclusively too: asked for first
        parents = _parents(schema, strong)
        hold(conn, dialect, parents, parents, wait)
    return touched


def _parents(schema: DbSchema, tables: list[DbTable]) -> list[DbTable]:
    """The tables the FKs of `tables` reference, but those tables themselves."""
    own = {t.name for t in tables}
    names = dict.fromkeys(f.ref_table for t in tables for f in t.foreign_keys)
    return _tables(schema, [n for n in names if n not in own])


def _tables(schema: DbSchema, names: list[str]) -> list[DbTable]:
    return [t for n in names if (t := schema.table(n)) is not None]


def _run(
    plan: Plan,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    report: ApplyReport,
    book: Book,
    attempt: Attempt,
    wait: LockWait,
    told: Progress,
) -> None:
    tables = _tables(schema, plan.tables + list(plan.trigger_filled))
    done = book.settle(
        conn, dialect, plan, tables, wait
    )  # before any table lock: a no-op takes none
    if done is not None:
        report.noop, report.ledger = True, done.to_dict()
        return
    told.planned(inserts(plan))
    truncate = book.reset
    touched = _lock_tables(plan, conn, dialect, schema, tables, truncate, wait)
    attempt.counters = dialect.read_counters(conn, schema, [t.name for t in tables])
    for table in tables:  # a counter's lock (ALTER SEQUENCE) is waited for as its table's
        wait.table = table
        dialect.protect_counters(conn, [c for c in attempt.counters if c.table == table.name])
    wait.table = None
    attempt.untransacted = [
        (t, why, _count(conn, dialect, t)) for t, why in dialect.non_transactional(conn, touched)
    ]
    told.phase(preparing(plan, truncate))
    judged = resolve(plan, model, conn, dialect, schema)  # the CHECK oracle, before any write
    report.oracle_rows, report.oracle_skipped = judged.moved, judged.skipped
    report.left_alone = [a.table for a in plan.left_alone]
    report.cleared, report.emptied = clear_for_apply(conn, dialect, plan, schema, tables, truncate)
    dialect.begin(conn, plan.deferred_constraints, plan.suspend_fk_checks)
    bulk = None
    if plan.load_path == "bulk":
        bulk = dialect.start_bulk(conn, _tables(schema, plan.tables))
    _load(plan, model, conn, dialect, schema, report, bulk, wait, told)
    # every constraint is back and validated: then the counters, after: (inside the same
    # transaction, its state checked after each statement), and the counters again, past any
    # key after: inserted; a failure from here on puts the counters back (execute/atomic.py)
    resets = [s for s in plan.steps if isinstance(s, ResetSequences)]
    for reset in resets:
        told.phase("resetting sequences")
        report.sequences_moved = dialect.reset_sequences(conn, schema, reset.tables)
    after = [s for s in plan.steps if isinstance(s, RunSql)]
    if after:
        told.phase("running after: SQL")
        run_after(conn, dialect, tables, after)
        for reset in resets:
            dialect.reset_sequences(conn, schema, reset.tables)
    entry = book.record(conn, dialect, plan, tables)
    report.ledger = entry.to_dict() if entry is not None else None


def _load(
    plan: Plan,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    report: ApplyReport,
    bulk: object,
    wait: LockWait,
    told: Progress,
) -> None:
    """Inserts, deferred fills and FK proofs; then keys, CHECKs and FKs restored and validated."""
    refilled = set(trigger_fillers(schema)) & set(plan.tables)
    inserting = True
    for step in plan.steps:
        if inserting and not isinstance(step, InsertRows):
            dialect.end_inserts(conn, bulk)
            inserting = False
        if isinstance(step, InsertRows):
            wait.table, wait.loading = schema.table(step.table), True  # a row lock: its table
            report.tables.append(_insert(model, conn, dialect, schema, step, told))
            if step.table in refilled:  # before the trigger that also fills it calls nextval
                dialect.reset_sequences(conn, schema, (step.table,))
        elif isinstance(step, FillDeferred):
            told.phase(f"filling deferred columns of {step.table}")
            _fill(model, conn, dialect, schema, step)
        elif isinstance(step, VerifyForeignKeys):
            told.phase("verifying foreign keys")
            dialect.finish(conn, plan.suspend_fk_checks)
            bad = dialect.fk_violations(conn, schema, step.tables)
            if bad:
                raise ApplyError(
                    "foreign keys violated after loading with checks suspended: " + "; ".join(bad)
                )
    if inserting:
        dialect.end_inserts(conn, bulk)
    if bulk is not None:
        told.phase("building indexes and validating constraints")
        t0 = time.perf_counter()
        dialect.end_bulk(conn, bulk)
        report.validate_seconds = time.perf_counter() - t0
    dialect.finish(conn, plan.suspend_fk_checks)


def _insert(
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    step: InsertRows,
    told: Progress,
) -> TableReport:
    t0 = time.perf_counter()
    table = schema.table(step.table)
    assert table is not None
    columns = list(step.columns)
    nulls = set(step.null_columns)
    produced = [c for c in columns if c not in nulls]

    def payloads() -> Iterator[Any]:
        """Chunks generated and encoded for the database, one step ahead of the load."""
        for start in range(0, step.count, CHUNK_ROWS):
            stop = min(step.count, start + CHUNK_ROWS)
            arrays = model.arrays(step.table, produced, start, stop)
            values = dict(zip(produced, arrays, strict=True))
            none = np.full(stop - start, None, dtype=object)
            yield dialect.prepare(table, columns, [values.get(c, none) for c in columns])

    told.table_started(step.table, step.count)
    try:
        # one chunk: generated inline (a thread only pays off when it overlaps a second load)
        chunks = payloads() if step.count <= CHUNK_ROWS else prefetch(payloads)
        for start, payload in zip(range(0, step.count, CHUNK_ROWS), chunks, strict=True):
            dialect.load(conn, table, columns, payload)
            told.advanced(step.table, min(CHUNK_ROWS, step.count - start))
    except sa.exc.DBAPIError as err:
        if dialect.is_lock_timeout(err):
            raise
        denied = is_permission_denied(err)
        raise (PermissionDenied if denied else ApplyError)(
            f"loading {step.table}: {_db_message(err)}"
        ) from None
    except Exception as err:
        if (
            isinstance(err, SeedspecError)
            or not _is_driver_error(err)
            or (dialect.is_lock_timeout(err))
        ):
            raise
        raise ApplyError(f"loading {step.table}: {redact_text(str(err))}") from None
    return TableReport(step.table, step.count, time.perf_counter() - t0)


def _fill(
    model: Model, conn: sa.Connection, dialect: Dialect, schema: DbSchema, step: FillDeferred
) -> None:
    table = schema.table(step.table)
    assert table is not None
    names = list(step.key_columns) + list(step.columns)
    for start in range(0, step.count, CHUNK_ROWS):
        stop = min(step.count, start + CHUNK_ROWS)
        cols = model.rows(step.table, names, start, stop)
        dialect.update(conn, table, step.key_columns, step.columns, cols)
