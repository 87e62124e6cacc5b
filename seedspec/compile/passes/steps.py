"""Passes `order` and `steps`, and `plan`: recipes + FK edges -> insert order (cycles broken by
what the database can do), the ordered steps, and the frozen Plan."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import seedspec
from seedspec.compile.graph import Edge, order_tables
from seedspec.compile.passes.counts import trigger_edges
from seedspec.compile.passes.hatches import existing_problems, sql_steps
from seedspec.compile.passes.recipes import existing_rows
from seedspec.compile.unit import Errors, Unit, frozen
from seedspec.database.model import DbSchema
from seedspec.errors import Problem
from seedspec.generate.pools import mimesis_version
from seedspec.plan.model import (
    CycleBreak,
    FillDeferred,
    InsertRows,
    Plan,
    ResetSequences,
    RunSql,
    Step,
    VerifyForeignKeys,
)
from seedspec.plan.recipes import LeftAlone
from seedspec.spec.aftersql import refusals
from seedspec.spec.semantics import after_problem


def order(unit: Unit, errors: Errors) -> Unit:
    """Parents before children; a cycle no allowed mode can break is an error."""
    edges = []
    for t in unit.seeded:
        decision = unit.counts[t.name]
        for link in t.links:
            if link.fk.ref_table in unit.recipes and link.id in unit.picks[t.name]:
                per = decision.per_columns == link.fk.columns
                edges.append(Edge(t.name, link.fk.ref_table, link.fk, link.nullable, per))
    edges += trigger_edges(unit)  # a seeded table a trigger also fills loads before it
    ordering = order_tables([t.name for t in unit.seeded], edges, unit.ctx.capabilities)
    for cycle in ordering.unbreakable:
        spots = [unit.linked[t].location for t in cycle]
        where = ", ".join(str(s) for s in spots if s) or "no spec lines: inferred tables"
        errors.add(
            Problem(
                f"foreign keys form a cycle that cannot be loaded: {' -> '.join(cycle)}; none of "
                f"its FKs is nullable or deferrable (spec: {where}); make one nullable or "
                "DEFERRABLE, or seed one of these tables with `count: 0`",
                next((s for s in spots if s), None),
                code="cycle",
            )
        )
    return replace(unit, ordering=ordering)


def steps(unit: Unit, errors: Errors) -> Unit:
    """Inserts in order, fills of cycle columns inserted NULL, FK verification, sequences, SQL."""
    assert unit.ordering is not None
    updates: dict[str, list[str]] = {}
    for b in unit.ordering.broken:
        if b.mode == "update":
            updates.setdefault(b.edge.child, []).extend(b.edge.fk.columns)
    out: list[Step] = []
    for name in unit.ordering.order:
        t = unit.recipes[name]
        columns = tuple(c.name for c in t.columns)
        out.append(InsertRows(name, t.count, columns, tuple(updates.get(name, ())), t.count_from))
    for name in unit.ordering.order:
        if name not in updates:
            continue
        t = unit.recipes[name]
        if not t.key_columns:
            errors.add(
                Problem(
                    f"table {name!r} closes a FK cycle but has no primary or unique key to "
                    "fill it by; add a key or make the FK deferrable",
                    unit.linked[name].location,
                )
            )
        why = "nullable FK in a cycle: inserted NULL, filled now"
        out.append(FillDeferred(name, tuple(updates[name]), t.key_columns, t.count, why))
    suspended = _suspended(unit)
    if suspended:
        why = "loaded with FOREIGN_KEY_CHECKS=0 (NOT NULL cycle)"
        out.append(VerifyForeignKeys(suspended, why))
    out.append(ResetSequences(tuple(unit.ordering.order)))
    existing_problems(unit, errors)
    out += sql_steps(unit, errors)  # sql: columns, set before the spec's after: runs
    caps = unit.ctx.capabilities
    for i, after in enumerate(unit.ctx.spec.after):
        for refused in refusals(after.sql, caps.sqlglot_dialect, caps.implicit_commits):
            errors.add(after_problem(i, refused, after.location))
        out.append(RunSql(after.sql, str(after.location) if after.location else None))
    fills = {name: tuple(cols) for name, cols in updates.items()}
    return replace(unit, steps=tuple(out), fill_columns=frozen(fills))


def _suspended(unit: Unit) -> tuple[str, ...]:
    assert unit.ordering is not None
    broken = [b for b in unit.ordering.broken if b.mode == "suspend"]
    return tuple(sorted({t for b in broken for t in (b.edge.child, b.edge.parent)}))


def plan_of(unit: Unit, errors: Errors) -> Plan:
    """The frozen Plan: recipes in insert order, steps, flags, warnings, versions, fingerprint."""
    assert unit.ordering is not None
    ctx = unit.ctx
    broken = unit.ordering.broken
    return Plan(
        dialect=ctx.capabilities.name,
        seed=ctx.seed,
        locale=ctx.spec.locale,
        recipes=tuple(unit.recipes[name] for name in unit.ordering.order),
        steps=unit.steps,
        deferred_constraints=any(b.mode == "deferred" for b in broken),
        suspend_fk_checks=bool(_suspended(unit)),
        broken_edges=tuple(
            CycleBreak(b.edge.child, b.edge.parent, tuple(b.edge.fk.columns), b.mode)
            for b in broken
        ),
        trigger_filled=tuple(dict.fromkeys(unit.trigger_filled)),
        left_alone=_left_alone(unit),
        existing=existing_rows(unit) if ctx.existing is not None else (),
        warnings=tuple(errors.warnings),
        versions=(("mimesis", mimesis_version()), ("seedspec", seedspec.__version__)),
        schema_fingerprint=schema_fingerprint(ctx.schema),
    )


def _left_alone(unit: Unit) -> tuple[LeftAlone, ...]:
    """The tables the plan leaves alone, why, and the seeded tables each references."""
    if unit.ctx.selection is None:
        return ()
    seeded = set(unit.recipes)
    out = []
    for name, why in unit.ctx.selection.left_alone.items():
        table = unit.ctx.schema.table(name)
        refs = {fk.ref_table for fk in table.foreign_keys} if table is not None else set()
        out.append(LeftAlone(name, why, tuple(sorted(refs & seeded))))
    return tuple(out)


def schema_fingerprint(schema: DbSchema) -> str:
    """What the plan was compiled against: a hash of the schema's snapshot JSON."""
    return hashlib.blake2b(schema.to_json().encode(), digest_size=12).hexdigest()
