"""The distribution laws' names and the span a discrete law's table covers (no numpy: the spec
checks read them at validate time, generate/distributions.py samples them)."""

from __future__ import annotations

CONTINUOUS = ("uniform", "normal", "lognormal", "exponential")
DISCRETE = ("geometric", "poisson", "zipf")
ALL = CONTINUOUS + DISCRETE
TABLE_LIMIT = 2_000_000  # largest [min, max] span tabulated for discrete laws
