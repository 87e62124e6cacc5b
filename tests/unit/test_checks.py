"""seedspec.database.checks + facts: CHECK text read by sqlglot into clauses of facts, and a
table's CHECKs combined into one constraint model (no database: a corpus of CHECK texts as
PostgreSQL, MariaDB and SQLite print them)."""

from __future__ import annotations

import pytest

from seedspec.database.checks import literal, read_check
from seedspec.database.constraints import ColumnFacts
from seedspec.database.facts import check_model
from seedspec.database.model import DbCheck, DbColumn, DbTable


def facts(sql: str, dialect: str | None = None) -> dict[str, ColumnFacts]:
    reading = read_check(sql, dialect)
    assert reading.understood, (sql, reading.why)
    return reading.facts


@pytest.mark.parametrize(
    ("sql", "dialect", "column", "allowed"),
    [
        ("(vote = ANY (ARRAY['-1'::integer, 0, 1]))", "postgres", "vote", (-1, 0, 1)),
        ("vote IN (-1, 0, 1)", "sqlite", "vote", (-1, 0, 1)),
        ("(`vote` in (-1,0,1))", "mysql", "vote", (-1, 0, 1)),
        (
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])"
            "::text[]))",
            "postgres",
            "status",
            ("a", "b"),
        ),
        ("status = 'a' OR status = 'b'", None, "status", ("a", "b")),
        ("(size = 'S'::text)", "postgres", "size", ("S",)),
        ("flag", None, "flag", (True,)),
        ("NOT flag", None, "flag", (False,)),
        ("flag = true", "postgres", "flag", (True,)),
    ],
)
def test_value_lists_are_typed(sql: str, dialect: str | None, column: str, allowed: tuple) -> None:
    got = facts(sql, dialect)[column].allowed
    assert got == allowed
    assert [type(v) for v in got or ()] == [type(v) for v in allowed]


@pytest.mark.parametrize(
    ("sql", "excluded"),
    [
        ("state <> 'deleted'", ("deleted",)),
        ("(archived <> true)", (True,)),
        ("perm_read <> false", (False,)),
        ("x NOT IN ('a', 'b')", ("a", "b")),
        (
            "((x)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            ("a", "b"),
        ),
        ("NOT (x = 'a')", ("a",)),
    ],
)
def test_excluded_values(sql: str, excluded: tuple) -> None:
    (f,) = facts(sql).values()
    assert f.excluded == excluded
    assert f.allowed is None


def test_true_and_false_are_literals_never_columns() -> None:
    reading = read_check("perm_read <> false OR perm_write <> false")
    assert reading.columns == ("perm_read", "perm_write")
    assert [sorted(a) for c in reading.clauses for a in c] == [["perm_read"], ["perm_write"]]


@pytest.mark.parametrize(
    ("sql", "lo", "hi"),
    [
        ("price > 0 AND price <= 500", (0.0, False), (500.0, True)),
        ("stock BETWEEN 0 AND 1000", (0.0, True), (1000.0, True)),
        ("x BETWEEN -1 AND 5.5", (-1.0, True), (5.5, True)),
        ("(temp >= '-40'::integer)", (-40.0, True), None),
        ("(0 < qty)", (0.0, False), None),
        ("((rating >= 1) AND (rating <= 5))", (1.0, True), (5.0, True)),
    ],
)
def test_ranges(sql: str, lo: tuple | None, hi: tuple | None) -> None:
    (f,) = facts(sql).values()
    assert ((f.lower, f.lower_inclusive) if f.lower is not None else None) == lo
    assert ((f.upper, f.upper_inclusive) if f.upper is not None else None) == hi


