"""The generation model: every table's row count and column generators, evaluated on demand.

`Model.values(table, column, idx)` is the single way values are produced, so a child can
compute its parent's key (or any parent column) for any row without a database round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from seedspec.deferred import deferred
from seedspec.errors import SeedspecError
from seedspec.generate.base import Generator
from seedspec.generate.links import PerParentLayout, Picker

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


@dataclass
class TableModel:
    name: str
    count: int
    generators: dict[str, Generator]  # every column seedspec produces, in insert order
    layout: PerParentLayout | None = None
    key_columns: tuple[str, ...] = ()  # identifies a row for deferred UPDATEs


@dataclass
class Model:
    seed: int
    tables: dict[str, TableModel]
    _active: list[tuple[str, str]] = field(default_factory=list)

    def values(self, table: str, column: str, idx: np.ndarray) -> np.ndarray:
        tm = self.tables.get(table)
        if tm is None or column not in tm.generators:
            raise SeedspecError(f"no generator for {table}.{column}")
        frame = (table, column)
        if frame in self._active:
            chain = " -> ".join(f"{t}.{c}" for t, c in [*self._active, frame])
            raise SeedspecError(f"column generators depend on each other in a cycle: {chain}")
        self._active.append(frame)
        try:
            return tm.generators[column].values(self, idx)
        finally:
            self._active.pop()

    def pick(self, fk_id: str, picker: Picker, idx: np.ndarray) -> np.ndarray:
        return picker.pick(self, idx)

    def arrays(self, table: str, columns: list[str], start: int, stop: int) -> list[np.ndarray]:
        """Column-major arrays (numpy dtypes kept) for rows [start, stop)."""
        idx = np.arange(start, stop, dtype=np.int64)
        return [self.values(table, name, idx) for name in columns]

    def rows(self, table: str, columns: list[str], start: int, stop: int) -> list[list[object]]:
        """Column-major Python values for rows [start, stop)."""
        from seedspec.generate.base import to_python

        idx = np.arange(start, stop, dtype=np.int64)
        return [to_python(self.values(table, name, idx)) for name in columns]
