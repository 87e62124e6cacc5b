"""spec/aftersql.py: after: SQL text -> the statements that would end the apply's transaction,
read with sqlglot's tokenizer per dialect (no database)."""

from __future__ import annotations

import pytest

from seedspec.spec.aftersql import first_statement_refusal, refusals

EVERYWHERE = [
    "COMMIT",
    "commit work",
    "END",
    "END TRANSACTION",
    "ROLLBACK",
    "ROLLBACK TO SAVEPOINT s",
    "ABORT",
    "BEGIN",
    "START TRANSACTION",
    "SAVEPOINT s",
    "RELEASE SAVEPOINT s",
    "RELEASE s",
    "SET autocommit = 1",
    "SET @@session.autocommit = ON",
    "-- a comment\n/* and another */ COMMIT",
]
DIALECTS = [("postgres", False), ("mysql", True), ("sqlite", False)]


@pytest.mark.parametrize("sql", EVERYWHERE)
@pytest.mark.parametrize(("dialect", "implicit"), DIALECTS)
def test_transaction_control_is_refused_everywhere(sql: str, dialect: str, implicit: bool) -> None:
    found = refusals(sql, dialect, implicit)
    assert len(found) == 1
    assert found[0].statement == " ".join(sql.split("*/")[-1].split())  # comments not shown
    assert "transaction control" in found[0].reason and found[0].fix


@pytest.mark.parametrize("sql", EVERYWHERE)
def test_validate_reads_the_first_statement_generically(sql: str) -> None:
    assert first_statement_refusal(sql) is not None


@pytest.mark.parametrize(("dialect", "implicit"), DIALECTS)
def test_every_statement_is_read(dialect: str, implicit: bool) -> None:
    found = refusals("UPDATE t SET a = 1;\n  COMMIT ; SELECT 1", dialect, implicit)
    assert [r.statement for r in found] == ["COMMIT"]


@pytest.mark.parametrize(
    ("sql", "dialect"),
    [
        ("UPDATE t SET note = 'COMMIT; ROLLBACK'", "postgres"),
        ("UPDATE t SET note = 'COMMIT; ROLLBACK'", "mysql"),
        ("DO $$ BEGIN UPDATE t SET a = 1; END $$", "postgres"),
        ("DO $body$ BEGIN COMMIT; END $body$", "postgres"),  # PostgreSQL refuses it itself
        ("SELECT 1 -- COMMIT", "postgres"),
        ("CREATE INDEX i ON t (a)", "postgres"),  # DDL is transactional there
        ("ANALYZE t", "postgres"),
        ("CREATE INDEX i ON t (a)", "sqlite"),
        ("SET CONSTRAINTS ALL DEFERRED", "postgres"),
        ("PREPARE p AS SELECT 1", "postgres"),
    ],
)
def test_what_is_not_a_transaction_end_passes(sql: str, dialect: str) -> None:
    assert refusals(sql, dialect, dialect == "mysql") == []


MYSQL_COMMITS = [
    "CREATE INDEX i ON t (a)",
    "CREATE TABLE x (a INT)",
    "CREATE OR REPLACE TABLE x (a INT)",
    "ALTER TABLE t ADD COLUMN b INT",
    "ALTER TABLE t AUTO_INCREMENT = 5",
    "DROP TABLE t",
    "DROP INDEX i ON t",
    "RENAME TABLE a TO b",
    "TRUNCATE TABLE t",
    "TRUNCATE t",
    "ANALYZE TABLE t",
    "OPTIMIZE TABLE t",
    "REPAIR TABLE t",
    "CHECK TABLE t",
    "LOCK TABLES t WRITE",
    "LOCK TABLE t READ",
    "UNLOCK TABLES",
    "GRANT SELECT ON t TO u",
    "REVOKE SELECT ON t FROM u",
    "FLUSH TABLES",
    "SET PASSWORD = 'x'",
    "CREATE USER u",
    "CREATE VIEW v AS SELECT 1",
    "CREATE SEQUENCE s",
    "XA START 'x'",
    "SET STATEMENT max_statement_time = 1 FOR ALTER TABLE t ADD b INT",
    "SET STATEMENT autocommit = 1 FOR UPDATE t SET a = 1",
]
MYSQL_FINE = [
    "SELECT 1",
    "INSERT INTO t VALUES (1)",
    "REPLACE INTO t VALUES (1)",
    "UPDATE t SET a = 1",
    "DELETE FROM t",
    "WITH x AS (SELECT 1) UPDATE t SET a = 1",
    "CALL p()",
    "DO 1",
    "SET @x = 1",
    "SET time_zone = '+00:00'",
    "SET FOREIGN_KEY_CHECKS = 1",
    "CREATE TEMPORARY TABLE tmp (a INT)",
    "CREATE OR REPLACE TEMPORARY TABLE tmp (a INT)",
    "CREATE TEMPORARY TABLE IF NOT EXISTS tmp (a INT)",
    "DROP TEMPORARY TABLE tmp",
    "DROP TEMPORARY TABLE IF EXISTS tmp",
    "ANALYZE SELECT 1",
    "SET STATEMENT max_statement_time = 1 FOR UPDATE t SET a = 1",
]


@pytest.mark.parametrize("sql", MYSQL_COMMITS)
def test_mysql_implicit_commits_are_refused(sql: str) -> None:
    found = refusals(sql, "mysql", True)
    assert len(found) == 1, sql
    assert "implicitly" in found[0].reason or "transaction control" in found[0].reason


@pytest.mark.parametrize("sql", MYSQL_FINE)
def test_mysql_statements_that_do_not_commit_pass(sql: str) -> None:
    assert refusals(sql, "mysql", True) == []


@pytest.mark.parametrize("sql", MYSQL_COMMITS[:6])
def test_the_same_ddl_passes_where_ddl_is_transactional(sql: str) -> None:
    assert refusals(sql, "postgres", False) == []


def test_sql_the_tokenizer_cannot_read_gives_no_refusal() -> None:
    assert refusals("SELECT 'unterminated", "postgres", False) == []  # checked as it runs
