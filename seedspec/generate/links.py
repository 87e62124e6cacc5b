"""Row layouts and parent pickers: child row indices -> parent row indices (-1 = NULL).

Keys are assigned by seedspec, so a foreign key is arithmetic on parent row indices; the
parent's key value is then evaluated from the parent's own column generator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate import distributions as dists
from seedspec.generate.base import Generator, objects, to_python
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.layouts import PerParentLayout
from seedspec.generate.random import bits, integers, permute, uniform

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


class Picker:
    """Chooses a parent row index for each child row."""

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {"pick": type(self).__name__.removesuffix("Picker").lower()}

    def depends_on(self) -> list[tuple[str | None, str]]:
        """Columns (None: of the child's own table) the picks read, beyond the parent key."""
        return []


class RandomPicker(Picker):
    def __init__(self, key: int, n: int, dist: str = "uniform", s: float = 1.2) -> None:
        self.key, self.n, self.dist, self.s = key, n, dist, s

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        if self.n == 0:
            return np.full(len(idx), -1, dtype=np.int64)
        if self.dist == "zipf":
            u = uniform(self.key, idx)
            rank = dists.integers("zipf", {"s": self.s}, u, 0, self.n - 1)
            return permute(self.key ^ 0x5A5A, rank, self.n)  # popular parents spread out
        return integers(self.key, idx, 0, self.n - 1)

    def describe(self) -> dict[str, Any]:
        return {"pick": self.dist, **({"s": self.s} if self.dist == "zipf" else {})}


class PerParentPicker(Picker):
    def __init__(self, layout: PerParentLayout) -> None:
        self.layout = layout

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return self.layout.parent_of(idx)

    def describe(self) -> dict[str, Any]:
        return {"pick": "per_parent"}


class UniquePicker(Picker):
    """Each parent at most once (one-to-one links): a keyed permutation of parent rows."""

    def __init__(self, key: int, n: int, spill_null: bool = False) -> None:
        self.key, self.n, self.spill_null = key, n, spill_null

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        """Rows past the parents' count get NULL (a nullable one-to-one link) instead."""
        if not self.spill_null:
            return permute(self.key, idx, self.n)
        out = np.full(len(idx), -1, dtype=np.int64)
        inside = idx < self.n
        out[inside] = permute(self.key, idx[inside], self.n)
        return out


class DistinctWithinParentPicker(Picker):
    """Distinct parents among the children of one per-parent group (junction tables)."""

    def __init__(self, key: int, n: int, layout: PerParentLayout) -> None:
        self.key, self.n, self.layout = key, n, layout

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        group = self.layout.parent_of(idx)
        start = (bits(self.key, group) % np.uint64(self.n)).astype(np.int64)
        return (start + self.layout.index_in_parent(idx)) % self.n


class TuplePicker(Picker):
    """One digit of a distinct mixed-radix tuple: rows get distinct parent combinations."""

    def __init__(self, key: int, radices: tuple[int, ...], position: int, *mix: Any) -> None:
        """`mix`: (plus, modulus) of a Latin-square member, its digit plus those at `plus`."""
        self.key, self.radices, self.position = key, radices, position
        self.plus: tuple[int, ...] = tuple(mix[0]) if mix and mix[0] else ()
        self.modulus: int | None = mix[1] if self.plus else None
        self.total = int(np.prod(np.array(radices, dtype=object)))

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        code = permute(self.key, idx, self.total) if self.total < 2**62 else idx
        out = self._digit(code, self.position)
        for p in self.plus:  # a Latin-square member: digits summed modulo its own radix
            out = (out + self._digit(code, p)) % (self.modulus or 1)
        return out

    def _digit(self, code: np.ndarray, position: int) -> np.ndarray:
        for radix in self.radices[:position]:
            code = code // radix
        return code % self.radices[position]


class TreePicker(Picker):
    """Self-reference as a tree: level L rows pick a parent among level L-1 rows."""

    def __init__(self, key: int, level_starts: list[int], root_links_self: bool) -> None:
        self.key = key
        self.starts = np.array(level_starts, dtype=np.int64)
        self.root_links_self = root_links_self

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        level = np.searchsorted(self.starts, idx, side="right").astype(np.int64) - 1
        out = np.where(idx == idx, -1, -1).astype(np.int64)
        inner = level > 0
        if inner.any():
            lo = self.starts[level[inner] - 1]
            width = self.starts[level[inner]] - lo
            u = uniform(self.key, idx[inner])
            out[inner] = lo + np.minimum((u * width).astype(np.int64), width - 1)
        if self.root_links_self:
            out[~inner] = idx[~inner]
        return out

    def describe(self) -> dict[str, Any]:
        return {"pick": "tree", "levels": np.diff(self.starts).tolist()}


def tree_levels(count: int, max_depth: int, roots: float | None) -> list[int]:
    """Level start indices for a tree of `count` rows: a roots share, then doubling levels."""
    if count == 0:
        return [0]
    share = roots if roots is not None else (0.04 if max_depth > 1 else 1.0)
    n_roots = min(count, max(1, round(count * share)))
    rest = count - n_roots
    # each level twice the one above; scaled so the deepest weighs 1 (2.0**k overflows past
    # k=1023; scaling by a power of two leaves every ratio bit-identical)
    top = max_depth - 2
    weights = [2.0 ** (k - top) for k in range(max_depth - 1)]
    total = sum(weights)
    starts = [0, n_roots]
    given = 0
    for i, w in enumerate(weights):
        size = rest - given if i == len(weights) - 1 else round(rest * w / total)
        given += size
        if size > 0:
            starts.append(starts[-1] + size)
    return starts


class EarlierRowPicker(Picker):
    """A further self-reference: any earlier row (the first row links itself or NULL)."""

    def __init__(self, key: int, root_links_self: bool) -> None:
        self.key, self.root_links_self = key, root_links_self

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        u = uniform(self.key, idx)
        out = (u * idx).astype(np.int64)
        out[idx == 0] = 0 if self.root_links_self else -1
        return out


class DifferentFromPicker(Picker):
    """Like `inner`, but never the parent `other` picked for the same row (CHECK a <> b)."""

    def __init__(self, inner: Picker, other: Picker, n: int) -> None:
        self.inner, self.other, self.n = inner, other, n

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        mine, theirs = self.inner.pick(model, idx), self.other.pick(model, idx)
        if self._offset_digit():
            return (theirs + 1 + mine) % self.n
        clash = (mine == theirs) & (mine >= 0)
        mine[clash] = (mine[clash] + 1) % max(self.n, 1)
        return mine

    def _offset_digit(self) -> bool:
        """Both FKs are digits of one tuple, mine of radix n-1 (passes/numbering.py
        _differs_in_tuple): an offset from theirs, never 0 mod n, so distinct and unequal."""
        inner, other = self.inner, self.other
        return (
            isinstance(inner, TuplePicker)
            and isinstance(other, TuplePicker)
            and inner.key == other.key
            and inner.radices[inner.position] == self.n - 1
        )

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "differs_from_other_fk": True}


