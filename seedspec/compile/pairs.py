"""Ordered FK pairs of a table: its links and CHECK facts -> the pairs of FKs to one parent
column whose values must be ordered (CHECK (low < high), (low <= high), (high > low))."""

from __future__ import annotations

from dataclasses import dataclass

from seedspec.compile.links import Link
from seedspec.compile.unit import Linked
from seedspec.database.facts import table_facts_of


@dataclass(frozen=True)
class Pair:
    low: Link
    high: Link
    strict: bool

    @property
    def op(self) -> str:
        return "<" if self.strict else "<="

    def text(self) -> str:
        return f"{self.low.fk.columns[0]} {self.op} {self.high.fk.columns[0]}"


def ordered_pairs(t: Linked) -> list[Pair]:
    """Each pair once, in column order; a link in two pairs keeps only its first."""
    out: list[Pair] = []
    used: set[str] = set()
    for column, f in table_facts_of(t.table).columns.items():
        if f.after is None:
            continue
        high, low = t.fk_columns.get(column), t.fk_columns.get(f.after[0])
        if high is None or low is None or high.id == low.id or {high.id, low.id} & used:
            continue
        if len(high.fk.columns) != 1 or len(low.fk.columns) != 1:
            continue
        if (high.fk.ref_table, high.fk.ref_columns) != (low.fk.ref_table, low.fk.ref_columns):
            continue
        out.append(Pair(low, high, f.after[1]))
        used.update((high.id, low.id))
    return out


def pair_of(t: Linked, link_id: str) -> Pair | None:
    return next((p for p in ordered_pairs(t) if link_id in (p.low.id, p.high.id)), None)
