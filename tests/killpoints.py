"""kill -9 harness for tests: an apply command line + a database URL + a point (a test on what
the server says the client is executing) -> the apply frozen at that point, killed, and the
statement the server held then; plus snapshots of a database's rows, schema and counters."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent

# what the server says about the other sessions on the test's database: (id, state, statement)
_PG_ACTIVITY = (
    "SELECT pid, coalesce(state, ''), coalesce(query, '') FROM pg_catalog.pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_type = 'client backend'"
)
_MY_ACTIVITY = (
    "SELECT ID, concat(COMMAND, ' ', coalesce(STATE, '')), coalesce(INFO, '') "
    "FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"
)


@dataclass(frozen=True)
class Point:
    """Where to kill: the first moment a statement the server is running (or ran last, in the
    open transaction) passes `matches`."""

    name: str
    matches: Callable[[str], bool]


@dataclass
class Kill:
    point: Point
    hit: str  # the statement that met the point, as the poll saw it
    seen: list[tuple[str, str]]  # (state, statement) of the frozen client, just before the kill
    waited: float  # seconds from the kill until the server had ended the session

    def confirmed(self) -> bool:
        """The frozen client was at the point: the server still runs (or, PostgreSQL, last
        ran) a statement that meets it, or (MariaDB, whose PROCESSLIST shows no statement
        between two) it runs none, so the last one it ran is at most a poll older than `hit`."""
        idle = bool(self.seen) and all(not q for _, q in self.seen)
        return idle or any(self.point.matches(q) for _, q in self.seen)


def statement_target(sql: str, verb: str, before: str) -> str | None:
    """The table a `COPY t ...` / `LOAD DATA ... INTO TABLE t` names: the word after `before`
    when `sql` starts with `verb`, unquoted and without its schema."""
    if not sql.upper().startswith(verb):
        return None
    words = sql.split()
    upper = [w.upper() for w in words]
    marks = before.split()
    for i in range(len(words) - len(marks)):
        if upper[i : i + len(marks)] == marks:
            return words[i + len(marks)].split("(")[0].split(".")[-1].strip('"`')
    return None


class Watcher:
    """One monitoring connection to the database the apply writes."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        self.conn = self.engine.connect()
        self.sql = _PG_ACTIVITY if self.engine.dialect.name == "postgresql" else _MY_ACTIVITY

    def activity(self) -> list[tuple[int, str, str]]:
        return [(int(r[0]), str(r[1]), str(r[2])) for r in self.conn.exec_driver_sql(self.sql)]

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


