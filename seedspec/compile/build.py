"""The compiler: (Spec, DbSchema) -> frozen Plan, as the pass sequence PASSES, or every problem.

Each pass is `pass(unit, errors) -> unit` (see compile/unit.py); `STOP` marks a boundary where
the errors found so far end the run (CompileError) and the warnings go to the plan. The
resolved tables `init` and `preview` read are the output of pass `uniques`/`cap_counts`
(see compile/resolved.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from seedspec.analysis.drift import DriftError, DriftReport
from seedspec.analysis.reconcile import reconcile
from seedspec.analysis.selection import select_tables
from seedspec.compile.passes import columns, counts, oracle, pickers, recipes, steps, uniques
from seedspec.compile.unit import Context, Errors, Unit
from seedspec.database.model import DbSchema
from seedspec.dialects.capabilities import Capabilities, capabilities_for
from seedspec.errors import CompileError, Problem
from seedspec.plan.model import Plan
from seedspec.plan.recipes import ExistingRows
from seedspec.spec.model import Spec
from seedspec.timing import timed

Pass = Callable[[Unit, Errors], Unit]
STOP = None  # a pass boundary: errors so far end the run

PASSES: tuple[Pass | None, ...] = (
    counts.links,  # Spec + DbSchema -> FK links per table
    counts.counts,  # -> rows per table and why (fixed, per parent, trigger-filled)
    STOP,
    columns.columns,  # -> a generator (or why none) for every non-FK column
    uniques.uniques,  # -> EXCLUDE ranges disjoint; each unique set met by a column/link/tuple
    uniques.cap_counts,  # -> inferred counts capped to what the keys allow
    pickers.pickers,  # -> a pick recipe per FK link
    STOP,
    recipes.recipes,  # -> a TableRecipe per seeded table (column recipes in insert order)
    recipes.checks,  # bound model: no column dependency loop, enough distinct values
    oracle.oracle,  # -> an oracle recipe where a CHECK is not modelled (database-judged)
    STOP,
    steps.order,  # -> insert order, cycles broken by what the database can do
    STOP,
    steps.steps,  # -> inserts, fills, FK verification, sequence resets, after-SQL
    STOP,
)


@dataclass(frozen=True)
class Compiled:
    """The compiler's results: the Plan, and the unit every pass filled (init/preview)."""

    plan: Plan
    unit: Unit
    warnings: tuple[Problem, ...]


def run_passes(
    spec: Spec,
    schema: DbSchema,
    scale: float | None = None,
    capabilities: Capabilities | None = None,
    passes: tuple[Pass | None, ...] = PASSES,
    existing: Mapping[str, ExistingRows] | None = None,
) -> Compiled:
    """Run every pass; raises CompileError with every problem at the first failing boundary.
    `existing`: rows of left-alone tables read as FK parents (None: not read, assumed there)."""
    caps = capabilities or capabilities_for(schema.dialect)
    empty = [name for name, rows in (existing or {}).items() if rows.count == 0]
    selection = select_tables(spec, schema, empty)
    ctx = Context(spec, schema, spec.scale if scale is None else scale, caps, selection, existing)
    unit = Unit(ctx)
    errors = Errors()
    for problem in selection.problems:
        errors.add(problem)
    for step in passes:
        if step is STOP:
            errors.stop()
        else:
            unit = step(unit, errors)
    errors.stop()
    return Compiled(steps.plan_of(unit, errors), unit, tuple(errors.warnings))


@timed("compile the plan")
def compile_plan(
    spec: Spec,
    schema: DbSchema,
    scale: float | None = None,
    strict: bool = False,
    existing: Mapping[str, ExistingRows] | None = None,
) -> Plan:
    """Reconcile, then compile. Raises DriftError with every finding when the spec cannot be
    applied to this schema; the plan carries the warnings (`plan.drift`)."""
    report = reconcile(spec, schema).escalated(strict)
    if report.errors:
        raise DriftError(report)
    try:
        compiled = run_passes(spec, schema, scale, existing=existing)
    except CompileError as err:
        raise DriftError(
            report.extended(err.problems, unsatisfiable=True).escalated(strict)
        ) from None
    seen = {f.message for f in report.findings}
    report = report.extended(w for w in compiled.warnings if w.message not in seen)
    drift: DriftReport = report.escalated(strict)
    if drift.errors:
        raise DriftError(drift)
    return replace(compiled.plan, drift=drift)


__all__ = ["PASSES", "STOP", "Compiled", "compile_plan", "run_passes"]
