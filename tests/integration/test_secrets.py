"""No secret leaves: every password form in a URL or DSN, searched for in the output of every verb
and output mode, against refused, unreachable, wrong-password and real (succeeding) targets."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
import typer
from conftest import MYSQL_ADMIN_URL, PG_ADMIN_URL, run_sql, scalar

MARK = "Qx7"  # in every password below, and nowhere else: any output holding it leaked one
SPECIALS = "Qx7a@Qx7b:Qx7c%Qx7d/Qx7e"  # '@', ':', '%' and '/' inside one password
DEAD = "127.0.0.1:1"  # connection refused, at once
INVALID = "db.example.invalid"
VERBS = (
    ("check",),
    ("plan",),
    ("apply",),
    ("snapshot",),
    ("init", "--stdout"),
    ("preview",),
)
MODES = ("text", "json", "github")
DROPPED_ENV = ("DATABASE_URL", "SEEDSPEC_DATABASE_URL", "PGPASSWORD", "MYSQL_PWD", "SEEDSPEC_DEBUG")
TABLE = "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)"


def seedspec(*args: str, cwd: Path, env: dict[str, str] | None = None):
    full = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full,
        timeout=120,
    )


def _leaks(text: str, password: str) -> list[str]:
    found = [MARK] if MARK in text else []
    for form in {password, quote(password, safe=""), quote(password)}:
        if form and form in text:
            found.append(form)
    return found


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def in_process(args: tuple[str, ...], cwd: Path, env: dict[str, str] | None) -> Ran:
    """The CLI's own entry point (cli.app.main, stderr masking included) run in this process
    with nothing remembered from an earlier run: one interpreter start for the whole matrix."""
    from seedspec.cli.app import main
    from seedspec.database import secrets

    with secrets._lock:
        secrets._known.clear()
    saved_env, saved_argv, saved_cwd = dict(os.environ), sys.argv, os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    os.environ.update(env or {})
    sys.argv = ["seedspec", *args]
    os.chdir(cwd)
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
    return Ran(code, out.getvalue(), err.getvalue())


def _every_verb(url: str, cwd: Path, env: dict[str, str] | None = None) -> Iterator[tuple]:
    """(args, result) for each verb in each output mode, the URL given with --db; and through
    DATABASE_URL (validate, which must not read it, and apply); apply once more as its own
    process (the installed entry point, nothing shared)."""
    runs = [(*verb, "--db", url, "-o", mode) for verb in VERBS for mode in MODES]
    for args in runs:
        yield args, in_process(args, cwd, env)
    spec = cwd / "spec.yaml"
    spec.write_text("seedspec: 1\n")
    url_env = {**(env or {}), "DATABASE_URL": url}
    for args in [("validate", str(spec), "-o", mode) for mode in MODES] + [("apply",)]:
        yield args, in_process(args, cwd, url_env)
    yield ("apply", "--db", url), seedspec("apply", "--db", url, cwd=cwd, env=env)


def _assert_nothing_leaks(url: str, password: str, cwd: Path, env: dict | None = None) -> None:
    bad = []
    for args, done in _every_verb(url, cwd, env):
        assert done.returncode != 70, (args, done.stderr)
        leaks = _leaks(done.stdout + done.stderr, password)
        if leaks:
            bad.append((args, leaks, (done.stdout + done.stderr)[:400]))
    for path in cwd.rglob("*"):  # init's spec, snapshot's JSON: nothing written holds it
        if path.is_file():
            assert not _leaks(path.read_text(errors="replace"), password), path
    assert not bad, bad


FAILING = {
    "userinfo": (f"postgresql://alice:Qx7user-pw@{DEAD}/db", "Qx7user-pw", None),
    "query-password": (f"postgresql://alice@{DEAD}/db?password=Qx7query-pw", "Qx7query-pw", None),
    "query-sslpassword": (f"postgresql://alice@{DEAD}/db?sslpassword=Qx7ssl-pw", "Qx7ssl-pw", None),
    "query-pass": (f"postgresql://alice@{DEAD}/db?pass=Qx7pass-pw", "Qx7pass-pw", None),
    "query-passwd": (f"mysql+pymysql://root@{DEAD}/db?passwd=Qx7passwd-pw", "Qx7passwd-pw", None),
    "keyword-dsn": (
        "host=127.0.0.1 port=1 user=alice password=Qx7kw-pw dbname=db",
        "Qx7kw-pw",
        None,
    ),
    "keyword-dsn-quoted": (
        "host=127.0.0.1 port=1 password='Qx7 kw \\' pw' dbname=db",
        "Qx7 kw ' pw",
        None,
    ),
    "raw-specials": (f"postgresql://alice:{SPECIALS}@{DEAD}/db", SPECIALS, None),
    "encoded-specials": (
        f"postgresql://alice:{quote(SPECIALS, safe='')}@{DEAD}/db",
        SPECIALS,
        None,
    ),
    "raw-colon-slash": (f"postgresql://alice:Qx7p:Qx7q/Qx7r@{DEAD}/db", "Qx7p:Qx7q/Qx7r", None),
    "pgpassword-env": (f"postgresql://alice@{DEAD}/db", "Qx7env-pw", {"PGPASSWORD": "Qx7env-pw"}),
    "refused-host": (f"postgresql://alice:Qx7far-pw@{INVALID}/db", "Qx7far-pw", None),
    "refused-host-query": (f"mysql://root@{INVALID}/db?password=Qx7farq-pw", "Qx7farq-pw", None),
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DROPPED_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("form", sorted(FAILING))
def test_failing_targets_never_print_the_password(form: str, tmp_path: Path) -> None:
    url, password, env = FAILING[form]
    _assert_nothing_leaks(url, password, tmp_path, env)


@pytest.fixture
def mysql_db() -> Iterator[str]:
    """A scratch MariaDB database (root, no password) and its name."""
    name = f"seedspec_t_{uuid.uuid4().hex[:12]}"
    admin = _admin(MYSQL_ADMIN_URL)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{name}`")
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        admin.dispose()


def _admin(url: str) -> sa.Engine:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as err:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"server not reachable: {err}")
    return engine


@pytest.mark.parametrize("form", ["userinfo", "query", "passwd", "option-file"])
def test_mariadb_wrong_password_never_printed(form: str, mysql_db: str, tmp_path: Path) -> None:
    base = sa.make_url(MYSQL_ADMIN_URL).set(database=mysql_db)
    host = f"{base.host}:{base.port or 3306}"
    password = f"Qx7wrong-{form}"
    urls = {
        "userinfo": f"mysql+pymysql://root:{password}@{host}/{mysql_db}",
        "query": f"mysql+pymysql://root@{host}/{mysql_db}?password={password}",
        "passwd": f"mysql+pymysql://root@{host}/{mysql_db}?passwd={password}",
    }
    if form == "option-file":
        cnf = tmp_path.parent / f"{tmp_path.name}.cnf"
        cnf.write_text(f"[client]\npassword = {password}\n")
        urls[form] = f"mysql+pymysql://root@{host}/{mysql_db}?read_default_file={cnf}"
    _assert_nothing_leaks(urls[form], password, tmp_path)


@pytest.fixture
def pg_role(pg_url: str) -> Iterator[tuple[str, str]]:
    """A PostgreSQL role with a password (special characters in it) owning the scratch database;
    the server's trust auth lets it in, so its URLs succeed. Yields (url, password)."""
    role = f"seedspec_pw_{uuid.uuid4().hex[:8]}"
    password = "Qx7real:p@ss/w%rd"
    admin = _admin(PG_ADMIN_URL)
    database = sa.make_url(pg_url).database
    with admin.connect() as conn:
        raw = conn.connection.dbapi_connection  # no parameters: '%' is no placeholder
        raw.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")  # type: ignore[union-attr]
        conn.exec_driver_sql(f'ALTER DATABASE "{database}" OWNER TO {role}')
    run_sql(pg_url, f"{TABLE}; ALTER TABLE t OWNER TO {role}; ALTER SCHEMA public OWNER TO {role}")
    url = sa.make_url(pg_url).set(username=role, password=password)
    try:
        yield url.render_as_string(hide_password=False), password
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        admin.dispose()


