"""Unique sets that cannot share one numbering (issue 10): disjoint sets of different shapes,
a triangle of pairs (a Latin square), pairs over FKs with few parents and narrow int ranges.
Applied on PostgreSQL, MariaDB and SQLite with a spec, audited by GROUP BY; a count over the
sets' capacity is one located error before any row is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sql, scalar
from dbcheck import violations

from seedspec.api import apply
from seedspec.errors import SeedspecError

_ID = {
    "postgresql": "id serial PRIMARY KEY",
    "mysql": "id int AUTO_INCREMENT PRIMARY KEY",
    "sqlite": "id INTEGER PRIMARY KEY",
}

DDL = """
CREATE TABLE rooms ({id}, name varchar(40) NOT NULL);
CREATE TABLE hosts ({id}, name varchar(40) NOT NULL);
CREATE TABLE pairs ({id},
    a int NOT NULL CHECK (a IN (1, 2)),
    b int NOT NULL CHECK (b BETWEEN 1 AND 10),
    c int NOT NULL CHECK (c BETWEEN 1 AND 10),
    d int NOT NULL CHECK (d IN (1, 2)),
    UNIQUE (a, b), UNIQUE (c, d));
CREATE TABLE grid ({id},
    a varchar(1) NOT NULL CHECK (a IN ('x', 'y', 'z')),
    b int NOT NULL CHECK (b IN (1, 2, 3)),
    c int NOT NULL CHECK (c IN (10, 20, 30)),
    UNIQUE (a, b), UNIQUE (b, c), UNIQUE (a, c));
CREATE TABLE bookings ({id},
    room_id int NOT NULL, host_id int NOT NULL,
    slot int NOT NULL CHECK (slot IN (1, 2, 3)),
    FOREIGN KEY (room_id) REFERENCES rooms (id), FOREIGN KEY (host_id) REFERENCES hosts (id),
    UNIQUE (room_id, slot), UNIQUE (host_id, slot), UNIQUE (room_id, host_id));
CREATE TABLE seats ({id},
    room_id int NOT NULL,
    seat int NOT NULL CHECK (seat BETWEEN 1 AND 4),
    row_no int NOT NULL CHECK (row_no IN (1, 2)),
    FOREIGN KEY (room_id) REFERENCES rooms (id),
    UNIQUE (room_id, seat), UNIQUE (seat, row_no))
"""

SPEC = """seedspec: 1
seed: 3
tables:
  rooms: {count: 3}
  hosts: {count: 3}
  pairs: {count: 20}
  grid: {count: 9}
  bookings: {count: 9}
  seats: {count: 8}
"""

SETS = {
    "pairs": ("a, b", "c, d"),
    "grid": ("a, b", "b, c", "a, c"),
    "bookings": ("room_id, slot", "host_id, slot", "room_id, host_id"),
    "seats": ("room_id, seat", "seat, row_no"),
}


def _url(request: pytest.FixtureRequest, dialect: str) -> str:
    fixture = {"postgresql": "pg_url", "mysql": "mysql_url", "sqlite": "sqlite_url"}[dialect]
    return str(request.getfixturevalue(fixture))


def _duplicates(url: str, table: str, cols: str) -> int:
    sql = f"SELECT count(*) FROM (SELECT {cols} FROM {table} GROUP BY {cols} HAVING count(*) > 1) g"
    return int(str(scalar(url, sql)))


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_unique_sets_with_their_own_digits_fill_to_capacity(
    request: pytest.FixtureRequest, dialect: str, tmp_path: Path
) -> None:
    url = _url(request, dialect)
    run_sql(url, DDL.format(id=_ID[dialect]))
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    apply(str(spec), url)
    assert violations(url) == []
    for table, count in (("pairs", 20), ("grid", 9), ("bookings", 9), ("seats", 8)):
        assert scalar(url, f"SELECT count(*) FROM {table}") == count, table
        for cols in SETS[table]:
            assert _duplicates(url, table, cols) == 0, f"{table} ({cols})"
    # each capacity is reached exactly: every (a, b) pair, every (room, host) pair is used
    assert scalar(url, "SELECT count(*) FROM (SELECT DISTINCT a, b FROM pairs) g") == 20
    assert scalar(url, "SELECT count(*) FROM (SELECT DISTINCT c, d FROM pairs) g") == 20


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_unique_sets_over_capacity_are_one_located_error(
    request: pytest.FixtureRequest, dialect: str, tmp_path: Path
) -> None:
    url = _url(request, dialect)
    run_sql(url, DDL.format(id=_ID[dialect]))
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC.replace("bookings: {count: 9}", "bookings: {count: 10}"))
    with pytest.raises(SeedspecError) as err:
        apply(str(spec), url)
    problems = getattr(err.value, "problems", None) or err.value.report.problems  # type: ignore[attr-defined]
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [p.format() for p in errors]  # once for the table, not per member
    assert "'bookings': 10 rows asked but only 9 distinct rows are possible" in errors[0].message
    assert (
        errors[0].location is not None and errors[0].location.line == 8
    )  # bookings: under tables:
    assert scalar(url, "SELECT count(*) FROM rooms") == 0  # nothing was written
