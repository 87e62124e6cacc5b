"""Passes `recipes` and `checks`: every seeded table -> its TableRecipe (a recipe per produced
column, in insert order), then the bound model is checked: no column dependency loop, enough
distinct values for every unique column."""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

from seedspec.analysis.closing import closed, outside_type
from seedspec.analysis.shaping import interval_limits, text_limits
from seedspec.compile.links import Link
from seedspec.compile.passes.numbering import digit_values, numbering_of
from seedspec.compile.passes.pickers import tuple_pick
from seedspec.compile.unit import Branching, Errors, Linked, Unit, frozen
from seedspec.database.constraints import ColumnFacts
from seedspec.database.model import DbColumn
from seedspec.errors import Problem, SeedspecError
from seedspec.generate.base import Generator
from seedspec.generate.model import Model
from seedspec.generate.random import stream_key
from seedspec.kinds import resolve_column_defaults
from seedspec.plan import bind
from seedspec.plan import recipes as r
from seedspec.plan.params import Params
from seedspec.spec.model import GeneratorSpec


@dataclass(frozen=True)
class Pending:
    """A lookup or aggregate column, until every table's other recipes exist."""


Draft = dict[str, r.Recipe | Pending]  # one table's column recipes, in insert order


def recipes(unit: Unit, errors: Errors) -> Unit:
    drafts: dict[str, Draft] = {}
    built: dict[tuple[str, str], Generator] = {}
    for t in unit.seeded:
        drafts[t.name] = {
            col.name: _column(unit, t, col, errors, built)
            for col in t.table.columns
            if col.name not in unit.columns[t.name].skipped
            and (col.name in t.fk_columns or col.name in unit.columns[t.name].specs)
        }
    out: dict[str, r.TableRecipe] = {}
    for t in unit.seeded:  # lookups and aggregates read other tables' recipes
        specs = unit.columns[t.name].specs
        cols = [
            r.ColumnRecipe(name, _linked(unit, t, specs[name], drafts, errors))
            if isinstance(recipe, Pending)
            else r.ColumnRecipe(name, recipe)
            for name, recipe in drafts[t.name].items()
        ]
        decision = unit.counts[t.name]
        key_cols = t.table.primary_key or next(
            (u.columns for u in t.table.uniques if not u.predicate and u.columns), ()
        )
        out[t.name] = r.TableRecipe(
            t.name, decision.count, decision.reason, tuple(cols), tuple(key_cols), decision.recipe
        )
    return replace(unit, recipes=frozen(out), built=MappingProxyType(built))


def _column(
    unit: Unit,
    t: Linked,
    col: DbColumn,
    errors: Errors,
    built: dict[tuple[str, str], Generator],
) -> r.Recipe | Pending:
    link = t.fk_columns.get(col.name)
    if link is not None:
        return _fk(unit, t, link, col.name, errors)
    g = unit.columns[t.name].specs[col.name]
    if numbering_of(unit.keys[t.name], col.name) is not None:
        pick = tuple_pick(unit, t, col.name, errors)
        return r.TupleChoiceRecipe(Params.of({"values": digit_values(g) or []}), pick)
    if g.kind == "index_in_parent":
        if unit.counts[t.name].layout is None:
            errors.add(
                Problem("index_in_parent needs the table's count to be `per:` a parent", g.location)
            )
            return r.NullRecipe()
        return r.IndexInParentRecipe(int(g.params.get("start", 1)))
    if g.kind in ("lookup", "aggregate"):
        return Pending()
    cols = unit.columns[t.name]
    facts = (cols.facts or {}).get(col.name)
    stored = not unit.ctx.capabilities.stores_any_value  # the type bounds values
    if (outside := outside_type(g, col, stored)) is not None:
        errors.add(
            Problem(
                f"{t.name}.{col.name}: {outside[0]} but its type "
                f"{col.sql_type or col.type} stores {outside[1]}",
                g.location or t.location,
                code="range-outside-type",
                table=t.name,
                column=col.name,
                fix="narrow the generator's range to what the column's type stores",
            )
        )
        return r.NullRecipe()
    recipe = _branched(value_recipe(g, col, facts, stored), cols.branching, col)
    try:  # built now so that a kind's build error is reported here, in column order
        gen = bind.value_generator(recipe, unit.ctx.seed, unit.ctx.spec.locale, t.name, col.name)
    except SeedspecError as err:
        errors.add(Problem(err.message, g.location or t.location))
        return r.NullRecipe()
    built[(t.name, col.name)] = gen
    return recipe


