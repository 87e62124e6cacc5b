"""Conditional columns (`when: "status = 'paused'"`): a condition tree over the row's other
columns + the then/else generators -> one value array, each row from the branch it meets.

The tree is plain lists (kinds/conditional.py makes it from the SQL text with sqlglot):
  ["and", a, b]  ["or", a, b]  ["not", a]  ["null", operand]  ["in", operand, [literals]]
  ["cmp", "=" | "<>" | "<" | "<=" | ">" | ">=", operand, operand]
  operand: ["col", name] | ["lit", value]
Evaluation is SQL's three-valued logic on whole chunks (a NULL compared is unknown, and an
unknown condition takes the else branch, as CASE WHEN does).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects, to_python
from seedspec.generate.base import ValueSource as Model

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

Truth: TypeAlias = "tuple[np.ndarray, np.ndarray]"  # (true, unknown) masks; false = neither
_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def condition_columns(tree: list[Any]) -> list[str]:
    """The columns a condition reads, in order of first use."""
    seen: dict[str, None] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list) and node:
            if node[0] == "col" and len(node) == 2 and isinstance(node[1], str):
                seen.setdefault(node[1], None)
                return
            for child in node[1:]:
                walk(child)

    walk(tree)
    return list(seen)


class Conditional(Generator):
    """Rows meeting the condition take `then`'s value, the others `else`'s (None: NULL)."""

    kind = "when"

    def __init__(
        self,
        key: int,
        params: dict[str, Any],
        table: str,
        tree: list[Any],
        then: Generator | None,
        otherwise: Generator | None,
    ) -> None:
        super().__init__(key, params)
        self.table, self.tree, self.then, self.otherwise = table, tree, then, otherwise

    def depends_on(self) -> list[tuple[str | None, str]]:
        out: list[tuple[str | None, str]] = [(None, c) for c in condition_columns(self.tree)]
        for gen in (self.then, self.otherwise):
            out += [d for d in (gen.depends_on() if gen else []) if d not in out]
        return out

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        true, _unknown = self._truth(model, idx, self.tree)
        out = objects([None] * len(idx))
        for gen, rows in ((self.then, true), (self.otherwise, ~true)):
            if gen is not None and rows.any():
                out[rows] = objects(to_python(gen.values(model, idx[rows])))
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "when",
            "when": self.params["when"],
            "then": self.then.describe() if self.then else None,
            "else": self.otherwise.describe() if self.otherwise else None,
        }

    def _truth(self, model: Model, idx: np.ndarray, node: list[Any]) -> Truth:
        op = node[0]
        if op in ("and", "or"):
            (at, au), (bt, bu) = self._truth(model, idx, node[1]), self._truth(model, idx, node[2])
            if op == "and":
                false = (~at & ~au) | (~bt & ~bu)
                return at & bt, ~(at & bt) & ~false
            true = at | bt
            return true, (au | bu) & ~true
        if op == "not":
            t, u = self._truth(model, idx, node[1])
            return ~t & ~u, u
        values, nulls = self._operand(model, idx, node[2] if op == "cmp" else node[1])
        if op == "null":
            return nulls, np.zeros(len(idx), dtype=bool)
        if op == "in":
            true = np.zeros(len(idx), dtype=bool)
            for literal in node[2]:
                true |= _compare("=", values, _coerce(literal, values), ~nulls)
            return true, nulls & ~true
        other, other_nulls = self._operand(model, idx, node[3])
        unknown = nulls | other_nulls
        return _compare(node[1], values, other, ~unknown), unknown

    def _operand(self, model: Model, idx: np.ndarray, node: list[Any]) -> tuple[Any, np.ndarray]:
        if node[0] == "lit":
            return node[1], np.full(len(idx), node[1] is None)
        values = model.values(self.table, node[1], idx)
        if values.dtype == object:
            return values, np.array([v is None for v in values.tolist()], dtype=bool)
        if values.dtype.kind == "M":
            return values, np.isnat(values)
        return values, np.zeros(len(idx), dtype=bool)


def _coerce(literal: Any, values: Any) -> Any:
    """A literal as the column's values are: a date string against dates, a number as text."""
    if not isinstance(values, np.ndarray) or isinstance(literal, bool) or literal is None:
        return literal
    if values.dtype.kind == "M" and isinstance(literal, str):
        return np.datetime64(literal)
    sample = next((v for v in values.tolist() if v is not None), None)
    if isinstance(sample, dt.datetime) and isinstance(literal, str):
        return dt.datetime.fromisoformat(literal)
    if isinstance(sample, dt.date) and isinstance(literal, str):
        return dt.date.fromisoformat(literal)
    if isinstance(sample, str) and not isinstance(literal, str):
        return str(literal)
    return literal


def _compare(op: str, left: Any, right: Any, known: np.ndarray) -> np.ndarray:
    """`left op right` where both sides are known (elementwise), False elsewhere."""
    out = np.zeros(len(known), dtype=bool)
    if not known.any():
        return out
    if isinstance(left, np.ndarray):
        right = _coerce(right, left)
    elif isinstance(right, np.ndarray):
        left = _coerce(left, right)
    lhs = left[known] if isinstance(left, np.ndarray) else left
    rhs = right[known] if isinstance(right, np.ndarray) else right
    out[known] = np.asarray(_OPS[op](lhs, rhs), dtype=bool)
    return out
