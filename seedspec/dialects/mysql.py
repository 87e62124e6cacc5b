"""MySQL/MariaDB: LOAD DATA LOCAL INFILE per chunk (multi-row INSERTs when the server refuses);
NOT NULL cycles and the bulk path load with checks suspended, then prove them by query."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from seedspec.database.model import DbSchema, DbTable
from seedspec.dialects.base import Dialect
from seedspec.dialects.copytext import encode_rows
from seedspec.dialects.verify import verify_foreign_keys, verify_uniques
from seedspec.errors import ApplyError
from seedspec.generate.base import objects

_REFUSED = (1148, 2068, 3948, 4166)  # LOAD DATA LOCAL disabled on the server or the client


def _bit_ints(values: Any) -> Any:
    """'0101' -> 5: MySQL BIT columns take numbers."""
    return objects([int(v, 2) if isinstance(v, str) else v for v in list(values)])


class MySqlDialect(Dialect):
    name = "mysql"
    placeholder = "%s"

    def __init__(self) -> None:
        self.load_data = True  # until the server refuses LOCAL INFILE
        self.schema: DbSchema | None = None

    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        self.execute_raw(conn, "SET time_zone = '+00:00'")
        if suspend_fk_checks:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0")

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        if suspend_fk_checks:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1")

    def clear(self, conn: sa.Connection, children_first: Sequence[DbTable]) -> None:
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0")
        try:
            super().clear(conn, children_first)
        finally:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1")

    # -- bulk path: FK and secondary-unique checks off for the load, then proved by query --
    def bulk_blocker(self, conn: sa.Connection, tables: Sequence[DbTable]) -> str | None:
        return None

    def start_bulk(self, conn: sa.Connection, tables: Sequence[DbTable]) -> Any:
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0")
        return list(tables)

    def end_bulk(self, conn: sa.Connection, state: Any) -> None:
        """Every FK and every secondary UNIQUE of the loaded tables is proved before commit."""
        assert self.schema is not None
        names = [t.name for t in state]
        bad = verify_foreign_keys(self, conn, self.schema, names)
        bad += verify_uniques(self, conn, self.schema, names)
        if bad:
            raise ApplyError("constraints violated after the bulk load: " + "; ".join(bad))
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1, UNIQUE_CHECKS = 1")

    # -- loading ---------------------------------------------------------------------
    def prepare(self, table: DbTable, columns: Sequence[str], arrays: list[Any]) -> Any:
        kinds = {c.type for name in columns if (c := table.column(name)) is not None}
        if not self.load_data or kinds & {"bytes", "bit"}:  # binary values: plain INSERTs
            bits = [(c := table.column(name)) is not None and c.type == "bit" for name in columns]
            arrays = [_bit_ints(a) if is_bit else a for a, is_bit in zip(arrays, bits, strict=True)]
            return ("rows", super().prepare(table, columns, arrays))
        handle, path = tempfile.mkstemp(prefix="seedspec-", suffix=".tsv")
        with os.fdopen(handle, "wb") as out:
            out.write(encode_rows(arrays, flavor="mysql"))
        return ("file", (path, len(arrays[0]) if arrays else 0, arrays))

    def load(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], payload: Any
    ) -> None:
        kind, data = payload
        if kind == "rows":
            self.insert(conn, table, columns, data)
            return
        path, count, arrays = data
        try:
            if not self._load_file(conn, table, columns, path, count):
                self.insert(conn, table, columns, super().prepare(table, columns, arrays))
        finally:
            os.unlink(path)

    def _load_file(
        self, conn: sa.Connection, table: DbTable, columns: Sequence[str], path: str, count: int
    ) -> bool:
        names = ", ".join(self.quote(conn, c) for c in columns)
        sql = (
            f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE {self.qualified(conn, table)} "
            f"CHARACTER SET utf8mb4 ({names})"
        )
        cur = self.raw(conn).cursor()
        try:
            cur.execute(sql)
            loaded = cur.rowcount
            warnings = cur.connection.show_warnings()
        except Exception as err:
            if getattr(err, "args", (None,))[0] in _REFUSED:
                self.load_data = False  # the server says no: multi-row INSERTs from now on
                return False
            raise
        finally:
            cur.close()
        if warnings or loaded != count:
            first = "; ".join(str(w[2]) for w in list(warnings)[:3])
            raise ApplyError(
                f"loading {table.name}: {loaded} of {count} rows loaded"
                + (f" ({first})" if first else "")
                + "; rolled back"
            )
        return True
