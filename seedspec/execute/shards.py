"""Sharded loads: a Plan + `apply --shard K/N` (or `--finish`) on the apply's connection ->
shard K's row ranges of every table loaded in one transaction of its own, or, once every shard
is in, every FK and UNIQUE proved, the counters moved and `after:` run, in one transaction.

Shard K holds the rows `export --shard K/N` writes (export/shards.py: each table cut into parts
of `part_rows` rows, parts [P*(K-1)//N, P*K//N) of P). Its rows reference parents another shard
may not have loaded yet, so a shard loads with foreign-key checks off for its own session
(`Dialect.suspend_shard_fks`: PostgreSQL session_replication_role = replica, MySQL/MariaDB
FOREIGN_KEY_CHECKS = 0, SQLite foreign_keys = OFF); keys, UNIQUEs and CHECKs stay enforced.
Cycle-closing UPDATEs run in the shard that holds the rows they update; FK verification,
sequence moves and `after:` wait for --finish, which proves every FK by query and refuses when
the ledger (execute/shardbook.py) misses a shard. docs/EXPORT.md "Sharded loads"."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from seedspec.database.model import DbSchema, DbTable
from seedspec.dialects.base import Dialect
from seedspec.dialects.verify import INTEGERS, verify_foreign_keys, verify_uniques
from seedspec.errors import ApplyError, LockTimeout, UsageError
from seedspec.execute.atomic import Attempt, counters_and_after
from seedspec.execute.ledger import NOOP, Book, history, row_counts
from seedspec.execute.locks import LockWait, hold
from seedspec.execute.oracle import resolve
from seedspec.execute.progress import Progress
from seedspec.execute.report import ApplyReport
from seedspec.execute.rows import fill_rows, insert_rows
from seedspec.execute.shardbook import ShardJob, decide_finish, decide_shard
from seedspec.export.shards import row_ranges, shard_parts
from seedspec.generate.model import Model
from seedspec.plan.bind import bind
from seedspec.plan.model import FillDeferred, InsertRows, Plan

Ranges = dict[str, list[tuple[int, int]]]


def lock_index(job: ShardJob | None) -> int | None:
    """The shard whose lock the apply takes (None: the apply lock itself)."""
    return job.shard.index if job is not None and not job.finish else None


def refuse_connection(job: ShardJob | None) -> None:
    """A caller's Connection: its transaction decides what stays, so no shard runs on it."""
    if job is not None:
        raise UsageError(
            f"apply {job.label()} commits a transaction of its own: give a URL or an Engine, "
            "not a Connection"
        )


def prepare(
    conn: sa.Connection, dialect: Dialect, book: Book, job: ShardJob, wait: LockWait
) -> None:
    """Before the shard's transaction: the ledger created (or given its `shard` column) in a
    short transaction of its own under the ledger's lock, so concurrent shards do not race to
    create it; then the shard's session loads with foreign-key checks off."""
    if book.spot is None:
        raise UsageError(f"apply {job.label()} needs the ledger")
    if not dialect.capabilities.implicit_commits:  # MySQL: opened before BEGIN already
        with conn.begin():
            dialect.bound_transaction_waits(conn, wait.seconds)
            if not dialect.take_ledger_lock(conn, wait.seconds):
                raise LockTimeout(f"waited for the ledger's lock: {wait.seconds:g} s")
            book.open(conn)
        book.table = None  # opened again in the shard's transaction (it reads the columns)
    if not job.finish:
        dialect.suspend_shard_fks(conn, in_transaction=False)


def release(conn: sa.Connection, dialect: Dialect, job: ShardJob) -> None:
    """After the shard: its lock (where it outlives the transaction) and the FK checks back."""
    if conn.closed or conn.invalidated or job.finish:
        return
    try:
        dialect.release_shard_lock(conn, job.shard.index)
        dialect.resume_shard_fks(conn)
    except Exception:  # noqa: BLE001 - the connection is closed next; nothing outlives it
        conn.invalidate()


def run(
    plan: Plan,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    report: ApplyReport,
    book: Book,
    attempt: Attempt,
    wait: LockWait,
    told: Progress,
    job: ShardJob,
) -> None:
    """Inside the transaction, the apply or shard lock held: the shard, or the finish."""
    tables = _seeded(plan, schema)
    if job.finish:
        _finish(plan, conn, dialect, schema, report, book, attempt, wait, told, tables)
    else:
        _shard(plan, bind(plan), conn, dialect, schema, report, book, wait, told, job, tables)


