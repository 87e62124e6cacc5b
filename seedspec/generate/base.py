"""The generator protocol: a column generator maps row indices (int64 array) to a value array.

`ValueSource` is what a generator needs from the generation model (other columns' values,
parent picks), so generators never import `seedspec.generate.model`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


class ValueSource(Protocol):
    """Where a generator reads other columns' values (the generation Model)."""

    def values(self, table: str, column: str, idx: np.ndarray) -> np.ndarray: ...

    def pick(self, fk_id: str, picker: Any, idx: np.ndarray) -> np.ndarray: ...


class ColumnGenerator(Protocol):
    """Values for rows `idx` of one column; pure in (seed, table, column, idx, params)."""

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray: ...

    def describe(self) -> dict[str, Any]: ...


class Generator:
    """Base: a keyed generator of one column's values."""

    kind = "?"

    def __init__(self, key: int, params: dict[str, Any], unique: bool = False) -> None:
        self.key = key
        self.params = params
        self.unique = unique

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        out = {"kind": self.kind, **{k: v for k, v in self.params.items() if v is not None}}
        if self.unique:
            out["unique"] = True
        return jsonable(out)

    def distinct_limit(self) -> int | None:
        """How many distinct values this generator can produce (None = effectively unbounded)."""
        return None

    def depends_on(self) -> list[tuple[str | None, str]]:
        """Columns this generator reads: (table, column); table None = the same table."""
        return []


def jsonable(value: Any) -> Any:
    """Plain JSON data for a params value (nested generators become their descriptions)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Generator):
        return value.describe()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def objects(values: list[Any] | np.ndarray) -> np.ndarray:
    """An object array holding exactly these Python values (no numpy coercion)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values) if not isinstance(values, list) else values
    return out


def to_python(values: np.ndarray) -> list[Any]:
    """Array -> Python values the drivers understand (datetime64 -> datetime/date, ints ...)."""
    if values.dtype.kind == "M":
        if values.dtype == np.dtype("datetime64[D]"):
            return values.tolist()
        return values.astype("datetime64[us]").tolist()
    return values.tolist()
