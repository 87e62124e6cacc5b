"""`interval` on PostgreSQL INTERVAL columns with CHECKs, and on columns that cannot take it.

Input: a scratch PostgreSQL database (CHECKs bounding durations) and a SQLite one (a TIMESTAMP
and an IN-list column). Output: assertions that the CHECK's bounds are honoured (every row
written passes, the values spread inside the range, the plan judges no CHECK by the oracle), and
that a column an interval cannot fill is a located exit-3 error at plan, before any row.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import run_sql, scalar
from corpus_audit import run_apply

DDL = """CREATE TABLE waits (
    id serial PRIMARY KEY,
    queued interval NOT NULL CHECK (queued <= interval '1 hour'),
    served interval CHECK (served > interval '0' AND served < '2 days'),
    grace interval CHECK (grace BETWEEN '10 seconds' AND '20 seconds'),
    free interval
)"""
SPEC = """seedspec: 1
seed: 3
tables:
  waits:
    count: 300
    columns:
      queued: {interval: {}}
      served: {interval: {}}
"""


def test_interval_checks_are_honoured_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """A spec's `interval: {}` and an inferred one (grace) draw inside their CHECK's range."""
    run_sql(pg_url, DDL)
    (tmp_path / "seed.yaml").write_text(SPEC, encoding="utf-8")
    done = run_apply(pg_url, tmp_path, "seed.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert scalar(pg_url, "SELECT count(*) FROM waits") == 300
    bad = (
        "SELECT count(*) FROM waits WHERE NOT (queued <= interval '1 hour'"
        " AND served > interval '0' AND served < '2 days'"
        " AND grace BETWEEN '10 seconds' AND '20 seconds')"
    )
    assert scalar(pg_url, bad) == 0
    queued = scalar(pg_url, "SELECT count(DISTINCT queued) FROM waits")
    grace = scalar(pg_url, "SELECT count(DISTINCT grace) FROM waits")
    served = scalar(pg_url, "SELECT extract(epoch FROM max(served)) FROM waits")
    assert queued > 200 and grace == 11 and float(served) > 86400  # type: ignore[arg-type]
    plan = subprocess.run(
        [
            sys.executable,
            "-m",
            "seedspec.cli.app",
            "plan",
            "seed.yaml",
            "--db",
            pg_url,
            "-o",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    checks = json.loads(plan.stdout)["result"]["plan"]["recipes"][0]["checks"]
    assert checks["oracle"] == checks["unjudged"] == [] and len(checks["modelled"]) == 3, checks


def test_interval_on_columns_it_cannot_fill_is_located(tmp_path: Path) -> None:
    """TIMESTAMP: a type mismatch (as any kind of the wrong type); an IN-list CHECK: the
    interval's values are not among its values. Exit 3 at plan, nothing written by apply."""
    db = tmp_path / "x.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMP, s TEXT CHECK (s IN ('a', 'b')))"
        )
    conn.close()
    for column, code in (("at", "type-mismatch"), ("s", "choice-outside-check")):
        spec = tmp_path / f"{column}.yaml"
        spec.write_text(
            f"seedspec: 1\ntables:\n  t:\n    count: 3\n    columns:\n      {column}: "
            "{interval: {}}\n",
            encoding="utf-8",
        )
        url = f"sqlite:///{db}"
        done = run_apply(url, tmp_path, str(spec))
        assert done.returncode == 3, done.stdout + done.stderr
        (err,) = done.doc["errors"]
        assert (err["kind"], err["file"], err["line"], err["col"]) == (code, str(spec), 6, 7)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0
        conn.close()
