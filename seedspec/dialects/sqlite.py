"""SQLite: executemany in one transaction, FK checks deferred to commit and verified before it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from seedspec.database.model import DbColumn
from seedspec.dialects.base import Dialect, iso_value
from seedspec.errors import ApplyError


class SqliteDialect(Dialect):
    name = "sqlite"
    placeholder = "?"

    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        # Cycles and self-references load in any order; checked at COMMIT and by us before it.
        self.execute_raw(conn, "PRAGMA defer_foreign_keys = ON")

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        cur = self.raw(conn).cursor()
        try:
            bad = cur.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            cur.close()
        if bad:
            tables = sorted({str(r[0]) for r in bad})
            raise ApplyError(
                f"{len(bad)} rows violate foreign keys in {', '.join(tables)}; rolled back"
            )

    def adapter(self, values: list[Any], column: DbColumn | None) -> Callable[[Any], Any] | None:
        sample = next((v for v in values if v is not None), None)
        if sample is None or isinstance(sample, (int, float, str, bytes)):
            return None
        return iso_value
