"""seedspec export: every format equals what apply wrote (read back from the database, value by
value, on SQLite, PostgreSQL and MariaDB); shards' union equals the unsharded export; seed.sql
loads with psql / mariadb / sqlite3 and gives the same rows, passing the same audit."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import MYSQL_ADMIN_URL, PG_ADMIN_URL, _scratch_database, run_sql
from corpus_audit import audit
from dbcheck import table_digest, violations

from seedspec.api import apply
from seedspec.database.reflect import reflect_url
from seedspec.export.verb import export

DDL = {  # a nullable FK cycle (store.manager_id: NULL first, then the cycle-closing UPDATE)
    "postgresql": """
        CREATE TABLE store (id serial PRIMARY KEY, name text NOT NULL, manager_id int);
        CREATE TABLE staff (id serial PRIMARY KEY, store_id int NOT NULL REFERENCES store (id),
            email varchar(80), born date, paid numeric(8,2), active boolean,
            at timestamp, photo bytea, note text, ratio double precision);
        ALTER TABLE store ADD CONSTRAINT store_manager_fk FOREIGN KEY (manager_id)
            REFERENCES staff (id);""",
    "mysql": """
        CREATE TABLE store (id int AUTO_INCREMENT PRIMARY KEY, name varchar(60) NOT NULL,
            manager_id int) ENGINE=InnoDB;
        CREATE TABLE staff (id int AUTO_INCREMENT PRIMARY KEY, store_id int NOT NULL,
            email varchar(80), born date, paid decimal(8,2), active boolean, at datetime,
            photo blob, note text, ratio double,
            CONSTRAINT staff_store_fk FOREIGN KEY (store_id) REFERENCES store (id)) ENGINE=InnoDB;
        ALTER TABLE store ADD CONSTRAINT store_manager_fk FOREIGN KEY (manager_id)
            REFERENCES staff (id)""",
    "sqlite": """
        CREATE TABLE store (id integer PRIMARY KEY, name text NOT NULL,
            manager_id int REFERENCES staff (id));
        CREATE TABLE staff (id integer PRIMARY KEY, store_id int NOT NULL REFERENCES store (id),
            email varchar(80), born date, paid numeric(8,2), active boolean, at timestamp,
            photo blob, note text, ratio real);""",
}
SPEC = """seedspec: 1
seed: 7
tables:
  store:
    count: 23
  staff:
    count: 61
    columns:
      note: {gen: text.word, null: 0.2}
"""
FORMATS = ("sql", "csv", "jsonl", "parquet")


@pytest.fixture
def pg_other() -> Iterator[str]:
    yield from _scratch_database(
        PG_ADMIN_URL,
        "PostgreSQL",
        'CREATE DATABASE "{name}"',
        'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
    )


@pytest.fixture
def mysql_other() -> Iterator[str]:
    yield from _scratch_database(
        MYSQL_ADMIN_URL, "MariaDB", "CREATE DATABASE `{name}`", "DROP DATABASE IF EXISTS `{name}`"
    )


def _typed(kind: str, value: Any) -> Any:
    """A value (as the database returns it, or as an export holds it) in one form per type."""
    if value is None:
        return None
    if kind == "boolean":
        return value in (True, 1, "1", "true", "t") if not isinstance(value, bool) else value
    if kind in ("smallint", "integer", "bigint"):
        return int(value)
    if kind in ("numeric", "float"):
        return decimal.Decimal(str(value)).normalize()
    if kind == "date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    if kind == "timestamp":
        return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    if kind == "bytes":
        if isinstance(value, str):
            return bytes.fromhex(value[2:] if value.startswith("\\x") else value)
        return bytes(value)
    return str(value)


def _db_rows(url: str, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(url)
    try:
        q = engine.dialect.identifier_preparer.quote
        with engine.connect() as conn:
            sql = f"SELECT {', '.join(map(q, columns))} FROM {q(table)} ORDER BY {q('id')}"
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def _csv_rows(text: str) -> list[list[str | None]]:
    """The documented CSV: every value quoted, NULL an empty unquoted field."""
    rows: list[list[str | None]] = []
    row: list[str | None] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            j, value = i + 1, []
            while True:
                k = text.index('"', j)
                value.append(text[j:k])
                if text.startswith('""', k):
                    value.append('"')
                    j = k + 2
                    continue
                break
            row.append("".join(value))
            i = k + 1
        else:
            row.append(None)
        if i >= len(text) or text[i] == "\n":
            rows.append(row)
            row = []
        i += 1
    return rows


def _exported(folder: Path, fmt: str, table: str) -> list[list[Any]]:
    """The rows of a data format's part files, in order."""
    out: list[list[Any]] = []
    for part in sorted((folder / table).glob("part-*")):
        if fmt == "csv":
            out += _csv_rows(part.read_text(encoding="utf-8"))[1:]
        elif fmt == "jsonl":
            out += [list(json.loads(line).values()) for line in part.read_text().splitlines()]
        else:
            import pyarrow.parquet as pq

            t = pq.read_table(part)
            out += [list(r.values()) for r in t.to_pylist()]
    return out


