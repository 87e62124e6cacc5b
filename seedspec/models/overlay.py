"""(DbSchema, ModelFacts) -> the DbSchema the compiler reads: each model's facts layered on as
CHECKs and UNIQUEs the database does not have (named `model ...`, never created there) and each
column's meaning. The database stays the authority: nothing reflected is changed or dropped."""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from seedspec.database.model import DbCheck, DbColumn, DbSchema, DbTable, DbUnique
from seedspec.dialects.capabilities import capabilities_for
from seedspec.models.facts import FieldModel, ModelFacts, TableModel

TEXTUAL = ("char", "varchar", "text")
_MEANS = {  # the column types each meaning refines
    "email": TEXTUAL,
    "url": TEXTUAL,
    "slug": TEXTUAL,
    "ip": (*TEXTUAL, "inet"),
    "ipv4": (*TEXTUAL, "inet"),
    "ipv6": (*TEXTUAL, "inet"),
    "uuid": ("uuid",),
    "json": (*TEXTUAL, "json"),
}
NUMERIC = ("smallint", "integer", "bigint", "numeric", "float", "money")
PREFIX = "model "  # the name of every CHECK and UNIQUE only a model knows


def layer(schema: DbSchema, facts: ModelFacts) -> DbSchema:
    """The schema with every model's facts layered on its table (tables no model names, and
    model fields with no column, are left as they are: `check --models` reports those)."""
    sql = capabilities_for(schema.dialect).sqlglot_dialect
    tables = []
    for table in schema.tables:
        model = facts.table(table.name)
        tables.append(table if model is None else _layered(table, model, sql))
    return replace(schema, tables=tuple(tables), _index={})


def _layered(table: DbTable, model: TableModel, sql: str | None) -> DbTable:
    columns = []
    checks = list(table.checks)
    for column in table.columns:
        f = model.field_of(column.name)
        if f is None:
            columns.append(column)
            continue
        meaning = _meaning(f, column)
        columns.append(replace(column, meaning=meaning) if meaning else column)
        clauses = field_clauses(f, column)
        if clauses:
            text = exp.and_(*clauses).sql(dialect=sql)
            checks.append(DbCheck(f"{PREFIX}{model.label}.{f.name}", text))
    names = {(c.name or "").lower() for c in table.checks}
    for check in model.checks:
        if (check.name or "").lower() not in names:
            name = f"{PREFIX}{model.label} {check.name or 'check'}"
            checks.append(DbCheck(name, check.condition.sql(dialect=sql)))
    return replace(
        table, columns=tuple(columns), checks=tuple(checks), uniques=_uniques(table, model, sql)
    )


def _meaning(f: FieldModel, column: DbColumn) -> str | None:
    """What the field says its column holds, where the column's type can hold it."""
    if f.meaning:
        return f.meaning if column.type in _MEANS.get(f.meaning, ()) else None
    bounded = f.minimum is not None and f.maximum is not None and not f.choices
    return "bounded" if bounded and column.type in NUMERIC else None


def field_clauses(f: FieldModel, column: DbColumn) -> list[exp.Expr]:
    """What a field's model asks of its column's values, as conditions a CHECK would hold."""
    col = exp.column(column.name, quoted=True)
    out: list[exp.Expr] = []
    choices = [v for v in f.choices if v is not None]  # a None choice: the column's NULL
    if choices and not (column.enum_values and set(column.enum_values) <= set(choices)):
        out.append(exp.In(this=col, expressions=[_literal(v) for v in choices]))
    if f.minimum is not None:
        out.append(exp.GTE(this=col, expression=_literal(f.minimum)))
    if f.maximum is not None:
        out.append(exp.LTE(this=col, expression=_literal(f.maximum)))
    textual = column.type in TEXTUAL
    if textual and f.max_length is not None and (column.length or 10**9) > f.max_length:
        out.append(exp.LTE(this=exp.Length(this=col), expression=_literal(f.max_length)))
    if textual and f.min_length:
        out.append(exp.GTE(this=exp.Length(this=col), expression=_literal(f.min_length)))
    if textual:
        out += [exp.RegexpLike(this=col, expression=exp.Literal.string(p)) for p in f.patterns]
    if f.required and column.nullable:
        out.append(exp.Not(this=exp.Is(this=col, expression=exp.Null())))
    return out


def _uniques(table: DbTable, model: TableModel, sql: str | None) -> tuple[DbUnique, ...]:
    """The table's uniques and each of the model's over columns no unique of the database
    covers (MariaDB has no partial index, so Django creates no conditional UniqueConstraint
    there); a condition sqlglot could not be given makes it unique everywhere."""
    have = {frozenset(u.columns) for u in table.uniques} | {frozenset(table.primary_key)}
    names = {c.name for c in table.columns}
    added = []
    for u in model.uniques:
        if frozenset(u.columns) in have or not set(u.columns) <= names:
            continue
        have.add(frozenset(u.columns))
        predicate = None if u.condition is None else u.condition.sql(dialect=sql)
        name = f"{PREFIX}{model.label} {u.name or 'unique ' + ', '.join(u.columns)}"
        kind = "index" if predicate else "constraint"
        added.append(DbUnique(name, u.columns, kind, predicate))
    return (*table.uniques, *added)


def _literal(value: object) -> exp.Expr:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return exp.Literal.number(str(value))
    return exp.Literal.string(str(value))
