"""Per-parent row layouts: (count law, parent rows) -> which rows each parent owns.

`drawn` layouts sum their totals a million parents at a time and make the offsets on first use,
so compiling a plan over 10^8 parents holds no per-parent array; generating rows needs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from seedspec.generate import distributions as dists
from seedspec.generate.random import uniform

__all__ = ["PerParentLayout", "per_parent_chunks", "per_parent_counts"]


class PerParentLayout:
    """Rows grouped by parent: parent p owns rows offsets[p] .. offsets[p+1]-1.

    Made from counts, or `drawn` from the count law (then only count, widest and lowest are
    known until `offsets` is first read)."""

    def __init__(self, parent: str, counts: np.ndarray | None = None) -> None:
        self.parent = parent
        self._draw: tuple[int, int, str, dict[str, Any]] | None = None
        self._offsets: np.ndarray | None = None
        self.count = self.widest = self.lowest = 0
        if counts is not None:
            self._offsets = _offsets_of(counts)
            self.count = int(self._offsets[-1])
            self.widest = int(counts.max(initial=0))
            self.lowest = int(counts.min()) if len(counts) else 0

    @classmethod
    def drawn(
        cls, parent: str, key: int, n_parents: int, dist: str, params: dict[str, Any]
    ) -> PerParentLayout:
        layout = cls(parent)
        layout._draw = (key, n_parents, dist, params)
        lowest: int | None = None
        for chunk in per_parent_chunks(key, n_parents, dist, params):
            layout.count += int(chunk.sum(dtype=np.int64))
            layout.widest = max(layout.widest, int(chunk.max(initial=0)))
            low = int(chunk.min())  # chunks are never empty
            lowest = low if lowest is None else min(lowest, low)
        layout.lowest = lowest or 0
        return layout

    @property
    def offsets(self) -> np.ndarray:
        if self._offsets is None:
            assert self._draw is not None
            self._offsets = _offsets_of(per_parent_counts(*self._draw))
        return self._offsets

    def parent_of(self, idx: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.offsets, idx, side="right").astype(np.int64) - 1

    def index_in_parent(self, idx: np.ndarray) -> np.ndarray:
        return idx - self.offsets[self.parent_of(idx)].astype(np.int64)


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