@pytest.mark.parametrize(
    ("sql", "dialect", "lengths"),
    [
        ("(char_length((index)::text) = 8)", "postgres", (8, 8)),
        ("char_length(`idx`) = 8", "mysql", (8, 8)),
        ("length(idx) = 8", "sqlite", (8, 8)),
        ("length(sku) >= 4", None, (4, None)),
        ("octet_length(code) < 11", "postgres", (None, 10)),
        ("character_length(name) > 2", "postgres", (3, None)),
    ],
)
def test_lengths(sql: str, dialect: str | None, lengths: tuple) -> None:
    (f,) = facts(sql, dialect).values()
    assert (f.min_length, f.max_length) == lengths


def test_cast_does_not_swallow_the_next_conjunct() -> None:
    """A multi-word cast (character varying) before AND: the AND stays an AND."""
    reading = read_check(
        "((((channel_type)::text = 'livechat'::text) AND (operator_id IS NOT NULL)) "
        "OR ((channel_type)::character varying <> 'livechat'::character varying))"
    )
    assert reading.understood
    (clause,) = reading.clauses
    assert [dict(a) for a in clause] == [
        {
            "channel_type": ColumnFacts(allowed=("livechat",)),
            "operator_id": ColumnFacts(null=False),
        },
        {"channel_type": ColumnFacts(excluded=("livechat",))},
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "num_nonnulls(partner_id, guest_id) = 1",
        "num_nulls(partner_id, guest_id) = 1",
        "((partner_id IS NULL) <> (guest_id IS NULL))",
        "((partner_id IS NULL) = (guest_id IS NOT NULL))",
        "(partner_id IS NOT NULL AND guest_id IS NULL) OR "
        "(partner_id IS NULL AND guest_id IS NOT NULL)",
    ],
)
def test_exactly_one_of(sql: str) -> None:
    (clause,) = read_check(sql).clauses
    patterns = sorted(tuple(sorted((n, f.null) for n, f in a.items())) for a in clause)
    assert patterns == [
        (("guest_id", False), ("partner_id", True)),
        (("guest_id", True), ("partner_id", False)),
    ]


def test_between_columns_and_clock() -> None:
    assert facts("end_date > start_date")["end_date"].after == ("start_date", True)
    assert facts("start_date <= end_date")["end_date"].after == ("start_date", False)
    assert facts("(home_id <> away_id)")["away_id"].differs_from == "home_id"
    assert facts("birth <= (now() - '18 years'::interval)")["birth"].latest == "2007-12-31"
    assert facts("d >= '2020-01-01'::date")["d"].earliest == "2020-01-01"
    assert facts("json_valid(`doc`)", "mysql")["doc"].is_json


@pytest.mark.parametrize(
    "sql",
    [
        "weird_function(age) IS DISTINCT FROM 3",
        "slug ~ '^(a)\\1$'",  # a backreference: no generator makes it (test_patterns.py)
        "lower(email) = name",
        "lower(email) > 'm'",
        "jsonb_typeof(doc) = 'null'",
        "jsonb_typeof(doc) <> 'object'",
        "array_length(tags, 2) < 3",
        "created > now()",
        "a = b",
        "x IN (SELECT 1)",
        "not even sql ((",
    ],
)
def test_not_understood_keeps_no_fact(sql: str) -> None:
    reading = read_check(sql)
    assert not reading.understood
    assert reading.clauses == () and reading.facts == {}


def test_literal_is_typed_by_its_cast() -> None:
    assert literal("'-1'::integer") == -1
    assert literal("'2.5'::numeric") == 2.5
    assert literal("'eu'::text") == "eu"
    assert literal("-3") == -3
    with pytest.raises(ValueError):
        literal("some_column")


def _table(*checks: str, nullable: tuple[str, ...] = ()) -> DbTable:
    names = ("display_type", "account_id", "debit", "channel_type", "group_id", "k")
    return DbTable(
        "t",
        columns=(
            DbColumn("id", "integer", nullable=False),
            *(DbColumn(n, "varchar", nullable=n in nullable) for n in names),
        ),
        primary_key=("id",),
        checks=tuple(DbCheck(f"c{i}", sql) for i, sql in enumerate(checks)),
    )


