"""The nested kinds (json, array): YAML entry <-> params holding GeneratorSpecs <-> Generator."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
from seedspec.kinds.column import ColumnShape
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator

DEFAULT_LENGTH = {"min": 0, "max": 3}


@dataclass(frozen=True)
class JsonParams:
    fields: Mapping[str, GeneratorSpec]

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> JsonParams:
        fields = params.get("fields") or {}
        return cls({k: s for k, s in fields.items() if isinstance(s, GeneratorSpec)})


class JsonKind(Kind):
    name = "json"
    params_type = JsonParams
    examples = ({"json": {"n": {"int": {"min": 1, "max": 3}}, "w": {"gen": "text.word"}}},)
    value_class = "json"
    made_up = True  # documents, never among a CHECK's IN list
    unique_capable = True  # through one unique field (compile/passes/uniques.py _unique_json)

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        fields = entry["json"]
        return {"fields": {name: nested(sub, (*pointer, name)) for name, sub in fields.items()}}

    def nested_entries(self, entry: Entry, pointer: Pointer) -> Iterator[tuple[Entry, Pointer]]:
        for name, sub in (entry.get("json") or {}).items():
            yield sub, (*pointer, "json", name)

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        fields = params.get("fields") or {}
        return {"json": {name: ctx.entry(sub) for name, sub in fields.items()}}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        fields = dict(JsonParams.from_params(params).fields)
        if spec.unique and not any(f.unique and not f.null for f in fields.values()):
            # no field is distinct (the compile pass makes one so when it can): a row number
            fields["n"] = GeneratorSpec("sequence", {"start": 1, "step": 1}, False, True)
        from seedspec.generate.structured import JsonObject  # at build: start-up

        return JsonObject(key, {name: ctx.nested(sub, f".{name}") for name, sub in fields.items()})


@dataclass(frozen=True)
class ArrayParams:
    of: GeneratorSpec
    length: int | Mapping[str, int] | None = None  # fixed, or {min, max}; None = 0..3

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ArrayParams:
        return cls(params["of"], params.get("length"))


class ArrayKind(Kind):
    name = "array"
    params_type = ArrayParams
    examples = ({"array": {"of": {"bool": 0.5}, "length": {"min": 1, "max": 4}}},)
    value_class = "array"
    made_up = True

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        value = entry["array"]
        length = value.get("length")
        if isinstance(length, dict):
            length = {"min": int(length.get("min", 0)), "max": int(length["max"])}
        elif length is not None:
            length = int(length)
        return {"of": nested(value["of"], (*pointer, "of")), "length": length}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        ctx.check_min_max(entry["array"].get("length"), (*pointer, "length"))

    def nested_entries(self, entry: Entry, pointer: Pointer) -> Iterator[tuple[Entry, Pointer]]:
        if "array" in entry:
            yield entry["array"]["of"], (*pointer, "array", "of")

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = ArrayParams.from_params(params)
        body: Entry = {"of": ctx.entry(typed.of)}
        if typed.length is not None:
            body["length"] = plain(typed.length)
        return {"array": body}

    def resolve_column(self, params: Params, column: ColumnShape) -> Params:
        if column.type == "json":  # a JSON array document, not a database array
            params["as_json"] = True
        return params

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        typed = ArrayParams.from_params(params)
        item = ctx.nested(typed.of, "[]")
        length = params.get("length") or DEFAULT_LENGTH
        from seedspec.generate.structured import ArrayOf  # at build: start-up

        return ArrayOf(key, item, length, as_json=bool(params.get("as_json")))


def json_spec(fields: Mapping[str, GeneratorSpec]) -> GeneratorSpec:
    """`json` objects whose fields are the given generators."""
    return GeneratorSpec("json", {"fields": dict(fields)})


def array_spec(of: GeneratorSpec, length: int | Mapping[str, int]) -> GeneratorSpec:
    """`array` of `of` items, `length` fixed or {min, max}."""
    return GeneratorSpec("array", {"of": of, "length": length})
