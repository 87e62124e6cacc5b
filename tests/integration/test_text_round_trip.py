r"""Strings that read like a loader's NULL marker or escapes come back exactly (issue 11, defect 4).

PostgreSQL COPY text and binary (default and bulk path), MariaDB LOAD DATA and SQLite: a column
whose `const` is `\N`, `\\N`, a tab, a newline, a CR, `C:\path`, `NULL` or '' holds exactly that
string after apply, read back by query, never NULL; a `choice` over all of them too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import query, run_sql

from seedspec.api import apply

VALUES = ["\\N", "\\\\N", "a\tb", "x\ny", "C:\\path", "NULL", "", "cr\rlf", "\\", "end\\"]
COLUMNS = [f"c{i}" for i in range(len(VALUES))]
ROWS = 40


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (YAML's escapes are JSON's for these characters)."""
    import json

    return json.dumps(text)


def _spec(tmp: Path) -> str:
    consts = "\n".join(
        f"      {c}: {{const: {_yaml_string(v)}}}" for c, v in zip(COLUMNS, VALUES, strict=True)
    )
    pick = f"      pick: {{choice: [{', '.join(_yaml_string(v) for v in VALUES)}]}}"
    body = f"    count: {ROWS}\n    columns:\n{consts}\n{pick}\n"
    path = tmp / "seed.yaml"
    path.write_text(
        f"seedspec: 1\nseed: 11\ntables:\n  bin_t:\n{body}  txt_t:\n{body}"
        "      amount: {decimal: {min: 1, max: 9, precision: 2}}\n"
    )
    return str(path)


def _ddl(text_type: str, key: str) -> str:
    cols = ", ".join(f"{c} {text_type}" for c in [*COLUMNS, "pick"])
    # bin_t: every column has a binary COPY form; txt_t: numeric has none, so COPY text
    return (
        f"CREATE TABLE bin_t (id {key} PRIMARY KEY, {cols});\n"
        f"CREATE TABLE txt_t (id {key} PRIMARY KEY, {cols}, amount NUMERIC(6, 2));\n"
    )


def _assert_exact(url: str) -> None:
    for table in ("bin_t", "txt_t"):
        for column, value in zip(COLUMNS, VALUES, strict=True):
            got = query(url, f"SELECT {column}, count(*) FROM {table} GROUP BY {column}")
            assert got == [(value, ROWS)], (table, column, value, got)
        picked = query(url, f"SELECT DISTINCT pick FROM {table}")
        assert None not in {r[0] for r in picked}, (table, "NULL in pick")
        assert {r[0] for r in picked} == set(VALUES), (table, picked)


@pytest.mark.postgres
@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "default"])
def test_postgresql_copy_text_and_binary_keep_the_strings(
    pg_url: str, tmp_path: Path, bulk: bool
) -> None:
    run_sql(pg_url, _ddl("text", "integer"))
    report, compiled = apply(_spec(tmp_path), pg_url, bulk=bulk)
    assert compiled.load_path == ("bulk" if bulk else "default")
    assert report.rows == 2 * ROWS
    _assert_exact(pg_url)


@pytest.mark.mariadb
def test_mariadb_load_data_keeps_the_strings(mysql_url: str, tmp_path: Path) -> None:
    run_sql(mysql_url, _ddl("VARCHAR(40)", "INT"))
    report, _ = apply(_spec(tmp_path), mysql_url)
    assert report.rows == 2 * ROWS
    _assert_exact(mysql_url)


def test_sqlite_keeps_the_strings(sqlite_url: str, tmp_path: Path) -> None:
    run_sql(sqlite_url, _ddl("TEXT", "INTEGER"))
    apply(_spec(tmp_path), sqlite_url)
    _assert_exact(sqlite_url)