class JointPicker(Picker):
    """A parent whose `column` value also occurs in every other (table, column): the first of
    several FKs that share a column (multi-tenant keys) only picks values the others can match."""

    def __init__(self, key: int, parent: str, column: str, n_parent: int) -> None:
        self.key, self.parent, self.column, self.n = key, parent, column, n_parent
        self.others: list[tuple[str, str, int]] = []
        self._candidates: np.ndarray | None = None

    def _pool(self, model: Model) -> np.ndarray:
        if self._candidates is None:
            mine = model.values(self.parent, self.column, np.arange(self.n, dtype=np.int64))
            keep = np.ones(self.n, dtype=bool)
            for table, column, n in self.others:
                theirs = model.values(table, column, np.arange(n, dtype=np.int64))
                keep &= np.isin(mine, theirs)
            self._candidates = np.flatnonzero(keep).astype(np.int64)
        return self._candidates

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        pool = self._pool(model)
        if len(pool) == 0:
            return np.full(len(idx), -1, dtype=np.int64)
        return pool[integers(self.key, idx, 0, len(pool) - 1)]

    def describe(self) -> dict[str, Any]:
        return {"pick": "joint", "shared": self.column}


class WherePicker(Picker):
    """A parent whose column matches a column of this row (`ref: users, where: {...}`)."""

    def __init__(
        self, key: int, table: str, parent: str, n_parent: int, pairs: list[tuple[str, str]]
    ) -> None:
        self.key, self.table, self.parent, self.n_parent = key, table, parent, n_parent
        ((self.child_column, self.parent_column),) = pairs
        self._index: tuple[np.ndarray, np.ndarray] | None = None

    def _parent_index(self, model: Model) -> tuple[np.ndarray, np.ndarray]:
        if self._index is None:
            all_rows = np.arange(self.n_parent, dtype=np.int64)
            values = model.values(self.parent, self.parent_column, all_rows)
            order = np.argsort(values, kind="stable")
            self._index = (values[order], order.astype(np.int64))
        return self._index

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(None, self.child_column), (self.parent, self.parent_column)]

    def pick(self, model: Model, idx: np.ndarray) -> np.ndarray:
        sorted_values, order = self._parent_index(model)
        mine = model.values(self.table, self.child_column, idx)
        lo = np.searchsorted(sorted_values, mine, side="left")
        hi = np.searchsorted(sorted_values, mine, side="right")
        width = hi - lo
        u = uniform(self.key, idx)
        pos = lo + np.minimum((u * width).astype(np.int64), np.maximum(width - 1, 0))
        out = np.full(len(idx), -1, dtype=np.int64)
        found = width > 0
        out[found] = order[pos[found]]
        return out

    def describe(self) -> dict[str, Any]:
        return {"pick": "where", "where": {self.child_column: self.parent_column}}


