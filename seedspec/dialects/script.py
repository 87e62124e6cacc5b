"""Script: a table's exported rows (column values) -> the SQL text a database's own client
loads (multi-row INSERTs with the dialect's literals; the transaction's opening and closing).

Literals are rendered by the target dialect's SQLAlchemy compiler (what literal_binds
renders), identifiers by its identifier preparer: nothing is string-formatted but what
those return. Each database family's subclass (`dialects/<db>/script.py`) says what differs:
its client's directives (stop at the first error), its session settings, its include command,
COPY for PostgreSQL."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from seedspec.database.model import DbSchema, DbTable
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

INSERT_ROWS = 500  # rows per INSERT statement

_TYPES: dict[type, sa.types.TypeEngine[Any]] = {
    bool: sa.Boolean(),
    int: sa.BigInteger(),
    float: sa.Float(),
    str: sa.String(),
    decimal.Decimal: sa.Numeric(),
    dt.datetime: sa.DateTime(),
    dt.date: sa.Date(),
    dt.time: sa.Time(),
    uuid.UUID: sa.Uuid(),
}


class Script:
    """The generic script: BEGIN / COMMIT around multi-row INSERTs and per-row UPDATEs."""

    include_command = ""  # the client's command that reads another file ("" : none)

    def __init__(self, sa_dialect: sa.engine.Dialect) -> None:
        self.sa_dialect = sa_dialect  # made with paramstyle "named": no %% doubling
        self._compiler = sa_dialect.statement_compiler(sa_dialect, None)

    # -- naming ----------------------------------------------------------------------
    def quote(self, ident: str) -> str:
        return str(self.sa_dialect.identifier_preparer.quote(ident))

    def qualified(self, table: DbTable) -> str:
        name = self.quote(table.bare_name)
        return f"{self.quote(table.schema)}.{name}" if table.schema else name

    # -- literals --------------------------------------------------------------------
    def literal(self, value: Any) -> str:
        """One value as this database's SQL literal."""
        if value is None:
            return "NULL"
        if isinstance(value, (bytes, bytearray, memoryview)):
            return self.bytes_literal(bytes(value))
        if isinstance(value, (dict, list, tuple)):
            value = json.dumps(value, default=str)
        kind = type(value) if type(value) in _TYPES else str
        text = value if kind is not str else str(value)
        return str(self._compiler.render_literal_value(text, _TYPES[kind]))

    def bytes_literal(self, value: bytes) -> str:
        return f"X'{value.hex()}'"

    # -- the script's parts ----------------------------------------------------------
    def opening(self, deferred: bool, suspend_fk_checks: bool) -> list[str]:
        """The lines before the first row: client directives, BEGIN, session settings."""
        return ["BEGIN;"]

    def closing(self, suspend_fk_checks: bool) -> list[str]:
        return ["COMMIT;"]

    def include(self, path: str) -> str:
        """The client command that loads the file at `path` (relative to the script)."""
        return f"{self.include_command} {path}"

    def rows(
        self, table: DbTable, columns: Sequence[str], arrays: list[Any], values: list[list[Any]]
    ) -> str:
        """One chunk's rows: `arrays` as generated, `values` as the INSERT path sends them."""
        if not values or not values[0]:
            return ""
        head = f"INSERT INTO {self.qualified(table)} ({', '.join(map(self.quote, columns))}) VALUES"
        rendered = [[self.literal(v) for v in col] for col in values]
        lines = [f"({', '.join(row)})" for row in zip(*rendered, strict=True)]
        out = []
        for at in range(0, len(lines), INSERT_ROWS):
            out.append(head + "\n" + ",\n".join(lines[at : at + INSERT_ROWS]) + ";\n")
        return "".join(out)

    def updates(
        self,
        table: DbTable,
        key_columns: Sequence[str],
        columns: Sequence[str],
        values: list[list[Any]],
    ) -> str:
        """The cycle-closing UPDATEs of one chunk: key columns' values, then the filled ones."""
        nk = len(key_columns)
        out = []
        for row in zip(*values, strict=True):
            sets = ", ".join(
                f"{self.quote(c)} = {self.literal(v)}"
                for c, v in zip(columns, row[nk:], strict=True)
            )
            where = " AND ".join(
                f"{self.quote(c)} = {self.literal(v)}"
                for c, v in zip(key_columns, row[:nk], strict=True)
            )
            out.append(f"UPDATE {self.qualified(table)} SET {sets} WHERE {where};\n")
        return "".join(out)

    def reset_sequences(self, schema: DbSchema, tables: Sequence[str]) -> list[str]:
        """Statements moving each key counter past the loaded keys (none where inserting an
        explicit key already does)."""
        return []
