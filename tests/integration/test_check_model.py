"""The CHECK constraint model end to end (issue 10 family 1): a table whose CHECKs combine the
families seedspec models — typed IN lists with negatives, ranges, exact lengths, excluded values
on enums and booleans, ORs read together, IS NULL alternatives, at-least-one-true booleans, a
date rule — seeded with no spec on PostgreSQL, MariaDB and SQLite, then every CHECK re-evaluated
by the database itself over the rows written, and the plan names no CHECK as not understood."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sql, scalar
from corpus_audit import run_apply

CHECKS = {
    "vote_known": "vote IN (-1, 0, 1)",
    "stock_range": "stock BETWEEN 0 AND 1000",
    "code_len": "char_length(code) = 8",
    "not_archived": "archived <> true",
    "kind_or": "kind IN ('note', 'section') OR account_id IS NOT NULL",
    "kind_null": "kind NOT IN ('note', 'section') OR (debit = 0 AND account_id IS NULL)",
    "one_flag": "f1 <> false OR f2 <> false",
    "ended_rule": "ended_on IS NULL OR done = true",
}
LENGTH = {"sqlite": "length(code) = 8"}  # SQLite has no char_length()


def _ddl(db: str) -> str:
    pk = {"postgresql": "serial PRIMARY KEY", "mysql": "INTEGER PRIMARY KEY AUTO_INCREMENT"}
    enum = "VARCHAR(10) NOT NULL CHECK (state IN ('draft', 'published', 'deleted'))"
    if db == "postgresql":
        enum = "slide_state NOT NULL"
    checks = dict(CHECKS, code_len=LENGTH.get(db, CHECKS["code_len"]))
    cons = ",\n    ".join(f"CONSTRAINT {n} CHECK ({sql})" for n, sql in checks.items())
    return f"""
CREATE TABLE account (id {pk.get(db, "INTEGER PRIMARY KEY")}, name VARCHAR(40) NOT NULL);
CREATE TABLE line (
    id {pk.get(db, "INTEGER PRIMARY KEY")},
    vote INTEGER NOT NULL,
    stock INTEGER NOT NULL,
    code VARCHAR(8) NOT NULL,
    archived BOOLEAN NOT NULL,
    state {enum},
    kind VARCHAR(20) NOT NULL,
    account_id INTEGER REFERENCES account (id),
    debit NUMERIC(10, 2) NOT NULL,
    f1 BOOLEAN,
    f2 BOOLEAN,
    ended_on DATE,
    done BOOLEAN NOT NULL,
    CONSTRAINT not_deleted CHECK (state <> 'deleted'),
    {cons}
)"""


def _seed_and_check(url: str, db: str, tmp_path: Path) -> None:
    if db == "postgresql":
        run_sql(url, "CREATE TYPE slide_state AS ENUM ('draft', 'published', 'deleted')")
    for statement in _ddl(db).split(";"):
        if statement.strip():
            run_sql(url, statement)
    run = run_apply(url, tmp_path, "--scale", "5")
    assert run.returncode == 0, run.error
    # apply -o json puts warnings in drift.findings (errors would have stopped it)
    assert "findings" in run.doc["drift"], run.doc
    warnings = [e.get("message", "") for e in run.doc["drift"]["findings"]]
    assert not [w for w in warnings if "CHECK" in w], warnings
    assert int(str(scalar(url, "SELECT count(*) FROM line"))) == 100
    checks = dict(CHECKS, code_len=LENGTH.get(db, CHECKS["code_len"]))
    checks["not_deleted"] = "state <> 'deleted'"
    for name, sql in checks.items():
        bad = int(str(scalar(url, f"SELECT count(*) FROM line WHERE NOT ({sql})")))
        assert bad == 0, f"{bad} rows fail CHECK {name} ({sql})"
    # the facts shape values, not just pass: -1 written as a number, all three votes drawn
    assert int(str(scalar(url, "SELECT count(DISTINCT vote) FROM line"))) == 3
    assert int(str(scalar(url, "SELECT count(*) FROM line WHERE vote = -1"))) > 0
    assert int(str(scalar(url, "SELECT count(DISTINCT state) FROM line"))) == 2


@pytest.mark.postgres
def test_check_model_postgresql(pg_url: str, tmp_path: Path) -> None:
    _seed_and_check(pg_url, "postgresql", tmp_path)


@pytest.mark.mariadb
def test_check_model_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _seed_and_check(mysql_url, "mysql", tmp_path)


def test_check_model_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    _seed_and_check(sqlite_url, "sqlite", tmp_path)


@pytest.mark.postgres
def test_unsatisfiable_checks_are_an_error_before_any_row(pg_url: str, tmp_path: Path) -> None:
    run_sql(
        pg_url,
        "CREATE TABLE t (id serial PRIMARY KEY, k varchar NOT NULL, "
        "CONSTRAINT k_ab CHECK (k IN ('a', 'b')), CONSTRAINT k_c CHECK (k = 'c'))",
    )
    run = run_apply(pg_url, tmp_path)
    assert run.returncode == 3, run.stdout[-2000:]
    assert "no row can pass its CHECKs" in run.error and "k_ab" in run.error
    assert int(str(scalar(pg_url, "SELECT count(*) FROM t"))) == 0
