"""FKs that reference one partition of a partitioned parent: a link + the parent's partition
rule -> the parent rows it may pick (row i of the parent goes to partition i % m, so the rows
of one partition are offset, offset + m, ...; database/partitions.py routes them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.compile.counts import CountDecision
from seedspec.compile.links import Link
from seedspec.compile.unit import Unit
from seedspec.database.facts import table_facts_of


def stripe(unit: Unit, link: Link) -> tuple[int, int] | None:
    """(offset, stride) of the parent rows the FK's partition holds; None: the FK references a
    whole table, or a partition no row is known to be routed to (see `unroutable`)."""
    if link.fk.ref_partition is None or unroutable(unit, link) is not None:
        return None
    parent = unit.ctx.schema.table(link.fk.ref_table)
    assert parent is not None
    return table_facts_of(parent).partition.stripe(link.fk.ref_partition)


def unroutable(unit: Unit, link: Link) -> tuple[str, str] | None:
    """(why, fix) when seedspec cannot tell which parent rows land in the FK's partition."""
    bound = link.fk.ref_partition
    parent = unit.ctx.schema.table(link.fk.ref_table)
    if bound is None or parent is None:
        return None
    rule = table_facts_of(parent).partition
    linked = unit.linked.get(parent.name)
    spec = linked.spec if linked else None
    given = [
        c
        for c, g in rule.generators
        if spec is not None
        and (cs := spec.column(c)) is not None
        and not _same_slots(cs.generator.params, g.params)
    ]
    if given:
        return (
            f"the spec gives {parent.name}.{given[0]} its own values",
            f"remove {given[0]} from {parent.name}'s columns in the spec: seedspec routes rows",
        )
    if rule.stripe(bound) is None:
        return (
            "no parent row is known to be routed there (a HASH partition of a key other than "
            "one integer column, or a DEFAULT one "
            "no value is known for)",
            f"seed the referencing table with `count: 0`, or reference {parent.name} itself",
        )
    return None


def parent_rows(unit: Unit, link: Link, counts: Mapping[str, CountDecision] | None = None) -> int:
    """How many parent rows the FK may pick: all of them, or those of its partition."""
    decided = unit.counts if counts is None else counts
    parent = decided.get(link.fk.ref_table)
    n = parent.count if parent else 0
    if link.fk.ref_partition is None:
        return n
    found = stripe(unit, link)
    if found is None:
        return 0
    offset, step = found
    return max(0, (n - offset + step - 1) // step)


def _same_slots(mine: Mapping[str, Any], routed: Mapping[str, Any]) -> bool:
    """Whether the spec's `partition` values are the routed ones (what `init` wrote)."""
    return [dict(p) for p in mine.get("parts") or []] == [dict(p) for p in routed["parts"]]
