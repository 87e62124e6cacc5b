"""Offline `check` (committed snapshot, SQLAlchemy MetaData) finds what the live check finds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import REPO

from tests.integration.models_fixture import Base

SPEC = """seedspec: 1
tables:
  customer:
    count: 10
    columns:
      email: {gen: person.email, unique: true}
      nickname: {gen: person.username}
  product:
    count: 12
    columns:
      price: {decimal: {min: 10, max: 200000}}
      sku: {template: "P-{row}"}
  orders:
    count: 30
    columns:
      state: {choice: [new, paid, lost]}
      placed_on: {int: {min: 1, max: 9}}
  order_line:
    count: {per: orders, min: 1, max: 3}
    columns:
      line_no: {index_in_parent: 1}
      qty: {int: {min: 0, max: 5}}
"""


def findings(*args: str) -> tuple[int, list[tuple]]:
    done = subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", "check", *args, "-o", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    doc = json.loads(done.stdout)
    out = sorted(
        (f["severity"], f["kind"], f["table"], f["column"], f.get("line"))
        for f in doc["result"]["drift"]["findings"]
    )
    return done.returncode, out


@pytest.mark.parametrize("fixture", ["pg_url", "mysql_url", "sqlite_url"])
def test_snapshot_and_metadata_checks_equal_the_live_check(fixture, request, tmp_path: Path):
    url: str = request.getfixturevalue(fixture)
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    live_code, live = findings(str(spec), "--db", url)
    codes = {f[1] for f in live}
    assert live_code == 3
    assert {
        "missing-column",
        "range-outside-check",
        "choice-outside-check",
        "type-mismatch",
        "table-unnamed",
    } <= codes, live
    snap = tmp_path / "elsewhere.schema.json"
    wrote = subprocess.run(
        [
            sys.executable,
            "-m",
            "seedspec.cli.app",
            "snapshot",
            str(spec),
            "--db",
            url,
            "--out",
            str(snap),
        ],
        capture_output=True,
        text=True,
    )
    assert wrote.returncode == 0, wrote.stderr
    assert findings(str(spec), "--snapshot", str(snap)) == (live_code, live)
    dialect = sa.make_url(url).get_backend_name()
    dialect = "mariadb" if dialect == "mysql" else dialect
    meta = findings(
        str(spec), "--metadata", "tests.integration.models_fixture:Base", "--dialect", dialect
    )
    assert meta == (live_code, live)


@pytest.mark.parametrize("name", ["pagila", "netbox"])
def test_snapshot_round_trips_real_schemas(name: str, pg_url: str) -> None:
    from conftest import CORPUS, run_sql_file

    from seedspec.database.model import DbSchema
    from seedspec.database.reflect import reflect_schema
    from seedspec.database.snapshot import parse, render

    run_sql_file(pg_url, CORPUS / name / "schema.sql")
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        live = reflect_schema(conn)
    engine.dispose()
    text = render(live)
    assert parse(text) == DbSchema.from_dict({**live.to_dict(), "server_version": None})
    assert render(parse(text)) == text  # stable: a fresh snapshot of the same schema is identical
    assert all(len(line) < 2000 for line in text.splitlines())
