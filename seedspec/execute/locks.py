"""Bounded lock waits: the apply's connection + --lock-timeout -> every wait bounded, the
database-wide apply lock and the seeded tables' locks taken first; an expired wait -> a
LockTimeout naming the table and, where the database can tell, the session holding it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from seedspec.database.connect import connect, redact
from seedspec.database.model import DbTable
from seedspec.database.waits import DEFAULT_LOCK_TIMEOUT, Watch, detail, said, waited
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect
from seedspec.errors import LockTimeout

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

__all__ = ["DEFAULT_LOCK_TIMEOUT", "LockWait", "hold", "lock_error", "take"]


class LockWait:
    """What the apply is waiting for: the apply lock, a table, or something inside a statement."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.table: DbTable | None = None
        self.loading = False  # waiting inside a load (a row lock), not for the table's own lock
        self.session = 0  # the apply connection's own session id (excluded from holders)
        self.watch: Watch | None = None  # who the apply waits for, asked while it waits

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()


def take(
    conn: sa.Connection,
    dialect: Dialect,
    wait: LockWait,
    engine: sa.Engine,
    shard: int | None = None,
) -> None:
    """Inside the apply transaction, before anything else: waits bounded, the apply lock held
    (`shard` K: shard K's lock, which other shards' locks do not exclude), and a second
    connection watching which sessions the apply waits for."""
    wait.session = dialect.session_id(conn)
    dialect.bound_transaction_waits(conn, wait.seconds)
    if shard is not None:
        if not dialect.take_shard_lock(conn, wait.seconds, shard):
            raise LockTimeout(
                f"another seedspec apply holds the lock of shard {shard} (or a plain apply the "
                f"apply lock) on {_db(engine, dialect)} ({waited(wait.seconds)})"
            )
    elif not dialect.take_apply_lock(conn, wait.seconds):
        who, certain = _holders(engine, dialect, None, wait.session, apply_lock=True)
        held = "; held by " + "; ".join(who) if who and certain else ""
        raise LockTimeout(
            f"another seedspec apply holds the lock on {_db(engine, dialect)} "
            f"({waited(wait.seconds)}{held})"
        )
    wait.watch = Watch.start(engine, wait.session, wait.seconds)


def hold(
    conn: sa.Connection,
    dialect: Dialect,
    tables: Sequence[DbTable],
    exclusive: Sequence[DbTable],
    wait: LockWait,
) -> None:
    """Each table's lock taken in turn, so a wait that expires says which table it was
    (`exclusive`: TRUNCATE's and ALTER TABLE's)."""
    strong = {t.name for t in exclusive}
    for table in tables:
        wait.table = table
        mode = "exclusive" if table.name in strong else "write"
        dialect.lock_table(conn, table, mode)
    wait.table = None


def lock_error(
    err: BaseException, dialect: Dialect, engine: sa.Engine, wait: LockWait
) -> LockTimeout:
    """The expired lock wait `err` said in words (called before the rollback): who the watch
    saw the apply wait for, else (a fresh connection asks) who holds the table's lock."""
    what = f"a lock on table {wait.table.name}" if wait.table else "a lock"
    if wait.table is not None and wait.loading:
        what = f"a lock while loading table {wait.table.name}"
    if dialect.capabilities.database_write_lock:
        what = f"the write lock on {_db(engine, dialect)} (another writer holds it)"
    seen = wait.watch.seen() if wait.watch is not None else []
    who, certain = (seen, True) if seen else _holders(engine, dialect, wait.table, wait.session)
    held = said(who, certain) if not dialect.capabilities.database_write_lock else ""
    return LockTimeout(f"waited for {what}{held}: {waited(wait.seconds)} ({detail(err)})")


def _holders(
    engine: sa.Engine, dialect: Dialect, table: DbTable | None, me: int, *, apply_lock: bool = False
) -> tuple[list[str], bool]:
    with contextlib.suppress(Exception):  # who blocks is a courtesy: never hides the error
        conn = connect(engine)
        try:
            return dialect.lock_holders(conn, table, me, apply_lock)
        finally:
            conn.close()
    return [], False


def _db(engine: sa.Engine, dialect: Dialect) -> str:
    if dialect.capabilities.database_write_lock:  # a file: its path says it
        return str(engine.url.database or ":memory:")
    return f"database {engine.url.database} at {redact(engine.url)}"
