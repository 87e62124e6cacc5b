"""seedspec.database.from_metadata: a SQLAlchemy MetaData checked offline gives the live facts.

For SQLite, PostgreSQL and MariaDB: ``metadata.create_all()`` on a scratch database, reflect it,
and compare ``comparable()`` of both sides. Plus ``load_metadata`` successes and one-line errors.
"""

from __future__ import annotations

import difflib
import json
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import REPO

from seedspec.database.from_metadata import comparable, load_metadata, schema_from_metadata
from seedspec.database.model import DbCheck, DbColumn, DbForeignKey, DbSchema, DbTable, DbUnique
from seedspec.database.reflect import reflect_schema
from seedspec.errors import UsageError

MODELS = "tests.integration.models_fixture"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """``tests.integration.models_fixture`` is importable from the repository root."""
    monkeypatch.chdir(REPO)


@pytest.fixture
def base_md(in_repo: None) -> sa.MetaData:
    return load_metadata(f"{MODELS}:Base")


@pytest.fixture
def pg_md(in_repo: None) -> sa.MetaData:
    return load_metadata(f"{MODELS}:pg_metadata")


def create_and_reflect(
    url: str, md: sa.MetaData, schemas: list[str] | None = None, setup: str | None = None
) -> DbSchema:
    engine = sa.create_engine(url)
    try:
        if setup:
            with engine.begin() as conn:
                conn.exec_driver_sql(setup)
        md.create_all(engine)
        with engine.connect() as conn:
            return reflect_schema(conn, schemas)
    finally:
        engine.dispose()


def assert_same_facts(offline: DbSchema, live: DbSchema) -> None:
    a = json.dumps(comparable(offline), indent=1, sort_keys=True).splitlines()
    b = json.dumps(comparable(live), indent=1, sort_keys=True).splitlines()
    if a != b:
        diff = "\n".join(difflib.unified_diff(a, b, "metadata", "live", lineterm="", n=8))
        pytest.fail(f"offline facts differ from the live database:\n{diff}", pytrace=False)


def col(schema: DbSchema, ref: str) -> DbColumn:
    table, name = ref.rsplit(".", 1)
    found = schema.table(table)
    assert found is not None, table
    column = found.column(name)
    assert column is not None, ref
    return column


def table(schema: DbSchema, name: str) -> DbTable:
    found = schema.table(name)
    assert found is not None, name
    return found


# --------------------------------------------------------------------------- offline == live


def test_sqlite_metadata_matches_live(sqlite_url: str, base_md: sa.MetaData) -> None:
    offline = schema_from_metadata(base_md, "sqlite")
    assert_same_facts(offline, create_and_reflect(sqlite_url, base_md))
    assert offline.dialect == "sqlite"
    assert col(offline, "customer.id").identity == "rowid"
    assert col(offline, "orders.id").identity == "rowid"  # Identity() is ignored: INTEGER PK
    assert col(offline, "product.id").identity is None  # BIGINT PRIMARY KEY is no rowid alias
    assert col(offline, "customer.created_at").type == "timestamp"  # DATETIME, no time zone
    assert (col(offline, "customer.status").type, col(offline, "customer.status").length) == (
        "varchar",
        7,
    )
    assert col(offline, "tag.uid").type == "char"  # CHAR(32)
    partial = [u for u in table(offline, "shipment").uniques if u.predicate]
    assert [u.columns for u in partial] == [("tracking",)]


@pytest.mark.postgres
def test_postgresql_metadata_matches_live(pg_url: str, base_md: sa.MetaData) -> None:
    offline = schema_from_metadata(base_md)
    assert_same_facts(offline, create_and_reflect(pg_url, base_md))
    assert col(offline, "customer.id").identity == "serial"
    assert col(offline, "product.id").identity == "serial"  # BIGSERIAL
    assert col(offline, "orders.id").identity == "by_default"
    assert col(offline, "order_line.line_no").identity is None
    assert col(offline, "customer.status").enum_values == ("active", "blocked", "closed")
    assert col(offline, "shipment.carrier").type == "varchar"  # native_enum=False
    assert col(offline, "customer.created_at").type == "timestamptz"
    assert col(offline, "product.price_gross").generated is not None
    assert (col(offline, "product.price").precision, col(offline, "product.price").scale) == (
        10,
        2,
    )
    assert [len(t.checks) for t in offline.tables if t.checks] == [1, 1, 1]


