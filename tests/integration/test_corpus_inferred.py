"""Real schemas with no spec at all: every table gets rows, zero violations, next INSERT works."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import CORPUS, run_sql_file
from dbcheck import counts, violations

from seedspec.api import apply


@pytest.mark.parametrize("name", ["chinook", "northwind"])
def test_corpus_schema_seeds_with_no_spec(name: str, pg_url: str, tmp_path, monkeypatch) -> None:
    run_sql_file(pg_url, CORPUS / name / "schema.sql")
    monkeypatch.chdir(tmp_path)  # no ./seed.yaml here: the whole schema is inferred
    report, plan = apply(None, pg_url)
    seeded = counts(pg_url)
    assert seeded and all(n > 0 for n in seeded.values()), seeded
    assert {t.table: t.rows for t in report.tables} == seeded
    assert violations(pg_url) == []


def test_chinook_identity_keys_accept_the_next_plain_insert(pg_url: str, tmp_path, monkeypatch):
    run_sql_file(pg_url, CORPUS / "chinook" / "schema.sql")
    monkeypatch.chdir(tmp_path)
    apply(None, pg_url)
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:  # GENERATED ALWAYS identity: the app never names the key
        new_id = conn.exec_driver_sql(
            "INSERT INTO artist (name) VALUES ('next') RETURNING artist_id"
        ).scalar_one()
        top = conn.exec_driver_sql("SELECT max(artist_id) FROM artist WHERE name <> 'next'")
        assert new_id > top.scalar_one()
        conn.exec_driver_sql("INSERT INTO genre (name) VALUES ('next')")
    engine.dispose()
