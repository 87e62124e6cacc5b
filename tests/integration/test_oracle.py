"""The CHECK oracle (issue 10, part 3) on real servers: a CHECK the compiler does not model is
judged by the database itself, per row, over deterministic candidates.

PostgreSQL: CHECKs calling the application's own SQL functions. SQLite and MariaDB cannot call a
user function from a CHECK, so there the CHECK is arithmetic the model does not read. Each test
asserts by query that every row passes, that the counts are the plan's exactly, and that a second
apply gives identical rows; a CHECK no candidate can pass is exit 3 with nothing written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from conftest import REPO, run_sql_file
from dbcheck import table_digest

from seedspec.plan.model import Plan

PLAN_SCHEMA = json.loads((REPO / "schemas" / "plan-1.schema.json").read_text())

PG_SCHEMA = """
CREATE FUNCTION is_valid_code(text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT substr(md5($1), 1, 1) < '8' $$;
CREATE FUNCTION qty_ok(integer) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT $1 % 5 = 0 $$;
CREATE TABLE owner (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE item (
    id serial PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owner (id),
    code text NOT NULL CONSTRAINT code_valid CHECK (is_valid_code(code)),
    note text CONSTRAINT note_valid CHECK (is_valid_code(note)),
    qty integer NOT NULL CONSTRAINT qty_ok CHECK (qty_ok(qty) OR qty = 42),
    CONSTRAINT qty_positive CHECK (qty > 0)
);
"""
PG_NEVER = """
CREATE FUNCTION never_ok(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT false $$;
CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE bad (
    id serial PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parent (id),
    x text NOT NULL CONSTRAINT x_never CHECK (never_ok(x))
);
"""
# SQLite / MariaDB: no user functions in a CHECK; arithmetic the CHECK model does not read
PORTABLE_SCHEMA = """
CREATE TABLE owner (id integer PRIMARY KEY, name varchar(40) NOT NULL);
CREATE TABLE item (
    id integer PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owner (id),
    qty integer NOT NULL,
    score integer,
    CONSTRAINT qty_half CHECK ((qty * 7) % 4 < 2),
    CONSTRAINT score_odd CHECK ((score * 3) % 2 = 1)
);
"""
PORTABLE_NEVER = """
CREATE TABLE parent (id integer PRIMARY KEY, name varchar(40) NOT NULL);
CREATE TABLE bad (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parent (id),
    x integer NOT NULL,
    CONSTRAINT x_never CHECK (x * 0 = 1)
);
"""


def _load(url: str, tmp_path: Path, ddl: str) -> None:
    """Through the server's own client (psql / mariadb): `%` in a CHECK stays as written."""
    path = tmp_path / "schema.sql"
    path.write_text(ddl)
    run_sql_file(url, path)


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "seedspec.cli.app", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)


def _plan(url: str, cwd: Path) -> dict:
    done = _cli(cwd, "plan", "--db", url, "-o", "json", "--scale", "10")
    assert done.returncode == 0, done.stderr
    data: dict = json.loads(done.stdout)["result"]["plan"]
    jsonschema.validate({**data}, PLAN_SCHEMA)
    assert Plan.from_dict(data).to_dict() == data  # the oracle recipe round-trips
    return data


def _apply(url: str, cwd: Path, *extra: str) -> dict:
    done = _cli(cwd, "apply", "--db", url, "-o", "json", "--scale", "10", *extra)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report: dict = json.loads(done.stdout)["result"]["report"]
    return report


def _count(url: str, sql: str) -> int:
    """A count on the raw DBAPI cursor with no parameters (`%` in a CHECK is not a placeholder)."""
    engine = sa.create_engine(url)
    try:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(sql)
            return int(cur.fetchone()[0] or 0)
        finally:
            raw.close()
    finally:
        engine.dispose()


def _oracle_of(plan: dict, table: str) -> dict:
    recipe = next(t for t in plan["recipes"] if t["name"] == table)
    assert "oracle" in recipe, f"{table} has no oracle recipe"
    oracle: dict = recipe["oracle"]
    return oracle


def _seeds_clean(url: str, tmp_path: Path, checks: dict[str, str]) -> dict:
    """Plan, apply, audit `checks` (name -> SQL that is true for a passing row), apply again
    with --truncate: identical rows. Returns the plan."""
    plan = _plan(url, tmp_path)
    counts = {t["name"]: t["count"] for t in plan["recipes"]}
    report = _apply(url, tmp_path)
    assert report["oracle_rows"] > 0  # some rows needed a later candidate
    for table, n in counts.items():
        assert _count(url, f"SELECT count(*) FROM {table}") == n  # counts stay exact
    for name, passes in checks.items():
        bad = _count(url, f"SELECT count(*) FROM item WHERE NOT ({passes})")
        assert bad == 0, f"{bad} rows violate {name}"
    first = table_digest(url, "item")
    again = _apply(url, tmp_path, "--truncate")
    assert again["oracle_rows"] == report["oracle_rows"]
    assert table_digest(url, "item") == first  # rows are a pure function of the plan
    return plan


def _fails_clean(url: str, tmp_path: Path) -> None:
    done = _cli(tmp_path, "apply", "--db", url, "-o", "json", "--scale", "10")
    assert done.returncode == 3, done.stdout[-2000:] + done.stderr[-2000:]
    text = done.stdout + done.stderr
    assert "x_never" in text and "'bad'" in text
    assert _count(url, "SELECT count(*) FROM parent") == 0  # nothing written, not even parents
    assert _count(url, "SELECT count(*) FROM bad") == 0


@pytest.mark.postgres
def test_pg_user_function_checks(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, tmp_path, PG_SCHEMA)
    plan = _seeds_clean(
        pg_url,
        tmp_path,
        {
            "code_valid": "is_valid_code(code)",
            "note_valid": "note IS NULL OR is_valid_code(note)",
            "qty_ok": "qty_ok(qty) OR qty = 42",
            "qty_positive": "qty > 0",
        },
    )
    oracle = _oracle_of(plan, "item")
    judged = {c["name"] for c in oracle["checks"] if not c["modelled"]}
    assert {"code_valid", "note_valid"} <= judged
    groups = {c["name"]: c["group"] for c in oracle["columns"]}
    assert groups["code"] != groups["note"]  # independent CHECKs choose their attempts apart
    assert _count(pg_url, "SELECT count(*) FROM item WHERE note IS NOT NULL") > 0
    text = _cli(tmp_path, "plan", "--db", pg_url, "--scale", "10").stdout
    assert "CHECK oracle on item:" in text and "code_valid" in text


@pytest.mark.postgres
def test_pg_no_candidate_passes_exit_3(pg_url: str, tmp_path: Path) -> None:
    _load(pg_url, tmp_path, PG_NEVER)
    _fails_clean(pg_url, tmp_path)


PORTABLE_CHECKS = {
    "qty_half": "(qty * 7) % 4 < 2",
    "score_odd": "score IS NULL OR (score * 3) % 2 = 1",
}


def test_sqlite_unmodelled_checks(sqlite_url: str, tmp_path: Path) -> None:
    _load(sqlite_url, tmp_path, PORTABLE_SCHEMA)
    _seeds_clean(sqlite_url, tmp_path, PORTABLE_CHECKS)


def test_sqlite_no_candidate_passes_exit_3(sqlite_url: str, tmp_path: Path) -> None:
    _load(sqlite_url, tmp_path, PORTABLE_NEVER)
    _fails_clean(sqlite_url, tmp_path)


@pytest.mark.mariadb
def test_mariadb_unmodelled_checks(mysql_url: str, tmp_path: Path) -> None:
    _load(mysql_url, tmp_path, PORTABLE_SCHEMA)
    _seeds_clean(mysql_url, tmp_path, PORTABLE_CHECKS)


@pytest.mark.mariadb
def test_mariadb_no_candidate_passes_exit_3(mysql_url: str, tmp_path: Path) -> None:
    _load(mysql_url, tmp_path, PORTABLE_NEVER)
    _fails_clean(mysql_url, tmp_path)


PG_RAISES = """
CREATE FUNCTION picky(integer) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $1 IS NULL THEN 1 / 0 = 1 ELSE true END $$;
CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE bad (
    id serial PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parent (id),
    n integer CONSTRAINT n_even CHECK (picky(n) AND n % 2 = 0)
);
"""


@pytest.mark.postgres
def test_pg_oracle_refused_by_the_database_falls_back(pg_url: str, tmp_path: Path) -> None:
    """A CHECK that raises on some candidate (NULL here): the oracle's savepoint is rolled back,
    the table loads as without the oracle, and the load's own error is reported (exit 1, not an
    internal error), with nothing written."""
    _load(pg_url, tmp_path, PG_RAISES)
    done = _cli(tmp_path, "apply", "--db", pg_url, "-o", "json", "--scale", "10")
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "rolled back" in done.stdout + done.stderr
    assert _count(pg_url, "SELECT count(*) FROM parent") == 0
    assert _count(pg_url, "SELECT count(*) FROM bad") == 0