def value_recipe(
    g: GeneratorSpec, col: DbColumn | None, facts: ColumnFacts | None = None, stored: bool = True
) -> r.ValueRecipe:
    """A value kind with the column's defaults resolved in (decimal scale, text length; and
    for words, the case, trimming and excluded values its CHECKs ask: a spec's `gen` honours
    `lower(x) = x` as an inferred one does; an open min / max, from / to or length takes the
    CHECK's bound, analysis/closing.py). The stream key keeps the spec's own params."""
    resolved = resolve_column_defaults(
        closed(g, col, facts, stored), col
    )  # open sides: the CHECK's
    if g.kind == "gen" and facts is not None:
        shaped = {**text_limits(facts), **resolved.params}
        resolved = replace(resolved, params=shaped)
    if g.kind == "interval" and facts is not None:  # `d <= '01:00:00'::interval`: its seconds
        resolved = replace(resolved, params={**interval_limits(facts), **resolved.params})
    key_params = Params.of(g.params) if resolved.params != g.params else None
    return r.ValueRecipe(g.kind, Params.of(resolved.params), g.null, g.unique, key_params)


def _branched(recipe: r.ValueRecipe, branching: Branching | None, col: DbColumn) -> r.ValueRecipe:
    """The recipe with its CHECK branches: a recipe per branch, or the branches it is NULL in."""
    if branching is None:
        return recipe
    if (cases := branching.cases.get(col.name)) is not None:
        made = tuple(value_recipe(c, col) if c is not None else None for c in cases[1])
        return replace(recipe, cases=made, branch_group=cases[0])
    if (nulls := branching.nulls.get(col.name)) is not None:
        return replace(recipe, branch_null=nulls[1], branch_group=nulls[0])
    return recipe


def _fk(unit: Unit, t: Linked, link: Link, column: str, errors: Errors) -> r.Recipe:
    pick = unit.picks[t.name].get(link.id)
    if pick is None:
        return r.NullRecipe()
    ref_col = link.fk.ref_columns[link.fk.columns.index(column)]
    if unit.counts[link.fk.ref_table].existing:  # rows already there: their keys as read
        null = link.spec.null if link.spec is not None else 0.0
        null_key = stream_key(unit.ctx.seed, t.name, column, "null") if null else 0
        return r.RefRecipe(link.fk.ref_table, ref_col, link.id, pick, null, null_key)
    parent, parent_linked = unit.columns[link.fk.ref_table], unit.linked[link.fk.ref_table]
    if ref_col in parent.skipped or (
        ref_col not in parent.specs and ref_col not in parent_linked.fk_columns
    ):
        errors.add(
            Problem(
                f"{t.name}.{column} references {link.fk.ref_table}.{ref_col}, which seedspec "
                "does not generate",
                t.column_location(column),
            )
        )
    null = link.spec.null if link.spec is not None else 0.0
    null_key = stream_key(unit.ctx.seed, t.name, column, "null") if null else 0
    branching = unit.columns[t.name].branching
    group, nulls = (branching.nulls.get(column) if branching else None) or (None, None)
    return r.RefRecipe(link.fk.ref_table, ref_col, link.id, pick, null, null_key, nulls, group)


