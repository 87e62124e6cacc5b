"""The production guard (exit 4), LOCAL INFILE only on the load path, identifiers quoted by the
dialect: against real PostgreSQL, MariaDB and SQLite, through the CLI and the library API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import MYSQL_ADMIN_URL, PG_ADMIN_URL, query, run_sql, scalar

from seedspec import api
from seedspec.database.guard import PRODUCTION_VARS, check_write_target, endpoints
from seedspec.errors import ConnectionFailed, GuardRefused

INVALID = "db.example.invalid"  # RFC 6761: never resolves, so nothing is ever contacted
TABLE = "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)"
CLEAN_ENV = (*PRODUCTION_VARS, "SEEDSPEC_ALLOW_PRODUCTION", "DATABASE_URL", "SEEDSPEC_DATABASE_URL")


def seedspec(*args: str, cwd: Path, env: dict[str, str] | None = None):
    full = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV and not k.startswith("PG")}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def _no_production_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CLEAN_ENV:
        monkeypatch.delenv(name, raising=False)
    for name in ("PGHOST", "PGHOSTADDR", "PGSERVICE"):
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- what is local


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///relative.db",
        "sqlite://",
        "postgresql://u@127.0.0.1/db",
        "postgresql://u@127.200.3.4:5433/db",
        "postgresql://u@localhost/db",
        "postgresql://u@[::1]:5432/db",
        "postgresql://u@[::ffff:127.0.0.1]/db",
        "postgresql://u@/db",  # libpq's default unix socket
        "postgresql+psycopg://postgres@/test?host=/var/run/postgresql",
        "postgresql://u@/db?host=/tmp,127.0.0.1:5433",
        "mysql+pymysql://root@/db?unix_socket=/run/mysqld/mysqld.sock",
        "mysql+pymysql://root@/db",  # pymysql's default: localhost
        "mysql+pymysql://root@db.example.invalid/db?unix_socket=/run/mysqld/mysqld.sock",
    ],
)
def test_local_targets_are_allowed(url: str) -> None:
    check_write_target(sa.make_url(url), environ={})


@pytest.mark.parametrize(
    ("url", "environ", "host"),
    [
        (f"postgresql://u@{INVALID}/db", {}, INVALID),
        ("postgresql://u@10.0.0.7/db", {}, "10.0.0.7"),
        ("postgresql://u@0.0.0.0/db", {}, "0.0.0.0"),
        ("postgresql://u@127.0.0.1.nip.io/db", {}, "127.0.0.1.nip.io"),
        (f"postgresql://u@127.0.0.1/db?host={INVALID}", {}, INVALID),  # the query's host wins
        (f"postgresql://u@/db?host=/tmp,{INVALID}:5432", {}, INVALID),  # every host counts
        ("postgresql://u@localhost/db?hostaddr=192.0.2.1", {}, "192.0.2.1"),
        ("postgresql://u@/db", {"PGHOST": INVALID}, INVALID),  # libpq reads PGHOST
        ("postgresql://u@/db?service=nowhere-svc", {"PGSERVICEFILE": "/nonexistent"}, "nowhere"),
        (f"mysql+pymysql://root@127.0.0.1/db?host={INVALID}", {}, INVALID),
    ],
)
def test_remote_targets_are_refused_naming_the_host(url: str, environ: dict, host: str) -> None:
    with pytest.raises(GuardRefused) as caught:
        check_write_target(sa.make_url(url), environ=environ)
    problem = caught.value.problems[0]
    assert problem.code == "guard-remote" and host in problem.message
    assert "--allow-remote" in (problem.fix or "") and "allow_hosts" in (problem.fix or "")
    check_write_target(sa.make_url(url), environ=environ, allow_remote=True)


def test_mysql_option_file_host_is_read(tmp_path: Path) -> None:
    cnf = tmp_path / "my.cnf"
    cnf.write_text(f"[client]\nhost = {INVALID}\n")
    url = sa.make_url(f"mysql+pymysql://root@/db?read_default_file={cnf}")
    assert [p.where for p in endpoints(url, {})] == [INVALID]
    with pytest.raises(GuardRefused):
        check_write_target(url, environ={})
    check_write_target(url, environ={}, allow_hosts=[INVALID.upper()])  # names: any case


def test_pg_service_file_host_is_read(tmp_path: Path) -> None:
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[remote]\nhost={INVALID}\n[local]\nhost=/var/run/postgresql\n")
    env = {"PGSERVICEFILE": str(services)}
    with pytest.raises(GuardRefused):
        check_write_target(sa.make_url("postgresql://u@/db?service=remote"), environ=env)
    check_write_target(sa.make_url("postgresql://u@/db?service=local"), environ=env)


# --------------------------------------------------------------------------- the CLI


def _listener() -> tuple[socket.socket, str] | None:
    """A TCP listener on a non-loopback address of this machine, to prove no connection."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # UDP: no packet is sent
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    if address.startswith("127.") or address == "0.0.0.0":
        return None
    server = socket.socket()
    server.bind((address, 0))
    server.listen(1)
    server.settimeout(0.5)
    return server, address


