"""generate/layouts.py: a drawn per-parent layout -> the same totals and offsets as one made
from its counts, with no per-parent array until the offsets are read (plan memory)."""

from __future__ import annotations

import numpy as np
import pytest

from seedspec.generate.layouts import PerParentLayout, per_parent_counts

LAWS = [
    ("uniform", {"min": 1, "max": 8}),
    ("poisson", {"min": 0, "max": 20, "mean": 4.2}),
    ("zipf", {"min": 1, "max": 50, "s": 1.5}),
    ("uniform", {"min": 3, "max": 3}),
]


@pytest.mark.parametrize(
    ("dist", "params"), LAWS, ids=[f"{d}-{i}" for i, (d, _) in enumerate(LAWS)]
)
@pytest.mark.parametrize("n_parents", [0, 1, 1000, (1 << 20) + 7])
def test_drawn_layout_equals_the_counted_one(dist: str, params: dict, n_parents: int) -> None:
    counts = per_parent_counts(99, n_parents, dist, params)
    eager = PerParentLayout("p", counts)
    lazy = PerParentLayout.drawn("p", 99, n_parents, dist, params)
    assert lazy._offsets is None  # totals only: nothing per parent is held yet
    assert (lazy.count, lazy.widest, lazy.lowest) == (eager.count, eager.widest, eager.lowest)
    assert np.array_equal(lazy.offsets, eager.offsets)
    if n_parents:
        assert lazy.lowest == int(counts.min()) and lazy.widest == int(counts.max())