def apply_command(spec: Path | str, url: str, *args: str) -> list[str]:
    base = [sys.executable, "-m", "seedspec.cli.app", "apply", str(spec), "--db", url]
    return [*base, "-o", "json", *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_apply(cmd: Sequence[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(cmd), capture_output=True, text=True, env=_env(), timeout=timeout, check=False
    )


def kill_at(watcher: Watcher, cmd: Sequence[str], point: Point, timeout: float = 120) -> Kill:
    """Start the apply, poll the server until `point` is reached, freeze the client (SIGSTOP),
    read what the server holds for it, kill it (SIGKILL) and wait until the server has ended
    its session (rolled back) on its own."""
    proc = subprocess.Popen(
        list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()
    )
    try:
        deadline = time.monotonic() + timeout
        while not (hit := [q for _, _, q in watcher.activity() if point.matches(q)]):
            if proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(
                    f"apply ended (exit {proc.returncode}) before {point.name}:"
                    f" {err[-2000:]} {out[-500:]}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"{point.name} not reached in {timeout} s")
            time.sleep(0.003)
        os.kill(proc.pid, signal.SIGSTOP)
        seen = [(state, q) for _, state, q in watcher.activity()]
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    killed = time.monotonic()
    while watcher.activity():
        if time.monotonic() - killed > timeout:
            raise AssertionError(f"the server still holds the killed apply's session: {seen}")
        time.sleep(0.02)
    return Kill(point, hit[0], seen, time.monotonic() - killed)


def trace(watcher: Watcher, cmd: Sequence[str]) -> list[str]:
    """Every distinct statement the server shows while the apply runs to its end (for choosing
    points)."""
    proc = subprocess.Popen(
        list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()
    )
    seen: list[str] = []
    while proc.poll() is None:
        for _, state, q in watcher.activity():
            line = f"{state}: {q[:120]}"
            if not seen or seen[-1] != line:
                seen.append(line)
        time.sleep(0.002)
    proc.communicate()
    return seen


# -- snapshots -------------------------------------------------------------------------------


def _digest(rows: Sequence[Sequence[object]]) -> str:
    h = hashlib.sha256()
    for row in sorted(repr(tuple(r)) for r in rows):
        h.update(row.encode())
    return h.hexdigest()


_PG_CATALOG = {
    # every relation of the schema: the same object (oid) on the same storage (relfilenode:
    # TRUNCATE and ALTER SEQUENCE ... RESTART give new storage, a rollback the old one back)
    "relations": "SELECT c.oid, c.relname, c.relkind, c.relfilenode, c.relpersistence, "
    "c.reloptions::text FROM pg_catalog.pg_class c WHERE c.relnamespace = "
    "'public'::regnamespace ORDER BY c.relname",
    "constraints": "SELECT oid, conname, conrelid::regclass::text, contype, condeferrable, "
    "condeferred, convalidated, pg_catalog.pg_get_constraintdef(oid) FROM "
    "pg_catalog.pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname",
    "indexes": "SELECT indexrelid::regclass::text, indisunique, indisprimary, indisvalid, "
    "indisready, indislive, pg_catalog.pg_get_indexdef(indexrelid) FROM pg_catalog.pg_index "
    "WHERE indrelid IN (SELECT oid FROM pg_catalog.pg_class WHERE relnamespace = "
    "'public'::regnamespace) ORDER BY 1",
    "triggers": "SELECT oid, tgname, tgrelid::regclass::text, tgenabled FROM "
    "pg_catalog.pg_trigger WHERE tgrelid IN (SELECT oid FROM pg_catalog.pg_class WHERE "
    "relnamespace = 'public'::regnamespace) ORDER BY tgname, 3",
}


def pg_snapshot(url: str) -> dict[str, object]:
    """pg_dump --schema-only, the catalog rows above, every sequence's (last_value, is_called)
    and every table's rows (md5 of their text, ordered) and count."""
    u = sa.make_url(url)
    dump = subprocess.run(
        ["pg_dump", "--schema-only", "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432)]
        + ["-U", u.username or "postgres", u.database or ""],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # pg_dump 15.14+ fences its output with \restrict KEY / \unrestrict KEY, a fresh key each run
    lines = [x for x in dump.splitlines() if not x.startswith(("\\restrict ", "\\unrestrict "))]
    out: dict[str, object] = {"pg_dump": "\n".join(lines)}
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            q = engine.dialect.identifier_preparer.quote
            for key, sql in _PG_CATALOG.items():
                out[key] = [tuple(r) for r in conn.exec_driver_sql(sql)]
            names = conn.exec_driver_sql(
                "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c WHERE c.relnamespace = "
                "'public'::regnamespace AND c.relkind IN ('r', 'S') ORDER BY 1"
            ).all()
            for name, kind in names:
                sql = (
                    f"SELECT last_value, is_called FROM {q(name)}"
                    if kind == "S"
                    else f"SELECT count(*), md5(string_agg(t::text, E'\\n' ORDER BY t::text)) "
                    f"FROM {q(name)} t"
                )
                out[f"{'sequence' if kind == 'S' else 'rows'} {name}"] = tuple(
                    conn.exec_driver_sql(sql).one()
                )
    finally:
        engine.dispose()
    return out


def my_snapshot(url: str) -> dict[str, object]:
    """SHOW CREATE TABLE of every table (AUTO_INCREMENT=N left out: `counters` has it),
    information_schema's AUTO_INCREMENT, every sequence's state, every table's rows (digest)."""
    out: dict[str, object] = {}
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            q = engine.dialect.identifier_preparer.quote
            tables = conn.exec_driver_sql(
                "SELECT TABLE_NAME, TABLE_TYPE, AUTO_INCREMENT FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1"
            ).all()
            out["counters"] = [(t, n) for t, kind, n in tables if kind != "SEQUENCE"]
            for name, kind, _n in tables:
                if kind == "SEQUENCE":
                    out[f"sequence {name}"] = tuple(
                        conn.exec_driver_sql(f"SELECT * FROM {q(name)}").one()
                    )
                    continue
                ddl = str(conn.exec_driver_sql(f"SHOW CREATE TABLE {q(name)}").one()[1])
                out[f"create {name}"] = " ".join(
                    w for w in ddl.split(" ") if not w.startswith("AUTO_INCREMENT=")
                )
                rows = conn.exec_driver_sql(f"SELECT * FROM {q(name)}").all()
                out[f"rows {name}"] = (len(rows), _digest(rows))
    finally:
        engine.dispose()
    return out


def differences(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """The snapshot keys whose values differ, each with both values (shortened)."""
    keys = sorted(set(before) | set(after))
    return [
        f"{k}: before {str(before.get(k))[:300]!r}, after {str(after.get(k))[:300]!r}"
        for k in keys
        if before.get(k) != after.get(k)
    ]