def test_cli_refuses_a_remote_host_before_connecting(tmp_path: Path) -> None:
    done = seedspec("apply", "--db", f"postgresql://postgres@{INVALID}/test", cwd=tmp_path)
    assert done.returncode == 4, done.stderr
    assert INVALID in done.stderr and "--allow-remote" in done.stderr
    assert "allow_hosts" in done.stderr and "no connection was opened" in done.stderr
    as_json = seedspec("apply", "--db", f"mysql://root@{INVALID}/test", "-o", "json", cwd=tmp_path)
    doc = json.loads(as_json.stdout)
    assert as_json.returncode == 4 and doc["exit_code"] == 4 and doc["ok"] is False
    assert doc["errors"][0]["code"] == "guard" and doc["errors"][0]["kind"] == "guard-remote"
    listening = _listener()
    if listening is None:
        return
    server, address = listening
    port = server.getsockname()[1]
    try:  # a real host on this machine, not loopback: refused, and never contacted
        url = f"postgresql://postgres@{address}:{port}/test"
        done = seedspec("apply", "--db", url, cwd=tmp_path)
        assert done.returncode == 4 and address in done.stderr
        with pytest.raises(socket.timeout):
            server.accept()
    finally:
        server.close()


def test_allow_remote_and_allow_hosts_let_it_try(tmp_path: Path) -> None:
    url = f"postgresql://postgres@{INVALID}/test"
    done = seedspec("apply", "--db", url, "--allow-remote", cwd=tmp_path)
    assert done.returncode == 1 and "cannot connect" in done.stderr, done.stderr
    spec = tmp_path / "seed.yaml"
    spec.write_text(f"seedspec: 1\ntarget:\n  allow_hosts: [{INVALID}]\n")
    done = seedspec("apply", str(spec), "--db", url, cwd=tmp_path)
    assert done.returncode == 1 and "cannot connect" in done.stderr, done.stderr
    other = tmp_path / "other.yaml"
    other.write_text("seedspec: 1\ntarget:\n  allow_hosts: [db.example.test]\n")
    assert seedspec("apply", str(other), "--db", url, cwd=tmp_path).returncode == 4