def _seeded(plan: Plan, schema: DbSchema) -> list[DbTable]:
    """The plan's tables; refused when a trigger writes rows the shard's ranges do not name."""
    triggered = [t for n in plan.tables if (t := schema.table(n)) is not None and t.triggers]
    if plan.trigger_filled or triggered:
        names = ", ".join(list(plan.trigger_filled) + [t.name for t in triggered])
        raise UsageError(
            f"apply --shard/--finish: triggers write or fire on {names}; a shard replaces its "
            "own key ranges only, and PostgreSQL's replica mode would skip the triggers: load "
            "this plan unsharded"
        )
    return [t for n in plan.tables if (t := schema.table(n)) is not None]


def held_ranges(plan: Plan, job: ShardJob) -> Ranges:
    """Each table's row ranges in shard K (export --shard K/N's parts of it)."""
    out: Ranges = {}
    for step in plan.steps:
        if isinstance(step, InsertRows):
            parts = shard_parts(step.count, job.shard, job.rows_per_part)
            out[step.table] = [(a, b) for a, b in row_ranges(parts)]
    return out


def _shard(
    plan: Plan,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    report: ApplyReport,
    book: Book,
    wait: LockWait,
    told: Progress,
    job: ShardJob,
    tables: list[DbTable],
) -> None:
    table = book.open(conn)
    counts = row_counts(conn, dialect, tables, wait)
    entries = list(history(conn, table, [t.name for t in tables]))
    action, entry = decide_shard(job, plan.digest(), counts, entries)
    ranges = held_ranges(plan, job)
    report.shard = {**job.entry(), "held": {t: [list(r) for r in rs] for t, rs in ranges.items()}}
    if action == NOOP:
        report.noop, report.ledger = True, entry.to_dict() if entry else None
        return
    told.planned([(t, sum(b - a for a, b in rs)) for t, rs in ranges.items()])
    hold(conn, dialect, tables, [], wait)  # row-level: other shards write the same tables
    judged = resolve(plan, model, conn, dialect, schema)  # the CHECK oracle, before any write
    report.oracle_rows, report.oracle_skipped = judged.moved, judged.skipped
    report.left_alone = [a.table for a in plan.left_alone]
    dialect.begin(conn, plan.deferred_constraints, False)
    dialect.suspend_shard_fks(conn, in_transaction=True)  # parents may be in another shard
    told.phase("replacing the shard's own rows")
    replaced = _replace(model, conn, dialect, schema, plan, ranges)
    report.cleared = replaced
    for step in plan.steps:
        if isinstance(step, InsertRows) and ranges[step.table]:
            wait.table, wait.loading = schema.table(step.table), True
            report.tables.append(
                insert_rows(model, conn, dialect, schema, step, told, ranges[step.table])
            )
        elif isinstance(step, FillDeferred) and ranges.get(step.table):
            told.phase(f"filling deferred columns of {step.table}")
            fill_rows(model, conn, dialect, schema, step, ranges.get(step.table, []))
    wait.table, wait.loading = None, False
    wrote = {t.table: t.rows for t in report.tables}
    done = book.record(conn, dialect, plan, tables, shard=job.entry(), counts=wrote)
    report.ledger = done.to_dict() if done is not None else None


def _replace(
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    plan: Plan,
    ranges: Ranges,
) -> list[str]:
    """Rows already in the shard's key ranges deleted, children first (a shard killed before
    COMMIT leaves none: its transaction is rolled back; this makes a re-run an exact
    replacement whatever is there). Returns the tables it deleted rows of."""
    out = []
    for step in reversed([s for s in plan.steps if isinstance(s, InsertRows)]):
        table = schema.table(step.table)
        keys = list(table.primary_key) if table is not None else []
        if table is None or not keys or not set(keys) <= set(step.columns) - set(step.null_columns):
            continue  # no key the model makes: nothing of this shard can be told apart
        gone = 0
        for start, stop in _chunks(ranges.get(step.table, [])):
            arrays = model.arrays(step.table, keys, start, stop)
            own = list(zip(*dialect.export_values(table, keys, arrays), strict=True))
            gone += _delete(conn, dialect, table, keys, _present(conn, dialect, table, keys, own))
        if gone:
            out.append(step.table)
    return out


