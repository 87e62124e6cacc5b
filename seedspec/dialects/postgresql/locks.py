"""PostgreSQL lock waits: the apply's connection + a timeout -> bounded waits, the apply's
advisory lock, and the sessions holding a lock it waited for (described without a credential
or another session's query text)."""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

# what a session is told by: never its query (it may hold a secret), never a password
_SESSION = """
SELECT DISTINCT a.pid, a.usename, a.application_name, host(a.client_addr), a.state,
    CAST(extract(epoch FROM clock_timestamp() - a.xact_start) AS integer){extra}
FROM pg_catalog.pg_stat_activity a {join}
WHERE a.pid <> pg_catalog.pg_backend_pid() AND {where}
ORDER BY a.pid{order}
"""
_HOLDERS = _SESSION.format(
    extra="",
    join="JOIN pg_catalog.pg_locks l ON l.pid = a.pid",
    where="l.granted AND l.pid <> :me AND {where}",
    order="",
)
_ON_TABLE = "l.locktype = 'relation' AND l.relation = CAST(:table AS regclass)"
_ON_KEY = "l.locktype = 'advisory' AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"
# the sessions a waiting session waits for, right now (the wait itself is gone once it expired)
_BLOCKING = _SESSION.format(
    extra="", join="", where="a.pid = ANY (pg_catalog.pg_blocking_pids(:me))", order=""
)
# the ACCESS EXCLUSIVE locks a read of the catalog or of a table waits for (DDL, LOCK TABLE)
_EXCLUSIVE = _SESSION.format(
    extra=", CAST(CAST(l.relation AS regclass) AS text)",
    join="JOIN pg_catalog.pg_locks l ON l.pid = a.pid",
    where="l.granted AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' "
    "AND l.pid <> :me AND l.database = "
    "(SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())",
    order=", 7",
)


def describe(row: Any) -> str:
    """pid, user, application_name, client address, state and how long its transaction has
    been open: what the server says of a session, no query text."""
    pid, user, app, client, state, age = tuple(row)[:6]
    held = f", transaction open {age}s" if age is not None else ""
    return (
        f"pid {pid} (user {user}, application_name {app!r}, client {client or 'local'}, "
        f"state {state}{held})"
    )


def set_lock_timeout(conn: sa.Connection, seconds: float) -> None:
    """Every later statement of the open transaction waits at most `seconds` for a lock."""
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(round(seconds * 1000))}")


def session_lock_timeout(dbapi_conn: Any, seconds: float) -> None:
    """A new DBAPI connection's every statement waits at most `seconds` for a lock (reading)."""
    cur = dbapi_conn.cursor()
    cur.execute(f"SET lock_timeout = {int(round(seconds * 1000))}")
    cur.close()
    dbapi_conn.commit()


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


def _retry(conn: sa.Connection, sql: str, key: int, seconds: float) -> bool:
    """An advisory pg_try_* lock retried until `seconds` pass (0: forever)."""
    deadline = time.monotonic() + seconds
    while not conn.execute(sa.text(sql), {"k": key}).scalar():
        if seconds and time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def take_shard_lock(conn: sa.Connection, seconds: float, index: int) -> bool:
    """The apply lock shared (shards run together; a plain apply or --finish, which take it
    exclusively, wait for them and they for it) and shard `index`'s own lock exclusively,
    both until the transaction ends."""
    database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
    shared = "SELECT pg_try_advisory_xact_lock_shared(:k)"
    if not _retry(conn, shared, apply_key(database), seconds):
        return False
    mine = "SELECT pg_try_advisory_xact_lock(:k)"
    return _retry(conn, mine, apply_key(f"{database}:shard:{index}"), seconds)


def take_ledger_lock(conn: sa.Connection, seconds: float) -> bool:
    """The lock a shard creates the ledger under (not the apply lock: shards hold it shared)."""
    database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
    return _retry(
        conn, "SELECT pg_try_advisory_xact_lock(:k)", apply_key(f"{database}:ledger"), seconds
    )


def holders(conn: sa.Connection, table: str | None, me: int) -> list[str]:
    """The sessions holding a lock on `table` (a qualified name), or on the apply lock (None)."""
    if table is None:
        database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
        key = apply_key(database) & 0xFFFFFFFFFFFFFFFF
        query = _HOLDERS.format(where=_ON_KEY)
        params: dict[str, object] = {"hi": key >> 32, "lo": key & 0xFFFFFFFF, "me": me}
    else:
        query, params = _HOLDERS.format(where=_ON_TABLE), {"table": table, "me": me}
    return [describe(row) for row in conn.execute(sa.text(query), params).all()]


def blocking(conn: sa.Connection, pid: int) -> list[tuple[int, str]]:
    """The sessions `pid` waits for at this moment (pg_blocking_pids), each described."""
    rows = conn.execute(sa.text(_BLOCKING), {"me": pid}).all()
    return [(int(row[0]), describe(row)) for row in rows]


def exclusive_holders(conn: sa.Connection, me: int) -> list[str]:
    """Every ACCESS EXCLUSIVE lock on a relation of this database but `me`'s: its table and
    the session holding it (what a schema read waits for)."""
    rows = conn.execute(sa.text(_EXCLUSIVE), {"me": me}).all()
    return [f"table {row[6]} locked by {describe(row)}" for row in rows]


_MODES = {"write": "ROW EXCLUSIVE", "exclusive": "ACCESS EXCLUSIVE"}


def lock_table(conn: sa.Connection, table: str, mode: str) -> None:
    """The table's lock for the rest of the transaction, taken first so a wait names it."""
    conn.exec_driver_sql(f"LOCK TABLE {table} IN {_MODES[mode]} MODE")


def is_lock_timeout(err: BaseException) -> bool:
    """55P03 lock_not_available: lock_timeout expired."""
    orig = getattr(err, "orig", err)
    return getattr(orig, "sqlstate", None) == "55P03"
