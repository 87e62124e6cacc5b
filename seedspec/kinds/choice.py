"""The finite kinds (choice, bool, const): YAML entry <-> params <-> Generator, finite values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seedspec.errors import Problem
from seedspec.kinds.base import (
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
    plain,
)
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, class_of, column_problem
from seedspec.kinds.spec import GeneratorSpec


@dataclass(frozen=True)
class ChoiceParams:
    values: tuple[Any, ...]
    weights: tuple[float, ...] | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ChoiceParams:
        weights = params.get("weights")
        return cls(tuple(params.get("values") or ()), None if weights is None else tuple(weights))


@dataclass(frozen=True)
class BoolParams:
    p: float = 0.5  # the probability of true

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> BoolParams:
        return cls(params.get("p", 0.5))


@dataclass(frozen=True)
class ConstParams:
    value: Any = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ConstParams:
        return cls(params.get("value"))


class ChoiceKind(Kind):
    name = "choice"
    runtime = "seedspec.generate.values:Choice"
    params_type = ChoiceParams
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
        return list(ChoiceParams.from_params(spec.params).values)

    def literal_values(self, spec: GeneratorSpec) -> list[Any] | None:
        return list(ChoiceParams.from_params(spec.params).values)

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        return {class_of(x) for x in ChoiceParams.from_params(spec.params).values}

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = ChoiceParams.from_params(params)
        values = [plain(x) for x in typed.values]
        keyable = all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in values)
        if typed.weights is None or not keyable or len(set(values)) != len(values):
            return {"choice": values}
        return {"choice": {x: plain(w) for x, w in zip(values, typed.weights, strict=True)}}


class BoolKind(Kind):
    name = "bool"
    runtime = "seedspec.generate.values:Boolean"
    params_type = BoolParams
    examples = ({"bool": 0.3},)
    value_class = "bool"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"p": float(entry["bool"])}

    def distinct_count(self, value: Any) -> int | None:
        return 1 if value in (0, 1) else 2

    def finite_values(self, spec: GeneratorSpec) -> list[Any] | None:
        return [False, True]

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"bool": plain(self.parse(params).p)}


class ConstKind(Kind):
    name = "const"
    runtime = "seedspec.generate.values:Const"
    params_type = ConstParams
    examples = ({"const": 7}, {"const": "on"})
    holds_data = True

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"value": entry["const"]}

    def distinct_count(self, value: Any) -> int | None:
        return 1

    def literal_values(self, spec: GeneratorSpec) -> list[Any] | None:
        value = self.parse(spec.params).value
        return None if value is None else [value]

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        return {class_of(self.parse(spec.params).value)}

    def check_column(
        self,
        spec: GeneratorSpec,
        column: ColumnShape,
        rules: ColumnRules,
        fit: FitContext,
    ) -> list[Problem]:
        """`const: null` on a NOT NULL column (init's TODO placeholder) fails every row: an
        error before the plan, not a load failure."""
        out = super().check_column(spec, column, rules, fit)
        if self.parse(spec.params).value is None and not column.nullable:
            message = f"{fit.where} is NOT NULL but the spec gives it `const: null`"
            fix = f'give it a value, e.g. `{column.name}: {{const: "..."}}`'
            out.append(column_problem("null-into-not-null", message, fix))
        return out

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"const": plain(self.parse(params).value)}


def choice_spec(values: list[Any], *, unique: bool = False) -> GeneratorSpec:
    """`choice` among `values`, equally likely."""
    return GeneratorSpec("choice", {"values": values, "weights": None}, unique=unique)


def bool_spec(p: float) -> GeneratorSpec:
    """`bool` true with probability p."""
    return GeneratorSpec("bool", {"p": p})
