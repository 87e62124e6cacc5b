"""CHECK facts -> how an inferred generator is shaped to them (used by analysis.infer).

Free text: its case, trimming and excluded words (internal `gen` params); durations: a
CHECK's range in seconds (internal `interval` params); numbers: the widest
gap between excluded values (`x <> 0`, `x NOT IN (1, 2, 3)`); arrays: element counts
(`cardinality(a) <= 3`); JSON: the document's type and the types of named keys
(`jsonb_typeof(doc -> 'tags') = 'array'`).
"""

from __future__ import annotations

import math
from typing import Any

from seedspec.database.checks import ColumnFacts
from seedspec.kinds import choice, numbers, structured, text
from seedspec.kinds.spec import GeneratorSpec

ARRAY_MAX = 3  # elements of an inferred array when no CHECK bounds them


def text_limits(facts: ColumnFacts) -> dict[str, Any]:
    """The `gen` params that make words pass case, trim and `<>` CHECKs."""
    out: dict[str, Any] = {}
    if facts.case in ("lower", "upper"):
        out["case"] = facts.case
    if facts.trimmed:
        out["trim"] = True
    words = [v for v in facts.excluded if isinstance(v, str)]
    if words:
        out["exclude"] = words
    return out


def interval_limits(facts: ColumnFacts) -> dict[str, Any]:
    """The `interval` params (whole seconds, inclusive) inside a CHECK's range of durations."""
    out: dict[str, Any] = {}
    if facts.lower is not None:
        low = facts.lower
        out["min"] = math.ceil(low) if facts.lower_inclusive else math.floor(low) + 1
    if facts.upper is not None:
        high = facts.upper
        out["max"] = math.floor(high) if facts.upper_inclusive else math.ceil(high) - 1
    return out


def avoiding(lo: float, hi: float, excluded: tuple[Any, ...], step: float) -> tuple[float, float]:
    """The widest part of [lo, hi] that holds none of the excluded numbers (values `step`
    apart); [lo, hi] itself when none falls inside, or when every point is excluded."""
    points = sorted(
        float(v)
        for v in excluded
        if isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi
    )
    if not points:
        return lo, hi
    edges = [lo - step, *points, hi + step]
    best: tuple[float, float] | None = None
    for a, b in zip(edges, edges[1:], strict=False):
        gap = (a + step, b - step)
        if gap[0] <= gap[1] and (best is None or gap[1] - gap[0] > best[1] - best[0]):
            best = gap
    return best if best is not None else (lo, hi)


def array_length(facts: ColumnFacts) -> dict[str, int]:
    """{min, max} elements: the CHECK's bounds, else 0..3."""
    low = facts.min_length or 0
    high = facts.max_length if facts.max_length is not None else max(ARRAY_MAX, low)
    return {"min": low, "max": max(low, high)}


def json_shaped(facts: ColumnFacts, fields: dict[str, GeneratorSpec]) -> GeneratorSpec:
    """A JSON document of the CHECK's type: an object of `fields` (plus each typed key), or an
    array of words."""
    types = dict(facts.json_types)
    word = text.provider_spec("text.word")
    if types.get("") == "array":
        return structured.array_spec(word, {"min": 0, "max": ARRAY_MAX})
    made = dict(fields)
    for key, kind in types.items():
        if key:
            made[key] = _typed(kind, word)
    return structured.json_spec(made)


def _typed(kind: str, word: GeneratorSpec) -> GeneratorSpec:
    if kind == "array":
        return structured.array_spec(word, {"min": 0, "max": ARRAY_MAX})
    if kind == "object":
        return structured.json_spec({"tag": word})
    if kind == "number":
        return numbers.int_spec(1, 1000, {"dist": "uniform"})
    if kind == "boolean":
        return choice.bool_spec(0.5)
    return word
