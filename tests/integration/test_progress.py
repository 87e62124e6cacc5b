"""`seedspec apply`'s progress: bars on a pseudo-terminal's stderr for a load lasting over a second,
none when stderr is not a terminal, under CI=1, NO_COLOR=1, -o json or --quiet, nor for a fast
apply; the summary on stdout the same either way; the library's listener told every row."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import REPO, run_sql, scalar

from seedspec import api

SCHEMA = [
    "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE events (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL"
    " REFERENCES accounts(id), kind TEXT NOT NULL, amount INTEGER)",
]
SPEC = """seedspec: 1
seed: 1
tables:
  accounts:
    count: 1000
    columns:
      name: {gen: person.name}
  events:
    count: 3000
    columns:
      kind: {choice: [a, b, c]}
"""
SCALE = "300"  # 300,000 accounts + 900,000 events: 2-5 s on SQLite, well past the 1 s delay
BAR = "━"  # what a rich bar is drawn with


def _database(tmp_path: Path) -> str:
    (tmp_path / "seed.yaml").write_text(SPEC)
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    for statement in SCHEMA:
        run_sql(url, statement)
    return url


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm", "PYTHONPATH": str(REPO), "COLUMNS": "140"})
    env.update(extra)
    return env


def _on_terminal(
    cwd: Path, args: list[str], env: dict[str, str], stdout_too: bool = True
) -> tuple[int, str, str]:
    """Run `python -m seedspec ARGS` with stderr (and stdout, unless `stdout_too` is False: a
    pipe then) on a pseudo-terminal: (exit code, what the terminal got, stdout when piped)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    out = slave if stdout_too else subprocess.PIPE
    cmd = [sys.executable, "-m", "seedspec", *args]
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdin=slave, stdout=out, stderr=slave, start_new_session=True
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every holder of the terminal closed it
                break
            if not data:
                break
            seen += data
        elif proc.poll() is not None:
            break
    os.close(master)
    piped = proc.stdout.read().decode() if proc.stdout is not None else ""
    proc.wait(timeout=60)
    return proc.returncode, seen.decode(errors="replace"), piped


def _summary(text: str) -> list[list[str]]:
    """The summary's table names and row counts (the seconds differ from run to run)."""
    lines = [line.split() for line in text.replace("\r\n", "\n").splitlines()]
    return [line[:2] for line in lines if line and line[0] in ("table", "accounts", "events")]


def _loaded(url: str) -> None:
    assert scalar(url, "SELECT count(*) FROM accounts") == 300_000
    assert scalar(url, "SELECT count(*) FROM events") == 900_000


def test_a_long_apply_on_a_terminal_shows_bars_per_table(tmp_path: Path) -> None:
    url = _database(tmp_path)
    code, terminal, _ = _on_terminal(tmp_path, ["apply", "--db", url, "--scale", SCALE], _env())
    assert code == 0, terminal
    assert BAR in terminal and "rows/s" in terminal
    assert "900,000/900,000" in terminal and "300,000/300,000" in terminal  # both tables' bars
    assert "loading" in terminal and "table 2 of 2" in terminal  # the phase line
    assert "recorded as ledger entry #1" in terminal  # the summary after it
    _loaded(url)


def test_the_bars_go_to_stderr_and_stdout_is_only_the_summary(tmp_path: Path) -> None:
    url = _database(tmp_path)
    args = ["apply", "--db", url, "--scale", SCALE]
    code, terminal, stdout = _on_terminal(tmp_path, args, _env(), stdout_too=False)
    assert code == 0, terminal
    assert BAR in terminal and "rows/s" in terminal
    assert BAR not in stdout and "\x1b" not in stdout
    assert _summary(stdout) == [
        ["table", "rows"],
        ["accounts", "300,000"],
        ["events", "900,000"],
    ]
    _loaded(url)
    # the same apply with stderr piped: no bars, and the same summary
    again = tmp_path / "again"
    again.mkdir()
    url = _database(again)
    cmd = [sys.executable, "-m", "seedspec", "apply", "--db", url, "--scale", SCALE]
    done = subprocess.run(cmd, cwd=again, env=_env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert _summary(done.stdout) == _summary(stdout) and "rows/s" in done.stdout
    assert BAR not in done.stderr and "rows/s" not in done.stderr and "\x1b" not in done.stderr
    _loaded(url)


@pytest.mark.parametrize(
    ("extra", "env"),
    [
        ([], {"CI": "1"}),
        ([], {"NO_COLOR": "1"}),
        ([], {"TERM": "dumb"}),
        (["-o", "json"], {}),
        (["--quiet"], {}),
    ],
    ids=["ci", "no-color", "dumb-terminal", "json", "quiet"],
)
def test_no_bars_in_ci_without_colour_for_json_or_quiet(
    tmp_path: Path, extra: list[str], env: dict[str, str]
) -> None:
    url = _database(tmp_path)
    args = ["apply", "--db", url, "--scale", SCALE, *extra]
    code, terminal, stdout = _on_terminal(tmp_path, args, _env(**env), stdout_too=False)
    assert code == 0, terminal
    assert BAR not in terminal and "rows/s" not in terminal and "table 2 of 2" not in terminal
    assert "\x1b[?25l" not in terminal  # rich never hid the cursor: no live display at all
    _loaded(url)
    if extra[:1] == ["-o"]:
        assert stdout.startswith("{") and '"ok": true' in stdout


def test_a_fast_apply_on_a_terminal_prints_nothing_more(tmp_path: Path) -> None:
    (tmp_path / "seed.yaml").write_text(SPEC.replace("1000", "2").replace("3000", "3"))
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    for statement in SCHEMA:
        run_sql(url, statement)
    # the delay a fast apply stays under, made long enough that a loaded CI machine stays under it
    # too (the drawing after the default second is test_progress_bars_on_a_terminal's)
    env = _env(SEEDSPEC_PROGRESS_DELAY="30")
    code, terminal, _ = _on_terminal(tmp_path, ["apply", "--db", url], env)
    assert code == 0, terminal
    assert BAR not in terminal and "\x1b[?25l" not in terminal
    assert "total" in terminal
    assert scalar(url, "SELECT count(*) FROM events") == 3


class _Heard:
    """A listener that keeps what it was told."""

    def __init__(self) -> None:
        self.tables: list[tuple[str, int]] = []
        self.started: list[tuple[str, int]] = []
        self.rows: dict[str, int] = {}
        self.phases: list[str] = []

    def planned(self, tables: Sequence[tuple[str, int]]) -> None:
        self.tables = list(tables)

    def table_started(self, name: str, rows: int) -> None:
        self.started.append((name, rows))

    def advanced(self, name: str, rows: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + rows

    def phase(self, name: str) -> None:
        self.phases.append(name)


def test_the_library_listener_hears_every_row_and_phase(tmp_path: Path) -> None:
    url = _database(tmp_path)
    heard = _Heard()
    report, _ = api.apply(str(tmp_path / "seed.yaml"), url, scale=20, progress=heard)
    in_db = {t: scalar(url, f"SELECT count(*) FROM {t}") for t in ("accounts", "events")}
    assert in_db == {"accounts": 20_000, "events": 60_000}
    assert heard.tables == [("accounts", 20_000), ("events", 60_000)]
    assert heard.started == heard.tables
    assert heard.rows == in_db == {t.table: t.rows for t in report.tables}
    assert heard.phases[0] == "taking locks" and heard.phases[-1] == "committing"
