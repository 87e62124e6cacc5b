"""seedspec.database.reflect on real servers: bench schema, corpus, edge cases, 1,000 tables."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import BENCH, CORPUS, run_sql, run_sql_file

from seedspec.database.model import TYPE_KINDS, DbSchema, DbUnique
from seedspec.database.reflect import fingerprint, reflect_schema
from seedspec.errors import ConnectionFailed, SeedspecError


def reflect(url: str, schemas: list[str] | None = None) -> DbSchema:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return reflect_schema(conn, schemas)
    finally:
        engine.dispose()


def check_invariants(s: DbSchema) -> None:
    """What must hold for every reflected schema: JSON round trip, known kinds, sorted, FKs."""
    assert DbSchema.from_json(s.to_json()) == s
    assert fingerprint(DbSchema.from_json(s.to_json())) == fingerprint(s)
    assert [t.name for t in s.tables] == sorted(t.name for t in s.tables)
    for t in s.tables:
        names = [c.name for c in t.columns]
        assert set(t.primary_key) <= set(names), t.name
        for col in t.columns:
            assert col.type in TYPE_KINDS, (t.name, col)
            assert col.sql_type, (t.name, col.name)
            if col.item_type is not None:
                assert col.item_type in TYPE_KINDS
        for fk in t.foreign_keys:
            assert set(fk.columns) <= set(names), (t.name, fk)
            assert len(fk.columns) == len(fk.ref_columns)
        keys = [(f.name or "", f.columns) for f in t.foreign_keys]
        assert keys == sorted(keys)
        assert [(c.name or "") for c in t.checks] == sorted(c.name or "" for c in t.checks)


def fk_count(s: DbSchema) -> int:
    return sum(len(t.foreign_keys) for t in s.tables)


def dangling(s: DbSchema) -> list[str]:
    return [
        f"{t.name}.{fk.name} -> {fk.ref_table}"
        for t in s.tables
        for fk in t.foreign_keys
        if s.table(fk.ref_table) is None
    ]


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_bench_schema(pg_url: str) -> None:
    run_sql_file(pg_url, BENCH / "schema.sql")
    s = reflect(pg_url)
    check_invariants(s)
    assert s.dialect == "postgresql"
    assert s.default_schema == "public"
    assert s.server_version and s.server_version[0].isdigit()
    assert [t.name for t in s.tables] == [
        "accounts",
        "categories",
        "order_items",
        "orders",
        "products",
        "users",
    ]
    assert all(t.schema is None for t in s.tables)

    accounts = s.table("accounts")
    assert accounts is not None
    acc_id = accounts.column("id")
    assert acc_id is not None
    assert (acc_id.type, acc_id.identity, acc_id.nullable) == ("bigint", "serial", False)
    assert acc_id.default is not None and acc_id.default.startswith("nextval(")
    created = accounts.column("created_at")
    assert created is not None and created.type == "timestamptz"
    (owner_fk,) = accounts.foreign_keys
    assert owner_fk.name == "accounts_owner_user_id_fkey"
    assert (owner_fk.columns, owner_fk.ref_table, owner_fk.ref_columns) == (
        ("owner_user_id",),
        "users",
        ("id",),
    )
    assert owner_fk.deferrable and owner_fk.initially_deferred
    (plan_check,) = accounts.checks
    assert plan_check.name == "accounts_plan_check" and "'enterprise'" in plan_check.sqltext

    users = s.table("users")
    assert users is not None
    (users_fk,) = users.foreign_keys
    assert users_fk.ref_table == "accounts" and not users_fk.deferrable
    assert not users_fk.initially_deferred
    assert users.uniques == (DbUnique("users_email_key", ("email",), "constraint"),)
    active = users.column("is_active")
    assert active is not None and (active.type, active.default) == ("boolean", "true")

    categories = s.table("categories")
    assert categories is not None
    cat_id = categories.column("id")
    assert cat_id is not None and (cat_id.type, cat_id.identity) == ("integer", "serial")
    (self_fk,) = categories.foreign_keys
    assert self_fk.ref_table == "categories" and self_fk.columns == ("parent_id",)
    assert categories.uniques == (
        DbUnique("categories_parent_id_name_key", ("parent_id", "name"), "constraint"),
    )

    products = s.table("products")
    assert products is not None
    attrs = products.column("attributes")
    assert attrs is not None
    assert (attrs.type, attrs.sql_type, attrs.default, attrs.nullable) == (
        "json",
        "jsonb",
        "'{}'::jsonb",
        False,
    )
    assert [c.sqltext for c in products.checks] == ["price_cents > 0"]

    items = s.table("order_items")
    assert items is not None
    assert items.primary_key == ("order_id", "line_no")
    line_no = items.column("line_no")
    assert line_no is not None and not line_no.nullable and line_no.identity is None
    assert [c.name for c in items.checks] == ["order_items_quantity_check"]
    assert sorted(fk.ref_table for fk in items.foreign_keys) == ["orders", "products"]

    orders = s.table("orders")
    assert orders is not None and len(orders.checks) == 2
    assert fk_count(s) == 7 and not dangling(s)
    assert fingerprint(reflect(pg_url)) == fingerprint(s)


# (tables, FKs, uniques, checks) after reflection.  pagila: the README counts 36 FKs, 18 of them
# declared only on the partitions payment_p2022_01..06 (3 distinct ones, 6 times each): they bind
# every row routed there, so reflection lifts them onto the parent once each: 18 + 3.
PG_CORPUS = {
    "chinook": (11, 11, 0, 0),
    "northwind": (14, 13, 0, 0),
    "pagila": (15, 21, 2, 1),  # the 1 check is the `year` domain's, copied onto film
    "adventureworks": (68, 90, 1, 88),
    "netbox": (189, 380, 242, 138),
}
AW_SCHEMAS = ["humanresources", "person", "production", "purchasing", "sales"]


@pytest.mark.postgres
@pytest.mark.parametrize("name", sorted(PG_CORPUS))
def test_pg_corpus(pg_url: str, name: str) -> None:
    run_sql_file(pg_url, CORPUS / name / "schema.sql")
    schemas = AW_SCHEMAS if name == "adventureworks" else None
    started = time.perf_counter()
    s = reflect(pg_url, schemas)
    elapsed = time.perf_counter() - started
    print(f"\nreflect {name}: {len(s.tables)} tables, {fk_count(s)} FKs in {elapsed:.2f} s")
    check_invariants(s)
    tables, fks, uniques, checks = PG_CORPUS[name]
    assert len(s.tables) == tables
    assert fk_count(s) == fks
    assert sum(len(t.uniques) for t in s.tables) == uniques
    assert sum(len(t.checks) for t in s.tables) == checks
    assert dangling(s) == []
    SPOT_CHECKS[name](s)


def _spot_chinook(s: DbSchema) -> None:
    for t in s.tables:
        if len(t.primary_key) == 1:
            pk = t.column(t.primary_key[0])
            assert pk is not None and pk.identity == "always", t.name
    playlist_track = s.table("playlist_track")
    assert playlist_track is not None and playlist_track.primary_key == ("playlist_id", "track_id")
    employee = s.table("employee")
    assert employee is not None
    assert [(f.columns, f.ref_table) for f in employee.foreign_keys] == [
        (("reports_to",), "employee")
    ]


def _spot_northwind(s: DbSchema) -> None:
    customers = s.table("customers")
    assert customers is not None
    cid = customers.column("customer_id")
    assert cid is not None and cid.identity is None and cid.type in ("varchar", "char")
    employees = s.table("employees")
    assert employees is not None
    assert any(fk.ref_table == "employees" for fk in employees.foreign_keys)
    assert Counter(c.type for t in s.tables for c in t.columns)["bytes"] == 2


def _spot_pagila(s: DbSchema) -> None:
    assert not [t.name for t in s.tables if re.match(r"payment_p\d", t.name)]
    payment = s.table("payment")
    assert payment is not None
    assert payment.primary_key == ("payment_date", "payment_id")
    # pagila declares them only on its partitions: lifted onto the parent, each once
    assert sorted(fk.ref_table for fk in payment.foreign_keys) == ["customer", "rental", "staff"]
    assert payment.partition_by == "RANGE (payment_date)" and len(payment.partitions) == 55
    film = s.table("film")
    assert film is not None
    rating = film.column("rating")
    assert rating is not None
    assert rating.type == "enum" and rating.enum_name == "mpaa_rating"
    assert rating.enum_values == ("G", "PG", "PG-13", "R", "NC-17")
    features = film.column("special_features")
    assert features is not None
    assert (features.type, features.item_type, features.sql_type) == ("array", "text", "text[]")
    fulltext = film.column("fulltext")
    assert fulltext is not None and (fulltext.type, fulltext.nullable) == ("tsvector", False)
    year = film.column("release_year")
    assert year is not None and (year.type, year.sql_type) == ("integer", "year")
    assert [(c.name, c.sqltext) for c in film.checks] == [
        ("year_check", "release_year >= 1901 AND release_year <= 2155")
    ]
    film_id = film.column("film_id")
    assert film_id is not None and film_id.identity == "serial"
    store = s.table("store")
    assert store is not None
    assert store.uniques == (DbUnique("idx_unq_manager_staff_id", ("manager_staff_id",), "index"),)


def _spot_netbox(s: DbSchema) -> None:
    all_fks = [fk for t in s.tables for fk in t.foreign_keys]
    assert all(fk.deferrable and fk.initially_deferred for fk in all_fks)
    assert sum(1 for t in s.tables for fk in t.foreign_keys if fk.ref_table == t.name) == 17
    uniques = [u for t in s.tables for u in t.uniques]
    assert sum(1 for u in uniques if u.kind == "index") == 14
    assert sum(1 for u in uniques if u.predicate) == 12
    assert sum(1 for u in uniques if u.expressions) == 4
    device = s.table("dcim_device")
    assert device is not None
    by_name = {u.name: u for u in device.uniques}
    partial = by_name["dcim_device_unique_name_site"]
    assert partial.kind == "index" and partial.columns == ("site_id",)
    assert partial.predicate == "(tenant_id IS NULL)"
    assert len(partial.expressions) == 1 and partial.expressions[0].startswith("lower(name")
    location = s.table("dcim_location")
    assert location is not None
    loc = {u.name: u for u in location.uniques}["dcim_location_name"]
    assert (loc.columns, loc.predicate, loc.expressions) == (
        ("site_id", "name"),
        "(parent_id IS NULL)",
        (),
    )
    kinds = Counter(c.type for t in s.tables for c in t.columns)
    assert kinds["json"] == 112 and kinds["uuid"] == 3 and kinds["inet"] == 3
    assert kinds["cidr"] == 2 and kinds["array"] == 9 and kinds["unknown"] == 0
    assert Counter(c.identity for t in s.tables for c in t.columns)["by_default"] == 186
    vlangroup = s.table("ipam_vlangroup")
    assert vlangroup is not None
    vid_ranges = vlangroup.column("vid_ranges")
    assert vid_ranges is not None and (vid_ranges.type, vid_ranges.item_type) == ("array", "range")
    token = s.table("users_token")
    assert token is not None
    allowed = token.column("allowed_ips")
    assert allowed is not None and allowed.item_type == "cidr"


def _spot_adventureworks(s: DbSchema) -> None:
    assert {t.schema for t in s.tables} == set(AW_SCHEMAS)
    assert all(t.name == f"{t.schema}.{t.bare_name}" for t in s.tables)
    person = s.table("person.person")
    assert person is not None and person.schema == "person" and person.bare_name == "person"
    assert [fk.ref_table for fk in person.foreign_keys] == ["person.businessentity"]
    namestyle = person.column("namestyle")  # domain "NameStyle": boolean NOT NULL
    assert namestyle is not None
    assert (namestyle.type, namestyle.nullable, namestyle.sql_type) == (
        "boolean",
        False,
        '"NameStyle"',
    )
    firstname = person.column("firstname")
    assert firstname is not None and firstname.type == "varchar"
    rowguid = person.column("rowguid")
    assert rowguid is not None and (rowguid.type, rowguid.default) == ("uuid", "uuid_generate_v1()")
    assert sum(1 for t in s.tables for c in t.columns if c.type == "xml") == 7
    assert sum(1 for t in s.tables for c in t.columns if c.identity == "serial") == 36
    detail = s.table("sales.salesorderdetail")
    assert detail is not None
    composite = [fk for fk in detail.foreign_keys if len(fk.columns) == 2]
    assert [(fk.columns, fk.ref_table) for fk in composite] == [
        (("specialofferid", "productid"), "sales.specialofferproduct")
    ]
    assert sum(1 for t in s.tables if len(t.primary_key) > 1) == 23


SPOT_CHECKS = {
    "chinook": _spot_chinook,
    "northwind": _spot_northwind,
    "pagila": _spot_pagila,
    "netbox": _spot_netbox,
    "adventureworks": _spot_adventureworks,
}


PG_EDGE_DDL = """
CREATE SCHEMA other;
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE DOMAIN smallpos AS posint NOT NULL CHECK (VALUE < 100);
CREATE DOMAIN other.code AS text DEFAULT 'X' CHECK (VALUE ~ '^[A-Z]+$') CHECK (length(VALUE) <= 10);
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE other.color AS ENUM ('red', 'green');
CREATE TABLE t (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    a smallpos, b posint[], c other.code, d mood[], e other.color, g name, h xml,
    i bit(3), j bit varying(8), k money, l interval, m timetz, n tstzrange, o int4multirange,
    p macaddr8, s double precision, v numeric(12, 3), w int GENERATED ALWAYS AS (id * 2) STORED,
    x bigint GENERATED BY DEFAULT AS IDENTITY, aa varchar(10) COLLATE "C", "VALUE" posint,
    ts timestamp, ts2 timestamptz
);
CREATE TABLE other.t2 (
    id serial PRIMARY KEY,
    t_id int REFERENCES public.t (id) ON DELETE CASCADE,
    self_id int REFERENCES other.t2 (id)
);
CREATE TABLE part (id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d);
CREATE TABLE part_2020 PARTITION OF part FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE part_def PARTITION OF part DEFAULT;
CREATE TABLE refpart (
    id int PRIMARY KEY, pid int, pd date,
    FOREIGN KEY (pid, pd) REFERENCES part (id, d) DEFERRABLE
);
CREATE UNIQUE INDEX t_lower_g ON t (lower(g::text), i) WHERE k IS NOT NULL;
CREATE VIEW v AS SELECT * FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
"""


@pytest.mark.postgres
def test_pg_edge_cases(pg_url: str) -> None:
    run_sql(pg_url, PG_EDGE_DDL)
    s = reflect(pg_url)
    check_invariants(s)
    assert [t.name for t in s.tables] == ["part", "refpart", "t"]  # no partitions, views
    refpart = s.table("refpart")
    assert refpart is not None
    (fk,) = refpart.foreign_keys  # the clones referencing each partition are internal
    assert (fk.ref_table, fk.deferrable, fk.initially_deferred) == ("part", True, False)

    t = s.table("t")
    assert t is not None
    cols = {c.name: c for c in t.columns}
    assert cols["id"].identity == "always" and cols["x"].identity == "by_default"
    assert cols["w"].generated == "(id * 2)" and cols["w"].identity is None
    a = cols["a"]  # smallpos: a NOT NULL domain over a domain over integer
    assert (a.type, a.sql_type, a.nullable) == ("integer", "smallpos", False)
    assert (cols["b"].type, cols["b"].item_type) == ("array", "integer")
    assert (cols["c"].type, cols["c"].default) == ("text", "'X'::text")
    assert cols["d"].item_type == "enum" and cols["d"].enum_values == ("sad", "ok", "happy")
    assert cols["e"].enum_name == "other.color" and cols["e"].enum_values == ("red", "green")
    assert (cols["g"].type, cols["g"].length) == ("varchar", 63)
    assert cols["h"].type == "xml"
    assert (cols["i"].type, cols["i"].length, cols["j"].length) == ("bit", 3, 8)
    assert [cols[n].type for n in "klmnop"] == [
        "money",
        "interval",
        "time",
        "range",
        "range",
        "macaddr",
    ]
    assert cols["s"].type == "float"
    assert (cols["v"].type, cols["v"].precision, cols["v"].scale) == ("numeric", 12, 3)
    assert (cols["aa"].sql_type, cols["aa"].length) == ("character varying(10)", 10)
    assert (cols["ts"].type, cols["ts2"].type) == ("timestamp", "timestamptz")
    checks = {c.name: c.sqltext for c in t.checks}
    # nested domain: both levels' CHECKs, VALUE -> the column; a domain used twice -> suffixed
    assert checks["smallpos_check"] == "a::integer < 100"
    assert checks["posint_check_a"] == "a > 0"
    assert checks["posint_check_VALUE"] == '"VALUE" > 0'
    assert checks["code_check"] == "c ~ '^[A-Z]+$'::text"
    assert checks["code_check1"] == "length(c) <= 10"
    (uniq,) = t.uniques
    assert (uniq.columns, uniq.expressions, uniq.predicate) == (
        ("i",),
        ("lower(g::text)",),
        "(k IS NOT NULL)",
    )

    both = reflect(pg_url, ["public", "other"])
    check_invariants(both)
    t2 = both.table("other.t2")
    assert t2 is not None and t2.schema == "other"
    assert {fk.name: (fk.ref_table, fk.on_delete) for fk in t2.foreign_keys} == {
        "t2_self_id_fkey": ("other.t2", None),
        "t2_t_id_fkey": ("t", "CASCADE"),
    }
    only_other = reflect(pg_url, ["other"])
    assert [x.name for x in only_other.tables] == ["other.t2"]
    assert dangling(only_other) == ["other.t2.t2_t_id_fkey -> t"]
    with pytest.raises(SeedspecError, match="schema not found: 'nope'"):
        reflect(pg_url, ["public", "nope"])
    assert fingerprint(both) != fingerprint(s)


@pytest.mark.postgres
def test_pg_search_path_does_not_change_keys(pg_url: str) -> None:
    run_sql(pg_url, PG_EDGE_DDL)
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET search_path TO public, other")
            s = reflect_schema(conn, ["public", "other"])
    finally:
        engine.dispose()
    t2 = s.table("other.t2")
    assert t2 is not None
    assert sorted(fk.ref_table for fk in t2.foreign_keys) == ["other.t2", "t"]


@pytest.mark.postgres
def test_pg_thousand_tables(pg_url: str) -> None:
    rng = random.Random(1000)
    statements = []
    for i in range(1000):
        cols = [
            "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "name text NOT NULL UNIQUE",
            "qty integer CHECK (qty >= 0)",
            "created timestamptz DEFAULT now()",
        ]
        fks = []
        for k in range(3 if i else 0):
            cols.append(f"ref{k}_id bigint")
            fks.append(f"FOREIGN KEY (ref{k}_id) REFERENCES t{rng.randrange(i):04d} (id)")
        statements.append(f"CREATE TABLE t{i:04d} ({', '.join(cols + fks)})")
    engine = sa.create_engine(pg_url)
    try:
        for start in range(0, len(statements), 100):  # stay well inside the server's lock table
            with engine.begin() as conn:
                conn.exec_driver_sql(";\n".join(statements[start : start + 100]))
        with engine.connect() as conn:
            started = time.perf_counter()
            s = reflect_schema(conn)
            elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    print(f"\nreflect 1,000 tables / {fk_count(s)} FKs: {elapsed:.2f} s")
    assert len(s.tables) == 1000 and fk_count(s) == 2997
    assert elapsed < 20
    check_invariants(s)
    assert dangling(s) == []


def test_errors_are_one_line_without_password() -> None:
    engine = sa.create_engine("postgresql+psycopg://postgres:s3cr3t-pw@127.0.0.1:1/nowhere")
    with pytest.raises(SeedspecError) as info:
        reflect_schema(engine)
    assert isinstance(info.value, ConnectionFailed)
    message = info.value.message
    assert "\n" not in message and "s3cr3t-pw" not in message
    assert message.startswith("cannot connect: OperationalError: ")


@pytest.mark.postgres
def test_failure_during_reflection_is_a_seedspec_error(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            with pytest.raises(sa.exc.DBAPIError):
                conn.exec_driver_sql("SELECT 1/0")  # leaves the transaction aborted
            with pytest.raises(SeedspecError) as info:
                reflect_schema(conn)
    finally:
        engine.dispose()
    message = info.value.message
    assert "\n" not in message
    assert message.startswith("cannot reflect the database schema: InFailedSqlTransaction: ")


# --------------------------------------------------------------------------- MariaDB / MySQL


def load_mysql_corpus(mysql_url: str, name: str, tmp_path: Path) -> None:
    """Load a corpus file that creates its own database into the scratch database instead."""
    db = sa.make_url(mysql_url).database
    text = (CORPUS / name / "schema.mysql.sql").read_text()
    text = re.sub(
        rf"^((?:DROP|CREATE) (?:DATABASE|SCHEMA)(?: IF (?:NOT )?EXISTS)? |USE ){name};",
        rf"\g<1>{db};",
        text,
        flags=re.M | re.I,
    )
    text = re.sub(rf"\b{name}\.(?=\w)", f"{db}.", text)  # sakila's views name sakila.<table>
    path = tmp_path / f"{name}.sql"
    path.write_text(text)
    run_sql_file(mysql_url, path)


@pytest.mark.mariadb
def test_mysql_employees(mysql_url: str, tmp_path: Path) -> None:
    load_mysql_corpus(mysql_url, "employees", tmp_path)
    s = reflect(mysql_url)
    check_invariants(s)
    assert s.dialect == "mysql" and s.default_schema == sa.make_url(mysql_url).database
    assert len(s.tables) == 6 and fk_count(s) == 6 and dangling(s) == []
    employees = s.table("employees")
    assert employees is not None
    gender = employees.column("gender")
    assert gender is not None and (gender.type, gender.enum_values) == ("enum", ("M", "F"))
    titles = s.table("titles")
    assert titles is not None and titles.primary_key == ("emp_no", "title", "from_date")
    departments = s.table("departments")
    assert departments is not None
    assert departments.uniques == (DbUnique("dept_name", ("dept_name",), "constraint"),)
    assert all(fk.on_delete == "CASCADE" for t in s.tables for fk in t.foreign_keys)


@pytest.mark.mariadb
def test_mysql_sakila(mysql_url: str, tmp_path: Path) -> None:
    load_mysql_corpus(mysql_url, "sakila", tmp_path)
    s = reflect(mysql_url)
    check_invariants(s)
    assert len(s.tables) == 16 and fk_count(s) == 22 and dangling(s) == []
    film = s.table("film")
    assert film is not None
    cols = {c.name: c for c in film.columns}
    assert (cols["film_id"].type, cols["film_id"].unsigned) == ("smallint", True)
    assert cols["film_id"].identity == "auto_increment"
    assert cols["rating"].enum_values == ("G", "PG", "PG-13", "R", "NC-17")
    assert cols["rating"].default == "'G'"
    assert cols["special_features"].type == "set"
    assert cols["special_features"].enum_values == (
        "Trailers",
        "Commentaries",
        "Deleted Scenes",
        "Behind the Scenes",
    )
    assert cols["release_year"].type == "year"
    assert (cols["rental_rate"].precision, cols["rental_rate"].scale) == (4, 2)
    assert cols["last_update"].default == "current_timestamp()"  # ON UPDATE ... dropped
    assert Counter(c.identity for t in s.tables for c in t.columns)["auto_increment"] == 13
    staff = s.table("staff")
    store = s.table("store")
    assert staff is not None and store is not None
    active = staff.column("active")
    assert active is not None and active.type == "boolean"  # tinyint(1)
    assert any(fk.ref_table == "store" for fk in staff.foreign_keys)  # the hard cycle
    assert any(fk.ref_table == "staff" for fk in store.foreign_keys)
    assert store.uniques == (DbUnique("idx_unique_manager", ("manager_staff_id",), "constraint"),)
    payment = s.table("payment")
    assert payment is not None
    assert {fk.name: fk.on_delete for fk in payment.foreign_keys}["fk_payment_rental"] == "SET NULL"
    assert sum(len(t.uniques) for t in s.tables) == 2


MYSQL_EDGE_DDL = """
CREATE TABLE p (
    id bigint unsigned AUTO_INCREMENT PRIMARY KEY,
    j json, b bit(4), m mediumint unsigned, tt tinytext, vb varbinary(16),
    d datetime(3), g int AS (m * 2) STORED, st set('a', 'b'),
    e enum('x', 'y') NOT NULL DEFAULT 'x', flag boolean NOT NULL DEFAULT 0,
    c varchar(10) CHECK (c <> ''),
    UNIQUE KEY uq_b_m (b, m)
);
CREATE TABLE c (
    id int PRIMARY KEY, pid bigint unsigned,
    CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL
);
CREATE VIEW pv AS SELECT id FROM p
"""


@pytest.mark.mariadb
def test_mysql_edge_cases(mysql_url: str) -> None:
    run_sql(mysql_url, MYSQL_EDGE_DDL)
    s = reflect(mysql_url)
    check_invariants(s)
    assert [t.name for t in s.tables] == ["c", "p"]
    p = s.table("p")
    assert p is not None
    cols = {c.name: c for c in p.columns}
    assert cols["j"].type == "json"  # MariaDB: LONGTEXT CHECK (json_valid(j))
    assert (cols["b"].type, cols["b"].length) == ("bit", 4)
    assert (cols["m"].type, cols["m"].unsigned) == ("integer", True)
    assert (cols["tt"].type, cols["tt"].length) == ("text", 255)
    assert (cols["vb"].type, cols["vb"].length) == ("bytes", 16)
    assert cols["d"].type == "timestamp" and cols["g"].generated == "(`m` * 2)"
    assert cols["flag"].type == "boolean" and cols["e"].default == "'x'"
    assert "c" in {ch.name for ch in p.checks}  # column-level CHECK (SQLAlchemy misses it)
    assert p.uniques == (DbUnique("uq_b_m", ("b", "m"), "constraint"),)
    c = s.table("c")
    assert c is not None
    (fk,) = c.foreign_keys
    assert (fk.name, fk.ref_table, fk.on_delete) == ("fk_p", "p", "SET NULL")


# --------------------------------------------------------------------------- SQLite

SQLITE_DDL = """
CREATE TABLE parent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    created DATETIME DEFAULT CURRENT_TIMESTAMP,
    flag BOOLEAN, price NUMERIC(10, 2), data JSON,
    twice INT GENERATED ALWAYS AS (id * 2) VIRTUAL
);
CREATE TABLE child (
    id INT PRIMARY KEY,
    parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE,
    parent_code TEXT,
    name VARCHAR(20),
    CONSTRAINT fk_code FOREIGN KEY (parent_code) REFERENCES parent (code)
        ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    CHECK (length(name) > 1),
    UNIQUE (parent_id, name)
);
CREATE TABLE norowid (a INTEGER PRIMARY KEY, b BLOB) WITHOUT ROWID;
CREATE UNIQUE INDEX ux_child_lower ON child (lower(name), parent_id);
CREATE UNIQUE INDEX ux_child_partial ON child (parent_code) WHERE parent_id IS NULL;
CREATE INDEX ix_child_name ON child (name);
CREATE VIEW child_view AS SELECT * FROM child;
"""


def test_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    run_sql(sqlite_url, SQLITE_DDL)
    s = reflect(sqlite_url)
    check_invariants(s)
    assert (s.dialect, s.default_schema) == ("sqlite", "main")
    assert [t.name for t in s.tables] == ["child", "norowid", "parent"]
    parent = s.table("parent")
    assert parent is not None
    cols = {c.name: c for c in parent.columns}
    assert (cols["id"].identity, cols["id"].nullable) == ("rowid", False)
    assert (cols["created"].type, cols["created"].default) == ("timestamp", "CURRENT_TIMESTAMP")
    assert [cols[n].type for n in ("flag", "price", "data")] == ["boolean", "numeric", "json"]
    assert cols["twice"].generated == "id * 2"
    assert parent.uniques == (DbUnique(None, ("code",), "constraint"),)

    child = s.table("child")
    assert child is not None
    child_id = child.column("id")
    assert child_id is not None and child_id.identity is None  # INT PRIMARY KEY: no rowid alias
    fks = {fk.columns: fk for fk in child.foreign_keys}
    assert fks[("parent_id",)].name is None and fks[("parent_id",)].on_delete == "CASCADE"
    code_fk = fks[("parent_code",)]
    assert (code_fk.name, code_fk.on_delete) == ("fk_code", "SET NULL")
    assert code_fk.deferrable and code_fk.initially_deferred
    assert [c.sqltext for c in child.checks] == ["length(name) > 1"]
    assert child.uniques == (
        DbUnique(None, ("parent_id", "name"), "constraint"),
        DbUnique("ux_child_lower", ("parent_id",), "index", None, ("lower(name)",)),
        DbUnique("ux_child_partial", ("parent_code",), "index", "parent_id IS NULL"),
    )
    norowid = s.table("norowid")
    assert norowid is not None
    a = norowid.column("a")
    assert a is not None and a.identity is None

    # an attached database is a schema: keys are "schema.table"
    aux = tmp_path / "aux.db"
    run_sql(f"sqlite:///{aux}", "CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT)")
    engine = sa.create_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"ATTACH DATABASE '{aux}' AS aux")
            both = reflect_schema(conn, ["main", "aux"])
    finally:
        engine.dispose()
    check_invariants(both)
    extra = both.table("aux.extra")
    assert extra is not None and extra.schema == "aux"
    extra_id = extra.column("id")
    assert extra_id is not None and extra_id.identity == "rowid"
    assert len(both.tables) == 4


def test_fingerprint_tracks_changes(sqlite_url: str) -> None:
    run_sql(sqlite_url, "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)")
    first = reflect(sqlite_url)
    assert fingerprint(first) == fingerprint(reflect(sqlite_url))
    assert re.fullmatch(r"[0-9a-f]{128}", fingerprint(first))
    run_sql(sqlite_url, "ALTER TABLE a ADD COLUMN w INTEGER")
    assert fingerprint(reflect(sqlite_url)) != fingerprint(first)
