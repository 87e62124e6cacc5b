"""All or nothing: after: statements + the open apply transaction -> run with its state checked;
a failed or interrupted apply -> rolled back, counters put back, and an error that says what
was written (only "nothing was written" when that is what the database says)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from seedspec.database.connect import connect, redact_text
from seedspec.database.model import DbTable
from seedspec.deferred import deferred
from seedspec.dialects.base import Counter, Dialect
from seedspec.errors import AlreadySeeded, ApplyError, LockTimeout, PermissionDenied, SeedspecError
from seedspec.plan.model import Plan, ResetSequences, RunSql

if TYPE_CHECKING:
    import sqlalchemy as sa

    from seedspec.database.model import DbSchema
    from seedspec.execute.progress import Progress
    from seedspec.execute.report import ApplyReport
else:
    sa = deferred("sqlalchemy")

NOTHING_WRITTEN = "rolled back, nothing was written"


@dataclass
class Attempt:
    """What an apply has done so far, for the one place that decides what a failure left."""

    counters: list[Counter] = field(default_factory=list)  # as they were before the apply
    # tables a rollback cannot restore (MariaDB MyISAM ...): (table, why, rows before)
    untransacted: list[tuple[DbTable, str, int]] = field(default_factory=list)
    phase: str = "start"  # start | load | commit
    interrupted: bool = False


class LostTransaction(ApplyError):
    """An after: statement ended the apply's transaction (outcome: committed | aborted | None)."""

    def __init__(self, message: str, outcome: str | None) -> None:
        super().__init__(message)
        self.outcome = outcome


def counters_and_after(
    plan: Plan,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    tables: Sequence[DbTable],
    report: ApplyReport,
    told: Progress,
) -> None:
    """Once every constraint is back: the counters moved past the keys, the plan's after: SQL,
    and the counters again, past any key after: inserted (an apply's end, and --finish's)."""
    resets = [s for s in plan.steps if isinstance(s, ResetSequences)]
    for reset in resets:
        told.phase("resetting sequences")
        report.sequences_moved = dialect.reset_sequences(conn, schema, reset.tables)
    after = [s for s in plan.steps if isinstance(s, RunSql)]
    if after:
        told.phase("running after: SQL")
        run_after(conn, dialect, list(tables), after)
        for reset in resets:
            dialect.reset_sequences(conn, schema, reset.tables)


def run_after(
    conn: sa.Connection, dialect: Dialect, seeded: Sequence[DbTable], steps: Sequence[RunSql]
) -> None:
    """Each after: statement in order, inside the transaction; after each one the transaction
    must still be the apply's own (compile refuses what would end it; this catches the rest:
    a procedure that commits, SQL the tokenizer could not read)."""
    marker = dialect.transaction_marker(conn)
    for i, step in enumerate(steps):
        where = f"{step.location}: " if step.location else ""
        try:
            dialect.execute_raw(conn, step.sql)
        except Exception as err:
            msg = str(getattr(err, "orig", err)).strip().splitlines()
            text = redact_text(msg[0] if msg else type(err).__name__)
            if dialect.transaction_lost(conn, marker):
                lost = _lost(conn, dialect, seeded, f"{where}after[{i}] failed ({text})", marker)
                raise lost from None
            raise ApplyError(f"{where}after: SQL failed: {text}") from None
        if dialect.transaction_lost(conn, marker):
            raise _lost(conn, dialect, seeded, f"{where}after[{i}]", marker)


def _lost(
    conn: sa.Connection, dialect: Dialect, seeded: Sequence[DbTable], what: str, marker: object
) -> LostTransaction:
    outcome = dialect.transaction_outcome(conn, marker)
    head = f"{what} ended seedspec's transaction"
    if outcome == "aborted":
        return LostTransaction(f"{head}: the database rolled it back", outcome)
    counts = _counts(conn, dialect, seeded)
    if outcome == "committed":
        return LostTransaction(
            f"{head}: it was COMMITTED, so this apply's rows are written and stay ({counts}); "
            "the later after: statements did not run and seedspec cannot roll it back",
            outcome,
        )
    return LostTransaction(
        f"{head} (a COMMIT, implicit or in a procedure): what it committed stays, seedspec "
        f"cannot roll it back; the seeded tables now hold {counts}",
        outcome,
    )


