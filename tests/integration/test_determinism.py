"""Determinism contract, checked in real databases: same spec -> same bytes; edits stay local."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, run_sql_file
from dbcheck import column_values, counts, table_digest

from seedspec.api import apply

SCHEMAS = REPO / "specs" / "schemas"
SHOP_TABLES = ["accounts", "users", "categories", "products", "orders", "order_items"]
KEYS = {"order_items": "order_id, line_no"}

BASE = """
seedspec: 1
seed: 11
tables:
  accounts: {count: ACCOUNTS}
  users:
    count: {per: accounts, min: 1, max: 6}
    columns:
      email: {gen: person.email, unique: true}
  categories: {count: 30, tree: {parent: parent_id, max_depth: 3}}
  products:
    count: 60
    columns:
      price_cents: {int: {min: 100, max: 5000, dist: lognormal, mu: 7, sigma: 0.8}}
  orders:
    count: {per: users, min: 0, max: 3}
    columns:
      status: {choice: {paid: 80, pending: 20}}
  order_items:
    count: {per: orders, min: 1, max: 4}
    columns:
      line_no: {index_in_parent: 1}
      unit_price_cents: {lookup: product_id.price_cents}
EXTRA"""


def write_spec(tmp: Path, name: str, accounts: int = 20, extra: str = "") -> str:
    path = tmp / f"{name}.yaml"
    path.write_text(BASE.replace("ACCOUNTS", str(accounts)).replace("EXTRA", extra))
    return str(path)


def fresh_sqlite(tmp: Path, name: str) -> str:
    url = f"sqlite:///{tmp / (name + '.db')}"
    run_sql_file(url, SCHEMAS / "shop.sqlite.sql")
    return url


def digests(url: str) -> dict[str, str]:
    return {t: table_digest(url, t, KEYS.get(t)) for t in SHOP_TABLES}


def test_same_spec_twice_gives_identical_tables(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, "s")
    a, b = fresh_sqlite(tmp_path, "a"), fresh_sqlite(tmp_path, "b")
    apply(spec, a)
    apply(spec, b)
    assert digests(a) == digests(b)
    assert all(n > 0 for n in counts(a).values())


def test_same_spec_gives_the_same_values_on_postgresql_and_sqlite(tmp_path: Path, pg_url: str):
    spec = write_spec(tmp_path, "s")
    lite = fresh_sqlite(tmp_path, "a")
    run_sql_file(pg_url, SCHEMAS / "shop.postgresql.sql")
    apply(spec, lite)
    apply(spec, pg_url)
    for table, column in [
        ("users", "email"),
        ("orders", "status"),
        ("order_items", "product_id"),
        ("products", "price_cents"),
        ("categories", "parent_id"),
    ]:
        key = KEYS.get(table, "id")
        assert column_values(lite, table, column, key) == column_values(pg_url, table, column, key)


def test_adding_a_column_generator_leaves_every_other_column_unchanged(tmp_path: Path) -> None:
    before = fresh_sqlite(tmp_path, "before")
    after = fresh_sqlite(tmp_path, "after")
    apply(write_spec(tmp_path, "s1"), before)
    spec2 = write_spec(tmp_path, "s2")
    text = (
        Path(spec2)
        .read_text()
        .replace(
            "      status: {choice: {paid: 80, pending: 20}}",
            "      status: {choice: {paid: 80, pending: 20}}\n"
            "      placed_at: {datetime: {from: 2020-01-01, to: 2020-12-31}}",
        )
    )
    Path(spec2).write_text(text)
    apply(spec2, after)
    changed = []
    for table in SHOP_TABLES:
        key = KEYS.get(table, "id")
        for column in _columns(before, table):
            if column_values(before, table, column, key) != column_values(
                after, table, column, key
            ):
                changed.append(f"{table}.{column}")
    assert changed == ["orders.placed_at"]


def test_raising_a_count_keeps_the_earlier_rows(tmp_path: Path) -> None:
    small, big = fresh_sqlite(tmp_path, "small"), fresh_sqlite(tmp_path, "big")
    apply(write_spec(tmp_path, "s20", accounts=20), small)
    apply(write_spec(tmp_path, "s30", accounts=30), big)
    n_small, n_big = counts(small), counts(big)
    assert n_big["accounts"] == 30 and n_big["users"] > n_small["users"]
    for table in ("accounts", "users", "orders", "order_items"):
        key = KEYS.get(table, "id")
        for column in _columns(small, table):
            if (table, column) == ("accounts", "owner_user_id"):
                continue  # a pick among users, whose count grew too: it may pick a new user
            earlier = column_values(small, table, column, key)
            assert column_values(big, table, column, key)[: len(earlier)] == earlier, (
                f"{table}.{column} changed in the first {len(earlier)} rows"
            )


def _columns(url: str, table: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        return [c["name"] for c in sa.inspect(engine).get_columns(table)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("batch", [7, 10_000])
def test_batch_size_does_not_change_values(tmp_path: Path, batch: int, monkeypatch) -> None:
    import seedspec.execute.rows

    monkeypatch.setattr(seedspec.execute.rows, "CHUNK_ROWS", batch)
    url = fresh_sqlite(tmp_path, f"b{batch}")
    apply(write_spec(tmp_path, "s"), url)
    reference = fresh_sqlite(tmp_path, "ref")
    monkeypatch.setattr(seedspec.execute.rows, "CHUNK_ROWS", 1000)
    apply(write_spec(tmp_path, "s"), reference)
    assert digests(url) == digests(reference)
