"""The published pre-commit hooks, run for real by `pre-commit try-repo` in a throwaway git repo.

The hook environment is installed by pre-commit itself from this repository (`language: python`,
so `pip install .` into a fresh virtualenv), which is how a user's `.pre-commit-config.yaml` gets
it. The snapshot the offline check reads is written by the real `seedspec snapshot` from a SQLite
database made here.

try-repo copies the repository's tracked files (committed, plus uncommitted edits to tracked
files); files not yet added to git are not part of what it installs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_sql

ROOT = Path(__file__).resolve().parents[2]  # the repository that publishes the hooks

SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    is_active BOOLEAN NOT NULL
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('paid', 'pending'))
);
"""

SPEC = """\
seedspec: 1
seed: 7
tables:
  users:
    count: 10
    columns:
      email: {gen: person.email, unique: true}
      is_active: {bool: 0.9}
  orders:
    count: 30
    columns:
      user_id: {ref: users}
      status: {choice: {paid: 80, pending: 20}}
"""

DRIFTED = SPEC + "      coupon_code: {const: WELCOME}\n"  # orders.coupon_code: not in the schema
TYPO = SPEC.replace("    count: 10\n", "    cuont: 10\n")  # unknown key under tables.users


def _env(**extra: str) -> dict[str, str]:
    """The caller's environment without a database URL or git plumbing of an outer git hook."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SEEDSPEC_DATABASE_URL") and not k.startswith("GIT_")
    }
    env.update(extra)
    return env


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=_env(), check=True, capture_output=True)


def _where(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of needle."""
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in the spec")


@pytest.fixture(scope="module")
def pre_commit_home(request: pytest.FixtureRequest) -> Path:
    # try-repo builds the hook environment in a throwaway store of its own (it does not reuse
    # PRE_COMMIT_HOME), so each run below installs it afresh; pointing PRE_COMMIT_HOME here keeps
    # anything else pre-commit writes out of the user's ~/.cache/pre-commit.
    return Path(request.config.cache.mkdir("pre-commit"))


@pytest.fixture(scope="module")
def hooks_are_tracked() -> None:
    shipped = [".pre-commit-hooks.yaml", "pyproject.toml", "seedspec"]
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", *shipped],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if untracked:
        pytest.fail(
            "pre-commit try-repo installs only files tracked by git, and these are not: "
            + ", ".join(untracked),
            pytrace=False,
        )


def snapshot(repo: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", "snapshot", "seed.yaml"]
        + ["--db", f"sqlite:///{db}", *args],
        cwd=repo,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def try_repo(repo: Path, home: Path, hook: str | None, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT)]
    cmd += [hook] if hook else []
    done = subprocess.run(
        [*cmd, "--color", "never", *args],
        cwd=repo,
        env=_env(PRE_COMMIT_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=900,  # installs seedspec and its dependencies into a new virtualenv
    )
    done.stdout += done.stderr
    return done


def test_hooks_pass_clean_and_fail_on_drift_and_typos(
    tmp_path: Path, pre_commit_home: Path, hooks_are_tracked: None
) -> None:
    db = tmp_path / "app.db"  # outside the git repo: only the spec and snapshot are committed
    run_sql(f"sqlite:///{db}", SCHEMA)
    repo = tmp_path / "app"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.name", "seedspec test")
    _git(repo, "config", "user.email", "test@seedspec.invalid")
    spec = repo / "seed.yaml"
    spec.write_text(SPEC)

    snap = snapshot(repo, db)
    assert snap.returncode == 0, snap.stdout + snap.stderr
    assert (repo / "seed.schema.json").is_file(), sorted(p.name for p in repo.iterdir())
    _git(repo, "add", "seed.yaml", "seed.schema.json")
    _git(repo, "commit", "-q", "-m", "spec and snapshot")

    # 1. Clean: both hooks pass (seedspec-validate and seedspec-check, one environment).
    done = try_repo(repo, pre_commit_home, None, "--all-files")
    assert done.returncode == 0, done.stdout
    assert "seedspec validate" in done.stdout and "seedspec check" in done.stdout, done.stdout
    assert "Failed" not in done.stdout, done.stdout

    # 2. Drift: the spec names a column the committed snapshot does not have.
    spec.write_text(DRIFTED)
    _git(repo, "commit", "-q", "-a", "-m", "drift")
    line, _ = _where(DRIFTED, "coupon_code")
    done = try_repo(repo, pre_commit_home, "seedspec-check", "--all-files")
    assert done.returncode != 0, done.stdout
    assert "Failed" in done.stdout, done.stdout
    assert f"seed.yaml:{line}:" in done.stdout, done.stdout
    assert "coupon_code" in done.stdout, done.stdout

    # 3. A typo'd key: seedspec-validate fails and points at file:line:col.
    spec.write_text(TYPO)
    _git(repo, "commit", "-q", "-a", "-m", "typo")
    line, col = _where(TYPO, "cuont")
    done = try_repo(repo, pre_commit_home, "seedspec-validate", "--all-files")
    assert done.returncode != 0, done.stdout
    assert f"seed.yaml:{line}:{col}: error:" in done.stdout, done.stdout
    assert "cuont" in done.stdout, done.stdout

    # 4. Only the snapshot changes (the database renamed orders.status): the check hook runs on
    # the staged snapshot alone, checks its sibling seed.yaml and points at the spec's line.
    spec.write_text(SPEC)
    _git(repo, "commit", "-q", "-a", "-m", "clean again")
    run_sql(f"sqlite:///{db}", "ALTER TABLE orders RENAME COLUMN status TO state;")
    stale = snapshot(repo, db, "--check")
    assert stale.returncode == 3, stale.stdout + stale.stderr
    assert snapshot(repo, db).returncode == 0
    _git(repo, "add", "seed.schema.json")
    line, _ = _where(SPEC, "status:")
    done = try_repo(repo, pre_commit_home, "seedspec-check")  # staged files only, as on commit
    assert done.returncode != 0, done.stdout
    assert f"seed.yaml:{line}:" in done.stdout, done.stdout
