"""Drift, kind by kind: migrate a real database by SQL, then `seedspec check` exits as specified
and its JSON names the table, the column and the spec line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_sql

BASE = """
CREATE TABLE team (id serial PRIMARY KEY, name varchar(40) NOT NULL);
CREATE TABLE player (
    id serial PRIMARY KEY,
    team_id int NOT NULL REFERENCES team (id),
    email text NOT NULL,
    nick varchar(30) NULL,
    role text NOT NULL CHECK (role IN ('keeper', 'defender', 'striker')),
    rating int NOT NULL CHECK (rating BETWEEN 0 AND 100),
    tier text NOT NULL,
    joined date NOT NULL
);
CREATE TABLE league (id serial PRIMARY KEY, title text NOT NULL);
"""
SPEC = """seedspec: 1
seed: 1
tables:
  league: {count: 2, columns: {title: {gen: text.word}}}
  team:
    count: 4
    columns:
      name: {gen: address.city}
  player:
    count: 40
    columns:
      team_id: {ref: team}
      email: {gen: person.email}
      nick: {gen: person.username, null: 0.3}
      role: {choice: {keeper: 1, defender: 4, striker: 3}}
      rating: {int: {min: 40, max: 99}}
      tier: {choice: [gold, silver, bronze]}
      joined: {date: {from: 2020-01-01, to: 2024-12-31}}
