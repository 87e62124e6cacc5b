"""The generator-kind registry: GeneratorSpec (params resolved) -> runtime Generator, kind facts.

Public API (the compiler and bind call these; nothing here reads a database column):
  build_generator(spec, *, seed, locale, table, column, path="", key_params=None) -> Generator
  finite_values(spec) -> list | None       the finite values a generator draws from
  unique_capable(kind) -> bool             whether `unique: true` can be honoured by the kind
  resolve_column_defaults(spec, column) -> GeneratorSpec   decimal scale / text length in params
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.errors import SeedspecError
from seedspec.generate import values as v
from seedspec.generate.base import Generator
from seedspec.kinds.column import ColumnShape, resolve_column_defaults
from seedspec.kinds.spec import GeneratorSpec

__all__ = [
    "ColumnShape",
    "GeneratorSpec",
    "build_generator",
    "finite_values",
    "resolve_column_defaults",
    "unique_capable",
]

_UNIQUE_CAPABLE = frozenset(
    ("int", "decimal", "choice", "date", "datetime", "time", "gen", "sequence", "uuid")
    + ("template", "cidr", "bytes")
)
_SIMPLE: dict[str, type[Generator]] = {
    "sequence": v.Sequence,
    "int": v.Integer,
    "float": v.Float,
    "decimal": v.DecimalNumber,
    "choice": v.Choice,
    "bool": v.Boolean,
    "const": v.Const,
    "uuid": v.Uuid,
    "bytes": v.Bytes,
    "bits": v.BitString,
    "cidr": v.Cidr,
    "interval": v.Interval,
    "range": v.RangeValue,
    "partition": v.PartitionValues,
}


def build_generator(
    spec: GeneratorSpec,
    *,
    seed: int,
    locale: str,
    table: str,
    column: str,
    path: str = "",
    key_params: Mapping[str, Any] | None = None,
) -> Generator:
    """A runtime Generator for a value kind (null modifier applied).

    `spec.params` must already hold the database-derived defaults (decimal `scale`, gen
    `max_length`); `key_params` are the params the stream key hashes — the spec's params
    before those were resolved in (default: `spec.params`), so values stay byte-identical.
    """
    key_source = spec.params if key_params is None else key_params
    key = v.key_for(seed, table, column + path, {"kind": spec.kind, **key_source})
    gen = _build(spec, key, seed=seed, locale=locale, table=table, column=column, path=path)
    if spec.null:
        gen = v.Nullable(gen, spec.null, key)
    return gen


def finite_values(spec: GeneratorSpec) -> list[Any] | None:
    """The finite values a generator draws from (choice, bool), or None when unbounded."""
    if spec.null:
        return None
    if spec.kind == "choice":
        return list(spec.params.get("values") or [])
    if spec.kind == "bool":
        return [False, True]
    return None


def unique_capable(kind: str) -> bool:
    """Whether a kind can produce distinct values on demand (`unique: true`)."""
    return kind in _UNIQUE_CAPABLE


def _build(
    spec: GeneratorSpec, key: int, *, seed: int, locale: str, table: str, column: str, path: str
) -> Generator:
    kind = spec.kind
    # Absent optional parameters arrive as None; laws fall back to their own defaults.
    params = {k: p for k, p in spec.params.items() if p is not None or kind == "const"}
    if kind in _SIMPLE:
        if kind in ("int", "float", "decimal"):
            _default_bounds(params)
        return _SIMPLE[kind](key, params, spec.unique)
    if kind in ("date", "datetime", "time"):
        return v.Instant(kind, key, params, spec.unique)
    if kind == "gen":
        max_length = params.pop("max_length", None)
        return v.Provider(key, params, spec.unique, locale=locale, seed=seed, max_length=max_length)
    if kind == "template":
        return v.Template(key, params, table, spec.unique)
    if kind == "offset":
        return v.Offset(key, params, table, spec.unique)

    def sub(inner: GeneratorSpec, sub_path: str) -> Generator:
        return build_generator(
            inner, seed=seed, locale=locale, table=table, column=column, path=sub_path
        )

    if kind == "json":
        fields = params.get("fields", {})
        return v.JsonObject(
            key,
            {
                name: sub(s, f"{path}.{name}")
                for name, s in fields.items()
                if isinstance(s, GeneratorSpec)
            },
        )
    if kind == "array":
        item = sub(params["of"], f"{path}[]")
        return v.ArrayOf(key, item, params.get("length", {"min": 0, "max": 3}))
    raise SeedspecError(f"{table}.{column}: generator {kind!r} cannot be used here")


def _default_bounds(params: dict[str, Any]) -> None:
    if params.get("min") is None:
        params["min"] = 0 if params.get("max") is None or float(params["max"]) >= 0 else -1000
    if params.get("max") is None:
        params["max"] = max(float(params["min"]) * 10, float(params["min"]) + 1000)
        if isinstance(params["min"], int):
            params["max"] = int(params["max"])
