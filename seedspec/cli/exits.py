"""The one exception -> exit code table of the command line (README, "Exit codes")."""

from __future__ import annotations

from typing import Any

from seedspec.analysis.drift import DriftError
from seedspec.errors import (
    CompileError,
    ExitCode,
    GuardRefused,
    Problem,
    SeedspecError,
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


class Reported(SeedspecError):
    """A failing result the verb has already printed as text (drift found by `check`, a stale
    snapshot): `error` decides the exit code, `document` is the body of its JSON output."""

    def __init__(self, error: SeedspecError, document: dict[str, Any]) -> None:
        super().__init__(error.message, error.location)
        self.error = error
        self.document = document

    @property
    def problems(self) -> list[Problem]:
        return self.error.problems


def exit_code_of(err: BaseException) -> ExitCode:
    """The exit code an exception means: the first class of its MRO in EXIT_CODES."""
    if isinstance(err, Reported):
        err = err.error
    for cls in type(err).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return ExitCode.INTERNAL