@pytest.mark.postgres
def test_postgresql_schemas_deferrable_partial_and_expression_uniques(
    pg_url: str, pg_md: sa.MetaData
) -> None:
    offline = schema_from_metadata(pg_md, "postgresql")
    live = create_and_reflect(pg_url, pg_md, ["public", "other"], "CREATE SCHEMA other")
    assert_same_facts(offline, live)
    assert [t.name for t in offline.tables] == ["account", "membership", "other.team"]
    assert col(offline, "account.id").identity == "always"
    fks = {fk.ref_table: fk for fk in table(offline, "membership").foreign_keys}
    assert fks["account"].deferrable and fks["account"].initially_deferred
    assert not fks["other.team"].deferrable
    assert table(offline, "other.team").foreign_keys[0].ref_table == "other.team"
    uniques = table(offline, "account").uniques
    assert sorted((u.predicate is not None, len(u.expressions)) for u in uniques) == [
        (False, 1),
        (True, 0),
    ]


@pytest.mark.mariadb
def test_mariadb_metadata_matches_live(mysql_url: str, base_md: sa.MetaData) -> None:
    live = create_and_reflect(mysql_url, base_md)
    offline = schema_from_metadata(base_md, "mariadb")
    assert_same_facts(offline, live)
    assert offline.dialect == "mysql"
    assert col(offline, "customer.id").identity == "auto_increment"
    assert col(offline, "orders.id").identity == "auto_increment"
    assert col(offline, "customer.is_active").type == "boolean"  # BOOL is TINYINT(1)
    assert col(offline, "customer.created_at").type == "timestamp"  # DATETIME
    assert col(offline, "customer.status").enum_values == ("active", "blocked", "closed")
    # MySQL 8 has no UUID type: "mysql" differs from this MariaDB only there
    mysql8 = comparable(schema_from_metadata(base_md, "mysql"))
    uid = mysql8["tables"]["tag"]["columns"]["uid"]
    assert (uid["type"], uid["length"]) == ("char", 32)
    uid.update(type="uuid", length=None)
    assert mysql8 == comparable(live)


# --------------------------------------------------------------------------- comparable


def _schema(
    *,
    kind: str = "json",
    sql_type: str = "json",
    default: str | None = "'{}'::json",
    fk: str = "fk_1",
    uq: str = "uq_1",
    check: str = "qty > 0",
    dialect: str = "postgresql",
) -> DbSchema:
    parent = DbTable("parent", columns=(DbColumn("id", "integer", identity="serial"),))
    child = DbTable(
        "child",
        columns=(
            DbColumn("id", "integer", nullable=False),
            DbColumn("payload", kind, sql_type=sql_type, default=default),
            DbColumn("qty", "integer"),
        ),
        primary_key=("id",),
        foreign_keys=(DbForeignKey(fk, ("id",), "parent", ("id",)),),
        uniques=(DbUnique(uq, ("qty", "id")),),
        checks=(DbCheck("ck", check),),
    )
    return DbSchema(dialect, (child, parent))


def test_comparable_ignores_spellings_names_and_texts() -> None:
    base = comparable(_schema())
    json.dumps(base)  # JSON-able
    same = _schema(
        sql_type="JSON",
        default="'{}'",
        fk="child_id_fkey",
        uq="child_qty_id_key",
        check="(`qty` > 0)",
        dialect="mysql",
    )
    assert comparable(same) == base
    assert base["tables"]["child"]["checks"] == [["qty"]]
    assert base["tables"]["child"]["uniques"] == [
        {"columns": ["id", "qty"], "partial": False, "expressions": 0}
    ]


