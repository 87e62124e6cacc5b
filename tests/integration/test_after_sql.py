"""`after:` cannot end the apply's transaction (issue 11, "all or nothing, truly").

Refused at validate (transaction control, any database) and at compile (per database: MariaDB's
implicit commits), with the spec's line:col; what slips past (a procedure that commits, a plan
written by hand) is caught by the transaction check after each statement, and the error says
what was written. after: runs after the bulk path has restored and validated every constraint.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import query, run_sql, scalar

from seedspec.api import SchemaSource, apply, apply_plan, check, plan, validate
from seedspec.errors import ApplyError, SeedspecError
from seedspec.execute.run import execute_plan
from seedspec.plan.model import RunSql

DDL = {
    "postgresql": "CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL);"
    "CREATE TABLE child (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id),"
    " qty int NOT NULL CHECK (qty > 0));"
    "CREATE TABLE log (n int)",
    "mysql": "CREATE TABLE parent (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL);"
    "CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL,"
    " qty INT NOT NULL CHECK (qty > 0), FOREIGN KEY (parent_id) REFERENCES parent (id));"
    "CREATE TABLE log (n INT)",
    "sqlite": "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT NOT NULL REFERENCES parent (id),"
    " qty INT NOT NULL CHECK (qty > 0));"
    "CREATE TABLE log (n INT)",
}
SPEC = """seedspec: 1
seed: 5
tables:
  parent: {count: 4}
  child: {count: 10, columns: {qty: {int: {min: 1, max: 9}}}}
  log: {count: 0}
"""


def _spec(tmp: Path, *statements: str) -> str:
    after = "".join(f"  - sql: {_quoted(s)}\n" for s in statements)
    path = tmp / "seed.yaml"
    path.write_text(SPEC + ("after:\n" + after if statements else ""))
    return str(path)


def _quoted(sql: str) -> str:
    return "'" + sql.replace("'", "''") + "'"


def execute(url: str, sql: str) -> None:
    """One statement whole (a procedure body holds semicolons)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _family(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0].replace("mariadb", "mysql")


def _rows(url: str) -> tuple[int, int]:
    return int(str(scalar(url, "SELECT count(*) FROM parent"))), int(
        str(scalar(url, "SELECT count(*) FROM child"))
    )


