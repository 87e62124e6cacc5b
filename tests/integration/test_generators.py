"""Every first-set generator, applied for real and checked by query: ranges, laws, shares, keys."""

from __future__ import annotations

import re
import statistics
import uuid
from pathlib import Path

import pytest
from conftest import query, run_sql, scalar

SCHEMA = {
    "sqlite": """
        CREATE TABLE shop (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE item (
            id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL REFERENCES shop (id),
            pos INTEGER NOT NULL, code TEXT NOT NULL, qty INTEGER NOT NULL, weight REAL NOT NULL,
            score REAL NOT NULL, tier TEXT NOT NULL, color TEXT NOT NULL, active BOOLEAN NOT NULL,
            born DATE NOT NULL, seen TIMESTAMP NOT NULL, serial INTEGER NOT NULL,
            fixed TEXT NOT NULL, token TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE,
            nickname TEXT NULL, shop_name TEXT NOT NULL, pick INTEGER NOT NULL,
            price NUMERIC(7, 2) NOT NULL, opens TIME NOT NULL, tags TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT 'n/a', UNIQUE (shop_id, pos));""",
    "postgresql": """
        CREATE TABLE shop (id bigserial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE item (
            id bigserial PRIMARY KEY, shop_id bigint NOT NULL REFERENCES shop (id),
            pos int NOT NULL, code text NOT NULL, qty int NOT NULL, weight float8 NOT NULL,
            score float8 NOT NULL, tier text NOT NULL, color text NOT NULL, active boolean NOT NULL,
            born date NOT NULL, seen timestamptz NOT NULL, serial int NOT NULL,
            fixed text NOT NULL, token uuid NOT NULL UNIQUE, email varchar(40) NOT NULL UNIQUE,
            nickname text NULL, shop_name text NOT NULL, pick int NOT NULL,
            price numeric(7, 2) NOT NULL, opens time NOT NULL, tags text[] NOT NULL,
            note text NOT NULL DEFAULT 'n/a', UNIQUE (shop_id, pos));""",
}
SPEC = """
seedspec: 1
seed: 5
tables:
  shop:
    count: 50
    columns:
      name: {gen: finance.company}
  item:
    count: {per: shop, via: shop_id, min: 150, max: 250}
    columns:
      shop_id: {ref: shop}
      pos: {index_in_parent: 1}
      code: {template: "IT-{row:05d}-{pos}"}
      qty: {int: {min: 3, max: 9}}
      weight: {float: {min: 0, max: 100, dist: normal, mean: 50, sigma: 10}}
      score: {float: {min: 1, max: 2}}
      tier: {choice: {gold: 10, silver: 30, bronze: 60}}
      color: {choice: [red, green, blue]}
      active: {bool: 0.25}
      born: {date: {from: 2001-02-03, to: 2001-03-04}}
      seen: {datetime: {from: 2024-01-01T00:00:00, to: 2024-01-02T00:00:00}}
      serial: {sequence: {start: 1000, step: 5}}
      fixed: {const: same}
      token: {uuid: {}}
      email: {gen: person.email, unique: true}
      nickname: {gen: person.username, null: 0.3}
      shop_name: {lookup: shop_id.name}
      pick: {ref: shop.id, dist: zipf, s: 1.5}
      price: {decimal: {min: 1, max: 99.99, scale: 2}}
      opens: {time: {from: "08:00:00", to: "11:59:59"}}
      tags: {array: {of: {choice: [red, green, blue]}, length: {min: 1, max: 3}}}
      note: {default: true}
"""


