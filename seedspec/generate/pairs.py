"""Pickers for relations between keys: child row indices -> parent row indices (-1 = NULL).

OrderedPairPicker: two FKs to one table with CHECK (a < b) / (a <= b): a code in the pairs'
numbering decodes to (low rank, high rank) over the parent's key values in sorted order.
AbovePicker: the same where low is one-to-one: low a distinct rank, high a uniform rank above.
GroupTreePicker: a self-reference sharing a column with another FK (tenant-scoped trees,
FOREIGN KEY (tenant_id, parent_id) REFERENCES node (tenant_id, id)): each row's parent is an
earlier row of the same group, the group's first row a root.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.links import Picker, UniquePicker
from seedspec.generate.random import stream_key, uniform

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


def pair_count(n: int, strict: bool) -> int:
    """Unordered pairs (lo, hi) of n ranks with lo < hi (strict) or lo <= hi."""
    return n * (n - 1) // 2 if strict else n * (n + 1) // 2


def decode_pairs(code: np.ndarray, strict: bool) -> tuple[np.ndarray, np.ndarray]:
    """Code c of the numbering ordered by hi, then lo -> (lo, hi); exact in integers (the float
    square root is corrected by one step either way)."""
    c = code.astype(np.int64)
    shift = 0 if strict else 1  # lo <= hi: rank hi counts pairs (0..hi, hi)

    def first(h: np.ndarray) -> np.ndarray:  # the code of (0, h)
        return h * (h - 1 + 2 * shift) // 2

    root = np.sqrt(1.0 + 8.0 * c.astype(np.float64))
    hi = np.floor((1.0 + root) / 2.0 - shift).astype(np.int64)
    hi = np.maximum(hi, 1 - shift)
    hi = np.where(first(hi) > c, hi - 1, hi)
    hi = np.where(first(hi + 1) <= c, hi + 1, hi)
    return c - first(hi), hi


class OrderedPairPicker(Picker):
    """One side of a pair of FKs to the same parent column whose values must be ordered."""

    def __init__(
        self, inner: Picker, n: int, strict: bool, high: bool, parent: str, column: str
    ) -> None:
        self.inner, self.n, self.strict, self.high = inner, n, strict, high
        self.parent, self.column = parent, column
        self._order: np.ndarray | None = None

    def _ranked(self, model: Model) -> np.ndarray:
        """Parent row indices in the order of their key values (ascending)."""
        if self._order is None:
            values = model.values(self.parent, self.column, np.arange(self.n, dtype=np.int64))
            self._order = np.argsort(values, kind="stable").astype(np.int64)
        return self._order

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        if pair_count(self.n, self.strict) == 0:
            return np.full(len(idx), -1, dtype=np.int64)
        lo, hi = decode_pairs(self.inner.pick(model, idx), self.strict)
        return self._ranked(model)[hi if self.high else lo]

    def describe(self) -> dict[str, Any]:
        op = "<" if self.strict else "<="
        return {**self.inner.describe(), "pair": f"{'high' if self.high else 'low'} of {op}"}


class AbovePicker(OrderedPairPicker):
    """CHECK (low < high) / (low <= high) where low is one-to-one: low is a distinct rank
    among the lowest n-1 (n, for <=) key values, high a uniform rank above it (or equal);
    `anchor_high` the mirror. At most n-1 (n) rows, checked by compile/passes/pickers.py."""

    def __init__(
        self, key: int, n: int, strict: bool, high: bool, parent: str, column: str
    ) -> None:
        below = UniquePicker(key, max(n - strict, 0))
        super().__init__(below, n, strict, high, parent, column)
        self.key = stream_key(key, "above")
        self.anchor_high = False  # the mirror: high one-to-one, low a uniform rank below

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        if self.n - self.strict <= 0:
            return np.full(len(idx), -1, dtype=np.int64)
        own = self.inner.pick(model, idx)  # a distinct rank in 0 .. n-1-strict
        if self.anchor_high:
            own = own + self.strict  # high's distinct rank, strict .. n-1
        if self.high == self.anchor_high:
            return self._ranked(model)[own]
        # the other side: a uniform rank above (below) the anchor's; never empty
        span = own + 1 - self.strict if self.anchor_high else self.n - own - self.strict
        step = np.minimum((uniform(self.key, idx) * span).astype(np.int64), span - 1)
        rank = step if self.anchor_high else own + self.strict + step
        return self._ranked(model)[rank]

    def describe(self) -> dict[str, Any]:
        op = "<" if self.strict else "<="
        return {"pick": "above", "pair": f"{'high' if self.high else 'low'} of {op}"}


class GroupTreePicker(Picker):
    """A self-reference within the group of rows sharing `column` (a tenant): each row picks
    one of the earlier rows of its group; the group's first row is its root (NULL, or itself
    when the FK is NOT NULL)."""

    def __init__(self, key: int, table: str, n: int, column: str, root_links_self: bool) -> None:
        self.key, self.table, self.n, self.column = key, table, n, column
        self.root_links_self = root_links_self
        self._index: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(None, self.column)]

    def _groups(self, model: Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows by group then index, each row's position there, its group's first position)."""
        if self._index is None:
            values = model.values(self.table, self.column, np.arange(self.n, dtype=np.int64))
            order = np.argsort(values, kind="stable").astype(np.int64)
            position = np.empty(self.n, dtype=np.int64)
            position[order] = np.arange(self.n, dtype=np.int64)
            ranked = values[order]
            starts = np.searchsorted(ranked, ranked, side="left").astype(np.int64)
            self._index = (order, position, starts[position])
        return self._index

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        order, position, start = self._groups(model)
        pos, first = position[idx], start[idx]
        earlier = pos - first  # rows of the same group before this one
        u = uniform(self.key, idx)
        chosen = first + np.minimum((u * earlier).astype(np.int64), np.maximum(earlier - 1, 0))
        out = np.where(earlier > 0, order[chosen], -1).astype(np.int64)
        if self.root_links_self:
            out = np.where(earlier > 0, out, idx)
        return out

    def describe(self) -> dict[str, Any]:
        return {"pick": "tree_in_group", "group": self.column}
