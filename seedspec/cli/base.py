"""The command line's shared parts: the typer app, common options, and run_verb (body -> exit)."""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import io
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import typer

from seedspec.cli import exits, render
from seedspec.database.secrets import mask
from seedspec.errors import ExitCode, Problem, SeedspecError
from seedspec.spec.limits import MAX_SCALE

app = typer.Typer(
    name="seedspec",
    help="Declarative seed specs -> valid, connected, deterministic rows.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Output(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (else SEEDSPEC_DATABASE_URL or DATABASE_URL)."),
]
OutputOption = Annotated[
    Output, typer.Option("--output", "-o", help="text, json (one document) or github")
]
ScaleOption = Annotated[
    float | None,
    typer.Option(
        "--scale", min=0.0, max=float(MAX_SCALE), help="Multiply every count (overrides spec)."
    ),
]
ProfileOption = Annotated[str | None, typer.Option("--profile", help="Apply profiles.NAME.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Treat drift warnings as errors.")]
SchemaOption = Annotated[
    str | None,
    typer.Option(
        "--schema",
        help="Database schema(s) to seed: a, or a,b, or * for all (default: the default "
        "schema, or all when it has no tables).",
    ),
]
IncludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        help="Seed only tables matching these globs (comma-separated, repeatable; added to the "
        "spec's tables.include). Naming a framework bookkeeping table seeds it.",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        help="Leave tables matching these globs alone: not seeded, never cleared (comma-"
        "separated, repeatable; added to the spec's tables.exclude).",
    ),
]
SpecArg = Annotated[str | None, typer.Argument(help="Spec file (default ./seed.yaml, else none).")]


def run_verb(output: Output, verb: str, body: Callable[[], dict[str, Any] | None]) -> None:
    """Run a verb's body and exit: 0 with its JSON document, else the exit code that
    `exits.EXIT_CODES` gives the exception, with its problems (never a traceback)."""
    try:
        doc = body()
    except (typer.Exit, typer.Abort):
        raise
    except exits.Reported as err:  # already printed as text; JSON is the verb's own document
        code = int(exits.exit_code_of(err))
        if output is Output.json:
            render.emit_json({"ok": False, "command": verb, "exit_code": code, **err.document})
        raise typer.Exit(code) from None
    except (Exception, KeyboardInterrupt) as err:  # noqa: BLE001 - the last line of defence
        _fail(output, verb, err)
    if doc is not None and output is Output.json:
        render.emit_json({"ok": True, "command": verb, **doc})
    raise typer.Exit(0)


def _problems_of(err: BaseException, code: ExitCode) -> list[Problem]:
    if isinstance(err, SeedspecError):
        return err.problems
    if code is ExitCode.INTERRUPTED:  # apply says what its rollback left (execute/atomic.py)
        return [Problem(str(err) or "interrupted; nothing was written")]
    if os.environ.get("SEEDSPEC_DEBUG"):
        sys.stderr.write(mask(traceback.format_exc()))
    return [Problem(f"internal error ({type(err).__name__}: {err}); please report it")]


def _masked(p: Problem) -> Problem:
    """A problem with every password form masked (messages may quote a driver or a URL)."""
    fix = mask(p.fix) if p.fix else p.fix
    return dataclasses.replace(p, message=mask(p.message), fix=fix)


def _fail(output: Output, verb: str, err: BaseException) -> None:
    code = exits.exit_code_of(err)
    problems = [_masked(p) for p in _problems_of(err, code)]
    if output is Output.github:
        render.github_problems(problems)
    if output is Output.json:
        render.emit_json(
            {
                "ok": False,
                "command": verb,
                "exit_code": int(code),
                "errors": [p.to_error_dict() for p in problems],
            }
        )
    else:
        render.problems_text(problems)
    raise typer.Exit(int(code)) from None


class _MaskedStream(io.TextIOBase):
    """stderr with every password form masked, a line at a time (tracebacks, click's usage
    errors, warnings, driver notices: whatever reaches it)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._pending = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", "utf-8"))

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return bool(self._stream.isatty())

    def fileno(self) -> int:
        return int(self._stream.fileno())

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        for line in lines:
            self._stream.write(mask(line) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(mask(self._pending))
            self._pending = ""
        self._stream.flush()


@contextlib.contextmanager
def masked_stderr() -> Iterator[None]:
    """Run the command with stderr masked (restored, and flushed, after)."""
    original = sys.stderr
    masked = _MaskedStream(original)
    sys.stderr = masked
    try:
        yield
    finally:
        masked.flush()
        sys.stderr = original
