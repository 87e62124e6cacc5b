"""The readers of SQL text that replaced regular expressions -> what each returns, no database.

Each case puts a keyword, a comma or a parenthesis where a regex would have taken it for syntax:
inside a string literal, a quoted identifier, a comment.
"""

from __future__ import annotations

import pytest

from seedspec.database.model import DbCheck, DbUnique
from seedspec.database.reflect_types import _value_replaced
from seedspec.database.sqlexprs import is_call, json_valid_column, named_columns
from seedspec.database.triggers import pg_trigger_type, sqlite_trigger_head
from seedspec.dialects.mysql.dialect import _sized_bytes, _without_on_update
from seedspec.dialects.sqlite.catalog import table_checks, unique_index


@pytest.mark.parametrize(
    ("sql", "head"),
    [
        (
            'CREATE TRIGGER "after insert ON x" AFTER INSERT ON t BEGIN SELECT 1; END',
            ("AFTER", "INSERT"),
        ),
        (
            "CREATE TRIGGER before UPDATE OF a ON t BEGIN SELECT 'AFTER DELETE'; END",
            ("BEFORE", "UPDATE"),
        ),
        (
            "CREATE TEMP TRIGGER IF NOT EXISTS main.t3 INSTEAD OF DELETE ON v BEGIN SELECT 1; END",
            ("INSTEAD OF", "DELETE"),
        ),
        ("CREATE TRIGGER [b e] DELETE ON t BEGIN SELECT 1; END", ("BEFORE", "DELETE")),
        ("CREATE TABLE t (a int)", ("", "")),
    ],
)
def test_sqlite_trigger_head(sql: str, head: tuple[str, str]) -> None:
    assert sqlite_trigger_head(sql) == head


def test_pg_trigger_type_bits() -> None:
    assert pg_trigger_type(31) == ("BEFORE", ("INSERT", "DELETE", "UPDATE"))
    assert pg_trigger_type(32) == ("AFTER", ("TRUNCATE",))
    assert pg_trigger_type(64 | 4 | 1) == ("INSTEAD OF", ("INSERT",))


def test_sqlite_table_checks_skip_strings_and_comments() -> None:
    sql = """CREATE TABLE t (id INTEGER PRIMARY KEY,
      "check" TEXT DEFAULT 'CHECK (x > 1)' CHECK ("check" <> 'a)b'),
      n INT CONSTRAINT "n ""pos" CHECK (n > 0
         AND n < 10), -- CHECK (n > 5)
      /* CHECK (m < 0) */ m INT,
      CONSTRAINT [m ok] check([m] BETWEEN 1 AND 9))"""
    assert table_checks(sql) == [
        DbCheck(None, "\"check\" <> 'a)b'"),
        DbCheck('n "pos', "n > 0\n         AND n < 10"),
        DbCheck("m ok", '"m" BETWEEN 1 AND 9'),  # [m] and `m` given as SQL's "m"
    ]


def test_sqlite_unique_index_texts_as_written() -> None:
    sql = (
        'CREATE UNIQUE INDEX "i (x), y" ON "t ( s" (lower("a,b") DESC, [c d] COLLATE NOCASE ASC,'
        " substr(e, 1, 2)) WHERE \"a,b\" <> ') where' AND e > 0;"
    )
    assert unique_index("i (x), y", [None, "c d", None], sql) == DbUnique(
        "i (x), y",
        ("c d",),
        "index",
        "\"a,b\" <> ') where' AND e > 0",
        ('lower("a,b")', "substr(e, 1, 2)"),
    )
    assert unique_index("sqlite_autoindex_t_1", ["a"], None, "u") == DbUnique(
        "sqlite_autoindex_t_1", ("a",), "constraint"
    )


@pytest.mark.parametrize(
    ("default", "cut"),
    [
        ("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
        ("current_timestamp(3) on update current_timestamp(3)", "current_timestamp(3)"),
        ("'x on update y'", "'x on update y'"),
        ("0", "0"),
    ],
)
def test_mysql_default_without_on_update(default: str, cut: str) -> None:
    assert _without_on_update(default) == cut


def test_mysql_sized_text_and_blob() -> None:
    assert (_sized_bytes("TEXT(100)"), _sized_bytes("BLOB(10)"), _sized_bytes("TEXT")) == (
        400,
        10,
        None,
    )
    assert _sized_bytes("VARCHAR(10)") is None and _sized_bytes(None) is None


def test_columns_named_in_sql() -> None:
    text = "(\"Odd\" > lower(x)) AND Y::text = 'status' AND \"a.b\" IN ('Odd', ')')"
    found = named_columns(text, ["Odd", "odd", "x", "y", "status", "a.b", "text"], "postgres")
    assert sorted(found) == ["Odd", "a.b", "x", "y"]
    assert json_valid_column("json_valid(`j``son`)", "mysql") == "j`son"
    assert json_valid_column("json_valid(a) AND a <> '{}'", "mysql") is None
    assert is_call("nextval('\"s''q\"'::regclass)", "nextval", "postgres")
    assert not is_call("'nextval(x)'", "nextval", "postgres")


def test_domain_value_replaced_by_the_column() -> None:
    body = "VALUE > 0 AND VALUE <> length('VALUE') AND \"VALUE\" IS NULL"
    assert _value_replaced(body, '"ünï"') == (
        '"ünï" > 0 AND "ünï" <> length(\'VALUE\') AND "VALUE" IS NULL'
    )