def _present(
    conn: sa.Connection, dialect: Dialect, table: DbTable, keys: list[str], own: list[tuple]
) -> list[tuple]:
    """Which of these keys a row holds. An integer first key: the rows between its bounds,
    read once (a consistent read: no lock another shard waits for) and matched here; else
    every key, as it is (a table keyed otherwise pays a DELETE per row)."""
    column = table.column(keys[0])
    if not own or column is None or column.type not in INTEGERS:
        return own
    lo, hi = min(int(k[0]) for k in own), max(int(k[0]) for k in own)
    names = ", ".join(dialect.quote(conn, k) for k in keys)
    first = dialect.quote(conn, keys[0])
    found = conn.exec_driver_sql(
        f"SELECT {names} FROM {dialect.qualified(conn, table)} WHERE {first} BETWEEN {lo} AND {hi}"
    ).all()
    mine = {tuple(str(v) for v in k) for k in own}
    return [tuple(row) for row in found if tuple(str(v) for v in row) in mine]


def _delete(
    conn: sa.Connection, dialect: Dialect, table: DbTable, keys: Sequence[str], rows: list[tuple]
) -> int:
    """DELETE of exactly these rows, by their full key; how many went."""
    target = sa.table(table.bare_name, *(sa.column(k) for k in keys), schema=table.schema)
    gone = 0
    for at in range(0, len(rows), 200):
        match = [
            sa.and_(*(target.c[k] == v for k, v in zip(keys, row, strict=True)))
            for row in rows[at : at + 200]
        ]
        gone += conn.execute(sa.delete(target).where(sa.or_(*match))).rowcount or 0
    return gone


def _verify(
    plan: Plan,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    counts: dict[str, int],
    tables: list[DbTable],
) -> None:
    """Every table holds the plan's rows, every FK and secondary UNIQUE holds (by query)."""
    expected = {s.table: s.count for s in plan.steps if isinstance(s, InsertRows)}
    wrong = [
        f"{t} {counts.get(t, 0):,} (the plan: {c:,})"
        for t, c in expected.items()
        if counts.get(t, 0) != c
    ]
    if wrong:
        raise ApplyError(f"apply --finish: every shard is in, but tables hold: {', '.join(wrong)}")
    names = [t.name for t in tables]
    bad = verify_foreign_keys(dialect, conn, schema, names)
    bad += verify_uniques(dialect, conn, schema, names)
    if bad:
        raise ApplyError("apply --finish: constraints violated after the shards: " + "; ".join(bad))


def _chunks(ranges: Sequence[tuple[int, int]], size: int = 50_000) -> list[tuple[int, int]]:
    return [(s, min(stop, s + size)) for start, stop in ranges for s in range(start, stop, size)]


def _finish(
    plan: Plan,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    report: ApplyReport,
    book: Book,
    attempt: Attempt,
    wait: LockWait,
    told: Progress,
    tables: list[DbTable],
) -> None:
    """Every shard in (else ShardsMissing naming them), every table holding the plan's rows,
    every FK and UNIQUE proved by query; then the counters, `after:`, the finish's entry."""
    table = book.open(conn)
    counts = row_counts(conn, dialect, tables, wait)
    entries = list(history(conn, table, [t.name for t in tables]))
    action, entry, n, parts = decide_finish(ShardJob(finish=True), plan.digest(), counts, entries)
    report.shard = {"finish": True, "count": n, "part_rows": parts, "verified": dict(counts)}
    report.left_alone = [a.table for a in plan.left_alone]
    if action == NOOP:
        report.noop, report.ledger = True, entry.to_dict() if entry else None
        return
    hold(conn, dialect, tables, [], wait)
    dialect.begin(conn, plan.deferred_constraints, False)
    told.phase("verifying foreign keys and uniques")
    _verify(plan, conn, dialect, schema, counts, tables)
    names = [t.name for t in tables]
    attempt.counters = dialect.read_counters(conn, schema, names)
    for t in tables:
        wait.table = t
        dialect.protect_counters(conn, [c for c in attempt.counters if c.table == t.name])
    wait.table = None
    counters_and_after(plan, conn, dialect, schema, tables, report, told)
    shard = {"finish": True, "count": n, "part_rows": parts}
    done = book.record(conn, dialect, plan, tables, shard=shard)
    report.ledger = done.to_dict() if done is not None else None
