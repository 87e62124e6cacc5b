"""The `seedspec` command as CI runs it: exit codes, one JSON document, URLs, no secrets shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_sql_file, scalar

SHOP = str(REPO / "specs" / "shop.yaml")
SQLITE_SCHEMA = REPO / "specs" / "schemas" / "shop.sqlite.sql"


def seedspec(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    full_env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SEEDSPEC_DATABASE_URL")
    }
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=300,
    )


def test_apply_json_is_one_document_and_matches_the_database(sqlite_url: str) -> None:
    run_sql_file(sqlite_url, SQLITE_SCHEMA)
    done = seedspec("apply", SHOP, "--db", sqlite_url, "--profile", "demo", "-o", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)  # the whole of stdout is one JSON document
    assert doc["ok"] is True and doc["command"] == "apply"
    for t in doc["result"]["report"]["tables"]:
        assert scalar(sqlite_url, f"SELECT count(*) FROM {t['table']}") == t["rows"]


def test_plan_writes_nothing_and_reports_order(sqlite_url: str) -> None:
    run_sql_file(sqlite_url, SQLITE_SCHEMA)
    done = seedspec("plan", SHOP, "--db", sqlite_url, "-o", "json")
    assert done.returncode == 0, done.stderr
    steps = json.loads(done.stdout)["result"]["plan"]["steps"]
    order = [s["table"] for s in steps if s["step"] == "insert"]
    assert order.index("accounts") < order.index("users") < order.index("orders")
    assert order.index("orders") < order.index("order_items")
    assert steps[-1]["step"] == "reset_sequences"
    assert scalar(sqlite_url, "SELECT count(*) FROM accounts") == 0
    text = seedspec("plan", SHOP, "--db", sqlite_url)
    assert text.returncode == 0 and "insert" in text.stdout and "users" in text.stdout


def test_validate_reports_every_problem_with_file_line_col(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "seedspec: 1\ntables:\n  users:\n    cuont: 5\n  orders:\n"
        "    columns:\n      paid: {bool: 2}\n"
    )
    done = seedspec("validate", str(bad))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert any(line.startswith(f"{bad}:4:5: error:") and "cuont" in line for line in lines)
    assert any(line.startswith(f"{bad}:7:") and "bool" in line for line in lines)
    meaning = tmp_path / "meaning.yaml"  # valid shape, wrong meaning: also all at once
    meaning.write_text(
        "seedspec: 1\ntables:\n  orders:\n    columns:\n"
        "      user_id: {ref: nowhere}\n      qty: {int: {min: 9, max: 1}}\n"
    )
    done = seedspec("validate", str(meaning))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 2, lines
    assert lines[0].startswith(f"{meaning}:5:") and "nowhere" in lines[0]
    assert lines[1].startswith(f"{meaning}:6:") and "min" in lines[1]
    assert done.stdout == ""
    as_json = seedspec("validate", str(bad), "-o", "json")
    doc = json.loads(as_json.stdout)
    assert doc["ok"] is False and len(doc["errors"]) >= 2 and doc["errors"][0]["line"] == 4


def test_unreadable_inputs_give_one_clean_line(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "latin1.yaml").write_bytes(b"seedspec: 1\nlocale: caf\xe9\n")
    (tmp_path / "broken.yaml").write_text("seedspec: 1\ntables: {users: [\n")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (tmp_path / "bomb.yaml").write_text(bomb)
    for name in ("missing.yaml", ".", "empty.yaml", "latin1.yaml", "broken.yaml", "bomb.yaml"):
        done = seedspec("validate", str(tmp_path / name))
        assert done.returncode == 1, name
        assert "Traceback" not in done.stderr, name
        assert len(done.stderr.strip().splitlines()) == 1, (name, done.stderr)


def test_usage_errors_exit_2() -> None:
    assert seedspec("apply", "--no-such-flag").returncode == 2
    done = seedspec("plan", SHOP)  # no --db and no URL in the environment
    assert done.returncode == 2 and "--db" in done.stderr


def test_database_url_from_environment_and_postgres_scheme(pg_url: str, tmp_path: Path) -> None:
    run_sql_file(pg_url, REPO / "specs" / "schemas" / "shop.postgresql.sql")
    user_url = pg_url.replace("postgresql+psycopg://", "postgres://")
    done = seedspec(
        "apply", SHOP, "--profile", "demo", "-o", "json", env={"DATABASE_URL": user_url}
    )
    assert done.returncode == 0, done.stderr
    assert scalar(pg_url, "SELECT count(*) FROM accounts") == 50


def test_no_spec_and_no_seed_yaml_infers_the_whole_schema(sqlite_url: str, tmp_path: Path):
    run_sql_file(sqlite_url, SQLITE_SCHEMA)
    done = seedspec("apply", "--db", sqlite_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert scalar(sqlite_url, "SELECT count(*) FROM order_items") > 0


def test_seed_yaml_in_the_working_directory_is_used(sqlite_url: str, tmp_path: Path) -> None:
    run_sql_file(sqlite_url, SQLITE_SCHEMA)
    (tmp_path / "seed.yaml").write_text("seedspec: 1\ntables:\n  accounts: {count: 3}\n")
    done = seedspec("apply", "--db", sqlite_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert scalar(sqlite_url, "SELECT count(*) FROM accounts") == 3


def test_password_is_never_printed(tmp_path: Path) -> None:
    url = "postgresql://alice:s3cr3t-pw@127.0.0.1:1/nodb"
    for extra in ([], ["-o", "json"]):
        done = seedspec("apply", SHOP, "--db", url, *extra)
        assert done.returncode == 1
        assert "s3cr3t-pw" not in done.stdout + done.stderr
        assert "127.0.0.1" in done.stdout + done.stderr


def test_spec_table_missing_from_database_points_at_the_spec(sqlite_url: str, tmp_path: Path):
    run_sql_file(sqlite_url, SQLITE_SCHEMA)
    spec = tmp_path / "s.yaml"
    spec.write_text("seedspec: 1\ntables:\n  acounts: {count: 3}\n")
    done = seedspec("plan", str(spec), "--db", sqlite_url)
    assert done.returncode == 3  # drift: the spec does not fit the schema; nothing written
    assert f"{spec}:3:3: error: table 'acounts' is not in the database" in done.stderr
    assert "renamed to 'accounts'" in done.stderr
