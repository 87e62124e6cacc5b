"""MySQL/MariaDB lock waits: the apply's connection + a timeout -> bounded session waits, the
apply's named lock (GET_LOCK), and the sessions that may hold what it waited for."""

from __future__ import annotations

import math

import sqlalchemy as sa

FOREVER = 31_536_000  # a year: the servers' own "wait forever" maximum for lock_wait_timeout
_SESSIONS = """
SELECT p.ID, p.USER, p.COMMAND, p.TIME, p.STATE
FROM information_schema.PROCESSLIST p
WHERE p.ID NOT IN (CONNECTION_ID(), {me}) AND p.ID IN ({ids})
ORDER BY p.ID
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


def holders(conn: sa.Connection, apply_lock: bool, me: int) -> list[str]:
    """The apply lock's holder; else the sessions with an open transaction or idle on this
    database (the server does not keep who blocked a wait that has ended)."""
    if apply_lock:
        ids = [conn.execute(sa.text("SELECT IS_USED_LOCK(:n)"), {"n": lock_name(conn)}).scalar()]
    else:
        ids = [r[0] for r in conn.exec_driver_sql(_CANDIDATES).all()]
    ids = [int(i) for i in ids if i is not None]
    if not ids:
        return []
    rows = conn.exec_driver_sql(
        _SESSIONS.format(ids=", ".join(str(i) for i in ids), me=int(me))
    ).all()
    return [
        f"connection {cid} (user {user}, {command} for {t}s{f', {state}' if state else ''})"
        for cid, user, command, t, state in rows
    ]


def lock_table(conn: sa.Connection, table: str) -> None:
    """The table's metadata lock for the rest of the transaction, taken first so a wait (a
    LOCK TABLES ... WRITE elsewhere) names it."""
    conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 0").all()


def is_lock_timeout(err: BaseException) -> bool:
    """1205 ER_LOCK_WAIT_TIMEOUT (row and metadata locks alike)."""
    orig = getattr(err, "orig", err)
    args: tuple[object, ...] = tuple(getattr(orig, "args", ()))
    return bool(args) and args[0] == 1205
