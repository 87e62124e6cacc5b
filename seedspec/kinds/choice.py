"""The finite kinds (choice, bool, const): YAML entry <-> params <-> Generator, finite values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.generate import values as v
from seedspec.generate.base import Generator
from seedspec.kinds.base import (
    BuildContext,
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
    plain,
)
from seedspec.kinds.fit import class_of
from seedspec.kinds.spec import GeneratorSpec


@dataclass(frozen=True)
class ChoiceParams:
    values: tuple[Any, ...]
    weights: tuple[float, ...] | None = None

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> ChoiceParams:
        weights = params.get("weights")
        return cls(tuple(params.get("values") or ()), None if weights is None else tuple(weights))


class ChoiceKind(Kind):
    name = "choice"
    examples = ({"choice": ["a", "b"]}, {"choice": {"x": 3, "y": 1}})
    unique_capable = True
    holds_data = True

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["choice"]
        if isinstance(value, dict):
            return {"values": list(value), "weights": [float(w) for w in value.values()]}
        return {"values": list(value), "weights": None}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        choice = entry["choice"]
        if isinstance(choice, dict) and not any(w > 0 for w in choice.values()):
            ctx.add(pointer, "every choice weight is 0; at least one must be > 0")

    def distinct_count(self, value: Any) -> int | None:
        values = [k for k, w in value.items() if w > 0] if isinstance(value, dict) else value
        return len({repr(x) for x in values})

    def finite_values(self, spec: GeneratorSpec) -> list[Any] | None:
        return list(ChoiceParams.of(spec.params).values)

    def literal_values(self, spec: GeneratorSpec) -> list[Any] | None:
        return list(ChoiceParams.of(spec.params).values)

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        return {class_of(x) for x in ChoiceParams.of(spec.params).values}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = ChoiceParams.of(params)
        values = [plain(x) for x in typed.values]
        keyable = all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in values)
        if typed.weights is None or not keyable or len(set(values)) != len(values):
            return {"choice": values}
        return {"choice": {x: plain(w) for x, w in zip(values, typed.weights, strict=True)}}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        return v.Choice(key, params, spec.unique)


class BoolKind(Kind):
    name = "bool"
    examples = ({"bool": 0.3},)
    value_class = "bool"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"p": float(entry["bool"])}

    def distinct_count(self, value: Any) -> int | None:
        return 1 if value in (0, 1) else 2

    def finite_values(self, spec: GeneratorSpec) -> list[Any] | None:
        return [False, True]

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"bool": plain(params.get("p", 0.5))}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        return v.Boolean(key, params, spec.unique)


class ConstKind(Kind):
    name = "const"
    examples = ({"const": 7}, {"const": "on"})
    holds_data = True

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"value": entry["const"]}

    def distinct_count(self, value: Any) -> int | None:
        return 1

    def literal_values(self, spec: GeneratorSpec) -> list[Any] | None:
        value = spec.params.get("value")
        return None if value is None else [value]

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        return {class_of(spec.params.get("value"))}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"const": plain(params.get("value"))}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        return v.Const(key, params, spec.unique)


def choice_spec(values: list[Any], *, unique: bool = False) -> GeneratorSpec:
    """`choice` among `values`, equally likely."""
    return GeneratorSpec("choice", {"values": values, "weights": None}, unique=unique)


def bool_spec(p: float) -> GeneratorSpec:
    """`bool` true with probability p."""
    return GeneratorSpec("bool", {"p": p})
