"""Issue 15 part 2, by query on SQLite, PostgreSQL and MariaDB: a small schema using the common
vocabulary of real schemas, seeded with no spec (`seedspec apply --db URL`), reads like data a
person would enter: people's and things' names without row numbers, slugs, titles, sentences,
small status / type domains, URLs, IPs, files, currencies, one locale's addresses, coordinates
in range, positive prices, lifecycle dates in order and in the past — and CHECKs still win.
Then tests/realism_audit.py finds no violation, and finds each one planted by hand."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import query, run_sql
from corpus_audit import run_apply
from realism_audit import cities_by_country, realism, us_states

DDL = """
CREATE TABLE customer (
  id INTEGER PRIMARY KEY, first_name VARCHAR(40) NOT NULL, last_name VARCHAR(40) NOT NULL,
  name VARCHAR(80) NOT NULL UNIQUE, email VARCHAR(120), website VARCHAR(200),
  ip_address VARCHAR(45), city VARCHAR(60), state VARCHAR(40), postal_code VARCHAR(12),
  country VARCHAR(60), status VARCHAR(20) NOT NULL, access_level INTEGER, priority SMALLINT,
  is_active SMALLINT, created_at {ts}, updated_at {ts}, born_on DATE, died_on DATE,
  currency CHAR(3));
CREATE TABLE product (
  id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE, slug VARCHAR(100) NOT NULL UNIQUE,
  title VARCHAR(120), description VARCHAR(255), body TEXT, notes VARCHAR(40),
  price NUMERIC(12,2) NOT NULL, cost NUMERIC(12,2), kind VARCHAR(20), visibility VARCHAR(10),
  image VARCHAR(100), file_name VARCHAR(100), mime_type VARCHAR(100), file_path VARCHAR(255),
  pickup_lat NUMERIC(8,6), pickup_lng NUMERIC(9,6), geo_latitude {float},
  geo_longitude {float}, created_at {ts}, published_at {ts}, starts_on DATE, ends_on DATE,
  expires_at {ts}, level INTEGER CHECK (level BETWEEN 10 AND 12));
CREATE TABLE ticket (
  id INTEGER PRIMARY KEY, customer_id INTEGER, title VARCHAR(60), state VARCHAR(20),
  opened_at {ts}, closed_at {ts}, status INTEGER CHECK (status IN (0, 1, 2)),
  billing_city VARCHAR(60), billing_state VARCHAR(40), billing_country VARCHAR(60),
  billing_postal_code VARCHAR(12), ship_city VARCHAR(60), ship_country VARCHAR(60),
  severity VARCHAR(10) CHECK (severity IN ('low', 'high')),
  FOREIGN KEY (customer_id) REFERENCES customer (id))
