"""Per-parent row layouts: (count law, parent rows) -> which rows each parent owns.

Up to BLOCK (2^20) parents, each parent's count is its own draw and the offsets are one array,
made on first use. Past that the first BLOCK draws are the base, and block b of BLOCK parents
takes them rotated by a keyed offset r_b: block totals are all equal, so the total, a parent's
first row and the parent of a row are sums over the base (a circular prefix), and plan and
apply hold BLOCK-sized arrays whatever the parent count (10^12 parents plan in milliseconds).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate import distributions as dists
from seedspec.generate.random import integers, uniform

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

__all__ = ["BLOCK", "PerParentLayout", "per_parent_chunks", "per_parent_counts"]

BLOCK = 1 << 20  # parents drawn one by one; past this, rotated copies of these draws


class PerParentLayout:
    """Rows grouped by parent: parent p owns rows start(p) .. start(p + 1) - 1.

    Made from counts, or `drawn` from the count law (then only count, widest and lowest are
    known until the offsets are first read)."""

    def __init__(self, parent: str, counts: np.ndarray | None = None) -> None:
        self.parent = parent
        self._draw: tuple[int, int, str, dict[str, Any]] | None = None
        self._offsets: np.ndarray | None = None
        self._doubled: np.ndarray | None = None  # prefix sums of the base twice (blocked)
        self.count = self.widest = self.lowest = 0
        self.n_parents = 0
        if counts is not None:
            self._offsets = _offsets_of(counts)
            self.count = int(self._offsets[-1])
            self.n_parents = len(counts)
            self.widest = int(counts.max(initial=0))
            self.lowest = int(counts.min()) if len(counts) else 0

    @classmethod
    def drawn(
        cls, parent: str, key: int, n_parents: int, dist: str, params: dict[str, Any]
    ) -> PerParentLayout:
        layout = cls(parent)
        layout._draw = (key, n_parents, dist, params)
        layout.n_parents = n_parents
        if n_parents > BLOCK:
            base = per_parent_counts(key, BLOCK, dist, params).astype(np.int64)
            layout._doubled = np.concatenate(([0], np.cumsum(np.concatenate((base, base)))))
            layout.count = int(layout.starts(np.array([n_parents], dtype=np.int64))[0])
            layout.widest, layout.lowest = int(base.max()), int(base.min())
            return layout
        for chunk in per_parent_chunks(key, n_parents, dist, params):  # one chunk at most
            layout.count += int(chunk.sum(dtype=np.int64))
            layout.widest = int(chunk.max(initial=0))
            layout.lowest = int(chunk.min())  # chunks are never empty
        return layout

    @property
    def offsets(self) -> np.ndarray:
        """Every parent's first row, and the total last (a layout of at most BLOCK parents)."""
        if self._offsets is None:
            assert self._draw is not None and self._doubled is None
            self._offsets = _offsets_of(per_parent_counts(*self._draw))
        return self._offsets

    def _rotation(self, block: np.ndarray) -> np.ndarray:
        assert self._draw is not None
        turn = integers(self._draw[0], block, 0, BLOCK - 1, draw=1)
        return np.where(block == 0, 0, turn)  # block 0 is the base as drawn

    def starts(self, parents: np.ndarray) -> np.ndarray:
        """The first row of each parent (int64); parent n_parents gives the total."""
        if self._doubled is None:
            return self.offsets[parents].astype(np.int64)
        doubled = self._doubled
        block, within = np.divmod(parents.astype(np.int64), BLOCK)
        turn = self._rotation(block)
        return block * doubled[BLOCK] + doubled[turn + within] - doubled[turn]

    def parent_of(self, idx: np.ndarray) -> np.ndarray:
        if self._doubled is None:
            return np.searchsorted(self.offsets, idx, side="right").astype(np.int64) - 1
        doubled = self._doubled
        block, local = np.divmod(idx.astype(np.int64), doubled[BLOCK])
        turn = self._rotation(block)
        within = np.searchsorted(doubled, local + doubled[turn], side="right") - 1 - turn
        return block * BLOCK + within

    def index_in_parent(self, idx: np.ndarray) -> np.ndarray:
        return idx - self.starts(self.parent_of(idx))


def _offsets_of(counts: np.ndarray) -> np.ndarray:
    total = int(counts.sum(dtype=np.int64))
    dtype = np.int32 if total < 2**31 else np.int64  # half the memory for most layouts
    offsets = np.zeros(len(counts) + 1, dtype=dtype)
    np.cumsum(counts, dtype=dtype, out=offsets[1:])
    return offsets


def per_parent_chunks(
    key: int, n_parents: int, dist: str, params: dict[str, Any]
) -> Iterator[np.ndarray]:
    """The children of each parent row, a million parents at a time (a pure function of the
    parent index): no full-size temporaries."""
    lo = int(params.get("min", 0) if params.get("min") is not None else 0)
    hi_param = params.get("max")
    hi = int(hi_param) if hi_param is not None else dists.discrete_upper_bound(dist, params, lo)
    dtype = np.int32 if hi < 2**31 else np.int64
    step = 1 << 20
    for start in range(0, n_parents, step):
        stop = min(n_parents, start + step)
        u = uniform(key, np.arange(start, stop, dtype=np.int64))
        yield dists.integers(dist, params, u, lo, hi).astype(dtype, copy=False)


def per_parent_counts(key: int, n_parents: int, dist: str, params: dict[str, Any]) -> np.ndarray:
    """How many children each parent row gets (a pure function of the parent index)."""
    chunks = list(per_parent_chunks(key, n_parents, dist, params))
    return np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int32)
