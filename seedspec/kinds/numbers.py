"""The number kinds (int, float, decimal, sequence): YAML entry <-> params <-> Generator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from seedspec.generate.laws import DISCRETE, TABLE_LIMIT
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
    runtime_class,
)
from seedspec.kinds.column import ColumnShape
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator

LAW_KEYS = ("mean", "sigma", "mu", "lambda", "p", "s")  # distribution parameters
NUMBER_KEYS = ("min", "max", "dist", *LAW_KEYS, "precision", "scale", "round")


@dataclass(frozen=True)
class NumberParams:
    """int / float / decimal: a range, a distribution law, and (decimal) digits."""

    min: float | None = None
    max: float | None = None
    dist: str = "uniform"
    law: tuple[tuple[str, Any], ...] = ()  # (parameter, value) of the distribution
    precision: int | None = None
    scale: int | None = None
    round: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> NumberParams:
        law = tuple((k, params[k]) for k in LAW_KEYS if params.get(k) is not None)
        return cls(
            min=params.get("min"),
            max=params.get("max"),
            dist=params.get("dist") or "uniform",
            law=law,
            precision=params.get("precision"),
            scale=params.get("scale"),
            round=params.get("round"),
        )


def default_bounds(params: Params) -> None:
    """Fill an open range: min 0 (or -1000 below a negative max, max - 1000 below -1000), max
    10x min or min + 1000; a discrete law's open side stays within the span it tabulates."""
    top, open_lo, open_hi = params.get("max"), params.get("min") is None, params.get("max") is None
    if params.get("min") is None:
        params["min"] = 0 if top is None or top >= 0 else -1000 if top >= -1000 else top - 1000
        if isinstance(top, int):
            params["min"] = max(params["min"], -(2**63))  # a 64-bit integer still
    if params.get("max") is None:
        params["max"] = max(float(params["min"]) * 10, float(params["min"]) + 1000)
        if isinstance(params["min"], int):
            params["max"] = min(int(params["max"]), 2**63 - 1)
    span = law_span(params)
    if span is not None and params["max"] - params["min"] > span and (open_hi or open_lo):
        if open_hi:
            params["max"] = params["min"] + span
        else:
            params["min"] = params["max"] - span


def law_span(params: Params) -> int | None:
    """The widest max - min a discrete law (geometric, poisson, zipf) draws over (its values
    are tabulated); None for a continuous one."""
    return TABLE_LIMIT if params.get("dist") in DISCRETE else None


class _Number(Kind):
    params_type = NumberParams
    runtime: ClassVar[str | None] = "seedspec.generate.values:Integer"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry[self.name]
        params: Params = {key: value.get(key) for key in NUMBER_KEYS}
        params["dist"] = params["dist"] or "uniform"
        return params

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        value = entry[self.name]
        ctx.check_min_max(value, pointer)
        span = law_span(value) if isinstance(value, dict) else None
        lo, hi = (value.get("min"), value.get("max")) if span is not None else (None, None)
        if lo is not None and hi is not None and hi - lo > span:
            message = (
                f"a {value['dist']} law draws over at most {span:,} (max - min is {hi - lo:,})"
            )
            ctx.add((*pointer, "max"), message)

    def bounds(self, spec: GeneratorSpec) -> tuple[Any, Any]:
        typed = NumberParams.from_params(spec.params)
        return typed.min, typed.max

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        body = {k: plain(params[k]) for k in NUMBER_KEYS if params.get(k) is not None}
        if body.get("dist") == "uniform":
            del body["dist"]
        return {self.name: body}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        default_bounds(params)
        assert self.runtime is not None
        return runtime_class(self.runtime)(key, params, spec.unique)


class IntKind(_Number):
    name = "int"
    examples = (
        {"int": {"min": 1, "max": 9}},
        {"int": {"min": 1, "max": 99, "dist": "zipf", "s": 1.2}},
    )
    unique_capable = True
    value_class = "int"
    runtime = "seedspec.generate.values:Integer"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        params = super().normalise(entry, pointer, nested)
        params.update({k: int(params[k]) for k in ("min", "max") if params[k] is not None})
        return params

    def distinct_count(self, value: Any) -> int | None:
        if value.get("min") is not None and value.get("max") is not None:
            return int(value["max"]) - int(value["min"]) + 1
        return None


class FloatKind(_Number):
    name = "float"
    examples = ({"float": {"min": 0, "max": 1, "round": 2}, "null": 0.25},)
    value_class = "float"
    runtime = "seedspec.generate.values:Float"


class DecimalKind(_Number):
    name = "decimal"
    examples = ({"decimal": {"min": 0, "max": 100, "scale": 2}},)
    unique_capable = True
    value_class = "decimal"
    runtime = "seedspec.generate.values:DecimalNumber"

    def resolve_column(self, params: Params, column: ColumnShape) -> Params:
        if params.get("scale") is None:
            params["scale"] = column.scale if column.scale is not None else 2
        return params


@dataclass(frozen=True)
class SequenceParams:
    start: int = 1
    step: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SequenceParams:
        return cls(int(params.get("start", 1)), int(params.get("step", 1)))


class SequenceKind(Kind):
    name = "sequence"
    runtime = "seedspec.generate.values:Sequence"
    params_type = SequenceParams
    examples = ({"sequence": 1}, {"sequence": {"start": 10, "step": 5}})
    unique_capable = True
    value_class = "int"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["sequence"]
        if isinstance(value, dict):
            return {"start": int(value.get("start", 1)), "step": int(value.get("step", 1))}
        return {"start": int(value), "step": 1}

    def bounds(self, spec: GeneratorSpec) -> tuple[Any, Any]:
        return spec.params.get("start", 1), None

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = SequenceParams.from_params(params)
        body = typed.start if typed.step == 1 else {"start": typed.start, "step": typed.step}
        return {"sequence": body}


# -- constructors (inference builds specs through these; dicts exactly as hashed) -----------


def int_spec(lo: int, hi: int, law: Mapping[str, Any]) -> GeneratorSpec:
    """`int` over [lo, hi] with a distribution law ({"dist": ..., parameters})."""
    return GeneratorSpec("int", {"min": lo, "max": hi, **law})


def float_spec(lo: float, hi: float, law: Mapping[str, Any], **digits: Any) -> GeneratorSpec:
    """`float` over [lo, hi]; `digits` = round."""
    return GeneratorSpec("float", {"min": lo, "max": hi, **law, **digits})


def decimal_spec(lo: float, hi: float, law: Mapping[str, Any], **digits: Any) -> GeneratorSpec:
    """`decimal` over [lo, hi]; `digits` = precision, scale (in that order when given)."""
    return GeneratorSpec("decimal", {"min": lo, "max": hi, **law, **digits})
