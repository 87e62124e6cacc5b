"""Pattern CHECKs without a database: SQL predicates (as each database reflects them) read into
pattern facts, LIKE / GLOB / SIMILAR TO translated to Python regexes, and the pattern generator
(rstr) making matching, length-bounded, deterministic and, with unique, distinct strings."""

from __future__ import annotations

import re

import numpy as np
import pytest

from seedspec.analysis.infer import infer_column
from seedspec.database.checks import read_check
from seedspec.database.facts import check_model
from seedspec.database.model import DbCheck, DbColumn, DbTable
from seedspec.database.patterns import glob_regex, like_regex, posix_regex, similar_regex
from seedspec.generate.patterns import (
    Pattern,
    UniquePattern,
    matching,
    shortest_length,
    unsupported,
)
from seedspec.kinds import build_generator
from seedspec.kinds.spec import GeneratorSpec


def _one(sql: str, dialect: str | None = None) -> tuple[list[str], list[str]]:
    reading = read_check(sql, dialect)
    assert reading.understood, reading.why
    [facts] = reading.facts.values()
    return [p.regex for p in facts.patterns], [p.regex for p in facts.not_patterns]


@pytest.mark.parametrize(
    ("sql", "dialect", "regex"),
    [
        # PostgreSQL, as pg_get_constraintdef writes them
        ("(k::text ~~ 'ab%'::text)", None, r"\A(?s:ab.*)\Z"),
        ("(a ~~ like_escape('a!_%'::text, '!'::text))", None, r"\A(?s:a_.*)\Z"),
        ("(d ~~* 'q%'::text)", None, r"(?i)\A(?s:q.*)\Z"),
        ("(c ~ similar_to_escape('ab(c|d)%'::text))", None, r"\A(?s:ab(c|d).*)\Z"),
        ("(g ~ similar_to_escape('x!%y'::text, '!'::text))", None, r"\Ax%y\Z"),
        ("(k ~ '^[a-z]{3}[0-9]{2}$'::text)", None, r"^[a-z]{3}[0-9]{2}$"),
        ("(e ~* 'z'::text)", None, r"(?i)z"),
        ("(VALUE ~ '^[0-9]{5}$'::text)", None, r"^[0-9]{5}$"),
        ("k SIMILAR TO 'a_c'", "postgres", r"\A(?s:a.c)\Z"),
        # MariaDB, as information_schema.CHECK_CONSTRAINTS holds them
        ("`a` like 'a|_%' escape '|'", None, r"\A(?s:a_.*)\Z"),
        ("`f` like 'a\\\\_%'", None, r"\A(?s:a_.*)\Z"),  # MySQL's default escape: backslash
        ("`c` regexp '^[0-9]\\\\.[[:alpha:]]{2}$'", None, r"^[0-9]\.[a-zA-Z]{2}$"),
        ("`c` rlike 'x'", None, "x"),
        ("regexp_like(`c`, '^Q', 'i')", "mysql", "(?i)^Q"),
        ("(`k` like _utf8mb4'ab%')", None, r"\A(?s:ab.*)\Z"),
        # SQLite, as written
        ("k GLOB 'ab[0-9]*'", "sqlite", r"\A(?s:ab[0-9].*)\Z"),
        ("k LIKE 'ab%'", "sqlite", r"\A(?s:ab.*)\Z"),
    ],
)
def test_pattern_predicates_read_into_facts(sql: str, dialect: str | None, regex: str) -> None:
    assert _one(sql, dialect) == ([regex], [])


