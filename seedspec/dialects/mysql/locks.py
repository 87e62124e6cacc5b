"""MySQL/MariaDB lock waits: the apply's connection + a timeout -> bounded session waits, the
apply's named lock (GET_LOCK), and the sessions holding (or that may hold) what it waited for,
described without a credential or another session's query text."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

FOREVER = 31_536_000  # a year: the servers' own "wait forever" maximum for lock_wait_timeout
# id, user, client address, command, how long its transaction has been open (never its query)
_SESSIONS = """
SELECT p.ID, p.USER, p.HOST, p.COMMAND, TIMESTAMPDIFF(SECOND, t.trx_started, NOW())
FROM information_schema.PROCESSLIST p
LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
WHERE p.ID NOT IN (CONNECTION_ID(), {me}) AND p.ID IN ({ids})
ORDER BY p.ID
"""
# the transactions holding the row locks a session waits for, right now (InnoDB keeps no
# record of a wait that has ended)
_BLOCKING = """
SELECT DISTINCT b.trx_mysql_thread_id
FROM information_schema.INNODB_LOCK_WAITS w
JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id
WHERE r.trx_mysql_thread_id = :me
"""
# the metadata locks on a table that keep a read or a write waiting (the METADATA_LOCK_INFO
# plugin, when it is installed)
_MDL = """
SELECT DISTINCT m.THREAD_ID FROM information_schema.METADATA_LOCK_INFO m
WHERE m.TABLE_SCHEMA = DATABASE() AND {where} AND m.LOCK_MODE IN
    ('MDL_EXCLUSIVE', 'MDL_SHARED_NO_READ_WRITE', 'MDL_SHARED_NO_WRITE')
"""
# a LOCK TABLES holder or an open transaction that locked rows: either may be what blocked
_CANDIDATES = """
SELECT t.trx_mysql_thread_id FROM information_schema.INNODB_TRX t
UNION SELECT p.ID FROM information_schema.PROCESSLIST p
WHERE p.DB = DATABASE() AND p.COMMAND = 'Sleep' AND p.ID <> CONNECTION_ID()
"""


def _seconds(seconds: float) -> int:
    return FOREVER if seconds <= 0 else max(1, math.ceil(seconds))


def bound_waits(conn: sa.Connection, seconds: float) -> None:
    """Metadata locks (LOCK TABLES, DDL) and InnoDB row locks wait at most `seconds`."""
    n = _seconds(seconds)
    conn.exec_driver_sql(f"SET SESSION lock_wait_timeout = {n}")
    conn.exec_driver_sql(f"SET SESSION innodb_lock_wait_timeout = {min(n, 1_073_741_824)}")


def unbound_waits(conn: sa.Connection) -> None:
    conn.exec_driver_sql("SET SESSION lock_wait_timeout = DEFAULT")
    conn.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = DEFAULT")


def lock_name(conn: sa.Connection) -> str:
    database = str(conn.exec_driver_sql("SELECT DATABASE()").scalar())
    return f"seedspec:{database}"[:64]


def take_apply_lock(conn: sa.Connection, seconds: float) -> bool:
    got = conn.execute(
        sa.text("SELECT GET_LOCK(:n, :t)"), {"n": lock_name(conn), "t": _seconds(seconds)}
    ).scalar()
    return bool(got)


def release_apply_lock(conn: sa.Connection) -> None:
    conn.execute(sa.text("SELECT RELEASE_LOCK(:n)"), {"n": lock_name(conn)})


def shard_lock_name(conn: sa.Connection, index: int) -> str:
    """Shard `index`'s named lock (GET_LOCK names are at most 64 characters)."""
    return f"{lock_name(conn)[:48]}:shard:{index}"


def take_shard_lock(conn: sa.Connection, seconds: float, index: int) -> bool:
    name = shard_lock_name(conn, index)
    got = conn.execute(sa.text("SELECT GET_LOCK(:n, :t)"), {"n": name, "t": _seconds(seconds)})
    return bool(got.scalar())


def release_shard_lock(conn: sa.Connection, index: int) -> None:
    conn.execute(sa.text("SELECT RELEASE_LOCK(:n)"), {"n": shard_lock_name(conn, index)})


def describe(row: Any) -> str:
    cid, user, host, command, age = tuple(row)
    held = f", transaction open {age}s" if age is not None else ""
    return f"connection {cid} (user {user}, client {host or 'local'}, {command}{held})"


def session_waits(dbapi_conn: Any, seconds: float) -> None:
    """A new DBAPI connection's metadata and row lock waits last at most `seconds` (reading)."""
    n = _seconds(seconds)
    cur = dbapi_conn.cursor()
    cur.execute(f"SET SESSION lock_wait_timeout = {n}")
    cur.execute(f"SET SESSION innodb_lock_wait_timeout = {min(n, 1_073_741_824)}")
    cur.close()


def sessions(conn: sa.Connection, ids: list[int], me: int) -> list[str]:
    """Each of the sessions `ids` but `me` described."""
    if not ids:
        return []
    listed = ", ".join(str(int(i)) for i in ids)
    rows = conn.exec_driver_sql(_SESSIONS.format(ids=listed, me=int(me))).all()
    return [describe(row) for row in rows]


def blocking(conn: sa.Connection, me: int) -> list[tuple[int, str]]:
    """The sessions whose row locks `me` waits for at this moment, each described."""
    ids = [int(r[0]) for r in conn.execute(sa.text(_BLOCKING), {"me": me}).all()]
    if not ids:
        return []
    rows = conn.exec_driver_sql(_SESSIONS.format(ids=", ".join(map(str, ids)), me=int(me)))
    return [(int(row[0]), describe(row)) for row in rows.all()]


def metadata_holders(conn: sa.Connection, table: str | None, me: int) -> list[str] | None:
    """The sessions holding a metadata lock on `table` (None: any table of this database);
    None when the server cannot say (no METADATA_LOCK_INFO plugin)."""
    where = "m.TABLE_NAME = :table" if table else "1 = 1"
    try:  # an unknown information_schema table: an error that ends nothing
        found = conn.execute(sa.text(_MDL.format(where=where)), {"table": table}).all()
    except sa.exc.DBAPIError:
        return None
    return sessions(conn, [int(r[0]) for r in found], me)


def holders(
    conn: sa.Connection, apply_lock: bool, me: int, table: str | None = None
) -> tuple[list[str], bool]:
    """The apply lock's holder, or the metadata lock holders of `table`; without the plugin
    that says, the sessions with an open transaction or idle on this database (those that may
    hold it). Second: whether the server said so."""
    if apply_lock:
        got = conn.execute(sa.text("SELECT IS_USED_LOCK(:n)"), {"n": lock_name(conn)}).scalar()
        return sessions(conn, [int(got)] if got is not None else [], me), True
    said = metadata_holders(conn, table, me)
    if said is not None:
        return said, True
    ids = [int(r[0]) for r in conn.exec_driver_sql(_CANDIDATES).all() if r[0] is not None]
    return sessions(conn, ids, me), False


def lock_table(conn: sa.Connection, table: str) -> None:
    """The table's metadata lock for the rest of the transaction, taken first so a wait (a
    LOCK TABLES ... WRITE elsewhere) names it."""
    conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 0").all()


def is_lock_timeout(err: BaseException) -> bool:
    """1205 ER_LOCK_WAIT_TIMEOUT (row and metadata locks alike)."""
    orig = getattr(err, "orig", err)
    args: tuple[object, ...] = tuple(getattr(orig, "args", ()))
    return bool(args) and args[0] == 1205
