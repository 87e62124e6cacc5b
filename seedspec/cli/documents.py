"""A verb's name and arguments -> its exit code and the one JSON document `seedspec VERB -o json`
prints, made by that same verb (the MCP server's tools call nothing else)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from seedspec import __version__
from seedspec.cli import render
from seedspec.cli.base import Output, app, run_verb
from seedspec.errors import ExitCode, Problem


def command(verb: str) -> Callable[..., None]:
    """The function registered as VERB on the one typer app (cli/app.py, cli/authoring.py)."""
    for info in app.registered_commands:
        callback = info.callback
        if callback is not None and (info.name or callback.__name__) == verb:
            return callback
    raise KeyError(f"no seedspec verb {verb!r}")


def document(verb: str, **arguments: Any) -> tuple[int, dict[str, Any]]:
    """Run VERB as `-o json` would, in this thread: (exit code, its document). The arguments are
    the verb function's own keyword arguments; the rest keep the command line's defaults."""
    run = command(verb)
    with render.captured() as docs:
        code, escaped = _ended(lambda: run(output=Output.json, **arguments))
    if escaped is not None:  # raised before the verb's body began (outside run_verb)
        return failure(verb, escaped)
    if not docs:
        return failure(verb, RuntimeError(f"{verb} ended ({code}) without a JSON document"))
    return code, docs[-1]


def failure(verb: str, err: BaseException) -> tuple[int, dict[str, Any]]:
    """The document (and exit code) VERB fails with when its body raises `err`: the command
    line's one error envelope, made by run_verb itself."""

    def body() -> dict[str, Any]:
        raise err

    with render.captured() as docs:
        code, escaped = _ended(lambda: run_verb(Output.json, verb, body))
    if escaped is not None or not docs:  # cannot happen: run_verb ends every body in a document
        problem = Problem(f"internal error ({type(err).__name__}: {err}); please report it")
        doc = {
            "ok": False,
            "command": verb,
            "version": __version__,
            "exit_code": int(ExitCode.INTERNAL),
            "errors": [problem.to_json("internal")],
        }
        return int(ExitCode.INTERNAL), doc
    return code, docs[-1]


def _ended(run: Callable[[], None]) -> tuple[int, BaseException | None]:
    """How a verb ended: its exit code (typer.Exit), or what it raised instead."""
    try:
        run()
    except typer.Exit as done:
        return int(done.exit_code), None
    except (Exception, KeyboardInterrupt) as err:  # noqa: BLE001 - reported as the verb's error
        return int(ExitCode.INTERNAL), err
    return 0, None
