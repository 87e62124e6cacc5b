"""The inference tables, row by row, on real database columns of that name and type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import query, run_sql
from dbcheck import violations

from seedspec.analysis.infer import provider_for
from seedspec.analysis.names import NAME_DATES, NAME_NUMBERS, NAME_PROVIDERS
from seedspec.api import apply
from seedspec.database.model import DbColumn, DbTable

# One example column name per NAME_PROVIDERS row (same order), and what its values look like.
EXAMPLES = [
    "email",
    "first_name",
    "last_name",
    "full_name",
    "username",
    "phone",
    "address",
    "city",
    "state",
    "country",
    "postal_code",
    "company",
    "job_title",
    "website_url",
    "hostname",
    "ip_address",
    "description",
    "title_of_courtesy",
    "gender",
    "language",
    "nationality",
    "country_code",
    "street_name",
    "password_hash",
    "api_key",
    "user_agent",
    "uri",
    "isbn",
    "barcode",
    "locale",
    "university",
    "bank_name",
    "timezone",
    "continent",
    "headline",
    "slug",
    "currency",
    "colour",
    "file_name",
    "mime_type",
    "file_path",
]
LOOKS_LIKE = {
    "person.email": r"[^@\s]+@[^@\s]+\.\w+",
    "person.first_name": r"[A-Z][a-z'\-]+",
    "person.last_name": r"[A-Z][A-Za-z'\- ]+",
    "person.full_name": r"[A-Z][\w'\-]+ [A-Z][\w'\- ]+",
    "person.username": r"[\w.\-]+",
    "person.telephone": r"\+?[\d\-() ]{7,}",
    "address.address": r"\d+ [\w .'\-]+",
    "address.city": r"[A-Z][\w .'\-]+",
    "address.state": r"[A-Z][\w .'\-]+",
    "address.country": r"\w[\w .,'&()\-]+",
    "address.postal_code": r"[\w\- ]{3,10}",
    "finance.company": r"\S.+",
    "person.occupation": r"[A-Z].+",
    "internet.url": r"https?://\S+",
    "internet.hostname": r"[\w\-]+(\.[\w\-]+)+",
    "internet.ip_v4": r"\d{1,3}(\.\d{1,3}){3}",
    "text.sentence": r"[A-Z].+",
    "person.title": r"\S+",
    "person.gender": r"\w+",
    "person.language": r"[A-Z][\w '\-()]+",
    "person.nationality": r"[A-Z][\w '\-]+",
    "address.country_code": r"[A-Z]{2}",
    "address.street_name": r"[A-Z][\w .'\-]+",
    "cryptographic.hash": r"[0-9a-f]{32,}",
    "cryptographic.token_hex": r"[0-9a-f]{32,}",
    "internet.user_agent": r"[A-Z]\w+/[\d.]+ .+",
    "internet.uri": r"\w+://\S+",
    "code.isbn": r"[\d\-X]{10,17}",
    "code.ean": r"\d{8,13}",
    "code.locale_code": r"[a-z]{2}(-[a-z]{2})?",
    "person.university": r"[A-Z].+",
    "finance.bank": r"[A-Z].+",
    "datetime.timezone": r"[A-Z][\w/+\-]+",
    "address.continent": r"[A-Z][\w ]+",
    "text.title": r"[A-Z].+",
    "internet.slug": r"[a-z0-9]+(-[a-z0-9]+)*",
    "finance.currency_iso_code": r"[A-Z]{3}",
    "text.color": r"[A-Z][a-zA-Z ]+",
    "file.file_name": r"[\w\-]+(\.\w+)+",
    "file.mime_type": r"[\w.+\-]+/[\w.+\-]+",
    "path.project_dir": r"/[\w/.+#\- ]+",
}
NUMBER_EXAMPLES = [
    "price_cents",
    "unit_price",
    "salary",
    "quantity",
    "latitude",
    "longitude",
    "age",
    "rating",
    "percent",
    "discount",
    "priority",
    "status",
    "is_active",
    "year",
]


def test_every_name_row_has_an_example_that_selects_it() -> None:
    assert len(EXAMPLES) == len(NAME_PROVIDERS)
    table = DbTable("people")
    for name, (_, provider) in zip(EXAMPLES, NAME_PROVIDERS, strict=True):
        assert provider_for(table, DbColumn(name, "varchar")) == provider, name
        assert provider in LOOKS_LIKE, provider
    assert len(NUMBER_EXAMPLES) == len(NAME_NUMBERS)
    for name, (pattern, _) in zip(NUMBER_EXAMPLES, NAME_NUMBERS, strict=True):
        assert re.search(pattern, name), name


def test_name_rows_on_real_columns(pg_url: str, tmp_path: Path, monkeypatch) -> None:
    cols = ", ".join(f'"{n}" varchar(200) NOT NULL' for n in EXAMPLES)
    run_sql(pg_url, f"CREATE TABLE person (id serial PRIMARY KEY, {cols})")
    monkeypatch.chdir(tmp_path)
    apply(None, pg_url, scale=5)  # 100 rows
    for name, (_, provider) in zip(EXAMPLES, NAME_PROVIDERS, strict=True):
        values = [r[0] for r in query(pg_url, f'SELECT "{name}" FROM person')]
        bad = [v for v in values if not re.fullmatch(LOOKS_LIKE[provider], v)]
        assert not bad, f"{name} ({provider}): {bad[:3]}"
        if name == "country":  # beside a city and a state: the locale's (en) own country
            assert set(values) == {"United States"}, set(values)
            continue
        assert len(set(values)) > 1, f"{name}: a single value"


def test_number_and_date_rows_on_real_columns(pg_url: str, tmp_path: Path, monkeypatch) -> None:
    cols = ", ".join(
        f'"{n}" numeric(12,2) NOT NULL'
        if n in ("unit_price", "salary", "discount")
        else f'"{n}" double precision NOT NULL'
        if n in ("latitude", "longitude")
        else f'"{n}" integer NOT NULL'
        for n in NUMBER_EXAMPLES
    )
    date_columns = ("birth_date", "expires_on", "hire_date")  # one per NAME_DATES row
    dates = ", ".join(f'"{p}" date NOT NULL' for p in date_columns)
    run_sql(
        pg_url,
        f"CREATE TABLE staff (id serial PRIMARY KEY, {cols}, {dates}, "
        "created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, "
        "deleted_at timestamptz NULL)",
    )
    monkeypatch.chdir(tmp_path)
    apply(None, pg_url, scale=25)  # 500 rows
    for name, (_, params) in zip(NUMBER_EXAMPLES, NAME_NUMBERS, strict=True):
        lo, hi = query(pg_url, f'SELECT min("{name}"), max("{name}") FROM staff')[0]
        assert params["min"] <= float(lo) and float(hi) <= params["max"], name
    for (pattern, start, end), column in zip(NAME_DATES, date_columns, strict=True):
        assert re.search(pattern, column)
        lo, hi = query(pg_url, f"SELECT min({column})::text, max({column})::text FROM staff")[0]
        assert start <= lo and hi <= end, column
    assert (
        query(
            pg_url,
            "SELECT count(*) FROM staff WHERE updated_at < created_at OR deleted_at < created_at",
        )[0][0]
        == 0
    )
    deleted = query(pg_url, "SELECT count(deleted_at) FROM staff")[0][0]
    assert 0 < deleted < 250  # most rows are not deleted


# Every type kind inference knows, on a real column of that type.
PG_TYPES = {
    "smallint": "smallint",
    "integer": "integer",
    "bigint": "bigint",
    "numeric": "numeric(8,3)",
    "float": "real",
    "boolean": "boolean",
    "char": "char(3)",
    "varchar": "varchar(12)",
    "text": "text",
    "date": "date",
    "time": "time",
    "timestamp": "timestamp",
    "timestamptz": "timestamptz",
    "interval": "interval",
    "uuid": "uuid",
    "json": "jsonb",
    "bytes": "bytea",
    "enum": "mood",
    "array": "text[]",
    "inet": "inet",
    "cidr": "cidr",
    "macaddr": "macaddr",
    "xml": "xml",
    "tsvector": "tsvector",
    "bit": "bit(5)",
    "money": "money",
    "range": "int4range",
    "domain": "posint",
}
MYSQL_TYPES = {
    "tinyint": "tinyint unsigned",
    "mediumint": "mediumint",
    "year": "year",
    "enum": "enum('a','b')",
    "set": "set('x','y')",
    "json": "json",
    "blob": "blob",
    "datetime": "datetime",
    "decimal": "decimal(6,2)",
    "bool": "boolean",
    "bit": "bit(3)",
}


def test_every_postgresql_type_kind(pg_url: str, tmp_path: Path, monkeypatch) -> None:
    cols = ", ".join(f"c_{k} {t} NOT NULL" for k, t in PG_TYPES.items())
    run_sql(
        pg_url,
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); "
        "CREATE DOMAIN posint AS integer CHECK (VALUE > 0 AND VALUE < 50); "
        f"CREATE TABLE kinds (id serial PRIMARY KEY, {cols})",
    )
    monkeypatch.chdir(tmp_path)
    apply(None, pg_url, scale=5)
    assert query(pg_url, "SELECT count(*) FROM kinds")[0][0] == 100
    assert violations(pg_url) == []
    assert query(pg_url, "SELECT count(DISTINCT c_enum), min(c_domain), max(c_domain) FROM kinds")[
        0
    ][:1] == (3,)
    lo, hi = query(pg_url, "SELECT min(c_domain), max(c_domain) FROM kinds")[0]
    assert lo > 0 and hi < 50


def test_every_mysql_type_kind(mysql_url: str, tmp_path: Path, monkeypatch) -> None:
    cols = ", ".join(f"c_{k} {t} NOT NULL" for k, t in MYSQL_TYPES.items())
    run_sql(mysql_url, f"CREATE TABLE kinds (id int AUTO_INCREMENT PRIMARY KEY, {cols})")
    monkeypatch.chdir(tmp_path)
    apply(None, mysql_url, scale=5)
    lo, hi, years = query(
        mysql_url, "SELECT min(c_tinyint), max(c_tinyint), count(DISTINCT c_year) FROM kinds"
    )[0]
    assert lo >= 0 and hi <= 255 and years > 5
    assert query(mysql_url, "SELECT count(*) FROM kinds WHERE NOT json_valid(c_json)")[0][0] == 0
    assert set(r[0] for r in query(mysql_url, "SELECT DISTINCT c_set FROM kinds")) <= {"x", "y"}


@pytest.mark.parametrize(
    "dist", ["uniform", "normal", "lognormal", "exponential", "geometric", "poisson", "zipf"]
)
def test_spec_distributions_land_in_the_database(dist: str, sqlite_url: str, tmp_path: Path):
    run_sql(sqlite_url, "CREATE TABLE draws (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
    params = {
        "normal": "mean: 50, sigma: 10",
        "lognormal": "mu: 3, sigma: 0.5",
        "exponential": "lambda: 0.1",
        "geometric": "p: 0.2",
        "poisson": "mean: 30",
        "zipf": "s: 1.5",
    }.get(dist, "")
    spec = tmp_path / "s.yaml"
    spec.write_text(
        f"seedspec: 1\ntables:\n  draws:\n    count: 2000\n    columns:\n"
        f"      v: {{int: {{min: 1, max: 100, dist: {dist}{', ' if params else ''}"
        f"{params}}}}}\n"
    )
    apply(str(spec), sqlite_url)
    values = [r[0] for r in query(sqlite_url, "SELECT v FROM draws")]
    assert len(values) == 2000 and min(values) >= 1 and max(values) <= 100
    mean = sum(values) / len(values)
    expected = {"uniform": 50.5, "normal": 50, "poisson": 30, "geometric": 5.0}.get(dist)
    if expected is not None:
        assert abs(mean - expected) < expected * 0.06, (dist, mean)
    if dist == "zipf":
        assert values.count(1) > values.count(2) > values.count(5)
