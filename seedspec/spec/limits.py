"""The documented limits of a spec's numbers (counts, scale, depths, lengths, integers).

The JSON Schema (schemas/seedspec-1.schema.json) states the same numbers as `maximum` /
`minimum`, so `validate` reports a breach at its file:line:col; tests/unit/test_limits.py holds
the two equal. Scaled counts are checked against MAX_COUNT when counts are decided (compile).
"""

from __future__ import annotations

MAX_COUNT = 10**12  # rows of one table, after --scale
MAX_SCALE = 10**6  # `scale:`, a profile's scale and --scale
MAX_PER_PARENT = 10**6  # `count: {per: ..., min, max}`
MAX_TREE_DEPTH = 1000  # `tree: {max_depth}`
MAX_ARRAY_LENGTH = 10**4  # `array: {length}` items per value
INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # `int: {min, max}` and `seed`: a 64-bit column's

SCHEMA_MAXIMA: dict[str, int] = {
    "count": MAX_COUNT,
    "scale": MAX_SCALE,
    "per_parent": MAX_PER_PARENT,
    "max_depth": MAX_TREE_DEPTH,
    "array_length": MAX_ARRAY_LENGTH,
}
