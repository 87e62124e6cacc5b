"""Reconcile: (Spec, DbSchema) -> DriftReport: every way the spec no longer fits the schema."""

from __future__ import annotations

import difflib
import json
from typing import Any

from seedspec.analysis.drift import DriftReport
from seedspec.analysis.infer import table_facts
from seedspec.database.checks import ColumnFacts
from seedspec.database.model import DbColumn, DbSchema, DbTable
from seedspec.errors import Problem, SeedspecError
from seedspec.generate.pools import pool
from seedspec.spec.model import ColumnSpec, GeneratorSpec, Spec, TableSpec

# What each column type kind accepts, by the class of value a generator produces.
_ANY = {"int", "float", "decimal", "bool", "str", "date", "datetime", "time", "uuid", "json"}
ACCEPTS: dict[str, set[str]] = {
    **{k: {"int"} for k in ("smallint", "integer", "bigint", "year")},
    **{k: {"int", "float", "decimal"} for k in ("numeric", "float", "money")},
    "boolean": {"bool", "int"},
    **{k: _ANY | {"array"} for k in ("char", "varchar", "text")},
    "date": {"date", "str"},
    "timestamp": {"datetime", "date", "str"},
    "timestamptz": {"datetime", "date", "str"},
    "time": {"time", "str"},
    "uuid": {"uuid", "str"},
    "json": {"json", "array"},
    "enum": {"str"},
    "set": {"str"},
    "array": {"array"},
    "bytes": {"bytes", "str"},
}
_PY_CLASS = {bool: "bool", int: "int", float: "float", str: "str", dict: "json", list: "array"}


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
        for table in schema.tables:
            if table.name not in named:
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
    return DriftReport(out, spec_path=spec.path)


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
    facts, unread = table_facts(table)
    for problem in unread:
        out.append(
            Problem(
                problem.message,
                location=ts.location,
                severity="warning",
                code="check-not-understood",
                table=table.name,
                fix="name the column's values in the spec",
            )
        )
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
            _column_findings(spec, table, col, cs, facts.get(col.name), fk_of.get(col.name), schema)
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

    def err(code: str, message: str, fix: str) -> Problem:
        return Problem(message, cs.location, "error", code, table.name, col.name, fix)

    if col.generated:
        return [
            err(
                "generated-column",
                f"{where} is generated by the database ({col.generated})",
                "remove it from the spec",
            )
        ]
    if g.kind == "default":
        if not col.has_default and not col.nullable:
            return [
                err(
                    "no-default",
                    f"{where} has `default: true` but the database has no "
                    "default for it and it is NOT NULL",
                    "give it a generator",
                )
            ]
        return []
    out = []
    if g.null and not col.nullable:
        out.append(
            err(
                "null-into-not-null",
                f"{where} is NOT NULL but the spec asks for {g.null:.0%} NULLs",
                "remove `null:` or make the column nullable",
            )
        )
    if fk is not None and g.kind not in ("ref", "lookup"):
        out.append(
            err(
                "fk-without-ref",
                f"{where} is a foreign key to {fk.ref_table} but the spec gives it `{g.kind}`",
                f"use `ref: {fk.ref_table}`",
            )
        )
    if g.kind == "ref":
        out.extend(_ref_findings(table, col, cs, fk, schema))
        return out
    if g.kind in ("lookup", "index_in_parent"):
        return out
    out.extend(_type_findings(spec, where, col, g, err))
    out.extend(_value_findings(where, col, g, facts or ColumnFacts(), err))
    return out


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


def value_classes(g: GeneratorSpec, locale: str, seed: int) -> set[str]:
    """The classes of Python values a generator produces (int, str, date, json ...)."""
    kind = g.kind
    fixed = {
        "int": "int",
        "sequence": "int",
        "float": "float",
        "decimal": "decimal",
        "bool": "bool",
        "date": "date",
        "datetime": "datetime",
        "time": "time",
        "uuid": "uuid",
        "template": "str",
        "json": "json",
        "array": "array",
        "bytes": "bytes",
        "bits": "str",
        "cidr": "str",
        "interval": "str",
        "range": "str",
    }
    if kind in fixed:
        return {fixed[kind]}
    if kind == "const":
        return {_class_of(g.params.get("value"))}
    if kind == "choice":
        return {_class_of(v) for v in g.params.get("values") or []}
    if kind == "gen":
        values = pool(
            g.params["provider"], locale=locale, seed=seed, args=g.params.get("args"), size=8
        )
        return {_class_of(v) for v in values}
    return set()


def _class_of(value: Any) -> str:
    if value is None:
        return "null"
    return _PY_CLASS.get(type(value), "str")


