"""Pass `oracle`: TableRecipes -> TableRecipes with an OracleRecipe where a CHECK is not modelled.

For a table with a CHECK the compiler does not model (TableFacts.unread_checks), the database
becomes the judge at apply time: every CHECK of the table whose columns seedspec produces is
listed for evaluation, and the columns of the un-modelled CHECKs that are free to change (not a
key, not in a UNIQUE, not read by a lookup) get candidate options: a redraw, NULL when the
column is nullable, and the literals the CHECK compares them with (plus numeric boundaries).
SQL text is read with sqlglot.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Iterable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from seedspec.compile.pairs import ordered_pairs
from seedspec.compile.unit import Errors, Linked, Unit
from seedspec.database.checks import read_check
from seedspec.database.facts import table_facts_of
from seedspec.database.model import DbCheck, DbColumn, DbTable
from seedspec.deferred import deferred
from seedspec.errors import Problem
from seedspec.plan import recipes as r
from seedspec.plan.oracle import CheckCoverage, OracleCheck, OracleColumn, OracleRecipe
from seedspec.plan.params import Params

if TYPE_CHECKING:
    import sqlglot
    from sqlglot import exp
else:
    sqlglot = deferred("sqlglot")
    exp = deferred("sqlglot.expressions")

_INTS = {"smallint", "integer", "bigint"}
_NUMBERS = {"numeric", "float"}
_TEXT = {"char", "varchar", "text"}
_MAX_LITERALS = 8
_COMPARE = ("EQ", "NEQ", "GT", "GTE", "LT", "LTE")  # sqlglot class names (no import)


def oracle(unit: Unit, errors: Errors) -> Unit:
    """Each table recipe with un-modelled CHECKs gets its oracle recipe; every seeded table
    with CHECKs says which are modelled, judged by the oracle, or neither (a warning each)."""
    dialect = unit.ctx.capabilities.sqlglot_dialect
    out = dict(unit.recipes)
    for name, recipe in unit.recipes.items():
        table = unit.ctx.schema.table(name)
        if table is None or recipe.count <= 0:
            continue
        unbuilt = unbuilt_pairs(unit.linked[name], recipe) if name in unit.linked else set()
        found = oracle_recipe(table, recipe, dialect, unbuilt)
        coverage = _coverage(table, found, unbuilt, dialect)
        _warn(unit, name, table, found, errors)
        out[name] = dataclasses.replace(recipe, oracle=found, checks=coverage)
    return dataclasses.replace(unit, recipes=MappingProxyType(out))


def _label(n: int, check: DbCheck) -> str:
    return check.name or f"check {n + 1}"


def unbuilt_pairs(t: Linked, recipe: r.TableRecipe) -> set[frozenset[str]]:
    """The column pairs of CHECKs between two FKs (low < high, a <> b) that pass `pickers`
    could not build (it warned check-not-modelled): the database judges them instead."""
    out: set[frozenset[str]] = set()
    for pair in ordered_pairs(t):
        low, high = pair.low.fk.columns[0], pair.high.fk.columns[0]
        got = recipe.column(low)
        pairs = (r.OrderedPairPick, r.AbovePick)
        built = isinstance(got, r.RefRecipe) and isinstance(got.pick, pairs)
        if pair.low.fk.ref_table != t.name and isinstance(got, r.RefRecipe) and not built:
            out.add(frozenset((low, high)))
    for column, f in table_facts_of(t.table).columns.items():
        mine, other = t.fk_columns.get(column), t.fk_columns.get(f.differs_from or "")
        if mine is None or other is None or mine.fk.ref_table != other.fk.ref_table:
            continue
        got = recipe.column(column)
        pick = got.pick if isinstance(got, r.RefRecipe) else None
        if isinstance(pick, r.StripedPick):
            pick = pick.inner
        if pick is not None and not isinstance(pick, r.DifferentFromPick):
            out.add(frozenset((column, f.differs_from or "")))
    return out


def _unmet(table: DbTable, check: DbCheck, names: set[str], unbuilt: set[frozenset[str]]) -> bool:
    return check in table_facts_of(table).unread_checks or any(p <= names for p in unbuilt)


def _coverage(
    table: DbTable, found: OracleRecipe | None, unbuilt: set[frozenset[str]], dialect: str | None
) -> CheckCoverage | None:
    if not table.checks:
        return None
    judged = {c.name for c in found.oracle_checks} if found is not None else set()
    labels = [
        (_label(n, c), _unmet(table, c, _read(c, table, dialect), unbuilt))
        for n, c in enumerate(table.checks)
    ]
    return CheckCoverage(
        modelled=tuple(label for label, bad in labels if not bad),
        oracle=tuple(label for label, bad in labels if bad and label in judged),
        unjudged=tuple(label for label, bad in labels if bad and label not in judged),
    )


def _warn(
    unit: Unit, name: str, table: DbTable, found: OracleRecipe | None, errors: Errors
) -> None:
    """One warning per CHECK the model does not guarantee, saying who judges it."""
    judged = {c.name for c in found.oracle_checks} if found is not None else set()
    location = unit.linked[name].location if name in unit.linked else None
    for u in table_facts_of(table).unread:
        n = table.checks.index(u.check)
        label = _label(n, u.check)
        what = f"CHECK {label} ({u.sql}) is not modelled ({u.why})"
        if label in judged:
            errors.warn(
                Problem(
                    f"table {name!r}: {what}; the database judges each row's candidates against it",
                    location,
                    "warning",
                    "check-oracle",
                    name,
                )
            )
        else:
            errors.warn(
                Problem(
                    f"table {name!r}: {what} and reads a column seedspec does not produce; "
                    "rows may violate it",
                    location,
                    "warning",
                    "check-not-understood",
                    name,
                )
            )


def _read(check: DbCheck, table: DbTable, dialect: str | None) -> set[str]:
    return _names(check, table, dialect) or set()


def _names(check: DbCheck, table: DbTable, dialect: str | None) -> set[str] | None:
    """The table's columns the CHECK reads (None: sqlglot cannot parse it), from its reading
    (read_check: once per process, cached with the snapshot's facts)."""
    reading = read_check(check.sqltext, dialect)
    if not reading.understood and reading.why == "not parsed":
        return None
    by_lower = {c.name.lower(): c.name for c in table.columns}
    out = set()
    for seen in reading.columns:
        name = seen if table.column(seen) else by_lower.get(seen.lower())
        if name is not None:
            out.add(name)
    return out


def oracle_recipe(
    table: DbTable,
    recipe: r.TableRecipe,
    dialect: str | None,
    unbuilt: set[frozenset[str]] | None = None,
) -> OracleRecipe | None:
    """The oracle recipe of one table, or None when every CHECK is modelled (or none can be
    evaluated: a CHECK reading a column seedspec does not produce stays a warning). `unbuilt`:
    column pairs of FK-pair CHECKs pass `pickers` could not build (unbuilt_pairs)."""
    produced = {c.name for c in recipe.columns}
    checks: list[OracleCheck] = []
    reads: list[set[str]] = []
    evaluated: dict[str, None] = {}
    varied: dict[str, list[exp.Expr]] = {}
    for n, check in enumerate(table.checks):
        read = _names(check, table, dialect)
        names = read if read is not None else set(produced)
        if not names or not names <= produced:
            continue
        modelled = not _unmet(table, check, names, unbuilt or set())
        modelled = modelled and not _pattern_unmet(table, recipe, check.sqltext)
        checks.append(OracleCheck(check.name or f"check {n + 1}", check.sqltext, modelled))
        reads.append(names)
        evaluated.update(dict.fromkeys(sorted(names)))
        if not modelled:  # the tree itself only here: a plan whose CHECKs are all modelled
            tree = _parse(check.sqltext, dialect) if read is not None else None  # needs no parse
            for c in sorted(names):
                varied.setdefault(c, []).extend([tree] if tree is not None else [])
    if all(c.modelled for c in checks):
        return None
    fixed = _fixed(table, recipe)
    columns = [
        oc
        for name, trees in varied.items()
        if name not in fixed and (oc := _column(table, recipe, name, trees)) is not None
    ]
    return OracleRecipe(*_grouped(checks, reads, columns), evaluated=tuple(evaluated))


def _pattern_unmet(table: DbTable, recipe: r.TableRecipe, sql: str) -> bool:
    """A text-pattern CHECK the model reads, on a column the spec gives another generator than
    the one inference makes of it (its `pattern`, or a `choice` of values that match): the
    database judges it, as a CHECK not modelled."""
    for name, facts in read_check(sql).facts.items():
        if not (facts.patterns or facts.not_patterns):
            continue
        col = table.column(name) or next(
            (c for c in table.columns if c.name.lower() == name.lower()), None
        )
        got = recipe.column(col.name) if col is not None else None
        if not isinstance(got, r.ValueRecipe):
            continue
        params = got.params.value()
        if got.kind == "choice" and all(facts.fits(v) for v in params.get("values") or []):
            continue
        if got.kind == "pattern" and params.get("pattern") in {p.regex for p in facts.patterns}:
            continue
        return True
    return False


def _grouped(
    checks: list[OracleCheck], reads: list[set[str]], columns: list[OracleColumn]
) -> tuple[tuple[OracleCheck, ...], tuple[OracleColumn, ...]]:
    """Checks and varied columns numbered by connected group: two CHECKs share a group when
    they read a common varied column, so each group's attempts are chosen on their own (a
    row needs one passing candidate per group, not one candidate passing every group at once).
    Hand-written union-find: a few dozen nodes per table."""
    varied = {c.name for c in columns}
    parent = list(range(len(checks)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, names in enumerate(reads):
        for name in sorted(names & varied):
            if name in owner:
                parent[root(i)] = root(owner[name])
            else:
                owner[name] = i
    number: dict[int, int] = {}
    groups = [number.setdefault(root(i), len(number)) for i in range(len(checks))]
    out_checks = tuple(dataclasses.replace(c, group=g) for c, g in zip(checks, groups, strict=True))
    out_columns = tuple(dataclasses.replace(c, group=groups[owner[c.name]]) for c in columns)
    return out_checks, out_columns


def _parse(sql: str, dialect: str | None) -> exp.Expr | None:
    try:
        return sqlglot.parse_one(sql, read=dialect)
    except sqlglot.errors.SqlglotError:
        return None


def _fixed(table: DbTable, recipe: r.TableRecipe) -> set[str]:
    """Columns a candidate never changes: keys, UNIQUE members, unique generators, FK columns a
    lookup reads through, and anything that is neither a value nor a plain FK column."""
    out = set(table.primary_key) | set(recipe.key_columns)
    for facts in table_facts_of(table).uniques:
        out |= set(facts.columns)
    for c in recipe.columns:
        if isinstance(c.recipe, r.LookupRecipe):
            out.add(c.recipe.via)
        if isinstance(c.recipe, r.ValueRecipe) and c.recipe.unique:
            out.add(c.name)
        if not isinstance(c.recipe, (r.ValueRecipe, r.RefRecipe)):
            out.add(c.name)
    return out


def _column(
    table: DbTable, recipe: r.TableRecipe, name: str, trees: list[exp.Expr]
) -> OracleColumn | None:
    col = table.column(name)
    if col is None:
        return None
    got = recipe.column(name)
    # an FK drawn at random (the high side of an unbuilt pair) is redrawn from another stream
    redraw = isinstance(got, r.ValueRecipe) or (
        isinstance(got, r.RefRecipe) and isinstance(got.pick, r.RandomPick)
    )
    literals = _literals(col, trees) if isinstance(got, r.ValueRecipe) else []
    if not redraw and not col.nullable:
        return None  # an FK column only ever goes NULL
    return OracleColumn(name, redraw, col.nullable, Params.of(literals))


def _literals(col: DbColumn, trees: Iterable[exp.Expr]) -> list[Any]:
    """Values the CHECKs compare this column with, as the column's type takes them."""
    if col.type == "boolean":
        return [True, False]
    out: list[Any] = []
    for tree in trees:
        for node in _compared(tree, col.name):
            for value in _values(col, node):
                if value not in out:
                    out.append(value)
    return out[:_MAX_LITERALS]


def _compared(tree: exp.Expr, name: str) -> Iterable[exp.Expr]:
    """Literal expressions the column `name` is compared with (=, <>, <, IN, BETWEEN)."""
    compare = tuple(getattr(exp, name) for name in _COMPARE)
    for node in tree.find_all(*compare, exp.In, exp.Between):
        if isinstance(node, compare):
            left, right = _bare(node.left), _bare(node.right)
            if _is(left, name):
                yield right
            elif _is(right, name):
                yield left
        elif _is(_bare(node.this), name):
            if isinstance(node, exp.In):
                yield from node.expressions
            else:
                yield node.args["low"]
                yield node.args["high"]


def _bare(node: exp.Expr) -> exp.Expr:
    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    return node


def _is(node: exp.Expr, name: str) -> bool:
    return isinstance(node, exp.Column) and node.name.lower() == name.lower()


def _values(col: DbColumn, node: exp.Expr) -> list[Any]:
    """A literal as the column's values: numbers with their neighbours (the boundaries of
    < and >), strings that fit the column's length; nothing for other types."""
    node = _bare(node)
    negative = isinstance(node, exp.Neg)
    if negative:
        node = _bare(node.this)
    if not isinstance(node, exp.Literal):
        return []
    text = ("-" if negative else "") + node.this
    if col.type in _INTS or col.type in _NUMBERS:
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            return []
        if col.type in _INTS:
            if number != number.to_integral_value():
                return []
            return [int(number), int(number) + 1, int(number) - 1]
        return [float(number), float(number) + 1, float(number) - 1]
    if col.type in _TEXT and node.is_string:
        return [text] if col.length is None or len(text) <= col.length else []
    return []
