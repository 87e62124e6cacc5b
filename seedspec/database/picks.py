"""`existing:` columns: (Spec, DbSchema[, a connection]) -> the column each picks and the
values it picks among, read from the rows already in the database and filled into the Spec.

Read once when the plan is made: the distinct non-NULL values of the column, in ascending
order, at most EXISTING_LIMIT, of the rows meeting `where` (parsed by sqlglot for the
database's dialect and written back in it). The values go into the generator's params, so the
plan holds them: the same existing rows give the same plan and the same picks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from seedspec.database.model import DbSchema, DbTable
from seedspec.deferred import deferred
from seedspec.kinds.existing import EXISTING_LIMIT
from seedspec.spec.model import ColumnSpec, Spec

if TYPE_CHECKING:
    import sqlglot
    from sqlglot import exp
else:
    sqlglot = deferred("sqlglot")
    exp = deferred("sqlglot.expressions")

# (table, column, where SQL or None, the entry's location) -> the values in order (None: unread)
Reader = Callable[[DbTable, str, str | None, Any], list[Any] | None]


def picked_column(schema: DbSchema, child: DbTable | None, cs: ColumnSpec) -> str | None:
    """The column an `existing:` entry picks: as written, else the one this column's FK
    references in that table, else that table's single-column primary key (None: none)."""
    params = cs.generator.params
    if params.get("column"):
        return str(params["column"])
    target = schema.table(str(params.get("table")))
    if target is None:
        return None
    for fk in child.foreign_keys if child is not None else ():
        if fk.columns == (cs.name,) and schema.table(fk.ref_table) is target:
            return fk.ref_columns[0]
    return target.primary_key[0] if len(target.primary_key) == 1 else None


def where_sql(where: str, dialect: str | None) -> str:
    """`where` checked by sqlglot for the database's dialect (sqlglot.ParseError when it does
    not parse, ValueError when it is a statement rather than a condition) and returned as
    written: the database evaluates the user's own text, not sqlglot's rewrite of it."""
    parsed = sqlglot.parse_one(where, read=dialect)
    if statement(parsed):
        raise ValueError("it is a statement, not a condition")
    return where.strip()


def statement(node: object) -> bool:
    """A whole statement (SELECT, DDL, DML, several statements ...), not an expression."""
    kinds = tuple(
        k
        for k in (exp.DDL, exp.DML, exp.Command, getattr(exp, "Block", None), exp.Transaction)
        if isinstance(k, type)
    )
    return isinstance(node, kinds) or (
        isinstance(node, exp.Query) and not isinstance(node, exp.Subquery)
    )


def fill_picks(spec: Spec, schema: DbSchema, read: Reader) -> Spec:
    """The spec with each `existing:` column's values read (a column or table it cannot name
    keeps `values` None: compile reports it)."""
    tables = []
    for ts in spec.tables:
        child = schema.table(ts.name)
        columns = []
        for cs in ts.columns:
            if cs.generator.kind == "existing":
                cs = _filled(schema, child, cs, read)
            columns.append(cs)
        tables.append(replace(ts, columns=tuple(columns)))
    return replace(spec, tables=tuple(tables))


def _filled(schema: DbSchema, child: DbTable | None, cs: ColumnSpec, read: Reader) -> ColumnSpec:
    params = cs.generator.params
    target = schema.table(str(params.get("table")))
    column = picked_column(schema, child, cs)
    if target is None or column is None or target.column(column) is None:
        return cs
    values = read(target, column, params.get("where"), cs.location)
    if values is None:
        return cs
    generator = replace(cs.generator, params={**params, "values": [_plain(v) for v in values]})
    return replace(cs, generator=generator)


def _plain(value: object) -> object:
    """A value as the plan's JSON can hold it (UUIDs and the like as their text)."""
    plain = (str, int, float, bool, Decimal, dt.date, dt.datetime, dt.time)
    return value if isinstance(value, plain) else str(value)


def has_picks(spec: Spec) -> bool:
    return any(cs.generator.kind == "existing" for ts in spec.tables for cs in ts.columns)


def select_sql(table: str, column: str, where: str | None, quote: Callable[[str], str]) -> str:
    """The SELECT reading one pick's values: `table` already qualified and quoted, `where`
    checked by where_sql."""
    col = quote(column)
    cond = f"{col} IS NOT NULL"
    if where:
        cond = f"({where}) AND {cond}"
    return f"SELECT DISTINCT {col} FROM {table} WHERE {cond} ORDER BY {col} LIMIT {EXISTING_LIMIT}"


def read_picks(spec: Spec, engine: Any, schema: DbSchema, given: Any = None) -> Spec:
    """The spec with its `existing:` values read from the database (read-only; on the
    `given` connection when there is one). A spec without `existing:` comes back as is; a
    `where:` the database refuses is an error at its spec line."""
    if not has_picks(spec):
        return spec
    import sqlalchemy as sa

    from seedspec.database.target import Target
    from seedspec.dialects.capabilities import capabilities_for
    from seedspec.dialects.registry import dialect_for
    from seedspec.errors import SeedspecError

    dialect = dialect_for(engine.dialect.name)
    reader = capabilities_for(schema.dialect).sqlglot_dialect
    with Target(engine, schema, given).connection() as conn:

        def read(table: DbTable, column: str, where: str | None, at: Any) -> list[Any] | None:
            try:
                text = where_sql(where, reader) if where else None
            except (sqlglot.ParseError, ValueError):
                return None  # not read: compile reports the where: at its line
            quote = functools.partial(dialect.quote, conn)
            sql = select_sql(dialect.qualified(conn, table), column, text, quote)
            try:
                with conn.begin_nested() if conn.in_transaction() else contextlib.nullcontext():
                    return [row[0] for row in conn.exec_driver_sql(sql)]
            except sa.exc.DBAPIError as err:
                first = str(getattr(err, "orig", err)).strip().splitlines()
                why = first[0] if first else type(err).__name__
                raise SeedspecError(f"existing: reading {table.name} failed: {why}", at) from None

        return fill_picks(spec, schema, read)
