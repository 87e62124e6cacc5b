"""The `when` kind (a conditional column: `{when: "status = 'paused'", then: {...}, else: null}`):
YAML entry <-> params (the SQL condition's text, nested GeneratorSpecs) <-> Generator.

The condition is read with sqlglot into the plain tree generate/conditional.py evaluates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem, SeedspecError
from seedspec.kinds.base import (
    BuildContext,
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
)
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, column_problem, column_problems
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:  # generators are imported only to build (start-up: validate needs none)
    import sqlglot.expressions as sx

    from seedspec.generate.base import Generator

SUPPORTED = "=, <>, <, <=, >, >=, IN, BETWEEN, IS [NOT] NULL, AND, OR, NOT"


class ConditionError(ValueError):
    """A condition seedspec cannot read (its message says what)."""


@dataclass(frozen=True)
class WhenParams:
    when: str  # the SQL condition over the row's other columns
    then: GeneratorSpec | None  # None: NULL where the condition holds
    otherwise: GeneratorSpec | None  # `else`; None: NULL where it does not

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> WhenParams:
        return cls(params["when"], params.get("then"), params.get("else"))


def condition_tree(text: str) -> list[Any]:
    """The SQL condition as generate/conditional.py's tree; ConditionError when unreadable."""
    import sqlglot  # at check and build only: start-up
    import sqlglot.errors

    try:
        node = sqlglot.condition(text)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError) as exc:
        raise ConditionError(f"cannot read the condition {text!r} as SQL") from exc
    return _tree(node)


def _tree(node: sx.Expr) -> list[Any]:
    import sqlglot.expressions as sx

    compare: dict[type, str] = {
        sx.EQ: "=",
        sx.NEQ: "<>",
        sx.LT: "<",
        sx.LTE: "<=",
        sx.GT: ">",
        sx.GTE: ">=",
    }
    if isinstance(node, sx.Paren):
        return _tree(node.this)
    if isinstance(node, (sx.And, sx.Or)):
        return [type(node).__name__.lower(), _tree(node.this), _tree(node.expression)]
    if isinstance(node, sx.Not):
        return ["not", _tree(node.this)]
    if isinstance(node, sx.Is) and isinstance(node.expression, sx.Null):
        tested = ["null", _operand(node.this)]
        return ["not", tested] if node.args.get("negate") else tested  # sqlglot's IS NOT
    if isinstance(node, sx.In) and not node.args.get("query"):
        values = [_operand(v) for v in node.expressions]
        if any(v[0] != "lit" for v in values):
            raise ConditionError("IN (...) takes literal values only")
        return ["in", _operand(node.this), [v[1] for v in values]]
    if isinstance(node, sx.Between):
        this = _operand(node.this)
        low, high = _operand(node.args["low"]), _operand(node.args["high"])
        return ["and", ["cmp", ">=", this, low], ["cmp", "<=", this, high]]
    op = compare.get(type(node))
    if op is not None:
        return ["cmp", op, _operand(node.this), _operand(node.expression)]
    raise ConditionError(f"`{node.sql()}` is not supported (use {SUPPORTED})")


def _operand(node: sx.Expr) -> list[Any]:
    import sqlglot.expressions as sx

    if isinstance(node, sx.Paren):
        return _operand(node.this)
    if isinstance(node, sx.Column) and not node.table:
        return ["col", node.name]
    if isinstance(node, sx.Cast) and isinstance(node.this, sx.Column):
        return _operand(node.this)  # PostgreSQL's (status)::text: the column's own values
    if isinstance(node, sx.Cast) and isinstance(node.this, sx.Literal):
        return ["lit", node.this.name]  # DATE '2024-01-01': compared as the column's values
    if isinstance(node, sx.Literal):
        if node.is_string:
            return ["lit", node.name]
        number = float(node.name)
        return ["lit", int(number) if number.is_integer() and "." not in node.name else number]
    if isinstance(node, sx.Neg) and isinstance(node.this, sx.Literal):
        return ["lit", -_operand(node.this)[1]]
    if isinstance(node, sx.Boolean):
        return ["lit", bool(node.this)]
    if isinstance(node, sx.Null):
        return ["lit", None]
    raise ConditionError(f"`{node.sql()}` is not a column of this row or a literal")


class WhenKind(Kind):
    name = "when"
    params_type = WhenParams
    examples = (
        {"when": "status = 'paused'", "then": {"gen": "text.sentence"}, "else": None},
        {"when": "kind IN ('a', 'b') AND n > 2", "then": {"int": {"min": 1, "max": 3}}},
    )

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        base = pointer[:-1]
        then, otherwise = entry.get("then"), entry.get("else")
        return {
            "when": entry["when"],
            "then": None if then is None else nested(then, (*base, "then")),
            "else": None if otherwise is None else nested(otherwise, (*base, "else")),
        }

    def nested_entries(self, entry: Entry, pointer: Pointer) -> Iterator[tuple[Entry, Pointer]]:
        for key in ("then", "else"):
            if isinstance(entry.get(key), dict):
                yield entry[key], (*pointer, key)

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        try:
            tree = condition_tree(entry["when"])
        except ConditionError as exc:
            ctx.add(pointer, f"{exc}")
            return
        from seedspec.generate.conditional import condition_columns  # no numpy at import

        column = pointer[-2] if not ctx.nested else None
        if column in condition_columns(tree):
            ctx.add(pointer, f"the condition reads the column itself ({column})")
        if entry.get("then") is None and entry.get("else") is None:
            ctx.add(pointer, "both `then` and `else` are NULL; write `const: null` instead")

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        from seedspec.kinds import KINDS  # the registry imports this module

        typed = WhenParams.from_params(spec.params)
        out: set[str] = set()
        for sub in (typed.then, typed.otherwise):
            if sub is not None and sub.kind in KINDS:
                out |= KINDS[sub.kind].value_classes(sub, locale, seed)
        return out

    def check_column(
        self, spec: GeneratorSpec, column: ColumnShape, rules: ColumnRules, fit: FitContext
    ) -> list[Problem]:
        out = column_problems(self, spec, column, rules, fit)
        typed = WhenParams.from_params(spec.params)
        if not column.nullable and None in (typed.then, typed.otherwise):
            message = f"{fit.where} is NOT NULL but `when:` leaves it NULL on some rows"
            fix = "give both `then:` and `else:` a generator"
            out.append(column_problem("null-into-not-null", message, fix))
        return out

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = WhenParams.from_params(params)
        entry: Entry = {"when": typed.when}
        entry["then"] = None if typed.then is None else ctx.entry(typed.then)
        entry["else"] = None if typed.otherwise is None else ctx.entry(typed.otherwise)
        return entry

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.conditional import Conditional  # at build: start-up

        typed = WhenParams.from_params(params)
        try:
            tree = condition_tree(typed.when)
        except ConditionError as exc:
            raise SeedspecError(f"{ctx.table}.{ctx.column}: {exc}") from None
        then = None if typed.then is None else ctx.nested(typed.then, ".then")
        other = None if typed.otherwise is None else ctx.nested(typed.otherwise, ".else")
        return Conditional(key, {"when": typed.when}, ctx.table, tree, then, other)


def when_spec(
    condition: str, then: GeneratorSpec | None, otherwise: GeneratorSpec | None
) -> GeneratorSpec:
    """A conditional column (inference: a CHECK that asks for a value under a condition)."""
    return GeneratorSpec("when", {"when": condition, "then": then, "else": otherwise})