def test_ors_read_together_pick_one_consistent_alternative() -> None:
    table = _table(
        "display_type IN ('line_section', 'line_note') OR account_id IS NOT NULL",
        "display_type NOT IN ('line_section', 'line_note') OR (debit = 0 AND account_id IS NULL)",
        nullable=("account_id",),
    )
    model = check_model(table)
    assert not model.unread and not model.unsatisfiable
    assert [c.name for c in model.modelled] == ["c0", "c1"]
    # one group (the ORs share columns); its first branch forces no NULL: a product line
    # with an account; the other: a section/note line, no account, debit 0
    (group,) = model.branches
    first, second = group
    assert model.columns == first
    assert first["account_id"].null is False
    assert first["display_type"].excluded == ("line_section", "line_note")
    assert second["account_id"].null is True
    assert second["display_type"].allowed == ("line_section", "line_note")
    assert second["debit"].allowed == (0,)


def test_ors_on_separate_columns_are_separate_groups() -> None:
    table = _table(
        "(status = 'done' AND finished_at IS NOT NULL)"
        " OR (status <> 'done' AND finished_at IS NULL)",
        "end_at IS NULL OR end_at > start_at",
        "ended OR end_date IS NULL",
        nullable=("finished_at", "end_at", "end_date"),
    )
    model = check_model(table)
    assert not model.unread and not model.unsatisfiable
    assert [len(g) for g in model.branches] == [2, 2, 2]
    done, other = model.branches[0]
    assert done["status"].allowed == ("done",) and done["finished_at"].null is False
    assert other["status"].excluded == ("done",) and other["finished_at"].null is True
    later, empty = model.branches[1]
    assert later["end_at"].after == ("start_at", True) and empty["end_at"].null is True
    assert {b["ended"].allowed for b in model.branches[2] if "ended" in b} == {(True,)}


def test_not_of_and_or_reads_by_de_morgan() -> None:
    reading = read_check("NOT (kind = 'b' AND code IS NULL)")
    assert reading.understood
    (clause,) = reading.clauses
    assert [dict(a) for a in clause] == [
        {"kind": ColumnFacts(excluded=("b",))},
        {"code": ColumnFacts(null=False)},
    ]
    reading = read_check("NOT (a > 3 OR b IS NULL)")
    assert reading.facts == {"a": ColumnFacts(upper=3.0), "b": ColumnFacts(null=False)}


def test_an_alternative_needing_null_on_a_not_null_column_is_not_chosen() -> None:
    table = _table("display_type = 'x' OR account_id IS NULL")  # account_id NOT NULL
    assert check_model(table).columns["display_type"].allowed == ("x",)


def test_empty_allowed_set_is_an_error_naming_the_checks() -> None:
    model = check_model(_table("k IN ('a', 'b')", "k = 'c'"))
    assert model.unsatisfiable == ["no value of k passes c0, c1"]
    model = check_model(_table("k = 'a' OR k = 'b'", "k = 'c' OR k = 'd'"))
    assert model.unsatisfiable and "c0" in model.unsatisfiable[0]


def test_unread_check_lists_sql_and_columns_and_merges_nothing() -> None:
    model = check_model(_table("k IN ('a') OR my_func(channel_type)", "k IS NOT NULL"))
    (unread,) = model.unread
    assert (unread.name, unread.columns) == ("c0", ("k", "channel_type"))
    assert model.columns["k"].allowed is None  # the unread CHECK's IN list is not kept
    assert [c.name for c in model.modelled] == ["c1"]


def test_excluded_words_on_free_text_are_modelled() -> None:
    """The inferred word generator moves a value off an excluded word (shaping.text_limits)."""
    model = check_model(_table("k <> 'certification'"))
    assert not model.unread and [c.name for c in model.modelled] == ["c0"]
    assert model.columns["k"].excluded == ("certification",)
    model = check_model(_table("lower(k) = k", "upper(k) = k"))
    assert [u.why for u in model.unread] == ["k: both lower and upper case"] * 2


