"""The text kinds (gen, template, uuid): YAML entry <-> params <-> Generator, value classes."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem
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
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, class_of, column_problem, column_problems
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator

# reads a spec's template field name ({first_name}); not SQL
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `{title|slug}`, `{first_name|initial|lower}`: generate/derived.py FILTERS has their code
TEMPLATE_FILTERS = ("lower", "upper", "title", "slug", "initial", "ascii")


@dataclass(frozen=True)
class ProviderParams:
    """gen: a mimesis `provider.method`, its arguments, and the column's max length."""

    provider: str
    args: Mapping[str, Any] = field(default_factory=dict)
    max_length: int | None = None  # internal: the compiler derives it from the column

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ProviderParams:
        return cls(params["provider"], dict(params.get("args") or {}), params.get("max_length"))


class GenKind(Kind):
    name = "gen"
    params_type = ProviderParams
    examples = (
        {"gen": "person.email"},
        {"gen": "text.word", "args": {"quantity": 2}, "unique": True},
    )
    unique_capable = True
    pattern_hint = "must look like provider.method (e.g. person.email)"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        params: Params = {"provider": entry["gen"], "args": dict(entry.get("args") or {})}
        if entry.get("compose"):
            params["compose"] = compose_params(entry["compose"])
        return params

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        from seedspec.generate.pools import pool_values  # mimesis: imported when asked

        typed = ProviderParams.from_params(spec.params)
        values = pool_values(
            typed.provider, locale=locale, seed=seed, args=spec.params.get("args"), size=8
        )
        return {class_of(x) for x in values}

    def check_column(
        self, spec: GeneratorSpec, column: ColumnShape, rules: ColumnRules, fit: FitContext
    ) -> list[Problem]:
        """Beyond the common checks: a CHECK's minimum length (`length(x) >= n`) that values of
        the pool the generator draws from fall short of (a shorter word is never padded)."""
        out = column_problems(self, spec, column, rules, fit)
        least = rules.min_length
        if out or not least or least <= 1:
            return out
        from seedspec.generate.pools import pool_values  # mimesis: imported when asked

        typed = ProviderParams.from_params(spec.params)
        values = pool_values(
            typed.provider, locale=fit.locale, seed=fit.seed, args=dict(typed.args)
        )
        short = [v for v in values if isinstance(v, str) and len(v) < least]
        if not short:
            return out
        message = f"{fit.where}: `gen: {typed.provider}` makes values shorter than its CHECK's "
        fix = f"use `pattern:` or `template:` values of at least {least} characters"
        return [column_problem("value-too-short", message + f"minimum {least} ({short[0]!r})", fix)]

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = ProviderParams.from_params(params)
        entry: Entry = {"gen": typed.provider}  # max_length is internal: the compiler re-derives it
        if typed.args:
            entry["args"] = plain(dict(typed.args))
        compose = params.get("compose")
        if compose:  # written as the language spells it: parts, sep, then case and alpha
            order = ("parts", "sep", "case", "alpha")
            entry["compose"] = plain({k: compose[k] for k in order if k in compose})
        return entry

    def resolve_column(self, params: Params, column: ColumnShape) -> Params:
        if column.length and column.type in ("char", "varchar"):
            current = params.get("max_length")
            params["max_length"] = min(current or column.length, column.length)
        return params

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.text import Provider, TextShape  # at build: start-up

        max_length = params.pop("max_length", None)
        case, trim = params.pop("case", None), bool(params.pop("trim", False))
        exclude = list(params.pop("exclude", None) or [])
        shape = TextShape(case, trim, exclude) if case or trim or exclude else None
        return Provider(
            key,
            params,
            spec.unique,
            locale=ctx.locale,
            seed=ctx.seed,
            max_length=max_length,
            shape=shape,
        )


@dataclass(frozen=True)
class TemplateParams:
    template: str  # a format string over {row} and the row's other columns (`|filter`s)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> TemplateParams:
        return cls(params["template"])


def _formats_int(spec: str) -> bool:
    try:
        format(0, spec)
    except ValueError:
        return False
    return True


class TemplateKind(Kind):
    name = "template"
    params_type = TemplateParams
    examples = ({"template": "SKU-{row:06d}"},)
    unique_capable = True
    value_class = "str"

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"template": entry["template"]}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        try:
            fields = [(n, s) for _, n, s, _ in string.Formatter().parse(entry["template"])]
        except ValueError as exc:
            ctx.add(pointer, f"malformed template: {exc}")
            return
        for field_name, spec in fields:
            if field_name is None:
                continue
            name, *filters = field_name.split("|")
            unknown = [f for f in filters if f not in TEMPLATE_FILTERS]
            if unknown:
                known = ", ".join(TEMPLATE_FILTERS)
                ctx.add(pointer, f"template filter |{unknown[0]}| is not one of {known}")
            if not _NAME.fullmatch(name):
                ctx.add(pointer, f"template placeholder {{{name}}} must be row or a column name")
            elif spec and "{" in spec:
                ctx.add(pointer, f"template placeholder {{{name}:{spec}}}: nested placeholders")
            elif name == "row" and spec and not _formats_int(spec):
                message = f"template placeholder {{row:{spec}}}: bad format spec for a number"
                ctx.add(pointer, message)

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        return {"template": self.parse(params).template}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.text import Template  # at build: start-up

        return Template(key, params, ctx.table, spec.unique)


class UuidKind(Kind):
    name = "uuid"
    runtime = "seedspec.generate.text:Uuid"
    examples = ({"uuid": {}},)
    unique_capable = True
    value_class = "uuid"
    made_up = True


def compose_params(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A `compose:` mapping (schema-valid) -> the params the generator reads, keys sorted as
    inference writes them (analysis/vocabulary.py), so a spec `init` wrote compiles to the
    same plan as inference itself."""
    out: dict[str, Any] = {"parts": [list(p) if isinstance(p, list) else p for p in entry["parts"]]}
    out["sep"] = str(entry.get("sep", " "))
    if entry.get("case"):
        out["case"] = entry["case"]
    if entry.get("alpha"):
        out["alpha"] = True
    return dict(sorted(out.items()))


def provider_spec(
    provider: str, args: Mapping[str, Any] | None = None, **limits: Any
) -> GeneratorSpec:
    """`gen` from a mimesis provider; `limits` (internal, from the column and its CHECKs):
    max_length, case ("lower" / "upper"), trim (True), exclude (values never produced)."""
    return GeneratorSpec("gen", {"provider": provider, "args": dict(args or {}), **limits})


def template_spec(template: str) -> GeneratorSpec:
    return GeneratorSpec("template", {"template": template})


def uuid_spec() -> GeneratorSpec:
    return GeneratorSpec("uuid", {})
