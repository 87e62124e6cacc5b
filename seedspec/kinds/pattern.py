"""The pattern kind: YAML entry (a regular expression) <-> params <-> Generator of matching text.

`sku: {pattern: '^[A-Z]{3}-[0-9]{4}$'}` makes strings that match (generate/patterns.py, rstr).
Inference writes it for a text column a CHECK constrains by LIKE / GLOB / SIMILAR TO / regex:
the CHECK's first pattern as a Python regex, its other patterns as `also`, its NOT patterns as
`exclude`, its length bounds as `min_length` / `max_length` (the column's length is added when
the plan is compiled, as for `gen`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
)
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, column_problem
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator

_TEXT = ("char", "varchar")


@dataclass(frozen=True)
class PatternParams:
    """pattern: the regex values match (re.search; generated as whole matches), every `also`
    regex matched too, no `exclude` regex matched, lengths within [min_length, max_length]."""

    pattern: str
    also: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    prefer: str | None = None  # a mimesis provider.method whose values are kept when they match

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PatternParams:
        return cls(
            params["pattern"],
            tuple(params.get("also") or ()),
            tuple(params.get("exclude") or ()),
            params.get("min_length"),
            params.get("max_length"),
            params.get("prefer"),
        )


class PatternKind(Kind):
    name = "pattern"
    params_type = PatternParams
    examples = (
        {"pattern": "^[A-Z]{3}-[0-9]{4}$"},
        {"pattern": "^ab", "exclude": ["(?i)^abc"], "max_length": 8},
        {"pattern": "@", "prefer": "person.email"},
    )
    value_class = "str"
    unique_capable = True

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {
            "pattern": entry["pattern"],
            "also": list(entry.get("also") or []),
            "exclude": list(entry.get("exclude") or []),
            "min_length": entry.get("min_length"),
            "max_length": entry.get("max_length"),
            "prefer": entry.get("prefer"),
        }

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        from seedspec.generate.patterns import shortest_length, unsupported  # start-up

        why = unsupported(entry["pattern"])
        if why is not None:
            ctx.add(pointer, f"pattern {entry['pattern']!r}: {why}")
            return
        for key in ("also", "exclude"):
            for i, regex in enumerate(entry.get(key) or []):
                if (bad := unsupported(regex)) is not None and "Python" in bad:
                    ctx.add((*pointer[:-1], key, i), f"{key} {regex!r}: {bad}")
        top = entry.get("max_length")
        if top is not None and shortest_length(entry["pattern"]) > top:
            ctx.add(pointer, f"pattern {entry['pattern']!r}: no match fits max_length {top}")

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = PatternParams.from_params(params)
        entry: Entry = {"pattern": typed.pattern}
        for key in ("also", "exclude"):
            if getattr(typed, key):
                entry[key] = list(getattr(typed, key))
        for key in ("min_length", "max_length", "prefer"):
            if getattr(typed, key) is not None:
                entry[key] = getattr(typed, key)
        return entry

    def check_column(
        self,
        spec: GeneratorSpec,
        column: ColumnShape,
        rules: ColumnRules,
        fit: FitContext,
    ) -> list[Problem]:
        from seedspec.generate.patterns import shortest_length, unsupported  # start-up

        out = super().check_column(spec, column, rules, fit)
        regex = str(spec.params["pattern"])
        if column.length and column.type in _TEXT and unsupported(regex) is None:
            shortest = shortest_length(regex)
            if shortest > column.length:
                message = (
                    f"{fit.where} is {column.sql_type or column.type}: the shortest match of "
                    f"{regex!r} has {shortest} characters"
                )
                out.append(column_problem("value-too-long", message, "shorten the pattern"))
        return out

    def resolve_column(self, params: Params, column: ColumnShape) -> Params:
        if column.length and column.type in _TEXT:
            current = params.get("max_length")
            params["max_length"] = min(current or column.length, column.length)
        return params

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.patterns import Pattern, UniquePattern  # at build: start-up

        if spec.unique:
            return UniquePattern(key, params)
        return Pattern(key, params, locale=ctx.locale, seed=ctx.seed)


def pattern_spec(
    pattern: str,
    also: Sequence[str] = (),
    exclude: Sequence[str] = (),
    min_length: int | None = None,
    max_length: int | None = None,
    prefer: str | None = None,
) -> GeneratorSpec:
    return GeneratorSpec(
        "pattern",
        {
            "pattern": pattern,
            "also": list(also),
            "exclude": list(exclude),
            "min_length": min_length,
            "max_length": max_length,
            "prefer": prefer,
        },
    )
