"""Exceptions -> exit codes and error codes: the command line's two tables (docs/OUTPUT.md)."""

from __future__ import annotations

from typing import Any

from seedspec.analysis.drift import DriftError, drift_document
from seedspec.errors import (
    AlreadySeeded,
    ApplyError,
    CompileError,
    ConnectionFailed,
    DatabaseFailed,
    ExitCode,
    GuardRefused,
    LockTimeout,
    PermissionDenied,
    Problem,
    SeedspecError,
    ShardsMissing,
    StaleSnapshot,
    UsageError,
)

# Looked up along the exception's MRO, so the most specific class listed wins.
EXIT_CODES: dict[type[BaseException], ExitCode] = {
    DriftError: ExitCode.DRIFT,  # the spec does not fit the schema; nothing was written
    CompileError: ExitCode.DRIFT,  # unsatisfiable against this schema (compile_plan: drift)
    StaleSnapshot: ExitCode.DRIFT,  # snapshot --check: the committed snapshot is stale
    GuardRefused: ExitCode.GUARD,  # the production guard: not a local database, or production
    UsageError: ExitCode.USAGE,
    SeedspecError: ExitCode.ERROR,  # invalid spec, unreachable database, rolled-back load ...
    KeyboardInterrupt: ExitCode.INTERRUPTED,
    Exception: ExitCode.INTERNAL,  # a bug: reported as an internal error, never a traceback
}

# The `code` of each error in a `-o json` document: a stable, documented list (docs/OUTPUT.md).
# Every code has one exit code.
ERROR_CODES: dict[type[BaseException], str] = {
    DriftError: "drift",  # (its compile findings: unsatisfiable; DriftReport.code_of)
    StaleSnapshot: "drift",
    CompileError: "unsatisfiable",
    GuardRefused: "guard",
    UsageError: "usage",
    ConnectionFailed: "connection",
    PermissionDenied: "permission",
    LockTimeout: "lock-timeout",
    AlreadySeeded: "seeded",
    ShardsMissing: "load",  # apply --finish before every shard is in (kind shards-missing)
    ApplyError: "load",
    DatabaseFailed: "database",
    SeedspecError: "spec",  # the spec, or a file it relies on (snapshot, plan), is invalid
    KeyboardInterrupt: "interrupted",
    Exception: "internal",
}
# An unsatisfiable-class error whose problem says the schema moved under a written plan
DRIFT_KINDS = frozenset({"plan-schema-mismatch", "plan-version-mismatch"})
EXIT_OF_CODE: dict[str, ExitCode] = {
    "spec": ExitCode.ERROR,
    "connection": ExitCode.ERROR,
    "permission": ExitCode.ERROR,
    "database": ExitCode.ERROR,
    "load": ExitCode.ERROR,
    "lock-timeout": ExitCode.ERROR,
    "seeded": ExitCode.ERROR,
    "usage": ExitCode.USAGE,
    "drift": ExitCode.DRIFT,
    "unsatisfiable": ExitCode.DRIFT,
    "guard": ExitCode.GUARD,
    "internal": ExitCode.INTERNAL,
    "interrupted": ExitCode.INTERRUPTED,
}


class Reported(SeedspecError):
    """A failing result the verb has already printed as text (drift found by `check`, a stale
    snapshot): `error` decides the exit code, `document` is the result of its JSON output."""

    def __init__(self, error: SeedspecError, document: dict[str, Any]) -> None:
        super().__init__(error.message, error.location)
        self.error = error
        self.document = document

    @property
    def problems(self) -> list[Problem]:
        return self.error.problems


def _lookup(err: BaseException, table: dict[type[BaseException], Any]) -> Any:
    if isinstance(err, Reported):
        err = err.error
    for cls in type(err).__mro__:
        if cls in table:
            return table[cls]
    return None


def exit_code_of(err: BaseException) -> ExitCode:
    """The exit code an exception means: the first class of its MRO in EXIT_CODES."""
    return _lookup(err, EXIT_CODES) or ExitCode.INTERNAL


def error_code_of(err: BaseException, problem: Problem) -> str:
    """The documented error code of one of `err`'s problems."""
    inner = err.error if isinstance(err, Reported) else err
    if isinstance(inner, DriftError):
        return inner.report.code_of(problem)
    code = str(_lookup(err, ERROR_CODES) or "internal")
    if code == "unsatisfiable" and problem.code in DRIFT_KINDS:
        return "drift"
    return code


def errors_of(err: BaseException, problems: list[Problem]) -> list[Problem]:
    """The problems a failure lists under `errors` (drift warnings go to the result's drift)."""
    inner = err.error if isinstance(err, Reported) else err
    if isinstance(inner, DriftError):
        return [p for p in problems if p.severity == "error"] or problems
    return problems


def result_of(err: BaseException) -> dict[str, Any] | None:
    """What a failed command still has to show as its result (check's drift, a stale diff)."""
    if isinstance(err, Reported):
        return err.document
    if isinstance(err, DriftError):
        return {"drift": drift_document([err.report])}
    return None
