"""The apply ledger (issue 11, re-runs that converge), on SQLite, PostgreSQL and MariaDB: the same
plan applied twice is a no-op (exit 0, rows untouched, one ledger row with its digest, seed and
counts); a different plan on seeded tables is refused showing the entry; `--reset` empties the
plan's tables and the unseeded tables referencing them and seeds again; a failed apply records
nothing; the ledger is never in a snapshot, a plan or its digest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import REPO, query, run_sql

KEY = {"postgresql": "serial", "mysql": "INT AUTO_INCREMENT", "sqlite": "INTEGER"}
DDL = """
CREATE TABLE auth_user (id {key} PRIMARY KEY, username VARCHAR(40) NOT NULL);
CREATE TABLE auth_group (id {key} PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE auth_user_groups (id {key} PRIMARY KEY,
    user_id INT NOT NULL REFERENCES auth_user (id),
    group_id INT NOT NULL REFERENCES auth_group (id))
"""
MY_DDL = """
CREATE TABLE auth_user (id INT AUTO_INCREMENT PRIMARY KEY, username VARCHAR(40) NOT NULL);
CREATE TABLE auth_group (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE auth_user_groups (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL,
    group_id INT NOT NULL, FOREIGN KEY (user_id) REFERENCES auth_user (id),
    FOREIGN KEY (group_id) REFERENCES auth_group (id))
"""
SPEC = """seedspec: 1
seed: {seed}
tables:
  auth_user: {{count: 20}}
  auth_group: {{count: 3}}
  auth_user_groups: {{count: 0}}
"""
USERS = "SELECT id, username FROM auth_user ORDER BY id"
LEDGER = "SELECT id, plan_digest, seed, scale, counts, tables FROM seedspec_ledger ORDER BY id"
NOTHING_TO_DO = "nothing to do, nothing was written"


def _family(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0].replace("mariadb", "mysql")


@pytest.fixture(params=["sqlite_url", "pg_url", "mysql_url"])
def db(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    family = _family(url)
    run_sql(url, MY_DDL if family == "mysql" else DDL.format(key=KEY[family]))
    return url


def _cli(tmp: Path, *args: str, seed: int = 4, after: str = "") -> subprocess.CompletedProcess[str]:
    spec = tmp / "seed.yaml"
    spec.write_text(SPEC.format(seed=seed) + (f"after:\n  - sql: {after}\n" if after else ""))
    verb, *rest = args
    cmd = [sys.executable, "-m", "seedspec.cli.app", verb, str(spec), *rest]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)


def _digest(tmp: Path, url: str, *args: str) -> tuple[str, list[str]]:
    done = _cli(tmp, "plan", "--db", url, "-o", "json", *args)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)["result"]["plan"]
    return plan["digest"], [s["table"] for s in plan["steps"] if s["step"] == "insert"]


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _counts(url: str) -> dict[str, int]:
    return {
        t: int(query(url, f"SELECT count(*) FROM {t}")[0][0])
        for t in ("auth_user", "auth_group", "auth_user_groups")
    }


def test_the_same_plan_again_is_a_noop(db: str, tmp_path: Path) -> None:
    digest, tables = _digest(tmp_path, db)
    first = _cli(tmp_path, "apply", "--db", db, "-o", "json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)["result"]["report"]
    assert report["noop"] is False and report["ledger"]["id"] == 1
    rows = query(db, USERS)
    assert len(rows) == 20
    # the ledger changes neither the plan's tables nor its digest (nor the fingerprint in it)
    assert _digest(tmp_path, db) == (digest, tables) and "seedspec_ledger" not in tables
    again = _cli(tmp_path, "apply", "--db", db)
    assert again.returncode == 0, again.stderr
    assert "already seeded by this plan (ledger entry #1" in again.stdout, again.stdout
    assert NOTHING_TO_DO in again.stdout and digest in again.stdout
    as_json = _cli(tmp_path, "apply", "--db", db, "-o", "json")
    assert as_json.returncode == 0, as_json.stderr
    noop = json.loads(as_json.stdout)["result"]["report"]
    assert noop["noop"] is True and noop["rows"] == 0 and noop["ledger"]["id"] == 1
    assert noop["ledger"]["plan_digest"] == digest
    assert query(db, USERS) == rows
    entries = query(db, LEDGER)
    assert len(entries) == 1
    _id, found, seed, scale, counts, written = entries[0]
    assert (found, int(seed), float(scale)) == (digest, 4, 1.0)
    # count: 0 leaves auth_user_groups unseeded: not the plan's, not in the entry
    assert json.loads(counts) == {"auth_user": 20, "auth_group": 3}
    assert set(json.loads(written)) == set(tables) == {"auth_user", "auth_group"}


def test_a_different_plan_is_refused_showing_the_entry(db: str, tmp_path: Path) -> None:
    assert _cli(tmp_path, "apply", "--db", db).returncode == 0
    digest, _ = _digest(tmp_path, db)
    rows = query(db, USERS)
    other = _cli(tmp_path, "apply", "--db", db, seed=5)
    assert other.returncode == 1, other.stdout + other.stderr
    err = other.stderr
    assert "tables already hold rows: auth_group, auth_user; seeded by another plan" in err, err
    assert "ledger entry #1 (applied " in err and f"digest {digest}, seed 4, scale 1" in err
    assert "rows: auth_group 3, auth_user 20)" in err
    assert "seed 5 (not 4)" in err and "pass --reset" in err
    scaled = _cli(tmp_path, "apply", "--db", db, "--scale", "2")
    assert scaled.returncode == 1
    assert "scale 2 (not 1); rows: auth_group 6 (not 3), auth_user 40 (not 20)" in scaled.stderr
    assert query(db, USERS) == rows and len(query(db, LEDGER)) == 1


def test_reset_empties_an_unseeded_referencing_table_and_seeds_again(
    db: str, tmp_path: Path
) -> None:
    assert _cli(tmp_path, "apply", "--db", db).returncode == 0
    rows = query(db, USERS)
    run_sql(
        db,
        "INSERT INTO auth_user_groups (id, user_id, group_id) VALUES (1, 1, 1);"
        "INSERT INTO auth_user_groups (id, user_id, group_id) VALUES (2, 2, 3)",
    )
    # rows in a table the plan does not write: the plan's own tables are as it left them
    same = _cli(tmp_path, "apply", "--db", db)
    assert same.returncode == 0 and NOTHING_TO_DO in same.stdout, same.stdout + same.stderr
    assert _counts(db)["auth_user_groups"] == 2
    done = _cli(tmp_path, "apply", "--db", db, "--reset", "--scale", "2", "-o", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)["result"]["report"]
    assert sorted(report["cleared"]) == ["auth_group", "auth_user"]
    assert report["emptied"] == ["auth_user_groups"]
    assert report["ledger"]["id"] == 2 and report["ledger"]["scale"] == 2.0
    assert _counts(db) == {"auth_user": 40, "auth_group": 6, "auth_user_groups": 0}
    assert query(db, USERS)[:20] == rows  # same seed: the first rows again
    entries = query(db, LEDGER)
    assert [int(e[0]) for e in entries] == [1, 2]
    assert json.loads(entries[1][4]) == {"auth_user": 40, "auth_group": 6}
    # FK intact: a new membership row pointing at a re-seeded user is accepted
    run_sql(db, "INSERT INTO auth_user_groups (id, user_id, group_id) VALUES (9, 40, 6)")
    again = _cli(tmp_path, "apply", "--db", db, "--reset")  # --reset: the same plan re-seeded
    assert again.returncode == 0, again.stderr
    assert _counts(db) == {"auth_user": 20, "auth_group": 3, "auth_user_groups": 0}
    assert query(db, USERS) == rows and len(query(db, LEDGER)) == 3
    truncate = _cli(tmp_path, "apply", "--db", db, "--truncate")  # the old name still works
    assert truncate.returncode == 0 and len(query(db, LEDGER)) == 4
    # a row added to a seeded table since: the same plan, but not what it left; refused
    run_sql(db, "INSERT INTO auth_user (id, username) VALUES (100, 'late')")
    changed = _cli(tmp_path, "apply", "--db", db)
    assert changed.returncode == 1
    assert "seeded by this plan (ledger entry #4" in changed.stderr, changed.stderr
    assert "but their rows changed since (rows: auth_user 20 -> 21); pass --reset" in (
        changed.stderr
    )
    assert len(query(db, LEDGER)) == 4 and _counts(db)["auth_user"] == 21


def test_a_failed_apply_records_nothing(db: str, tmp_path: Path) -> None:
    failed = _cli(tmp_path, "apply", "--db", db, after="UPDATE nowhere SET x = 1")
    assert failed.returncode == 1 and "rolled back, nothing was written" in failed.stderr
    if _family(db) == "mysql":  # CREATE TABLE commits there: made before the transaction, empty
        assert query(db, "SELECT count(*) FROM seedspec_ledger") == [(0,)]
    else:  # transactional DDL: the ledger table went with the rollback
        assert "seedspec_ledger" not in _tables(db)
    assert _counts(db) == {"auth_user": 0, "auth_group": 0, "auth_user_groups": 0}
    assert _cli(tmp_path, "apply", "--db", db).returncode == 0
    bad = _cli(tmp_path, "apply", "--db", db, "--reset", after="UPDATE nowhere SET x = 1")
    assert bad.returncode == 1
    assert len(query(db, LEDGER)) == 1 and _counts(db)["auth_user"] == 20


def test_the_ledger_is_not_in_a_snapshot_and_a_plan_file_meets_it(db: str, tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    made = _cli(tmp_path, "plan", "--db", db, "-o", "json")
    plan_file.write_text(made.stdout)
    cmd = [sys.executable, "-m", "seedspec.cli.app", "apply", "--plan", str(plan_file), "--db", db]
    first = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and NOTHING_TO_DO in again.stdout, again.stdout + again.stderr
    assert "seedspec_ledger" in _tables(db)
    snap = _cli(tmp_path, "snapshot", "--db", db)
    assert snap.returncode == 0, snap.stderr
    text = (tmp_path / "seed.schema.json").read_text()
    assert "seedspec_ledger" not in text and "auth_user_groups" in text
    check = _cli(tmp_path, "check", "--db", db)
    assert check.returncode == 0 and "seedspec_ledger" not in check.stdout + check.stderr


def test_a_named_ledger(sqlite_url: str, tmp_path: Path) -> None:
    """--ledger NAME (and target.ledger): that table records; every verb still leaves it out."""
    run_sql(sqlite_url, DDL.format(key="INTEGER"))
    digest, _ = _digest(tmp_path, sqlite_url)
    assert _cli(tmp_path, "apply", "--db", sqlite_url, "--ledger", "seed runs").returncode == 0
    assert _tables(sqlite_url) >= {"seed runs"} and "seedspec_ledger" not in _tables(sqlite_url)
    assert query(sqlite_url, 'SELECT plan_digest FROM "seed runs"') == [(digest,)]
    assert _digest(tmp_path, sqlite_url)[0] == digest
    again = _cli(tmp_path, "apply", "--db", sqlite_url, "--ledger", "seed runs")
    assert again.returncode == 0 and "ledger entry #1 in seed runs" in again.stdout
    # the default ledger has no entry: the rows there are not its plan's, refused
    default = _cli(tmp_path, "apply", "--db", sqlite_url)
    assert default.returncode == 1 and "records no apply of them" in default.stderr


def test_a_table_named_like_the_ledger_that_is_not_one(sqlite_url: str, tmp_path: Path) -> None:
    run_sql(sqlite_url, DDL.format(key="INTEGER") + ";CREATE TABLE seedspec_ledger (x INT)")
    done = _cli(tmp_path, "apply", "--db", sqlite_url, "--exclude", "seedspec_ledger")
    assert done.returncode == 1
    assert "table seedspec_ledger exists and is not a seedspec ledger" in done.stderr
    assert _counts(sqlite_url)["auth_user"] == 0


def test_the_ledger_lives_in_the_target_schema(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, "CREATE SCHEMA app;SET search_path TO app;" + DDL.format(key="serial"))
    run_sql(pg_url, "CREATE SCHEMA other;CREATE TABLE other.t (id int)")
    assert _cli(tmp_path, "apply", "--db", pg_url, "--schema", "app").returncode == 0
    where = (
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'seedspec_ledger'"
    )
    assert query(pg_url, where) == [("app",)]
    again = _cli(tmp_path, "apply", "--db", pg_url, "--schema", "app")
    assert again.returncode == 0 and "app.seedspec_ledger" in again.stdout, again.stdout
