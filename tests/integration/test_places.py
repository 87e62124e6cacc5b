"""Issue 15: a city tied to its country across a foreign key, by query on SQLite, PostgreSQL
and MariaDB. A country table seeded with no spec names countries seedspec knows the cities of,
one per row; a city table pointing at it takes cities of its row's country
(`lookup: country_id.country, as: city`), and so does a spec that says so; `init` writes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import query, run_sql
from corpus_audit import run_apply
from realism_audit import cities_by_country, realism

from seedspec.kinds.places import COUNTRY_LOCALES

DDL = """
CREATE TABLE country (country_id INTEGER PRIMARY KEY, country VARCHAR(50) NOT NULL);
CREATE TABLE city (city_id INTEGER PRIMARY KEY, city VARCHAR(50) NOT NULL,
  country_id INTEGER NOT NULL REFERENCES country (country_id));
CREATE TABLE address (address_id INTEGER PRIMARY KEY, address VARCHAR(50) NOT NULL,
  city_id INTEGER NOT NULL REFERENCES city (city_id))
"""
PAIRS = "SELECT ci.city, co.country FROM city ci JOIN country co ON co.country_id = ci.country_id"
SPEC = """seedspec: 1
seed: 5
tables:
  country:
    count: 3
    columns:
      country: {choice: [France, Deutschland, Atlantis], unique: true}
  city:
    count: 60
    columns:
      city: {lookup: country_id.country, as: city}
"""


def _in_their_countries(url: str) -> list[tuple[str, str]]:
    pairs = query(url, PAIRS)
    known = cities_by_country()
    assert pairs
    return [(c, k) for c, k in pairs if c not in known.get(k, set())]


def _no_spec(url: str, tmp_path: Path) -> None:
    run_sql(url, DDL)
    run = run_apply(url, tmp_path)
    assert run.returncode == 0, run.error
    countries = [k for (k,) in query(url, "SELECT country FROM country")]
    assert len(countries) == 20 and len(set(countries)) == 20  # one per row
    assert set(countries) <= set(COUNTRY_LOCALES)
    assert _in_their_countries(url) == []
    assert len({k for _, k in query(url, PAIRS)}) > 5  # cities of many countries
    result = realism(url)
    assert result.rules["places"].columns == 1 and result.violations == 0, result.summary()
    cmd = [sys.executable, "-m", "seedspec.cli.app", "init", "--stdout", "--db", url]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "city: {lookup: country_id.country, as: city}" in done.stdout


def _spec(url: str, tmp_path: Path) -> None:
    run_sql(url, DDL)
    (tmp_path / "seed.yaml").write_text(SPEC, encoding="utf-8")
    run = run_apply(url, tmp_path, str(tmp_path / "seed.yaml"))
    assert run.returncode == 0, run.error
    pairs = query(url, PAIRS)
    assert len(pairs) == 60
    wrong = _in_their_countries(url)
    # Atlantis has no cities seedspec knows: the locale's (en: the US's) stand in
    assert wrong and {k for _, k in wrong} == {"Atlantis"}
    us = cities_by_country()["United States"]
    assert all(c in us for c, _ in wrong)
    assert {k for _, k in pairs} - {"Atlantis"}  # the others are in their countries


def test_places_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    _no_spec(sqlite_url, tmp_path)


def test_places_spec_sqlite(tmp_path: Path) -> None:
    _spec(f"sqlite:///{tmp_path / 's.db'}", tmp_path)


@pytest.mark.postgres
def test_places_postgres(pg_url: str, tmp_path: Path) -> None:
    _no_spec(pg_url, tmp_path)


@pytest.mark.postgres
def test_places_spec_postgres(pg_url: str, tmp_path: Path) -> None:
    _spec(pg_url, tmp_path)


@pytest.mark.mariadb
def test_places_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _no_spec(mysql_url, tmp_path)


@pytest.mark.mariadb
def test_places_spec_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _spec(mysql_url, tmp_path)
