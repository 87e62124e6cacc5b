"""MySQL's and MariaDB's script: multi-row INSERTs with backslash-escaping literals, UTC, the
client's `source`, FOREIGN_KEY_CHECKS off around a cycle the plan suspends."""

from __future__ import annotations

from seedspec.dialects.script import Script


class MysqlScript(Script):
    include_command = "source"

    def opening(self, deferred: bool, suspend_fk_checks: bool) -> list[str]:
        lines = ["SET time_zone = '+00:00';", "START TRANSACTION;"]
        if suspend_fk_checks:
            lines.append("SET FOREIGN_KEY_CHECKS = 0;")
        return lines

    def closing(self, suspend_fk_checks: bool) -> list[str]:
        return (["SET FOREIGN_KEY_CHECKS = 1;"] if suspend_fk_checks else []) + ["COMMIT;"]
