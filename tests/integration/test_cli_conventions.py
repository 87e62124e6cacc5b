"""CLI conventions, on the real command: --version, shell completion, --help without type
metavars on any command, -q/--quiet (only errors) and -v/--verbose (phase timings on stderr)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_sql, scalar

from seedspec import __version__

COMMANDS = ("validate", "check", "snapshot", "plan", "apply", "init", "preview", "version")
DDL = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
SPEC = "seedspec: 1\ntables:\n  item:\n    count: 7\n"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_version_flag_and_command() -> None:
    for args in (("--version",), ("version",)):
        done = cli(*args)
        assert done.returncode == 0 and done.stdout == f"seedspec {__version__}\n", done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script(shell: str) -> None:
    done = cli("--show-completion", shell)
    assert done.returncode == 0, done.stderr
    assert "_SEEDSPEC_COMPLETE" in done.stdout
    if shell == "bash":
        assert "_seedspec_completion()" in done.stdout and "complete " in done.stdout


def test_root_help_lists_the_conventions() -> None:
    done = cli("--help")
    assert done.returncode == 0
    for option in (
        "--version",
        "--quiet",
        "--verbose",
        "--install-completion",
        "--show-completion",
    ):
        assert option in done.stdout


TYPE_METAVAR = re.compile(r"<[a-z\[\]|, ]+>|\b(BOOLEAN|TEXT|INTEGER|FLOAT)\b")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_type_metavars(command: str) -> None:
    done = cli(command, "--help")
    assert done.returncode == 0, done.stderr
    assert not TYPE_METAVAR.search(done.stdout), done.stdout
    rows = [ln for ln in done.stdout.splitlines() if re.match(r"^\W*--(quiet|help|strict)\b", ln)]
    for row in rows:  # a flag's row: its name, then straight its help (no type column)
        assert re.match(r"^\W*--[a-z-]+(\s+-[a-z])?\s{2,}[A-Z]", row), row
    assert "--quiet" in done.stdout and "--verbose" in done.stdout


def test_option_values_are_named_by_what_they_take() -> None:
    out = cli("apply", "--help").stdout
    for option, word in (("--db", "URL"), ("--schema", "NAMES"), ("--plan", "FILE")):
        assert re.search(rf"{option}\b[^\n]*\b{word}\b", out), (option, out)
    assert re.search(r"--snapshot\s.*\bFILE\b", cli("check", "--help").stdout)


@pytest.fixture
def work(tmp_path: Path) -> tuple[Path, str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    run_sql(url, DDL)
    (tmp_path / "seed.yaml").write_text(SPEC)
    return tmp_path, url


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_prints_only_errors(work: tuple[Path, str], where: str) -> None:
    path, url = work
    args = ["apply", "--db", url]
    quiet = ["-q", *args] if where == "before" else [*args, "--quiet"]
    done = cli(*quiet, cwd=path)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done
    assert scalar(url, "SELECT count(*) FROM item") == 7
    same = cli(*quiet, cwd=path)  # the same plan again: a no-op, silent
    assert same.returncode == 0 and same.stdout == "" and same.stderr == "", same
    again = cli(*quiet, "--scale", "2", cwd=path)  # another plan on seeded tables: the error only
    assert again.returncode == 1 and again.stdout == ""
    assert (
        again.stderr.startswith("error: tables already hold rows") and again.stderr.count("\n") == 1
    )
    as_json = cli(*quiet, "--scale", "2", "-o", "json", cwd=path)  # the document: still printed
    assert json.loads(as_json.stdout)["errors"][0]["code"] == "seeded"


def test_quiet_check_shows_errors_not_warnings(work: tuple[Path, str]) -> None:
    path, url = work
    (path / "drift.yaml").write_text(SPEC + "    columns:\n      nope: {const: 1}\n")
    loud = cli("check", "drift.yaml", "--db", url, cwd=path)
    quiet = cli("check", "drift.yaml", "--db", url, "-q", cwd=path)
    assert loud.returncode == quiet.returncode == 3
    assert "warning:" in loud.stdout and "nope" in loud.stdout
    assert quiet.stdout == "" and "warning" not in quiet.stderr
    assert "error: column item.nope is not in the database" in quiet.stderr


def test_verbose_times_each_phase_on_stderr(work: tuple[Path, str]) -> None:
    path, url = work
    done = cli("apply", "--db", url, "-v", "-o", "json", cwd=path)
    assert done.returncode == 0 and json.loads(done.stdout)["ok"] is True  # stdout untouched
    for phase in (
        "read the spec",
        "reflect the schema",
        "compile the plan",
        "load (one transaction)",
    ):
        assert re.search(rf"^seedspec: {re.escape(phase)}: \d+\.\d{{3}} s$", done.stderr, re.M), (
            done.stderr
        )
    assert re.search(r"^seedspec: apply: \d+\.\d{3} s in all, exit 0$", done.stderr, re.M)
    plain = cli("plan", "--db", url, cwd=path)
    assert "seedspec: compile the plan" not in plain.stderr
