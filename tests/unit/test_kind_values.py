"""Every value generator kind's own parameters, no database: entry -> values, checked.

Values come through the one adapter in test_kinds.py (`build`: spec entry -> validated
GeneratorSpec -> the kinds registry's generator -> values for row indices). Laws are checked
for shape on 10,000 draws; tests/unit/test_distributions.py covers the samplers themselves.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from test_kinds import INT, ROWS, N, build


@pytest.mark.parametrize(
    "params",
    [
        {"min": -3, "max": 3},
        {"min": 5, "max": 5},
        {"min": 0, "max": 20, "dist": "normal", "mean": 30, "sigma": 4},
        {"min": 1, "max": 9, "dist": "zipf", "s": 2},
        {"min": 2, "max": 60, "dist": "geometric", "p": 0.5},
        {"min": 0, "max": 7, "dist": "poisson", "mean": 20},
        {"min": 10, "max": 90, "dist": "exponential", "lambda": 0.01},
        {"min": 1, "max": 1000, "dist": "lognormal", "mu": 3, "sigma": 2},
    ],
)
def test_int_bounds_hold_for_every_law(params: dict[str, Any]) -> None:
    values = build({"int": params})(ROWS)
    assert all(isinstance(v, int) for v in values)
    assert min(values) >= params["min"] and max(values) <= params["max"]


def test_int_uniform_covers_the_range_evenly() -> None:
    counts = Counter(build({"int": {"min": 1, "max": 10}})(ROWS))
    assert sorted(counts) == list(range(1, 11))
    assert max(abs(n - N / 10) for n in counts.values()) < 5 * (N * 0.1 * 0.9) ** 0.5


def test_int_law_parameters_reach_the_sampler() -> None:
    """Each law's own parameter moves the sample the way the law says (shape on 10,000)."""
    normal = np.array(
        build({"int": {"min": 0, "max": 1000, "dist": "normal", "mean": 400, "sigma": 30}})(ROWS)
    )
    assert abs(normal.mean() - 400) < 2 and abs(normal.std() - 30) < 2
    poisson = np.array(build({"int": {"min": 0, "max": 100, "dist": "poisson", "mean": 9}})(ROWS))
    assert abs(poisson.mean() - 9) < 0.2 and abs(poisson.var() - 9) < 0.8
    geometric = np.array(
        build({"int": {"min": 1, "max": 500, "dist": "geometric", "p": 0.2}})(ROWS)
    )
    assert abs(geometric.mean() - 5) < 0.25
    zipf = Counter(build({"int": {"min": 1, "max": 20, "dist": "zipf", "s": 1.2}})(ROWS))
    freq = [zipf[k] for k in range(1, 21)]
    assert freq[0] > 2 * freq[1] > 0 and freq[0] > 20 * freq[19]
    weights = np.arange(1, 21, dtype=float) ** -1.2
    assert abs(freq[0] / N - weights[0] / weights.sum()) < 0.015


def test_float_laws_and_bounds() -> None:
    uniform = np.array(build({"float": {"min": -2.0, "max": 3.0}})(ROWS))
    assert uniform.min() >= -2 and uniform.max() <= 3 and abs(uniform.mean() - 0.5) < 0.05
    normal = np.array(
        build({"float": {"min": -100, "max": 100, "dist": "normal", "mean": 10, "sigma": 2}})(ROWS)
    )
    assert abs(normal.mean() - 10) < 0.06 and abs(normal.std() - 2) < 0.06
    expo = np.array(
        build({"float": {"min": 0, "max": 1e9, "dist": "exponential", "lambda": 4}})(ROWS)
    )
    assert abs(expo.mean() - 0.25) < 0.01
    logn = np.array(
        build({"float": {"min": 1e-9, "max": 1e9, "dist": "lognormal", "mu": 1, "sigma": 0.3}})(
            ROWS
        )
    )
    assert abs(np.log(logn).mean() - 1) < 0.01 and abs(np.log(logn).std() - 0.3) < 0.01
    discrete = build({"float": {"min": 1, "max": 6, "dist": "poisson", "mean": 3}})(ROWS)
    assert all(float(v).is_integer() and 1 <= v <= 6 for v in discrete)


def test_float_round_keeps_that_many_digits() -> None:
    values = build({"float": {"min": 0, "max": 1, "round": 3}})(range(2000))
    assert all(round(v, 3) == v for v in values)
    assert any(round(v, 2) != v for v in values)


