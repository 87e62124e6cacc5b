"""The network kind (cidr): YAML entry <-> params (none) <-> Generator of distinct /24s."""

from __future__ import annotations

from seedspec.generate.special import Cidr
from seedspec.kinds.base import Kind
from seedspec.kinds.spec import GeneratorSpec


class _Cidrs(Cidr):
    """The /24s of 10.0.0.0/8: 65,536 distinct values (generate/special.py Cidr wraps past)."""

    def distinct_limit(self) -> int | None:
        return 65536


class CidrKind(Kind):
    name = "cidr"
    runtime = _Cidrs
    examples = ({"cidr": {}},)
    unique_capable = True
    value_class = "str"
    made_up = True


def cidr_spec() -> GeneratorSpec:
    return GeneratorSpec("cidr", {})
