"""The command line's shared parts: the typer app, common options, and run_verb (body -> exit)."""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import importlib.util
import io
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Annotated, Any

import typer

from seedspec import __version__
from seedspec.cli import exits, render
from seedspec.cli.conventions import STATE, SeedspecGroup, set_quiet, set_verbose, show_version
from seedspec.database.secrets import mask
from seedspec.errors import ExitCode, Problem, SeedspecError
from seedspec.spec.limits import MAX_SCALE


def lazy_module(name: str) -> ModuleType:
    """The module `name`, executed on its first attribute access (the standard library's
    LazyLoader): `seedspec --version`, `--help` and `validate` never import SQLAlchemy, numpy or
    mimesis through the verbs that need them (start-up: issue 12's 0.25 s)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


app = typer.Typer(
    name="seedspec",
    help="Declarative seed specs -> valid, connected, deterministic rows.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # click's own help formatter: typer's rich one imports rich on every --help (~0.3 s here)
    rich_markup_mode=None,
    cls=SeedspecGroup,
)


def _quiet(value: bool) -> bool:
    return set_quiet(None, None, value)


def _verbose(value: bool) -> bool:
    return set_verbose(None, None, value)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=show_version,
            help="Print the seedspec version and exit.",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            callback=_quiet,
            help="Print only errors (a -o json document is still printed).",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            callback=_verbose,
            help="Also print detail on stderr: timings per phase.",
        ),
    ] = False,
) -> None:
    """Declarative seed specs -> valid, connected, deterministic rows."""


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


def schema_names(value: str | None) -> str | None:
    """--schema is database schema names everywhere; a snapshot file is `check --snapshot`."""
    if value and value.strip().lower().endswith(".json"):
        raise typer.BadParameter(
            f"{value!r} looks like a snapshot file, but --schema names database schemas "
            "(a, a,b or *); check a spec against a snapshot with `seedspec check --snapshot "
            f"{value}` (or --offline for the committed one)"
        )
    return value


SchemaOption = Annotated[
    str | None,
    typer.Option(
        "--schema",
        "--db-schema",
        callback=schema_names,
        help="Database schema(s): a, or a,b, or * for all (default: the default "
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
LockTimeoutOption = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        min=0,
        help="Seconds any lock wait (another session's lock on a seeded table or its schema, "
        "another seedspec apply) may last before the command gives up, writing nothing; 0 "
        "waits forever.",
    ),
]
ModelsOption = Annotated[
    str | None,
    typer.Option(
        "--models",
        help="Application models whose choices, validators, lengths, uniques and field types "
        "layer on the schema: django:SETTINGS[:app,...] or sqlalchemy:MODULE[:Base] "
        "(docs/models.md).",
    ),
]
SpecArg = Annotated[str | None, typer.Argument(help="Spec file (default ./seed.yaml, else none).")]


def envelope(
    verb: str | None,
    code: int,
    result: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The one `-o json` document (schemas/report-1.schema.json, docs/OUTPUT.md)."""
    doc: dict[str, Any] = {
        "ok": code == 0,
        "command": verb,
        "version": __version__,
        "exit_code": code,
    }
    if result is not None:
        doc["result"] = result
    if errors is not None:
        doc["errors"] = errors
    return doc


def run_verb(output: Output, verb: str, body: Callable[[], dict[str, Any] | None]) -> None:
    """Run a verb's body and exit: 0 with its JSON document, else the exit code that
    `exits.EXIT_CODES` gives the exception, with its problems (never a traceback).
    --quiet (text and github output): nothing but the errors; --verbose: the time taken."""
    started = time.perf_counter()
    try:
        with _quieted(output):
            doc = body()
    except (typer.Exit, typer.Abort):
        raise
    except (Exception, KeyboardInterrupt) as err:  # noqa: BLE001 - the last line of defence
        _fail(output, verb, err, started)
    if doc is not None and output is Output.json:
        render.emit_json(envelope(verb, 0, result=doc))
    _timing(verb, started, 0)
    raise typer.Exit(0)


@contextlib.contextmanager
def _quieted(output: Output) -> Iterator[None]:
    """With --quiet, what the body prints as text (reports, warnings, status lines) is dropped;
    its errors are printed after it, by _fail."""
    if not STATE.quiet or output is Output.json:
        yield
        return
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def _timing(verb: str, started: float, code: int) -> None:
    if STATE.verbose:
        seconds = time.perf_counter() - started
        sys.stderr.write(f"seedspec: {verb}: {seconds:.3f} s in all, exit {code}\n")


def _problems_of(err: BaseException, code: ExitCode) -> list[Problem]:
    if isinstance(err, SeedspecError):
        return err.problems
    if code is ExitCode.INTERRUPTED:  # apply says what its rollback left (execute/atomic.py)
        return [Problem(str(err) or "interrupted; nothing was written", code="interrupted")]
    if os.environ.get("SEEDSPEC_DEBUG"):
        sys.stderr.write(mask(traceback.format_exc()))
    return [
        Problem(f"internal error ({type(err).__name__}: {err}); please report it", code="internal")
    ]


def _masked(p: Problem) -> Problem:
    """A problem with every password form masked (messages may quote a driver or a URL)."""
    fix = mask(p.fix) if p.fix else p.fix
    return dataclasses.replace(p, message=mask(p.message), fix=fix)


def _fail(output: Output, verb: str, err: BaseException, started: float) -> None:
    code = exits.exit_code_of(err)
    problems = [_masked(p) for p in _problems_of(err, code)]
    shown = isinstance(err, exits.Reported) and not STATE.quiet  # printed by the verb
    if output is Output.github and not shown:
        render.github_problems(problems)
    if output is Output.json:
        listed = exits.errors_of(err, problems)
        render.emit_json(
            envelope(
                verb,
                int(code),
                result=exits.result_of(err),
                errors=[p.to_json(exits.error_code_of(err, p)) for p in listed],
            )
        )
    elif output is Output.text and not shown:
        render.problems_text(exits.errors_of(err, problems) if STATE.quiet else problems)
    _timing(verb, started, int(code))
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
