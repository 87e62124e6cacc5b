"""The CHECK oracle's pure parts: attempted values (generate/attempts.py), the oracle recipe the
compiler writes (compile/passes/oracle.py: what varies, literals, groups), and its Plan JSON.
The database's judgement itself is tested on real servers in tests/integration/test_oracle.py."""

from __future__ import annotations

from typing import Any

import numpy as np

from seedspec.compile.passes.oracle import oracle_recipe
from seedspec.database.model import DbCheck, DbColumn, DbTable, DbUnique
from seedspec.execute.oracle import rounds
from seedspec.generate.attempts import Attempted, Choices
from seedspec.generate.base import Generator, ValueSource
from seedspec.plan import codec
from seedspec.plan import recipes as r
from seedspec.plan.params import Params


class Tens(Generator):
    """Row i -> i * 10 + offset (the wrapped generator: any pure function of the row works)."""

    def __init__(self, offset: int = 0) -> None:
        super().__init__(offset, {})

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        return idx * 10 + self.key


def _wrapped(choices: Choices, *, stride: int = 1, literals: list[Any] | None = None) -> Attempted:
    return Attempted(
        Tens(),
        lambda attempt: Tens(attempt * 1000),
        null=True,
        literals=literals or [],
        choices=choices,
        stride=stride,
        key=stride,
    )


def test_attempt_zero_is_the_plain_value() -> None:
    gen = _wrapped(Choices("t", 100, 16, 15, seed=1))
    idx = np.arange(100, dtype=np.int64)
    out = gen.values(None, idx)  # type: ignore[arg-type]
    assert out.dtype == np.int64 and out.tolist() == (idx * 10).tolist()


def test_values_are_a_pure_function_of_row_and_attempt() -> None:
    choices = Choices("t", 1000, 16, 15, seed=1)
    chosen = np.arange(1000, dtype=np.int64) % 16
    choices.set(np.arange(1000), chosen)
    gen = _wrapped(choices, literals=[42])
    whole = gen.values(None, np.arange(1000, dtype=np.int64)).tolist()  # type: ignore[arg-type]
    order = np.random.default_rng(3).permutation(1000)
    parts = gen.values(None, order).tolist()  # type: ignore[arg-type]
    assert [whole[i] for i in order] == parts  # any order, any batch: the same values
    kinds = {
        ("keep" if v == i * 10 else "null" if v is None else "lit" if v == 42 else "redraw")
        for i, v in enumerate(whole)
    }
    assert kinds == {"keep", "null", "lit", "redraw"}
    redrawn = [v for i, v in enumerate(whole) if v not in (None, 42, i * 10)]
    assert all(v == i * 10 + chosen[i] * 1000 for i, v in enumerate(whole) if v in redrawn)


def test_every_combination_is_tried_within_the_budget() -> None:
    """Two columns of 3 options each: 9 combinations, every one within attempts 1..9."""
    choices = Choices("t", 50, 16, 9, seed=7)
    a, b = _wrapped(choices, stride=1, literals=[5]), _wrapped(choices, stride=3, literals=[6])
    rows = np.arange(50, dtype=np.int64)
    seen: list[set[tuple[int, int]]] = [set() for _ in rows]
    for attempt in range(1, 10):
        tries = np.full(50, attempt, dtype=np.int64)
        for row, pair in enumerate(zip(a.option(rows, tries), b.option(rows, tries), strict=True)):
            seen[row].add((int(pair[0]), int(pair[1])))
    assert all(len(s) == 9 for s in seen)


def test_rounds_cover_the_budget_once() -> None:
    assert rounds(16) == [range(0, 1), range(1, 4), range(4, 16)]
    assert rounds(2) == [range(0, 1), range(1, 2)]
    assert rounds(1) == [range(0, 1)]


def _table() -> tuple[DbTable, r.TableRecipe]:
    cols = (
        DbColumn("id", "integer", "integer", nullable=False),
        DbColumn("a", "integer", "integer"),
        DbColumn("b", "varchar", "varchar(3)", length=3),
        DbColumn("c", "text", "text", nullable=False),
        DbColumn("u", "integer", "integer"),
    )
    checks = (
        DbCheck("a_rule", "is_ok(a) OR a = 5 OR a BETWEEN -3 AND 10"),
        DbCheck("b_rule", "is_code(b) OR b IN ('xy', 'toolong')"),
        DbCheck("ac_rule", "pair_ok(a, c)"),
        DbCheck("u_rule", "is_ok(u)"),
    )
    table = DbTable(
        "t", columns=cols, primary_key=("id",), checks=checks, uniques=(DbUnique("t_u", ("u",)),)
    )
    value = r.ValueRecipe("int", Params.of({}))
    recipe = r.TableRecipe("t", 10, "fixed", tuple(r.ColumnRecipe(c.name, value) for c in cols))
    return table, recipe


def test_oracle_recipe_varies_free_columns_with_literals_and_groups() -> None:
    table, recipe = _table()
    oracle = oracle_recipe(table, recipe, "postgres")
    assert oracle is not None
    assert {c.name for c in oracle.checks if not c.modelled} == {
        "a_rule",
        "b_rule",
        "ac_rule",
        "u_rule",
    }
    columns = {c.name: c for c in oracle.columns}
    assert set(columns) == {"a", "b", "c"}  # the key and the UNIQUE column never vary
    assert columns["a"].null and not columns["c"].null
    literals = columns["a"].literals.value()
    assert len(literals) <= 8 and {5, -3, 10} <= set(literals)  # the literals, then neighbours
    assert set(literals) <= {5, 6, 4, -3, -2, -4, 10, 11, 9}
    assert columns["b"].literals.value() == ["xy"]  # 'toolong' does not fit varchar(3)
    group = {c.name: c.group for c in oracle.checks}
    assert group["a_rule"] == group["ac_rule"] != group["b_rule"] != group["u_rule"]
    assert columns["a"].group == columns["c"].group == group["a_rule"]
    assert set(oracle.evaluated) == {"a", "b", "c", "u"}


def test_plan_json_round_trip_and_absent_oracle_left_out() -> None:
    table, recipe = _table()
    oracle = oracle_recipe(table, recipe, "postgres")
    with_oracle = r.TableRecipe(recipe.name, 10, "fixed", recipe.columns, oracle=oracle)
    data = codec.to_data(with_oracle)
    assert codec.from_data(r.TableRecipe, data) == with_oracle
    assert "oracle" not in codec.to_data(recipe)  # plans without an oracle are unchanged
    assert codec.from_data(r.TableRecipe, codec.to_data(recipe)) == recipe
