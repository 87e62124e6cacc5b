"""The seedspec process's start and end (cli/hardexit.py, startgc.py) -> what a shell still sees:
output, exit codes, atexit handlers; the collector paused for start-up and back on for rows."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from seedspec import startgc

ROOT = Path(__file__).resolve().parents[2]


def _process(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_the_hard_exit_runs_atexit_handlers_and_flushes_output() -> None:
    done = _process(
        "import atexit, sys\n"
        "atexit.register(lambda: print('atexit ran'))\n"
        "sys.argv = ['seedspec', '--version']\n"
        "from seedspec.cli.app import run\nrun()\nprint('never')\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["seedspec 0.1.0", "atexit ran"]


def test_the_hard_exit_keeps_usage_exit_codes() -> None:
    done = _process(
        "import sys\nsys.argv = ['seedspec', 'plan', '--scale', '-1']\n"
        "from seedspec.cli.app import run\nrun()\n"
    )
    assert done.returncode == 2
    assert "Invalid value for '--scale'" in done.stderr


def test_a_message_exit_is_printed_with_status_1() -> None:
    done = _process(
        "import seedspec.cli.hardexit as h\n"
        "code = h.exit_code(SystemExit('stopped'))\nh.hard_exit(code)\n"
    )
    assert (done.returncode, done.stderr) == (1, "stopped\n")


def test_python_m_seedspec_pauses_the_collector_until_a_plan_is_bound() -> None:
    done = _process(
        "import runpy, sys, gc\n"
        "import seedspec.plan.bind as b\n"
        "real = b.bind_tables\n"
        "def spy(*a, **k):\n"
        "    sys.stderr.write(f'bound gc={gc.isenabled()}\\n')\n"
        "    return real(*a, **k)\n"
        "b.bind_tables = spy\n"
        "import seedspec.startgc as s\n"
        "s.pause()\n"
        "sys.stderr.write(f'start gc={gc.isenabled()}\\n')\n"
        "from seedspec.plan.bind import bind\n"
        "class P: recipes, seed, locale, existing = [], 1, 'en', []\n"
        "bind(P())\n"
    )
    assert done.stderr.splitlines() == ["start gc=False", "bound gc=True"], done.stderr


def test_resume_is_nothing_unless_paused() -> None:
    assert gc.isenabled()
    startgc.resume()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    startgc.pause()
    try:
        assert not gc.isenabled()
        startgc.pause()  # twice is once
    finally:
        startgc.resume()
        frozen = gc.get_freeze_count()
        gc.unfreeze()
    assert gc.isenabled() and frozen > 0
