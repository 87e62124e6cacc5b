"""Spec IR: the validated, normalised form of a seed.yaml (frozen dataclasses, locations kept)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seedspec.errors import SourceLocation
from seedspec.kinds import GENERATOR_KINDS as GENERATOR_KINDS  # every kind, from the registry
from seedspec.kinds.spec import GeneratorSpec as GeneratorSpec  # re-exported (lives in kinds)

COUNT_DISTRIBUTIONS = (
    "uniform",
    "normal",
    "lognormal",
    "exponential",
    "geometric",
    "poisson",
    "zipf",
)


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    generator: GeneratorSpec
    location: SourceLocation | None = None


@dataclass(frozen=True)
class CountSpec:
    """`count: N` (fixed) or `count: {per: PARENT, min, max, dist, ...}` (per parent row)."""

    fixed: int | None = None
    per: str | None = None  # parent table name
    via: str | None = None  # the child FK column to that parent, when ambiguous
    dist: str = "uniform"
    params: dict[str, Any] = field(default_factory=dict)  # min, max, mean, sigma, s, p, ...
    location: SourceLocation | None = None


@dataclass(frozen=True)
class TreeSpec:
    """A self-referencing table filled as a tree of bounded depth."""

    parent: str  # the self-referencing FK column
    max_depth: int = 4
    roots: float | None = None  # share of rows that are roots; None = inferred
    location: SourceLocation | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    count: CountSpec | None = None
    columns: tuple[ColumnSpec, ...] = ()
    tree: TreeSpec | None = None
    location: SourceLocation | None = None

    def column(self, name: str) -> ColumnSpec | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None


@dataclass(frozen=True)
class AfterSql:
    sql: str
    location: SourceLocation | None = None


@dataclass(frozen=True)
class TargetSpec:
    url_env: str | None = None
    schema: str | None = None
    allow_hosts: tuple[str, ...] = ()
    ledger: str | None = None  # the apply ledger's table (None: seedspec_ledger)


@dataclass(frozen=True)
class TableGlob:
    """One fnmatch glob of `tables: {include: [...], exclude: [...]}` or an --include/--exclude
    flag (`location` None for a flag)."""

    pattern: str
    location: SourceLocation | None = None

    @property
    def origin(self) -> str:
        return str(self.location) if self.location else "the command line"


@dataclass(frozen=True)
class TableSelection:
    """Which tables are seeded: `include` (none: every table) minus `exclude`."""

    include: tuple[TableGlob, ...] = ()
    exclude: tuple[TableGlob, ...] = ()

    def extended(
        self, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
    ) -> TableSelection:
        """These lists with the command line's globs added."""
        return TableSelection(
            self.include + tuple(TableGlob(g) for g in include),
            self.exclude + tuple(TableGlob(g) for g in exclude),
        )


@dataclass(frozen=True)
class Spec:
    version: int = 1
    seed: int = 0
    locale: str = "en"
    scale: float = 1.0
    target: TargetSpec = field(default_factory=TargetSpec)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: tuple[TableSpec, ...] = ()
    select: TableSelection = field(default_factory=TableSelection)
    after: tuple[AfterSql, ...] = ()
    path: str | None = None  # the file it came from (None for an inferred, spec-less run)
    location: SourceLocation | None = None
    # --models: the application models whose facts layer on the schema (seedspec/models/)
    models: str | None = None

    def table(self, name: str) -> TableSpec | None:
        for t in self.tables:
            if t.name == name:
                return t
        return None
