"""Whether a command shows progress: (stderr a terminal?, environment, -o, --quiet) -> bars or none.

Progress is drawn (cli/bars.py) only for a person watching: stderr is a terminal, `CI` is unset
or empty, `NO_COLOR` is unset or empty, `TERM` is not `dumb`, the output is text and `--quiet`
was not given. rich is imported only then."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from typing import IO, Any

from seedspec.cli.conventions import STATE
from seedspec.execute.progress import Progress

DELAY = 1.0  # seconds of work before anything is drawn: a fast apply prints nothing more
DELAY_ENV = "SEEDSPEC_PROGRESS_DELAY"  # another delay, in seconds (README, apply)


def wanted(*, tty: bool, env: Mapping[str, str], output: str, quiet: bool) -> bool:
    """Show progress? Only to a terminal, outside CI, in colour, for text output, not --quiet."""
    if not tty or quiet or output != "text":
        return False
    if env.get("CI") or env.get("NO_COLOR"):
        return False
    return env.get("TERM", "") != "dumb"


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed, detached or not a file
        return False


@contextlib.contextmanager
def shown(output: str, stream: IO[str] | None = None) -> Iterator[Progress | None]:
    """A listener drawing the load's progress on `stream` (stderr) while the block runs, or
    None when it is not wanted; the bars are erased when the block ends, however it ends."""
    target = stream if stream is not None else sys.stderr
    if not wanted(tty=_is_tty(target), env=os.environ, output=output, quiet=STATE.quiet):
        yield None
        return
    from seedspec.cli.bars import Display

    display = Display(target, _delay(os.environ))
    display.begin()
    try:
        yield display
    finally:
        display.end()


def _delay(env: Mapping[str, str]) -> float:
    """The seconds before progress is drawn: SEEDSPEC_PROGRESS_DELAY when it is a number >= 0,
    else DELAY."""
    try:
        given = float(env.get(DELAY_ENV, ""))
    except ValueError:
        return DELAY
    return given if given >= 0 else DELAY
