"""Value generators (numbers, choice, bool, const, NULL): GeneratorSpec params + key -> arrays.

The other value generators live beside it (instants, text, structured, special); their
names are re-exported here for older imports.
"""

from __future__ import annotations

import functools
import json
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate import distributions as dists
from seedspec.generate.base import Generator, jsonable, objects, to_python
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.instants import Instant
from seedspec.generate.random import permute, stream_key, uniform
from seedspec.generate.special import (
    BitString,
    Bytes,
    Cidr,
    Interval,
    Offset,
    RangeValue,
)
from seedspec.generate.structured import ArrayOf, JsonObject
from seedspec.generate.text import SHORT_UNIQUE, Provider, Template, Uuid, short_codes, uniquify

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

__all__ = [
    "ArrayOf",
    "BitString",
    "Boolean",
    "Bytes",
    "Choice",
    "Cidr",
    "Const",
    "DecimalNumber",
    "Float",
    "Generator",
    "Instant",
    "Integer",
    "Interval",
    "JsonObject",
    "NullValue",
    "Nullable",
    "Offset",
    "Provider",
    "RangeValue",
    "SHORT_UNIQUE",
    "Sequence",
    "Template",
    "Uuid",
    "key_for",
    "objects",
    "short_codes",
    "to_python",
    "uniquify",
]


class Sequence(Generator):
    kind = "sequence"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        start, step = int(self.params.get("start", 1)), int(self.params.get("step", 1))
        return idx.astype(np.int64) * step + start


class Integer(Generator):
    kind = "int"

    def bounds(self) -> tuple[int, int]:
        return int(self.params["min"]), int(self.params["max"])

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        lo, hi = self.bounds()
        if self.unique:
            return permute(self.key, idx, hi - lo + 1) + np.int64(lo)
        dist = self.params.get("dist") or "uniform"
        return dists.integers(dist, self.params, uniform(self.key, idx), lo, hi)

    def distinct_limit(self) -> int | None:
        lo, hi = self.bounds()
        return hi - lo + 1


class Float(Generator):
    kind = "float"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        lo, hi = float(self.params["min"]), float(self.params["max"])
        dist = self.params.get("dist") or "uniform"
        if dist in dists.DISCRETE:
            return dists.integers(dist, self.params, uniform(self.key, idx), int(lo), int(hi)) * 1.0
        out = dists.continuous(dist, self.params, uniform(self.key, idx), lo, hi)
        digits = self.params.get("round")
        return np.round(out, int(digits)) if digits is not None else out


class DecimalNumber(Generator):
    """numeric(p, s): a float law rounded to `scale` digits, as Decimal values."""

    kind = "decimal"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        scale = int(self.params.get("scale") or 0)
        lo, hi = float(self.params["min"]), float(self.params["max"])
        dist = self.params.get("dist") or "uniform"
        if self.unique:
            step = 10.0**-scale
            n = int(round((hi - lo) / step)) + 1
            raw = lo + permute(self.key, idx, n) * step
        elif dist in dists.DISCRETE and math.ceil(lo) <= math.floor(hi):
            # a count law (quantity names): whole numbers, as Float does
            u = uniform(self.key, idx)
            raw = dists.integers(dist, self.params, u, math.ceil(lo), math.floor(hi)) * 1.0
        else:
            raw = dists.continuous(dist, self.params, uniform(self.key, idx), lo, hi)
        fmt = f"{{:.{scale}f}}"
        return objects([Decimal(fmt.format(v)) for v in np.clip(raw, lo, hi).tolist()])

    def distinct_limit(self) -> int | None:
        scale = int(self.params.get("scale") or 0)
        span = float(self.params["max"]) - float(self.params["min"])
        return int(span * 10**scale) + 1


class Choice(Generator):
    kind = "choice"

    # options and cdf are made on first use: compiling a plan builds every generator, and an
    # offline `check` should not import numpy for it
    @functools.cached_property
    def options(self) -> np.ndarray:
        return objects(list(self.params["values"]))

    @functools.cached_property
    def cdf(self) -> np.ndarray:
        weights = self.params.get("weights")
        n = len(self.params["values"])
        w = np.asarray(weights if weights else [1.0] * n, dtype=np.float64)
        return np.cumsum(w) / w.sum()

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        if self.unique:
            return self.options[permute(self.key, idx, len(self.options))]
        pos = np.searchsorted(self.cdf, uniform(self.key, idx), side="right")
        return self.options[np.minimum(pos, len(self.options) - 1)]

    def distinct_limit(self) -> int | None:
        return len(self.params["values"])


class Boolean(Generator):
    kind = "bool"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return uniform(self.key, idx) < float(self.params.get("p", 0.5))

    def distinct_limit(self) -> int | None:
        return 2


class Const(Generator):
    kind = "const"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return objects([self.params.get("value")] * len(idx))

    def distinct_limit(self) -> int | None:
        return 1


class Nullable(Generator):
    """Wraps a generator: a share `rate` of rows become NULL (None)."""

    def __init__(self, inner: Generator, rate: float, key: int) -> None:
        super().__init__(key, {})
        self.inner, self.rate = inner, rate
        self.kind = inner.kind

    def depends_on(self) -> list[tuple[str | None, str]]:
        return self.inner.depends_on()

    def distinct_limit(self) -> int | None:
        return self.inner.distinct_limit()

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        mask = uniform(self.key, idx, 7) < self.rate
        out = objects(to_python(self.inner.values(model, idx)))
        out[mask] = None
        return out

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "null": self.rate}


class NullValue(Generator):
    kind = "null"

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return objects([None] * len(idx))


class ExistingValue(Generator):
    """A column of rows already in the database: row i is the i-th value read (FK parents of
    a table seedspec leaves alone)."""

    kind = "existing"

    def __init__(self, values: list[Any]) -> None:
        super().__init__(0, {})
        ints = bool(values) and all(type(v) is int and -(2**63) <= v < 2**63 for v in values)
        self.array = np.array(values, dtype=np.int64) if ints else objects(values)

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return self.array[idx]

    def distinct_limit(self) -> int | None:
        return len(self.array)


def key_for(seed: int, table: str, column: str, params: Any) -> int:
    """The stream key of one column: (seed, table, column, its generator)."""
    return stream_key(seed, table, column, json.dumps(jsonable(params), sort_keys=True))