@pytest.mark.parametrize(
    ("sql", "dialect", "regexes"),
    [
        ("(b !~~ 'x%'::text)", None, [r"\A(?s:x.*)\Z", r"(?i)\A(?s:x.*)\Z"]),
        ("(b !~~* 'x%'::text)", None, [r"(?i)\A(?s:x.*)\Z"]),
        ("NOT (k ~ '^a')", "postgres", ["^a", "(?i)^a"]),
        ("`b`  not like 'x%'", None, [r"\A(?s:x.*)\Z", r"(?i)\A(?s:x.*)\Z"]),
        ("!(`e` regexp 'z')", None, ["z", "(?i)z"]),
        ("k NOT GLOB '*[^a-z]*'", "sqlite", [r"\A(?s:.*[^a-z].*)\Z"]),  # GLOB keeps its case
    ],
)
def test_negated_patterns_exclude_as_written_and_ignoring_case(
    sql: str, dialect: str | None, regexes: list[str]
) -> None:
    assert _one(sql, dialect) == ([], regexes)


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("k ~ '(a)\\1'", "backreference"),
        ("k ~ '(?=a)a'", "lookahead"),
        ("k ~ '\\mfoo'", "not a regular expression Python reads"),
        ("k LIKE 'a\\_%'", "backslash and no ESCAPE"),  # PostgreSQL's or SQLite's? not said
        ("k LIKE other_column", "not a string literal"),
        ("k !~ '\\m'", "not a regular expression Python reads"),  # even as a NOT filter
    ],
)
def test_patterns_not_generated_are_left_to_the_oracle(sql: str, why: str) -> None:
    reading = read_check(sql, "postgres")
    assert not reading.understood and why in reading.why


def test_like_escape_and_specials() -> None:
    assert like_regex("100!%", "!") == r"100%"
    assert like_regex("a.b%", None) == r"a\.b.*"
    assert re.fullmatch(like_regex("_b%", None), "xbyz")
    assert not re.fullmatch(like_regex("_b%", None), "bb"[:1])


def test_glob_classes() -> None:
    assert glob_regex("[A-Z]?*") == "[A-Z]..*"
    assert glob_regex("[^0-9]x") == "[^0-9]x"
    assert glob_regex("[]a]") == r"[\]a]"
    assert re.fullmatch(glob_regex("a.b"), "a.b") and not re.fullmatch(glob_regex("a.b"), "axb")


def test_similar_to_keeps_regex_operators_and_escapes_dots() -> None:
    assert similar_regex("(ab|cd)+%", None) == "(ab|cd)+.*"
    assert similar_regex("a.b_", None) == r"a\.b."
    assert similar_regex("[[:digit:]]{2}", None) == "[0-9]{2}"


def test_posix_classes() -> None:
    assert posix_regex("^[[:upper:]][[:alnum:]_]*$") == "^[A-Z][a-zA-Z0-9_]*$"


def test_an_in_list_under_a_pattern_keeps_the_matching_values() -> None:
    reading = read_check("k IN ('ab1', 'zz', 'AB2') AND k LIKE 'ab%'", "postgres")
    assert reading.facts["k"].values == ("ab1",)  # LIKE is case-sensitive in PostgreSQL


def test_a_pattern_longer_than_the_column_is_unsatisfiable() -> None:
    table = DbTable(
        "t",
        columns=(DbColumn("k", "varchar", "varchar(3)", length=3, nullable=False),),
        checks=(DbCheck("k_shape", "k ~ '^[A-Z]{4}$'"),),
    )
    assert check_model(table).unsatisfiable


def test_inference_writes_the_pattern_kind() -> None:
    table = DbTable("t", columns=(DbColumn("sku", "varchar", "varchar(8)", length=8),))
    reading = read_check("sku ~ '^[A-Z]{3}-[0-9]{4}$' AND sku NOT LIKE 'ZZ%'", "postgres")
    got = infer_column(table, table.columns[0], reading.facts["sku"])
    assert got.generator is not None and got.generator.kind == "pattern"
    assert got.generator.params["pattern"] == "^[A-Z]{3}-[0-9]{4}$"
    assert got.generator.params["exclude"] == [r"\A(?s:ZZ.*)\Z", r"(?i)\A(?s:ZZ.*)\Z"]


# -- generation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "regex",
    [
        r"^[a-z]{3}[0-9]{2}$",
        r"\A(?s:ab.*)\Z",
        r"(?i)\A(?s:q.*)\Z",
        r"\A(?s:ab(c|d).*)\Z",
        r"ok",
        r"^(foo|barbaz)+-\d{2,4}$",
        r"^[^0-9]\w+$",
    ],
)
def test_generated_strings_match(regex: str) -> None:
    values = matching(regex, list(range(200)))
    assert all(v is not None and re.search(regex, v) for v in values)
    assert len(set(values)) > 1 or shortest_length(regex) == len(values[0] or "")


