"""Reflection never drops facts silently (issue 10 family 4), asserted by query after an apply.

Extension members are not user tables (their rows untouched, --truncate included); the default
schema is current_schema(), so `--schema X` keeps X's FKs; `--truncate` clears an empty unseeded
child with its parent and refuses, naming it, when the child holds rows; identifiers of every
shape (spaces, quotes, backticks, unicode, mixed case, reserved words) round-trip on PostgreSQL,
MariaDB and SQLite.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import query, run_sql, scalar
from corpus_audit import ApplyRun, run_apply

from seedspec.database.reflect import reflect_url


def _n(url: str, sql: str) -> int:
    return int(str(scalar(url, sql) or 0))


def _ok(run: ApplyRun) -> None:
    assert run.returncode == 0, f"exit {run.returncode}: {run.error} {run.stderr[-1500:]}"


def _exec(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_extension_member_rows_untouched_and_not_seeded(pg_url: str, tmp_path: Path) -> None:
    _exec(
        pg_url,
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE TABLE unit_ref (code integer PRIMARY KEY, label text NOT NULL)",
        "INSERT INTO unit_ref VALUES (1, 'metre'), (2, 'foot'), (3, 'degree')",
        "ALTER EXTENSION pg_trgm ADD TABLE unit_ref",
        "CREATE TABLE place (id serial PRIMARY KEY, name text NOT NULL,"
        " unit_code integer REFERENCES unit_ref (code))",
    )
    _, schema = reflect_url(pg_url)
    assert [t.name for t in schema.tables] == ["place"]
    before = query(pg_url, "SELECT code, label FROM unit_ref ORDER BY code")
    for args in ((), ("--truncate",)):
        _ok(run_apply(pg_url, tmp_path, *args))
        assert query(pg_url, "SELECT code, label FROM unit_ref ORDER BY code") == before
        assert _n(pg_url, "SELECT count(*) FROM place") == 20
        orphans = (
            "SELECT count(*) FROM place p WHERE p.unit_code IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM unit_ref u WHERE u.code = p.unit_code)"
        )
        assert _n(pg_url, orphans) == 0


SHOP = (
    'CREATE SCHEMA "Shop Floor"',
    'CREATE TABLE "Shop Floor".customer (id serial PRIMARY KEY, name text NOT NULL)',
    'CREATE TABLE "Shop Floor".orders (id serial PRIMARY KEY, customer_id integer NOT NULL'
    ' REFERENCES "Shop Floor".customer (id))',
    "CREATE TABLE public.settings (key text PRIMARY KEY, value text)",
)


@pytest.mark.postgres
def test_one_non_default_schema_keeps_its_fks(pg_url: str, tmp_path: Path) -> None:
    _exec(pg_url, *SHOP)
    _, schema = reflect_url(pg_url, ["Shop Floor"])
    assert schema.default_schema == "Shop Floor"
    orders = schema.table("orders")
    assert orders is not None and [fk.ref_table for fk in orders.foreign_keys] == ["customer"]
    _ok(run_apply(pg_url, tmp_path, "--schema", "Shop Floor"))
    assert _n(pg_url, 'SELECT count(*) FROM "Shop Floor".orders') == 20
    orphans = (
        'SELECT count(*) FROM "Shop Floor".orders o WHERE NOT EXISTS '
        '(SELECT 1 FROM "Shop Floor".customer c WHERE c.id = o.customer_id)'
    )
    assert _n(pg_url, orphans) == 0
    assert _n(pg_url, "SELECT count(*) FROM public.settings") == 0


@pytest.mark.postgres
def test_two_schemas_each_table_once(pg_url: str, tmp_path: Path) -> None:
    _exec(pg_url, *SHOP)
    _, schema = reflect_url(pg_url, ["Shop Floor", "public"])
    names = sorted(t.name for t in schema.tables)  # several schemas: qualified but the default
    assert names == ["Shop Floor.customer", "Shop Floor.orders", "settings"]
    _ok(run_apply(pg_url, tmp_path, "--schema", "Shop Floor,public"))
    assert _n(pg_url, 'SELECT count(*) FROM "Shop Floor".customer') == 20
    assert _n(pg_url, "SELECT count(*) FROM public.settings") == 20


@pytest.mark.postgres
def test_truncate_clears_empty_unseeded_child_and_empties_a_full_one(
    pg_url: str, tmp_path: Path
) -> None:
    _exec(
        pg_url,
        "CREATE TABLE account (id serial PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE events (id bigint NOT NULL, account_id integer REFERENCES account (id),"
        " created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at)",
    )
    _ok(run_apply(pg_url, tmp_path))
    first = query(pg_url, "SELECT id, name FROM account ORDER BY id")
    _ok(run_apply(pg_url, tmp_path, "--truncate"))
    assert query(pg_url, "SELECT id, name FROM account ORDER BY id") == first
    _exec(
        pg_url,
        "CREATE TABLE events_all PARTITION OF events DEFAULT",
        "INSERT INTO events VALUES (1, 3, now())",
    )
    spec = tmp_path / "seed.yaml"
    spec.write_text("seedspec: 1\ntables:\n  events: {count: 0}\n")
    # issue 11: the unseeded child's rows would point at replaced rows: emptied with them, in
    # the same transaction, and named in the report (the bulk path sets aside the partitioned
    # child's FK once, not once more for its partition's copy)
    run = run_apply(pg_url, tmp_path, str(spec), "--truncate")
    _ok(run)
    assert run.doc["report"]["emptied"] == ["events"]
    assert query(pg_url, "SELECT id, name FROM account ORDER BY id") == first
    assert _n(pg_url, "SELECT count(*) FROM events") == 0
    fks = "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
    assert _n(pg_url, fks) == 2  # events' FK and its partition's copy, both back


IDENTIFIERS = {
    "postgresql": (
        'CREATE TABLE "Odd ""Parent"" Tbl" (id serial PRIMARY KEY, "Mixed Case" text NOT NULL'
        ' UNIQUE, "ünï côde" integer NOT NULL, "select" integer, "a`b" text)',
        'CREATE TABLE "child-2" (id serial PRIMARY KEY, "p id" integer NOT NULL'
        ' REFERENCES "Odd ""Parent"" Tbl" (id))',
    ),
    "mysql": (
        'CREATE TABLE `Odd "Parent" Tbl` (id INT AUTO_INCREMENT PRIMARY KEY,'
        " `Mixed Case` VARCHAR(40) NOT NULL UNIQUE, `ünï côde` INT NOT NULL, `select` INT,"
        " `a``b` VARCHAR(20))",
        "CREATE TABLE `child-2` (id INT AUTO_INCREMENT PRIMARY KEY, `p``id` INT NOT NULL,"
        ' FOREIGN KEY (`p``id`) REFERENCES `Odd "Parent" Tbl` (id))',
    ),
    "sqlite": (
        'CREATE TABLE "Odd ""Parent"" Tbl" (id INTEGER PRIMARY KEY, "Mixed Case" TEXT NOT NULL'
        ' UNIQUE, "ünï côde" INTEGER NOT NULL, "select" INTEGER, "a`b" TEXT)',
        'CREATE TABLE "child-2" (id INTEGER PRIMARY KEY, "p`id" INTEGER NOT NULL'
        ' REFERENCES "Odd ""Parent"" Tbl" (id))',
    ),
}


@pytest.mark.parametrize(
    "db",
    [
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mysql", marks=pytest.mark.mariadb),
        "sqlite",
    ],
)
def test_identifiers_of_every_shape_round_trip(
    request: pytest.FixtureRequest, db: str, tmp_path: Path
) -> None:
    fixture = {"postgresql": "pg_url", "mysql": "mysql_url", "sqlite": "sqlite_url"}[db]
    url = str(request.getfixturevalue(fixture))
    if db == "sqlite":
        run_sql(url, ";\n".join(IDENTIFIERS[db]))
    else:
        _exec(url, *IDENTIFIERS[db])
    _, schema = reflect_url(url)
    parent, child = schema.table('Odd "Parent" Tbl'), schema.table("child-2")
    assert parent is not None and child is not None
    assert {c.name for c in parent.columns} == {"id", "Mixed Case", "ünï côde", "select", "a`b"}
    assert len(child.foreign_keys) == 1 and child.foreign_keys[0].ref_table == parent.name
    _ok(run_apply(url, tmp_path))
    engine = sa.create_engine(url)
    q = engine.dialect.identifier_preparer.quote
    engine.dispose()
    fk_col = child.foreign_keys[0].columns[0]
    assert _n(url, f"SELECT count(*) FROM {q(parent.name)}") == 20
    assert _n(url, f"SELECT count(DISTINCT {q('Mixed Case')}) FROM {q(parent.name)}") == 20
    assert _n(url, f"SELECT count(*) FROM {q('child-2')}") == 20
    orphans = (
        f"SELECT count(*) FROM {q('child-2')} c WHERE NOT EXISTS "
        f"(SELECT 1 FROM {q(parent.name)} p WHERE p.id = c.{q(fk_col)})"
    )
    assert _n(url, orphans) == 0


@pytest.mark.postgres
def test_inherits_child_does_not_break_the_load(pg_url: str, tmp_path: Path) -> None:
    _exec(
        pg_url,
        "CREATE TABLE city (id serial PRIMARY KEY, name text NOT NULL,"
        " population integer NOT NULL CHECK (population >= 0))",
        "CREATE TABLE capital (state text NOT NULL) INHERITS (city)",
        "CREATE TABLE visit (id serial PRIMARY KEY, city_id integer NOT NULL REFERENCES city (id))",
    )
    run = run_apply(pg_url, tmp_path)
    _ok(run)
    assert run.doc.get("report", run.doc).get("load_path") == "default"
    assert _n(pg_url, "SELECT count(*) FROM ONLY city") == 20
    assert _n(pg_url, "SELECT count(*) FROM capital") == 20
    assert _n(pg_url, "SELECT count(*) FROM city WHERE population < 0") == 0
    orphans = (
        "SELECT count(*) FROM visit v WHERE NOT EXISTS "
        "(SELECT 1 FROM ONLY city c WHERE c.id = v.city_id)"
    )
    assert _n(pg_url, orphans) == 0
    # the inherited CHECK is still on the child
    assert (
        _n(
            pg_url,
            "SELECT count(*) FROM pg_constraint"
            " WHERE conrelid = 'capital'::regclass AND contype = 'c'",
        )
        == 1
    )
