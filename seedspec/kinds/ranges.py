"""The range kinds (range literals, partition keys): YAML entry <-> params <-> Generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.kinds.base import (
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
    plain,
)
from seedspec.kinds.spec import GeneratorSpec


@dataclass(frozen=True)
class RangeParams:
    of: str = "int"  # int | float | date | timestamp
    multi: bool = False  # a multirange literal {[..), ..}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> RangeParams:
        return cls(params.get("of", "int"), bool(params.get("multi")))


class RangeKind(Kind):
    name = "range"
    runtime = "seedspec.generate.special:RangeValue"
    params_type = RangeParams
    examples = (
        {"range": {}},
        {"range": {"of": "date"}},
        {"range": {"of": "float", "multi": True}},
    )
    value_class = "str"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        params: Params = {"of": entry["range"].get("of", "int")}
        if entry["range"].get("multi"):  # only when set: plain ranges keep their stream key
            params["multi"] = True
        return params

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = RangeParams.from_params(params)
        body: Entry = {} if typed.of == "int" else {"of": typed.of}
        if typed.multi:
            body["multi"] = True
        return {"range": body}


@dataclass(frozen=True)
class PartitionParams:
    # each partition's slot of this key column (generate/routing.py), rows taking them in turn
    parts: tuple[Mapping[str, Any], ...]
    of: str = "int"  # int | decimal | float | date | datetime | text | value

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PartitionParams:
        of = params.get("of", "int")
        if params.get("parts") is not None:
            return cls(tuple(params["parts"]), of)
        # the spec's own form: [lower, upper) of each range partition, in the column's values
        parts = tuple(
            {"from": _tick(r[0], of), "to": _tick(r[1], of)} for r in params.get("ranges") or ()
        )
        return cls(parts, of)


def _tick(value: Any, of: str) -> Any:
    from seedspec.generate.routing import to_ticks  # numpy: imported when asked (start-up)

    return value if value is None or of == "text" else to_ticks(value, of)


_EXTRA = ("scale", "length", "bits")  # what a key column's type adds to its partition values


class PartitionKind(Kind):
    name = "partition"
    runtime = "seedspec.generate.routing:RoutedValues"  # the spec's `ranges` become `parts` there
    params_type = PartitionParams
    unique_capable = True  # a partition's range slots number its rows (generate/routing.py)
    examples = ({"partition": {"ranges": [[0, 10], [10, 20]]}},)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["partition"]
        if value.get("parts") is not None:  # what `init` writes: each partition's slot
            params: Params = {"parts": [dict(p) for p in value["parts"]]}
            params["of"] = value.get("of", "int")
            params.update({k: value[k] for k in _EXTRA if value.get(k) is not None})
            return params
        return {"ranges": [list(r) for r in value["ranges"]], "of": value.get("of", "int")}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = PartitionParams.from_params(params)
        body: Entry = (
            {"ranges": [plain(list(r)) for r in params["ranges"]]}
            if params.get("ranges") is not None
            else {"parts": [plain(dict(p)) for p in typed.parts]}
        )
        if typed.of != "int":
            body["of"] = typed.of
        body.update({k: params[k] for k in _EXTRA if params.get(k) is not None})
        return {"partition": body}


def range_spec(of: str, multi: bool = False) -> GeneratorSpec:
    """`range` literals of int, float, date or timestamp bounds (a multirange when `multi`)."""
    return GeneratorSpec("range", {"of": of, "multi": True} if multi else {"of": of})
