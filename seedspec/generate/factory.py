"""GeneratorSpec (value kinds) -> Generator objects; links (ref, lookup ...) come from compile."""

from __future__ import annotations

from typing import Any

from seedspec.database.model import DbColumn
from seedspec.errors import SeedspecError
from seedspec.generate import values as v
from seedspec.spec.model import GeneratorSpec

_SIMPLE: dict[str, type[v.Generator]] = {
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
LINK_KINDS = ("ref", "lookup", "index_in_parent")


def build_value_generator(
    spec: GeneratorSpec,
    *,
    seed: int,
    locale: str,
    table: str,
    column: str,
    db_column: DbColumn | None,
    path: str = "",
) -> v.Generator:
    """A Generator for a value kind (not ref/lookup/index_in_parent), null modifier applied."""
    key = v.key_for(seed, table, column + path, {"kind": spec.kind, **spec.params})
    gen = _build(
        spec,
        key,
        seed=seed,
        locale=locale,
        table=table,
        column=column,
        db_column=db_column,
        path=path,
    )
    if spec.null:
        gen = v.Nullable(gen, spec.null, key)
    return gen


def _build(
    spec: GeneratorSpec,
    key: int,
    *,
    seed: int,
    locale: str,
    table: str,
    column: str,
    db_column: DbColumn | None,
    path: str,
) -> v.Generator:
    kind = spec.kind
    # Absent optional parameters arrive as None; laws fall back to their own defaults.
    params = {k: p for k, p in spec.params.items() if p is not None or kind == "const"}
    if kind in _SIMPLE:
        if kind == "decimal" and db_column is not None:
            params.setdefault("scale", db_column.scale)
            if params.get("scale") is None:
                params["scale"] = db_column.scale if db_column.scale is not None else 2
        if kind in ("int", "float", "decimal"):
            _default_bounds(params, db_column)
        return _SIMPLE[kind](key, params, spec.unique)
    if kind in ("date", "datetime", "time"):
        return v.Instant(kind, key, params, spec.unique)
    if kind == "gen":
        max_length = params.pop("max_length", None)
        if db_column is not None and db_column.length and db_column.type in ("char", "varchar"):
            max_length = min(max_length or db_column.length, db_column.length)
        return v.Provider(key, params, spec.unique, locale=locale, seed=seed, max_length=max_length)
    if kind == "template":
        return v.Template(key, params, table, spec.unique)
    if kind == "offset":
        return v.Offset(key, params, table, spec.unique)
    if kind == "json":
        fields = {
            name: build_value_generator(
                sub,
                seed=seed,
                locale=locale,
                table=table,
                column=column,
                db_column=None,
                path=f"{path}.{name}",
            )
            for name, sub in _field_specs(params).items()
        }
        return v.JsonObject(key, fields)
    if kind == "array":
        item = build_value_generator(
            params["of"],
            seed=seed,
            locale=locale,
            table=table,
            column=column,
            db_column=None,
            path=f"{path}[]",
        )
        return v.ArrayOf(key, item, params.get("length", {"min": 0, "max": 3}))
    raise SeedspecError(f"{table}.{column}: generator {kind!r} cannot be used here")


def _field_specs(params: dict[str, Any]) -> dict[str, GeneratorSpec]:
    fields = params.get("fields", {})
    return {k: s for k, s in fields.items() if isinstance(s, GeneratorSpec)}


def _default_bounds(params: dict[str, Any], db_column: DbColumn | None) -> None:
    if params.get("min") is None:
        params["min"] = 0 if params.get("max") is None or float(params["max"]) >= 0 else -1000
    if params.get("max") is None:
        params["max"] = max(float(params["min"]) * 10, float(params["min"]) + 1000)
        if isinstance(params["min"], int):
            params["max"] = int(params["max"])
