"""Every value generator kind, no database: spec entry -> values for row indices, checked.

Golden values (the first rows of every case at a fixed seed) live in data/kind_values.json.
Re-bless after an intended change of generated values, then review the diff:

    SEEDSPEC_BLESS=1 .venv/bin/python -m pytest -q tests/unit/test_kinds.py

Here: the adapter `build` (the one way these tests make a generator), golden values, what every
case must satisfy (chunking, independence, seed/table/column streams), the null modifier, unique
capacity, and that every kind in seedspec.kinds.KINDS has tests. Each kind's own parameters are
in test_kind_values.py; link kinds (ref, lookup, index_in_parent, aggregate, default, tree) go
through the compiler in test_kind_links.py.
"""

from __future__ import annotations

import ast
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from seedspec.generate.model import Model
from seedspec.generate.values import to_python
from seedspec.kinds import KINDS, finite_values, unique_capable
from seedspec.kinds.spec import GeneratorSpec
from seedspec.plan.bind import bind_tables
from seedspec.plan.params import Params
from seedspec.plan.recipes import ColumnRecipe, TableRecipe, ValueRecipe
from seedspec.spec.source import Document
from seedspec.spec.validate import validate_document

HERE = Path(__file__).parent
GOLDEN = HERE / "data" / "kind_values.json"
BLESS = os.environ.get("SEEDSPEC_BLESS") == "1"
SEED = 20261201
TABLE = "t"
N = 10_000
ROWS = np.arange(N, dtype=np.int64)


# -- the one adapter: a spec column entry -> a generator of values for row indices -------------


@dataclass
class Built:
    """One column generator, built the way a run builds it, plus the model it reads from."""

    spec: GeneratorSpec
    generator: Any
    model: Model
    table: str
    column: str

    def __call__(self, idx: np.ndarray | range | list[int]) -> list[Any]:
        rows = np.asarray(idx, dtype=np.int64)
        return to_python(self.model.values(self.table, self.column, rows))

    def distinct_limit(self) -> int | None:
        return self.generator.distinct_limit()


def domain(built: Built, n: int) -> int:
    """n, or fewer for a unique generator: a keyed permutation is defined on its capacity only."""
    limit = built.distinct_limit() if built.spec.unique else None
    return n if limit is None else min(n, limit)


def build(
    entry: dict[str, Any],
    *,
    others: dict[str, dict[str, Any]] | None = None,
    column: str = "c",
    seed: int = SEED,
    table: str = TABLE,
    resolved: dict[str, Any] | None = None,
) -> Built:
    """Validate a one-table spec holding `entry` (plus sibling columns), bind every column.

    The public path of a run: the JSON Schema and semantic checks of seedspec.spec.validate give
    the GeneratorSpec; it becomes the Plan IR's ValueRecipe (params frozen as JSON), and
    seedspec.plan.bind turns the table recipe into the runtime model (the kinds registry builds
    each generator). Only compile is skipped: `resolved` stands in for the params it resolves
    from the database column into `entry`'s recipe (decimal scale, gen max_length), the stream
    key still hashing the params as written, as compile does.
    """
    columns = {**(others or {}), column: entry}
    if resolved is None:  # what compile reads from the database for the kinds that need it
        resolved = DB_RESOLVED.get(next((k for k in KINDS if k in entry), ""))
    doc = Document(
        "<kind test>",
        {"seedspec": 1, "seed": seed, "tables": {table: {"count": 1, "columns": columns}}},
    )
    spec = validate_document(doc)
    specs = {c.name: c.generator for c in spec.tables[0].columns}

    def recipe_of(name: str, g: GeneratorSpec) -> ValueRecipe:
        if name != column or not resolved:
            return ValueRecipe(g.kind, Params.of(g.params), g.null, g.unique)
        full = Params.of({**g.params, **resolved})
        return ValueRecipe(g.kind, full, g.null, g.unique, key_params=Params.of(g.params))

    columns_ = tuple(ColumnRecipe(name, recipe_of(name, g)) for name, g in specs.items())
    recipe = TableRecipe(table, N, "kind test", columns_)
    model = bind_tables([recipe], seed, spec.locale)
    return Built(specs[column], model.tables[table].generators[column], model, table, column)


