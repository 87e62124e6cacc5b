"""The command line's conventions: argv -> usage errors as JSON, clean --help, --quiet/--verbose.

SeedspecGroup is the typer app's click group: it gives every command -q/--quiet and
-v/--verbose, shows no type metavars (`<bool>`, `<str>`) in --help, and turns a usage error
(unknown option, bad value, missing argument) into the one JSON document when `-o json` was
asked for (docs/OUTPUT.md)."""

from __future__ import annotations

import copy
import dataclasses
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer import _click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from seedspec import __version__
from seedspec.cli.coercion import plain_runtime_param
from seedspec.errors import ExitCode


@dataclasses.dataclass
class Verbosity:
    """What -q/--quiet and -v/--verbose asked for (set while argv is parsed)."""

    quiet: bool = False
    verbose: bool = False


STATE = Verbosity()

METAVARS = {
    "--db": "URL",
    "--schema": "NAMES",
    "--snapshot": "FILE",
    "--plan": "FILE",
    "--out": "FILE",
    "--metadata": "MODULE:ATTR",
    "--dialect": "NAME",
    "--profile": "NAME",
    "--scale": "X",
    "--lock-timeout": "SECONDS",
    "--include": "GLOB",
    "--exclude": "GLOB",
    "--rows": "N",
    "--table": "TABLE",
}


def _runtime_param(param: Any) -> Any:
    """A parameter's coercion: without pydantic when its annotation is a plain one
    (cli/coercion.py), else typer's own."""
    if param._runtime_param is None:
        from typer._coercion import build_runtime_param

        light = plain_runtime_param(param.type_descriptor)
        param._runtime_param = light or build_runtime_param(param.type_descriptor)
    return param._runtime_param


class _Option(TyperOption):
    """An option whose --help shows no type: nothing for a flag, a word (URL, FILE) else."""

    def get_runtime_param(self) -> Any:
        return _runtime_param(self)

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        for opt in self.opts:
            if opt in METAVARS:
                return METAVARS[opt]
        shown = super().display_type_rich(ctx) or ""
        if "|" in shown:  # a choice: its values, text|json|github
            return shown.strip("<>")
        return (self.name or "value").upper()


class _Argument(TyperArgument):
    """An argument shown by its name only (SPEC, SPECS...), not its Python type."""

    def get_runtime_param(self) -> Any:
        return _runtime_param(self)

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _tidy(params: Sequence[Any]) -> list[Any]:
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _Option
        elif type(param) is TyperArgument:
            param.__class__ = _Argument
    return list(params)


class _Command(TyperCommand):
    """A command whose every parameter (--help included) shows in --help without its type."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _tidy(super().get_params(ctx))


def set_quiet(ctx: Any, param: Any, value: bool) -> bool:
    STATE.quiet = STATE.quiet or bool(value)
    return value


def set_verbose(ctx: Any, param: Any, value: bool) -> bool:
    STATE.verbose = STATE.verbose or bool(value)
    if STATE.verbose:
        import logging  # only for -v (start-up: logging costs ~5 ms)

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("seedspec: %(message)s"))
        log = logging.getLogger("seedspec")
        if not log.handlers:
            log.addHandler(handler)
        log.setLevel(logging.INFO)
    return value


class SeedspecGroup(TyperGroup):
    """The `seedspec` group: every command gets the root's -q/-v; usage errors obey -o json."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        shared = [p for p in _tidy(self.params) if p.name in ("quiet", "verbose")]
        for command in self.commands.values():
            if type(command) is TyperCommand:
                command.__class__ = _Command
            for param in shared:
                own = copy.copy(param)
                own.expose_value = False
                own.callback = set_quiet if param.name == "quiet" else set_verbose
                command.params.append(own)

    def get_params(self, ctx: Any) -> list[Any]:
        return _tidy(super().get_params(ctx))

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except _click.exceptions.NoArgsIsHelpError as err:
            code = _show(err)
        except _click.exceptions.UsageError as err:
            code = _usage_json(err, argv) if wants_json(argv) else _show(err)
        except _click.exceptions.ClickException as err:
            code = _show(err)
        except typer.Abort:
            sys.stderr.write("Aborted!\n")
            code = 1
        if standalone_mode:
            sys.exit(code)
        return code


def wants_json(argv: Sequence[str]) -> bool:
    """Whether argv asks for `-o json` (`-o json`, `-ojson`, `--output json`, `--output=json`)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg in ("-o", "--output") and i + 1 < len(argv) and argv[i + 1] == "json":
            return True
        if arg in ("-ojson", "--output=json"):
            return True
    return False


def _show(err: Any) -> int:
    try:
        from typer import rich_utils

        rich_utils.rich_format_error(err)
    except ImportError:  # pragma: no cover - rich is a dependency
        err.show()
    return int(err.exit_code)


KINDS = (
    (_click.exceptions.NoSuchOption, "unknown-option"),
    (_click.exceptions.MissingParameter, "missing-argument"),
    (_click.exceptions.BadParameter, "bad-value"),
    (_click.exceptions.BadOptionUsage, "bad-value"),
)


def _usage_json(err: Any, argv: Sequence[str]) -> int:
    from seedspec.cli.render import emit_json

    ctx = err.ctx
    command = ctx.command.name if ctx is not None and ctx.parent is not None else None
    kind = next((k for cls, k in KINDS if isinstance(err, cls)), "usage")
    where = f"seedspec {command} --help" if command else "seedspec --help"
    problem = {
        "code": "usage",
        "kind": kind,
        "severity": "error",
        "message": _masked(err.format_message()),
        "fix": f"see `{where}`",
        "table": None,
        "column": None,
    }
    emit_json(
        {
            "ok": False,
            "command": command,
            "version": __version__,
            "exit_code": int(ExitCode.USAGE),
            "errors": [problem],
        }
    )
    return int(ExitCode.USAGE)


def show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"seedspec {__version__}\n")
        raise typer.Exit(0)


def _masked(text: str) -> str:
    """A usage error's text with any credential masked (database.secrets: imported here only,
    start-up: its configparser and regexes cost ~6 ms on every call)."""
    from seedspec.database.secrets import mask

    return mask(text)
