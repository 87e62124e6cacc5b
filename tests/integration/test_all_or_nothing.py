"""A failure mid-apply leaves the database exactly as it was, on every database."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import REPO, run_sql_file
from dbcheck import table_digest

from seedspec.api import apply
from seedspec.errors import ApplyError

DIALECT_FILES = {"sqlite_url": "sqlite", "pg_url": "postgresql", "mysql_url": "mysql"}
TABLES = ["accounts", "users", "categories", "products", "orders", "order_items"]
KEYS = {"order_items": "order_id, line_no"}

SPEC = """
seedspec: 1
seed: 3
tables:
  accounts: {count: 5}
  users: {count: {per: accounts, min: 1, max: 3}}
  orders: {count: 20}
  order_items:
    count: {per: orders, min: 1, max: 2}
    columns:
      line_no: {index_in_parent: 1}
AFTER"""


@pytest.fixture(params=list(DIALECT_FILES))
def db(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    run_sql_file(url, REPO / "specs" / "schemas" / f"shop.{DIALECT_FILES[request.param]}.sql")
    return url


def snapshot(url: str) -> dict[str, str]:
    return {t: table_digest(url, t, KEYS.get(t)) for t in TABLES}


def spec_file(tmp: Path, after: str = "") -> str:
    path = tmp / "seed.yaml"
    path.write_text(SPEC.replace("AFTER", after))
    return str(path)


def test_failing_after_sql_rolls_back_everything(db: str, tmp_path: Path) -> None:
    apply(spec_file(tmp_path), db)  # the database already holds an earlier seed
    before = snapshot(db)
    bad = "after:\n  - sql: UPDATE no_such_table SET x = 1\n"
    with pytest.raises(ApplyError) as err:
        apply(spec_file(tmp_path, bad), db, truncate=True, scale=2.0)
    assert "after" in str(err.value) and "seed.yaml:" in str(err.value)
    assert snapshot(db) == before  # the truncate and every insert were undone


# A rule no generator and no CHECK oracle can foresee: a BEFORE INSERT trigger that rejects some
# products rows (a CHECK would now be judged by the database before the load and refused early).
REJECTING_TRIGGER = {
    "postgresql": [
        "CREATE FUNCTION reject_some() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF mod(NEW.price_cents, 7) <> 0 THEN RAISE EXCEPTION 'products row rejected'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER reject_some BEFORE INSERT ON products "
        "FOR EACH ROW EXECUTE FUNCTION reject_some()",
    ],
    "mysql": [
        "CREATE TRIGGER reject_some BEFORE INSERT ON products FOR EACH ROW BEGIN "
        "IF MOD(NEW.price_cents, 7) <> 0 THEN "
        "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'products row rejected'; END IF; END",
    ],
    "sqlite": [
        "CREATE TRIGGER reject_some BEFORE INSERT ON products "
        "WHEN NEW.price_cents % 7 <> 0 BEGIN SELECT RAISE(ABORT, 'products row rejected'); END",
    ],
}


def test_rows_rejected_mid_load_roll_back_everything(db: str, tmp_path: Path) -> None:
    apply(spec_file(tmp_path), db)  # the earlier seed the failed run must leave in place
    before = snapshot(db)
    engine = sa.create_engine(db)
    with engine.begin() as conn:  # each statement whole: trigger bodies hold semicolons
        for stmt in REJECTING_TRIGGER[engine.dialect.name]:
            conn.exec_driver_sql(stmt)
    engine.dispose()
    with pytest.raises(ApplyError) as err:
        apply(spec_file(tmp_path), db, truncate=True, scale=2.0)
    assert "products" in str(err.value) and "rolled back" in str(err.value)
    assert snapshot(db) == before


def test_refuses_to_append_to_tables_that_hold_rows(db: str, tmp_path: Path) -> None:
    apply(spec_file(tmp_path), db)
    before = snapshot(db)
    again, _ = apply(spec_file(tmp_path), db)  # the same plan: the ledger says it is there
    assert again.noop and again.rows == 0
    with pytest.raises(ApplyError, match="already hold rows.*--reset"):
        apply(spec_file(tmp_path), db, scale=2.0)  # another plan: refused
    assert snapshot(db) == before
    apply(spec_file(tmp_path), db, reset=True)  # --reset replaces them: same seed, same rows
    assert snapshot(db) == before
