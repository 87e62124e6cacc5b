"""The library API on a caller's Engine and Connection (PostgreSQL): an apply inside the caller's
open transaction is undone by its rollback, a failed one leaves that transaction usable, and the
production guard reads an Engine's URL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.errors import ApplyError, GuardRefused

pytestmark = pytest.mark.postgres

DDL = (
    "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE);"
    "CREATE TABLE marks (id serial PRIMARY KEY, note text)"
)


def _count(conn: sa.Connection, table: str) -> int:
    return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() or 0)


def test_connection_transaction_joined_and_rolled_back(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(DDL)
    spec = {"seedspec": 1, "tables": {"users": {"count": 6}, "marks": {"count": 0}}}
    with engine.connect() as conn:
        conn.begin()
        conn.execute(sa.text("INSERT INTO marks (note) VALUES ('mine')"))
        report, _ = seedspec.apply(spec, conn)
        assert report.rows == 6 and conn.in_transaction()
        assert _count(conn, "users") == 6 and _count(conn, "marks") == 1
        conn.rollback()
        assert _count(conn, "users") == 0 and _count(conn, "marks") == 0
    with engine.connect() as conn:  # a failure inside: only the savepoint rolled back
        conn.begin()
        conn.execute(sa.text("INSERT INTO marks (note) VALUES ('kept')"))
        bad = {
            "seedspec": 1,
            "tables": {"users": {"count": 3}, "marks": {"count": 0}},
            "after": [{"sql": "INSERT INTO users (id, email) VALUES (1, 'dup')"}],
        }
        with pytest.raises(ApplyError, match="rolled back to where the apply began"):
            seedspec.apply(bad, conn)
        assert _count(conn, "users") == 0 and _count(conn, "marks") == 1  # still usable
        conn.commit()
    with engine.connect() as conn:
        assert _count(conn, "marks") == 1
    engine.dispose()


def test_engine_applied_and_guarded(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(DDL)
    spec = seedspec.spec_from_yaml(
        "seedspec: 1\ntables:\n  users: {count: 4}\n  marks: {count: 2}\n"
    )
    seedspec.apply(spec, engine)
    with engine.connect() as conn:
        assert (_count(conn, "users"), _count(conn, "marks")) == (4, 2)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(GuardRefused):
        seedspec.apply(spec, engine, truncate=True)
    with engine.connect() as conn:
        assert _count(conn, "users") == 4
    engine.dispose()
