"""The range kinds (range literals, partition keys): YAML entry <-> params <-> Generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.generate.special import PartitionValues, RangeValue
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
    runtime = RangeValue
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
    ranges: tuple[tuple[Any, Any], ...]  # [lower, upper) of each range partition
    of: str = "int"  # int | date | datetime

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PartitionParams:
        ranges = tuple((r[0], r[1]) for r in params.get("ranges") or ())
        return cls(ranges, params.get("of", "int"))


class PartitionKind(Kind):
    name = "partition"
    runtime = PartitionValues
    params_type = PartitionParams
    examples = ({"partition": {"ranges": [[0, 10], [10, 20]]}},)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["partition"]
        return {"ranges": [list(r) for r in value["ranges"]], "of": value.get("of", "int")}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        body: Entry = {"ranges": [plain(list(r)) for r in params.get("ranges") or []]}
        typed = PartitionParams.from_params(params)
        if typed.of != "int":
            body["of"] = typed.of
        return {"partition": body}


def range_spec(of: str, multi: bool = False) -> GeneratorSpec:
    """`range` literals of int, float, date or timestamp bounds (a multirange when `multi`)."""
    return GeneratorSpec("range", {"of": of, "multi": True} if multi else {"of": of})
