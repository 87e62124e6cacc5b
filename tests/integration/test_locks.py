"""Bounded lock waits and one apply at a time (real servers): another session's lock, the apply
lock held elsewhere, two applies started together."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import run_sql, scalar

from seedspec.dialects.postgresql.locks import apply_key

SCHEMA = """
CREATE TABLE parent (id integer PRIMARY KEY, name varchar(40) NOT NULL);
CREATE TABLE child (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parent (id),
    note varchar(40) NOT NULL
);
"""
SPEC = """
seedspec: 1
seed: 1
tables:
  parent: {count: 5}
  child: {count: 20}
"""
URLS = ["sqlite_url", "pg_url", "mysql_url"]


def seedspec(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SEEDSPEC_DATABASE_URL")
    }
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    return done, time.monotonic() - t0


def counts(url: str) -> tuple[int, int]:
    return int(scalar(url, "SELECT count(*) FROM parent")), int(  # type: ignore[arg-type]
        scalar(url, "SELECT count(*) FROM child")  # type: ignore[arg-type]
    )


def spec_file(tmp: Path, text: str = SPEC) -> str:
    path = tmp / "seed.yaml"
    path.write_text(text)
    return str(path)


@contextmanager
def holding(url: str, *statements: str) -> Iterator[sa.Connection]:
    """Another session, its transaction open with `statements` run, until the block ends."""
    engine = sa.create_engine(url)
    conn = engine.connect()
    try:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite's own BEGIN is deferred
        for sql in statements:
            conn.exec_driver_sql(sql)
        yield conn
    finally:
        conn.rollback()
        if engine.dialect.name in ("mysql", "mariadb"):
            conn.exec_driver_sql("UNLOCK TABLES")
            conn.exec_driver_sql("DO RELEASE_ALL_LOCKS()")
        conn.close()
        engine.dispose()


@pytest.fixture(params=URLS)
def db(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    run_sql(url, SCHEMA)
    return url


def session_of(conn: sa.Connection) -> str:
    """How a lock message names the session of `conn`: pid N (PostgreSQL), connection N."""
    if conn.engine.dialect.name == "postgresql":
        return f"pid {conn.exec_driver_sql('SELECT pg_backend_pid()').scalar()}"
    return f"connection {conn.exec_driver_sql('SELECT CONNECTION_ID()').scalar()}"


def _refused(done: subprocess.CompletedProcess[str], seconds: float) -> str:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert seconds < 8, seconds  # --lock-timeout 1 plus process start-up, not an endless wait
    assert "nothing was written" in done.stderr
    assert "--lock-timeout 1" in done.stderr
    return done.stderr


def test_a_table_locked_by_another_session_is_named_and_nothing_is_written(
    db: str, tmp_path: Path
) -> None:
    lock = {
        "sqlite": [],  # the open write transaction itself
        "postgresql": ["LOCK TABLE child IN ACCESS EXCLUSIVE MODE"],
        "mysql": ["LOCK TABLES child WRITE"],
    }[sa.make_url(db).get_backend_name()]
    with holding(db, *lock) as other:
        done, seconds = seedspec("apply", spec_file(tmp_path), "--db", db, "--lock-timeout", "1")
        err = _refused(done, seconds)
        if db.startswith("sqlite"):
            assert "the write lock on" in err and "test.db" in err
        else:
            assert "a lock on table child" in err
        if db.startswith("postgresql"):
            pid = other.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            assert f"pid {pid} (user postgres" in err and "state idle in transaction" in err
        if db.startswith("mysql"):
            cid = other.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
            assert f"connection {cid} (user root" in err
    assert counts(db) == (0, 0)


@pytest.mark.parametrize("path", ["--no-bulk", "bulk"])
def test_a_row_locked_by_an_open_transaction_bounds_the_load(
    pg_url: str, mysql_url: str, tmp_path: Path, path: str
) -> None:
    """The FK check of a child row waits on the parent row another transaction locked; the
    PostgreSQL bulk path asks for the parent's lock (its FK comes back) before loading."""
    only_child = "seedspec: 1\nseed: 1\ntables:\n  include: [child]\n  child: {count: 20}\n"
    locks = {
        # a query text may hold a secret: never printed
        pg_url: "SELECT * FROM parent WHERE id = 1 /* secret hunter2 */ FOR UPDATE",
        mysql_url: "UPDATE parent SET name = 'uno' /* secret hunter2 */ WHERE id = 1",
    }
    if path == "bulk":  # MariaDB's bulk path loads with FK checks off: no row lock to wait on
        del locks[mysql_url]
    for url, lock in locks.items():
        run_sql(url, SCHEMA + "INSERT INTO parent VALUES (1, 'one');")
        flags = ["--lock-timeout", "1"] + ([path] if path != "bulk" else [])
        with holding(url, lock) as other:
            done, seconds = seedspec("apply", spec_file(tmp_path, only_child), "--db", url, *flags)
            err = _refused(done, seconds)
            if url == pg_url and path == "bulk":
                assert "a lock on table parent" in err, err
            else:
                assert "a lock while loading table child" in err, err
            # the session the apply waited for, as the server saw it while it waited
            assert (
                f"held by {session_of(other)} (user {'postgres' if url == pg_url else 'root'}"
                in err
            ), err
            assert "transaction open" in err and "secret" not in err, err
        assert counts(url) == (1, 0)
        assert scalar(url, "SELECT name FROM parent") == "one"


