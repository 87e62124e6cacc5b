"""The compilation unit: (Spec, DbSchema, Capabilities) in, each pass's frozen output added.

Every pass is `pass(unit, errors) -> unit`, returning `dataclasses.replace(unit, field=...)`
with a new value; none changes a value an earlier pass produced. `Errors` is the one problem
collector threaded through; the pass list in `build.PASSES` says where errors stop the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

from seedspec.analysis.selection import Selection
from seedspec.compile.counts import CountDecision
from seedspec.compile.graph import Ordering
from seedspec.compile.links import Link
from seedspec.database.constraints import ColumnFacts
from seedspec.database.model import DbSchema, DbTable
from seedspec.dialects.capabilities import Capabilities
from seedspec.errors import CompileError, Problem, SourceLocation
from seedspec.generate.base import Generator
from seedspec.plan import recipes as r
from seedspec.plan.model import Step
from seedspec.spec.model import GeneratorSpec, Spec, TableSpec


def frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a fresh copy (what a pass hands on)."""
    return MappingProxyType(dict(mapping))


class Errors:
    """Problems found so far; `stop()` at a pass boundary raises when any is an error."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, problem: Problem) -> None:
        if problem not in self.problems:  # one per cause, however many links report it
            self.problems.append(problem)

    def warn(self, problem: Problem) -> None:
        """A warning that goes straight to the plan (not held back to the next boundary)."""
        self.warnings.append(problem)

    def stop(self) -> None:
        if any(p.severity == "error" for p in self.problems):
            raise CompileError(self.problems)
        self.warnings.extend(self.problems)
        self.problems = []


@dataclass(frozen=True)
class Context:
    spec: Spec
    schema: DbSchema
    scale: float
    capabilities: Capabilities
    selection: Selection | None = None  # None: every table is seeded
    # rows of left-alone tables read as FK parents; None: not read (offline: assumed present)
    existing: Mapping[str, r.ExistingRows] | None = None

    @property
    def seed(self) -> int:
        return self.spec.seed


@dataclass(frozen=True)
class Linked:
    """A table with its FK links (pass `links`)."""

    table: DbTable
    spec: TableSpec | None
    links: tuple[Link, ...]
    fk_columns: Mapping[str, Link]  # a shared column belongs to the first (widest) FK

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def location(self) -> SourceLocation | None:
        return self.spec.location if self.spec else None

    def column_location(self, column: str) -> SourceLocation | None:
        cs = self.spec.column(column) if self.spec else None
        return cs.location if cs else self.location


@dataclass(frozen=True)
class Columns:
    """What each non-FK column gets (pass `columns`, then `exclusions`, `uniques`)."""

    specs: Mapping[str, GeneratorSpec]  # value columns
    skipped: Mapping[str, str]  # column -> why it is not inserted
    notes: Mapping[str, str]  # column -> why this generator ("spec" when the spec says)
    branching: Branching | None = None  # rows choose among the CHECKs' alternatives
    facts: Mapping[str, ColumnFacts] | None = None  # the CHECK facts its generators follow


@dataclass(frozen=True)
class Branching:
    """Per group of a table's ORs, the consistent combinations of their alternatives its rows
    choose among (compile/passes/branches.py): per value column whose generator differs,
    (group, one generator per branch; None: NULL there); per unique or FK column NULL in some
    branches, (group, in which)."""

    counts: tuple[int, ...]  # branches of each group (each at least two)
    cases: Mapping[str, tuple[int, tuple[GeneratorSpec | None, ...]]]
    nulls: Mapping[str, tuple[int, tuple[bool, ...]]]
    facts: tuple[Mapping[str, ColumnFacts], ...]  # every branch of every group: a row's facts


class LinkRole(Enum):
    """What a unique set asks of an FK link before its picker is chosen."""

    UNIQUE = "unique"  # each parent at most once
    DISTINCT_IN_PARENT = "distinct_in_parent"  # distinct parents within a per-parent group
    TUPLE = "tuple"  # one digit of the table's distinct key tuple


@dataclass(frozen=True)
class Numbering:
    """One distinct-tuple numbering of a table's rows (compile/passes/numbering.py)."""

    digits: tuple[str, ...] = ()  # FK link ids and finite columns, aliases included, in order
    shared: Mapping[str, str] = field(default_factory=lambda: frozen({}))  # alias -> digit
    # an alias -> further digits added to its own (c = a + b mod its radix)
    sums: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: frozen({}))

    @property
    def positions(self) -> list[str]:
        """The digits in order (members that reuse another's digit left out)."""
        return [d for d in self.digits if d not in self.shared]


@dataclass(frozen=True)
class Keys:
    """How a table's unique sets are met (pass `uniques`)."""

    unique_columns: frozenset[str] = frozenset()
    roles: Mapping[str, LinkRole] = field(default_factory=lambda: frozen({}))
    numberings: tuple[Numbering, ...] = ()  # the first one's stream key is the table's "tuple"

    @property
    def tuple_digits(self) -> tuple[str, ...]:
        return self.numberings[0].digits if self.numberings else ()

    @property
    def tuple_shared(self) -> Mapping[str, str]:
        return self.numberings[0].shared if self.numberings else frozen({})


@dataclass(frozen=True)
class Unit:
    """Everything the passes have decided so far (None: that pass has not run)."""

    ctx: Context
    linked: Mapping[str, Linked] = field(default_factory=lambda: frozen({}))
    counts: Mapping[str, CountDecision] = field(default_factory=lambda: frozen({}))
    trigger_filled: tuple[str, ...] = ()
    columns: Mapping[str, Columns] = field(default_factory=lambda: frozen({}))
    keys: Mapping[str, Keys] = field(default_factory=lambda: frozen({}))
    picks: Mapping[str, Mapping[str, r.Pick | None]] = field(default_factory=lambda: frozen({}))
    recipes: Mapping[str, r.TableRecipe] = field(default_factory=lambda: frozen({}))
    ordering: Ordering | None = None
    steps: tuple[Step, ...] = ()
    fill_columns: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: frozen({}))
    warnings: tuple[Problem, ...] = ()
    # value generators `recipes` built to check them, reused by `checks` (never in the Plan)
    built: Mapping[tuple[str, str], Generator] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )

    def count(self, table: str) -> int:
        decision = self.counts.get(table)
        return decision.count if decision else 0

    @property
    def seeded(self) -> list[Linked]:
        """Tables that get rows, in schema order."""
        return [
            t
            for name, t in self.linked.items()
            if self.count(name) > 0 and not self.counts[name].existing
        ]

    def left_alone(self, table: str) -> str | None:
        """Why the plan leaves this table alone (None: it may be seeded)."""
        selection = self.ctx.selection
        return selection.left_alone.get(table) if selection is not None else None
