"""FK cycles: deferred, NULL-then-fill, suspended checks (MySQL), or a compile error naming them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sql, scalar
from dbcheck import violations

from seedspec.analysis.drift import DriftError as CompileError
from seedspec.api import apply, plan

HARD_CYCLE = {  # store <-> staff, both NOT NULL and not deferrable (the sakila shape)
    "postgresql": """
        CREATE TABLE store (id int PRIMARY KEY, manager_id int NOT NULL);
        CREATE TABLE staff (id int PRIMARY KEY, store_id int NOT NULL REFERENCES store (id),
                            boss_id int NOT NULL REFERENCES staff (id));
        ALTER TABLE store ADD CONSTRAINT store_manager_fk FOREIGN KEY (manager_id)
            REFERENCES staff (id);""",
    "mysql": """
        CREATE TABLE store (id int PRIMARY KEY, manager_id int NOT NULL) ENGINE=InnoDB;
        CREATE TABLE staff (id int PRIMARY KEY, store_id int NOT NULL, boss_id int NOT NULL,
            CONSTRAINT staff_store_fk FOREIGN KEY (store_id) REFERENCES store (id),
            CONSTRAINT staff_boss_fk FOREIGN KEY (boss_id) REFERENCES staff (id)) ENGINE=InnoDB;
        ALTER TABLE store ADD CONSTRAINT store_manager_fk FOREIGN KEY (manager_id)
            REFERENCES staff (id)""",
    "sqlite": """
        CREATE TABLE store (id int PRIMARY KEY,
            manager_id int NOT NULL REFERENCES staff (id));
        CREATE TABLE staff (id int PRIMARY KEY, store_id int NOT NULL REFERENCES store (id),
            boss_id int NOT NULL REFERENCES staff (id));""",
}
SPEC = """seedspec: 1
tables:
  store:
    count: 4
  staff:
    count: 30
"""


def spec_file(tmp: Path) -> str:
    path = tmp / "cycle.yaml"
    path.write_text(SPEC)
    return str(path)


def test_not_null_cycle_is_a_compile_error_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, HARD_CYCLE["postgresql"])
    with pytest.raises(CompileError) as err:
        plan(spec_file(tmp_path), pg_url)
    text = str(err.value)
    assert "store" in text and "staff" in text and "cycle" in text
    assert "cycle.yaml:3:3" in text and "cycle.yaml:5:3" in text  # both tables' spec lines
    assert scalar(pg_url, "SELECT count(*) FROM store") == 0


def test_not_null_cycle_loads_on_mariadb_with_checks_suspended_then_verified(
    mysql_url: str, tmp_path: Path
) -> None:
    run_sql(mysql_url, HARD_CYCLE["mysql"])
    compiled, target = plan(spec_file(tmp_path), mysql_url)
    target.engine.dispose()
    assert compiled.suspend_fk_checks
    assert any(s.to_dict()["step"] == "verify_fks" for s in compiled.steps)
    apply(spec_file(tmp_path), mysql_url)
    assert violations(mysql_url) == []
    assert scalar(mysql_url, "SELECT count(*) FROM store WHERE manager_id IS NULL") == 0
    assert scalar(mysql_url, "SELECT @@foreign_key_checks") == 1  # a new session: checks on


def test_not_null_cycle_loads_on_sqlite_with_deferred_checks(sqlite_url: str, tmp_path) -> None:
    run_sql(sqlite_url, HARD_CYCLE["sqlite"])
    apply(spec_file(tmp_path), sqlite_url)
    assert violations(sqlite_url) == []
    assert scalar(sqlite_url, "SELECT count(*) FROM staff") == 30


def test_nullable_cycle_is_filled_after_insert_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    run_sql(
        pg_url,
        """
        CREATE TABLE team (id int PRIMARY KEY, lead_id int NULL);
        CREATE TABLE member (id int PRIMARY KEY, team_id int NOT NULL REFERENCES team (id));
        ALTER TABLE team ADD FOREIGN KEY (lead_id) REFERENCES member (id);""",
    )
    path = tmp_path / "s.yaml"
    path.write_text("seedspec: 1\ntables:\n  team: {count: 10}\n  member: {count: 50}\n")
    compiled, target = plan(str(path), pg_url)
    target.engine.dispose()
    assert [b.mode for b in compiled.broken_edges] == ["update"]
    apply(str(path), pg_url)
    assert scalar(pg_url, "SELECT count(*) FROM team WHERE lead_id IS NULL") == 0
    assert violations(pg_url) == []


@pytest.mark.parametrize("fixture", ["sqlite_url", "pg_url", "mysql_url"])
def test_self_reference_comes_out_as_a_tree(fixture: str, request, tmp_path: Path) -> None:
    url = request.getfixturevalue(fixture)
    run_sql(
        url,
        "CREATE TABLE node (id int PRIMARY KEY, parent_id int NULL, name varchar(40) "
        "NOT NULL, FOREIGN KEY (parent_id) REFERENCES node (id))",
    )
    path = tmp_path / "s.yaml"
    path.write_text(
        "seedspec: 1\ntables:\n  node: {count: 300, tree: {parent: parent_id, "
        "max_depth: 3, roots: 0.1}}\n"
    )
    apply(str(path), url)
    assert scalar(url, "SELECT count(*) FROM node WHERE parent_id IS NULL") == 30  # 10% roots
    assert (
        scalar(
            url,
            "SELECT count(*) FROM node c JOIN node p ON p.id = c.parent_id "
            "JOIN node g ON g.id = p.parent_id WHERE g.parent_id IS NOT NULL",
        )
        == 0
    )
    assert (
        scalar(
            url,
            "SELECT count(*) FROM node c JOIN node p ON p.id = c.parent_id "
            "WHERE p.parent_id IS NOT NULL",
        )
        > 0
    )  # depth 3 is reached
    assert violations(url) == []