@pytest.fixture(params=["sqlite_url", "pg_url", "mysql_url"])
def db(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    run_sql(url, DDL[_family(url)])
    return url


# --------------------------------------------------------------------- refused before a write

CONTROL = [
    "COMMIT",
    "commit work",
    "ROLLBACK",
    "END",
    "BEGIN",
    "START TRANSACTION",
    "SAVEPOINT s1",
    "RELEASE SAVEPOINT s1",
    "ROLLBACK TO SAVEPOINT s1",
    "SET autocommit = 1",
    "SET @@session.autocommit = 1",
    "/* a comment first */ COMMIT",
]


@pytest.mark.parametrize("sql", CONTROL)
def test_validate_refuses_transaction_control_with_its_line(tmp_path: Path, sql: str) -> None:
    path = _spec(tmp_path, "UPDATE parent SET name = name", sql)
    with pytest.raises(SeedspecError) as err:
        validate([path])
    found = [p for p in err.value.problems if p.code == "after-ends-transaction"]
    assert len(found) == 1, err.value.problems
    assert found[0].location is not None and found[0].location.line == 9  # after[1].sql
    assert "after[1]" in found[0].message and found[0].fix


def test_every_database_refuses_a_commit_after_another_statement(db: str, tmp_path: Path) -> None:
    """`UPDATE ...; COMMIT` in one entry: validate reads only the first statement (it knows no
    dialect), check/plan/apply read every statement with the database's tokenizer."""
    path = _spec(tmp_path, "UPDATE parent SET name = 'x'; COMMIT")
    validate([path])
    report = check(path, SchemaSource(db=db))
    codes = [(p.code, p.location.line if p.location else None) for p in report.errors]
    assert ("after-ends-transaction", 8) in codes, report.errors
    with pytest.raises(SeedspecError, match="after-ends|transaction"):
        apply(path, db)
    assert _rows(db) == (0, 0)


IMPLICIT = [
    "CREATE INDEX child_qty ON child (qty)",
    "ANALYZE TABLE child",
    "OPTIMIZE TABLE child",
    "REPAIR TABLE child",
    "LOCK TABLES child WRITE",
    "UNLOCK TABLES",
    "TRUNCATE TABLE log",
    "ALTER TABLE log ADD COLUMN m INT",
    "DROP TABLE log",
    "RENAME TABLE log TO log2",
    "CREATE TABLE extra (a INT)",
    "GRANT SELECT ON log TO 'nobody'@'%'",
    "FLUSH TABLES",
    "SET STATEMENT max_statement_time = 5 FOR CREATE INDEX i ON child (qty)",
]


@pytest.mark.mariadb
@pytest.mark.parametrize("sql", IMPLICIT)
def test_mariadb_refuses_implicit_commits_at_compile(
    mysql_url: str, tmp_path: Path, sql: str
) -> None:
    run_sql(mysql_url, DDL["mysql"])
    path = _spec(tmp_path, sql)
    validate([path])  # not transaction control as such: the database decides
    with pytest.raises(SeedspecError) as err:
        plan(path, mysql_url)
    found = [p for p in err.value.problems if p.code == "after-ends-transaction"]
    assert found and found[0].location is not None and found[0].location.line == 8
    assert "implicitly" in found[0].message
    with pytest.raises(SeedspecError):
        apply(path, mysql_url)
    assert _rows(mysql_url) == (0, 0)
    assert query(mysql_url, "SHOW TABLES LIKE 'log'") == [("log",)]  # nothing ran


@pytest.mark.mariadb
def test_mariadb_keeps_what_does_not_commit(mysql_url: str, tmp_path: Path) -> None:
    run_sql(mysql_url, DDL["mysql"])
    path = _spec(
        tmp_path,
        "CREATE TEMPORARY TABLE tmp_n (n INT)",
        "INSERT INTO tmp_n SELECT count(*) FROM child",
        "INSERT INTO log SELECT n FROM tmp_n",
        "DROP TEMPORARY TABLE tmp_n",
        "SET @x = 1",
        "UPDATE parent SET name = concat(name, '!')",
    )
    apply(path, mysql_url)
    assert query(mysql_url, "SELECT n FROM log") == [(10,)]
    marked = "SELECT count(*) FROM parent WHERE RIGHT(name, 1) = '!'"
    assert int(str(scalar(mysql_url, marked))) == 4


@pytest.mark.postgres
def test_postgresql_runs_transactional_ddl_in_after(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, DDL["postgresql"])
    apply(_spec(tmp_path, "CREATE INDEX child_qty ON child (qty)", "ANALYZE child"), pg_url)
    assert scalar(pg_url, "SELECT count(*) FROM pg_indexes WHERE indexname = 'child_qty'") == 1


# --------------------------------------------------------------------- caught as it runs


@pytest.mark.mariadb
def test_mariadb_procedure_that_commits_is_caught_and_reported_truthfully(
    mysql_url: str, tmp_path: Path
) -> None:
    run_sql(mysql_url, DDL["mysql"])
    execute(mysql_url, "CREATE PROCEDURE commit_now() BEGIN COMMIT; END")
    path = _spec(tmp_path, "CALL commit_now()", "UPDATE no_such_table SET x = 1")
    with pytest.raises(ApplyError) as err:
        apply(path, mysql_url)
    text = str(err.value)
    assert "ended seedspec's transaction" in text and "seed.yaml:8" in text
    assert "nothing was written" not in text
    assert _rows(mysql_url) == (4, 10)  # committed by the procedure: the message says they stay
    assert "parent: 4" in text and "child: 10" in text


@pytest.mark.postgres
def test_postgresql_procedure_commit_is_refused_by_the_server(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, DDL["postgresql"])
    execute(pg_url, "CREATE PROCEDURE commit_now() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$")
    with pytest.raises(ApplyError) as err:
        apply(_spec(tmp_path, "CALL commit_now()"), pg_url)
    assert "rolled back, nothing was written" in str(err.value)
    assert _rows(pg_url) == (0, 0)


def test_a_commit_in_a_plan_not_compiled_here_is_caught(db: str, tmp_path: Path) -> None:
    """A plan whose after: was never read by compile (edited by hand, or an older seedspec):
    the transaction check after the statement finds the COMMIT and says the rows stay."""
    constraints = (  # seedspec's own ledger (made by the first apply) aside
        "SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
        "AND conrelid::regclass::text <> 'seedspec_ledger'"
    )
    before = scalar(db, constraints) if _family(db) == "postgresql" else None
    compiled, target = plan(_spec(tmp_path), db)
    sneaky = "COMMIT" if _family(db) != "postgresql" else "COMMIT; BEGIN"
    steps = (*compiled.steps, RunSql(sneaky, "hand.json:1:1"), RunSql("UPDATE nowhere SET x = 1"))
    try:
        with pytest.raises(ApplyError) as err:
            execute_plan(replace(compiled, steps=steps), target.engine, target.schema)
    finally:
        target.engine.dispose()
    text = str(err.value)
    assert "hand.json:1:1" in text and "ended seedspec's transaction" in text, text
    assert "nothing was written" not in text
    assert _rows(db) == (4, 10)
    if _family(db) == "postgresql":
        assert "COMMITTED" in text
        assert compiled.load_path == "bulk"
        assert scalar(db, constraints) == before  # restored before after: ran, so none lost


def test_a_failing_after_says_nothing_was_written_and_means_it(db: str, tmp_path: Path) -> None:
    with pytest.raises(ApplyError) as err:
        apply(_spec(tmp_path, "UPDATE nowhere SET x = 1"), db)
    assert "rolled back, nothing was written" in str(err.value)
    assert "seed.yaml:8" in str(err.value)
    assert _rows(db) == (0, 0)


# --------------------------------------------------------------------- after the constraints


@pytest.mark.postgres
def test_bulk_path_runs_after_once_every_constraint_is_back(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, DDL["postgresql"])
    constraints = (  # seedspec's own ledger (made by the first apply) aside
        "SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
        "AND conrelid::regclass::text <> 'seedspec_ledger'"
    )
    before = scalar(pg_url, constraints)
    report, compiled = apply(_spec(tmp_path, f"INSERT INTO log {constraints}"), pg_url)
    assert compiled.load_path == "bulk"
    assert query(pg_url, "SELECT n FROM log") == [(before,)]  # all of them, seen from after:
    assert scalar(pg_url, constraints) == before


def test_apply_plan_refuses_a_hand_written_commit(db: str, tmp_path: Path) -> None:
    """`apply --plan FILE`: the plan's after: SQL is read again before anything is written."""
    compiled, target = plan(_spec(tmp_path, "UPDATE parent SET name = name"), db)
    target.engine.dispose()
    steps = tuple(RunSql("COMMIT") if isinstance(s, RunSql) else s for s in compiled.steps)
    path = tmp_path / "plan.json"  # a consistent plan (digest and all) that compile never read
    path.write_text(json.dumps(replace(compiled, steps=steps).to_dict()))
    with pytest.raises(SeedspecError) as err:
        apply_plan(str(path), db)
    assert any(p.code == "after-ends-transaction" for p in err.value.problems), err.value.problems
    assert _rows(db) == (0, 0)
