"""Per-row CHECK branches: (seed, table, branch count, row) -> the branch a row takes, and the
generators that follow it (a value per branch, or NULL in some branches).

A table whose CHECKs leave a choice among alternatives (`(status = 'done' AND finished_at IS
NOT NULL) OR (status <> 'done' AND finished_at IS NULL)`) gets a few consistent combinations
of them (database.facts TableFacts.branches). Each row takes one, by a hash of the row keyed by
(seed, table, group of ORs) alone, so every column of the row agrees on it in any batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, ValueSource, objects, to_python
from seedspec.generate.random import bits, stream_key

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


def branch_key(seed: int, table: str, group: int) -> int:
    """The stream every column of one group of the table's ORs reads its rows' branches from."""
    return stream_key(seed, table, "check branches", group)


def branch_of(key: int, count: int, idx: np.ndarray) -> np.ndarray:
    """The branch (0 .. count - 1) of each row in `idx`, uniform."""
    return (bits(key, idx) % np.uint64(count)).astype(np.int64)


class Branched(Generator):
    """A column whose row takes the value of its branch's generator (None: NULL there)."""

    def __init__(self, cases: list[Generator | None], key: int) -> None:
        super().__init__(key, {})
        self.cases = cases
        self.kind = next((g.kind for g in cases if g is not None), "null")

    def depends_on(self) -> list[tuple[str | None, str]]:
        out: list[tuple[str | None, str]] = []
        for gen in self.cases:
            out += [d for d in (gen.depends_on() if gen else []) if d not in out]
        return out

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        branch = branch_of(self.key, len(self.cases), idx)
        out = objects([None] * len(idx))
        for b, gen in enumerate(self.cases):
            sel = np.flatnonzero(branch == b)
            if gen is not None and len(sel):
                out[sel] = objects(to_python(gen.values(model, idx[sel])))
        return out

    def describe(self) -> dict[str, Any]:
        return {"cases": [g.describe() if g is not None else None for g in self.cases]}


class BranchNull(Generator):
    """A column NULL in some branches, its one generator's value in the others (a unique or
    FK column keeps a single generator so its values stay distinct / picked)."""

    def __init__(self, inner: Generator, null: tuple[bool, ...], key: int) -> None:
        super().__init__(key, {})
        self.inner, self.null = inner, null
        self.kind, self.unique = inner.kind, inner.unique

    def depends_on(self) -> list[tuple[str | None, str]]:
        return self.inner.depends_on()

    def distinct_limit(self) -> int | None:
        return self.inner.distinct_limit()

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        mask = np.asarray(self.null, dtype=bool)[branch_of(self.key, len(self.null), idx)]
        out = objects(to_python(self.inner.values(model, idx)))
        out[mask] = None
        return out

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "null_in_branches": list(self.null)}