"""
NUMBERED = re.compile(r"-\d+$")
TITLE_WORDS = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+$")


def _ddl(url: str) -> str:
    mysql = url.startswith("mysql")
    return DDL.format(
        ts="DATETIME" if mysql else "TIMESTAMP",
        float="DOUBLE" if mysql else "DOUBLE PRECISION",
    )


def _seed(url: str, cwd: Path) -> None:
    run_sql(url, _ddl(url))
    run = run_apply(url, cwd, "--scale", "5")  # 100 rows per table
    assert run.returncode == 0, run.error


def _rows(url: str, table: str) -> list[dict]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            t = sa.Table(table, sa.MetaData(), autoload_with=conn)
            return [dict(r._mapping) for r in conn.execute(sa.select(t).order_by(t.c.id))]
    finally:
        engine.dispose()


def _moment(v: object) -> dt.datetime:
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    assert isinstance(v, dt.date), v
    return dt.datetime(v.year, v.month, v.day)


def _ordered(rows: list[dict], early: str, late: str) -> bool:
    pairs = [(r[early], r[late]) for r in rows if r[early] is not None and r[late] is not None]
    return bool(pairs) and all(_moment(a) <= _moment(b) for a, b in pairs)


def _check_customers(rows: list[dict]) -> None:
    assert len({r["name"] for r in rows}) == len(rows)  # UNIQUE, and still no row numbers
    for r in rows:
        assert not NUMBERED.search(r["name"]) and len(r["name"].split()) == 2, r["name"]
        assert not NUMBERED.search(r["first_name"]) and not NUMBERED.search(r["last_name"])
        assert re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", r["email"]), r["email"]
        assert re.match(r"^https?://[^/\s]+\.[a-z]+", r["website"]), r["website"]
        ipaddress.ip_address(r["ip_address"])
        assert r["country"] == "United States", r["country"]  # the locale (en) is the US
        assert r["city"] in cities_by_country()["United States"], r["city"]
        assert r["state"] in us_states(), r["state"]
        assert re.match(r"^\d{5}(-\d{4})?$", r["postal_code"]), r["postal_code"]
        assert r["status"] in ("active", "inactive", "pending", "archived")
        assert 0 <= r["access_level"] <= 4 and 1 <= r["priority"] <= 5
        assert r["is_active"] in (0, 1)
        assert re.match(r"^[A-Z]{3}$", r["currency"]), r["currency"]
        assert _moment(r["created_at"]) <= dt.datetime.now()
    assert _ordered(rows, "created_at", "updated_at")
    assert _ordered(rows, "born_on", "died_on")
    assert len({r["currency"] for r in rows}) > 1


def _check_products(rows: list[dict]) -> None:
    assert len({r["slug"] for r in rows}) == len(rows)
    for r in rows:
        assert TITLE_WORDS.match(r["name"]) and TITLE_WORDS.match(r["title"]), r
        assert re.match(r"^[a-z]+-[a-z]+$", r["slug"]), r["slug"]
        assert "lorem" not in (r["description"] + r["body"]).lower()
        assert Decimal("1") <= r["price"] <= Decimal("1000") and r["cost"] > 0
        assert r["visibility"] in ("public", "private", "internal")
        assert re.match(r"^[a-z]+\.(png|jpe?g|webp|gif)$", r["image"]), r["image"]
        assert "." in r["file_name"] and "/" in r["mime_type"]
        assert r["file_path"].startswith("/")
        assert abs(r["pickup_lat"]) <= 90 and abs(r["geo_latitude"]) <= 90
        assert abs(r["pickup_lng"]) <= 180 and abs(r["geo_longitude"]) <= 180
        assert 10 <= r["level"] <= 12  # the CHECK wins over the name's 0..4
        assert len(r["notes"]) <= 40
    assert len({r["kind"] for r in rows}) <= 4
    assert len({len(r["notes"]) for r in rows}) > 5  # natural lengths, not all cut to 40
    assert sum(r["body"].count(".") for r in rows) > 2 * len(rows)  # several sentences
    assert _ordered(rows, "created_at", "published_at")
    assert _ordered(rows, "starts_on", "ends_on")
    assert max(r["price"] for r in rows) > 4 * min(r["price"] for r in rows)  # amounts vary


def _check_tickets(rows: list[dict]) -> None:
    for r in rows:
        assert r["state"] in ("new", "open", "in_progress", "closed")
        assert r["status"] in (0, 1, 2) and r["severity"] in ("low", "high")
        # each owner's address reads as one locale's (billing_*, ship_*)
        assert r["billing_country"] == r["ship_country"] == "United States", r
        assert r["billing_city"] in cities_by_country()["United States"], r["billing_city"]
        assert r["billing_state"] in us_states(), r["billing_state"]
        assert re.match(r"^\d{5}(-\d{4})?$", r["billing_postal_code"]), r["billing_postal_code"]
    assert _ordered(rows, "opened_at", "closed_at")


def _check_all(url: str, tmp_path: Path) -> None:
    _seed(url, tmp_path)
    _check_customers(_rows(url, "customer"))
    _check_products(_rows(url, "product"))
    _check_tickets(_rows(url, "ticket"))
    result = realism(url)
    assert result.violations == 0, result.summary()
    assert all(r.columns for name, r in result.rules.items()), result.summary()


def test_vocabulary_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    _check_all(sqlite_url, tmp_path)


@pytest.mark.postgres
def test_vocabulary_postgres(pg_url: str, tmp_path: Path) -> None:
    _check_all(pg_url, tmp_path)


@pytest.mark.mariadb
def test_vocabulary_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _check_all(mysql_url, tmp_path)


def _written_spec_reads_alike(url: str, tmp_path: Path) -> None:
    """`init` writes the composed names out (`compose:`), and the spec it wrote, applied,
    gives rows that pass the same reading as inference's own."""
    run_sql(url, _ddl(url))
    cmd = [sys.executable, "-m", "seedspec.cli.app", "init", "--stdout", "--db", url]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = {line.split("#")[0].strip() for line in done.stdout.splitlines()}
    slug = 'slug: {gen: text.word, compose: {parts: [text.word, text.word], sep: "-", case: lower'

    assert any(line.startswith(slug) and line.endswith("unique: true}") for line in lines), lines
    spec = tmp_path / "seed.yaml"
    spec.write_text(done.stdout, encoding="utf-8")
    run = run_apply(url, tmp_path, str(spec))
    assert run.returncode == 0, run.error
    _check_customers(_rows(url, "customer"))
    _check_products(_rows(url, "product"))
    assert realism(url).violations == 0


