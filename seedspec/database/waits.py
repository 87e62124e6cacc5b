"""Lock waits seen from a second connection: a session + its engine -> the sessions it waits for
(sampled while it waits, since an expired wait leaves no trace), and a schema read's expired
wait -> a SeedspecError naming the lock and who holds it (never a credential or a query)."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import TYPE_CHECKING

from seedspec.database.connect import redact_text
from seedspec.deferred import deferred
from seedspec.errors import LockTimeout

if TYPE_CHECKING:
    import sqlalchemy as sa

    from seedspec.dialects import registry
else:
    sa = deferred("sqlalchemy")
    registry = deferred("seedspec.dialects.registry")

DEFAULT_LOCK_TIMEOUT = 5.0
LOCK_TIMEOUT_KEY = "seedspec_lock_timeout"  # in a connection's info: its reads' bound
SESSION_KEY = "seedspec_session"  # and its server session id (the dialect's listener)


def bound_reads(engine: sa.Engine, seconds: float) -> None:
    """Every connection of `engine` waits at most `seconds` for a lock (0: unbounded)."""
    registry.dialect_for(engine.dialect.name).bound_reads(engine, seconds)

    @sa.event.listens_for(engine, "connect")
    def _remember(_dbapi_conn: object, record: sa.pool.ConnectionPoolEntry) -> None:
        record.info[LOCK_TIMEOUT_KEY] = seconds


def said(sessions: list[str], certain: bool) -> str:
    """', held by A; B' when the server said so, else what it could say."""
    if certain:
        return f", held by {'; '.join(sessions)}" if sessions else ""
    maybe = f"; sessions open or idle on the database: {'; '.join(sessions)}" if sessions else ""
    return f" (the server did not say who holds it{maybe})"


def waited(seconds: float) -> str:
    return f"gave up after --lock-timeout {seconds:g} s"


class Watch:
    """A thread on its own connection asking, every fifth of the timeout, which sessions
    `session` waits for; the last answer while it waited is what `seen` returns."""

    def __init__(self, engine: sa.Engine, session: int, seconds: float) -> None:
        self.engine = engine
        self.session = session
        self.interval = min(0.5, max(0.05, seconds / 5))
        self._stop = threading.Event()
        self._last: list[str] = []
        self._last_at = 0.0
        self._thread = threading.Thread(target=self._run, name="seedspec-lock-watch", daemon=True)

    @classmethod
    def start(cls, engine: sa.Engine, session: int, seconds: float) -> Watch | None:
        """A running watch, or None: no bound, or a server that cannot say who blocks."""
        if (
            seconds <= 0
            or not session
            or not registry.dialect_for(engine.dialect.name).watches_blockers
        ):
            return None
        watch = cls(engine, session, seconds)
        watch._thread.start()
        return watch

    def _run(self) -> None:
        dialect = registry.dialect_for(self.engine.dialect.name)
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except Exception:  # noqa: BLE001 - who blocks is a courtesy
            return
        try:
            while not self._stop.wait(self.interval):
                found = dialect.blocking(conn, self.session)
                if found:
                    self._last, self._last_at = [d for _, d in found], time.monotonic()
        except Exception:  # noqa: BLE001 - a lost connection ends the watch, not the apply
            return
        finally:
            with contextlib.suppress(Exception):
                conn.close()

    def seen(self) -> list[str]:
        """The sessions the last wait was seen waiting for, if it ended just now."""
        self.stop()
        recent = time.monotonic() - self._last_at <= 3 * self.interval + 0.5
        return list(self._last) if self._last and recent else []

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)


def read_lock_error(
    err: BaseException, conn: sa.Connection, table: str | None = None
) -> LockTimeout:
    """A schema read's (or a left-alone table's) expired lock wait said in words: the locks a
    read waits for and who holds them, asked on a fresh connection (the holder still has it)."""
    dialect = registry.dialect_for(conn.dialect.name)
    seconds = float(conn.info.get(LOCK_TIMEOUT_KEY, DEFAULT_LOCK_TIMEOUT))
    me = 0
    with contextlib.suppress(Exception):
        me = int(conn.info.get(SESSION_KEY, 0))
    sessions: list[str] = []
    certain = False
    with contextlib.suppress(Exception), conn.engine.connect() as other:
        sessions, certain = dialect.read_lock_holders(other, me)  # a courtesy: never hides err
    what = f"reading table {table}" if table else "reading the schema"
    held = f" ({'; '.join(sessions)})" if certain and sessions else said(sessions, certain)
    return LockTimeout(
        f"{what} waited for a lock{held}: {waited(seconds)} ({detail(err)}); nothing was written"
    )


def detail(err: BaseException) -> str:
    """The server's own words for a driver error, one line, any password masked."""
    orig = getattr(err, "orig", err)
    args: tuple[object, ...] = tuple(getattr(orig, "args", ()))
    text = args[1] if len(args) == 2 and isinstance(args[0], int) else orig  # pymysql (1205, ..)
    lines = str(text).strip().splitlines()
    return redact_text(lines[0] if lines else type(orig).__name__)
