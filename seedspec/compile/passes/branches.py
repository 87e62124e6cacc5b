"""Pass `columns`' per-row CHECK alternatives: TableFacts.branches -> a Branching (or None).

The facts give the consistent combinations of a table's CHECK alternatives (best first; the
first one the spec's generators fit leads, analysis.branchfit). Rows
choose among them (generate/branches.py) when every column whose facts differ between them can
follow: a value column gets one inferred generator per branch (NULL where its facts say so);
a UNIQUE member or an FK column may only be NULL in some branches (it keeps one generator or
pick); a column the spec gives keeps its generator (only the branches it fits come here); a
key or a column seedspec does not insert must have the same facts in every branch, else that
branch is dropped. Fewer than two branches left: None, and
every row takes the group's first branch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from seedspec.analysis.infer import infer_column
from seedspec.compile.unit import Branching, Linked, frozen
from seedspec.database.constraints import ColumnFacts
from seedspec.database.facts import TableFacts
from seedspec.spec.model import GeneratorSpec

_NONE = ColumnFacts()


def branching(
    t: Linked,
    tfacts: TableFacts,
    groups: tuple[tuple[Mapping[str, ColumnFacts], ...], ...],
    specs: dict[str, GeneratorSpec],
    skipped: Mapping[str, str],
) -> Branching | None:
    """The table's per-row branches, group by group; may replace `specs` of unique columns
    that are NULL in branch 0 by their generator of the first branch that is not."""
    counts: list[int] = []
    cases: dict[str, tuple[int, tuple[GeneratorSpec | None, ...]]] = {}
    nulls: dict[str, tuple[int, tuple[bool, ...]]] = {}
    every: list[Mapping[str, ColumnFacts]] = []
    for branches in groups:  # each group's first branch is the one the spec fits
        found = _group(t, tfacts, branches, specs, skipped)
        if found is None:
            continue
        kept, group_cases, group_nulls = found
        n = len(counts)
        counts.append(len(kept))
        cases.update({c: (n, v) for c, v in group_cases.items()})
        nulls.update({c: (n, v) for c, v in group_nulls.items()})
        every += kept
    if not counts:
        return None
    return Branching(tuple(counts), frozen(cases), frozen(nulls), tuple(every))


def _group(
    t: Linked,
    tfacts: TableFacts,
    branches: tuple[Mapping[str, ColumnFacts], ...],
    specs: dict[str, GeneratorSpec],
    skipped: Mapping[str, str],
) -> tuple[list[Mapping[str, ColumnFacts]], dict, dict] | None:
    """One group's kept branches, value columns' cases and NULL masks (None: one branch)."""
    uniques = {c for u in tfacts.uniques for c in u.columns}
    kept = _kept(t, branches, uniques, skipped)
    if len(kept) < 2:
        return None
    cases: dict[str, tuple[GeneratorSpec | None, ...]] = {}
    nulls: dict[str, tuple[bool, ...]] = {}
    for name in _names(t):
        facts = [_of(b, name) for b in kept]
        if _settled(t, name, facts):
            continue
        if name in t.fk_columns or name in uniques:
            if not _null_mask(t, name, facts, specs, nulls):
                return None
            continue
        made = tuple(None if f.null is True else _infer(t, name, f) for f in facts)
        if any(m is None for m, f in zip(made, facts, strict=True) if f.null is not True):
            return None  # a branch's facts leave this column without a generator
        if len(set(map(repr, made))) > 1:
            cases[name] = made
    if not cases and not nulls:
        return None
    return kept, cases, nulls


def _kept(
    t: Linked,
    branches: tuple[Mapping[str, ColumnFacts], ...],
    uniques: set[str],
    skipped: Mapping[str, str],
) -> list[Mapping[str, ColumnFacts]]:
    """Branch 0 and every other branch whose columns can all follow it (the branches come
    already fitted to the spec's generators: analysis.branchfit)."""
    table = t.table
    fixed = set(table.primary_key) | set(skipped)
    base = branches[0] if branches else {}
    kept = [base]
    for b in branches[1:]:
        if all(_follows(c, _of(b, c), _of(base, c), t, uniques, fixed) for c in _names(t)):
            kept.append(b)
    return kept


def _null_mask(
    t: Linked,
    name: str,
    facts: list[ColumnFacts],
    specs: dict[str, GeneratorSpec],
    nulls: dict[str, tuple[bool, ...]],
) -> bool:
    """A unique or FK column keeps one generator or pick, NULL in some branches (False: its
    branches ask two different sets of facts of it)."""
    if len({replace(f, null=None) for f in facts if f.null is not True}) > 1:
        return False
    if any(f.null is True for f in facts):
        nulls[name] = tuple(f.null is True for f in facts)
    if facts[0].null is True and name not in t.fk_columns:
        made = _infer(t, name, next(f for f in facts if f.null is not True))
        if made is None:
            return False
        specs[name] = made
    return True


def _settled(t: Linked, name: str, facts: list[ColumnFacts]) -> bool:
    """The same in every branch, or the spec's generator (which fits them all)."""
    return all(f == facts[0] for f in facts) or bool(t.spec and t.spec.column(name))


def _names(t: Linked) -> list[str]:
    return [c.name for c in t.table.columns]


def _of(branch: Mapping[str, ColumnFacts], name: str) -> ColumnFacts:
    return branch.get(name) or _NONE


def _follows(
    name: str,
    mine: ColumnFacts,
    base: ColumnFacts,
    t: Linked,
    uniques: set[str],
    fixed: set[str],
) -> bool:
    """Whether a column can take these facts in the rows of a branch and `base` in branch 0's."""
    if mine == base:
        return True
    if name in fixed:
        return False
    if name in t.fk_columns or name in uniques:
        col = t.table.column(name)
        nullable = col is not None and col.nullable
        same = replace(mine, null=None) == replace(base, null=None)
        return nullable and (same or mine.null is True or base.null is True)
    return True


def _infer(t: Linked, name: str, facts: ColumnFacts) -> GeneratorSpec | None:
    col = t.table.column(name)
    if col is None:
        return None
    made = infer_column(t.table, col, facts).generator
    if made is not None and col.nullable is False and made.null:
        return None
    return made