def test_decimal_scale_bounds_and_type() -> None:
    values = build({"decimal": {"min": 1.5, "max": 2.5, "scale": 3}})(ROWS)
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -3 for v in values)
    assert min(values) >= Decimal("1.5") and max(values) <= Decimal("2.5")
    normal = [
        float(v)
        for v in build(
            {
                "decimal": {
                    "min": 0,
                    "max": 100,
                    "scale": 2,
                    "dist": "normal",
                    "mean": 70,
                    "sigma": 3,
                }
            }
        )(ROWS)
    ]
    assert abs(np.mean(normal) - 70) < 0.1


def test_decimal_unique_fills_its_capacity_exactly() -> None:
    built = build({"decimal": {"min": 0, "max": 10, "scale": 2}, "unique": True})
    assert built.distinct_limit() == 1001
    values = built(range(1001))
    assert (
        len(set(values)) == 1001
        and min(values) == Decimal("0.00")
        and max(values) == Decimal("10.00")
    )


@pytest.mark.parametrize("lo, hi", [(1, 1000), (-50, 49), (7, 7)])
def test_int_unique_is_a_permutation_of_its_range(lo: int, hi: int) -> None:
    built = build({"int": {"min": lo, "max": hi}, "unique": True})
    assert built.distinct_limit() == hi - lo + 1
    assert sorted(built(range(hi - lo + 1))) == list(range(lo, hi + 1))


def test_choice_frequencies_follow_the_weights() -> None:
    counts = Counter(build({"choice": {"a": 1, "b": 3, "c": 6, "never": 0}})(ROWS))
    assert set(counts) == {"a", "b", "c"}
    for value, share in (("a", 0.1), ("b", 0.3), ("c", 0.6)):
        assert abs(counts[value] / N - share) < 4 * (share * (1 - share) / N) ** 0.5


def test_choice_list_is_uniform_and_keeps_value_types() -> None:
    counts = Counter(build({"choice": [2, "one", 1.5, True]})(ROWS))
    assert {type(v) for v in counts} == {int, str, float, bool}
    assert all(abs(n / N - 0.25) < 0.02 for n in counts.values())


def test_choice_unique_uses_each_option_once_and_reports_capacity() -> None:
    built = build({"choice": ["a", "b", "c", "d", "e"], "unique": True})
    assert built.distinct_limit() == 5
    assert sorted(built(range(5))) == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize("p", [0.0, 0.05, 0.5, 0.9, 1.0])
def test_bool_rate(p: float) -> None:
    built = build({"bool": p})
    values = built(ROWS)
    assert all(isinstance(v, bool) for v in values)
    assert abs(sum(values) / N - p) <= 4 * (p * (1 - p) / N) ** 0.5
    assert built.distinct_limit() == 2


def test_date_bounds_are_inclusive_and_uniform() -> None:
    built = build({"date": {"from": "2024-02-27", "to": "2024-03-02"}})
    counts = Counter(built(ROWS))
    days = [dt.date(2024, 2, 27) + dt.timedelta(days=i) for i in range(5)]  # leap day included
    assert sorted(counts) == days and built.distinct_limit() == 5
    assert all(abs(n / N - 0.2) < 0.02 for n in counts.values())


def test_date_unique_covers_every_day_once() -> None:
    built = build({"date": {"from": "2023-01-01", "to": "2023-12-31"}, "unique": True})
    assert built.distinct_limit() == 365
    values = built(range(365))
    assert len(set(values)) == 365 and min(values) == dt.date(2023, 1, 1)


def test_datetime_bounds_and_bare_date_upper_bound_means_end_of_day() -> None:
    values = build({"datetime": {"from": "2024-05-01", "to": "2024-05-01"}})(ROWS)
    assert all(isinstance(v, dt.datetime) and v.tzinfo is None for v in values)
    assert min(values) >= dt.datetime(2024, 5, 1) and max(values) < dt.datetime(2024, 5, 2)
    assert max(values) > dt.datetime(2024, 5, 1, 23)
    zulu = build({"datetime": {"from": "2024-01-01T10:00:00+02:00", "to": "2024-01-01T09:00:00Z"}})
    values = zulu(ROWS)  # offsets converted to naive UTC: 08:00 .. 09:00
    assert min(values) >= dt.datetime(2024, 1, 1, 8) and max(values) <= dt.datetime(2024, 1, 1, 9)


