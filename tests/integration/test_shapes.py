"""Schema shapes real applications use, seeded with no spec and checked by query."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sql, scalar
from dbcheck import counts, violations

from seedspec.api import apply

MULTI_TENANT = """
CREATE TABLE tenant (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE customer (tenant_id int NOT NULL REFERENCES tenant (id), id int NOT NULL,
    name text NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE product (tenant_id int NOT NULL REFERENCES tenant (id), id int NOT NULL,
    sku varchar(30) NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, sku));
CREATE TABLE orders (tenant_id int NOT NULL REFERENCES tenant (id), id int NOT NULL,
    customer_id int NOT NULL, product_id int NOT NULL, PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES product (tenant_id, id));
"""


@pytest.mark.parametrize("fixture", ["pg_url", "mysql_url", "sqlite_url"])
def test_multi_tenant_composite_keys_stay_inside_one_tenant(fixture, request, tmp_path: Path):
    url = request.getfixturevalue(fixture)
    run_sql(url, MULTI_TENANT)
    spec = tmp_path / "seed.yaml"
    spec.write_text("seedspec: 1\ntables:\n  tenant: {count: 30}\n  orders: {count: 400}\n")
    apply(str(spec), url)
    assert violations(url) == []
    assert counts(url)["orders"] == 400
    # an order's customer and product belong to the order's own tenant (the FKs say so, and the
    # anti-join above proved it); and the orders spread over many tenants, not one
    assert scalar(url, "SELECT count(DISTINCT tenant_id) FROM orders") > 5


def test_check_between_two_foreign_keys_and_or_null_alternatives(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(
        pg_url,
        """
        CREATE TABLE part (id int PRIMARY KEY, kind text NOT NULL
            CHECK (upper(kind) = ANY (ARRAY['A', 'B'])));
        CREATE TABLE bom (id int PRIMARY KEY,
            assembly_id int NOT NULL REFERENCES part (id),
            component_id int NOT NULL REFERENCES part (id),
            level smallint NOT NULL CHECK (level < 10),
            starts date NOT NULL, ends date NULL,
            CHECK (assembly_id <> component_id),
            CHECK (ends >= starts OR ends IS NULL),
            CHECK (assembly_id IS NULL AND level = 0 OR assembly_id IS NOT NULL AND level >= 1))
        """,
    )
    monkeypatch.chdir(tmp_path)  # no ./seed.yaml: everything is inferred
    apply(None, pg_url)
    assert violations(pg_url) == []
    assert scalar(pg_url, "SELECT count(*) FROM bom WHERE assembly_id = component_id") == 0
    assert scalar(pg_url, "SELECT count(*) FROM bom WHERE ends < starts") == 0
    assert scalar(pg_url, "SELECT count(*) FROM bom WHERE level < 1 OR level >= 10") == 0
    assert scalar(pg_url, "SELECT count(DISTINCT kind) FROM part") == 2


def test_exclusion_constraints_get_disjoint_ranges(pg_url: str, tmp_path, monkeypatch) -> None:
    run_sql(
        pg_url,
        """
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE room (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE booking (id bigserial PRIMARY KEY, room_id int NOT NULL REFERENCES room,
            during tstzrange NOT NULL, nights daterange,
            EXCLUDE USING gist (room_id WITH =, during WITH &&));
        CREATE TABLE slot (id int PRIMARY KEY, code int NOT NULL,
            EXCLUDE USING btree (code WITH =))""",
    )
    monkeypatch.chdir(tmp_path)
    apply(None, pg_url, scale=20)  # 400 bookings over 400 rooms: clashes would be likely
    assert scalar(pg_url, "SELECT count(*) FROM booking") == 400
    assert (
        scalar(
            pg_url,
            "SELECT count(*) FROM booking a JOIN booking b ON a.id < b.id "
            "AND a.room_id = b.room_id AND a.during && b.during",
        )
        == 0
    )
    assert scalar(pg_url, "SELECT count(*) - count(DISTINCT code) FROM slot") == 0


def test_partitioned_table_without_partitions_is_reported_not_crashed_on(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(
        pg_url,
        """
        CREATE TABLE metric (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
        CREATE TABLE host (id int PRIMARY KEY, name text NOT NULL)""",
    )
    monkeypatch.chdir(tmp_path)
    report, plan = apply(None, pg_url)
    assert "metric" not in plan.tables and counts(pg_url)["host"] == 20
    assert any("no partitions" in w.message for w in plan.drift.warnings)
    spec = tmp_path / "seed.yaml"
    spec.write_text("seedspec: 1\ntables:\n  metric: {count: 5}\n  host: {}\n")
    from seedspec.analysis.drift import DriftError

    with pytest.raises(DriftError, match="no partitions"):
        apply(str(spec), pg_url, truncate=True)  # asked for rows it cannot hold: refused


def test_schema_option_seeds_the_named_schemas(pg_url: str, tmp_path: Path, monkeypatch) -> None:
    run_sql(
        pg_url,
        """
        CREATE SCHEMA crm; CREATE SCHEMA billing; CREATE SCHEMA other;
        CREATE TABLE crm.client (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE billing.invoice (id int PRIMARY KEY,
            client_id int NOT NULL REFERENCES crm.client (id), amount numeric(9, 2) NOT NULL);
        CREATE TABLE other.untouched (id int PRIMARY KEY);
        CREATE TABLE public.ignored (id int PRIMARY KEY)""",
    )
    monkeypatch.chdir(tmp_path)
    report, plan = apply(None, pg_url, schemas="crm,billing")
    assert sorted(plan.tables) == ["billing.invoice", "crm.client"]  # only the named schemas
    assert (
        scalar(
            pg_url, "SELECT count(*) FROM billing.invoice i JOIN crm.client c ON c.id = i.client_id"
        )
        == 20
    )
    assert scalar(pg_url, "SELECT count(*) FROM other.untouched") == 0
    assert scalar(pg_url, "SELECT count(*) FROM public.ignored") == 0