def test_exactly_one_of_nullable_columns_is_chosen_per_row() -> None:
    """One alternative for all rows would leave one owner always NULL: rows choose between
    the branches instead (each owner set in one of them)."""
    table = _table("num_nonnulls(account_id, group_id) = 1", nullable=("account_id", "group_id"))
    model = check_model(table)
    assert not model.unread
    (group,) = model.branches
    assert [(b["account_id"].null, b["group_id"].null) for b in group] == [
        (False, True),
        (True, False),
    ]
    # an OR that is not only about NULLs keeps the model's one alternative first
    table = _table("account_id IS NULL OR k = 'x'", nullable=("account_id",))
    assert check_model(table).columns["k"].allowed == ("x",)


@pytest.mark.parametrize(
    ("key", "bounds", "column", "params"),
    [
        (
            "LIST (region)",
            ("FOR VALUES IN ('eu', 'us')", "FOR VALUES IN ('as', NULL)"),
            "region",
            {"parts": [{"in": ["eu", "us"]}, {"in": ["as"]}], "of": "text"},
        ),
        (
            'RANGE ("d")',
            (
                "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')",
                "FOR VALUES FROM (MINVALUE) TO ('2020-01-01')",
            ),
            "d",  # days since 1970-01-01
            {"parts": [{"from": 18262, "to": 18628}, {"from": None, "to": 18262}], "of": "date"},
        ),
        (
            "RANGE (n)",
            ("FOR VALUES FROM ('-5'::integer) TO (MAXVALUE)",),
            "n",
            {"parts": [{"from": -5, "to": None}], "of": "int"},
        ),
        (  # the DEFAULT partition gets values above every other partition's
            "RANGE (n)",
            ("FOR VALUES FROM (1) TO (100)", "DEFAULT"),
            "n",
            {"parts": [{"from": 1, "to": 100}, {"from": 101, "to": None}], "of": "int"},
        ),
        (  # an integer HASH key: integers whose PostgreSQL hash lands in each partition
            "HASH (n)",
            ("FOR VALUES WITH (modulus 2, remainder 0)",),
            "n",
            {"parts": [{"hash": [2, 0]}], "of": "int", "bits": 32},
        ),
        ("HASH (region)", ("FOR VALUES WITH (modulus 2, remainder 0)",), None, None),
    ],
)
def test_partition_bounds_read_by_sqlglot(
    key: str, bounds: tuple[str, ...], column: str | None, params: dict | None
) -> None:
    from seedspec.database.partitions import partition_rule

    columns = (DbColumn("region", "text"), DbColumn("d", "date"), DbColumn("n", "integer"))
    rule = partition_rule(DbTable("p", columns=columns, partition_by=key, partitions=bounds))
    got = rule.generators[0] if rule.generators else (None, None)
    assert got[0] == column
    assert (got[1].params if got[1] else None) == params
    assert rule.routes == (bounds if column else ())
    assert not rule.note


def test_partition_key_on_an_expression_is_a_note() -> None:
    from seedspec.database.partitions import partition_rule

    table = DbTable(
        "p",
        columns=(DbColumn("n", "integer"),),
        partition_by="RANGE ((n + 1))",
        partitions=("FOR VALUES FROM (1) TO (100)",),
    )
    assert "not understood" in partition_rule(table).note


@pytest.mark.parametrize(
    ("sql", "allowed"),
    [
        ("(upper((gender)::text) = ANY (ARRAY['M'::text, 'F'::text]))", ("M", "F")),
        ("lower(x) IN ('a', 'B')", ("a",)),  # 'B' is not its own lower(): no x gives it
        ("btrim(x) = 'ok'", ("ok",)),
        ("UPPER(`x`) IN ('A')", ("A",)),
    ],
)
def test_case_and_trim_wrapped_lists(sql: str, allowed: tuple) -> None:
    (f,) = facts(sql).values()
    assert f.allowed == allowed