def _linked(
    unit: Unit, t: Linked, g: GeneratorSpec, drafts: dict[str, Draft], errors: Errors
) -> r.Recipe:
    if g.kind == "aggregate":
        return _aggregate(unit, t, g, drafts, errors)
    fk_col, parent_col = g.params["fk_column"], g.params["parent_column"]
    via = drafts[t.name].get(fk_col)
    if not isinstance(via, r.RefRecipe) or via.null or via.branch_null:
        errors.add(
            Problem(f"lookup: {fk_col!r} is not a foreign key column of {t.name!r}", g.location)
        )
        return r.NullRecipe()
    if unit.counts[via.parent].existing:
        existing = (unit.ctx.existing or {}).get(via.parent)
        if existing is None or parent_col not in existing.columns:
            errors.add(
                Problem(
                    f"lookup: {via.parent} is left alone ({unit.left_alone(via.parent)}); only "
                    "the key columns its children reference are read from its rows",
                    g.location,
                )
            )
            return r.NullRecipe()
        return r.LookupRecipe(fk_col, parent_col, g.params.get("as"))
    if (
        parent_col not in unit.columns[via.parent].specs
        and parent_col not in unit.linked[via.parent].fk_columns
    ):
        errors.add(
            Problem(f"lookup: {via.parent}.{parent_col} is not generated by seedspec", g.location)
        )
        return r.NullRecipe()
    return r.LookupRecipe(fk_col, parent_col, g.params.get("as"))


def _aggregate(
    unit: Unit, t: Linked, g: GeneratorSpec, drafts: dict[str, Draft], errors: Errors
) -> r.Recipe:
    child = g.params["table"]
    layout = unit.counts[child].recipe if child in drafts else None
    if layout is None or layout.parent != t.name:
        errors.add(
            Problem(
                f"aggregate: {child!r} must be counted per {t.name!r} "
                f"(count: {{per: {t.name}}}) to aggregate its rows",
                g.location,
                code="aggregate",
                table=t.name,
            )
        )
        return r.NullRecipe()
    of = list(g.params.get("of") or [])
    missing = [c for c in of if c not in drafts[child]]
    if missing:
        errors.add(
            Problem(
                f"aggregate: {child} does not generate {', '.join(missing)}",
                g.location,
                code="aggregate",
                table=t.name,
            )
        )
        return r.NullRecipe()
    return r.AggregateRecipe(child, g.params.get("fn", "sum"), tuple(of))


def checks(unit: Unit, errors: Errors) -> Unit:
    """Bind the recipes and check what only the generators know."""
    ctx = unit.ctx
    layouts = {n: d.layout for n, d in unit.counts.items() if d.recipe and d.layout}
    done = bind.Built(layouts, unit.built)
    model = bind.bind_tables(
        unit.recipes.values(), ctx.seed, ctx.spec.locale, built=done, existing=existing_rows(unit)
    )
    _unproduced_reads(unit, model, errors)
    _sql_reads(unit, model, errors)
    _dependency_cycles(unit, model, errors)
    _distinct_limits(unit, model, errors)
    return unit


def _unproduced_reads(unit: Unit, model: Model, errors: Errors) -> None:
    """A column that reads another of its row (template, from, when, offset) which seedspec
    does not produce (no such column, `default: true`, generated): located, not a failure at
    generation time."""
    for tm in model.tables.values():
        for column, gen in tm.generators.items():
            for table, read in gen.depends_on():
                if table is not None or read in tm.generators or tm.name not in unit.linked:
                    continue
                t = unit.linked[tm.name]
                why = "no such column" if t.table.column(read) is None else "it is not inserted"
                errors.add(
                    Problem(
                        f"{tm.name}.{column} reads {read}, which seedspec does not produce ({why})",
                        t.column_location(column),
                        code="missing-column",
                        table=tm.name,
                        column=column,
                        fix=f"read a column of {tm.name!r} that seedspec generates",
                    )
                )


