"""PostgreSQL's script: rows -> COPY ... FROM stdin blocks (the COPY text apply's text path
sends), psql's directives, SET CONSTRAINTS ALL DEFERRED, setval per identity/serial key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seedspec.database.model import DbSchema, DbTable
from seedspec.dialects.postgresql.copytext import encode_rows
from seedspec.dialects.script import Script


class PostgresScript(Script):
    include_command = "\\ir"

    def bytes_literal(self, value: bytes) -> str:
        return self.literal("\\x" + value.hex()) + "::bytea"

    def opening(self, deferred: bool, suspend_fk_checks: bool) -> list[str]:
        lines = ["\\set ON_ERROR_STOP on", "BEGIN;", "SET LOCAL TimeZone = 'UTC';"]
        if deferred:
            lines.append("SET CONSTRAINTS ALL DEFERRED;")
        return lines

    def closing(self, suspend_fk_checks: bool) -> list[str]:
        return ["SET CONSTRAINTS ALL IMMEDIATE;", "COMMIT;"]

    def rows(
        self, table: DbTable, columns: Sequence[str], arrays: list[Any], values: list[list[Any]]
    ) -> str:
        data = encode_rows(arrays).decode("utf-8")
        if not data:
            return ""
        names = ", ".join(map(self.quote, columns))
        return f"COPY {self.qualified(table)} ({names}) FROM stdin;\n{data}\\.\n"

    def reset_sequences(self, schema: DbSchema, tables: Sequence[str]) -> list[str]:
        out = []
        for name in tables:
            t = schema.table(name)
            if t is None:
                continue
            for col in t.columns:
                if col.identity not in ("always", "by_default", "serial"):
                    continue
                qt, qc = self.qualified(t), self.quote(col.name)
                seq = f"pg_get_serial_sequence({self.literal(qt)}, {self.literal(col.name)})"
                out.append(
                    f"SELECT setval({seq}, max({qc})) FROM {qt} HAVING max({qc}) IS NOT NULL;"
                )
        return out
