"""The network kind (cidr): YAML entry <-> params (none) <-> Generator of distinct /24s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.generate.base import Generator
from seedspec.generate.special import Cidr
from seedspec.kinds.base import BuildContext, Entry, Kind, Nested, Params, Pointer, RenderContext
from seedspec.kinds.spec import GeneratorSpec


class _Cidrs(Cidr):
    """The /24s of 10.0.0.0/8: 65,536 distinct values (generate/special.py Cidr wraps past)."""

    def distinct_limit(self) -> int | None:
        return 65536


class CidrKind(Kind):
    name = "cidr"
    examples = ({"cidr": {}},)
    unique_capable = True
    value_class = "str"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"cidr": {}}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        return _Cidrs(key, params, spec.unique)


def cidr_spec() -> GeneratorSpec:
    return GeneratorSpec("cidr", {})