def test_apply_plan_file_is_guarded(tmp_path: Path, sqlite_url: str) -> None:
    run_sql(sqlite_url, TABLE)
    planned = seedspec("plan", "--db", sqlite_url, "-o", "json", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    path = tmp_path / "plan.json"
    path.write_text(planned.stdout)
    remote = f"postgresql://u@{INVALID}/test"
    done = seedspec("apply", "--plan", str(path), "--db", remote, cwd=tmp_path)
    assert done.returncode == 4 and "--allow-remote" in done.stderr
    assert "allow_hosts" not in done.stderr  # no spec: only the flag can allow it
    done = seedspec("apply", "--plan", str(path), "--db", sqlite_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert scalar(sqlite_url, "SELECT count(*) FROM t") == 20


@pytest.mark.parametrize("name", PRODUCTION_VARS)
def test_production_environment_refuses_even_sqlite(
    name: str, tmp_path: Path, sqlite_url: str
) -> None:
    run_sql(sqlite_url, TABLE)
    for value in ("production", "prod", " Production "):
        done = seedspec("apply", "--db", sqlite_url, "-o", "json", cwd=tmp_path, env={name: value})
        doc = json.loads(done.stdout)
        assert done.returncode == 4 and doc["errors"][0]["kind"] == "guard-production"
        assert name in doc["errors"][0]["message"]
        assert (
            "SEEDSPEC_ALLOW_PRODUCTION=1" in doc["errors"][0]["message"] + doc["errors"][0]["fix"]
        )
    assert scalar(sqlite_url, "SELECT count(*) FROM t") == 0
    done = seedspec("apply", "--db", sqlite_url, cwd=tmp_path, env={name: "staging"})
    assert done.returncode == 0, done.stderr
    env = {name: "production", "SEEDSPEC_ALLOW_PRODUCTION": "1"}
    done = seedspec("apply", "--db", sqlite_url, "--truncate", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert scalar(sqlite_url, "SELECT count(*) FROM t") == 20


def test_production_and_remote_are_separate_overrides(tmp_path: Path) -> None:
    url = f"postgresql://postgres@{INVALID}/test"
    env = {"APP_ENV": "production", "SEEDSPEC_ALLOW_PRODUCTION": "1"}
    assert seedspec("apply", "--db", url, cwd=tmp_path, env=env).returncode == 4
    done = seedspec("apply", "--db", url, "--allow-remote", cwd=tmp_path, env={"APP_ENV": "prod"})
    assert done.returncode == 4 and "guard-production" not in done.stderr
    assert "APP_ENV=prod" in done.stderr


def test_loopback_and_unix_sockets_are_written(pg_url: str, mysql_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, TABLE)
    database = sa.make_url(pg_url).database
    for n, url in enumerate(
        [
            sa.make_url(pg_url).set(host="localhost").render_as_string(False),
            f"postgresql+psycopg://postgres@/{database}?host=/var/run/postgresql",
        ]
    ):
        if "host=/" in url and not Path("/var/run/postgresql").is_dir():
            continue
        done = seedspec("apply", "--db", url, *(["--truncate"] if n else []), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert scalar(pg_url, "SELECT count(*) FROM t") == 20
    run_sql(mysql_url, TABLE)
    sock = Path("/run/mysqld/mysqld.sock")
    if not sock.exists():
        pytest.skip("no MariaDB unix socket at /run/mysqld/mysqld.sock")
    url = f"mysql+pymysql://root@/{sa.make_url(mysql_url).database}?unix_socket={sock}"
    done = seedspec("apply", "--db", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert scalar(mysql_url, "SELECT count(*) FROM t") == 20


# --------------------------------------------------------------------------- the library API


def test_library_api_enforces_the_guard(tmp_path: Path, sqlite_url: str) -> None:
    remote = f"postgresql+psycopg://postgres@{INVALID}/test"
    with pytest.raises(GuardRefused):
        api.apply(None, remote)
    with pytest.raises(ConnectionFailed):
        api.apply(None, remote, allow_remote=True)
    run_sql(sqlite_url, TABLE)
    compiled, target = api.plan(None, sqlite_url)
    target.engine.dispose()
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"plan": compiled.to_dict()}))
    with pytest.raises(GuardRefused):
        api.apply_plan(str(path), remote)
    with pytest.raises(ConnectionFailed):
        api.apply_plan(str(path), remote, allow_hosts=(INVALID,))
    # a caller going around api.apply meets the same guard in execute_plan
    from seedspec.execute.run import execute_plan

    engine = sa.create_engine(remote)  # creating an engine opens nothing
    with pytest.raises(GuardRefused):
        execute_plan(compiled, engine, target.schema)
    os.environ["RAILS_ENV"] = "production"
    try:
        with pytest.raises(GuardRefused) as caught:
            api.apply(None, sqlite_url)
        assert caught.value.problems[0].code == "guard-production"
    finally:
        del os.environ["RAILS_ENV"]
    report, _ = api.apply(None, sqlite_url)
    assert report.rows == 20 == scalar(sqlite_url, "SELECT count(*) FROM t")


# --------------------------------------------------------------------------- LOCAL INFILE


def _infile_flags(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """local_infile of every pymysql connection opened from now on (a spy, not a stand-in)."""
    import pymysql.connections

    seen: list[bool] = []
    original = pymysql.connections.Connection.__init__

    def spy(self: object, *args: object, **kwargs: object) -> None:
        seen.append(bool(kwargs.get("local_infile")))
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pymysql.connections.Connection, "__init__", spy)
    return seen


def test_mysql_local_infile_only_on_the_load_connection(
    mysql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pymysql.constants import CLIENT

    from seedspec.database.connect import connect
    from seedspec.database.reflect import reflect_url
    from seedspec.dialects.mysql import infile
    from seedspec.dialects.mysql.dialect import MySqlDialect

    run_sql(mysql_url, TABLE)
    flags = _infile_flags(monkeypatch)
    api.check(None, api.SchemaSource(db=mysql_url))
    api.plan(None, mysql_url)[1].engine.dispose()
    assert flags and not any(flags), flags  # check and plan: LOCAL INFILE off on every one
    engine, _ = reflect_url(mysql_url)
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert not raw.client_flag & CLIENT.LOCAL_FILES  # type: ignore[union-attr]
        with pytest.raises(sa.exc.OperationalError, match="local infile|4166|1148"):
            conn.exec_driver_sql("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t")
    # the load connection: the capability on, but only for files seedspec wrote
    load = connect(engine, load=True)
    try:
        assert load.connection.dbapi_connection.client_flag & CLIENT.LOCAL_FILES  # type: ignore[union-attr]
        with pytest.raises(sa.exc.OperationalError, match="not a file seedspec wrote"):
            load.exec_driver_sql("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t")
        assert load.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
        handle, path = tempfile.mkstemp(prefix="seedspec-test-")
        os.write(handle, b"7\tseven\n")
        os.close(handle)
        infile.wrote(path)
        try:
            load.exec_driver_sql(f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE t")
        finally:
            infile.removed(path)
            os.unlink(path)
        assert load.exec_driver_sql("SELECT name FROM t WHERE id = 7").scalar() == "seven"
        load.rollback()
    finally:
        load.close()
        engine.dispose()
    # apply: one connection with LOCAL INFILE (the load's), and LOAD DATA really used
    flags.clear()
    loaded: list[bool] = []
    original = MySqlDialect._load_file

    def spy(self: MySqlDialect, *args: object) -> bool:
        loaded.append(original(self, *args))  # type: ignore[arg-type]
        return loaded[-1]

    monkeypatch.setattr(MySqlDialect, "_load_file", spy)
    report, _ = api.apply(None, mysql_url)
    assert flags.count(True) == 1, flags
    assert loaded == [True] and report.rows == 20 == scalar(mysql_url, "SELECT count(*) FROM t")


# --------------------------------------------------------------------------- identifiers

PG_EVIL = 'x"; CREATE TABLE pwned(); --'
MY_EVIL = "x`; CREATE TABLE pwned (a INT); -- "


def test_pg_schema_name_is_a_name_never_sql(pg_url: str, tmp_path: Path) -> None:
    spec = tmp_path / "seed.yaml"
    spec.write_text(f"seedspec: 1\ntarget:\n  schema: {json.dumps(PG_EVIL)}\n")
    runs = [
        ("plan", "--db", pg_url, "--schema", PG_EVIL),
        ("check", "--db", pg_url, "--schema", PG_EVIL),
        ("apply", "--db", pg_url, "--schema", PG_EVIL),
        ("apply", "--db", pg_url, "--schema", f"public,{PG_EVIL}"),
        ("plan", str(spec), "--db", pg_url),
        ("apply", str(spec), "--db", pg_url),
    ]
    for args in runs:  # the schema does not exist: refused as a name, nothing executed
        done = seedspec(*args, cwd=tmp_path)
        assert done.returncode == 1 and "schema not found" in done.stderr, (args, done.stderr)
    assert _pg_pwned(pg_url) == 0
    # a schema that really has that name: seeded as a name
    quoted = '"' + PG_EVIL.replace('"', '""') + '"'
    engine = sa.create_engine(pg_url)  # not run_sql: it splits on ';'
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {quoted}")
        conn.exec_driver_sql(f"CREATE TABLE {quoted}.t (id int PRIMARY KEY)")
    engine.dispose()
    for args in runs[:3]:
        done = seedspec(*args, cwd=tmp_path)
        assert done.returncode == 0, (args, done.stderr)
    assert scalar(pg_url, f"SELECT count(*) FROM {quoted}.t") == 20
    assert _pg_pwned(pg_url) == 0


def _pg_pwned(url: str) -> object:
    return scalar(url, "SELECT count(*) FROM pg_class WHERE relname = 'pwned'")


def test_mariadb_schema_name_is_a_name_never_sql(mysql_url: str, tmp_path: Path) -> None:
    run_sql(mysql_url, TABLE)
    database = sa.make_url(mysql_url).database
    for args in [
        ("plan", "--db", mysql_url, "--schema", MY_EVIL),
        ("check", "--db", mysql_url, "--schema", MY_EVIL),
        ("apply", "--db", mysql_url, "--schema", MY_EVIL),
        ("apply", "--db", mysql_url, "--schema", f"{database},{MY_EVIL}"),
    ]:
        done = seedspec(*args, cwd=tmp_path)
        assert done.returncode == 1 and "schema not found" in done.stderr, (args, done.stderr)
    count = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'pwned'"
    assert scalar(mysql_url, count) == 0
    # a database that really has that name (a backtick inside): seeded as a name
    other = f"x`; DROP TABLE t; -- {uuid.uuid4().hex[:6]}"
    quoted = "`" + other.replace("`", "``") + "`"
    admin = sa.create_engine(MYSQL_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
            conn.exec_driver_sql(f"CREATE TABLE {quoted}.t (id INT PRIMARY KEY)")
        done = seedspec("apply", "--db", mysql_url, "--schema", other, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert query(mysql_url, f"SELECT count(*) FROM {quoted}.t") == [(20,)]
        assert scalar(mysql_url, "SELECT count(*) FROM t") == 0  # the URL's t untouched
        assert scalar(mysql_url, count) == 0
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}")
        admin.dispose()


def test_pg_admin_url_is_local() -> None:
    """The test servers themselves pass the guard (the suite's own premise)."""
    check_write_target(sa.make_url(PG_ADMIN_URL), environ={})
    check_write_target(sa.make_url(MYSQL_ADMIN_URL), environ={})