class ForeignKeyColumn(Generator):
    """One column of a foreign key: the chosen parent row's referenced column value."""

    kind = "ref"

    def __init__(self, parent: str, parent_column: str, picker: Picker, fk_id: str) -> None:
        super().__init__(0, {"table": parent, "column": parent_column})
        self.parent, self.parent_column, self.picker, self.fk_id = (
            parent,
            parent_column,
            picker,
            fk_id,
        )

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(self.parent, self.parent_column), *self.picker.depends_on()]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        pidx = model.pick(self.fk_id, self.picker, idx)
        found = pidx >= 0
        if found.all():
            return model.values(self.parent, self.parent_column, pidx)
        out = objects([None] * len(idx))
        if found.any():
            vals = to_python(model.values(self.parent, self.parent_column, pidx[found]))
            out[np.flatnonzero(found)] = objects(vals)
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "ref",
            "table": self.parent,
            "column": self.parent_column,
            **self.picker.describe(),
        }


class Aggregate(Generator):
    """A parent row's summary of its children (per-parent layout): sum, count, avg, min, max
    of the product of `of` columns, e.g. an order's total from its lines' quantity x price."""

    kind = "aggregate"

    def __init__(self, child: str, layout: PerParentLayout, fn: str, of: list[str]) -> None:
        super().__init__(0, {"table": child, "fn": fn, "of": of})
        self.child, self.layout, self.fn, self.of = child, layout, fn, of

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [(self.child, c) for c in self.of]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        starts = self.layout.starts(idx)
        lengths = self.layout.starts(idx + 1) - starts
        total = int(lengths.sum())
        group = np.repeat(np.arange(len(idx), dtype=np.int64), lengths)
        if self.fn == "count" or not self.of:
            return lengths.astype(np.int64)
        child_idx = (
            np.arange(total, dtype=np.int64)
            - np.repeat(np.cumsum(lengths) - lengths, lengths)
            + np.repeat(starts, lengths)
        )
        product = None
        for column in self.of:
            values = model.values(self.child, column, child_idx)
            values = (
                values.astype(np.float64)
                if values.dtype != object
                else np.array(
                    [float(v) if v is not None else 0.0 for v in values], dtype=np.float64
                )
            )
            product = values if product is None else product * values
        assert product is not None
        whole = (
            all(model.values(self.child, c, child_idx[:1]).dtype.kind in "iu" for c in self.of)
            if total
            else True
        )
        if self.fn in ("sum", "avg"):
            sums = np.bincount(group, weights=product, minlength=len(idx))
            if self.fn == "avg":
                return sums / np.maximum(lengths, 1)
            return np.rint(sums).astype(np.int64) if whole else sums
        out = np.full(len(idx), np.nan)
        ufunc = np.minimum if self.fn == "min" else np.maximum
        if total:
            order = np.full(len(idx), np.inf if self.fn == "min" else -np.inf)
            ufunc.at(order, group, product)
            out = order
        result = np.where(lengths > 0, out, np.nan)
        if whole:
            filled = np.where(lengths > 0, result, 0).astype(np.int64)
            mask = lengths == 0
            if mask.any():
                obj = filled.astype(object)
                obj[mask] = None
                return obj
            return filled
        return result


class IndexInParent(Generator):
    kind = "index_in_parent"

    def __init__(self, layout: PerParentLayout, start: int) -> None:
        super().__init__(0, {"start": start})
        self.layout, self.start = layout, start

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return self.layout.index_in_parent(idx) + np.int64(self.start)


class Lookup(Generator):
    """The value of a parent row's column, through one of this row's foreign keys."""

    kind = "lookup"

    def __init__(self, via: ForeignKeyColumn, parent_column: str) -> None:
        super().__init__(0, {"via": via.fk_id, "column": parent_column})
        self.via, self.parent_column = via, parent_column

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [*self.via.depends_on(), (self.via.parent, self.parent_column)]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        pidx = model.pick(self.via.fk_id, self.via.picker, idx)
        found = pidx >= 0
        if found.all():
            return model.values(self.via.parent, self.parent_column, pidx)
        out = objects([None] * len(idx))
        vals = to_python(model.values(self.via.parent, self.parent_column, pidx[found]))
        out[np.flatnonzero(found)] = objects(vals)
        return out


class TupleChoice(Generator):
    """A finite column (choice, bool) as one digit of the table's distinct key tuple."""

    kind = "choice"

    def __init__(self, picker: TuplePicker, options: list[Any]) -> None:
        super().__init__(0, {"values": options, "tuple_digit": picker.position})
        self.picker = picker
        self.options = objects(options)

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return self.options[self.picker.pick(model, idx)]
