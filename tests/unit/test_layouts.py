"""generate/layouts.py: a drawn per-parent layout -> the same totals, first rows, parents and
indices in parent as one made from its counts written out, with no per-parent array held (plan
memory); past BLOCK parents, the blocks are rotations of the first (plan time)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from seedspec.generate.layouts import BLOCK, PerParentLayout, per_parent_counts

LAWS = [
    ("uniform", {"min": 1, "max": 8}),
    ("poisson", {"min": 0, "max": 20, "mean": 4.2}),
    ("zipf", {"min": 1, "max": 50, "s": 1.5}),
    ("uniform", {"min": 3, "max": 3}),
    ("uniform", {"min": 0, "max": 0}),
]


def _written_out(layout: PerParentLayout, key: int, dist: str, params: dict) -> np.ndarray:
    """Every parent's count: its own draw up to BLOCK parents, else block b = the first
    BLOCK draws rotated by the block's keyed turn (block 0 not rotated)."""
    n = layout.n_parents
    if n <= BLOCK:
        return per_parent_counts(key, n, dist, params)
    base = per_parent_counts(key, BLOCK, dist, params)
    turns = layout._rotation(np.arange(-(-n // BLOCK), dtype=np.int64))
    assert turns[0] == 0 and len(set(turns[1:].tolist())) == len(turns) - 1  # keyed, distinct
    return np.concatenate([np.roll(base, -int(t)) for t in turns])[:n]


@pytest.mark.parametrize(
    ("dist", "params"), LAWS, ids=[f"{d}-{i}" for i, (d, _) in enumerate(LAWS)]
)
@pytest.mark.parametrize("n_parents", [0, 1000, BLOCK + 7, 2 * BLOCK + 12345])
def test_drawn_layout_equals_the_counted_one(dist: str, params: dict, n_parents: int) -> None:
    lazy = PerParentLayout.drawn("p", 99, n_parents, dist, params)
    assert lazy._offsets is None  # totals only: nothing per parent is held yet
    counts = _written_out(lazy, 99, dist, params)
    eager = PerParentLayout("p", counts)
    assert (lazy.count, lazy.widest, lazy.lowest) == (eager.count, eager.widest, eager.lowest)
    parents = np.arange(n_parents + 1, dtype=np.int64)
    assert np.array_equal(lazy.starts(parents), eager.offsets)
    rows = np.arange(eager.count, dtype=np.int64)
    assert np.array_equal(lazy.parent_of(rows), eager.parent_of(rows))
    assert np.array_equal(lazy.index_in_parent(rows), eager.index_in_parent(rows))
    if n_parents <= BLOCK:  # unchanged: each parent its own draw, offsets as one array
        assert np.array_equal(lazy.offsets, eager.offsets)


def test_a_trillion_parents_lay_out_in_milliseconds() -> None:
    """10^12 parents: the total and any row's parent from BLOCK-sized arrays (was ~4.5 hours)."""
    started = time.perf_counter()
    layout = PerParentLayout.drawn("p", 5, 10**12, "uniform", {"min": 0, "max": 2})
    rows = np.array([0, layout.count // 2, layout.count - 1], dtype=np.int64)
    parents = layout.parent_of(rows)
    assert time.perf_counter() - started < 2
    assert abs(layout.count - 10**12) < 10**10  # mean 1 child per parent
    assert parents[0] == 0 and parents[-1] == 10**12 - 1 and 0 < parents[1] < 10**12
    starts = layout.starts(parents)
    assert (starts <= rows).all() and (rows < layout.starts(parents + 1)).all()
    assert layout._doubled is not None and layout._doubled.nbytes <= 17 * BLOCK
