"""CHECKs that constrain text by a pattern (issue 10, family "patterns"), end to end: a table per
database whose CHECKs use every pattern form it has (LIKE with and without ESCAPE, NOT LIKE,
ILIKE, SIMILAR TO, `~` `~*` `!~`, a domain's `VALUE ~`, REGEXP / RLIKE / NOT REGEXP, GLOB / NOT
GLOB, a UNIQUE column with a pattern, an IN list under a LIKE), seeded with no spec on
PostgreSQL, MariaDB and SQLite. Then: the count is exact, the database re-evaluates every CHECK
over the rows written (none fails), each pattern column matches its pattern (Python regex, on
the values read back), a second apply with the same seed writes identical rows, and a regex the
generator cannot produce (a backreference) is named in a warning and left to the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import query, run_sql, run_sql_file
from corpus_audit import run_apply

SKU = r"[A-Z]{3}-[0-9]{4}"
# database -> (column DDL, CHECK, the Python regex every value must fullmatch / must not match)
COLUMNS: dict[str, list[tuple[str, str, str, bool]]] = {
    "postgresql": [
        ("a varchar(12) NOT NULL", "a LIKE 'ab%'", r"ab.*", True),
        ("b varchar(10) NOT NULL", "b LIKE 'x!_%' ESCAPE '!'", r"x_.*", True),
        ("c text NOT NULL", "c NOT LIKE 'q%'", r"[qQ].*", False),
        ("d text NOT NULL", "d ILIKE 'zz_'", r"(?i)zz.", True),
        ("e varchar(16) NOT NULL", "e SIMILAR TO '(ab|cd)[0-9]+'", r"(ab|cd)[0-9]+", True),
        ("f text NOT NULL", "f ~ '^[a-z]{3}[0-9]{2}$'", r"[a-z]{3}[0-9]{2}", True),
        ("g text NOT NULL", "g ~* '^id-[[:digit:]]{4}$'", r"(?i)id-[0-9]{4}", True),
        ("h text NOT NULL", "h ~ 'ok'", r".*ok.*", True),
        ("i zip NOT NULL", "", r"[0-9]{5}", True),
        ("j varchar(8) NOT NULL UNIQUE", "j ~ '^[A-Z]{3}-[0-9]{4}$'", SKU, True),
        ("k varchar(5) NOT NULL", "k IN ('ab1', 'zz', 'ab2') AND k LIKE 'ab%'", r"ab[12]", True),
        ("l char(3) NOT NULL", "l LIKE 'X__'", r"X..", True),
    ],
    "mysql": [
        ("a varchar(12) NOT NULL", "a LIKE 'ab%'", r"ab.*", True),
        ("b varchar(10) NOT NULL", "b LIKE 'x|_%' ESCAPE '|'", r"x_.*", True),
        ("c varchar(20) NOT NULL", "c NOT LIKE 'q%'", r"[qQ].*", False),
        ("f varchar(20) NOT NULL", "f REGEXP '^[a-z]{3}[0-9]{2}$'", r"[a-z]{3}[0-9]{2}", True),
        ("g varchar(20) NOT NULL", "g RLIKE '^id-[[:digit:]]{4}$'", r"id-[0-9]{4}", True),
        ("h varchar(20) NOT NULL", "h NOT REGEXP '^[0-9]'", r"[0-9].*", False),
        ("j varchar(8) NOT NULL UNIQUE", "j REGEXP '^[A-Z]{3}-[0-9]{4}$'", SKU, True),
        ("k varchar(5) NOT NULL", "k IN ('ab1', 'zz', 'ab2') AND k LIKE 'ab%'", r"ab[12]", True),
    ],
    "sqlite": [
        ("a varchar(12) NOT NULL", "a LIKE 'ab%'", r"ab.*", True),
        ("b varchar(10) NOT NULL", "b LIKE 'x!_%' ESCAPE '!'", r"x_.*", True),
        ("c text NOT NULL", "c NOT LIKE 'q%'", r"[qQ].*", False),
        ("f text NOT NULL", "f GLOB '[A-Z][A-Z]-[0-9]*'", r"[A-Z]{2}-[0-9].*", True),
        ("g text NOT NULL", "g NOT GLOB '*[0-9]*'", r".*[0-9].*", False),
        ("j varchar(8) NOT NULL UNIQUE", "j GLOB 'K[0-9][0-9][0-9]'", r"K[0-9]{3}", True),
        ("k varchar(5) NOT NULL", "k IN ('ab1', 'zz', 'ab2') AND k LIKE 'ab%'", r"ab[12]", True),
    ],
}
COUNT = 60


def _ddl(db: str) -> str:
    pk = {"postgresql": "serial PRIMARY KEY", "mysql": "INTEGER PRIMARY KEY AUTO_INCREMENT"}
    cols = ",\n  ".join(ddl for ddl, _, _, _ in COLUMNS[db])
    checks = "".join(
        f",\n  CONSTRAINT ck_{ddl.split()[0]} CHECK ({sql})"
        for ddl, sql, _, _ in COLUMNS[db]
        if sql
    )
    return f"CREATE TABLE tagged (\n  id {pk.get(db, 'INTEGER PRIMARY KEY')},\n  {cols}{checks}\n)"


def _create(url: str, db: str, tmp_path: Path) -> None:
    """Through the server's own client: DDL full of % and : as a user writes it."""
    ddl = _ddl(db) + ";\n"
    if db == "postgresql":
        ddl = "CREATE DOMAIN zip AS text CHECK (VALUE ~ '^[0-9]{5}$');\n" + ddl
    (tmp_path / "schema.sql").write_text(ddl)
    run_sql_file(url, tmp_path / "schema.sql")


