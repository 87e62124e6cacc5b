"""The column facts a kind may read (a Protocol, so kinds never import seedspec.database)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from seedspec.kinds.spec import GeneratorSpec


class ColumnShape(Protocol):
    """What kinds read of a database column; `seedspec.database.model.DbColumn` satisfies it."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def length(self) -> int | None: ...

    @property
    def precision(self) -> int | None: ...

    @property
    def scale(self) -> int | None: ...


def resolve_column_defaults(spec: GeneratorSpec, column: ColumnShape | None) -> GeneratorSpec:
    """The spec with the column-derived defaults in its params: decimal scale, text max length.

    Build the generator from the result, hashing the original `spec.params` for its stream key.
    """
    if column is None:
        return spec
    params: dict[str, Any] = dict(spec.params)
    if spec.kind == "decimal":
        if params.get("scale") is None:
            params["scale"] = column.scale if column.scale is not None else 2
    elif spec.kind == "gen":
        if column.length and column.type in ("char", "varchar"):
            current = params.get("max_length")
            params["max_length"] = min(current or column.length, column.length)
    else:
        return spec
    return replace(spec, params=params)
