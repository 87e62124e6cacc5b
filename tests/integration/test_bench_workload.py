"""The bench schema seeded from specs/shop.yaml passes ../shared/bench/verify.sql at scale 0.1."""

from __future__ import annotations

import subprocess

import sqlalchemy as sa
from conftest import BENCH, REPO, run_sql_file, scalar

from seedspec.api import apply


def test_shop_spec_passes_the_benchmark_verifier_at_scale_0_1(pg_url: str) -> None:
    run_sql_file(pg_url, BENCH / "schema.sql")
    report, plan = apply(str(REPO / "specs" / "shop.yaml"), pg_url, profile="ci")
    assert report.rows > 100_000
    u = sa.make_url(pg_url)
    done = subprocess.run(
        [
            "psql",
            "-X",
            "-h",
            u.host or "",
            "-U",
            u.username or "",
            "-d",
            u.database or "",
            "-v",
            "scale=0.1",
            "-f",
            str(BENCH / "verify.sql"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("VERIFY PASS"), done.stdout
    # What the soft metrics only print, the spec promises: check it here.
    assert (
        scalar(
            pg_url,
            "SELECT count(*) FROM accounts a JOIN users u ON u.id = a.owner_user_id "
            "WHERE u.account_id <> a.id",
        )
        == 0
    )
    assert (
        scalar(
            pg_url,
            "SELECT count(*) FROM order_items i JOIN products p "
            "ON p.id = i.product_id WHERE i.unit_price_cents <> p.price_cents",
        )
        == 0
    )
    assert (
        scalar(
            pg_url,
            "SELECT count(*) FROM orders o WHERE total_cents <> (SELECT "
            "coalesce(sum(quantity * unit_price_cents), 0) FROM order_items i "
            "WHERE i.order_id = o.id)",
        )
        == 0
    )
    depth = scalar(
        pg_url,
        """
        WITH RECURSIVE t(id, d) AS (SELECT id, 1 FROM categories WHERE parent_id IS NULL
        UNION ALL SELECT c.id, t.d + 1 FROM categories c JOIN t ON c.parent_id = t.id)
        SELECT max(d) FROM t""",
    )
    assert depth == 4
    assert scalar(pg_url, "SELECT count(*) FROM categories") == scalar(
        pg_url,
        """
        WITH RECURSIVE t(id) AS (SELECT id FROM categories WHERE parent_id IS NULL
        UNION ALL SELECT c.id FROM categories c JOIN t ON c.parent_id = t.id)
        SELECT count(*) FROM t""",
    )  # every category hangs off a root: a tree, no loops
    lines = scalar(
        pg_url,
        "SELECT count(*) FROM order_items i WHERE line_no <> (SELECT count(*) "
        "FROM order_items j WHERE j.order_id = i.order_id AND j.line_no <= "
        "i.line_no)",
    )
    assert lines == 0  # line numbers run 1..n inside each order
    plans = dict(
        sa.create_engine(pg_url)
        .connect()
        .exec_driver_sql("SELECT plan, count(*) FROM accounts GROUP BY plan")
        .all()
    )
    assert plans["free"] > plans["pro"] > plans["enterprise"]