@pytest.fixture(params=["sqlite_url", "pg_url"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    from seedspec.api import apply

    url: str = request.getfixturevalue(request.param)
    run_sql(url, SCHEMA["sqlite" if "sqlite" in url else "postgresql"])
    spec = tmp_path / "gen.yaml"
    spec.write_text(SPEC)
    apply(str(spec), url)
    return url


def col(url: str, sql: str) -> list:
    return [r[0] for r in query(url, sql)]


def test_counts_per_parent_and_index_in_parent(seeded: str) -> None:
    per_shop = col(seeded, "SELECT count(*) FROM item GROUP BY shop_id")
    assert len(per_shop) == 50 and min(per_shop) >= 150 and max(per_shop) <= 250
    assert (
        scalar(
            seeded,
            "SELECT count(*) FROM item i WHERE pos <> (SELECT count(*) FROM item j "
            "WHERE j.shop_id = i.shop_id AND j.pos <= i.pos)",
        )
        == 0
    )


def test_numbers_respect_bounds_and_laws(seeded: str) -> None:
    qty = col(seeded, "SELECT qty FROM item")
    assert min(qty) == 3 and max(qty) == 9 and len(set(qty)) == 7
    weight = col(seeded, "SELECT weight FROM item")
    assert min(weight) >= 0 and max(weight) <= 100
    assert abs(statistics.mean(weight) - 50) < 0.6 and abs(statistics.stdev(weight) - 10) < 0.6
    score = col(seeded, "SELECT score FROM item")
    assert min(score) >= 1 and max(score) <= 2 and abs(statistics.mean(score) - 1.5) < 0.02
    serial = sorted(col(seeded, "SELECT serial FROM item"))
    assert serial == list(range(1000, 1000 + 5 * len(serial), 5))


def test_choices_and_bools_follow_their_weights(seeded: str) -> None:
    n = scalar(seeded, "SELECT count(*) FROM item")
    tiers = dict(query(seeded, "SELECT tier, count(*) FROM item GROUP BY tier"))
    assert set(tiers) == {"gold", "silver", "bronze"}
    for tier, share in (("gold", 0.1), ("silver", 0.3), ("bronze", 0.6)):
        assert abs(tiers[tier] / n - share) < 0.02, tiers
    colors = dict(query(seeded, "SELECT color, count(*) FROM item GROUP BY color"))
    assert all(abs(c / n - 1 / 3) < 0.02 for c in colors.values()), colors
    active = scalar(seeded, "SELECT count(*) FROM item WHERE active")
    assert abs(active / n - 0.25) < 0.02
    nulls = scalar(seeded, "SELECT count(*) FROM item WHERE nickname IS NULL")
    assert abs(nulls / n - 0.3) < 0.02


def test_dates_templates_constants_uuids_and_uniques(seeded: str) -> None:
    born = col(seeded, "SELECT CAST(born AS TEXT) FROM item")
    assert min(born) >= "2001-02-03" and max(born) <= "2001-03-04" and len(set(born)) > 25
    seen = col(seeded, "SELECT CAST(seen AS TEXT) FROM item")
    assert all(s.startswith("2024-01-01") or s.startswith("2024-01-02 00:00:00") for s in seen)
    codes = col(seeded, "SELECT code || '|' || CAST(pos AS TEXT) FROM item ORDER BY id")
    assert all(re.fullmatch(r"IT-(\d{5})-(\d+)\|\2", c) for c in codes), codes[:3]
    assert codes[0].startswith("IT-00001-")  # {row} is 1-based
    assert set(col(seeded, "SELECT fixed FROM item")) == {"same"}
    tokens = col(seeded, "SELECT CAST(token AS TEXT) FROM item")
    assert all(uuid.UUID(t).version == 4 for t in tokens) and len(set(tokens)) == len(tokens)
    emails = col(seeded, "SELECT email FROM item")
    assert len(set(emails)) == len(emails) and all("@" in e and len(e) <= 40 for e in emails)


def test_lookup_copies_the_parent_value(seeded: str) -> None:
    assert (
        scalar(
            seeded,
            "SELECT count(*) FROM item i JOIN shop s ON s.id = i.shop_id "
            "WHERE i.shop_name <> s.name",
        )
        == 0
    )


def test_zipf_ref_is_skewed_and_stays_inside_the_parents(seeded: str) -> None:
    counts = sorted(col(seeded, "SELECT count(*) FROM item GROUP BY pick"), reverse=True)
    n = sum(counts)
    assert scalar(seeded, "SELECT count(*) FROM item WHERE pick NOT IN (SELECT id FROM shop)") == 0
    assert counts[0] / n > 0.3  # zipf s=1.5 over 50 parents: the top one takes ~38%
    assert counts[0] > 5 * counts[min(4, len(counts) - 1)]


def test_decimal_time_array_and_default(seeded: str) -> None:
    prices = [float(v) for v in col(seeded, "SELECT price FROM item")]
    assert min(prices) >= 1 and max(prices) <= 99.99
    assert all(round(p, 2) == p for p in prices)  # scale 2
    opens = col(seeded, "SELECT CAST(opens AS TEXT) FROM item")
    assert min(opens) >= "08:00:00" and max(opens) <= "11:59:59"
    assert set(col(seeded, "SELECT note FROM item")) == {"n/a"}  # the database default applied
    if "sqlite" in seeded:
        import json

        tags = [json.loads(t) for t in col(seeded, "SELECT tags FROM item")]
    else:
        tags = col(seeded, "SELECT tags FROM item")
    assert all(1 <= len(t) <= 3 and set(t) <= {"red", "green", "blue"} for t in tags)
