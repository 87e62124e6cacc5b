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
from seedspec.generate import routing
from seedspec.generate.attempts import Attempted, Choices
from seedspec.generate.base import Generator
from seedspec.generate.branches import Branched, BranchNull, branch_key
from seedspec.generate.model import Model, TableModel
from seedspec.generate.pairs import AbovePicker, GroupTreePicker, OrderedPairPicker
from seedspec.generate.random import stream_key
from seedspec.generate.values import ExistingValue, Nullable, NullValue, key_for
from seedspec.kinds import build_generator
from seedspec.kinds.spec import GeneratorSpec
from seedspec.plan import recipes as r
from seedspec.plan.model import Plan
from seedspec.plan.oracle import OracleColumn, OracleRecipe
from seedspec.startgc import resume as resume_gc

OnError = Callable[[str, str, SeedspecError], None]


@dataclass(frozen=True)
class Built:
    """Runtime objects already made from a plan's recipes: per-parent layouts by table, value
    generators by (table, column)."""

    layouts: Mapping[str, lk.PerParentLayout] = field(default_factory=dict)
    values: Mapping[tuple[str, str], Generator] = field(default_factory=dict)


def bind(plan: Plan, on_error: OnError | None = None) -> Model:
    """The generation model of every table the plan seeds (and the rows it reads as parents)."""
    resume_gc()  # start-up is over: rows are made from here (seedspec/startgc.py)
    return bind_tables(plan.recipes, plan.seed, plan.locale, on_error, existing=plan.existing)


def bind_tables(
    tables: Iterable[r.TableRecipe],
    seed: int,
    locale: str,
    on_error: OnError | None = None,
    built: Built | None = None,
    existing: Iterable[r.ExistingRows] = (),
) -> Model:
    """The model of these tables; `built`: layouts and value generators already made from
    the same recipes (the compiler's), used instead of making them again; `existing`: tables
    left alone whose rows are parents (their referenced columns as read)."""
    recipes = list(tables)
    done = built or Built()
    layouts = {
        t.name: done.layouts.get(t.name) or layout(t.layout)
        for t in recipes
        if t.layout is not None
    }
    model = Model(seed, {})
    for e in existing:
        data = e.values.value()["columns"]
        gens_e: dict[str, Generator] = {
            c: ExistingValue(list(v)) for c, v in zip(e.columns, data, strict=True)
        }
        model.tables[e.name] = TableModel(e.name, e.count, gens_e)
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
                gens[c.name] = _lookup(c.recipe, gens, (seed, t.name, c.name), locale)
        ordered = {c.name: gens[c.name] for c in t.columns}
        if t.oracle is not None:
            ordered.update(attempted(t, t.oracle, ordered, seed, locale))
        model.tables[t.name] = TableModel(t.name, t.count, ordered, own, t.key_columns)
    return model


def attempted(
    t: r.TableRecipe, oracle: OracleRecipe, gens: Mapping[str, Generator], seed: int, locale: str
) -> dict[str, Generator]:
    """The columns the oracle varies, wrapped: each row takes its chosen attempt's value (one
    Choices per group of CHECKs, so groups are satisfied independently)."""
    out: dict[str, Generator] = {}
    for group in oracle.groups:
        varied = [c for c in oracle.columns if c.group == group and c.name in gens]
        combos = 1
        for c in varied:  # the mixed-radix numbering of option combinations (capped: past
            combos = min(combos * c.options(), oracle.attempts)  # the budget each hashes)
        choices = Choices(t.name, t.count, oracle.attempts, combos, seed, group)
        stride = 1
        for c in varied:
            out[c.name] = _attempted(t, c, gens[c.name], choices, stride, seed, locale)
            stride = min(stride * c.options(), oracle.attempts)
    return out


def _attempted(
    t: r.TableRecipe,
    c: OracleColumn,
    gen: Generator,
    choices: Choices,
    stride: int,
    seed: int,
    locale: str,
) -> Attempted:
    recipe = t.column(c.name)

    def redraw(attempt: int) -> Generator:
        if isinstance(recipe, r.RefRecipe) and isinstance(recipe.pick, r.RandomPick):
            # an FK drawn at random (oracle.py: the high side of an unbuilt FK-pair CHECK):
            # the same distribution over the parent rows from another stream
            key = stream_key(recipe.pick.key, "attempt", attempt)
            pick = lk.RandomPicker(key, recipe.pick.n, recipe.pick.dist, recipe.pick.s)
            return lk.ForeignKeyColumn(recipe.parent, recipe.parent_column, pick, recipe.fk)
        assert isinstance(recipe, r.ValueRecipe)
        # the same seed (mimesis pools stay shared and cached), another stream: the key is
        # (seed, table, column + attempt, row)
        return value_generator(recipe, seed, locale, t.name, f"{c.name}\x1fattempt {attempt}")

    can_redraw = c.redraw and isinstance(recipe, (r.ValueRecipe, r.RefRecipe))
    return Attempted(
        gen,
        redraw if can_redraw else None,
        null=c.null,
        literals=list(c.literals.value()),
        choices=choices,
        stride=stride,
        key=stream_key(seed, t.name, c.name, "attempt options"),
    )