def test_datetime_unique_and_capacity_in_seconds() -> None:
    built = build(
        {"datetime": {"from": "2024-01-01T00:00:00", "to": "2024-01-01T00:59:59"}, "unique": True}
    )
    assert built.distinct_limit() == 3600
    assert len(set(built(range(3600)))) == 3600


def test_time_bounds() -> None:
    values = build({"time": {"from": "08:30:00", "to": "09:00:00"}})(ROWS)
    assert all(isinstance(v, dt.time) for v in values)
    assert min(values) >= dt.time(8, 30) and max(values) <= dt.time(9, 0)
    assert len(set(values)) > 1000  # second resolution over 30 minutes


def test_sequence_is_start_plus_step_times_row() -> None:
    assert build({"sequence": {"start": 100, "step": -3}})([0, 1, 2, 1000]) == [100, 97, 94, -2900]
    assert build({"sequence": 7})([0, 5]) == [7, 12]
    assert build({"sequence": {}})([0, 1]) == [1, 2]


def test_template_row_is_one_based_and_reads_other_columns() -> None:
    built = build({"template": "{row:03d}/{n}/{tag}"}, others={"n": INT, "tag": {"const": "k"}})
    n = build(INT, column="n")(range(50))
    assert built(range(50)) == [f"{i + 1:03d}/{n[i]}/k" for i in range(50)]


def test_const_is_constant_and_has_one_distinct_value() -> None:
    for value in ("x", 0, 2.5, None, True):
        built = build({"const": value})
        assert built(range(100)) == [value] * 100
        assert built.distinct_limit() == 1


def test_pattern_values_match_and_fit_the_length() -> None:
    regex = r"^(ab|cde)[0-9]+-[A-Z]?$"
    values = build({"pattern": regex, "max_length": 6})(ROWS)
    assert all(re.search(regex, v) and len(v) <= 6 for v in values)
    assert len(set(values)) > 1000  # varied, not one value


def test_pattern_unique_wraps_past_its_capacity() -> None:
    built = build({"pattern": "^K[0-9]{2}$", "unique": True})
    assert built.distinct_limit() == 100
    assert sorted(built(range(100))) == [f"K{i:02d}" for i in range(100)]


def test_uuid_is_version_4_and_distinct() -> None:
    values = build({"uuid": {}})(ROWS)
    parsed = [uuid.UUID(v) for v in values]
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(values)) == N


def test_json_object_fields_are_their_own_generators() -> None:
    built = build(
        {"json": {"n": INT, "tag": {"choice": ["x", "y"]}, "maybe": {"bool": 0.5, "null": 0.5}}}
    )
    objects = [json.loads(text) for text in built(ROWS)]
    assert all(list(o) == ["n", "tag", "maybe"] for o in objects)
    assert all(1 <= o["n"] <= 100 and o["tag"] in ("x", "y") for o in objects)
    assert 0.45 < sum(o["maybe"] is None for o in objects) / N < 0.55
    # a field's stream is its own: the same entry as a top-level column gives other values
    top = build(INT)(range(100))
    assert [o["n"] for o in objects[:100]] != top


def test_array_lengths_and_items() -> None:
    values = build(
        {"array": {"of": {"int": {"min": 3, "max": 4}}, "length": {"min": 1, "max": 3}}}
    )(ROWS)
    assert Counter(len(v) for v in values).keys() == {1, 2, 3}
    assert all(item in (3, 4) for v in values for item in v)
    fixed = build({"array": {"of": {"uuid": {}}, "length": 4}})(range(100))
    assert all(len(v) == 4 and len(set(v)) == 4 for v in fixed)
    assert len({u for v in fixed for u in v}) == 400
    default = Counter(len(v) for v in build({"array": {"of": INT}})(ROWS))
    assert sorted(default) == [0, 1, 2, 3]  # no length: 0..3 items