def test_pg_real_password_succeeds_and_is_never_printed(
    pg_role: tuple[str, str], pg_url: str, tmp_path: Path
) -> None:
    url, password = pg_role
    done = seedspec("apply", "--db", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr  # the URL works: the role really logs in
    assert scalar(pg_url, "SELECT count(*) FROM t") == 20
    assert scalar(pg_url, "SELECT tableowner FROM pg_tables WHERE tablename = 't'") != "postgres"
    _assert_nothing_leaks(url, password, tmp_path)
    as_query = sa.make_url(url).set(password=None).update_query_dict({"password": password})
    _assert_nothing_leaks(as_query.render_as_string(hide_password=False), password, tmp_path)
    plan = seedspec("plan", "--db", url, "-o", "json", cwd=tmp_path)
    assert plan.returncode == 0 and MARK not in plan.stdout


def test_mariadb_real_password_succeeds_and_is_never_printed(mysql_db: str, tmp_path: Path) -> None:
    user, password = f"seedspec_pw_{uuid.uuid4().hex[:8]}", "Qx7maria:p@ss/w%rd"
    admin = _admin(MYSQL_ADMIN_URL)
    base = sa.make_url(MYSQL_ADMIN_URL).set(database=mysql_db)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE USER '{user}'@'%%' IDENTIFIED BY %s", (password,))
            conn.exec_driver_sql(f"GRANT ALL ON `{mysql_db}`.* TO '{user}'@'%%'")
            conn.exec_driver_sql(f"CREATE TABLE `{mysql_db}`.t (id INT PRIMARY KEY, n INT)")
        url = base.set(username=user, password=password).render_as_string(hide_password=False)
        done = seedspec("apply", "--db", url, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert scalar(base.render_as_string(False), "SELECT count(*) FROM t") == 20
        _assert_nothing_leaks(url, password, tmp_path)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'%%'")
        admin.dispose()


def test_usage_errors_echoing_a_url_are_masked(tmp_path: Path) -> None:
    url = "postgresql://alice:Qx7usage-pw@127.0.0.1/db?password=Qx7usage-q"
    done = seedspec("apply", "a.yaml", url, cwd=tmp_path)  # click echoes the extra argument
    assert done.returncode == 2 and "unexpected extra argument" in done.stderr
    assert not _leaks(done.stdout + done.stderr, "Qx7usage-pw")


def test_crash_output_and_traceback_are_masked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An internal error (exit 70) whose text holds a URL and a DSN, SEEDSPEC_DEBUG traceback on:
    nothing of the passwords in any output mode."""
    from seedspec.cli.base import Output, masked_stderr, run_verb
    from seedspec.database.connect import normalise_url

    url = "postgresql://alice:Qx7crash-pw@127.0.0.1/db?sslpassword=Qx7crash-q"
    normalise_url(url)  # seen, as every URL seedspec is given is

    def body() -> None:
        raise RuntimeError(f"boom at {url} (dsn: host=x password=Qx7crash-kw); pw Qx7crash-pw")

    monkeypatch.setenv("SEEDSPEC_DEBUG", "1")
    for output in Output:
        with masked_stderr(), pytest.raises(typer.Exit) as stopped:
            run_verb(output, "apply", body)
        assert stopped.value.exit_code == 70
        out = capsys.readouterr()
        assert "internal error" in out.out + out.err and "Traceback" in out.err
        assert MARK not in out.out + out.err, (output, out)
