"""Bind: Plan (recipes) -> runtime generate.Model (generators, pickers, layouts), nothing else.

Value generators are built by the kinds registry from the recipe's resolved params; links,
pickers and layouts are built here from their recipes. `on_error` lets the compiler collect a
kind's build error as a problem (the column then yields NULLs) instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from seedspec.errors import SeedspecError
from seedspec.generate import links as lk
from seedspec.generate.base import Generator
from seedspec.generate.model import Model, TableModel
from seedspec.generate.values import Nullable, NullValue
from seedspec.kinds import build_generator
from seedspec.kinds.spec import GeneratorSpec
from seedspec.plan import recipes as r
from seedspec.plan.model import Plan

OnError = Callable[[str, str, SeedspecError], None]


@dataclass(frozen=True)
class Built:
    """Runtime objects already made from a plan's recipes: per-parent layouts by table, value
    generators by (table, column)."""

    layouts: Mapping[str, lk.PerParentLayout] = field(default_factory=dict)
    values: Mapping[tuple[str, str], Generator] = field(default_factory=dict)


def bind(plan: Plan, on_error: OnError | None = None) -> Model:
    """The generation model of every table the plan seeds."""
    return bind_tables(plan.recipes, plan.seed, plan.locale, on_error)


def bind_tables(
    tables: Iterable[r.TableRecipe],
    seed: int,
    locale: str,
    on_error: OnError | None = None,
    built: Built | None = None,
) -> Model:
    """The model of these tables; `built`: layouts and value generators already made from
    the same recipes (the compiler's), used instead of making them again."""
    recipes = list(tables)
    done = built or Built()
    layouts = {
        t.name: done.layouts.get(t.name) or layout(t.layout)
        for t in recipes
        if t.layout is not None
    }
    model = Model(seed, {})
    for t in recipes:
        own = layouts.get(t.name)
        gens: dict[str, Generator] = {}
        for c in t.columns:  # lookups read this table's FK generators: built after them
            if (t.name, c.name) in done.values:
                gens[c.name] = done.values[(t.name, c.name)]
            elif not isinstance(c.recipe, r.LookupRecipe):
                gens[c.name] = _column(
                    c.recipe, t.name, c.name, seed, locale, own, layouts, on_error
                )
        for c in t.columns:
            if isinstance(c.recipe, r.LookupRecipe):
                gens[c.name] = _lookup(c.recipe, gens)
        ordered = {c.name: gens[c.name] for c in t.columns}
        model.tables[t.name] = TableModel(t.name, t.count, ordered, own, t.key_columns)
    return model


def layout(recipe: r.LayoutRecipe) -> lk.PerParentLayout:
    counts = lk.per_parent_counts(recipe.key, recipe.n_parents, recipe.dist, recipe.params.value())
    return lk.PerParentLayout(recipe.parent, counts)


def value_generator(
    recipe: r.ValueRecipe, seed: int, locale: str, table: str, column: str
) -> Generator:
    """The runtime generator of a value recipe (the kinds registry builds it)."""
    spec = GeneratorSpec(recipe.kind, recipe.params.value(), recipe.null, recipe.unique)
    key_params = recipe.key_params.value() if recipe.key_params is not None else None
    return build_generator(
        spec, seed=seed, locale=locale, table=table, column=column, key_params=key_params
    )


def _column(
    recipe: r.Recipe,
    table: str,
    column: str,
    seed: int,
    locale: str,
    own: lk.PerParentLayout | None,
    layouts: dict[str, lk.PerParentLayout],
    on_error: OnError | None,
) -> Generator:
    if isinstance(recipe, r.ValueRecipe):
        try:
            return value_generator(recipe, seed, locale, table, column)
        except SeedspecError as err:
            if on_error is None:
                raise
            on_error(table, column, err)
            return NullValue(0, {})
    if isinstance(recipe, r.RefRecipe):
        gen: Generator = lk.ForeignKeyColumn(
            recipe.parent, recipe.parent_column, picker(recipe.pick, own), recipe.fk
        )
        return Nullable(gen, recipe.null, recipe.null_key) if recipe.null else gen
    if isinstance(recipe, r.TupleChoiceRecipe):
        tuple_picker = picker(recipe.pick, own)
        assert isinstance(tuple_picker, lk.TuplePicker)
        return lk.TupleChoice(tuple_picker, list(recipe.options.value()["values"]))
    if isinstance(recipe, r.IndexInParentRecipe):
        assert own is not None
        return lk.IndexInParent(own, recipe.start)
    if isinstance(recipe, r.AggregateRecipe):
        return lk.Aggregate(recipe.child, layouts[recipe.child], recipe.fn, list(recipe.of))
    return NullValue(0, {})


def _lookup(recipe: r.LookupRecipe, gens: dict[str, Generator]) -> Generator:
    via = gens[recipe.via]
    assert isinstance(via, lk.ForeignKeyColumn)
    return lk.Lookup(via, recipe.parent_column)


def picker(pick: r.Pick, own: lk.PerParentLayout | None) -> lk.Picker:
    """The runtime picker of a pick recipe; `own`: the child table's per-parent layout."""
    if isinstance(pick, r.RandomPick):
        return lk.RandomPicker(pick.key, pick.n, pick.dist, pick.s)
    if isinstance(pick, r.PerParentPick):
        assert own is not None
        return lk.PerParentPicker(own)
    if isinstance(pick, r.UniquePick):
        return lk.UniquePicker(pick.key, pick.n, spill_null=pick.spill_null)
    if isinstance(pick, r.DistinctInParentPick):
        assert own is not None
        return lk.DistinctWithinParentPicker(pick.key, pick.n, own)
    if isinstance(pick, r.TuplePick):
        return lk.TuplePicker(pick.key, pick.radices, pick.position)
    if isinstance(pick, r.TreePick):
        return lk.TreePicker(pick.key, list(pick.starts), pick.root_links_self)
    if isinstance(pick, r.EarlierRowPick):
        return lk.EarlierRowPicker(pick.key, pick.root_links_self)
    if isinstance(pick, r.DifferentFromPick):
        return lk.DifferentFromPicker(picker(pick.inner, own), picker(pick.other, own), pick.n)
    if isinstance(pick, r.JointPick):
        joint = lk.JointPicker(pick.key, pick.parent, pick.column, pick.n)
        joint.others.extend(pick.others)
        return joint
    assert isinstance(pick, r.WherePick)
    pairs = [(pick.child_column, pick.parent_column)]
    return lk.WherePicker(pick.key, pick.table, pick.parent, pick.n, pairs)