def choices_of(model: Model, table: str) -> dict[int, Choices]:
    """Group -> the attempt choices of a table whose columns the oracle varies."""
    tm = model.tables.get(table)
    out: dict[int, Choices] = {}
    for gen in tm.generators.values() if tm is not None else ():
        if isinstance(gen, Attempted):
            out[gen.choices.group] = gen.choices
    return out


def layout(recipe: r.LayoutRecipe) -> lk.PerParentLayout:
    params = recipe.params.value()
    return lk.PerParentLayout.drawn(
        recipe.parent, recipe.key, recipe.n_parents, recipe.dist, params
    )


def value_generator(
    recipe: r.ValueRecipe, seed: int, locale: str, table: str, column: str
) -> Generator:
    """The runtime generator of a value recipe (the kinds registry builds it); with cases,
    each row takes its CHECK branch's (generate/branches.py)."""
    if recipe.cases is not None:
        cases = [
            value_generator(c, seed, locale, table, column) if c is not None else None
            for c in recipe.cases
        ]
        return Branched(cases, branch_key(seed, table, recipe.branch_group or 0))
    spec = GeneratorSpec(recipe.kind, recipe.params.value(), recipe.null, recipe.unique)
    key_params = recipe.key_params.value() if recipe.key_params is not None else None
    gen = build_generator(
        spec, seed=seed, locale=locale, table=table, column=column, key_params=key_params
    )
    if recipe.branch_null is not None:
        return BranchNull(
            gen, recipe.branch_null, branch_key(seed, table, recipe.branch_group or 0)
        )
    return gen


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
        if recipe.branch_null is not None:
            key = branch_key(seed, table, recipe.branch_group or 0)
            gen = BranchNull(gen, recipe.branch_null, key)
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


def _lookup(
    recipe: r.LookupRecipe, gens: dict[str, Generator], at: tuple[int, str, str], locale: str
) -> Generator:
    via = gens[recipe.via]
    assert isinstance(via, lk.ForeignKeyColumn)
    found = lk.Lookup(via, recipe.parent_column)
    if recipe.derive != "city":
        return found
    from seedspec.generate.places import CityOfCountry  # only a plan that asks
    from seedspec.kinds.places import COUNTRY_LOCALES

    seed, table, column = at
    key = key_for(seed, table, column, {"kind": "lookup", "as": "city"})
    return CityOfCountry(key, found, COUNTRY_LOCALES, locale=locale, seed=seed)


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
        return lk.TuplePicker(pick.key, pick.radices, pick.position, pick.plus or (), pick.modulus)
    if isinstance(pick, r.TreePick):
        return lk.TreePicker(pick.key, list(pick.starts), pick.root_links_self)
    if isinstance(pick, r.EarlierRowPick):
        return lk.EarlierRowPicker(pick.key, pick.root_links_self)
    if isinstance(pick, r.DifferentFromPick):
        return lk.DifferentFromPicker(picker(pick.inner, own), picker(pick.other, own), pick.n)
    if isinstance(pick, r.StripedPick):
        return routing.StripedPicker(picker(pick.inner, own), pick.offset, pick.stride)
    if isinstance(pick, r.JointPick):
        joint = lk.JointPicker(pick.key, pick.parent, pick.column, pick.n)
        joint.others.extend(pick.others)
        return joint
    if isinstance(pick, r.OrderedPairPick):
        inner = picker(pick.inner, own)
        return OrderedPairPicker(inner, pick.n, pick.strict, pick.high, pick.parent, pick.column)
    if isinstance(pick, r.AbovePick):
        above = AbovePicker(pick.key, pick.n, pick.strict, pick.high, pick.parent, pick.column)
        above.anchor_high = pick.anchor_high
        return above
    if isinstance(pick, r.TreeInGroupPick):
        return GroupTreePicker(pick.key, pick.table, pick.n, pick.column, pick.root_links_self)
    assert isinstance(pick, r.WherePick)
    pairs = [(pick.child_column, pick.parent_column)]
    return lk.WherePicker(pick.key, pick.table, pick.parent, pick.n, pairs)
