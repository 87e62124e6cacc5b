"""Command-line edges of issue 11: `plan`/`check` on a missing SQLite path create no file (exit 2),
and SIGINT during MariaDB's LOAD DATA exits 130 with nothing written and AUTO_INCREMENT as it
was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import REPO, query, run_sql, sigint_default


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "seedspec.cli.app", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("verb", ["plan", "check", "apply", "snapshot"])
def test_a_missing_sqlite_path_is_a_usage_error_and_no_file(tmp_path: Path, verb: str) -> None:
    missing = tmp_path / "nope" / ".." / "missing.db"
    done = _cli(tmp_path, verb, "--db", f"sqlite:///{missing}")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "does not exist" in done.stderr and "missing.db" in done.stderr
    assert not (tmp_path / "missing.db").exists()
    assert "Traceback" not in done.stderr


def test_an_existing_sqlite_file_still_plans(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'there.db'}"
    run_sql(url, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    done = _cli(tmp_path, "plan", "--db", url)
    assert done.returncode == 0, done.stderr
    assert "insert" in done.stdout


@pytest.mark.mariadb
def test_sigint_during_load_data_exits_130_and_writes_nothing(
    mysql_url: str, tmp_path: Path
) -> None:
    run_sql(
        mysql_url,
        "CREATE TABLE big (id INT AUTO_INCREMENT PRIMARY KEY, a VARCHAR(60) NOT NULL,"
        " b VARCHAR(60) NOT NULL, c INT NOT NULL)",
    )
    spec = tmp_path / "seed.yaml"
    spec.write_text("seedspec: 1\ntables:\n  big: {count: 1000000}\n")
    database = sa.make_url(mysql_url).database
    counter = (
        "SELECT AUTO_INCREMENT FROM information_schema.TABLES "
        f"WHERE TABLE_SCHEMA = '{database}' AND TABLE_NAME = 'big'"
    )
    before = query(mysql_url, counter)
    cmd = [sys.executable, "-m", "seedspec.cli.app", "apply", str(spec), "--db", mysql_url]
    env = dict(os.environ)
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=sigint_default,  # even when the suite runs with SIGINT ignored
    )
    engine = sa.create_engine(mysql_url)
    try:
        started = time.monotonic()
        with engine.connect() as admin:
            while time.monotonic() - started < 15:
                loading = admin.exec_driver_sql(
                    "SELECT count(*) FROM information_schema.PROCESSLIST "
                    "WHERE DB = DATABASE() AND INFO LIKE 'LOAD DATA%%'"
                ).scalar()
                if loading or proc.poll() is not None:
                    break
                time.sleep(0.05)
        assert loading, "LOAD DATA never seen running"
        time.sleep(0.3)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        engine.dispose()
    assert proc.returncode == 130, err.decode()[-800:]
    assert time.monotonic() - sent < 20
    assert b"interrupted; rolled back, nothing was written" in err
    deadline = time.monotonic() + 20  # the server ends the cut session's LOAD DATA
    while query(mysql_url, "SELECT count(*) FROM big") != [(0,)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert query(mysql_url, "SELECT count(*) FROM big") == [(0,)]
    assert query(mysql_url, counter) == before
