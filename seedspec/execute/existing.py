"""Rows already in the database that a plan builds on: a spec, an engine and the reflected schema
-> for each left-alone table that seeded FKs reference, its referenced columns' values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from seedspec.analysis.selection import select_tables
from seedspec.compile.links import left_alone_parents
from seedspec.database.model import DbSchema, DbTable
from seedspec.database.target import Target
from seedspec.database.waits import read_lock_error
from seedspec.dialects.registry import dialect_for
from seedspec.plan.params import Params
from seedspec.plan.recipes import ExistingRows
from seedspec.spec.model import Spec

if TYPE_CHECKING:
    from seedspec.dialects.base import Dialect

EXISTING_ROWS_LIMIT = 10_000  # rows of a left-alone parent its seeded children pick among


def read_existing(
    spec: Spec, engine: sa.Engine, schema: DbSchema, given: sa.Connection | None = None
) -> dict[str, ExistingRows]:
    """The rows already in left-alone tables that seeded FKs reference: their referenced
    columns, distinct, in order, at most EXISTING_ROWS_LIMIT per table (read-only; on the
    `given` connection when there is one)."""
    left = select_tables(spec, schema).left_alone
    wanted = left_alone_parents(spec, schema, left)
    if not wanted:
        return {}
    dialect = dialect_for(engine.dialect.name)
    out: dict[str, ExistingRows] = {}
    with Target(engine, schema, given).connection() as conn:
        while wanted:  # an empty bookkeeping table seeded after all has parents of its own
            for name, columns in wanted.items():
                try:
                    rows = _existing_rows(dialect, conn, schema, name, columns)
                except sa.exc.DBAPIError as err:
                    if not dialect.is_lock_timeout(err):
                        raise
                    raise read_lock_error(err, conn, name) from None
                data = [[_plain(row[i]) for row in rows] for i in range(len(columns))]
                out[name] = ExistingRows(name, len(rows), columns, Params.of({"columns": data}))
            empty = [n for n, rows in out.items() if rows.count == 0]
            left = select_tables(spec, schema, empty).left_alone
            wanted = {
                n: c for n, c in left_alone_parents(spec, schema, left).items() if n not in out
            }
    return out


def _existing_rows(
    dialect: Dialect, conn: sa.Connection, schema: DbSchema, name: str, columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The rows read from one left-alone parent. An FK target outside the seeded schemas is
    not in the DbSchema (`auth.users`): it is read by its qualified name, and one the role may
    not read (Supabase's auth schema for a restricted role) counts as holding no rows."""
    table = schema.table(name)
    if table is not None:
        return dialect.existing_rows(conn, table, columns, EXISTING_ROWS_LIMIT)
    owner, _, bare = name.rpartition(".")
    outside = DbTable(name, owner or None)
    try:
        with conn.begin_nested():
            return dialect.existing_rows(conn, outside, columns, EXISTING_ROWS_LIMIT)
    except sa.exc.DBAPIError as err:
        if dialect.is_lock_timeout(err):
            raise
        return []


def _plain(value: object) -> object:
    """A key value as the plan's JSON can hold it (UUIDs and the like as their text)."""
    plain = (str, int, float, bool, Decimal, dt.date, dt.datetime, dt.time, type(None))
    return value if isinstance(value, plain) else str(value)
