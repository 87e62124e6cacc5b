"""Generic loading through the DBAPI cursor (executemany); dialects override what they do better."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from seedspec.database.model import DbColumn, DbSchema, DbTable


class Dialect:
    name = "generic"
    placeholder = "%s"
    schema: DbSchema | None = None  # the reflected schema of the current apply

    # -- naming --------------------------------------------------------------------
    def quote(self, conn: sa.Connection, ident: str) -> str:
        return conn.dialect.identifier_preparer.quote(ident)

    def qualified(self, conn: sa.Connection, table: DbTable) -> str:
        name = self.quote(conn, table.bare_name)
        return f"{self.quote(conn, table.schema)}.{name}" if table.schema else name

    # -- session -------------------------------------------------------------------
    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        """Session settings inside the apply transaction."""

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        """Undo session settings before commit (and check what the database deferred)."""

    def raw(self, conn: sa.Connection) -> Any:
        return conn.connection.dbapi_connection

    def execute_raw(self, conn: sa.Connection, sql: str) -> None:
        cur = self.raw(conn).cursor()
        try:
            cur.execute(sql)
        finally:
            cur.close()

    # -- bulk path -------------------------------------------------------------------
    def bulk_blocker(self, conn: sa.Connection, tables: Sequence[DbTable]) -> str | None:
        """Why the bulk path is not available here (None: it is)."""
        return f"{self.name} loads with its constraints in place"

    def start_bulk(self, conn: sa.Connection, tables: Sequence[DbTable]) -> Any:
        return None

    def end_inserts(self, conn: sa.Connection, state: Any) -> None:
        """After the last row is loaded (keys back, so UPDATE fills can find rows)."""

    def end_bulk(self, conn: sa.Connection, state: Any) -> None:
        """Before commit: everything restored and validated."""

    # -- checks ----------------------------------------------------------------------
    def nonempty_tables(self, conn: sa.Connection, tables: Sequence[DbTable]) -> list[str]:
        out = []
        for t in tables:
            row = conn.exec_driver_sql(f"SELECT 1 FROM {self.qualified(conn, t)} LIMIT 1").first()
            if row is not None:
                out.append(t.name)
        return out

    def clear(self, conn: sa.Connection, children_first: Sequence[DbTable]) -> None:
        for t in children_first:
            conn.exec_driver_sql(f"DELETE FROM {self.qualified(conn, t)}")

    # -- loading ---------------------------------------------------------------------
    def adapter(self, values: list[Any], column: DbColumn | None) -> Callable[[Any], Any] | None:
        """A per-value conversion for this column, or None when the driver takes them as is."""
        sample = next((v for v in values if v is not None), None)
        if isinstance(sample, (dict, list)) and (column is None or column.type != "array"):
            return _json_value
        return None

    def prepare(self, table: DbTable, columns: Sequence[str], arrays: list[Any]) -> Any:
        """Encode one generated chunk for loading (runs in the generator thread)."""
        from seedspec.generate.values import to_python

        return self.adapt_columns(table, columns, [to_python(a) for a in arrays])

    def load(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], payload: Any
    ) -> None:
        """Load one prepared chunk (runs in the connection's thread)."""
        self.insert(conn, table, columns, payload)

    def insert(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], cols: list[list[Any]]
    ) -> None:
        cols = self.adapt_columns(table, columns, cols)
        names = ", ".join(self.quote(conn, c) for c in columns)
        marks = ", ".join([self.placeholder] * len(columns))
        sql = f"INSERT INTO {self.qualified(conn, table)} ({names}) VALUES ({marks})"
        cur = self.raw(conn).cursor()
        try:
            cur.executemany(sql, list(zip(*cols, strict=True)))
        finally:
            cur.close()

    def adapt_columns(
        self, table: DbTable, columns: Sequence[str], cols: list[list[Any]]
    ) -> list[list[Any]]:
        out = []
        for name, values in zip(columns, cols, strict=True):
            fn = self.adapter(values, table.column(name))
            out.append(values if fn is None else [None if v is None else fn(v) for v in values])
        return out

    def update(
        self,
        conn: sa.Connection,
        table: DbTable,
        key_columns: Sequence[str],
        columns: Sequence[str],
        cols: list[list[Any]],
    ) -> None:
        """cols: key columns' values then the filled columns' values."""
        cols = self.adapt_columns(table, [*key_columns, *columns], cols)
        sets = ", ".join(f"{self.quote(conn, c)} = {self.placeholder}" for c in columns)
        where = " AND ".join(f"{self.quote(conn, c)} = {self.placeholder}" for c in key_columns)
        sql = f"UPDATE {self.qualified(conn, table)} SET {sets} WHERE {where}"
        nk = len(key_columns)
        rows = [(*row[nk:], *row[:nk]) for row in zip(*cols, strict=True)]
        cur = self.raw(conn).cursor()
        try:
            cur.executemany(sql, rows)
        finally:
            cur.close()

    def reset_sequences(self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]) -> int:
        return 0

    # -- verification ----------------------------------------------------------------
    def fk_violations(
        self, conn: sa.Connection, schema: DbSchema, tables: Iterable[str]
    ) -> list[str]:
        """Every FK of these tables checked by anti-join; returns 'table.fk: N rows' lines."""
        out = []
        for name in tables:
            t = schema.table(name)
            if t is None:
                continue
            for fk in t.foreign_keys:
                parent = schema.table(fk.ref_table)
                if parent is None:
                    continue
                q = self.qualified
                cols = [self.quote(conn, c) for c in fk.columns]
                on = " AND ".join(
                    f"p.{self.quote(conn, pc)} = d.{cc}"
                    for cc, pc in zip(cols, fk.ref_columns, strict=True)
                )
                notnull = " AND ".join(f"{c} IS NOT NULL" for c in cols)
                # each distinct key once (an index scan), not each row: 20k products, not 800k
                sql = (
                    f"SELECT count(*) FROM (SELECT DISTINCT {', '.join(cols)} FROM {q(conn, t)} "
                    f"WHERE {notnull}) d WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {q(conn, parent)} p WHERE {on})"
                )
                bad = conn.exec_driver_sql(sql).scalar() or 0
                if bad:
                    out.append(f"{name}.{fk.name or '+'.join(fk.columns)}: {bad} missing keys")
        return out


def _json_value(value: Any) -> str:
    return json.dumps(value, default=str)


def iso_value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (dict, list)):
        return _json_value(value)
    return value