def _compare(url: str, folder: Path, fmt: str) -> int:
    manifest = json.loads((folder / "manifest.json").read_text())
    _, schema = reflect_url(url, None)
    checked = 0
    for entry in manifest["tables"]:
        table, columns = entry["table"], entry["columns"]
        kinds = [schema.table(table).column(c).type for c in columns]  # type: ignore[union-attr]
        db = _db_rows(url, table, columns)
        got = _exported(folder, fmt, table)
        assert len(got) == len(db) == entry["rows"]
        for want, have in zip(db, got, strict=True):
            for kind, w, h in zip(kinds, want, have, strict=True):
                assert _typed(kind, w) == _typed(kind, h), (fmt, table, kind, w, h)
                checked += 1
    return checked


def _load_script(url: str, folder: Path) -> None:
    """seed.sql through the database's own client, run from the export folder."""
    u = sa.make_url(url)
    backend = u.get_backend_name()
    if backend == "postgresql":
        cmd = [
            "psql",
            "-X",
            "-q",
            "-h",
            u.host or "127.0.0.1",
            "-U",
            u.username or "postgres",
            "-d",
            u.database or "",
            "-f",
            "seed.sql",
        ]
        subprocess.run(cmd, check=True, capture_output=True, cwd=folder)
    elif backend in ("mysql", "mariadb"):
        cmd = [
            "mariadb",
            "-h",
            u.host or "127.0.0.1",
            "-P",
            str(u.port or 3306),
            "-u",
            u.username or "root",
            u.database or "",
        ]
        with (folder / "seed.sql").open("rb") as fh:
            subprocess.run(cmd, check=True, stdin=fh, capture_output=True, cwd=folder)
    else:
        with (folder / "seed.sql").open("rb") as fh:
            subprocess.run(
                ["sqlite3", u.database or ""], check=True, stdin=fh, capture_output=True, cwd=folder
            )


def _case(url: str, other: str, tmp_path: Path, backend: str) -> None:
    run_sql(url, DDL[backend])
    run_sql(other, DDL[backend])
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    results = {
        fmt: export(str(spec), url, out=tmp_path / fmt, fmt=fmt, part_rows=10) for fmt in FORMATS
    }
    report, plan = apply(str(spec), url)
    assert report.rows == 84
    assert results["sql"].manifest.plan_digest == plan.digest()
    if backend != "sqlite":  # the cycle is closed by UPDATEs after the inserts
        assert [f["table"] for f in results["sql"].manifest.fills] == ["store"]
    for fmt in ("csv", "jsonl", "parquet"):
        assert _compare(url, tmp_path / fmt, fmt) == 23 * 3 + 61 * 10
    _load_script(other, tmp_path / "sql")
    for table in ("store", "staff"):
        assert table_digest(other, table, "id") == table_digest(url, table, "id")
    assert violations(other) == []
    if backend != "sqlite":
        loaded, applied = audit(other), audit(url)  # the next INSERT's key included
        assert loaded.ok and applied.ok, loaded.summary()
        assert loaded.violations == applied.violations == []


