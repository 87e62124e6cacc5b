"""The escape hatches at compile: `sql:` columns -> the UPDATE steps that set them after the
load, and `existing:` columns checked against the schema and the plan's counts; each problem
located at the column's spec line.

`sql:` expressions are read by sqlglot with the target's dialect (a parse error or a statement
is refused) and written into the UPDATE as the user wrote them, so the database evaluates the
user's own text (sqlglot's rewrite of an expression can change it: `SHA2` becomes `ENCODE(...)`
on PostgreSQL). A `sql:` column cannot be part of a primary key or FK (seedspec computes FKs
from the keys it generates) and is not guaranteed unique by seedspec (a warning).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seedspec.compile.unit import Errors, Unit
from seedspec.database.model import DbTable
from seedspec.database.picks import picked_column, statement, where_sql
from seedspec.deferred import deferred
from seedspec.errors import Problem
from seedspec.plan.model import RunSql
from seedspec.spec.model import ColumnSpec

if TYPE_CHECKING:
    import sqlglot
    from sqlglot import exp
else:
    sqlglot = deferred("sqlglot")
    exp = deferred("sqlglot.expressions")


def sql_steps(unit: Unit, errors: Errors) -> list[RunSql]:
    """One UPDATE per seeded table with `sql:` columns, in insert order."""
    dialect = unit.ctx.capabilities.sqlglot_dialect
    out = []
    for name in unit.ordering.order if unit.ordering else ():
        t = unit.linked[name]
        hatches = [cs for cs in (t.spec.columns if t.spec else ()) if cs.generator.kind == "sql"]
        if not hatches or unit.count(name) == 0:
            continue
        sets = []
        for cs in hatches:
            problem = _expression_problem(t.table, cs, {c.name for c in hatches}, dialect)
            problem = problem or _key_problem(t.table, cs, errors)
            if problem is not None:
                errors.add(problem)
                continue
            expr = str(cs.generator.params["expr"]).strip()
            sets.append(f"{_ident(cs.name, dialect)} = ({expr})")
        if len(sets) == len(hatches):
            sql = f"UPDATE {_table(t.table, dialect)} SET {', '.join(sets)}"
            at = hatches[0].location
            out.append(RunSql(sql, f"{at} (sql: of {name})" if at else f"sql: of {name}"))
    return out


def _first_line(err: Exception) -> str:
    lines = str(err).splitlines()
    return lines[0] if lines else type(err).__name__


def _expression_problem(
    table: DbTable, cs: ColumnSpec, hatched: set[str], dialect: str | None
) -> Problem | None:
    """Why the expression cannot be set as written (None: it can)."""
    expr = str(cs.generator.params.get("expr") or "")
    where, at = f"{table.name}.{cs.name}", cs.location
    try:
        parsed = sqlglot.parse_one(expr, read=dialect)
    except sqlglot.errors.ParseError as err:
        return Problem(
            f"{where}: sql: {expr!r} does not parse ({_first_line(err)})",
            at,
            code="sql-unparsed",
            table=table.name,
            column=cs.name,
            fix="write one SQL expression in the database's dialect",
        )
    if parsed is None or statement(parsed):
        return Problem(
            f"{where}: sql: {expr!r} is a statement, not an expression",
            at,
            code="sql-unparsed",
            table=table.name,
            column=cs.name,
            fix="write one expression; a subquery goes in parentheses: (SELECT ...)",
        )
    for col in parsed.find_all(exp.Column):
        if col.find_ancestor(exp.Query) is not None or col.table:
            continue  # a subquery's own columns, or another table's
        if table.column(col.name) is None:
            return Problem(
                f"{where}: sql: reads {col.name!r}, which {table.name!r} does not have",
                at,
                code="sql-unknown-column",
                table=table.name,
                column=cs.name,
                fix="name a column of the same row (or quote a string literal)",
            )
        if col.name in hatched:
            return Problem(
                f"{where}: sql: reads {col.name!r}, which is itself set by `sql:`",
                at,
                code="sql-reads-sql",
                table=table.name,
                column=cs.name,
                fix="repeat that expression instead of reading the column",
            )
    return None


def _key_problem(table: DbTable, cs: ColumnSpec, errors: Errors) -> Problem | None:
    """A key or FK column is refused; a UNIQUE one is a warning."""
    where = f"{table.name}.{cs.name}"
    fk = next((f for f in table.foreign_keys if cs.name in f.columns), None)
    if cs.name in table.primary_key or fk is not None:
        what = "the primary key" if fk is None else f"a foreign key to {fk.ref_table}"
        return Problem(
            f"{where}: sql: cannot set a column of {what}: seedspec computes keys and "
            "references from the values it generates",
            cs.location,
            code="sql-on-key",
            table=table.name,
            column=cs.name,
            fix="leave this column to seedspec and compute another one with sql:",
        )
    if any(cs.name in u.columns for u in table.uniques):
        errors.warn(
            Problem(
                f"{where} is UNIQUE but sql: computes it; seedspec cannot guarantee distinct "
                "values: the database checks them, and a repeat fails the apply (rolled back)",
                cs.location,
                "warning",
                "sql-unique",
                table.name,
                cs.name,
            )
        )
    return None


def existing_problems(unit: Unit, errors: Errors) -> None:
    """Each `existing:` column: its table and column are there, and the table is not seeded."""
    dialect = unit.ctx.capabilities.sqlglot_dialect
    for t in unit.seeded:
        for cs in t.spec.columns if t.spec else ():
            if cs.generator.kind == "existing":
                for problem in _existing_problems(unit, t.table, cs, dialect):
                    errors.add(problem)


def _existing_problems(
    unit: Unit, table: DbTable, cs: ColumnSpec, dialect: str | None
) -> list[Problem]:
    params, schema = cs.generator.params, unit.ctx.schema
    name, where, at = str(params.get("table")), f"{table.name}.{cs.name}", cs.location
    target = schema.table(name)
    if target is None:
        return [
            Problem(
                f"{where}: existing: no table {name!r} in the database",
                at,
                code="existing-no-table",
                table=table.name,
                column=cs.name,
                fix="name a table the database has",
            )
        ]
    column = picked_column(schema, table, cs)
    if column is None:
        return [
            Problem(
                f"{where}: existing: {name!r} has no single-column primary key to pick",
                at,
                code="existing-no-column",
                table=table.name,
                column=cs.name,
                fix="name the column: `existing: {table: ..., column: ...}`",
            )
        ]
    if target.column(column) is None:
        return [
            Problem(
                f"{where}: existing: {name!r} has no column {column!r}",
                at,
                code="existing-no-column",
                table=table.name,
                column=cs.name,
                fix=f"name a column of {name}",
            )
        ]
    out = []
    fk = next((f for f in table.foreign_keys if cs.name in f.columns), None)
    if fk is not None and (schema.table(fk.ref_table) is not target or fk.ref_columns != (column,)):
        out.append(
            Problem(
                f"{where} is a foreign key to {fk.ref_table}.{fk.ref_columns[0]} but existing: "
                f"picks {name}.{column}",
                at,
                code="existing-not-fk-target",
                table=table.name,
                column=cs.name,
                fix=f"pick from {fk.ref_table} (`existing: {{table: {fk.ref_table}}}`)",
            )
        )
    if unit.left_alone(target.name) is None and unit.count(target.name) > 0:
        out.append(
            Problem(
                f"{where}: existing: picks rows already in {name!r}, which this spec seeds too "
                f"({unit.count(target.name)} rows); apply fills only empty tables and --reset "
                "empties it",
                at,
                code="existing-seeded",
                table=table.name,
                column=cs.name,
                fix=f"give {name} `count: 0`, or exclude it, to keep its rows",
            )
        )
    return out + _where_problems(table, cs, dialect)


def _where_problems(table: DbTable, cs: ColumnSpec, dialect: str | None) -> list[Problem]:
    """An `existing:` where: that sqlglot does not read as one condition in the dialect."""
    given = cs.generator.params.get("where")
    if not given:
        return []
    try:
        where_sql(str(given), dialect)
    except (sqlglot.errors.ParseError, ValueError) as err:
        return [
            Problem(
                f"{table.name}.{cs.name}: existing where: {given!r} is not one SQL condition "
                f"({_first_line(err)})",
                cs.location,
                code="existing-where",
                table=table.name,
                column=cs.name,
                fix="write one SQL condition, e.g. is_active",
            )
        ]
    return []


def _ident(name: str, dialect: str | None) -> str:
    return exp.to_identifier(name, quoted=True).sql(dialect=dialect)


def _table(table: DbTable, dialect: str | None) -> str:
    return exp.table_(table.bare_name, db=table.schema, quoted=True).sql(dialect=dialect)
