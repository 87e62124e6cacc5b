"""SQLite's script: sqlite3's `.bail on` (stop at the first error, so COMMIT never follows
one), foreign keys on and deferred to COMMIT, `.read` for each part file."""

from __future__ import annotations

from seedspec.dialects.script import Script


class SqliteScript(Script):
    include_command = ".read"

    def opening(self, deferred: bool, suspend_fk_checks: bool) -> list[str]:
        return [
            ".bail on",
            "PRAGMA foreign_keys = ON;",
            "BEGIN;",
            "PRAGMA defer_foreign_keys = ON;",
        ]
