"""MySQL/MariaDB: multi-row INSERTs (pymysql executemany), NOT NULL cycles with checks suspended."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.dialects.base import Dialect


class MySqlDialect(Dialect):
    name = "mysql"
    placeholder = "%s"

    def begin(self, conn: sa.Connection, deferred: bool, suspend_fk_checks: bool) -> None:
        self.execute_raw(conn, "SET time_zone = '+00:00'")
        if suspend_fk_checks:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0")

    def finish(self, conn: sa.Connection, suspend_fk_checks: bool) -> None:
        if suspend_fk_checks:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1")

    def clear(self, conn: sa.Connection, children_first: list) -> None:  # type: ignore[override]
        self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 0")
        try:
            super().clear(conn, children_first)
        finally:
            self.execute_raw(conn, "SET FOREIGN_KEY_CHECKS = 1")
