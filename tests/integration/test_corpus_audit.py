"""tests/corpus_audit.py audits what it claims (issue 10): each fix proven on a real server.

- a CHECK containing `%` (LIKE 'a%', x % 2) is evaluated, not noted as "could not evaluate";
- an INHERITS child's rows are not duplicates of its parent's (the parent is read with ONLY),
  and the child's inherited CHECK is audited on the child's rows;
- on MySQL / MariaDB only the connected database is audited, not every database on the server.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MYSQL_ADMIN_URL, run_sql, run_sql_file
from corpus_audit import audit, scratch_database, sqlite_violations, user_schemas
from dbcheck import violations


@pytest.mark.postgres
def test_check_with_percent_is_evaluated(pg_url: str, tmp_path: Path) -> None:
    def run_sql(url: str, sql: str) -> None:  # psql: conftest.run_sql would read % as a placeholder
        (tmp_path / "s.sql").write_text(sql + ";\n")
        run_sql_file(url, tmp_path / "s.sql")

    run_sql(
        pg_url,
        "CREATE TABLE a (id int PRIMARY KEY, name text CHECK (name LIKE 'a%'), "
        "r int CHECK (r % 2 = 0), code text CHECK (code LIKE '%\\_x' ESCAPE '\\'))",
    )
    run_sql(pg_url, "INSERT INTO a VALUES (1, 'ab', 2, 'q_x')")
    clean = audit(pg_url)
    assert clean.checked["checks"] == 3
    assert not clean.notes, clean.notes
    assert not clean.violations, clean.violations
    run_sql(pg_url, "ALTER TABLE a DROP CONSTRAINT a_name_check, DROP CONSTRAINT a_r_check")
    run_sql(pg_url, "INSERT INTO a VALUES (2, 'zz', 3, 'w_x')")
    run_sql(pg_url, "ALTER TABLE a ADD CHECK (name LIKE 'a%') NOT VALID")
    run_sql(pg_url, "ALTER TABLE a ADD CHECK (r % 2 = 0) NOT VALID")
    broken = audit(pg_url)
    assert not broken.notes, broken.notes
    assert len(broken.violations) == 2, broken.violations
    assert all("1 rows fail it" in v for v in broken.violations), broken.violations


@pytest.mark.postgres
def test_inherits_child_rows_are_not_parent_duplicates(pg_url: str) -> None:
    run_sql(
        pg_url,
        "CREATE TABLE p (id int PRIMARY KEY, name text NOT NULL, n int CHECK (n >= 0)); "
        "CREATE TABLE ch (extra int) INHERITS (p); "
        "INSERT INTO p VALUES (1, 'x', 0), (2, 'y', 1); "
        "INSERT INTO ch VALUES (1, 'x', 5, 7), (2, 'y', 6, 8), (3, 'z', 7, 9)",
    )
    result = audit(pg_url)
    assert result.rows == {"p": 2, "ch": 3}
    assert not result.violations, result.violations
    # the child's own duplicate is still found, and its inherited CHECK audited on its rows
    run_sql(pg_url, "ALTER TABLE p DROP CONSTRAINT p_n_check")
    run_sql(pg_url, "INSERT INTO ch VALUES (3, 'w', -1, 0)")
    run_sql(pg_url, "ALTER TABLE p ADD CONSTRAINT p_n_check CHECK (n >= 0) NOT VALID")
    run_sql(pg_url, "CREATE INDEX ch_id ON ch (id)")
    result = audit(pg_url)
    assert any(v.startswith("ch: CHECK p_n_check") for v in result.violations), result.violations
    assert not any(v.startswith("p:") for v in result.violations), result.violations


@pytest.mark.mariadb
def test_mysql_audits_only_the_connected_database(mysql_url: str) -> None:
    run_sql(mysql_url, "CREATE TABLE mine (id int PRIMARY KEY)")
    run_sql(mysql_url, "INSERT INTO mine VALUES (1)")
    with scratch_database(MYSQL_ADMIN_URL) as other:
        run_sql(other, "CREATE TABLE theirs (id int PRIMARY KEY)")
        own = mysql_url.rsplit("/", 1)[1]
        assert user_schemas(mysql_url) == [own]
        result = audit(mysql_url, user_schemas(mysql_url))
        assert result.rows == {"mine": 1}
        assert not result.empty


def test_sqlite_partial_unique_under_its_predicate(sqlite_url: str) -> None:
    """dbcheck groups a partial index over every row; sqlite_violations honours its WHERE."""
    run_sql(
        sqlite_url,
        "CREATE TABLE c (id INTEGER PRIMARY KEY, active BOOLEAN NOT NULL, code TEXT);"
        "CREATE UNIQUE INDEX c_one ON c (active) WHERE active;"
        "CREATE UNIQUE INDEX c_code ON c (code) WHERE active = 0 AND code IS NOT NULL;"
        "INSERT INTO c VALUES (1, 1, 'x'), (2, 0, 'y'), (3, 0, 'z'), (4, 0, NULL);",
    )
    assert sqlite_violations(sqlite_url) == []
    # what it replaces: dbcheck groups c_one over every row and calls the three falses duplicates
    assert any(v.startswith("c: UNIQUE ['active']") for v in violations(sqlite_url))
    # (SQLite itself refuses a row that breaks a unique index, so no broken case can be built)