# -- golden values: every case at a fixed seed ------------------------------------------------

INT = {"int": {"min": 1, "max": 100}}
# `existing:` values are read from the database when the plan is made (database/picks.py)
DB_RESOLVED: dict[str, dict[str, Any]] = {"existing": {"values": list(range(3, 43))}}
CASES: dict[str, dict[str, Any]] = {
    "gen_first_name": {"entry": {"gen": "person.first_name"}},
    "gen_email_unique": {"entry": {"gen": "person.email", "unique": True}},
    "gen_args": {"entry": {"gen": "numeric.integer_number", "args": {"start": 5, "end": 9}}},
    "int_uniform": {"entry": INT},
    "int_unique": {"entry": {"int": {"min": -5, "max": 5}, "unique": True}},
    "int_normal": {
        "entry": {"int": {"min": 0, "max": 100, "dist": "normal", "mean": 50, "sigma": 5}}
    },
    "int_zipf": {"entry": {"int": {"min": 1, "max": 50, "dist": "zipf", "s": 1.5}}},
    "int_poisson": {"entry": {"int": {"min": 0, "max": 40, "dist": "poisson", "mean": 4}}},
    "int_null": {"entry": {**INT, "null": 0.5}},
    "float_uniform": {"entry": {"float": {"min": -1.5, "max": 1.5}}},
    "float_round": {"entry": {"float": {"min": 0, "max": 10, "round": 2}}},
    "float_lognormal": {
        "entry": {"float": {"min": 0.001, "max": 1e6, "dist": "lognormal", "mu": 2, "sigma": 0.5}}
    },
    "decimal_scale2": {"entry": {"decimal": {"min": 0, "max": 100, "scale": 2}}},
    "decimal_unique": {"entry": {"decimal": {"min": 0, "max": 1, "scale": 1}, "unique": True}},
    "choice_list": {"entry": {"choice": ["red", "green", "blue"]}},
    "choice_weighted": {"entry": {"choice": {"a": 1, "b": 3, "c": 6}}},
    "choice_unique": {"entry": {"choice": [10, 20, 30, 40], "unique": True}},
    "bool_p": {"entry": {"bool": 0.3}},
    "date_range": {"entry": {"date": {"from": "2024-02-27", "to": "2024-03-02"}}},
    "date_unique": {"entry": {"date": {"from": "2024-01-01", "to": "2024-12-31"}, "unique": True}},
    "datetime_range": {
        "entry": {"datetime": {"from": "2024-01-01T00:00:00", "to": "2024-01-01T06:00:00Z"}}
    },
    "time_range": {"entry": {"time": {"from": "08:00:00", "to": "17:30:00"}}},
    "sequence_step": {"entry": {"sequence": {"start": 100, "step": -3}}},
    "sequence_start": {"entry": {"sequence": 7}},
    "template_row": {"entry": {"template": "SKU-{row:05d}"}},
    "pattern_sku": {"entry": {"pattern": "^[A-Z]{3}-[0-9]{4}$"}},
    "pattern_unique": {"entry": {"pattern": "^K[0-9]{3}$", "unique": True}},
    "template_column": {"entry": {"template": "{row}:{n}"}, "others": {"n": INT}},
    "const_text": {"entry": {"const": "same"}},
    "const_number": {"entry": {"const": 42}},
    "uuid": {"entry": {"uuid": {}}},
    "json_fields": {"entry": {"json": {"n": INT, "tag": {"choice": ["x", "y"]}}}},
    "array_of_int": {"entry": {"array": {"of": INT, "length": {"min": 1, "max": 4}}}},
    "array_fixed": {"entry": {"array": {"of": {"bool": 0.5}, "length": 2}}},
    "offset_int": {"entry": {"offset": {"from": "n", "min": 1, "max": 5}}, "others": {"n": INT}},
    "offset_hours": {
        "entry": {"offset": {"from": "at", "min": 1, "max": 2, "unit": "hours"}},
        "others": {"at": {"datetime": {"from": "2024-01-01", "to": "2024-01-31"}}},
    },
    "offset_date": {
        "entry": {"offset": {"from": "d", "min": 0, "max": 3}},
        "others": {"d": {"date": {"from": "2024-01-01", "to": "2024-01-31"}}},
    },
    "from_email": {
        "entry": {"from": ["f", "l"], "as": "email"},
        "others": {"f": {"gen": "person.first_name"}, "l": {"gen": "person.last_name"}},
    },
    "from_slug_unique": {
        "entry": {"from": "t", "as": "slug", "unique": True},
        "others": {"t": {"gen": "text.title"}},
    },
    "when_status": {
        "entry": {"when": "s = 'on' AND n > 50", "then": INT, "else": None},
        "others": {"s": {"choice": ["on", "off"]}, "n": INT},
    },
    "bytes_5": {"entry": {"bytes": {"length": 5}}},
    "bits_12": {"entry": {"bits": {"length": 12}}},
    "cidr": {"entry": {"cidr": {}}},
    "interval": {"entry": {"interval": {}}},
    "range_int": {"entry": {"range": {"of": "int"}}},
    "range_date": {"entry": {"range": {"of": "date"}}},
    "range_float_multi": {"entry": {"range": {"of": "float", "multi": True}}},
    "geometry_polygon": {"entry": {"geometry": {"shape": "polygon", "srid": 4326}}},
    "geometry_multipolygon_z": {"entry": {"geometry": {"shape": "multipolygon", "dims": "Z"}}},
    "geometry_pg_circle": {"entry": {"geometry": {"shape": "circle", "format": "pg"}}},
    "partition_int": {"entry": {"partition": {"ranges": [[0, 10], [100, 110]]}}},
    "partition_date": {
        "entry": {"partition": {"ranges": [["2024-01-01", "2024-02-01"]], "of": "date"}}
    },
    "python_ulid": {"entry": {"python": "ulid"}},
    "python_typeid": {"entry": {"python": "typeid", "args": {"prefix": "usr"}}},
    "existing_values": {"entry": {"existing": {"table": "t", "where": "x > 1"}}},
}
GOLDEN_ROWS = [*range(10), 4_321, 2**31 + 5]


