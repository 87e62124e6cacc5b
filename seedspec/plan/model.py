"""Plan: the ordered steps of a seed run (recipes, not rows) and their JSON form."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from seedspec.analysis.drift import DriftReport
from seedspec.errors import Problem, SourceLocation
from seedspec.generate.model import Model


@dataclass(frozen=True)
class InsertRows:
    table: str
    count: int
    columns: tuple[str, ...]  # inserted columns, in order
    null_columns: tuple[str, ...] = ()  # inserted as NULL now, filled by a later FillDeferred
    generators: dict[str, Any] = field(default_factory=dict)  # column -> description
    reason: str = ""  # how the count was decided

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": "insert",
            "table": self.table,
            "rows": self.count,
            "columns": list(self.columns),
            "null_then_fill": list(self.null_columns),
            "count_from": self.reason,
            "generators": self.generators,
        }


@dataclass(frozen=True)
class FillDeferred:
    table: str
    columns: tuple[str, ...]
    key_columns: tuple[str, ...]
    count: int
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": "fill",
            "table": self.table,
            "columns": list(self.columns),
            "key": list(self.key_columns),
            "rows": self.count,
            "why": self.reason,
        }


@dataclass(frozen=True)
class VerifyForeignKeys:
    tables: tuple[str, ...]
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"step": "verify_fks", "tables": list(self.tables), "why": self.reason}


@dataclass(frozen=True)
class ResetSequences:
    tables: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"step": "reset_sequences", "tables": list(self.tables)}


@dataclass(frozen=True)
class RunSql:
    sql: str
    location: SourceLocation | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"step": "sql", "sql": self.sql}
        if self.location:
            out["at"] = str(self.location)
        return out


Step = InsertRows | FillDeferred | VerifyForeignKeys | ResetSequences | RunSql


@dataclass
class Plan:
    dialect: str
    seed: int
    steps: list[Step]
    model: Model
    deferred_constraints: bool = False  # PostgreSQL SET CONSTRAINTS ALL DEFERRED / SQLite pragma
    suspend_fk_checks: bool = False  # MySQL FOREIGN_KEY_CHECKS=0 during the load
    broken_edges: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    spec_digest: str = ""
    schema_fingerprint: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    drift: DriftReport = field(default_factory=DriftReport)
    trigger_filled: list[str] = field(default_factory=list)  # rows come from triggers on others
    load_path: str = "default"  # "bulk": constraints set aside and restored (PostgreSQL)
    load_path_reason: str = ""

    @property
    def tables(self) -> list[str]:
        return [s.table for s in self.steps if isinstance(s, InsertRows)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "seedspec-plan/1",
            "dialect": self.dialect,
            "seed": self.seed,
            "spec_digest": self.spec_digest,
            "schema_fingerprint": self.schema_fingerprint,
            "versions": self.versions,
            "deferred_constraints": self.deferred_constraints,
            "suspend_fk_checks": self.suspend_fk_checks,
            "cycles_broken": self.broken_edges,
            "filled_by_triggers": self.trigger_filled,
            "load_path": self.load_path,
            "load_path_reason": self.load_path_reason,
            "total_rows": sum(s.count for s in self.steps if isinstance(s, InsertRows)),
            "steps": [s.to_dict() for s in self.steps],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def digest(self) -> str:
        text = json.dumps(self.to_dict(), sort_keys=True, default=str)
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
