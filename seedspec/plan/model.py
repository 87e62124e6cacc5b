"""Plan: the frozen, serialisable result of compile — table recipes, ordered steps, flags.

`Plan.to_json()` / `Plan.from_json()` round-trip exactly (`from_json(p.to_json()) == p`);
`digest()` hashes the canonical JSON without source locations or the load path, so comments,
formatting and the spec's path do not change it. `seedspec.plan.bind` makes it runnable.
Its JSON is described by schemas/plan-1.schema.json.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from seedspec.analysis.drift import DriftReport
from seedspec.errors import Problem, SeedspecError
from seedspec.plan import codec
from seedspec.plan import recipes as r
from seedspec.plan.params import canonical, without_locations

FORMAT = "seedspec-plan/1"
_NOT_HASHED = {"digest": False}


class _StepJson:
    def to_dict(self) -> dict[str, Any]:
        """The step as plan JSON ({"step": "insert", ...})."""
        data: dict[str, Any] = codec.to_data(self)
        return data


@dataclass(frozen=True)
class InsertRows(_StepJson):
    table: str
    count: int
    columns: tuple[str, ...]  # inserted columns, in order
    null_columns: tuple[str, ...] = ()  # inserted as NULL now, filled by a later FillDeferred
    reason: str = ""  # how the count was decided


@dataclass(frozen=True)
class FillDeferred(_StepJson):
    table: str
    columns: tuple[str, ...]
    key_columns: tuple[str, ...]
    count: int
    reason: str = ""


@dataclass(frozen=True)
class VerifyForeignKeys(_StepJson):
    tables: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True)
class ResetSequences(_StepJson):
    tables: tuple[str, ...]


@dataclass(frozen=True)
class RunSql(_StepJson):
    sql: str
    location: str | None = field(default=None, compare=False, metadata=_NOT_HASHED)


Step = InsertRows | FillDeferred | VerifyForeignKeys | ResetSequences | RunSql


@dataclass(frozen=True)
class CycleBreak:
    """A FK edge of a cycle and how it is broken: deferred | update | suspend."""

    child: str
    parent: str
    columns: tuple[str, ...]
    mode: str


@dataclass(frozen=True)
class Plan:
    dialect: str  # the database family the plan was compiled for ("mysql" for MariaDB too)
    seed: int
    locale: str
    recipes: tuple[r.TableRecipe, ...]  # every seeded table, in insert order
    steps: tuple[Step, ...]
    deferred_constraints: bool = False  # FKs checked at commit (DEFERRABLE / SQLite pragma)
    suspend_fk_checks: bool = False  # FK checks off during the load, verified by query
    broken_edges: tuple[CycleBreak, ...] = ()
    trigger_filled: tuple[str, ...] = ()  # tables whose rows come from triggers on others
    left_alone: tuple[r.LeftAlone, ...] = ()  # never seeded nor cleared, and why
    existing: tuple[r.ExistingRows, ...] = ()  # rows of left-alone tables read as FK parents
    warnings: tuple[Problem, ...] = ()  # compile warnings, the one diagnostic type
    versions: tuple[tuple[str, str], ...] = ()
    schema_fingerprint: str = ""
    load_path: str = field(default="default", metadata=_NOT_HASHED)  # "bulk" | "default"
    load_path_reason: str = field(default="", metadata=_NOT_HASHED)
    drift: DriftReport = field(default_factory=DriftReport, compare=False, metadata={"json": False})

    @property
    def tables(self) -> list[str]:
        return [s.table for s in self.steps if isinstance(s, InsertRows)]

    @property
    def total_rows(self) -> int:
        return sum(s.count for s in self.steps if isinstance(s, InsertRows))

    def recipe(self, table: str) -> r.TableRecipe | None:
        return next((t for t in self.recipes if t.name == table), None)

    def digest(self) -> str:
        """blake2b over the canonical JSON: no locations, no load path."""
        data = without_locations(codec.to_data(self, digest=True))
        return hashlib.blake2b(canonical(data).encode(), digest_size=12).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON data: `format`, every field, and the derived `digest`, `total_rows`."""
        data = codec.to_data(self)
        return {"format": FORMAT, **data, "total_rows": self.total_rows, "digest": self.digest()}

    def to_json(self) -> str:
        return canonical(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        if data.get("format") != FORMAT:
            raise SeedspecError(
                f"not a seedspec plan (format {data.get('format')!r}, want {FORMAT})"
            )
        plan: Plan = codec.from_data(cls, data)
        if "digest" in data and data["digest"] != plan.digest():
            raise SeedspecError("plan digest does not match its contents; the file was edited")
        return plan

    @classmethod
    def from_json(cls, text: str) -> Plan:
        return cls.from_dict(json.loads(text))


codec.register(
    "pick",
    {
        r.RandomPick: "random",
        r.PerParentPick: "per_parent",
        r.UniquePick: "unique",
        r.DistinctInParentPick: "distinct_in_parent",
        r.TuplePick: "tuple",
        r.TreePick: "tree",
        r.EarlierRowPick: "earlier_row",
        r.DifferentFromPick: "different_from",
        r.StripedPick: "striped",
        r.JointPick: "joint",
        r.WherePick: "where",
        r.OrderedPairPick: "ordered_pair",
        r.AbovePick: "above",
        r.TreeInGroupPick: "tree_in_group",
    },
)
codec.register(
    "type",
    {
        r.ValueRecipe: "value",
        r.RefRecipe: "ref",
        r.TupleChoiceRecipe: "tuple_choice",
        r.IndexInParentRecipe: "index_in_parent",
        r.LookupRecipe: "lookup",
        r.AggregateRecipe: "aggregate",
        r.NullRecipe: "null",
    },
)
codec.register(
    "step",
    {
        InsertRows: "insert",
        FillDeferred: "fill",
        VerifyForeignKeys: "verify_fks",
        ResetSequences: "reset_sequences",
        RunSql: "sql",
    },
)