def test_export_equals_apply_on_sqlite(tmp_path: Path) -> None:
    _case(f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}", tmp_path, "sqlite")


def test_export_equals_apply_on_postgresql(pg_url: str, pg_other: str, tmp_path: Path) -> None:
    _case(pg_url, pg_other, tmp_path, "postgresql")


def test_export_equals_apply_on_mariadb(mysql_url: str, mysql_other: str, tmp_path: Path) -> None:
    _case(mysql_url, mysql_other, tmp_path, "mysql")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith("manifest")
    }


@pytest.mark.parametrize("fmt", ["sql", "csv", "parquet"])
def test_union_of_shards_is_the_unsharded_export(fmt: str, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run_sql(f"sqlite:///{db}", DDL["sqlite"])
    snap = tmp_path / "seed.schema.json"
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    from seedspec.api import snapshot

    snapshot(str(spec), f"sqlite:///{db}", out=str(snap))
    whole = export(str(spec), None, schema_file=snap, out=tmp_path / "whole", fmt=fmt, part_rows=7)
    assert whole.manifest.rows == 84
    expected = _files(tmp_path / "whole")
    for n in (2, 3, 5, 13):
        union: dict[str, bytes] = {}
        held = {"store": [], "staff": []}
        for k in range(1, n + 1):
            out = tmp_path / f"n{n}"
            part = export(
                str(spec), None, schema_file=snap, out=out, fmt=fmt, part_rows=7, shard=f"{k}/{n}"
            )
            for t in part.manifest.tables:
                held[t["table"]] += t["held"]
            assert (out / f"manifest-{k}-of-{n}.json").is_file()
        union = _files(tmp_path / f"n{n}")
        assert union == expected, n
        for table, count in (("store", 23), ("staff", 61)):
            rows = sorted(r for a, b in held[table] for r in range(a, b))
            assert rows == list(range(count)), (n, table)


def test_cli_export_offline_json_document_and_usage_errors(tmp_path: Path) -> None:
    from test_output_contract import cli, contract

    db = tmp_path / "c.db"
    run_sql(f"sqlite:///{db}", DDL["sqlite"])
    (tmp_path / "seed.yaml").write_text(SPEC)
    from seedspec.api import snapshot

    snapshot(str(tmp_path / "seed.yaml"), f"sqlite:///{db}")  # seed.schema.json beside it
    args = ["export", "seed.yaml", "--schema-file", "seed.schema.json", "--format", "jsonl"]
    doc = contract(
        cli(*args, "--shard", "2/3", "--part-rows", "5", "-o", "json", cwd=tmp_path), "export", None
    )
    result = doc["result"]
    assert result["shard"] == {"index": 2, "count": 3} and result["counts"]["staff"] == 61
    manifest = json.loads((tmp_path / "seed-export" / "manifest-2-of-3.json").read_text())
    assert manifest["rows_written"] == result["rows"] > 0
    assert sum(f["stop"] - f["start"] for f in manifest["files"]) == result["rows"]
    assert scalar_rows(db) == 0  # offline: nothing written anywhere
    text = cli(*args, "--out", "t", cwd=tmp_path)
    assert text.returncode == 0 and text.stdout.startswith("exported 84 rows of 2 tables")
    contract(cli(*args, "--shard", "4/3", "-o", "json", cwd=tmp_path), "export", "usage")
    contract(cli(*args, "--format", "xml", "-o", "json", cwd=tmp_path), "export", "usage")


def scalar_rows(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM staff").fetchone()[0])
