"""The pytest plugin run as users run it: tests/plugin_sample (20 tests, each changing its own copy)
in a pytest subprocess against SQLite, PostgreSQL and MariaDB; the template seeded once, then
reused by the next session; and the library API on a caller's Engine and Connection."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import REPO, run_sql_file

SAMPLE = REPO / "tests" / "plugin_sample"
SUMMARY = re.compile(r"seedspec: template (\S+): seeded (\d+) .*reused (\d+); (\d+) copies")


def _run_sample(db: str, cache: Path, *extra: str) -> tuple[str, str, int, int, int]:
    """The sample suite in its own pytest; (output, template, seeded, reused, copies)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SEEDSPEC_PLUGIN_SAMPLE": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # the plugin named once, installed or not
    }
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "seedspec.testing.pytest_plugin",
        "-o",
        f"cache_dir={cache}",
        "--rootdir",
        str(SAMPLE),
        "-c",
        os.devnull,
        str(SAMPLE),
        "--seedspec-spec",
        str(SAMPLE / "seed.yaml"),
        "--seedspec-db",
        db,
        *extra,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, cwd=REPO)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "20 passed" in out, out
    found = SUMMARY.search(out)
    assert found, out
    return out, found[1], int(found[2]), int(found[3]), int(found[4])


def test_sqlite_copies_and_reuse(tmp_path: Path) -> None:
    source = tmp_path / "source.db"
    url = f"sqlite:///{source}"
    run_sql_file(url, SAMPLE / "schema.sql")
    _, template, seeded, reused, copies = _run_sample(url, tmp_path / "cache")
    assert (seeded, reused, copies) == (1, 0, 20)
    with sa.create_engine(f"sqlite:///{template}").connect() as conn:  # the template untouched
        assert conn.execute(sa.text("SELECT count(*) FROM posts")).scalar() == 30
    _, again, seeded, reused, _ = _run_sample(url, tmp_path / "cache")
    assert (again, seeded, reused) == (template, 0, 1)
    with sa.create_engine(url).connect() as conn:  # the source keeps its schema, no rows
        assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() == 0


@pytest.mark.postgres
def test_postgres_template_clones_with_xdist(pg_url: str, tmp_path: Path) -> None:
    run_sql_file(pg_url, SAMPLE / "schema.sql")
    admin = sa.create_engine(
        sa.make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        out, template, seeded, reused, copies = _run_sample(
            pg_url, tmp_path / "cache", "-p", "xdist.plugin", "-n", "2"
        )
        assert (seeded, reused, copies) == (1, 1, 20), out  # two workers: one seeds, one reuses
        with admin.connect() as conn:
            names = conn.execute(
                sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                {"p": f"{template}%"},
            ).scalars()
            assert list(names) == [template]  # every copy dropped after its test
        seeded_url = sa.make_url(pg_url).set(database=template)
        engine = sa.create_engine(seeded_url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM posts")).scalar() == 30
        engine.dispose()
        _, again, seeded, reused, _ = _run_sample(pg_url, tmp_path / "cache")
        assert (again, seeded, reused) == (template, 0, 1)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        admin.dispose()


@pytest.mark.mariadb
def test_mariadb_rolled_back_transactions(mysql_url: str, tmp_path: Path) -> None:
    run_sql_file(mysql_url, SAMPLE / "schema.sql")
    _, template, seeded, reused, copies = _run_sample(mysql_url, tmp_path / "cache")
    assert (seeded, reused, copies) == (1, 0, 20)
    engine = sa.create_engine(mysql_url)
    with engine.connect() as conn:  # every test's changes rolled back
        assert conn.execute(sa.text("SELECT count(*) FROM posts")).scalar() == 30
        changed = conn.execute(sa.text("SELECT count(*) FROM users WHERE email LIKE 'changed-%'"))
        assert changed.scalar() == 0
    engine.dispose()
    _, _, seeded, reused, _ = _run_sample(mysql_url, tmp_path / "cache")
    assert (seeded, reused) == (0, 1)
