"""(ModelFacts, reflected DbSchema, Spec) -> the drift between models, spec and database, as
Problems located at the model's field (file:line:col of its class) or the spec's column: a
model with no table, a field with no column, a column no model field has, a max_length that
differs from the column's length, and a spec's choice values the model no longer has."""

from __future__ import annotations

from dataclasses import replace

from seedspec.analysis.drift import DriftReport
from seedspec.database.model import DbColumn, DbSchema, DbTable
from seedspec.errors import Problem
from seedspec.models.facts import FieldModel, ModelFacts, TableModel
from seedspec.models.overlay import TEXTUAL
from seedspec.spec.model import Spec


def with_model_drift(
    report: DriftReport, facts: ModelFacts, schema: DbSchema, spec: Spec, strict: bool
) -> DriftReport:
    """The report with the models' drift added; a spec choice outside the model's choices is
    reported once, as choice-not-in-model (not also as the CHECK the model's facts became)."""
    found = model_problems(facts, schema) + spec_problems(facts, schema, spec)
    said = {(p.table, p.column) for p in found if p.code == "choice-not-in-model"}
    kept = tuple(
        f
        for f in report.findings
        if not (f.code == "choice-outside-check" and (f.table, f.column) in said)
    )
    return replace(report, findings=kept).extended(p.escalated(strict) for p in found)


def model_problems(facts: ModelFacts, schema: DbSchema) -> list[Problem]:
    """Models against the database."""
    tables = {t.bare_name.lower(): t for t in schema.tables}
    out: list[Problem] = []
    for model in facts.tables:
        table = tables.get(model.table.lower())
        if table is None:
            out.append(
                Problem(
                    f"model {model.label}: table {model.table!r} is not in the database",
                    model.location,
                    code="model-table-missing",
                    table=model.table,
                    fix="run the application's migrations, or leave the app out of --models",
                )
            )
            continue
        out += _fields(model, table)
    return out


def _fields(model: TableModel, table: DbTable) -> list[Problem]:
    out: list[Problem] = []
    for f in model.fields:
        column = table.column(f.column)
        if column is None:
            out.append(
                Problem(
                    f"model field {model.label}.{f.name}: column {f.column!r} is not in table "
                    f"{table.name!r}",
                    f.location,
                    code="model-column-missing",
                    table=table.name,
                    column=f.column,
                    fix="run the application's migrations, or remove the field",
                )
            )
        elif column.type in TEXTUAL and f.max_length and column.length:
            out += _length(model, f, table, column)
    for column in table.columns:
        if model.field_of(column.name) is None:
            out.append(_unmodelled(model, table, column))
    return out


def _length(model: TableModel, f: FieldModel, table: DbTable, column: DbColumn) -> list[Problem]:
    if f.max_length == column.length or f.max_length is None or column.length is None:
        return []
    longer = f.max_length > column.length
    return [
        Problem(
            f"model field {model.label}.{f.name}: max_length {f.max_length} but column "
            f"{table.name}.{column.name} is {column.sql_type or column.type}"
            + (": values the model accepts do not fit" if longer else ""),
            f.location,
            "error" if longer else "warning",
            "max-length-mismatch",
            table.name,
            column.name,
            "make a migration for the field's new max_length",
        )
    ]


def _unmodelled(model: TableModel, table: DbTable, column: DbColumn) -> Problem:
    """A column no field of the model stores: an error when the application cannot insert a
    row without it (NOT NULL, no default), else a warning."""
    blocking = not column.nullable and not column.has_default and not column.generated
    return Problem(
        f"column {table.name}.{column.name} has no field in model {model.label}"
        + (
            " and is NOT NULL without a default: the application cannot insert rows"
            if blocking
            else ""
        ),
        model.location,
        "error" if blocking else "warning",
        "column-not-in-model",
        table.name,
        column.name,
        "add the field to the model, or drop the column in a migration",
    )


def spec_problems(facts: ModelFacts, schema: DbSchema, spec: Spec) -> list[Problem]:
    """The spec against the models: `choice` values a field's choices do not list."""
    out: list[Problem] = []
    for ts in spec.tables:
        model = facts.table(ts.name)
        if model is None or schema.table(ts.name) is None:
            continue
        for cs in ts.columns:
            f = model.field_of(cs.name)
            values = cs.generator.params.get("values") if cs.generator.kind == "choice" else None
            if f is None or not f.choices or not isinstance(values, list | tuple):
                continue
            allowed = {str(v) for v in f.choices}
            outside = [v for v in values if str(v) not in allowed]
            if outside:
                out.append(
                    Problem(
                        f"{ts.name}.{cs.name}: {', '.join(map(repr, outside))} not among the "
                        f"choices of model field {model.label}.{f.name} "
                        f"({', '.join(map(repr, f.choices))})",
                        cs.location,
                        code="choice-not-in-model",
                        table=ts.name,
                        column=cs.name,
                        fix="remove those values from the spec, or add them to the field's choices",
                    )
                )
    return out