def _type_findings(spec: Spec, where: str, col: DbColumn, g: GeneratorSpec, err: Any) -> list:
    accepted = ACCEPTS.get(col.type)
    if accepted is None:
        return []
    try:
        produced = value_classes(g, spec.locale, spec.seed) - {"null"}
    except SeedspecError as e:
        return [err("bad-generator", f"{where}: {e.message}", "use an existing mimesis provider")]
    if col.type == "json" and produced == {"str"} and g.kind == "const":
        try:
            json.loads(str(g.params.get("value")))
            return []
        except ValueError:
            pass
    wrong = sorted(produced - accepted)
    if wrong:
        kind = {"gen": g.params.get("provider")}.get(g.kind, g.kind)
        return [
            err(
                "type-mismatch",
                f"{where} is {col.sql_type or col.type} but `{kind}` "
                f"produces {', '.join(wrong)} values",
                f"use a generator of {_describe(accepted)} values",
            )
        ]
    return []


def _describe(classes: set[str]) -> str:
    return "/".join(sorted(classes))


def _value_findings(
    where: str, col: DbColumn, g: GeneratorSpec, facts: ColumnFacts, err: Any
) -> list[Problem]:
    """What a choice/const's values, or a number generator's range, break: CHECK, enum, length."""
    values = _listed_values(g)
    out = []
    if values is not None:
        out.extend(_allowed_findings(where, col, values, facts, err))
        out.extend(_length_findings(where, col, values, err))
    out.extend(_range_findings(where, g, values, facts, err))
    return out


def _listed_values(g: GeneratorSpec) -> list[Any] | None:
    """The values a generator lists in the spec (choice, const), else None."""
    if g.kind == "choice":
        return list(g.params.get("values") or [])
    if g.kind == "const" and g.params.get("value") is not None:
        return [g.params["value"]]
    return None


def _allowed_findings(
    where: str, col: DbColumn, values: list[Any], facts: ColumnFacts, err: Any
) -> list[Problem]:
    allowed, label = facts.allowed, "CHECK"
    if allowed is None and col.enum_values:
        allowed, label = list(col.enum_values), f"{col.type} type"
    if allowed is None:
        return []
    outside = [v for v in values if v not in allowed and str(v) not in map(str, allowed)]
    if not outside:
        return []
    return [
        err(
            "choice-outside-check",
            f"{where}: {', '.join(map(repr, outside))} "
            f"not allowed by its {label} ({', '.join(map(repr, allowed))})",
            "remove those values or change the constraint",
        )
    ]


def _length_findings(where: str, col: DbColumn, values: list[Any], err: Any) -> list[Problem]:
    if not col.length or col.type not in ("char", "varchar"):
        return []
    long = [v for v in values if isinstance(v, str) and len(v) > col.length]
    if not long:
        return []
    return [
        err(
            "value-too-long",
            f"{where} is {col.sql_type or col.type}: {', '.join(map(repr, long))} too long",
            "shorten the values",
        )
    ]


def _range_findings(
    where: str, g: GeneratorSpec, values: list[Any] | None, facts: ColumnFacts, err: Any
) -> list[Problem]:
    if facts.lower is None and facts.upper is None:
        return []
    lo, hi = _bounds(g, values)
    bad = []
    if lo is not None and _below(lo, facts):
        op = ">=" if facts.lower_inclusive else ">"
        bad.append(f"min {lo} but CHECK requires {op} {facts.lower:g}")
    if hi is not None and _above(hi, facts):
        op = "<=" if facts.upper_inclusive else "<"
        bad.append(f"max {hi} but CHECK requires {op} {facts.upper:g}")
    if not bad:
        return []
    return [
        err(
            "range-outside-check",
            f"{where}: {'; '.join(bad)}",
            "narrow the generator's range to what the CHECK admits",
        )
    ]


def _bounds(g: GeneratorSpec, values: list[Any] | None) -> tuple[Any, Any]:
    """The least and greatest value a generator can produce, where the spec says (else None)."""
    if g.kind in ("int", "float", "decimal"):
        return g.params.get("min"), g.params.get("max")
    if g.kind == "sequence":
        return g.params.get("start", 1), None
    if values and all(isinstance(v, (int, float)) for v in values):
        return min(values), max(values)
    return None, None


def _below(lo: Any, facts: ColumnFacts) -> bool:
    low = facts.lower
    return low is not None and (lo < low or (lo == low and not facts.lower_inclusive))


def _above(hi: Any, facts: ColumnFacts) -> bool:
    high = facts.upper
    return high is not None and (hi > high or (hi == high and not facts.upper_inclusive))
