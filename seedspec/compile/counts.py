"""Row counts: table specs + FK links -> rows per table (fixed, scaled, or drawn per parent row)."""

from __future__ import annotations

from dataclasses import dataclass, field

from seedspec.analysis.infer import DEFAULT_COUNT
from seedspec.errors import Problem
from seedspec.generate.layouts import PerParentLayout
from seedspec.generate.random import stream_key
from seedspec.plan.params import Params
from seedspec.plan.recipes import LayoutRecipe
from seedspec.spec.model import CountSpec


@dataclass(frozen=True)
class CountDecision:
    count: int
    reason: str
    layout: PerParentLayout | None = field(default=None, compare=False)
    per_columns: tuple[str, ...] = ()  # the FK columns assigned by the per-parent layout
    recipe: LayoutRecipe | None = None  # how `layout` is drawn again at bind time
    existing: bool = False  # a table left alone: `count` is its rows already there (parents)


def scaled(n: int, scale: float) -> int:
    return max(0, int(round(n * scale)))


def fixed_count(spec: CountSpec | None, scale: float) -> CountDecision:
    if spec is None:
        n = scaled(DEFAULT_COUNT, scale)
        return CountDecision(max(n, 1 if scale > 0 else 0), f"default {DEFAULT_COUNT} x scale")
    assert spec.fixed is not None
    return CountDecision(scaled(spec.fixed, scale), f"count {spec.fixed} x scale {scale:g}")


def per_parent_count(
    seed: int, table: str, spec: CountSpec, n_parents: int, fk_columns: tuple[str, ...]
) -> CountDecision:
    params = {k: v for k, v in spec.params.items() if v is not None}
    key = stream_key(seed, table, "count", spec.per, spec.dist, sorted(params.items()))
    layout = PerParentLayout.drawn(spec.per or "", key, n_parents, spec.dist, params)
    recipe = LayoutRecipe(spec.per or "", n_parents, key, spec.dist, Params.of(params))
    lo, hi = layout.lowest, layout.widest
    mean = layout.count / n_parents if n_parents else 0.0
    reason = f"per {spec.per} row: {spec.dist} {lo}..{hi} (mean {mean:.2f})"
    return CountDecision(layout.count, reason, layout, fk_columns, recipe)


def cap_problem(table: str, count: int, cap: int, why: str, location: object) -> Problem:
    return Problem(
        f"table {table!r}: {count} rows asked but only {cap} distinct rows are possible ({why}); "
        "lower the count",
        location,  # type: ignore[arg-type]
        code="unfillable",
    )