def test_the_apply_lock_held_elsewhere_refuses_clearly(db: str, tmp_path: Path) -> None:
    backend = sa.make_url(db).get_backend_name()
    name = sa.make_url(db).database
    take = {
        "sqlite": [],
        "postgresql": [f"SELECT pg_advisory_xact_lock({apply_key(str(name))})"],
        "mysql": [f"SELECT GET_LOCK('seedspec:{name}', 0)"],
    }[backend]
    with holding(db, *take) as other:
        done, seconds = seedspec("apply", spec_file(tmp_path), "--db", db, "--lock-timeout", "1")
        err = _refused(done, seconds)
        if backend == "sqlite":
            assert "the write lock on" in err
        else:
            assert f"another seedspec apply holds the lock on database {name}" in err
            me = other.exec_driver_sql(
                "SELECT pg_backend_pid()" if backend == "postgresql" else "SELECT CONNECTION_ID()"
            ).scalar()
            assert (f"pid {me} " if backend == "postgresql" else f"connection {me} ") in err
    assert counts(db) == (0, 0)


def test_two_applies_started_together_never_interleave(db: str, tmp_path: Path) -> None:
    """The second waits for the first's lock, then finds the tables seeded by the same plan
    (the ledger entry the first committed): a no-op."""
    spec = spec_file(tmp_path)
    args = [sys.executable, "-m", "seedspec.cli.app", "apply", spec, "--db", db]
    procs = [
        subprocess.Popen(
            [*args, "--lock-timeout", "30"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    said = [out for out, _ in outs]
    assert sum("nothing to do, nothing was written" in out for out in said) == 1, said
    assert counts(db) == (5, 20)  # exactly one apply's rows
    assert scalar(db, "SELECT count(*) FROM seedspec_ledger") == 1


def test_lock_timeout_zero_waits_and_then_applies(sqlite_url: str, tmp_path: Path) -> None:
    """0: no bound; the apply waits for the other writer and then loads."""
    run_sql(sqlite_url, SCHEMA)
    engine = sa.create_engine(sqlite_url)
    conn = engine.connect()
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    args = ["apply", spec_file(tmp_path), "--db", sqlite_url, "--lock-timeout", "0"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # well past the default busy timeout of a bounded wait of 1 s
    assert proc.poll() is None
    conn.rollback()
    conn.close()
    engine.dispose()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert counts(sqlite_url) == (5, 20)


# own table names (lockname_*): the parent has a default and a CHECK, which PostgreSQL's catalog
# reads (pg_get_expr) wait for when another session holds the table's ACCESS EXCLUSIVE lock
OWN = {
    "postgresql": """
CREATE TABLE lockname_parent (
    id serial PRIMARY KEY, name varchar(40) NOT NULL DEFAULT 'x' CHECK (name <> '')
);
CREATE TABLE lockname_child (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES lockname_parent (id),
    note varchar(40) NOT NULL
);
INSERT INTO lockname_parent (name) VALUES ('one');
""",
    "mysql": """
CREATE TABLE lockname_parent (
    id integer AUTO_INCREMENT PRIMARY KEY, name varchar(40) NOT NULL DEFAULT 'x'
);
CREATE TABLE lockname_child (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES lockname_parent (id),
    note varchar(40) NOT NULL
);
INSERT INTO lockname_parent (name) VALUES ('one');
""",
}
ONLY_CHILD = (
    "seedspec: 1\nseed: 1\ntables:\n  include: [lockname_child]\n  lockname_child: {count: 20}\n"
)


@pytest.fixture(params=["pg_url", "mysql_url"])
def own(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    run_sql(url, OWN[sa.make_url(url).get_backend_name()])
    return url


def own_counts(url: str) -> tuple[int, int]:
    parent = scalar(url, "SELECT count(*) FROM lockname_parent")
    child = scalar(url, "SELECT count(*) FROM lockname_child")
    return int(parent), int(child)  # type: ignore[call-overload]


def test_a_unique_key_another_transaction_inserted_names_that_session(
    own: str, tmp_path: Path
) -> None:
    """An open transaction inserted child 1: the apply's own row 1 waits on its unique key."""
    insert = "INSERT INTO lockname_child VALUES (1, 1, 'theirs /* secret hunter2 */')"
    with holding(own, insert) as other:
        done, seconds = seedspec(
            "apply",
            spec_file(tmp_path, ONLY_CHILD),
            "--db",
            own,
            "--no-bulk",
            "--lock-timeout",
            "1",
        )
        err = _refused(done, seconds)
        assert "a lock while loading table lockname_child" in err, err
        user = "postgres" if own.startswith("postgresql") else "root"
        assert f"held by {session_of(other)} (user {user}, " in err, err
        assert "client 127.0.0.1" in err and "hunter2" not in err, err
    assert own_counts(own) == (1, 0)


def _ddl_lock(url: str) -> str:
    if url.startswith("postgresql"):  # DDL in an open transaction: ACCESS EXCLUSIVE until it ends
        return "ALTER TABLE lockname_parent ADD COLUMN y integer"
    return "LOCK TABLES lockname_parent WRITE"  # MariaDB's DDL commits: a metadata lock instead


@pytest.mark.parametrize("verb", ["plan", "check", "apply"])
def test_a_ddl_lock_held_while_the_schema_is_read_is_an_error_in_time(
    own: str, tmp_path: Path, verb: str
) -> None:
    """The schema read (PostgreSQL: the catalog; MariaDB: the rows of the left-alone parent)
    waits at most --lock-timeout, then says which lock and whose; nothing is written."""
    with holding(own, _ddl_lock(own)) as other:
        done, seconds = seedspec(
            verb, spec_file(tmp_path, ONLY_CHILD), "--db", own, "--lock-timeout", "1"
        )
        assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
        assert seconds < 8, seconds
        err = done.stderr
        assert "gave up after --lock-timeout 1 s" in err and "nothing was written" in err, err
        assert "Traceback" not in err and done.stdout == "", (done.stdout, err)
        if own.startswith("postgresql"):
            assert "reading the schema waited for a lock (table lockname_parent locked by " in err
            assert f"{session_of(other)} (user postgres, " in err, err
        else:  # no METADATA_LOCK_INFO plugin: the server does not say who; the candidates
            assert "reading table lockname_parent waited for a lock" in err, err
            assert f"{session_of(other)} (user root, " in err, err
    assert own_counts(own) == (1, 0)
    assert scalar(own, "SELECT name FROM lockname_parent") == "one"


@pytest.mark.parametrize("verb", ["snapshot", "init", "preview"])
def test_the_other_reading_verbs_bound_the_schema_read_too(
    own: str, tmp_path: Path, verb: str
) -> None:
    """snapshot, init and preview read the catalog as plan does: --lock-timeout bounds it
    (PostgreSQL: the catalog waits on a DDL lock; MariaDB's catalog reads do not wait)."""
    if not own.startswith("postgresql"):
        pytest.skip("MariaDB's catalog reads take no metadata lock: nothing to wait for")
    spec = spec_file(tmp_path, ONLY_CHILD)
    extra = {"snapshot": ["--out", str(tmp_path / "s.json")], "init": ["--stdout"]}
    with holding(own, _ddl_lock(own)) as other:
        done, seconds = seedspec(
            verb, spec, "--db", own, "--lock-timeout", "1", *extra.get(verb, [])
        )
        assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
        assert seconds < 8, seconds
        err = done.stderr
        assert "gave up after --lock-timeout 1 s" in err and "nothing was written" in err, err
        assert f"{session_of(other)} (user postgres, " in err, err
        assert "Traceback" not in err and done.stdout == "", (done.stdout, err)
    assert not (tmp_path / "s.json").exists()
    assert own_counts(own) == (1, 0)
