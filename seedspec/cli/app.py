"""The `seedspec` command: argv -> a verb's output on stdout, problems on stderr, an exit code."""

from __future__ import annotations

import enum
import os
import sys
import traceback
from collections.abc import Callable
from typing import Annotated, Any

import typer

from seedspec import __version__, api
from seedspec.cli import render
from seedspec.errors import ExitCode, Problem, SeedspecError

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


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (else SEEDSPEC_DATABASE_URL or DATABASE_URL)."),
]
OutputOption = Annotated[Output, typer.Option("--output", "-o", help="text or json")]
ScaleOption = Annotated[
    float | None, typer.Option("--scale", min=0.0, help="Multiply every count (overrides spec).")
]
ProfileOption = Annotated[str | None, typer.Option("--profile", help="Apply profiles.NAME.")]
SpecArg = Annotated[str | None, typer.Argument(help="Spec file (default ./seed.yaml, else none).")]


def _run(output: Output, verb: str, body: Callable[[], dict[str, Any] | None]) -> None:
    """Run a verb: map SeedspecError to its exit code, never show a traceback to users."""
    try:
        doc = body()
    except SeedspecError as err:
        _fail(output, verb, err.problems, err.exit_code)
    except KeyboardInterrupt:
        _fail(output, verb, [Problem("interrupted; nothing was written")], ExitCode.INTERRUPTED)
    except Exception as err:  # noqa: BLE001 - the last line of defence
        if os.environ.get("SEEDSPEC_DEBUG"):
            traceback.print_exc()
        msg = f"internal error ({type(err).__name__}: {err}); please report it"
        _fail(output, verb, [Problem(msg)], ExitCode.INTERNAL)
    if doc is not None and output is Output.json:
        render.emit_json({"ok": True, "command": verb, **doc})
    raise typer.Exit(0)


def _fail(output: Output, verb: str, problems: list[Problem], code: int) -> None:
    if output is Output.json:
        render.emit_json(
            {
                "ok": False,
                "command": verb,
                "exit_code": int(code),
                "errors": [p.to_dict() for p in problems],
            }
        )
    else:
        render.problems_text(problems)
    raise typer.Exit(int(code))


@app.command()
def validate(
    specs: Annotated[list[str], typer.Argument(help="Spec files to validate.")],
    output: OutputOption = Output.text,
) -> None:
    """Check spec files: YAML, JSON Schema and meaning. Offline; no database needed."""

    def body() -> dict[str, Any]:
        problems: list[Problem] = []
        for path in specs:
            try:
                api.validate([path])
            except SeedspecError as err:
                problems.extend(err.problems)
        if problems:
            raise _Many(problems)
        if output is Output.text:
            for path in specs:
                sys.stdout.write(f"{path}: ok\n")
        return {"files": specs}

    _run(output, "validate", body)


class _Many(SeedspecError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message, problems[0].location)
        self._problems = problems

    @property
    def problems(self) -> list[Problem]:
        return self._problems


@app.command()
def plan(
    spec: SpecArg = None,
    db: DbOption = None,
    output: OutputOption = Output.text,
    scale: ScaleOption = None,
    profile: ProfileOption = None,
) -> None:
    """Compile the spec against the live schema and show the ordered plan. Writes nothing."""

    def body() -> dict[str, Any]:
        compiled, target = api.plan(spec, db, scale=scale, profile=profile)
        target.engine.dispose()
        if output is Output.text:
            render.problems_text(compiled.warnings)
            sys.stdout.write(render.plan_text(compiled) + "\n")
        return {"plan": compiled.to_dict()}

    _run(output, "plan", body)


@app.command()
def apply(
    spec: SpecArg = None,
    db: DbOption = None,
    output: OutputOption = Output.text,
    scale: ScaleOption = None,
    profile: ProfileOption = None,
    truncate: Annotated[
        bool, typer.Option("--truncate", help="Replace rows already in the seeded tables.")
    ] = False,
) -> None:
    """Seed the database in one transaction: all rows or none."""

    def body() -> dict[str, Any]:
        report, compiled = api.apply(spec, db, scale=scale, profile=profile, truncate=truncate)
        if output is Output.text:
            render.problems_text(compiled.warnings)
            sys.stdout.write(render.apply_text(report) + "\n")
        return {"report": report.to_dict(), "warnings": [w.to_dict() for w in compiled.warnings]}

    _run(output, "apply", body)


@app.command()
def version() -> None:
    """Print the seedspec version."""
    sys.stdout.write(f"seedspec {__version__}\n")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
