"""Execute: (Plan, Engine, DbSchema) -> ApplyReport; the plan bound, loaded in one transaction."""

from __future__ import annotations

import contextlib
import time

import sqlalchemy as sa

from seedspec.database.connect import connect, is_permission_denied
from seedspec.database.guard import check_write_target
from seedspec.database.model import DbSchema, DbTable
from seedspec.database.triggers import trigger_fillers
from seedspec.dialects.base import Dialect
from seedspec.dialects.registry import dialect_for
from seedspec.errors import ApplyError, PermissionDenied, SeedspecError
from seedspec.execute import shards
from seedspec.execute.atomic import Attempt, counters_and_after, message_of, settle
from seedspec.execute.clear import clear_for_apply, referencing
from seedspec.execute.ledger import Book, LedgerSpot
from seedspec.execute.locks import DEFAULT_LOCK_TIMEOUT, LockWait, hold, lock_error, take
from seedspec.execute.oracle import resolve
from seedspec.execute.progress import SILENT, Progress, inserts, preparing
from seedspec.execute.report import ApplyReport
from seedspec.execute.rows import db_message, fill_rows, insert_rows, is_driver_error
from seedspec.execute.shardbook import ShardJob
from seedspec.generate.model import Model
from seedspec.plan.bind import bind
from seedspec.plan.model import (
    FillDeferred,
    InsertRows,
    Plan,
    VerifyForeignKeys,
)
from seedspec.timing import timed


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
    job: ShardJob | None = None,
) -> ApplyReport:
    """Load the plan in one transaction (`job`: a shard, or the finish: execute/shards.py); the
    production guard first (api.apply asked it before any connection; the same question here).
    Each lock wait at most `lock_timeout` s (0: unbounded); the apply lock first. The ledger
    (execute/ledger.py) decides under it: already seeded by this plan (nothing written), or
    other rows (refused unless `reset`, old name `truncate`); a load records its entry in the
    same transaction. `conn`: the caller's connection (`_joined`; no ledger: the caller's
    transaction decides what stays). `progress` hears each table's rows and each phase."""
    check_write_target(engine.url, allow_hosts=allow_hosts, allow_remote=allow_remote)
    told = progress or SILENT
    if conn is not None:
        shards.refuse_connection(job)
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
        if job is not None:
            shards.prepare(conn, dialect, book, job, wait)
        with conn.begin():
            attempt.phase = "load"
            try:
                told.phase("taking locks")
                take(conn, dialect, wait, engine, shards.lock_index(job))
                if job is not None:
                    shards.run(plan, conn, dialect, schema, report, book, attempt, wait, told, job)
                else:
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
            err = PermissionDenied(db_message(err))  # type: ignore[arg-type]
        if isinstance(err, (SeedspecError, sa.exc.DBAPIError, KeyboardInterrupt)) or (
            is_driver_error(err)
        ):
            raise settle(err, attempt, conn, engine, dialect) from None
        with contextlib.suppress(Exception):  # an internal error: rolled back all the same
            settle(err, attempt, conn, engine, dialect)
        raise
    finally:
        wait.stop()
        if job is not None:
            shards.release(conn, dialect, job)
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
        if isinstance(err, (SeedspecError, sa.exc.DBAPIError)) or is_driver_error(err):
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
    counters_and_after(plan, conn, dialect, schema, tables, report, told)
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
            report.tables.append(insert_rows(model, conn, dialect, schema, step, told))
            if step.table in refilled:  # before the trigger that also fills it calls nextval
                dialect.reset_sequences(conn, schema, (step.table,))
        elif isinstance(step, FillDeferred):
            told.phase(f"filling deferred columns of {step.table}")
            fill_rows(model, conn, dialect, schema, step)
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