def test_offset_adds_within_bounds_for_each_base_type() -> None:
    ints = build({"offset": {"from": "n", "min": 2, "max": 4}}, others={"n": INT})
    base = build(INT, column="n")(ROWS)
    diffs = Counter(v - b for v, b in zip(ints(ROWS), base, strict=True))
    assert set(diffs) == {2, 3, 4}
    days = build({"offset": {"from": "d", "min": 0, "max": 3}}, others={"d": {"date": {}}})
    base_d = build({"date": {}}, column="d")(ROWS)
    assert {(v - b).days for v, b in zip(days(ROWS), base_d, strict=True)} == {0, 1, 2, 3}
    at = {"datetime": {"from": "2024-01-01", "to": "2024-02-01"}}
    hours = build(
        {"offset": {"from": "at", "min": 1, "max": 2, "unit": "hours"}}, others={"at": at}
    )
    base_t = build(at, column="at")(ROWS)
    gaps = [(v - b).total_seconds() for v, b in zip(hours(ROWS), base_t, strict=True)]
    assert min(gaps) >= 3600 and max(gaps) <= 7200 and max(gaps) - min(gaps) > 3000


def test_bytes_length_and_spread() -> None:
    values = build({"bytes": {"length": 21}})(range(1000))
    assert all(isinstance(v, bytes) and len(v) == 21 for v in values)
    assert len(set(values)) == 1000
    assert len({b for v in values for b in v}) == 256


def test_bits_length_and_alphabet() -> None:
    values = build({"bits": {"length": 12}})(ROWS)
    assert all(len(v) == 12 and set(v) <= {"0", "1"} for v in values)
    ones = sum(v.count("1") for v in values) / (12 * N)
    assert abs(ones - 0.5) < 0.01


def test_cidr_networks_are_distinct_slash_24_in_ten_slash_8() -> None:
    values = build({"cidr": {}})(range(65536))
    assert all(re.fullmatch(r"10\.\d{1,3}\.\d{1,3}\.0/24", v) for v in values)
    assert all(int(part) < 256 for v in values for part in v[:-3].split("."))
    assert len(set(values)) == 65536


def test_interval_between_a_minute_and_thirty_days() -> None:
    values = build({"interval": {}})(ROWS)
    assert all(isinstance(v, dt.timedelta) for v in values)
    assert min(values) >= dt.timedelta(minutes=1) and max(values) <= dt.timedelta(days=30)
    assert max(values) > dt.timedelta(days=25)


def test_range_literals_are_half_open_and_ordered() -> None:
    parsers: dict[str, Any] = {"int": int, "date": dt.date.fromisoformat}
    for of, parse in parsers.items():
        values = build({"range": {"of": of}})(range(2000))
        for text in values:
            assert text[0] == "[" and text[-1] == ")"
            lo, hi = (parse(part) for part in text[1:-1].split(","))
            assert lo < hi


def test_partition_values_fall_inside_one_of_the_ranges() -> None:
    ints = build({"partition": {"ranges": [[0, 10], [100, 110], [None, -1000]]}})(ROWS)
    assert all(0 <= v < 10 or 100 <= v < 110 or v < -1000 for v in ints)
    assert {v // 100 for v in ints if v >= 0} == {0, 1}
    dates = build({"partition": {"ranges": [["2024-01-01", "2024-01-03"]], "of": "date"}})(ROWS)
    assert set(dates) == {dt.date(2024, 1, 1), dt.date(2024, 1, 2)}
    stamps = build({"partition": {"ranges": [["2024-01-01", "2024-01-02"]], "of": "datetime"}})(
        ROWS
    )
    assert all(dt.datetime(2024, 1, 1) <= v < dt.datetime(2024, 1, 2) for v in stamps)


def test_gen_values_come_from_the_provider_and_unique_is_distinct() -> None:
    cities = build({"gen": "address.city"})(ROWS)
    assert all(isinstance(v, str) and v for v in cities) and 50 < len(set(cities)) < N
    emails = build({"gen": "person.email", "unique": True})(ROWS)
    assert len(set(emails)) == N and all(e.count("@") == 1 for e in emails)
    numbers = build({"gen": "numeric.integer_number", "args": {"start": 5, "end": 9}})(ROWS)
    assert set(numbers) == set(range(5, 10))  # args reach the provider


def test_gen_unique_short_columns_get_distinct_fixed_width_codes() -> None:
    email = {"gen": "person.email", "unique": True}
    built = build(email, resolved={"max_length": 3})  # what compile resolves from varchar(3)
    assert built.distinct_limit() == 36**3
    values = built(range(5000))
    assert len(set(values)) == 5000 and all(len(v) == 3 for v in values)
    wide = build(email, resolved={"max_length": 20})(range(5000))  # value + row number, cut
    assert len(set(wide)) == 5000 and all(len(v) <= 20 and "@" in v for v in wide)
