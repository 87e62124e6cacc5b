"""The generator protocol: a column generator maps row indices (int64 array) to a value array."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from seedspec.generate.model import Model


class ColumnGenerator(Protocol):
    """Values for rows `idx` of one column; pure in (seed, table, column, idx, params)."""

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray: ...

    def describe(self) -> dict[str, Any]: ...


def objects(values: list[Any] | np.ndarray) -> np.ndarray:
    """An object array holding exactly these Python values (no numpy coercion)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values) if not isinstance(values, list) else values
    return out
