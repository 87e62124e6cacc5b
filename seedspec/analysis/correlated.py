"""Correlated columns: a table's generators (spec'd and inferred) -> the inferred ones replaced by
values built from sibling columns of the same row (`from:`): email, username and full name
from the person-name columns, a slug from the title.

Only a column whose generator inference chose from its name (a `gen:` of the provider its name
maps to) is replaced; a spec's generator, a CHECK's pattern or list, is kept as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from seedspec.analysis.infer import provider_for
from seedspec.analysis.names import readable
from seedspec.database.model import DbTable
from seedspec.kinds.conditional import ConditionError, condition_tree, when_spec
from seedspec.kinds.derived import from_spec
from seedspec.kinds.spec import GeneratorSpec

# provider a column's name maps to -> (the `as:` form, the parts it needs, the parts it reads)
TARGETS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "person.email": ("email", ("first",), ("first", "last")),
    "person.username": ("username", ("first",), ("first", "last")),
    "person.full_name": ("full_name", ("first", "last"), ("first", "last")),
    "internet.slug": ("slug", ("title",), ("title",)),
}
PARTS = {"person.first_name": "first", "person.last_name": "last", "text.title": "title"}
# a column inference composed from words (analysis/vocabulary.py) that a sibling explains better
COMPOSED = {
    "slug": "internet.slug",
    "full_name": "person.full_name",
    "fullname": "person.full_name",
}


def correlated(
    table: DbTable, specs: Mapping[str, GeneratorSpec], notes: Mapping[str, str]
) -> dict[str, tuple[GeneratorSpec, str]]:
    """Column -> (its `from:` generator, why) for each inferred column a sibling explains."""
    parts = _parts(table, specs)
    out: dict[str, tuple[GeneratorSpec, str]] = {}
    for name, spec in specs.items():
        target = _target(spec, name) if notes.get(name) != "spec" else None
        if target is None:
            continue
        form, needs, reads = target
        cased = spec.params.get("case") and not spec.params.get("compose")
        if not all(p in parts for p in needs) or (cased and form == "full_name"):
            continue
        columns = [parts[p] for p in reads if p in parts]
        built = from_spec(columns, form)
        if spec.params.get("max_length") is not None:
            built.params["max_length"] = spec.params["max_length"]
        why = f"built from {' and '.join(columns)} (name columns of the row)"
        out[name] = (GeneratorSpec(built.kind, built.params, spec.null, spec.unique), why)
    return out


def _parts(table: DbTable, specs: Mapping[str, GeneratorSpec]) -> dict[str, str]:
    """Role (first, last, title) -> the generated column that plays it (never NULL)."""
    parts: dict[str, str] = {}
    for name, spec in specs.items():
        column = table.column(name)
        role = PARTS.get(provider_for(table, column) or "") if column is not None else None
        if role == "title" and spec.kind == "gen" and spec.params.get("provider") != "text.title":
            continue  # an employee's title is a job title (person.occupation), not a headline
        if role is not None and role not in parts and not spec.null:
            parts[role] = name
    return parts


def _target(spec: GeneratorSpec, name: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """What an inferred generator would be built as, when inference chose it by name."""
    if spec.kind != "gen" or spec.params.get("exclude"):
        return None
    if spec.params.get("compose") and readable(name) in COMPOSED:
        return TARGETS[COMPOSED[readable(name)]]
    if spec.params.get("case") not in (None, "lower"):
        return None  # upper-case values: a CHECK asks for them, the `from:` forms are lower
    return TARGETS.get(spec.params.get("provider") or "")


def conditional(
    table: DbTable, specs: Mapping[str, GeneratorSpec], notes: Mapping[str, str]
) -> dict[str, tuple[GeneratorSpec, str]]:
    """Column -> (its `when:` generator, why) for each inferred nullable column a CHECK asks
    for only under a condition: `CHECK (status <> 'paused' OR paused_reason IS NOT NULL)` gives
    paused_reason its value where status = 'paused' and NULL elsewhere (the CHECK allows NULL
    there, and a reason on an active row would read as a mistake)."""
    out: dict[str, tuple[GeneratorSpec, str]] = {}
    for check in table.checks:
        text = check.sqltext.lower()
        if " or " not in text or "null" not in text:
            continue  # not `cond OR x IS NOT NULL`: no need to parse (nor to import sqlglot)
        _conditional_check(table, specs, notes, check.sqltext, out)
    return out


def _may_be_null(table: DbTable, name: str) -> bool:
    """A nullable column outside every UNIQUE (NULL on most rows: a unique one keeps its own)."""
    column = table.column(name)
    return (
        column is not None and column.nullable and all(name not in u.columns for u in table.uniques)
    )


def _conditional_check(
    table: DbTable,
    specs: Mapping[str, GeneratorSpec],
    notes: Mapping[str, str],
    sqltext: str,
    out: dict[str, tuple[GeneratorSpec, str]],
) -> None:
    import sqlglot.expressions as sx  # sqlglot: imported by the compile that reads CHECKs
    from sqlglot.optimizer.simplify import simplify

    from seedspec.database.checks import parse

    tree = parse(sqltext)
    node = tree.unnest() if tree is not None else None
    if not isinstance(node, sx.Or):
        return
    left, right = node.this.unnest(), node.expression.unnest()
    for cond, other in ((left, right), (right, left)):
        target = _not_null_column(other)
        spec = specs.get(target or "")
        if target is None or spec is None or target in out or not _may_be_null(table, target):
            continue
        reads = {c.name for c in cond.find_all(sx.Column)}
        if notes.get(target) == "spec" or spec.null or spec.unique or target in reads:
            continue
        if not reads or not reads <= set(specs):
            continue
        when = simplify(sx.not_(cond.copy())).sql()  # NOT (a <> 'x') reads as a = 'x'
        try:
            condition_tree(when)
        except ConditionError:
            continue  # a condition `when:` cannot evaluate: the CHECK's branches decide
        why = f"CHECK ({sqltext}): a value only where it asks for one"
        out[target] = (when_spec(when, spec, None), why)


def _not_null_column(node: object) -> str | None:
    """The column of `x IS NOT NULL` (sqlglot: NOT (x IS NULL)), else None."""
    import sqlglot.expressions as sx

    negated = isinstance(node, sx.Not)
    inner = node.this.unnest() if isinstance(node, sx.Not) else node
    if not isinstance(inner, sx.Is) or negated == bool(inner.args.get("negate")):
        return None  # sqlglot writes IS NOT NULL as NOT (IS) or as IS with negate, by version
    if isinstance(inner.expression, sx.Null) and isinstance(inner.this, sx.Column):
        return str(inner.this.name)
    return None