def test_written_spec_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    _written_spec_reads_alike(sqlite_url, tmp_path)


@pytest.mark.postgres
def test_written_spec_postgres(pg_url: str, tmp_path: Path) -> None:
    _written_spec_reads_alike(pg_url, tmp_path)


@pytest.mark.mariadb
def test_written_spec_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _written_spec_reads_alike(mysql_url, tmp_path)


def test_same_seed_same_rows(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / f'{n}.db'}" for n in ("a", "b")]
    for n, url in enumerate(urls):
        (tmp_path / str(n)).mkdir()
        _seed(url, tmp_path / str(n))
    for table in ("customer", "product", "ticket"):
        assert _rows(urls[0], table) == _rows(urls[1], table)


def test_the_audit_counts_what_it_is_shown(sqlite_url: str) -> None:
    """Each rule finds a value planted to break it (the audit can fail)."""
    run_sql(sqlite_url, _ddl(sqlite_url))
    run_sql(
        sqlite_url,
        "INSERT INTO customer (id, first_name, last_name, name, email, website, city, country, "
        "status, access_level, created_at, updated_at) VALUES (1, 'Ann-1', 'Lee', 'Ann Lee-7', "
        "'not-an-email', 'ftp:/x', 'Berlin', 'United States', 's1', 22072, "
        "'2030-01-01 00:00:00', '2020-01-01 00:00:00');"
        + "".join(
            f"INSERT INTO customer (id, first_name, last_name, name, status) "
            f"VALUES ({i}, 'A', 'B', 'N{i}', 's{i}');"
            for i in range(2, 13)
        )
        + "INSERT INTO product (id, name, slug, price, pickup_lat, geo_longitude) VALUES "
        "(1, 'Lorem Ipsum', 'widget-3', 1, 91, -181);"
        "INSERT INTO ticket (id, billing_city, billing_country, ship_city, ship_country) "
        "VALUES (1, 'Berlin', 'United States', 'Boston', 'United States')",
    )
    result = realism(sqlite_url)
    counts = {name: r.violations for name, r in result.rules.items()}
    assert counts == {
        "emails": 1,
        "urls": 1,
        "dates ordered": 1,
        "no future": 1,
        "lat/lng": 2,
        "places": 2,  # customer's Berlin; the ticket's billing Berlin (its ship_city is fine)
        "person names": 2,
        "thing names": 1,
        "small domains": 3,  # access_level 22072; status: the 11th and 12th distinct values
    }, result.summary()
    assert query(sqlite_url, "SELECT count(*) FROM customer") == [(12,)]
