"""The network kind (cidr): YAML entry <-> params (none) <-> Generator of distinct /24s."""

from __future__ import annotations

from seedspec.kinds.base import Kind
from seedspec.kinds.spec import GeneratorSpec


class CidrKind(Kind):
    name = "cidr"
    runtime = "seedspec.generate.special:Cidrs"
    examples = ({"cidr": {}},)
    unique_capable = True
    value_class = "str"
    made_up = True


def cidr_spec() -> GeneratorSpec:
    return GeneratorSpec("cidr", {})
