"""CHECK families the constraint model builds rows for (issue 10): per-row choice among OR
alternatives (several columns per alternative, NOT, FK and UNIQUE columns NULL in one
alternative, ORs spread over several CHECKs), case and trim functions, JSON type tests, array
sizes, `<>` / NOT IN on enums, booleans, text and numbers.

Each family is seeded with no spec through the CLI on PostgreSQL, MariaDB and SQLite (where the
database has the function), then every CHECK is re-evaluated by the database over the rows
written, the counts are exact, the plan lists every CHECK as modelled (no oracle), and a second
apply with the same seed writes identical rows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import query, run_sql, scalar
from corpus_audit import run_apply

ROWS = 100  # --scale 5 of the inferred 20

# (name, CHECK) per table, written for each database
OR_CHECKS = {
    "fin": "(status = 'done' AND finished_at IS NOT NULL)"
    " OR (status <> 'done' AND finished_at IS NULL)",
    "kab": "(kind = 'a' AND x IS NOT NULL AND y IS NULL)"
    " OR (kind = 'b' AND x IS NULL AND y IS NOT NULL)",
    "span": "end_at IS NULL OR end_at > start_at",
    "ended_rule": "ended OR end_date IS NULL",
    "owner_rule": "(kind = 'a' AND owner_id IS NOT NULL) OR (kind = 'b' AND owner_id IS NULL)",
    "code_rule": "NOT (kind = 'b' AND code IS NULL)",
    "status_known": "status IN ('new', 'running', 'done')",
}
TEXT_CHECKS = {
    "a_lower": "lower(a) = a",
    "b_upper": "upper(b) = b",
    "c_lower": "c = lower(c)",
    "d_trim": "trim(d) = d",
    "e_nonblank": "length(trim(e)) > 0",
    "f_nonempty": "f <> ''",
    "g_not_none": "g <> 'none'",
    "h_not_in": "h NOT IN ('x', 'y')",
}
PG_TEXT = {"d_btrim": "btrim(d) <> ''"}
NE_CHECKS = {
    "q_true": "q <> false",
    "r_nonzero": "r <> 0",
    "s_not_half": "s <> 1.5",
    "u_not_in": "u NOT IN (1, 2, 3, 4, 5)",
    "v_not_in": "v NOT IN ('a', 'b')",
    "p_not_sad": "p <> 'sad'",
}
PG_TYPES = {
    "j_object": "jsonb_typeof(j) = 'object'",
    "k_array": "jsonb_typeof(k) = 'array'",
    "l_tags": "jsonb_typeof(l -> 'tags') = 'array'",
    "m_small": "cardinality(m) <= 3",
    "n_between": "array_length(n, 1) BETWEEN 1 AND 4",
    "o_some": "cardinality(o) > 0",
}
MY_TYPES = {"j_object": "JSON_TYPE(j) = 'OBJECT'", "k_valid": "JSON_VALID(k)"}
LITE_TYPES = {"j_object": "json_type(j) = 'object'", "l_tags": "json_type(l, '$.tags') = 'array'"}


def _pk(db: str) -> str:
    return {"postgresql": "serial PRIMARY KEY", "mysql": "INTEGER PRIMARY KEY AUTO_INCREMENT"}.get(
        db, "INTEGER PRIMARY KEY"
    )


def _cons(checks: dict[str, str]) -> str:
    return ",\n    ".join(f"CONSTRAINT {n} CHECK ({sql})" for n, sql in checks.items())


def _ddl(db: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The statements and, per table, the CHECKs to re-evaluate."""
    ts = "TIMESTAMP NULL" if db == "mysql" else "TIMESTAMP"
    ts_nn = (
        "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP" if db == "mysql" else "TIMESTAMP NOT NULL"
    )
    mood = "mood" if db == "postgresql" else "VARCHAR(5)"
    text = dict(TEXT_CHECKS, **(PG_TEXT if db == "postgresql" else {}))
    if db == "mysql":  # MariaDB spells it LOWER/UPPER too; its collation ignores case
        text = {
            n: sql.replace("lower(", "LOWER(").replace("upper(", "UPPER(")
            for n, sql in text.items()
        }
    types = {"postgresql": PG_TYPES, "mysql": MY_TYPES, "sqlite": LITE_TYPES}[db]
    ne = dict(NE_CHECKS)
    if db != "postgresql":  # the enum's labels as a CHECK list
        ne["p_known"] = "p IN ('sad', 'ok', 'happy')"
    if db == "sqlite":
        ne["q_true"] = "q <> 0"
    statements = []
    if db == "postgresql":
        statements.append("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
    statements += [
        f"CREATE TABLE owner (id {_pk(db)}, name VARCHAR(40) NOT NULL)",
        f"""CREATE TABLE job (
    id {_pk(db)},
    status VARCHAR(10) NOT NULL,
    finished_at {ts},
    kind VARCHAR(2) NOT NULL,
    x INTEGER, y INTEGER,
    start_at {ts_nn}, end_at {ts},
    ended BOOLEAN NOT NULL, end_date DATE,
    owner_id INTEGER REFERENCES owner (id),
    code VARCHAR(20) UNIQUE,
    {_cons(OR_CHECKS)}
)""",
        f"""CREATE TABLE words (
    id {_pk(db)},
    a VARCHAR(30) NOT NULL, b VARCHAR(30) NOT NULL, c VARCHAR(30) NOT NULL,
    d VARCHAR(30) NOT NULL, e VARCHAR(30) NOT NULL, f VARCHAR(30) NOT NULL,
    g VARCHAR(30), h VARCHAR(30) NOT NULL,
    {_cons(text)}
)""",
        f"""CREATE TABLE others (
    id {_pk(db)},
    p {mood} NOT NULL, q BOOLEAN NOT NULL, r INTEGER NOT NULL, s NUMERIC(6, 2),
    u INTEGER NOT NULL, v VARCHAR(10) NOT NULL,
    {_cons(ne)}
)""".replace("NOT NULL NOT NULL", "NOT NULL"),
    ]
    if db == "postgresql":
        cols = "j jsonb NOT NULL, k jsonb, l jsonb NOT NULL, m integer[], n text[] NOT NULL, "
        cols += "o integer[] NOT NULL"
    elif db == "mysql":
        cols = "j LONGTEXT NOT NULL, k LONGTEXT NOT NULL"
    else:
        cols = "j TEXT NOT NULL, l TEXT NOT NULL"
    statements.append(f"CREATE TABLE docs (id {_pk(db)}, {cols}, {_cons(types)})")
    checks = {"job": OR_CHECKS, "words": text, "others": ne, "docs": types}
    return statements, checks


def _rows(url: str, table: str) -> list[tuple]:
    return query(url, f"SELECT * FROM {table} ORDER BY id")


def _seed_and_check(url: str, db: str, tmp_path: Path) -> None:
    statements, checks = _ddl(db)
    for statement in statements:
        run_sql(url, statement)
    run = run_apply(url, tmp_path, "--scale", "5")
    assert run.returncode == 0, run.error or run.stdout[-2000:]
    # apply -o json puts warnings in drift.findings (errors would have stopped it)
    assert "findings" in run.doc["drift"], run.doc
    warnings = [e.get("message", "") for e in run.doc["drift"]["findings"]]
    assert not [w for w in warnings if "CHECK" in w], warnings
    before = {}
    for table, named in checks.items():
        assert int(str(scalar(url, f"SELECT count(*) FROM {table}"))) == ROWS, table
        for name, sql in named.items():
            bad = int(str(scalar(url, f"SELECT count(*) FROM {table} WHERE NOT ({sql})")))
            assert bad == 0, f"{bad} rows of {table} fail CHECK {name} ({sql})"
        before[table] = _rows(url, table)
    # per-row choice: every alternative of each OR is taken by some rows, consistently
    assert int(str(scalar(url, "SELECT count(DISTINCT status) FROM job"))) == 3
    assert int(str(scalar(url, "SELECT count(DISTINCT kind) FROM job"))) == 2
    for sql in (
        "SELECT count(*) FROM job WHERE finished_at IS NULL",
        "SELECT count(*) FROM job WHERE finished_at IS NOT NULL",
        "SELECT count(*) FROM job WHERE end_at IS NULL",
        "SELECT count(*) FROM job WHERE end_at IS NOT NULL",
        "SELECT count(*) FROM job WHERE owner_id IS NULL",
        "SELECT count(*) FROM job WHERE owner_id IS NOT NULL",
    ):
        assert int(str(scalar(url, sql))) > 0, sql
    # a second apply with the same seed writes the same rows
    again = run_apply(url, tmp_path, "--scale", "5", "--truncate")
    assert again.returncode == 0, again.error or again.stdout[-2000:]
    for table in checks:
        assert _rows(url, table) == before[table], table


@pytest.mark.postgres
def test_check_families_postgresql(pg_url: str, tmp_path: Path) -> None:
    _seed_and_check(pg_url, "postgresql", tmp_path)


@pytest.mark.mariadb
def test_check_families_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _seed_and_check(mysql_url, "mysql", tmp_path)


def test_check_families_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    _seed_and_check(sqlite_url, "sqlite", tmp_path)


OR_REPRO = """
CREATE TABLE account (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE move_line (
    id serial PRIMARY KEY,
    display_type varchar NOT NULL,
    account_id integer REFERENCES account (id),
    debit numeric NOT NULL DEFAULT 0,
    CONSTRAINT accountable_required
        CHECK (display_type IN ('line_section', 'line_note') OR account_id IS NOT NULL),
    CONSTRAINT non_accountable_null CHECK (
        display_type NOT IN ('line_section', 'line_note') OR (debit = 0 AND account_id IS NULL)
    )
);
CREATE TABLE grp (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE operator (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE channel (
    id serial PRIMARY KEY,
    channel_type varchar NOT NULL,
    group_id integer REFERENCES grp (id),
    operator_id integer REFERENCES operator (id),
    CONSTRAINT group_check CHECK (channel_type = 'channel' OR group_id IS NULL),
    CONSTRAINT operator_check CHECK (
        (channel_type = 'livechat' AND operator_id IS NOT NULL) OR channel_type <> 'livechat'
    )
)"""  # shared/repros/check-or-alternatives.sql

SPEC_PICKS_BRANCH = """seedspec: 1
seed: 3
tables:
  move_line:
    count: 30
    columns:
      display_type: {const: line_note}
  channel:
    count: 30
    columns:
      channel_type: {const: livechat}
"""


@pytest.mark.postgres
def test_spec_value_picks_the_alternative_it_fits(pg_url: str, tmp_path: Path) -> None:
    """shared/repros/check-or-alternatives.sql with a spec naming a value only the
    non-preferred alternative allows: accepted, and the other columns follow that alternative
    (a note line has no account and debit 0; a livechat channel has an operator)."""
    for statement in OR_REPRO.split(";"):
        if statement.strip():
            run_sql(pg_url, statement)
    (tmp_path / "seed.yaml").write_text(SPEC_PICKS_BRANCH)
    run = run_apply(pg_url, tmp_path)
    assert run.returncode == 0, run.error or run.stdout[-2000:]
    lines = query(
        pg_url, "SELECT display_type, account_id, debit, count(*) FROM move_line GROUP BY 1, 2, 3"
    )
    assert [(a, b, float(c), n) for a, b, c, n in lines] == [("line_note", None, 0.0, 30)]
    chans = query(
        pg_url,
        "SELECT channel_type, group_id IS NULL, operator_id IS NULL, count(*) FROM channel "
        "GROUP BY 1, 2, 3",
    )
    assert chans == [("livechat", True, False, 30)]


def test_init_spec_keeps_rows_choosing_among_alternatives(sqlite_url: str, tmp_path: Path) -> None:
    """`init` does not write one alternative's generators out (that would pin every row to it):
    the columns the ORs decide stay inferred, `apply --strict` with that spec has no warning,
    and rows still take every alternative."""
    statements, checks = _ddl("sqlite")
    for statement in statements:
        run_sql(sqlite_url, statement)
    done = subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", "init", "--db", sqlite_url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    written = (tmp_path / "seed.yaml").read_text()
    assert "# status: inferred row by row" in written
    run = run_apply(sqlite_url, tmp_path, "--strict")
    assert run.returncode == 0, run.error or run.stdout[-2000:]
    for name, sql in checks["job"].items():
        bad = int(str(scalar(sqlite_url, f"SELECT count(*) FROM job WHERE NOT ({sql})")))
        assert bad == 0, f"{bad} rows of job fail CHECK {name} ({sql})"
    assert int(str(scalar(sqlite_url, "SELECT count(DISTINCT kind) FROM job"))) == 2
    assert int(str(scalar(sqlite_url, "SELECT count(DISTINCT status) FROM job"))) == 3
