"""The offset kind (another column of the row plus an amount): YAML <-> params <-> Generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.kinds.base import (
    BuildContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
    plain,
)
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator

DEFAULTS = (("min", 0), ("max", 30), ("unit", "days"))


@dataclass(frozen=True)
class OffsetParams:
    start: str  # `from`: the column of the same row it follows
    min: float = 0
    max: float = 30
    unit: str = "days"  # days | hours | minutes | seconds

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> OffsetParams:
        return cls(
            params["from"],
            params.get("min", 0),
            params.get("max", 30),
            params.get("unit", "days"),
        )


class OffsetKind(Kind):
    name = "offset"
    params_type = OffsetParams
    examples = ({"offset": {"from": "pid", "min": 1, "max": 5, "unit": "hours"}},)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["offset"]
        return {
            "from": value["from"],
            "min": value.get("min", 0),
            "max": value.get("max", 30),
            "unit": value.get("unit", "days"),
        }

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        body: Entry = {"from": OffsetParams.from_params(params).start}
        for key, default in DEFAULTS:
            if params.get(key) is not None and params[key] != default:
                body[key] = plain(params[key])
        return {"offset": body}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.special import Offset  # at build: start-up

        return Offset(key, params, ctx.table, spec.unique)


def offset_spec(
    column: str, lo: float, hi: float, *, unit: str | None = None, null: float = 0.0
) -> GeneratorSpec:
    """`offset` from another column of the row by lo..hi (in `unit`, when given)."""
    params: Params = {"from": column, "min": lo, "max": hi}
    if unit is not None:
        params["unit"] = unit
    return GeneratorSpec("offset", params, null=null)
