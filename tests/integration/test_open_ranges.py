"""Written generators that leave a side open, on columns a CHECK or a type bounds (issue 11).

Input: a scratch SQLite and PostgreSQL database holding one table whose columns are CHECKed
(BETWEEN, one-sided, strict, dates, a timestamp, a length) and a spec writing `int: {}`,
`int: {max: 20}`, `float: {min: 0.5}`, `decimal: {}`, `date: {}`, `datetime: {from: ...}`,
`gen:`; on PostgreSQL also `int: {min: 30000}` on a SMALLINT. Output: assertions, by query after
apply, that every column's min / max lies within its CHECK (and type) while spreading over it,
and that a written side past the CHECK's other side is a located exit-3 error, nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sql, scalar
from corpus_audit import run_apply

DDL = """CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 150),
    rank INTEGER NOT NULL CHECK (rank > 10),
    score REAL NOT NULL CHECK (score >= -1 AND score < 1),
    balance NUMERIC(10, 2) NOT NULL CHECK (balance > 0 AND balance <= 99.5),
    born DATE NOT NULL CHECK (born > '2030-01-01' AND born <= '2030-12-31'),
    seen TIMESTAMP NOT NULL CHECK (seen < '2001-01-01'),
    code VARCHAR(20) NOT NULL CHECK (length(code) <= 3),
    small SMALLINT NOT NULL
)"""
SPEC = """seedspec: 1
seed: 11
tables:
  people:
    count: 400
    columns:
      age: {int: {}}
      rank: {int: {max: 20}}
      score: {float: {min: 0.5}}
      balance: {decimal: {}}
      born: {date: {}}
      seen: {datetime: {from: "2000-06-01"}}
      code: {gen: text.word}
      small: {int: {min: 30000}}
"""
BAD = """seedspec: 1
tables:
  people:
    count: 5
    columns:
      age: {int: {min: 200}}
"""


def _range(url: str, column: str) -> tuple[object, object]:
    return (
        scalar(url, f"SELECT min({column}) FROM people"),
        scalar(url, f"SELECT max({column}) FROM people"),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


def test_open_sides_take_the_check_bounds(url: str, tmp_path: Path) -> None:
    """Every row passes every CHECK, and each open side reaches toward the CHECK's bound."""
    run_sql(url, DDL)
    (tmp_path / "seed.yaml").write_text(SPEC, encoding="utf-8")
    done = run_apply(url, tmp_path, "seed.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert scalar(url, "SELECT count(*) FROM people") == 400
    lo, hi = _range(url, "age")
    assert 0 <= lo < 10 and 140 < hi <= 150, (lo, hi)  # type: ignore[operator]
    lo, hi = _range(url, "rank")
    assert lo == 11 and hi == 20, (lo, hi)
    lo, hi = _range(url, "score")
    assert 0.5 <= lo < 0.55 and 0.95 < hi < 1, (lo, hi)  # type: ignore[operator]
    lo, hi = _range(url, "balance")
    assert 0 < float(lo) < 5 and 95 < float(hi) <= 99.5, (lo, hi)  # type: ignore[arg-type]
    lo, hi = _range(url, "born")
    assert "2030-01-02" <= str(lo) < "2030-02-01" and "2030-12-01" < str(hi) <= "2030-12-31"
    lo, hi = _range(url, "seen")
    assert "2000-06-01" <= str(lo) < "2000-07-01" and "2000-12-01" < str(hi) < "2001-01-01"
    assert scalar(url, "SELECT max(length(code)) FROM people") == 3
    lo, hi = _range(url, "small")
    assert lo >= 30000, lo  # type: ignore[operator]
    if url.startswith("postgresql"):  # the SMALLINT bounds the open max (SQLite stores any)
        assert 32000 < hi <= 32767, hi  # type: ignore[operator]
    broken = (
        "SELECT count(*) FROM people WHERE NOT (age BETWEEN 0 AND 150 AND rank > 10 AND "
        "score >= -1 AND score < 1 AND balance > 0 AND balance <= 99.5 AND "
        "born > '2030-01-01' AND born <= '2030-12-31' AND seen < '2001-01-01' AND "
        "length(code) <= 3)"
    )
    assert scalar(url, broken) == 0


def test_a_written_side_past_the_checks_other_side_is_located(url: str, tmp_path: Path) -> None:
    """`min: 200` alone under CHECK (age <= 150): exit 3 at the column's line, nothing written."""
    run_sql(url, DDL)
    (tmp_path / "seed.yaml").write_text(BAD, encoding="utf-8")
    done = run_apply(url, tmp_path, "seed.yaml")
    assert done.returncode == 3, done.stdout + done.stderr
    (err,) = [e for e in done.doc["errors"] if e.get("column") == "age"]
    assert err["kind"] == "range-outside-check" and err["line"] == 6, err
    assert "min 200 but CHECK requires <= 150" in err["message"]
    assert scalar(url, "SELECT count(*) FROM people") == 0