def test_comparable_sees_fact_changes() -> None:
    base = comparable(_schema())
    assert comparable(_schema(kind="text")) != base
    assert comparable(_schema(default=None)) != base
    assert comparable(_schema(check="id > 0")) != base


def test_comparable_drops_mariadb_json_valid_checks() -> None:
    schema = _schema()
    child = table(schema, "child")
    with_json_valid = DbTable(
        child.name,
        columns=child.columns,
        primary_key=child.primary_key,
        foreign_keys=child.foreign_keys,
        uniques=child.uniques,
        checks=(*child.checks, DbCheck("payload", "json_valid(`payload`)")),
    )
    other = DbSchema("mysql", (with_json_valid, table(schema, "parent")))
    assert comparable(other) == comparable(schema)


def test_unknown_dialect_is_a_usage_error(base_md: sa.MetaData) -> None:
    with pytest.raises(UsageError, match="unsupported dialect 'oracle'"):
        schema_from_metadata(base_md, "oracle")


# --------------------------------------------------------------------------- load_metadata


def test_load_metadata_accepts_base_metadata_registry_and_metadata(in_repo: None) -> None:
    md = load_metadata(f"{MODELS}:Base")
    assert isinstance(md, sa.MetaData)
    assert {"customer", "orders", "order_line", "product", "shipment", "tag"} == set(md.tables)
    assert load_metadata(f"{MODELS}:Base.metadata") is md
    assert load_metadata(f"{MODELS}:Base.registry") is md
    assert load_metadata(f" {MODELS} : pg_metadata ") is not md


def _write_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> str:
    name = f"seedspec_models_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text(body)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    return name


def test_load_metadata_imports_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "import sqlalchemy as sa\nmd = sa.MetaData()\nsa.Table('t', md, sa.Column('x', sa.Text))"
    name = _write_module(tmp_path, monkeypatch, body)
    try:
        assert list(load_metadata(f"{name}:md").tables) == ["t"]
    finally:
        sys.modules.pop(name, None)
    assert str(tmp_path) not in sys.path  # the working directory was only borrowed


@pytest.mark.parametrize(
    ("body", "attr", "message"),
    [
        ("raise RuntimeError('boom\\nsecond line')\n", "md", "RuntimeError: boom"),
        ("import no_such_dependency_xyz\n", "md", "No module named 'no_such_dependency_xyz'"),
        ("def broken(:\n", "md", "SyntaxError"),
        ("import sys\nsys.exit(3)\n", "md", "SystemExit: 3"),
        ("md = 1\n", "nope", "has no attribute 'nope'"),
        ("md = 1\n", "md", "found int 1, expected a SQLAlchemy MetaData"),
        ("class Holder:\n    pass\n", "Holder", "found type <class"),
    ],
)
def test_load_metadata_failures_are_one_line_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, attr: str, message: str
) -> None:
    name = _write_module(tmp_path, monkeypatch, body)
    try:
        with pytest.raises(UsageError) as info:
            load_metadata(f"{name}:{attr}")
    finally:
        sys.modules.pop(name, None)
    assert message in info.value.message
    assert "\n" not in info.value.message


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("tests.integration.models_fixture", "expects 'module:attribute'"),
        ("tests.integration.models_fixture:", "expects 'module:attribute'"),
        (":Base", "expects 'module:attribute'"),
        ("no_such_pkg_xyz.models:Base", "no module named 'no_such_pkg_xyz'"),
        ("tests.integration.no_such_models:Base", "no module named 'tests.integration.no_such"),
        ("tests.integration.models_fixture:Base.nope", "Base has no attribute 'nope'"),
        ("tests.integration.models_fixture:Status", "found EnumType <enum 'Status'>, expected"),
    ],
)
def test_load_metadata_bad_paths(in_repo: None, path: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        load_metadata(path)
    assert message in info.value.message
    assert "\n" not in info.value.message
