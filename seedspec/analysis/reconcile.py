"""Reconcile: (Spec, DbSchema) -> DriftReport, every way the spec no longer fits the schema.

Like alembic's autogenerate compare: comparators walk the spec against the schema and emit typed
Problems (errors.Problem: code, severity, message, location, fix, table, column); renderers
(cli/render.py: text, JSON, GitHub annotations) consume them. Schema-level comparisons (missing
tables/columns, FKs, NOT NULL, generated columns) live here; whether a generator fits its column
(type, CHECK values, enum, length, CHECK range, `default:`) is asked of its kind
(`seedspec.kinds.check_column`), so a kind's rules live in its own module.
"""

from __future__ import annotations

import difflib
from typing import Any

from seedspec import kinds
from seedspec.analysis.branchfit import fitted
from seedspec.analysis.closing import instant_problems
from seedspec.analysis.drift import DriftReport
from seedspec.analysis.selection import select_tables
from seedspec.database.checks import ColumnFacts
from seedspec.database.facts import table_facts_of
from seedspec.database.model import DbColumn, DbSchema, DbTable
from seedspec.errors import Problem
from seedspec.spec.model import ColumnSpec, Spec, TableSpec


def reconcile(spec: Spec, schema: DbSchema) -> DriftReport:
    """Every finding of the drift table (docs/SPEC-LANGUAGE.md), each with a location and a fix."""
    out: list[Problem] = []
    for ts in spec.tables:
        table = schema.table(ts.name)
        if table is None:
            out.append(_missing_table(ts, schema, {t.name for t in spec.tables}))
            continue
        out.extend(_table_findings(spec, ts, table, schema))
    if spec.path is not None:
        named = {t.name for t in spec.tables}
        left = select_tables(spec, schema).left_alone  # not filled at all: the plan says so
        for table in schema.tables:
            if table.name not in named and table.name not in left:
                out.append(
                    Problem(
                        f"table {table.name!r} is not in the spec; it is filled by inference",
                        location=spec.location,
                        severity="warning",
                        code="table-unnamed",
                        table=table.name,
                        fix=f"add `{table.name}: {{count: N}}` under tables: (or `count: 0`)",
                    )
                )
    return DriftReport(tuple(out), spec_path=spec.path)


def _missing_table(ts: TableSpec, schema: DbSchema, named: set[str]) -> Problem:
    names = [t.name for t in schema.tables]
    hint = difflib.get_close_matches(ts.name, names, n=1) or _renamed_to(ts, schema, named)
    fix = (
        f"if it was renamed to {hint[0]!r}, rename it in the spec"
        if hint
        else "remove it from the spec, or run the migration that creates it"
    )
    return Problem(
        f"table {ts.name!r} is not in the database",
        location=ts.location,
        code="missing-table",
        table=ts.name,
        fix=fix,
    )


def _table_findings(spec: Spec, ts: TableSpec, table: DbTable, schema: DbSchema) -> list[Problem]:
    out: list[Problem] = []
    # the CHECKs the model does not guarantee are reported by the compiler's oracle pass, which
    # knows whether the database judges them; a spec value is checked against the first branch
    # of each OR group that it fits (analysis.branchfit)
    facts = fitted(table, table_facts_of(table), ts, spec.locale, spec.seed)
    if ts.count and ts.count.per and schema.table(ts.count.per) is None:
        out.append(
            Problem(
                f"count per {ts.count.per!r}: no such table in the database",
                location=ts.count.location,
                code="missing-table",
                table=table.name,
                fix="point `per:` at the parent table's new name",
            )
        )
    fk_of = {c: fk for fk in table.foreign_keys for c in fk.columns}
    for cs in ts.columns:
        col = table.column(cs.name)
        if col is None:
            out.append(_missing_column(ts, cs, table))
            continue
        out.extend(
            _column_findings(
                spec, table, col, cs, facts.row_facts.get(col.name), fk_of.get(col.name), schema
            )
        )
    named = {c.name for c in ts.columns}
    if ts.count is not None and ts.count.per is None and ts.count.fixed == 0:
        return out  # not seeded: its columns need nothing
    for col in table.columns:
        if (
            col.name in named
            or col.nullable
            or col.has_default
            or col.generated
            or col.name in fk_of
            or col.name in facts.varying  # the CHECK's alternatives decide it row by row
        ):
            continue
        out.append(
            Problem(
                f"{table.name}.{col.name} is NOT NULL without a default and the spec does not name "
                f"it; it is filled by inference",
                location=ts.location,
                severity="warning",
                code="not-null-unnamed",
                table=table.name,
                column=col.name,
                fix=f"add `{col.name}:` with a generator under {table.name}.columns",
            )
        )
    return out


