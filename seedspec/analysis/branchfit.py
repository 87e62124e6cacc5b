"""TableFacts + the table's spec -> its CHECK branches with the spec's generators honoured.

A table's ORs come as groups of consistent branches, best first (database.facts). When the spec
gives a column a generator (`display_type: {const: product}`), rows choose only among the
branches whose facts that generator fits (kinds.check_column finds nothing wrong), so a value
one alternative allows is not refused because the best alternative forbids it.
`row_facts` are the per-column facts of every group's first branch together: what reconcile
checks the spec against and what inference reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from seedspec import kinds
from seedspec.database.constraints import ColumnFacts
from seedspec.database.facts import TableFacts
from seedspec.database.model import DbTable
from seedspec.spec.model import TableSpec


@dataclass(frozen=True)
class FittedBranches:
    """``groups``: each group's branches that the spec's generators fit (all of them when none
    does not, the best first; the group's best alone when none fits, for reconcile to report);
    ``row_facts``: the table's facts with each group's first branch; ``varying``: the columns
    whose facts differ between the branches of their group (inferred row by row)."""

    groups: tuple[tuple[Mapping[str, ColumnFacts], ...], ...]
    row_facts: Mapping[str, ColumnFacts]
    varying: frozenset[str] = frozenset()


def fitted(
    table: DbTable, tfacts: TableFacts, spec: TableSpec | None, locale: str, seed: int
) -> FittedBranches:
    groups = []
    row = dict(tfacts.columns)
    varying: set[str] = set()
    for branches in tfacts.branches:
        fit = tuple(b for b in branches if _fits(table, b, spec, locale, seed)) or branches[:1]
        names = {n for b in branches for n in b}
        row.update({n: f for n, f in fit[0].items() if n in names})
        varying |= {n for n in names if any(b.get(n) != fit[0].get(n) for b in fit)}
        groups.append(fit)
    return FittedBranches(tuple(groups), row, frozenset(varying))


def _fits(
    table: DbTable,
    branch: Mapping[str, ColumnFacts],
    spec: TableSpec | None,
    locale: str,
    seed: int,
) -> bool:
    """Whether every generator the spec gives fits this branch's facts of its column."""
    for cs in spec.columns if spec else ():
        col = table.column(cs.name)
        if col is None:
            continue
        facts = branch.get(cs.name) or ColumnFacts()
        where = f"{table.name}.{cs.name}"
        if kinds.check_column(cs.generator, col, facts, kinds.FitContext(where, locale, seed)):
            return False
        if facts.null is True and not cs.generator.null:
            return False  # the spec fills a column this branch wants NULL
        if facts.null is False and cs.generator.null:
            return False
    return True