@pytest.mark.parametrize(
    ("sql", "dialect", "column", "expected"),
    [
        ("lower(a::text) = a::text", "postgres", "a", ColumnFacts(case="lower")),
        ("c::text = lower(c::text)", "postgres", "c", ColumnFacts(case="lower")),
        ("upper(b) = b", None, "b", ColumnFacts(case="upper")),
        ("`x` = LOWER(`x`)", "mysql", "x", ColumnFacts(case="lower")),
        ("lower(x) = x", "sqlite", "x", ColumnFacts(case="lower")),
        ("TRIM(BOTH FROM e) = e", "postgres", "e", ColumnFacts(trimmed=True)),
        ("trim(e) = e", "sqlite", "e", ColumnFacts(trimmed=True)),
        ("btrim(d) <> ''::text", "postgres", "d", ColumnFacts(excluded=("",), trimmed=True)),
        (
            "length(TRIM(BOTH FROM f)) > 0",
            "postgres",
            "f",
            ColumnFacts(min_length=1, trimmed=True),
        ),
        ("g <> ''", None, "g", ColumnFacts(excluded=("",))),
        ("upper(code) IN ('AB', 'cd')", "postgres", "code", ColumnFacts(allowed=("AB",))),
        (
            "jsonb_typeof(j) = 'object'::text",
            "postgres",
            "j",
            ColumnFacts(is_json=True, json_types=(("", "object"),)),
        ),
        (
            "jsonb_typeof(l -> 'tags'::text) = 'array'::text",
            "postgres",
            "l",
            ColumnFacts(is_json=True, json_types=(("tags", "array"),)),
        ),
        (
            "json_type(x) = 'object'",
            "sqlite",
            "x",
            ColumnFacts(is_json=True, json_types=(("", "object"),)),
        ),
        (
            "json_type(x, '$.tags') = 'array'",
            "sqlite",
            "x",
            ColumnFacts(is_json=True, json_types=(("tags", "array"),)),
        ),
        (
            "JSON_TYPE(`x`) = 'OBJECT'",
            "mysql",
            "x",
            ColumnFacts(is_json=True, json_types=(("", "object"),)),
        ),
        ("JSON_VALID(`x`)", "mysql", "x", ColumnFacts(is_json=True)),
        ("cardinality(m) <= 3", "postgres", "m", ColumnFacts(max_length=3)),
        ("cardinality(o) > 0", "postgres", "o", ColumnFacts(min_length=1)),
        (
            "array_length(n, 1) BETWEEN 1 AND 4",
            "postgres",
            "n",
            ColumnFacts(min_length=1, max_length=4),
        ),
        ("flag <> false", None, "flag", ColumnFacts(excluded=(False,))),
        ("u <> ALL (ARRAY[1, 2, 3])", "postgres", "u", ColumnFacts(excluded=(1, 2, 3))),
        ("v NOT IN ('a', 'b')", None, "v", ColumnFacts(excluded=("a", "b"))),
    ],
)
def test_function_facts(sql: str, dialect: str | None, column: str, expected: ColumnFacts) -> None:
    """Case, trim, JSON type and array size CHECKs read as facts the generators honour."""
    assert facts(sql, dialect) == {column: expected}


def test_mixed_json_types_and_both_cases() -> None:
    """Two JSON types for one key cannot hold together; lower and upper together is text
    without cased letters (kept, but no generator promises it)."""
    model = check_model(_table("jsonb_typeof(k) = 'object'", "jsonb_typeof(k) = 'array'"))
    assert model.unsatisfiable
    both = ColumnFacts(case="lower").merged(ColumnFacts(case="upper"))
    assert both.case == "both" and both.satisfiable()