def _renamed_to(ts: TableSpec, schema: DbSchema, named: set[str]) -> list[str]:
    """A table the spec does not name whose columns hold every column the spec names."""
    wanted = {c.name for c in ts.columns}
    if not wanted:
        return []
    fits = [
        t.name
        for t in schema.tables
        if t.name not in named and wanted <= {c.name for c in t.columns}
    ]
    return fits if len(fits) == 1 else []


def _missing_column(ts: TableSpec, cs: ColumnSpec, table: DbTable) -> Problem:
    hint = difflib.get_close_matches(cs.name, [c.name for c in table.columns], n=1)
    fix = (
        f"if it was renamed to {hint[0]!r}, rename it in the spec"
        if hint
        else "remove it from the spec"
    )
    return Problem(
        f"column {ts.name}.{cs.name} is not in the database",
        location=cs.location,
        code="missing-column",
        table=ts.name,
        column=cs.name,
        fix=fix,
    )


def _column_findings(
    spec: Spec,
    table: DbTable,
    col: DbColumn,
    cs: ColumnSpec,
    facts: ColumnFacts | None,
    fk: Any,
    schema: DbSchema,
) -> list[Problem]:
    g = cs.generator
    where = f"{table.name}.{col.name}"

    def err(code: str, message: str, fix: str | None) -> Problem:
        return Problem(message, cs.location, "error", code, table.name, col.name, fix)

    if col.generated:
        return [
            err(
                "generated-column",
                f"{where} is generated by the database ({col.generated})",
                "remove it from the spec",
            )
        ]
    fits = [
        err(p.code, p.message, p.fix)
        for p in kinds.check_column(
            g, col, facts or ColumnFacts(), kinds.FitContext(where, spec.locale, spec.seed)
        )
    ]
    if g.kind == "default":  # the database fills it: only whether it can
        return fits
    fix = "narrow the generator's range to what the CHECK admits"
    fits += [err("range-outside-check", m, fix) for m in instant_problems(g, facts, where)]
    out = []
    if g.null and not col.nullable:
        out.append(
            err(
                "null-into-not-null",
                f"{where} is NOT NULL but the spec asks for {g.null:.0%} NULLs",
                "remove `null:` or make the column nullable",
            )
        )
    if fk is not None and not (g.kind in kinds.KINDS and kinds.KINDS[g.kind].on_fk_column):
        out.append(
            err(
                "fk-without-ref",
                f"{where} is a foreign key to {fk.ref_table} but the spec gives it `{g.kind}`",
                f"use `ref: {fk.ref_table}`",
            )
        )
    if g.kind == "ref":
        out.extend(_ref_findings(table, col, cs, fk, schema))
    return out + fits


def _ref_findings(
    table: DbTable, col: DbColumn, cs: ColumnSpec, fk: Any, schema: DbSchema
) -> list[Problem]:
    target = cs.generator.params["table"]
    where = f"{table.name}.{col.name}"
    if schema.table(target) is None:
        return [
            Problem(
                f"{where}: ref to {target!r}, which is not in the database",
                location=cs.location,
                code="missing-table",
                table=table.name,
                column=col.name,
                fix="point the ref at the parent table's new name",
            )
        ]
    if fk is not None and fk.ref_table != target:
        return [
            Problem(
                f"{where} references {fk.ref_table!r} in the "
                f"database, but the spec says `ref: {target}`",
                location=cs.location,
                code="ref-mismatch",
                table=table.name,
                column=col.name,
                fix=f"use `ref: {fk.ref_table}`",
            )
        ]
    if fk is None:
        return [
            Problem(
                f"{where} has `ref: {target}` but no foreign key constraint in the database",
                location=cs.location,
                severity="warning",
                code="ref-without-fk",
                table=table.name,
                column=col.name,
                fix="add the FK in a migration, or keep it as a logical link",
            )
        ]
    return []
