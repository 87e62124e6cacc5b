"""The Kind protocol: one generator kind's normalise, checks, rendering and runtime building.

A kind is one object in `seedspec.kinds.KINDS`. Everything the pipeline knows about a kind
is a method here, so adding a kind is one module plus one registry line. The contexts the
callers pass in are Protocols: kinds never import the front end, the database or compile.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from seedspec.errors import Problem, SeedspecError
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, column_problems
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # the generators (numpy, mimesis) are imported only to build: start-up
    from seedspec.generate.base import Generator

Params = dict[str, Any]
Entry = dict[str, Any]
Pointer = tuple[Any, ...]
# Normalises a nested column entry (json fields, array items) written at a pointer.
Nested = Callable[[Entry, Pointer], GeneratorSpec]


class CheckContext(Protocol):
    """What a kind's semantic check may ask about the spec it sits in (semantics implements it)."""

    @property
    def table_name(self) -> str: ...

    @property
    def nested(self) -> bool: ...  # inside a json field / array item

    def add(self, pointer: Pointer, message: str) -> None: ...

    def known_table(self, name: str) -> bool: ...

    def unknown_table(self, pointer: Pointer, what: str, name: str) -> None: ...

    def has_per_parent_count(self) -> bool: ...

    def declared_kind(self, column: str) -> str | None: ...  # that column's generator kind

    def check_min_max(self, params: Any, pointer: Pointer) -> None: ...


class RenderContext(Protocol):
    """What rendering a GeneratorSpec back to YAML may ask (authoring.yamlgen implements it)."""

    def entry(self, spec: GeneratorSpec) -> Entry: ...  # a nested generator's entry

    def primary_key(self, table: str) -> tuple[str, ...] | None: ...


@dataclass(frozen=True)
class BuildContext:
    """Where a runtime generator is built: its stream's coordinates."""

    seed: int
    locale: str
    table: str
    column: str
    path: str = ""
    build: Callable[..., Generator] | None = None  # seedspec.kinds.build_generator

    def nested(self, spec: GeneratorSpec, suffix: str) -> Generator:
        """The generator of a nested spec (json field, array item) on its own sub-stream."""
        assert self.build is not None
        return self.build(
            spec,
            seed=self.seed,
            locale=self.locale,
            table=self.table,
            column=self.column,
            path=self.path + suffix,
        )


class KindParams(Protocol):
    """A kind's typed params, parsed from the GeneratorSpec's JSON-facing params mapping."""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> KindParams: ...


@dataclass(frozen=True)
class NoParams:
    """The params of a kind that takes none (uuid, cidr, interval, default)."""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> NoParams:
        return cls()


class Kind:
    """One generator kind. Subclasses override what applies to them; defaults do nothing."""

    name: ClassVar[str] = "?"
    link: ClassVar[bool] = False  # runtime built by compile/bind from the schema's links
    on_fk_column: ClassVar[bool] = False  # may stand on an FK column instead of `ref:`
    builds_values: ClassVar[bool] = True  # False: the database computes it (sql), no generator
    unique_capable: ClassVar[bool] = False  # can produce distinct values on demand
    value_class: ClassVar[str | None] = None  # the class of Python values produced (reconcile)
    holds_data: ClassVar[bool] = False  # its entry value is data (no finite-number check)
    # makes values up from nothing the spec or a CHECK lists (uuid, cidr, interval, json, array):
    # never among a CHECK's IN list or an enum's members
    made_up: ClassVar[bool] = False
    pattern_hint: ClassVar[str | None] = None  # what the schema's pattern for it wants
    params_type: ClassVar[type[KindParams]] = NoParams  # its typed params (a frozen dataclass)
    # "module:Class" of the runtime Generator, built as Class(key, params, unique); a path, not
    # the class, so that validating a spec never imports numpy or mimesis (start-up time)
    runtime: ClassVar[str | None] = None
    # Column entries as a user writes them (tests round-trip each: normalise, render, normalise).
    examples: ClassVar[tuple[Entry, ...]] = ()

    def parse(self, params: Mapping[str, Any]) -> Any:
        """The typed params (`params_type`) of a normalised params mapping."""
        return self.params_type.from_params(params)

    # -- front end -------------------------------------------------------------------------

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        """A schema-valid column entry -> its params (every key present, values may be None).

        `pointer` points at the kind's key in the entry (e.g. (..., "columns", "x", "int")).
        A kind without params (`uuid: {}`) has none to read.
        """
        if self.params_type is NoParams:
            return {}
        raise NotImplementedError

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        """Add the semantic problems of one entry (`pointer` at the kind's key)."""

    def nested_entries(self, entry: Entry, pointer: Pointer) -> Iterator[tuple[Entry, Pointer]]:
        """The nested column entries (json fields, array items), with the pointers of each."""
        return iter(())

    def distinct_count(self, value: Any) -> int | None:
        """How many distinct values an entry's value (as written) can produce, if finite."""
        return None

    # -- facts about a normalised spec ------------------------------------------------------

    def finite_values(self, spec: GeneratorSpec) -> list[Any] | None:
        """The finite values a (non-null) generator draws from, or None when unbounded."""
        return None

    def can_be_unique(self, spec: GeneratorSpec) -> bool:
        """Whether this generator (not only its kind) can produce distinct values."""
        return self.unique_capable

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        """The classes of Python values produced (int, str, date, json ...); empty = unknown."""
        return {self.value_class} if self.value_class else set()

    def literal_values(self, spec: GeneratorSpec) -> list[Any] | None:
        """The literal values the spec writes out (choice values, a const), if any."""
        return None

    def bounds(self, spec: GeneratorSpec) -> tuple[Any, Any]:
        """The (lowest, highest) value the spec asks for, where it names them."""
        values = self.literal_values(spec)
        if values and all(isinstance(v, (int, float)) for v in values):
            return min(values), max(values)
        return None, None

    def check_column(
        self,
        spec: GeneratorSpec,
        column: ColumnShape,
        rules: ColumnRules,
        fit: FitContext,
    ) -> list[Problem]:
        """Every way the spec does not fit its database column (type, CHECK, enum, length)."""
        return column_problems(self, spec, column, rules, fit)

    # -- authoring and runtime --------------------------------------------------------------

    def resolve_column(self, params: Params, column: ColumnShape) -> Params:
        """Params with the database-derived defaults filled in (decimal scale, text length)."""
        return params

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        """The spec's params as the YAML column entry a user would write (normalise's inverse)."""
        return {self.name: {k: plain(v) for k, v in params.items() if v is not None}}

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        """The runtime generator; `params` are spec.params with None dropped (const keeps it)."""
        if self.runtime is not None:
            return runtime_class(self.runtime)(key, params, spec.unique)
        raise SeedspecError(
            f"{ctx.table}.{ctx.column}: generator {self.name!r} cannot be used here"
        )


def runtime_class(path: str) -> type[Generator]:
    """The Generator class a "module:Class" path names (imported on first use)."""
    module, _, name = path.partition(":")
    cls: type[Generator] = getattr(importlib.import_module(module), name)
    return cls


def plain(value: Any) -> Any:
    """numpy scalars, Decimals, dates and tuples -> the YAML-native values they stand for."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
