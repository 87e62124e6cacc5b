"""The PostgreSQL bulk path: constraints set aside for the load and restored exactly as defined."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, query, run_sql, run_sql_file, scalar
from dbcheck import violations

from seedspec.api import apply, plan
from seedspec.errors import ApplyError

CATALOG = """
SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), condeferrable,
       condeferred, convalidated, coalesce(obj_description(oid, 'pg_constraint'), '')
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  AND conrelid::regclass::text <> 'seedspec_ledger' ORDER BY 1, 2
"""
INDEXES = """
SELECT tablename, indexname, indexdef, coalesce(obj_description(
    (quote_ident(schemaname) || '.' || quote_ident(indexname))::regclass, 'pg_class'), '')
FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'seedspec_ledger' ORDER BY 1, 2
"""
EXTRAS = """
CREATE INDEX orders_placed_idx ON orders (placed_at DESC) WHERE status <> 'failed';
COMMENT ON INDEX orders_placed_idx IS 'recent orders';
COMMENT ON CONSTRAINT orders_status_check ON orders IS 'the four states';
ALTER TABLE products ADD CONSTRAINT products_title_len CHECK (length(title) > 0) NOT VALID;
"""


@pytest.fixture
def shop(pg_url: str) -> str:
    run_sql_file(pg_url, REPO / "specs" / "schemas" / "shop.postgresql.sql")
    run_sql(pg_url, EXTRAS)
    return pg_url


def test_constraints_and_indexes_come_back_exactly_as_defined(shop: str) -> None:
    before = query(shop, CATALOG), query(shop, INDEXES)
    report, compiled = apply(str(REPO / "specs" / "shop.yaml"), shop, profile="demo")
    assert compiled.load_path == "bulk" and report.load_path == "bulk"
    assert (query(shop, CATALOG), query(shop, INDEXES)) == before  # names, definitions,
    # deferrability, validity (the NOT VALID check stays not validated) and comments
    assert violations(shop) == []
    assert scalar(shop, "SELECT count(*) FROM order_items") > 1000


def test_a_violation_found_at_validation_rolls_back_and_keeps_every_constraint(shop: str):
    # a CHECK over a column the database computes: neither modelled nor judged by the CHECK
    # oracle (which varies only what seedspec writes), so it fails when the bulk path validates
    run_sql(
        shop,
        "ALTER TABLE products ADD COLUMN sevens int GENERATED ALWAYS AS (mod(price_cents, 7)) "
        "STORED; ALTER TABLE products ADD CONSTRAINT cheap CHECK (sevens = 0)",
    )
    before = query(shop, CATALOG), query(shop, INDEXES)
    with pytest.raises(ApplyError, match="cheap"):
        apply(str(REPO / "specs" / "shop.yaml"), shop, profile="demo")
    assert (query(shop, CATALOG), query(shop, INDEXES)) == before
    assert scalar(shop, "SELECT count(*) FROM products") == 0


def test_plan_names_the_path_and_no_bulk_forces_the_default(shop: str, tmp_path: Path) -> None:
    cli = [
        sys.executable,
        "-m",
        "seedspec.cli.app",
        "plan",
        str(REPO / "specs" / "shop.yaml"),
        "--db",
        shop,
        "-o",
        "json",
    ]
    doc = json.loads(subprocess.run(cli, capture_output=True, text=True).stdout)["result"]["plan"]
    assert doc["load_path"] == "bulk" and "alter" in doc["load_path_reason"]
    doc = json.loads(subprocess.run([*cli, "--no-bulk"], capture_output=True, text=True).stdout)
    assert doc["result"]["plan"]["load_path"] == "default"
    report, compiled = apply(str(REPO / "specs" / "shop.yaml"), shop, profile="demo", bulk=False)
    assert compiled.load_path == "default" and compiled.load_path_reason == "--no-bulk given"
    assert violations(shop) == []


def test_partitioned_tables_take_the_default_path(pg_url: str, tmp_path, monkeypatch) -> None:
    run_sql(
        pg_url,
        """
        CREATE TABLE event (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at))
            PARTITION BY RANGE (at);
        CREATE TABLE event_2024 PARTITION OF event
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')""",
    )
    monkeypatch.chdir(tmp_path)
    compiled, target = plan(None, pg_url)
    target.engine.dispose()
    assert compiled.load_path == "default" and "partitioned" in compiled.load_path_reason
    apply(None, pg_url)
    assert scalar(pg_url, "SELECT count(*) FROM event WHERE at < '2024-01-01'") == 0
    assert scalar(pg_url, "SELECT count(*) FROM event") == 20


def test_a_role_that_does_not_own_the_tables_takes_the_default_path(shop: str) -> None:
    run_sql(
        shop,
        "DROP ROLE IF EXISTS seedspec_guest; CREATE ROLE seedspec_guest LOGIN; "
        "GRANT ALL ON ALL TABLES IN SCHEMA public TO seedspec_guest; "
        "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO seedspec_guest",
    )
    guest = shop.replace("postgres@", "seedspec_guest@")
    try:
        compiled, target = plan(str(REPO / "specs" / "shop.yaml"), guest, profile="demo")
        target.engine.dispose()
        assert compiled.load_path == "default" and "owner" in compiled.load_path_reason
    finally:
        run_sql(
            shop,
            "REASSIGN OWNED BY seedspec_guest TO postgres; "
            "DROP OWNED BY seedspec_guest; DROP ROLE seedspec_guest",
        )


def test_mariadb_bulk_path_proves_every_fk_and_unique(mysql_url: str) -> None:
    run_sql_file(mysql_url, REPO / "specs" / "schemas" / "shop.mysql.sql")
    report, compiled = apply(str(REPO / "specs" / "shop.yaml"), mysql_url, profile="demo")
    assert compiled.load_path == "bulk" and report.load_path == "bulk"
    assert violations(mysql_url) == []


def test_mariadb_proofs_catch_planted_violations(mysql_url: str) -> None:
    import sqlalchemy as sa

    from seedspec.database.reflect import reflect_schema
    from seedspec.dialects.registry import dialect_for
    from seedspec.dialects.verify import verify_foreign_keys, verify_uniques

    run_sql(
        mysql_url,
        """
        CREATE TABLE p (id int PRIMARY KEY);
        CREATE TABLE c (id int PRIMARY KEY, p_id int NOT NULL, code varchar(9) NOT NULL,
            UNIQUE (code), FOREIGN KEY (p_id) REFERENCES p (id));
        INSERT INTO p VALUES (1), (2), (3)""",
    )
    engine = sa.create_engine(mysql_url)
    with engine.connect() as conn:
        schema = reflect_schema(conn)
        dialect = dialect_for("mysql")
        assert verify_foreign_keys(dialect, conn, schema, ["c"]) == []
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0")
        conn.exec_driver_sql("INSERT INTO c VALUES (1, 1, 'a'), (2, 3, 'b'), (3, 7, 'c')")
        assert verify_foreign_keys(dialect, conn, schema, ["c"])  # 7 is not a parent
        conn.exec_driver_sql("DELETE FROM c WHERE id = 3")
        conn.exec_driver_sql("DELETE FROM p WHERE id = 2")  # parents no longer contiguous
        assert verify_foreign_keys(dialect, conn, schema, ["c"]) == []  # 1 and 3 still exist
        conn.exec_driver_sql("INSERT INTO c VALUES (4, 2, 'd')")  # 2 is gone: anti-join finds it
        assert verify_foreign_keys(dialect, conn, schema, ["c"])
        assert verify_uniques(dialect, conn, schema, ["c"]) == []
        conn.rollback()
    engine.dispose()
