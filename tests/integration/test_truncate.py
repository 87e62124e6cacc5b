"""`apply --truncate` with unseeded tables that reference seeded ones (issue 11, defect 10; Django's
auth_user_groups -> auth_user): empty ones are cleared with them, ones holding rows are emptied
FK-safely in the same transaction (children first, transitively) and the output names them;
an apply that then fails changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, query, run_sql

KEY = {"postgresql": "serial", "mysql": "INT AUTO_INCREMENT", "sqlite": "INTEGER"}
DDL = """
CREATE TABLE auth_user (id {key} PRIMARY KEY, username VARCHAR(40) NOT NULL);
CREATE TABLE auth_group (id {key} PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE auth_user_groups (id {key} PRIMARY KEY,
    user_id INT NOT NULL REFERENCES auth_user (id),
    group_id INT NOT NULL REFERENCES auth_group (id));
CREATE TABLE membership_note (id {key} PRIMARY KEY,
    membership_id INT NOT NULL REFERENCES auth_user_groups (id), note VARCHAR(40))
"""
# MariaDB ignores a column's inline REFERENCES: the same FKs as table constraints
MY_DDL = """
CREATE TABLE auth_user (id INT AUTO_INCREMENT PRIMARY KEY, username VARCHAR(40) NOT NULL);
CREATE TABLE auth_group (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE auth_user_groups (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL,
    group_id INT NOT NULL, FOREIGN KEY (user_id) REFERENCES auth_user (id),
    FOREIGN KEY (group_id) REFERENCES auth_group (id));
CREATE TABLE membership_note (id INT AUTO_INCREMENT PRIMARY KEY, membership_id INT NOT NULL,
    note VARCHAR(40), FOREIGN KEY (membership_id) REFERENCES auth_user_groups (id))
"""
SPEC = """seedspec: 1
seed: 4
tables:
  auth_user: {count: 20}
  auth_group: {count: 3}
  auth_user_groups: {count: 0}
  membership_note: {count: 0}
"""
USERS = "SELECT id, username FROM auth_user ORDER BY id"
MEMBERS = "SELECT (SELECT count(*) FROM auth_user_groups), (SELECT count(*) FROM membership_note)"


def _family(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0].replace("mariadb", "mysql")


@pytest.fixture(params=["sqlite_url", "pg_url", "mysql_url"])
def db(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    family = _family(url)
    run_sql(url, MY_DDL if family == "mysql" else DDL.format(key=KEY[family]))
    return url


def _apply(tmp: Path, url: str, *args: str, after: str = "") -> subprocess.CompletedProcess[str]:
    spec = tmp / "seed.yaml"
    spec.write_text(SPEC + (f"after:\n  - sql: {after}\n" if after else ""))
    cmd = [sys.executable, "-m", "seedspec.cli.app", "apply", str(spec), "--db", url, *args]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)


def _memberships(url: str) -> None:
    run_sql(
        url,
        "INSERT INTO auth_user_groups (id, user_id, group_id) VALUES (1, 1, 1);"
        "INSERT INTO auth_user_groups (id, user_id, group_id) VALUES (2, 2, 3);"
        "INSERT INTO membership_note (id, membership_id, note) VALUES (1, 1, 'kept?')",
    )


def test_empty_unseeded_children_do_not_block_truncate(db: str, tmp_path: Path) -> None:
    assert _apply(tmp_path, db).returncode == 0
    first = query(db, USERS)
    done = _apply(tmp_path, db, "--truncate")
    assert done.returncode == 0, done.stderr
    assert query(db, USERS) == first and len(first) == 20
    assert "also emptied" not in done.stdout


def test_unseeded_children_holding_rows_are_emptied_and_named(db: str, tmp_path: Path) -> None:
    assert _apply(tmp_path, db).returncode == 0
    first = query(db, USERS)
    _memberships(db)
    done = _apply(tmp_path, db, "--truncate", "-o", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)["result"]["report"]
    assert sorted(report["emptied"]) == ["auth_user_groups", "membership_note"]
    assert sorted(report["cleared"]) == ["auth_group", "auth_user"]
    assert [tuple(r) for r in query(db, MEMBERS)] == [(0, 0)]
    assert query(db, USERS) == first  # same seed, same rows
    text = _apply(tmp_path, db, "--truncate")  # nothing to empty now; the text names none
    assert text.returncode == 0 and "also emptied" not in text.stdout
    _memberships(db)
    text = _apply(tmp_path, db, "--truncate")
    assert "also emptied" in text.stdout and "auth_user_groups" in text.stdout, text.stdout


def test_a_failed_truncate_apply_changes_nothing(db: str, tmp_path: Path) -> None:
    assert _apply(tmp_path, db).returncode == 0
    first = query(db, USERS)
    _memberships(db)
    members = query(db, "SELECT id, user_id, group_id FROM auth_user_groups ORDER BY id")
    done = _apply(tmp_path, db, "--truncate", "--scale", "2", after="UPDATE nowhere SET x = 1")
    assert done.returncode == 1
    assert "rolled back, nothing was written" in done.stderr, done.stderr
    assert query(db, USERS) == first
    assert query(db, "SELECT id, user_id, group_id FROM auth_user_groups ORDER BY id") == members
    assert query(db, "SELECT membership_id, note FROM membership_note") == [(1, "kept?")]


def test_a_left_alone_table_is_never_emptied(db: str, tmp_path: Path) -> None:
    """Django's admin log (framework bookkeeping, left alone) references auth_user too: while it
    is empty the seeded tables are emptied around it (DELETE), the count: 0 child is emptied;
    once it holds a row that a replaced user would orphan, --truncate refuses and writes nothing."""
    family = _family(db)
    fk = (
        "user_id INT NOT NULL, FOREIGN KEY (user_id) REFERENCES auth_user (id)"
        if family == "mysql"
        else "user_id INT NOT NULL REFERENCES auth_user (id)"
    )
    run_sql(db, f"CREATE TABLE django_admin_log (id {KEY[family]} PRIMARY KEY, {fk})")
    assert _apply(tmp_path, db).returncode == 0
    first = query(db, USERS)
    _memberships(db)
    done = _apply(tmp_path, db, "--truncate", "-o", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)["result"]["report"]
    assert sorted(report["emptied"]) == ["auth_user_groups", "membership_note"]
    assert "django_admin_log" in report["left_alone"]
    assert query(db, USERS) == first
    _memberships(db)
    run_sql(db, "INSERT INTO django_admin_log (id, user_id) VALUES (1, 2)")
    refused = _apply(tmp_path, db, "--truncate")
    assert refused.returncode == 1 and "django_admin_log" in refused.stderr, refused.stderr
    assert "rolled back, nothing was written" in refused.stderr
    assert query(db, USERS) == first
    assert [tuple(r) for r in query(db, MEMBERS)] == [(2, 1)]
    assert query(db, "SELECT id, user_id FROM django_admin_log") == [(1, 2)]