def _count(url: str, where: str) -> int:
    """Rows of `tagged` WHERE `where` (SQL with % and : in its literals, so no DBAPI format)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            sql = f"SELECT count(*) FROM tagged WHERE {where}".replace(":", "\\:")
            return int(conn.execute(sa.text(sql)).scalar_one())
    finally:
        engine.dispose()


def _rows(url: str, db: str) -> list[tuple]:
    names = ", ".join(ddl.split()[0] for ddl, _, _, _ in COLUMNS[db])
    return query(url, f"SELECT {names} FROM tagged ORDER BY id")


def _seed_and_check(url: str, db: str, tmp_path: Path) -> None:
    _create(url, db, tmp_path)
    run = run_apply(url, tmp_path, "--scale", str(COUNT // 20))
    assert run.returncode == 0, run.error
    warnings = [f["message"] for f in run.doc["drift"]["findings"]]
    assert _count(url, "1 = 1") == COUNT
    for _, sql, _, _ in COLUMNS[db]:
        if sql:
            bad = _count(url, f"NOT ({sql})")
            assert bad == 0, f"{bad} rows fail CHECK {sql}"
    rows = _rows(url, db)
    for n, (ddl, sql, regex, must) in enumerate(COLUMNS[db]):
        values = [r[n] for r in rows]
        wrong = [v for v in values if bool(re.fullmatch(regex, v, re.S)) != must]
        assert not wrong, f"{ddl} / {sql}: {wrong[:5]}"
        if "UNIQUE" in ddl:
            assert len(set(values)) == COUNT
    # positive patterns are modelled: the generator promises them, no warning names them
    modelled = [f"ck_{ddl.split()[0]} " for ddl, sql, _, must in COLUMNS[db] if must and sql]
    assert not [w for w in warnings if any(name in w for name in modelled)], warnings
    assert [w for w in warnings if "ck_c " in w], warnings  # NOT LIKE on free text: judged
    # the same seed again: identical rows
    run_sql(url, "DELETE FROM tagged")
    again = run_apply(url, tmp_path, "--scale", str(COUNT // 20))
    assert again.returncode == 0, again.error
    assert _rows(url, db) == rows


@pytest.mark.postgres
def test_patterns_postgresql(pg_url: str, tmp_path: Path) -> None:
    _seed_and_check(pg_url, "postgresql", tmp_path)


@pytest.mark.mariadb
def test_patterns_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _seed_and_check(mysql_url, "mysql", tmp_path)


def test_patterns_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    _seed_and_check(sqlite_url, "sqlite", tmp_path)


@pytest.mark.postgres
def test_backreference_is_left_to_the_database_with_a_warning(pg_url: str, tmp_path: Path) -> None:
    ddl = (
        "CREATE TABLE tagged (id serial PRIMARY KEY, k text CHECK (k ~ '^(a)\\1$'), "
        "w varchar(6) NOT NULL CHECK (w LIKE 'ab%'));"
    )
    (tmp_path / "schema.sql").write_text(ddl)
    run_sql_file(pg_url, tmp_path / "schema.sql")
    run = run_apply(pg_url, tmp_path)
    assert run.returncode == 0, run.error  # k is nullable: the oracle's NULL candidate passes
    warnings = [f["message"] for f in run.doc["drift"]["findings"]]
    assert any("backreference cannot be generated" in w for w in warnings), warnings
    assert _count(pg_url, "w LIKE 'ab%'") == 20


def test_the_pattern_kind_in_a_spec_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    """`pattern:` written by hand: values match and fit; a pattern longer than the column and a
    lookahead are located errors before any row."""
    run_sql(sqlite_url, "CREATE TABLE t (id INTEGER PRIMARY KEY, sku VARCHAR(8) NOT NULL UNIQUE)")
    spec = tmp_path / "seed.yaml"
    entry = "{pattern: '^[A-Z]{3}-[0-9]{4}$', unique: true}"
    head = "seedspec: 1\ntables:\n  t:\n    count: 500\n    columns:\n"
    spec.write_text(f"{head}      sku: {entry}\n")
    run = run_apply(sqlite_url, tmp_path, str(spec))
    assert run.returncode == 0, run.error
    values = [r[0] for r in query(sqlite_url, "SELECT sku FROM t")]
    assert len(set(values)) == 500 and all(re.fullmatch(SKU, v) for v in values)
    run_sql(sqlite_url, "DELETE FROM t")
    spec.write_text(spec.read_text().replace(entry, "{pattern: '^[A-Z]{9}$'}"))
    run = run_apply(sqlite_url, tmp_path, str(spec))
    assert run.returncode == 3 and "shortest match" in run.error, run.stdout[-2000:]
    spec.write_text(spec.read_text().replace("'^[A-Z]{9}$'", "'^a(?=b)'"))
    run = run_apply(sqlite_url, tmp_path, str(spec))
    assert run.returncode == 1 and "lookahead" in run.error, run.stdout[-2000:]
    assert query(sqlite_url, "SELECT count(*) FROM t") == [(0,)]


def test_a_spec_generator_on_a_pattern_column_is_judged_by_the_database(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The spec gives a LIKE column a `choice` with a value the pattern refuses: the CHECK is not
    the model's to promise any more, so the database judges rows (the oracle keeps the values
    that pass) instead of the load failing."""
    run_sql(
        sqlite_url,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, s VARCHAR(5) NOT NULL, CHECK (s LIKE 'ab%'))",
    )
    spec = tmp_path / "seed.yaml"
    spec.write_text(
        "seedspec: 1\ntables:\n  t:\n    count: 30\n    columns:\n"
        "      s: {choice: [ab1, zz, ab2]}\n"
    )
    run = run_apply(sqlite_url, tmp_path, str(spec))
    assert run.returncode == 0, run.error
    assert query(sqlite_url, "SELECT count(*) FROM t WHERE s IN ('ab1', 'ab2')") == [(30,)]
