"""The binary kinds (bytes, bits): YAML entry <-> params (a length) <-> Generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.kinds.base import BuildContext, Entry, Kind, Nested, Params, Pointer, RenderContext
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator


@dataclass(frozen=True)
class LengthParams:
    length: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> LengthParams:
        n = params.get("length")
        return cls(None if n is None else int(n))


class BytesKind(Kind):
    name = "bytes"
    params_type = LengthParams
    examples = ({"bytes": {"length": 8}}, {"bytes": {}})
    unique_capable = True
    value_class = "bytes"
    default_length = 16

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"length": int(entry["bytes"].get("length", self.default_length))}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        n = LengthParams.from_params(params).length
        return {"bytes": {} if n is None or n == self.default_length else {"length": n}}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.special import Bytes, UniqueBytes  # at build: start-up

        return UniqueBytes(key, params, True) if spec.unique else Bytes(key, params)


class BitsKind(Kind):
    name = "bits"
    runtime = "seedspec.generate.special:BitString"
    params_type = LengthParams
    examples = ({"bits": {"length": 4}},)
    value_class = "str"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"length": int(entry["bits"].get("length", 1))}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"bits": {"length": LengthParams.from_params(params).length or 1}}


def bytes_spec(length: int) -> GeneratorSpec:
    return GeneratorSpec("bytes", {"length": length})


def bits_spec(length: int) -> GeneratorSpec:
    return GeneratorSpec("bits", {"length": length})
