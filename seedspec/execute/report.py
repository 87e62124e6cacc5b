"""Apply reports: what a load did -> the `report` of `apply -o json` (docs/OUTPUT.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TableReport:
    table: str
    rows: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        rate = self.rows / self.seconds if self.seconds > 0 else None
        return {
            "table": self.table,
            "rows": self.rows,
            "seconds": round(self.seconds, 4),
            "rows_per_second": round(rate) if rate else None,
        }


@dataclass
class ApplyReport:
    tables: list[TableReport] = field(default_factory=list)
    seconds: float = 0.0
    plan_digest: str = ""
    sequences_moved: int = 0
    cleared: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)  # never written nor cleared
    emptied: list[str] = field(default_factory=list)  # unseeded, referencing a cleared table
    load_path: str = "default"
    validate_seconds: float = 0.0
    oracle_rows: int = 0  # rows whose CHECK-oracle candidate is an attempt > 0
    oracle_skipped: list[str] = field(default_factory=list)  # tables it could not judge
    noop: bool = False  # the ledger says this plan already seeded these tables: nothing written
    ledger: dict[str, Any] | None = None  # that entry, or the one this apply recorded
    ledger_table: str = ""
    # a sharded load (execute/shards.py): {"index", "count", "part_rows", "held"} for a shard,
    # {"finish": true, "count", "part_rows", "verified"} for --finish; None for a plain apply
    shard: dict[str, Any] | None = None

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "rows": self.rows,
            "seconds": round(self.seconds, 4),
            "plan_digest": self.plan_digest,
            "sequences_moved": self.sequences_moved,
            "cleared": self.cleared,
            "left_alone": self.left_alone,
            "emptied": self.emptied,
            "load_path": self.load_path,
            "validate_seconds": round(self.validate_seconds, 4),
            "oracle_rows": self.oracle_rows,
            "oracle_skipped": self.oracle_skipped,
            "noop": self.noop,
            "ledger_table": self.ledger_table,
            "ledger": self.ledger,
            "shard": self.shard,
            "tables": [t.to_dict() for t in self.tables],
        }
