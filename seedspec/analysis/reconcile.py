"""Reconcile: (Spec, DbSchema) -> DriftReport: every way the spec no longer fits the schema."""

from __future__ import annotations

import difflib
import json
from typing import Any

from seedspec.analysis.drift import DriftReport, Finding
from seedspec.analysis.infer import table_facts
from seedspec.database.checks import ColumnFacts
from seedspec.database.model import DbColumn, DbSchema, DbTable
from seedspec.errors import SeedspecError
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
    out: list[Finding] = []
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
                    Finding(
                        "warning",
                        "table-unnamed",
                        f"table {table.name!r} is not in the spec; it is filled by inference",
                        table.name,
                        None,
                        spec.location,
                        f"add `{table.name}: {{count: N}}` under tables: (or `count: 0`)",
                    )
                )
    return DriftReport(out, spec_path=spec.path)


def _missing_table(ts: TableSpec, schema: DbSchema, named: set[str]) -> Finding:
    names = [t.name for t in schema.tables]
    hint = difflib.get_close_matches(ts.name, names, n=1) or _renamed_to(ts, schema, named)
    fix = (
        f"if it was renamed to {hint[0]!r}, rename it in the spec"
        if hint
        else "remove it from the spec, or run the migration that creates it"
    )
    return Finding(
        "error",
        "missing-table",
        f"table {ts.name!r} is not in the database",
        ts.name,
        None,
        ts.location,
        fix,
    )


def _table_findings(spec: Spec, ts: TableSpec, table: DbTable, schema: DbSchema) -> list[Finding]:
    out: list[Finding] = []
    facts, unread = table_facts(table)
    for problem in unread:
        out.append(
            Finding(
                "warning",
                "check-not-understood",
                problem.message,
                table.name,
                None,
                ts.location,
                "name the column's values in the spec",
            )
        )
    if ts.count and ts.count.per and schema.table(ts.count.per) is None:
        out.append(
            Finding(
                "error",
                "missing-table",
                f"count per {ts.count.per!r}: no such table in the database",
                table.name,
                None,
                ts.count.location,
                "point `per:` at the parent table's new name",
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
            Finding(
                "warning",
                "not-null-unnamed",
                f"{table.name}.{col.name} is NOT NULL without a default and the spec does not name "
                f"it; it is filled by inference",
                table.name,
                col.name,
                ts.location,
                f"add `{col.name}:` with a generator under {table.name}.columns",
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


def _missing_column(ts: TableSpec, cs: ColumnSpec, table: DbTable) -> Finding:
    hint = difflib.get_close_matches(cs.name, [c.name for c in table.columns], n=1)
    fix = (
        f"if it was renamed to {hint[0]!r}, rename it in the spec"
        if hint
        else "remove it from the spec"
    )
    return Finding(
        "error",
        "missing-column",
        f"column {ts.name}.{cs.name} is not in the database",
        ts.name,
        cs.name,
        cs.location,
        fix,
    )


def _column_findings(
    spec: Spec,
    table: DbTable,
    col: DbColumn,
    cs: ColumnSpec,
    facts: ColumnFacts | None,
    fk: Any,
    schema: DbSchema,
) -> list[Finding]:
    g = cs.generator
    where = f"{table.name}.{col.name}"

    def err(code: str, message: str, fix: str) -> Finding:
        return Finding("error", code, message, table.name, col.name, cs.location, fix)

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
) -> list[Finding]:
    target = cs.generator.params["table"]
    where = f"{table.name}.{col.name}"
    if schema.table(target) is None:
        return [
            Finding(
                "error",
                "missing-table",
                f"{where}: ref to {target!r}, which is not in the database",
                table.name,
                col.name,
                cs.location,
                "point the ref at the parent table's new name",
            )
        ]
    if fk is not None and fk.ref_table != target:
        return [
            Finding(
                "error",
                "ref-mismatch",
                f"{where} references {fk.ref_table!r} in the "
                f"database, but the spec says `ref: {target}`",
                table.name,
                col.name,
                cs.location,
                f"use `ref: {fk.ref_table}`",
            )
        ]
    if fk is None:
        return [
            Finding(
                "warning",
                "ref-without-fk",
                f"{where} has `ref: {target}` but no foreign key constraint in the database",
                table.name,
                col.name,
                cs.location,
                "add the FK in a migration, or keep it as a logical link",
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
) -> list:
    out = []
    values: list[Any] | None = None
    if g.kind == "choice":
        values = list(g.params.get("values") or [])
    elif g.kind == "const" and g.params.get("value") is not None:
        values = [g.params["value"]]
    allowed = facts.allowed
    label = "CHECK"
    if allowed is None and col.enum_values:
        allowed, label = list(col.enum_values), f"{col.type} type"
    if values is not None and allowed is not None:
        outside = [v for v in values if v not in allowed and str(v) not in map(str, allowed)]
        if outside:
            out.append(
                err(
                    "choice-outside-check",
                    f"{where}: {', '.join(map(repr, outside))} "
                    f"not allowed by its {label} ({', '.join(map(repr, allowed))})",
                    "remove those values or change the constraint",
                )
            )
    if values is not None and col.length and col.type in ("char", "varchar"):
        long = [v for v in values if isinstance(v, str) and len(v) > col.length]
        if long:
            out.append(
                err(
                    "value-too-long",
                    f"{where} is {col.sql_type or col.type}: {', '.join(map(repr, long))} too long",
                    "shorten the values",
                )
            )
    out.extend(_range_findings(where, g, values, facts, err))
    return out


def _range_findings(
    where: str, g: GeneratorSpec, values: list[Any] | None, facts: ColumnFacts, err: Any
) -> list:
    if facts.lower is None and facts.upper is None:
        return []
    lo = hi = None
    if g.kind in ("int", "float", "decimal"):
        lo, hi = g.params.get("min"), g.params.get("max")
    elif g.kind == "sequence":
        lo = g.params.get("start", 1)
    elif values is not None and all(isinstance(v, (int, float)) for v in values) and values:
        lo, hi = min(values), max(values)
    bad = []
    low, high = facts.lower, facts.upper
    if (
        lo is not None
        and low is not None
        and (lo < low or (lo == low and not facts.lower_inclusive))
    ):
        op = ">=" if facts.lower_inclusive else ">"
        bad.append(f"min {lo} but CHECK requires {op} {facts.lower:g}")
    if (
        hi is not None
        and high is not None
        and (hi > high or (hi == high and not facts.upper_inclusive))
    ):
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
