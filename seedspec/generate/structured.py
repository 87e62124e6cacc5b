"""Nested generators (json objects, arrays): inner Generators + stream key -> object arrays."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, objects, to_python
from seedspec.generate.base import ValueSource as Model
from seedspec.generate.random import integers

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")


class JsonObject(Generator):
    """A JSON object whose fields are nested generators, serialised per row."""

    kind = "json"

    def __init__(self, key: int, fields: dict[str, Generator]) -> None:
        super().__init__(key, {"fields": fields})
        self.fields = fields

    def depends_on(self) -> list[tuple[str | None, str]]:
        return [d for gen in self.fields.values() for d in gen.depends_on()]

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        cols = {name: _embedded(gen, model, idx) for name, gen in self.fields.items()}
        names = list(cols)
        rows = zip(*cols.values(), strict=True) if cols else ([] for _ in range(len(idx)))
        return objects(
            [json.dumps(dict(zip(names, row, strict=True)), default=str) for row in rows]
        )


def _embedded(gen: Generator, model: Model, idx: np.ndarray) -> list[Any]:
    """A field's values; a nested object's JSON text read back, so it nests as an object."""
    values = to_python(gen.values(model, idx))
    if isinstance(gen, JsonObject):
        return [json.loads(v) if isinstance(v, str) else v for v in values]
    return values


class ArrayOf(Generator):
    """A list per row: `of` values, `length` fixed or {min, max}."""

    kind = "array"

    def __init__(self, key: int, item: Generator, length: Any, as_json: bool = False) -> None:
        super().__init__(key, {"of": item, "length": length})
        self.item = item
        self.length = length
        self.as_json = as_json  # each list as JSON text (a JSON column's array document)

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        if isinstance(self.length, dict):
            lens = integers(self.key, idx, int(self.length.get("min", 0)), int(self.length["max"]))
        else:
            lens = np.full(len(idx), int(self.length), dtype=np.int64)
        width = int(lens.max()) if len(lens) else 0
        sub = idx.astype(np.int64)[:, None] * 64 + np.arange(width, dtype=np.int64)[None, :]
        flat = to_python(self.item.values(model, sub.ravel()))
        lists = [flat[i * width : i * width + n] for i, n in enumerate(lens.tolist())]
        if self.as_json:
            return objects([json.dumps(v, default=str) for v in lists])
        return objects(lists)