def _sql_reads(unit: Unit, model: Model, errors: Errors) -> None:
    """A column that reads one a `sql:` expression sets (its row's, or a parent's through
    `lookup:`): the database computes that one after every row is loaded, so the reader would
    copy a stand-in; located, before any row is written. Only a spec's own readers: inference
    builds nothing from a `sql:` column it knows of."""
    for tm in model.tables.values():
        t = unit.linked.get(tm.name)
        notes = unit.columns[tm.name].notes if tm.name in unit.columns else {}
        for column, gen in tm.generators.items():
            if notes.get(column) != "spec":
                continue
            for table, read in gen.depends_on():
                owner = unit.linked.get(table or tm.name)
                cs = owner.spec.column(read) if owner is not None and owner.spec else None
                if t is None or cs is None or cs.generator.kind != "sql":
                    continue
                errors.add(
                    Problem(
                        f"{tm.name}.{column} reads {table or tm.name}.{read}, which its `sql:` "
                        "expression sets after the load: rows are made before it is known",
                        t.column_location(column),
                        code="reads-sql",
                        table=tm.name,
                        column=column,
                        fix=f"compute {column} in SQL too (`sql:`), or give {read} a generator",
                    )
                )


def existing_rows(unit: Unit) -> tuple[r.ExistingRows, ...]:
    """The rows of left-alone tables seeded FKs pick as parents (offline: one unknown row)."""
    out = []
    for name, decision in unit.counts.items():
        if not decision.existing or decision.count == 0:
            continue
        read = unit.ctx.existing.get(name) if unit.ctx.existing is not None else None
        if read is None:
            cols = _parent_columns(unit, name)
            read = r.ExistingRows(name, 1, cols, Params.of({"columns": [[None] for _ in cols]}))
        out.append(read)
    return tuple(out)


def _parent_columns(unit: Unit, name: str) -> tuple[str, ...]:
    """A left-alone table's columns; one outside the seeded schemas (not in the schema): the
    columns the seeded FKs reference."""
    if name in unit.linked:
        return tuple(c.name for c in unit.linked[name].table.columns)
    refs = [link.fk.ref_columns for t in unit.linked.values() for link in t.links]
    named = [link.fk for t in unit.linked.values() for link in t.links]
    cols = [c for fk, cs in zip(named, refs, strict=True) if fk.ref_table == name for c in cs]
    return tuple(dict.fromkeys(cols))


def _dependency_cycles(unit: Unit, model: Model, errors: Errors) -> None:
    """Columns that read each other (templates, offsets, lookups) must not form a loop."""
    graph: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for tm in model.tables.values():
        for column, gen in tm.generators.items():
            deps = [(t or tm.name, c) for t, c in gen.depends_on()]
            graph[(tm.name, column)] = [d for d in deps if d[0] in model.tables]
    state: dict[tuple[str, str], int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(graph[start])]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                loop = path[path.index(nxt) :] + [nxt]
                table, column = loop[0]
                errors.add(
                    Problem(
                        "columns depend on each other in a loop: "
                        + " -> ".join(f"{t}.{c}" for t, c in loop),
                        unit.linked[table].column_location(column),
                        code="dependency-cycle",
                        table=table,
                        column=column,
                        fix="break the loop: one of these columns must not read the others",
                    )
                )
                return
            elif not state.get(nxt) and nxt in graph:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph[nxt]))


def _distinct_limits(unit: Unit, model: Model, errors: Errors) -> None:
    for t in unit.seeded:
        count = unit.count(t.name)
        uniques = unit.keys[t.name].unique_columns
        for column in [c.name for c in t.table.columns]:
            gen = model.tables[t.name].generators.get(column)
            if column not in uniques and not (gen is not None and gen.unique):
                continue  # neither a UNIQUE of the database nor `unique: true` in the spec
            limit = gen.distinct_limit() if gen is not None else None
            if limit is not None and limit < count:
                errors.add(
                    Problem(
                        f"{t.name}.{column} must be unique but its generator has only "
                        f"{limit} distinct values for {count} rows",
                        t.column_location(column),
                        code="unique-capacity",
                        table=t.name,
                        column=column,
                        fix="widen the generator's range or lower the count",
                    )
                )