"""


def spec_line(column: str) -> int:
    return next(
        i for i, line in enumerate(SPEC.splitlines(), 1) if line.strip().startswith(f"{column}:")
    )


# (migration, exit code, finding code, table, column whose spec line is named)
CASES = {
    "column dropped": (
        "ALTER TABLE player DROP COLUMN nick",
        3,
        "missing-column",
        "player",
        "nick",
    ),
    "table renamed": ("ALTER TABLE team RENAME TO squad", 3, "missing-table", "team", "team"),
    "column renamed": (
        "ALTER TABLE player RENAME COLUMN email TO mail",
        3,
        "missing-column",
        "player",
        "email",
    ),
    "CHECK narrowed (IN)": (
        "ALTER TABLE player DROP CONSTRAINT player_role_check; "
        "ALTER TABLE player ADD CHECK (role IN ('keeper', 'striker'))",
        3,
        "choice-outside-check",
        "player",
        "role",
    ),
    "CHECK narrowed (range)": (
        "ALTER TABLE player DROP CONSTRAINT player_rating_check; "
        "ALTER TABLE player ADD CHECK (rating <= 80)",
        3,
        "range-outside-check",
        "player",
        "rating",
    ),
    "type changed": (
        "ALTER TABLE player ALTER COLUMN email TYPE int USING 0",
        3,
        "type-mismatch",
        "player",
        "email",
    ),
    "varchar narrowed": (
        "ALTER TABLE player ALTER COLUMN tier TYPE varchar(4)",
        3,
        "value-too-long",
        "player",
        "tier",
    ),
    "NOT NULL under null:": (
        "ALTER TABLE player ALTER COLUMN nick SET NOT NULL",
        3,
        "null-into-not-null",
        "player",
        "nick",
    ),
    "made UNIQUE": ("ALTER TABLE player ADD UNIQUE (tier)", 3, "unique-capacity", "player", "tier"),
    "FK retargeted": (
        "ALTER TABLE player DROP CONSTRAINT player_team_id_fkey; "
        "ALTER TABLE player ADD FOREIGN KEY (team_id) REFERENCES league (id)",
        3,
        "ref-mismatch",
        "player",
        "team_id",
    ),
    "column now generated": (
        "ALTER TABLE player DROP COLUMN rating; ALTER TABLE player ADD "
        "COLUMN rating int GENERATED ALWAYS AS (id % 100) STORED",
        3,
        "generated-column",
        "player",
        "rating",
    ),
    "NOT NULL column added": (
        "ALTER TABLE player ADD COLUMN shirt int NOT NULL",
        0,
        "not-null-unnamed",
        "player",
        "player",
    ),
    "table added": (
        "CREATE TABLE coach (id serial PRIMARY KEY, name text NOT NULL)",
        0,
        "table-unnamed",
        "coach",
        None,
    ),
}


def check(spec: Path, url: str, *extra: str) -> tuple[int, dict]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "seedspec.cli.app",
            "check",
            str(spec),
            "--db",
            url,
            "-o",
            "json",
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(SPEC)
    return path


def test_clean_schema_has_no_drift(pg_url: str, spec: Path) -> None:
    run_sql(pg_url, BASE)
    code, doc = check(spec, pg_url)
    assert code == 0 and doc["ok"] is True
    assert doc["result"]["drift"]["findings"] == []


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_drift_is_found_and_located(case: str, pg_url: str, spec: Path) -> None:
    migration, exit_code, finding, table, column = CASES[case]
    run_sql(pg_url, BASE)
    run_sql(pg_url, migration.replace("%", "%%"))
    code, doc = check(spec, pg_url)
    assert code == exit_code, doc
    findings = doc["result"]["drift"]["findings"]
    match = [f for f in findings if f["kind"] == finding and f["table"] == table]
    assert match, findings
    f = match[0]
    assert f["severity"] == ("error" if exit_code == 3 else "warning")
    assert f["file"] == str(spec) and f["fix"]
    if column is not None:
        assert f["line"] == spec_line(column), f
        if column != table:
            assert f["column"] == column
    if exit_code == 0:
        strict_code, _ = check(spec, pg_url, "--strict")
        assert strict_code == 3  # --strict makes warnings errors


def test_apply_refuses_drifted_spec_with_the_same_findings(pg_url: str, spec: Path) -> None:
    run_sql(pg_url, BASE)
    run_sql(pg_url, CASES["CHECK narrowed (IN)"][0])
    code, doc = check(spec, pg_url)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "seedspec.cli.app",
            "apply",
            str(spec),
            "--db",
            pg_url,
            "-o",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert code == done.returncode == 3
    applied = json.loads(done.stdout)
    found = doc["result"]["drift"]["findings"]
    assert [e["kind"] for e in applied["errors"]] == [
        f["kind"] for f in found if f["severity"] == "error"
    ]  # the same errors, in the one place errors go, for check and apply alike
    assert [e["kind"] for e in doc["errors"]] == [e["kind"] for e in applied["errors"]]
    assert {e["code"] for e in applied["errors"]} == {"drift"}
    assert applied["result"]["drift"]["findings"] == found
    from conftest import scalar

    assert scalar(pg_url, "SELECT count(*) FROM player") == 0


def test_snapshot_check_and_offline_check(pg_url: str, spec: Path) -> None:
    run_sql(pg_url, BASE)
    cli = [sys.executable, "-m", "seedspec.cli.app"]
    wrote = subprocess.run(
        [*cli, "snapshot", str(spec), "--db", pg_url], capture_output=True, text=True
    )
    snapshot = spec.with_name("seed.schema.json")
    assert wrote.returncode == 0 and snapshot.is_file(), wrote.stderr
    text = snapshot.read_text()
    assert '"email": {"nullable": false, "sql_type": "text", "type": "text"}' in text
    fresh = subprocess.run(
        [*cli, "snapshot", str(spec), "--db", pg_url, "--check"], capture_output=True, text=True
    )
    assert fresh.returncode == 0, fresh.stdout
    run_sql(pg_url, CASES["column dropped"][0])
    stale = subprocess.run(
        [*cli, "snapshot", str(spec), "--db", pg_url, "--check"], capture_output=True, text=True
    )
    assert stale.returncode == 3
    assert '-        "nick": {' in stale.stdout  # the diff shows what the migration changed
    offline = subprocess.run(
        [*cli, "check", str(spec), "--offline", "-o", "json"], capture_output=True, text=True
    )
    assert offline.returncode == 0, offline.stdout  # the committed snapshot still has nick
    live_code, live = check(spec, pg_url)
    assert live_code == 3
    changed = [f for f in live["result"]["drift"]["findings"] if f["kind"] == "snapshot-changed"]
    assert changed and changed[0]["table"] == "player" and changed[0]["column"] == "nick"
