"""Diagnostics for every stage: SourceLocation, Problem (the one diagnostic), errors, ExitCode."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    DRIFT = 3
    GUARD = 4
    INTERNAL = 70
    INTERRUPTED = 130


@dataclass(frozen=True)
class SourceLocation:
    """A place in a spec file; line and col are 1-based (0: a spec given as a mapping, whose
    `file` reads `<dict>:/json/pointer`)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        if self.line == 0:  # a spec given as a mapping: `file` holds its JSON pointer
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """The one diagnostic: a spec error, a drift finding or a compile problem, with where and how.

    `message` is the bare statement; `fix` (when known) says what to change, and `text` joins the
    two the way people read them. Where a Problem points takes no part in its equality or in a
    plan digest (a comment added to the spec moves lines, not meaning), but is always reported."""

    message: str
    location: SourceLocation | None = field(default=None, compare=False, metadata={"digest": False})
    severity: str = "error"  # "error" | "warning"
    code: str = "spec"  # e.g. spec, missing-column, type-mismatch, choice-outside-check
    table: str | None = None
    column: str | None = None
    fix: str | None = None

    @property
    def text(self) -> str:
        """The message with its fix, as printed: `... (fix: ...)`."""
        return f"{self.message} (fix: {self.fix})" if self.fix else self.message

    def escalated(self, strict: bool) -> Problem:
        """With --strict a warning counts as an error."""
        if strict and self.severity == "warning":
            return replace(self, severity="error")
        return self

    def format(self) -> str:
        """`file:line:col: severity: message (fix: ...)`, the human line."""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.text}"

    def to_dict(self) -> dict[str, object]:
        """The JSON form of a drift finding (every key present)."""
        out: dict[str, object] = {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "table": self.table,
            "column": self.column,
            "fix": self.fix,
        }
        if self.location:
            out.update(file=self.location.file, line=self.location.line, col=self.location.col)
        return out

    def to_json(self, code: str) -> dict[str, object]:
        """The problem in a command's `-o json` document (docs/OUTPUT.md): `code` is its class
        from the documented list (spec, drift, connection ...), `kind` this problem's own code."""
        out: dict[str, object] = {
            "code": code,
            "kind": self.code if self.code != "spec" else code,  # a bare message: its class
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
            "table": self.table,
            "column": self.column,
        }
        if self.location:
            out.update(file=self.location.file, line=self.location.line, col=self.location.col)
        return out


class SeedspecError(Exception):
    """Base of every error seedspec reports to a user (never a traceback).

    Which exit code an error means is decided in one place: seedspec/cli/exits.py."""

    def __init__(self, message: str, location: SourceLocation | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    @property
    def problems(self) -> list[Problem]:
        return [Problem(self.message, self.location)]


class SpecError(SeedspecError):
    """The spec is invalid; carries every problem found at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self._problems = sorted(
            problems,
            key=lambda p: (
                p.location.file if p.location else "",
                p.location.line if p.location else 0,
                p.location.col if p.location else 0,
            ),
        )
        first = self._problems[0].format() if self._problems else "invalid spec"
        super().__init__(first, self._problems[0].location if self._problems else None)

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)


class SourceError(SeedspecError):
    """A spec file could not be read or parsed (missing, not UTF-8, malformed YAML, bomb)."""


class ConnectionFailed(SeedspecError):
    """The database could not be reached (the message never contains a password)."""


class CompileError(SeedspecError):
    """The spec cannot be satisfied against this schema (unfillable table, hard cycle, ...).

    compile_plan reports it as drift (exit 3), together with the reconciliation findings."""

    def __init__(self, problems: list[Problem]) -> None:
        self._problems = problems
        super().__init__(problems[0].message, problems[0].location)

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)


class ApplyError(SeedspecError):
    """Loading failed; the transaction was rolled back."""


class AlreadySeeded(ApplyError):
    """The tables the plan writes hold rows it did not put there (another plan's, by the ledger,
    or rows with no ledger entry); nothing was written (error code seeded; the fix: --reset)."""


class ShardsMissing(SeedspecError):
    """`apply --finish`: the ledger records no entry for some shards of the sharded load (they
    never ran, or failed and were rolled back); nothing was written (error code load, kind
    shards-missing). `missing` names them, K/N each."""

    def __init__(self, message: str, missing: list[str], fix: str) -> None:
        super().__init__(message)
        self.missing = missing
        self.fix = fix

    @property
    def problems(self) -> list[Problem]:
        return [Problem(self.message, code="shards-missing", fix=self.fix)]


class LockTimeout(ApplyError):
    """A lock wait outlasted --lock-timeout: the apply's (rolled back) or a schema read's (nothing
    was opened for writing); error code lock-timeout."""


class PermissionDenied(SeedspecError):
    """The database role lacks a privilege the command needs (error code permission)."""


class DatabaseFailed(SeedspecError):
    """The database failed a query for a reason that is neither the connection nor a privilege."""


class UsageError(SeedspecError):
    """The command line asks for something that cannot be done (exit 2)."""


class GuardRefused(SeedspecError):
    """The production guard refused to write to this database (exit 4); nothing was opened."""

    def __init__(self, problems: list[Problem]) -> None:
        self._problems = problems
        super().__init__(problems[0].message, problems[0].location)

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)


class StaleSnapshot(SeedspecError):
    """`snapshot --check`: the committed snapshot no longer matches the database (exit 3)."""

    @property
    def problems(self) -> list[Problem]:
        fix = "refresh it with `seedspec snapshot` and commit it"
        return [Problem(self.message, self.location, code="stale-snapshot", fix=fix)]
