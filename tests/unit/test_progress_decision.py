"""cli/progress.wanted: (stderr a terminal?, environment, -o, --quiet) -> whether bars are drawn."""

from __future__ import annotations

import io

import pytest

from seedspec.cli import progress
from seedspec.cli.progress import shown, wanted

TERMINAL = {"TERM": "xterm-256color"}


def test_a_terminal_with_text_output_gets_progress() -> None:
    assert wanted(tty=True, env=TERMINAL, output="text", quiet=False)
    assert wanted(tty=True, env={}, output="text", quiet=False)  # TERM unset: not dumb


@pytest.mark.parametrize(
    ("tty", "env", "output", "quiet"),
    [
        (False, TERMINAL, "text", False),  # stderr piped or redirected
        (True, {**TERMINAL, "CI": "true"}, "text", False),
        (True, {**TERMINAL, "CI": "1"}, "text", False),
        (True, {**TERMINAL, "NO_COLOR": "1"}, "text", False),
        (True, {"TERM": "dumb"}, "text", False),
        (True, TERMINAL, "json", False),
        (True, TERMINAL, "github", False),
        (True, TERMINAL, "text", True),  # --quiet
    ],
    ids=["not-a-tty", "ci-true", "ci-1", "no-color", "dumb", "json", "github", "quiet"],
)
def test_no_progress_unless_a_person_watches(
    tty: bool, env: dict[str, str], output: str, quiet: bool
) -> None:
    assert not wanted(tty=tty, env=env, output=output, quiet=quiet)


def test_empty_ci_and_no_color_count_as_unset() -> None:
    assert wanted(tty=True, env={**TERMINAL, "CI": "", "NO_COLOR": ""}, output="text", quiet=False)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shown_gives_a_listener_only_when_wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(progress, "DELAY", 60.0)  # never drawn: the block ends first
    terminal = _Terminal()
    with shown("text", terminal) as listener:
        assert listener is not None
        listener.planned([("t", 10)])
        listener.table_started("t", 10)
        listener.advanced("t", 10)
        listener.phase("committing")
    assert terminal.getvalue() == ""  # a block shorter than the delay draws nothing
    with shown("json", terminal) as listener:
        assert listener is None
    with shown("text", io.StringIO()) as listener:
        assert listener is None
    monkeypatch.setenv("CI", "1")
    with shown("text", terminal) as listener:
        assert listener is None


def test_the_delay_can_be_set_and_a_bad_value_keeps_the_default() -> None:
    from seedspec.cli.progress import DELAY, _delay

    assert _delay({}) == DELAY == 1.0
    assert _delay({"SEEDSPEC_PROGRESS_DELAY": "30"}) == 30.0
    assert _delay({"SEEDSPEC_PROGRESS_DELAY": "0"}) == 0.0
    assert _delay({"SEEDSPEC_PROGRESS_DELAY": "soon"}) == DELAY
    assert _delay({"SEEDSPEC_PROGRESS_DELAY": "-1"}) == DELAY
