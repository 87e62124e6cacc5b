"""Shared fixtures: fresh scratch databases on SQLite, PostgreSQL and MariaDB (real servers)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
# the pool cache (generate/poolcache.py) of a test run, CLI subprocesses included, kept out of ~
os.environ.setdefault("SEEDSPEC_CACHE_DIR", tempfile.mkdtemp(prefix="seedspec-test-cache-"))


def _shared_dir() -> Path:
    """The team's shared/ folder (corpus, bench): beside the checkout, else the workplace's."""
    given = os.environ.get("SEEDSPEC_SHARED")
    candidates = [Path(given)] if given else []
    candidates += [REPO.parent / "shared", Path("/work/shared")]
    return next((c for c in candidates if (c / "corpus").is_dir()), candidates[0])


SHARED = _shared_dir()
CORPUS = SHARED / "corpus"
BENCH = SHARED / "bench"

PG_ADMIN_URL = os.environ.get(
    "SEEDSPEC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MYSQL_ADMIN_URL = os.environ.get(
    "SEEDSPEC_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
)


def _unreachable(what: str, err: Exception) -> None:
    reason = f"{what} is not reachable ({type(err).__name__}: {str(err).splitlines()[0]})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so database tests must run", pytrace=False)
    pytest.skip(reason)


def _scratch_name() -> str:
    return f"seedspec_t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def _admin_engine(url: str, what: str) -> sa.Engine:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as err:  # noqa: BLE001 - any failure means "not reachable"
        engine.dispose()
        _unreachable(what, err)
    return engine


def _scratch_database(admin_url: str, what: str, create: str, drop: str) -> Iterator[str]:
    """A fresh database for one test (CREATE/DROP templates take the name), dropped after."""
    admin = _admin_engine(admin_url, f"{what} at {sa.make_url(admin_url).host}")
    name = _scratch_name()
    with admin.connect() as conn:
        conn.execute(sa.text(create.format(name=name)))
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(drop.format(name=name)))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _scratch_database(
        PG_ADMIN_URL,
        "PostgreSQL",
        'CREATE DATABASE "{name}"',
        'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
    )


@pytest.fixture
def mysql_url() -> Iterator[str]:
    yield from _scratch_database(
        MYSQL_ADMIN_URL, "MariaDB", "CREATE DATABASE `{name}`", "DROP DATABASE IF EXISTS `{name}`"
    )


def run_sql_file(url: str, path: Path | str) -> None:
    """Load a DDL file with the server's own client (psql / mariadb), as users do."""
    u = sa.make_url(url)
    if u.get_backend_name() == "postgresql":
        cmd = [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            u.host or "127.0.0.1",
            "-p",
            str(u.port or 5432),
            "-U",
            u.username or "postgres",
            "-d",
            u.database or "",
            "-f",
            str(path),
        ]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
    elif u.get_backend_name() in ("mysql", "mariadb"):
        cmd = [
            "mariadb",
            "-h",
            u.host or "127.0.0.1",
            "-P",
            str(u.port or 3306),
            "-u",
            u.username or "root",
            u.database or "",
        ]
        with open(path, "rb") as fh:
            subprocess.run(cmd, check=True, stdin=fh, capture_output=True)
    else:
        run_sql(url, Path(path).read_text())


def run_sql(url: str, sql: str) -> None:
    """Run a script of ;-separated statements through SQLAlchemy (SQLite and small DDL)."""
    engine = sa.create_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            raw = engine.raw_connection()
            try:
                raw.driver_connection.executescript(sql)  # type: ignore[union-attr]
            finally:
                raw.close()
            return
        with engine.begin() as conn:
            for stmt in (s.strip() for s in sql.split(";")):
                if stmt:
                    conn.exec_driver_sql(stmt)
    finally:
        engine.dispose()


def query(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> object:
    return query(url, sql)[0][0]


def sigint_default() -> None:
    """Popen preexec_fn: SIGINT back to its default in the child. A job started by a shell's
    `&` (or nohup) runs with SIGINT ignored, children inherit that, and Python then installs
    no KeyboardInterrupt handler: a test that interrupts an apply must undo it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
