"""seedspec.analysis.closing: a written generator's open sides + CHECK text + column -> closed
params (no database: CHECKs read by sqlglot, columns built by hand)."""

from __future__ import annotations

import pytest

from seedspec.analysis.closing import closed, instant_window, int_window, outside_type
from seedspec.database.checks import read_check
from seedspec.database.constraints import ColumnFacts
from seedspec.database.model import DbColumn
from seedspec.kinds.spec import GeneratorSpec
from seedspec.spec.limits import INT_MAX, INT_MIN


def facts(sql: str) -> ColumnFacts:
    reading = read_check(sql, None)
    assert reading.understood, reading.why
    (only,) = reading.facts.values()
    return only


BIG = DbColumn("n", "bigint", "BIGINT")
SMALL = DbColumn("n", "smallint", "SMALLINT")


@pytest.mark.parametrize(
    ("check", "window"),
    [
        ("n BETWEEN 0 AND 150", (0, 150)),
        ("n > 10", (11, None)),
        ("n < 5", (None, 4)),
        ("n >= 1.5 AND n <= 9.5", (2, 9)),  # whole numbers inside a fractional bound
        ("n > 1.5 AND n < 9.5", (2, 9)),
    ],
)
def test_int_window_steps_strict_and_fractional_bounds_inside(
    check: str, window: tuple[int | None, int | None]
) -> None:
    assert int_window(facts(check)) == window


@pytest.mark.parametrize(
    ("kind", "check", "window"),
    [
        ("date", "d > '2030-01-01' AND d <= '2030-12-31'", ("2030-01-02", "2030-12-31")),
        ("date", "d >= '2030-01-01' AND d < '2030-12-31'", ("2030-01-01", "2030-12-30")),
        ("datetime", "d < '2001-01-01'", (None, "2000-12-31T23:59:59")),
        ("datetime", "d > '2001-01-01'", ("2001-01-01T00:00:01", None)),
        ("datetime", "d <= '2001-01-01'", (None, "2001-01-01T00:00:00")),  # not its end of day
    ],
)
def test_instant_window_steps_strict_bounds_a_day_or_a_second(
    kind: str, check: str, window: tuple[str | None, str | None]
) -> None:
    assert instant_window(kind, facts(check)) == window


def _closed(kind: str, params: dict[str, object], check: str | None, col: DbColumn = BIG) -> dict:
    f = facts(check) if check else None
    return dict(closed(GeneratorSpec(kind, params), col, f).params)


def test_open_number_sides_take_the_check_and_keep_the_written_one() -> None:
    assert _closed("int", {}, "n BETWEEN 0 AND 150") == {"min": 0, "max": 150}
    assert _closed("int", {"min": 5}, "n <= 150") == {"min": 5, "max": 150}
    assert _closed("int", {"max": 20}, "n > 10") == {"min": 11, "max": 20}
    # only an upper bound, far below the default min: the min moves below it
    assert _closed("int", {}, "n < -5000") == {"min": -6001, "max": -5001}
    assert _closed("decimal", {}, "n > 0 AND n <= 99.5") == {"min": 0.01, "max": 99.5}
    assert _closed("float", {"min": 0.5}, "n < 1") == {"min": 0.5, "max": 0.999999}


def test_open_number_sides_stay_inside_the_type_and_64_bits() -> None:
    assert _closed("int", {"min": 30000}, None, SMALL) == {"min": 30000, "max": 32767}
    assert _closed("int", {"min": INT_MAX}, None)["max"] == INT_MAX
    assert _closed("int", {"max": INT_MIN}, None)["min"] == INT_MIN
    over = outside_type(GeneratorSpec("int", {"min": 40000}), SMALL, True)
    assert over == ("min 40000", "-32768 to 32767")
    assert outside_type(GeneratorSpec("int", {"min": 40000}), SMALL, False) is None  # SQLite


def test_open_date_sides_take_the_check_or_follow_the_written_side() -> None:
    got = _closed("date", {"from": None, "to": None}, "n > '2030-01-01'")
    assert got["from"] == "2030-01-02" and got["to"] > "2030-01-02"
    got = _closed("date", {"from": "2030-06-01", "to": None}, None)  # past the default to
    assert got["to"] > "2030-06-01"
    assert _closed("date", {"from": "9999-12-01", "to": None}, None)["to"] == "9999-12-31"


def test_gen_takes_the_checks_maximum_length() -> None:
    got = _closed("gen", {"provider": "text.word"}, "length(n) <= 3")
    assert got["max_length"] == 3
