"""PostgreSQL lock waits: the apply's connection + a timeout -> bounded waits, the apply's
advisory lock, and the sessions holding a lock it waited for (never a credential)."""

from __future__ import annotations

import hashlib
import time

import sqlalchemy as sa

_HOLDERS = """
SELECT DISTINCT a.pid, a.usename, a.application_name, a.state, a.query_start
FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND l.pid NOT IN (pg_catalog.pg_backend_pid(), :me) AND {where}
ORDER BY a.pid
"""
_ON_TABLE = "l.locktype = 'relation' AND l.relation = CAST(:table AS regclass)"
_ON_KEY = "l.locktype = 'advisory' AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"


def set_lock_timeout(conn: sa.Connection, seconds: float) -> None:
    """Every later statement of the open transaction waits at most `seconds` for a lock."""
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(round(seconds * 1000))}")


def apply_key(database: str) -> int:
    """The advisory lock key of 'seedspec' + the database: a signed 64-bit int, stable."""
    digest = hashlib.sha256(f"seedspec:{database}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def take_apply_lock(conn: sa.Connection, seconds: float) -> bool:
    """pg_try_advisory_xact_lock retried until `seconds` pass (0: forever); released at the
    transaction's end. False: another session still holds it."""
    key = apply_key(str(conn.exec_driver_sql("SELECT current_database()").scalar()))
    deadline = time.monotonic() + seconds
    while True:
        got = conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar()
        if got:
            return True
        if seconds and time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def holders(conn: sa.Connection, table: str | None, me: int) -> list[str]:
    """The sessions holding a lock on `table` (a qualified name), or on the apply lock (None)."""
    if table is None:
        database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
        key = apply_key(database) & 0xFFFFFFFFFFFFFFFF
        query = _HOLDERS.format(where=_ON_KEY)
        params: dict[str, object] = {"hi": key >> 32, "lo": key & 0xFFFFFFFF, "me": me}
    else:
        query, params = _HOLDERS.format(where=_ON_TABLE), {"table": table, "me": me}
    out = []
    for pid, user, app, state, started in conn.execute(sa.text(query), params).all():
        since = started.isoformat(timespec="seconds") if started is not None else "?"
        out.append(
            f"pid {pid} (user {user}, application_name {app!r}, state {state}, "
            f"query started {since})"
        )
    return out


_MODES = {"write": "ROW EXCLUSIVE", "exclusive": "ACCESS EXCLUSIVE"}


def lock_table(conn: sa.Connection, table: str, mode: str) -> None:
    """The table's lock for the rest of the transaction, taken first so a wait names it."""
    conn.exec_driver_sql(f"LOCK TABLE {table} IN {_MODES[mode]} MODE")


def is_lock_timeout(err: BaseException) -> bool:
    """55P03 lock_not_available: lock_timeout expired."""
    orig = getattr(err, "orig", err)
    return getattr(orig, "sqlstate", None) == "55P03"
