"""The escape hatches applied to real databases (issue 15 part 4), asserted by query.

`sql:` columns are computed by the database (PostgreSQL pgcrypto's crypt(), MariaDB SHA2(),
SQLite lower()/hex(randomblob())) by an UPDATE in the apply's transaction, on the bulk and
the default load path; `python:` generators come from entry points (seedspec's own `ulid`,
and the demo plug-in in tests/plugins found through its dist-info); `existing:` picks only
among the rows already in a table that meet `where:`. `export --db` writes the UPDATE into
seed.sql.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import query, run_sql, scalar

from seedspec.api import apply, plan
from seedspec.errors import SeedspecError
from seedspec.export.verb import export

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
PK = {
    "postgresql": "id serial PRIMARY KEY",
    "mysql": "id INT AUTO_INCREMENT PRIMARY KEY",
    "sqlite": "id INTEGER PRIMARY KEY",
}
TEXT = {"postgresql": "text", "mysql": "VARCHAR(100)", "sqlite": "TEXT"}
# what the database computes, and a query that proves it did
HASH = {
    "postgresql": "crypt('password', gen_salt('bf'))",
    "mysql": "SHA2('password', 256)",
    "sqlite": "lower('PW-') || id",
}
PROOF = {
    "postgresql": "SELECT count(*) FROM accounts WHERE pw = crypt('password', pw)",
    "mysql": "SELECT count(*) FROM accounts WHERE pw = SHA2('password', 256)",
    "sqlite": "SELECT count(*) FROM accounts WHERE pw = 'pw-' || id",
}


def _family(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0].replace("mariadb", "mysql")


def _schema(url: str) -> None:
    fam = _family(url)
    pk, text = PK[fam], TEXT[fam]
    if fam == "postgresql":
        run_sql(url, "CREATE EXTENSION IF NOT EXISTS pgcrypto")
    run_sql(
        url,
        f"CREATE TABLE users ({pk}, email {text} NOT NULL, is_active INT NOT NULL);"
        f"CREATE TABLE accounts ({pk}, code {text} NOT NULL UNIQUE, name {text} NOT NULL,"
        f" pw {text} NOT NULL, stamp {text}, ref {text});"
        f"CREATE TABLE orders ({pk}, user_id INT NOT NULL REFERENCES users (id),"
        f" account_id INT NOT NULL REFERENCES accounts (id), note {text} NOT NULL);"
        "INSERT INTO users (id, email, is_active) VALUES (1, 'a@x', 1), (2, 'b@x', 0),"
        " (3, 'c@x', 1), (7, 'g@x', 1), (8, 'h@x', 0)",
    )


def _spec(tmp: Path, url: str) -> str:
    fam = _family(url)
    path = tmp / "seed.yaml"
    path.write_text(
        "seedspec: 1\nseed: 9\ntables:\n"
        "  accounts:\n    count: 6\n    columns:\n"
        "      code: {python: ulid}\n"
        f'      pw: {{sql: "{HASH[fam]}"}}\n'
        '      stamp: {sql: "upper(name)"}\n'
        "      ref: {python: order_code, args: {prefix: ACC}}\n"
        "  orders:\n    count: 40\n    columns:\n"
        '      user_id: {existing: {table: users, where: "is_active = 1"}}\n'
        "      note: {sql: \"'n'\"}\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture(params=["sqlite_url", "pg_url", "mysql_url"])
def db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.syspath_prepend(str(PLUGINS))  # the demo plug-in's dist-info: a real entry point
    url: str = request.getfixturevalue(request.param)
    _schema(url)
    return url


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "default"])
def test_hatches_load_what_they_promise(db: str, tmp_path: Path, bulk: bool) -> None:
    report, compiled = apply(_spec(tmp_path, db), db, bulk=bulk)
    assert compiled.load_path == ("bulk" if bulk and _family(db) != "sqlite" else "default")
    assert scalar(db, "SELECT count(*) FROM accounts") == 6
    assert scalar(db, PROOF[_family(db)]) == 6  # the database computed every pw
    assert scalar(db, "SELECT count(*) FROM accounts WHERE stamp = upper(name)") == 6
    codes = [r[0] for r in query(db, "SELECT code FROM accounts ORDER BY id")]
    assert all(len(c) == 26 for c in codes) and codes == sorted(codes)  # ulid: row order
    refs = [r[0] for r in query(db, "SELECT ref FROM accounts ORDER BY id")]
    assert [r.split("-")[:2] for r in refs] == [["ACC", str(i)] for i in range(1, 7)]
    picked = {r[0] for r in query(db, "SELECT DISTINCT user_id FROM orders")}
    assert picked == {1, 3, 7}  # only rows already there, only active ones (40 draws of 3)
    assert scalar(db, "SELECT count(*) FROM users") == 5  # left alone: never written
    assert scalar(db, "SELECT count(*) FROM orders WHERE note = 'n'") == 40


def test_hatches_are_deterministic_given_the_same_existing_rows(db: str, tmp_path: Path) -> None:
    spec = _spec(tmp_path, db)
    first, target = plan(spec, db)
    target.close()
    again, target = plan(spec, db)
    target.close()
    assert first.digest() == again.digest()
    recipe = first.recipe("orders")
    assert recipe is not None
    col = next(c for c in recipe.columns if c.name == "user_id")
    assert col.recipe.params.value()["values"] == [1, 3, 7]  # type: ignore[attr-defined]
    run_sql(db, "INSERT INTO users (id, email, is_active) VALUES (9, 'i@x', 1)")
    changed, target = plan(spec, db)
    target.close()
    assert changed.digest() != first.digest()  # other existing rows: another plan


def test_existing_with_no_matching_row_is_refused_before_any_write(db: str, tmp_path: Path) -> None:
    path = Path(_spec(tmp_path, db))
    path.write_text(path.read_text().replace("is_active = 1", "is_active = 5"))
    with pytest.raises(SeedspecError, match="no existing rows in 'users' WHERE is_active = 5"):
        apply(str(path), db)
    assert scalar(db, "SELECT count(*) FROM accounts") == 0


def test_export_writes_the_sql_expression_into_seed_sql(db: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(_spec(tmp_path, db), db, out=str(out))
    script = (out / "seed.sql").read_text(encoding="utf-8")
    assert HASH[_family(db)] in script and "UPDATE" in script