def _counts(conn: sa.Connection, dialect: Dialect, seeded: Sequence[DbTable]) -> str:
    parts = []
    for t in seeded[:12]:
        n = conn.exec_driver_sql(f"SELECT count(*) FROM {dialect.qualified(conn, t)}").scalar()
        if n:
            parts.append(f"{t.name}: {n}")
    return ", ".join(parts) + " rows" if parts else "no rows"


def settle(
    err: BaseException,
    attempt: Attempt,
    conn: sa.Connection,
    engine: sa.Engine,
    dialect: Dialect,
) -> BaseException:
    """The exception to raise for a failed apply, once the rollback is done and the counters
    a rollback does not undo are put back."""
    if isinstance(err, LostTransaction) and err.outcome != "aborted":
        return err  # rows committed: their counters stay moved past them
    alive = _rolled_back(conn, dialect)
    if attempt.phase == "commit" and isinstance(err, KeyboardInterrupt):
        return KeyboardInterrupt(
            "interrupted during COMMIT: whether this apply was written is unknown (count the "
            "seeded tables' rows)"
        )
    if attempt.phase == "commit" and not alive:
        return ApplyError(
            f"{message_of(err)}; the connection was lost during COMMIT: whether this apply was "
            "written is unknown (count the seeded tables' rows)"
        )
    failed = _restore(conn if alive else None, engine, dialect, attempt.counters)
    kept = _untransacted(conn if alive else None, engine, dialect, attempt.untransacted)
    truth = NOTHING_WRITTEN
    if failed or kept:
        truth = f"rolled back, but {'; '.join(kept + failed)}"
    if attempt.interrupted or isinstance(err, KeyboardInterrupt):
        return KeyboardInterrupt(f"interrupted; {truth}")
    if isinstance(err, (LockTimeout, PermissionDenied, AlreadySeeded)):  # keeps its error code
        return type(err)(f"{message_of(err)}; {truth}")
    if isinstance(err, SeedspecError) and not isinstance(err, ApplyError) and not failed:
        return err  # refused before writing (the CHECK oracle, a plan mismatch): says so itself
    return ApplyError(f"{message_of(err)}; {truth}")


def message_of(err: BaseException) -> str:
    if isinstance(err, SeedspecError):
        return err.message
    orig = getattr(err, "orig", None) or err
    lines = str(orig).strip().splitlines()
    return redact_text(" ".join(lines[:2]) if lines else type(orig).__name__)


def _rolled_back(conn: sa.Connection, dialect: Dialect) -> bool:
    """Roll back what is still open; False when the connection no longer answers (the server
    then ends the session, and an uncommitted transaction with it)."""
    if conn.invalidated or conn.closed:
        return False
    try:
        conn.rollback()
        dialect.roll_back_driver(conn)
        conn.exec_driver_sql("SELECT 1").scalar()
        conn.rollback()
        return True
    except Exception:  # noqa: BLE001 - a dead connection: the server rolls back
        with contextlib.suppress(Exception):
            conn.invalidate()
        return False


def _restore(
    conn: sa.Connection | None, engine: sa.Engine, dialect: Dialect, counters: list[Counter]
) -> list[str]:
    """Put each counter back; what could not be is returned, said for the error message."""
    if not counters:
        return []
    own = conn is None
    failed = []
    try:
        use = connect(engine) if conn is None else conn
    except SeedspecError as err:
        return [f"the key counters ({_names(counters)}) could not be put back: {err.message}"]
    try:
        for counter in counters:
            try:
                with use.begin():
                    dialect.restore_counter(use, counter)
            except Exception as err:  # noqa: BLE001 - reported, never hidden
                failed.append(
                    f"the counter {counter.name} of {counter.table} could not be put back to "
                    f"{counter.state[0]} ({message_of(err)})"
                )
    finally:
        if own:
            use.close()
    return failed


def _untransacted(
    conn: sa.Connection | None,
    engine: sa.Engine,
    dialect: Dialect,
    tables: list[tuple[DbTable, str, int]],
) -> list[str]:
    """What the rollback could not undo in tables that do not take part in transactions."""
    if not tables:
        return []
    out = []
    use = connect(engine) if conn is None else conn
    try:
        for t, why, before in tables:
            now = use.exec_driver_sql(f"SELECT count(*) FROM {dialect.qualified(use, t)}").scalar()
            if now != before:
                out.append(f"{t.name} ({why}) cannot roll back: it held {before} rows, now {now}")
        use.rollback()
    finally:
        if conn is None:
            use.close()
    return out


def _names(counters: list[Counter]) -> str:
    return ", ".join(c.name for c in counters[:5]) + (" ..." if len(counters) > 5 else "")
