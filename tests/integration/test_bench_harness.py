"""bench/ pieces against the real servers: the independent spec and the MariaDB floor -> verified.

The independent spec (bench/specs/independent.yaml, written from docs/SPEC-LANGUAGE.md only)
passes ../shared/bench/verify.sql at scale 0.1; the MariaDB floor producer loads its ready-made
files with LOAD DATA and the result passes bench/verify.mysql.sql; the report's second ratio
column is the producer's median over drizzle-seed's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import BENCH, REPO, run_sql_file, scalar

from seedspec.api import apply

sys.path.insert(0, str(REPO / "bench"))
import report  # noqa: E402
from csvgen import write_mysql_files  # noqa: E402
from mariadb_floor import load  # noqa: E402


def _psql_verify(url: str, scale: float) -> subprocess.CompletedProcess:
    u = sa.make_url(url)
    cmd = ["psql", "-X", "-h", u.host or "", "-U", u.username or "", "-d", u.database or ""]
    cmd += ["-v", f"scale={scale}", "-f", str(BENCH / "verify.sql")]
    return subprocess.run(cmd, capture_output=True, text=True)


def test_the_independent_spec_passes_the_benchmark_verifier(pg_url: str) -> None:
    run_sql_file(pg_url, BENCH / "schema.sql")
    rep, _ = apply(str(REPO / "bench" / "specs" / "independent.yaml"), pg_url, scale=0.1)
    assert rep.rows > 100_000
    done = _psql_verify(pg_url, 0.1)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("VERIFY PASS"), done.stdout
    # what it asks for beyond the hard checks holds too: owners of their own account, totals
    bad_owner = "SELECT count(*) FROM accounts a JOIN users u ON u.id = a.owner_user_id"
    assert scalar(pg_url, bad_owner + " WHERE u.account_id <> a.id") == 0
    totals = (
        "SELECT count(*) FROM orders o WHERE total_cents <> (SELECT coalesce(sum(quantity *"
        " unit_price_cents), 0) FROM order_items i WHERE i.order_id = o.id)"
    )
    assert scalar(pg_url, totals) == 0


def test_the_mariadb_floor_loads_rows_that_pass_the_mysql_verifier(
    mysql_url: str, tmp_path: Path
) -> None:
    run_sql_file(mysql_url, REPO / "specs" / "schemas" / "shop.mysql.sql")
    rows = write_mysql_files(0.1, tmp_path)
    u = sa.make_url(mysql_url)
    plain = f"mysql://{u.username}@{u.host}:{u.port or 3306}/{u.database}"
    timed = load(plain, tmp_path)["timed_s"]
    assert timed > 0
    for table, n in rows.items():
        assert scalar(mysql_url, f"SELECT count(*) FROM {table}") == n
    script = "SET @scale = 0.1;\n" + (REPO / "bench" / "verify.mysql.sql").read_text()
    cmd = ["mysql", "-h", u.host or "", "-P", str(u.port or 3306), "-u", u.username or ""]
    done = subprocess.run(
        cmd + ["--table", u.database or ""], input=script, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "VERIFY PASS" in done.stdout
    # NULLs came through as NULL (roots, and no account without an owner), JSON as JSON
    assert scalar(mysql_url, "SELECT count(*) FROM categories WHERE parent_id IS NULL") > 0
    assert scalar(mysql_url, "SELECT count(*) FROM accounts WHERE owner_user_id IS NULL") == 0
    assert scalar(mysql_url, "SELECT JSON_VALUE(attributes, '$.color') FROM products LIMIT 1")


@pytest.mark.parametrize("with_drizzle", [True, False])
def test_ratios_are_to_limit_copy_and_to_drizzle_seed(with_drizzle: bool) -> None:
    def run(p: str, s: float) -> dict:
        return {
            "producer": p,
            "seconds": s,
            "proc_wall_s": s,
            "rows": 10,
            "peak_rss_mb": 1.0,
            "verify": "PASS",
        }

    runs = [run("seedspec", 1.0), run("seedspec", 3.0), run("limit-copy", 4.0)]
    runs += [run("drizzle-seed", 8.0)] if with_drizzle else []
    got = {r["producer"]: r for r in report.summarize(runs)}
    assert got["seedspec"]["median_s"] == 2.0
    assert got["seedspec"]["ratio"] == 0.5
    assert got["seedspec"]["ratio_second"] == (0.25 if with_drizzle else None)
    text = report.table("t", list(got.values()))
    assert ("x drizzle-seed" in text) is with_drizzle