def test_max_length_is_respected_down_to_the_shortest_match() -> None:
    regex = r"^(foo|ba)[0-9]+x$"
    for top in (4, 5, 9):
        values = matching(regex, list(range(100)), max_length=top)
        assert all(v is not None and len(v) <= top and re.search(regex, v) for v in values)


def test_filters_also_exclude_and_min_length() -> None:
    values = matching(
        r"\A(?s:ab.*)\Z",
        list(range(100)),
        also=(r"[0-9]$",),
        exclude=(r"(?i)^abc",),
        min_length=4,
        max_length=8,
    )
    found = [v for v in values if v is not None]
    assert len(found) > 60  # the rest: the CHECK oracle's later candidates
    assert all(re.search(r"[0-9]$", v) and not v.lower().startswith("abc") for v in found)
    assert all(4 <= len(v) <= 8 for v in found)


def test_rows_are_a_pure_function_of_the_stream() -> None:
    gen = Pattern(42, {"pattern": r"^[A-Z]{2}\d{3}$", "max_length": 5})
    idx = np.arange(50)
    whole = gen.values(None, idx).tolist()  # type: ignore[arg-type]
    parts = [gen.values(None, idx[i : i + 7]).tolist() for i in range(0, 50, 7)]  # type: ignore[arg-type]
    assert whole == [v for p in parts for v in p]
    assert whole != Pattern(43, gen.params).values(None, idx).tolist()  # type: ignore[arg-type]


def test_unique_values_are_distinct_and_match() -> None:
    for regex, top in ((r"^[A-Z]{3}-[0-9]{4}$", None), (r"\A(?s:ab.*)\Z", 6), (r"^K\d\d$", None)):
        gen = UniquePattern(7, {"pattern": regex, "max_length": top})
        n = min(1000, gen.distinct_limit() or 1000)
        values = gen.values(None, np.arange(n)).tolist()  # type: ignore[arg-type]
        assert len(set(values)) == n and all(re.search(regex, v) for v in values)
        assert top is None or max(map(len, values)) <= top
    assert UniquePattern(7, {"pattern": r"^K\d\d$"}).distinct_limit() == 100


def test_unsupported_regexes() -> None:
    assert unsupported(r"^[a-z]+$") is None
    assert "backreference" in (unsupported(r"(a)\1") or "")
    assert "anchor" in (unsupported(r"\bword") or "")
    assert "Python" in (unsupported(r"[") or "")


def test_the_kind_builds_through_the_registry() -> None:
    spec = GeneratorSpec("pattern", {"pattern": r"^x[0-9]$"}, unique=True)
    gen = build_generator(spec, seed=1, locale="en", table="t", column="c")
    assert sorted(gen.values(None, np.arange(10)).tolist()) == [f"x{i}" for i in range(10)]  # type: ignore[arg-type]


def test_rows_do_not_depend_on_the_process_string_hashing() -> None:
    """rstr builds some alphabets from sets; the generator sorts them (and its [^...] classes),
    so two processes with different PYTHONHASHSEEDs make the same rows."""
    import os
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from seedspec.generate.patterns import Pattern\n"
        "print(Pattern(1, {'pattern': r'^\\W[^a-z]{3}\\s[!-/]$'})"
        ".values(None, np.arange(50)).tolist())\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(n)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in (1, 2, 3)
    }
    assert len(outs) == 1


@pytest.mark.parametrize("regex", [r"(?i)^[^a-z]{3}$", r"(?i)^[^x]{4}$", r"^[^x]y[^0-9]$"])
def test_negated_classes_draw_what_they_allow_even_ignoring_case(regex: str) -> None:
    values = Pattern(5, {"pattern": regex}).values(None, np.arange(3000)).tolist()  # type: ignore[arg-type]
    assert all(re.search(regex, v) for v in values)
    assert all(c.isprintable() for v in values for c in v)