def golden_of(case: dict[str, Any]) -> dict[str, Any]:
    built = build(case["entry"], others=case.get("others"), resolved=case.get("resolved"))
    limit = built.distinct_limit() if built.spec.unique else None
    rows = [r for r in GOLDEN_ROWS if limit is None or r < limit]  # a permutation's domain
    return {
        "entry": case["entry"],
        "others": case.get("others", {}),
        "rows": rows,
        "values": [repr(v) for v in built(rows)],
    }


def _stored() -> dict[str, Any]:
    if not GOLDEN.exists():
        return {}
    return dict(json.loads(GOLDEN.read_text(encoding="utf-8")))


def test_golden_values_file_matches_the_cases() -> None:
    if BLESS:
        GOLDEN.write_text(
            json.dumps({name: golden_of(c) for name, c in CASES.items()}, indent=1) + "\n",
            encoding="utf-8",
        )
    assert sorted(_stored()) == sorted(CASES), "run with SEEDSPEC_BLESS=1 to add/remove cases"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_values(name: str) -> None:
    """The first rows (and two far ones) at the fixed seed, exactly as pinned (repr per value)."""
    stored = _stored().get(name)
    assert stored is not None, f"{name} is not blessed: run with SEEDSPEC_BLESS=1"
    assert stored["entry"] == CASES[name]["entry"], "the case changed: re-bless and review"
    assert golden_of(CASES[name]) == stored


