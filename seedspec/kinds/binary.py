"""The binary kinds (bytes, bits): YAML entry <-> params (a length) <-> Generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from seedspec.generate.base import Generator, objects
from seedspec.generate.random import permute
from seedspec.generate.special import BitString, Bytes
from seedspec.kinds.base import BuildContext, Entry, Kind, Nested, Params, Pointer, RenderContext
from seedspec.kinds.spec import GeneratorSpec


@dataclass(frozen=True)
class LengthParams:
    length: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> LengthParams:
        n = params.get("length")
        return cls(None if n is None else int(n))


class _UniqueBytes(Bytes):
    """`unique: true` bytes: a keyed permutation of the row number written big-endian in the
    last bytes (the rest zero), so rows are distinct by construction up to 256**length."""

    def distinct_limit(self) -> int | None:
        n = int(self.params.get("length", 16))
        return 256**n if n < 8 else None

    def values(self, model: Any, idx: np.ndarray) -> np.ndarray:
        n = int(self.params.get("length", 16))
        limit = self.distinct_limit()
        space = limit if limit is not None else 2**62
        codes = permute(self.key, idx % space, space).tolist()
        return objects([int(c).to_bytes(max(n, 8), "big")[-n:] for c in codes])


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
        return _UniqueBytes(key, params, True) if spec.unique else Bytes(key, params)


class BitsKind(Kind):
    name = "bits"
    runtime = BitString
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
