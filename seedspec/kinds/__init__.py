"""The generator-kind registry: kind name -> Kind (normalise, checks, render, runtime build).

One dict, `KINDS`, in the order the spec language lists the kinds. Adding a kind is one
module under seedspec/kinds/ (a `Kind` subclass) plus one line here. Public API:

  KINDS: dict[str, Kind]                   every kind; GENERATOR_KINDS = tuple(KINDS)
  kind_of(entry) -> str                    the kind a (schema-valid) column entry names
  build_generator(spec, *, seed, locale, table, column, path="", key_params=None) -> Generator
  finite_values(spec) -> list | None       the finite values a generator draws from
  unique_capable(kind) -> bool             whether `unique: true` can be honoured by the kind
  resolve_column_defaults(spec, column) -> GeneratorSpec   decimal scale / text length in params
  check_column(spec, column, rules, fit) -> list[Problem]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem, SeedspecError
from seedspec.kinds import (
    binary,
    choice,
    conditional,
    derived,
    existing,
    geometry,
    links,
    network,
    numbers,
    offset,
    pattern,
    python,
    ranges,
    sqlexpr,
    structured,
    temporal,
    text,
)
from seedspec.kinds.base import BuildContext, CheckContext, Kind, RenderContext
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    from seedspec.generate.base import Generator

__all__ = [
    "GENERATOR_KINDS",
    "KINDS",
    "BuildContext",
    "CheckContext",
    "ColumnRules",
    "ColumnShape",
    "FitContext",
    "GeneratorSpec",
    "Kind",
    "RenderContext",
    "build_generator",
    "check_column",
    "finite_values",
    "kind_of",
    "resolve_column_defaults",
    "unique_capable",
]

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        text.GenKind(),
        numbers.IntKind(),
        numbers.FloatKind(),
        numbers.DecimalKind(),
        choice.ChoiceKind(),
        choice.BoolKind(),
        temporal.DateKind(),
        temporal.DatetimeKind(),
        temporal.TimeKind(),
        numbers.SequenceKind(),
        text.TemplateKind(),
        pattern.PatternKind(),
        choice.ConstKind(),
        text.UuidKind(),
        structured.JsonKind(),
        structured.ArrayKind(),
        links.RefKind(),
        links.IndexInParentKind(),
        links.LookupKind(),
        links.DefaultKind(),
        offset.OffsetKind(),
        binary.BytesKind(),
        binary.BitsKind(),
        network.CidrKind(),
        temporal.IntervalKind(),
        ranges.RangeKind(),
        geometry.GeometryKind(),
        ranges.PartitionKind(),
        links.AggregateKind(),
        sqlexpr.SqlKind(),
        python.PythonKind(),
        existing.ExistingKind(),
        derived.FromKind(),
        conditional.WhenKind(),
    )
}
# Every generator kind a column entry may name (exactly one per column), in the spec's order.
GENERATOR_KINDS: tuple[str, ...] = tuple(KINDS)


def kind_of(entry: Mapping[str, Any]) -> str:
    """The generator kind a (schema-valid) column entry names."""
    return next(kind for kind in KINDS if kind in entry)


def build_generator(
    spec: GeneratorSpec,
    *,
    seed: int,
    locale: str,
    table: str,
    column: str,
    path: str = "",
    key_params: Mapping[str, Any] | None = None,
) -> Generator:
    """A runtime Generator for a value kind (null modifier applied); link kinds raise.

    `spec.params` must already hold the database-derived defaults (resolve_column_defaults:
    decimal `scale`, gen `max_length`); `key_params` are the params the stream key hashes —
    the spec's params before those were resolved in (default: `spec.params`), so values are
    the same as when the defaults were applied at build time.
    """
    from seedspec.generate.values import Nullable, key_for  # at build: start-up

    key_source = spec.params if key_params is None else key_params
    key = key_for(seed, table, column + path, {"kind": spec.kind, **key_source})
    kind = KINDS.get(spec.kind)
    ctx = BuildContext(seed, locale, table, column, path, build_generator)
    if kind is None:
        raise SeedspecError(f"{table}.{column}: generator {spec.kind!r} cannot be used here")
    # Absent optional parameters arrive as None; laws fall back to their own defaults.
    params = {k: p for k, p in spec.params.items() if p is not None or spec.kind == "const"}
    gen = kind.build(spec, params, key, ctx)
    if spec.null:
        gen = Nullable(gen, spec.null, key)
    return gen


def finite_values(spec: GeneratorSpec) -> list[Any] | None:
    """The finite values a generator draws from (choice, bool), or None when unbounded."""
    kind = KINDS.get(spec.kind)
    if spec.null or kind is None:
        return None
    return kind.finite_values(spec)


def unique_capable(kind: str, spec: GeneratorSpec | None = None) -> bool:
    """Whether a kind (or, given, that generator) can produce distinct values on demand."""
    found = KINDS.get(kind)
    if found is None:
        return False
    return found.unique_capable if spec is None else found.can_be_unique(spec)


def resolve_column_defaults(spec: GeneratorSpec, column: ColumnShape | None) -> GeneratorSpec:
    """The spec with its column's defaults in the params (decimal scale, varchar length).

    Build the generator from the result with `key_params=spec.params` (the original).
    """
    kind = KINDS.get(spec.kind)
    if column is None or kind is None:
        return spec
    return replace(spec, params=kind.resolve_column(dict(spec.params), column))


def check_column(
    spec: GeneratorSpec,
    column: ColumnShape,
    rules: ColumnRules,
    fit: FitContext,
) -> list[Problem]:
    """Every way a column's generator does not fit the database column (for reconcile).

    Type mismatch (bad-generator / type-mismatch), values outside the CHECK or enum
    (choice-outside-check), too long (value-too-long), min/max outside the CHECK
    (range-outside-check), `default: true` without a default (no-default). Link kinds
    other than default give none: reconcile checks them against the foreign keys.
    """
    kind = KINDS.get(spec.kind)
    if kind is None:
        return []
    return kind.check_column(spec, column, rules, fit)