# -- properties every case has ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_do_not_depend_on_chunking(name: str) -> None:
    built = build(
        CASES[name]["entry"], others=CASES[name].get("others"), resolved=CASES[name].get("resolved")
    )
    n = domain(built, 1000)
    whole = built(range(n))
    assert whole == built(range(n // 2)) + built(range(n // 2, n))
    shuffled = np.random.default_rng(3).permutation(n)
    assert built(shuffled) == [whole[i] for i in shuffled]
    assert built([n - 1, 0]) == [whole[n - 1], whole[0]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_ignores_other_columns_generators(name: str) -> None:
    case = CASES[name]
    others = dict(case.get("others") or {})
    a = build(case["entry"], others={**others, "zz": {"int": {"min": 0, "max": 9}}})
    b = build(case["entry"], others={**others, "zz": {"choice": ["p", "q"]}, "yy": {"uuid": {}}})
    n = domain(a, 120)
    assert a(range(n)) == b(range(n))


CONSTANT = {"const_text", "const_number", "sequence_step", "sequence_start", "template_row"}


@pytest.mark.parametrize("name", sorted(set(CASES) - CONSTANT))
def test_value_depends_on_seed_table_and_column(name: str) -> None:
    case = CASES[name]
    built = build(case["entry"], others=case.get("others"))
    n = domain(built, 60)
    base = built(range(n))
    # a template (and a slug of another column) only formats other columns
    own_stream = not name.startswith(("template", "from_slug"))
    for changed in ({"seed": SEED + 1}, {"table": "other"}, {"column": "c2"} if own_stream else {}):
        if not changed:
            continue
        assert build(case["entry"], others=case.get("others"), **changed)(range(n)) != base


# -- the null modifier --------------------------------------------------------------------------


NULL_CASES = [
    ("int_uniform", 0.1),
    ("int_uniform", 0.95),
    ("choice_list", 0.5),
    ("date_range", 0.3),
    ("uuid", 0.05),
    ("gen_first_name", 0.5),
    ("json_fields", 0.2),
]


@pytest.mark.parametrize("name, rate", NULL_CASES)
def test_null_rate_on_10000_rows(name: str, rate: float) -> None:
    entry = {**CASES[name]["entry"], "null": rate}
    plain = build(CASES[name]["entry"])(ROWS)
    values = build(entry)(ROWS)
    nulls = sum(v is None for v in values)
    assert abs(nulls / N - rate) < 4 * (rate * (1 - rate) / N) ** 0.5
    # NULL replaces the value; the other rows keep exactly the values they had without null:
    assert all(v == p for v, p in zip(values, plain, strict=True) if v is not None)


def test_null_rows_differ_between_columns() -> None:
    a = build({**INT, "null": 0.5}, column="a")(range(1000))
    b = build({**INT, "null": 0.5}, column="b")(range(1000))
    assert [v is None for v in a] != [v is None for v in b]


def test_null_keeps_the_distinct_limit() -> None:
    assert build({"choice": ["a", "b"], "null": 0.2}).distinct_limit() == 2


# -- unique capacity: what cannot be made distinct is reported ---------------------------------


@pytest.mark.parametrize(
    "entry, capacity",
    [
        ({"cidr": {}, "unique": True}, 65536),
        ({"bytes": {"length": 1}, "unique": True}, 256),
    ],
)
def test_finite_kinds_report_their_distinct_limit(entry: dict[str, Any], capacity: int) -> None:
    built = build(entry)
    assert built.distinct_limit() == capacity
    assert len(set(built(range(capacity + 100)))) == capacity


def test_bytes_unique_is_distinct_by_construction() -> None:
    values = build({"bytes": {"length": 2}, "unique": True})(range(5000))
    assert len(set(values)) == 5000


UNIQUE_CASES: dict[str, dict[str, Any]] = {
    "int": {"int": {"min": 0, "max": 999}},
    "decimal": {"decimal": {"min": 0, "max": 9.99, "scale": 2}},
    "choice": {"choice": list("abcdefg")},
    "date": {"date": {"from": "2020-01-01", "to": "2020-01-31"}},
    "datetime": {"datetime": {"from": "2020-01-01", "to": "2020-01-01"}},
    "time": {"time": {"from": "10:00:00", "to": "10:10:00"}},
    "gen": {"gen": "address.country"},
    "sequence": {"sequence": {"start": 5, "step": 2}},
    "uuid": {"uuid": {}},
    "template": {"template": "K{row}"},
    "from": {"from": ["first", "last"], "as": "email"},  # first/last: UNIQUE_OTHERS
    "pattern": {"pattern": "^[A-Z]{2}[0-9]{2}$"},
    "cidr": {"cidr": {}},
    "bytes": {"bytes": {"length": 16}},
    "json": {"json": {"w": {"gen": "text.word"}}},
    "partition": {"partition": {"ranges": [[0, 100_000], [100_000, None]]}},
    "existing": {"existing": {"table": "t"}},
}


# the sibling columns a unique case reads (few distinct names: the row number makes them unique)
UNIQUE_OTHERS = {"from": {"first": {"choice": ["Anna", "Bo"]}, "last": {"const": "Smith"}}}


@pytest.mark.parametrize("kind", [k for k in KINDS if unique_capable(k)])
def test_unique_capable_kinds_give_distinct_values_up_to_capacity(kind: str) -> None:
    assert kind in UNIQUE_CASES, f"add a unique case for {kind}"
    built = build({**UNIQUE_CASES[kind], "unique": True}, others=UNIQUE_OTHERS.get(kind))
    limit = built.distinct_limit()
    n = min(limit if limit is not None else 5000, 5000)
    values = built(range(n))
    assert len(set(values)) == n


def test_kinds_that_cannot_be_unique_are_not_unique_capable() -> None:
    assert set(UNIQUE_CASES) == {k for k in KINDS if unique_capable(k)}
    for kind in ("bool", "float", "const", "array", "interval", "ref", "default"):
        assert not unique_capable(kind)


def test_finite_values_of_choice_and_bool_only() -> None:
    def spec_of(entry: dict[str, Any]) -> GeneratorSpec:
        return build(entry).spec

    assert finite_values(spec_of({"choice": {"x": 1, "y": 2}})) == ["x", "y"]
    assert finite_values(spec_of({"choice": [3, 1, 2]})) == [3, 1, 2]
    assert finite_values(spec_of({"bool": 0.2})) == [False, True]
    assert finite_values(spec_of({"choice": ["x"], "null": 0.1})) is None
    unbounded: list[dict[str, Any]] = [INT, {"uuid": {}}, {"const": 1}, {"date": {}}]
    for entry in unbounded:
        assert finite_values(spec_of(entry)) is None


# -- every kind has tests ---------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _test_names() -> frozenset[str]:
    names: set[str] = set()
    for path in HERE.glob("test_kind*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    return frozenset(names)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_registered_kind_has_tests(kind: str) -> None:
    """A test function of its own (here or in test_kind_links.py); a value kind also has a
    golden case. A kind added to seedspec.kinds.KINDS without tests fails here."""
    cases = {name for name in CASES if name == kind or name.startswith(f"{kind}_")}
    tests = {n for n in _test_names() if n.startswith(f"test_{kind}_")}
    assert tests, f"no test_{kind}_* function in tests/unit/test_kind*.py"
    assert cases or KINDS[kind].link or not KINDS[kind].builds_values, f"no golden case for {kind}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_distinct_count_of_the_entry_bounds_the_values(name: str) -> None:
    """What the front end says an entry can produce (the unique-capacity check) holds."""
    entry = CASES[name]["entry"]
    kind = next(k for k in KINDS if k in entry)
    count = KINDS[kind].distinct_count(entry[kind])
    built = build(entry, others=CASES[name].get("others"), resolved=CASES[name].get("resolved"))
    values = built(range(domain(built, 5000)))
    distinct = len({repr(v) for v in values if v is not None})
    if count is None:
        limit = built.distinct_limit()
        assert limit is None or limit >= distinct
        return
    assert distinct <= count
    if kind in ("int", "choice", "const"):
        assert built.distinct_limit() == count
    if kind in ("choice", "const") or kind == "int" and "dist" not in entry["int"]:
        assert distinct == count  # uniform over 5,000 rows reaches every value
