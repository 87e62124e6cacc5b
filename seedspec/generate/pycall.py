"""The `python:` runtime: a plug-in callable + (row indices, stream seed, args) -> a value array.

The contract (docs/SPEC-LANGUAGE.md, "python: generators"): `fn(rows, seed, args)` gets the
rows' 0-based indices (int64 array, n = len(rows)), the column's stream seed (a 64-bit int
derived from the spec's seed, table, column and params) and the spec's `args` mapping, and
returns n values (a list, tuple or numpy array); a value may depend only on (seed, row, args),
so any chunk made alone gives the same values. What comes back is checked here: a wrong
length, a non-sequence or a value of no SQL type is an error naming the generator.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from seedspec.deferred import deferred
from seedspec.errors import SeedspecError
from seedspec.generate.base import Generator, ValueSource, objects, to_python

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

PyGen: TypeAlias = "Callable[[np.ndarray, int, Mapping[str, Any]], Any]"
# the Python values a database driver takes for one column value
SCALARS = (str, int, float, bool, bytes, Decimal, dt.date, dt.time, uuid.UUID, dict, list)


class PythonCall(Generator):
    """Values from a registered `seedspec.generators` callable (found by kinds/python.py)."""

    kind = "python"

    def __init__(self, key: int, params: dict[str, Any], fn: PyGen, unique: bool = False) -> None:
        super().__init__(key, params, unique)
        self.fn = fn

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        return call_checked(self.fn, str(self.params.get("name")), idx, self.key, self.args)

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.params.get("args") or {})


def call_checked(
    fn: PyGen, name: str, rows: np.ndarray, seed: int, args: Mapping[str, Any]
) -> np.ndarray:
    """fn's values for `rows`, as an object array; a broken contract is a SeedspecError."""
    rows = np.asarray(rows, dtype=np.int64)
    try:
        got = fn(rows.copy(), int(seed), dict(args))
    except Exception as err:  # the plug-in's own failure, named with it (never a traceback)
        raise SeedspecError(
            f"python generator {name!r} failed: {type(err).__name__}: {err}"
        ) from None
    if isinstance(got, np.ndarray):
        got = list(got) if got.dtype == object else to_python(got)
    if not isinstance(got, (list, tuple)):
        raise SeedspecError(
            f"python generator {name!r} returned {type(got).__name__}; it must return a list, "
            f"tuple or numpy array of {len(rows)} values"
        )
    if len(got) != len(rows):
        raise SeedspecError(
            f"python generator {name!r} returned {len(got)} values for {len(rows)} rows"
        )
    bad = next((v for v in got if v is not None and not isinstance(v, SCALARS)), None)
    if bad is not None:
        raise SeedspecError(
            f"python generator {name!r} returned a {type(bad).__name__} ({bad!r:.40}); values "
            "must be str, int, float, bool, bytes, Decimal, date/datetime/time, UUID, "
            "dict/list (JSON) or None"
        )
    return objects(list(got))


class Unavailable(Generator):
    """A generator whose values could not be known when the plan was made (an `existing:`
    column compiled offline): the plan checks and prints; generating a row is an error."""

    kind = "unavailable"

    def __init__(self, key: int, params: dict[str, Any], why: str) -> None:
        super().__init__(key, params)
        self.why = why

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        raise SeedspecError(self.why)
