"""CHECKs comparing two FKs to one table beside other keys, applied through the CLI and audited.

1. UNIQUE (lo, tag) and UNIQUE (hi, tag): the second set reuses the first one's digit, so
   hi may not take lo's digit under CHECK (lo < hi) (refused at compile, exit 3, nothing
   written) and is drawn as lo + 1 mod n under CHECK (lo <> hi) (applies, both sets distinct).
2. One side one-to-one (UNIQUE first_id, or UNIQUE second_id), the other drawn at random:
   CHECK (first_id < second_id) is modelled (AbovePick), the count capped at n-1.
3. A pair the pickers cannot build (the low FK a digit of UNIQUE (first_id, tag)): the plan
   lists it under checks.oracle and the database judges the rows (the high FK redrawn).

Every apply is re-evaluated by query: PostgreSQL through tests/corpus_audit.audit (each CHECK
from the catalog, FK anti-joins, uniques, NOT NULLs), SQLite through sqlite_violations plus each
CHECK and UNIQUE as queries that must return 0.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_sql, scalar
from corpus_audit import audit, run_apply, sqlite_violations

SHARED = """
CREATE TABLE u (id INTEGER PRIMARY KEY);
CREATE TABLE e (id INTEGER PRIMARY KEY, lo INTEGER NOT NULL REFERENCES u,
  hi INTEGER NOT NULL REFERENCES u, tag VARCHAR(1) NOT NULL CHECK (tag IN ('a','b','c')),
  UNIQUE (lo, tag), UNIQUE (hi, tag), CHECK (lo {op} hi))
"""
SHARED_ZERO = (
    "SELECT count(*) FROM e WHERE lo = hi",
    "SELECT count(*) FROM e WHERE tag NOT IN ('a', 'b', 'c')",
    "SELECT count(*) - count(DISTINCT lo * 10 + CASE tag WHEN 'a' THEN 1 WHEN 'b' THEN 2 "
    "ELSE 3 END) FROM e",
    "SELECT count(*) - count(DISTINCT hi * 10 + CASE tag WHEN 'a' THEN 1 WHEN 'b' THEN 2 "
    "ELSE 3 END) FROM e",
)
ONE_TO_ONE = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE duels (id INTEGER PRIMARY KEY, first_id INTEGER NOT NULL {first} REFERENCES users,
  second_id INTEGER NOT NULL {second} REFERENCES users,
  CONSTRAINT duels_order CHECK (first_id < second_id))
"""
UNBUILT = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE duels (id INTEGER PRIMARY KEY, first_id INTEGER NOT NULL REFERENCES users,
  second_id INTEGER NOT NULL REFERENCES users,
  tag VARCHAR(1) NOT NULL CHECK (tag IN ('a', 'b', 'c')), UNIQUE (first_id, tag),
  CONSTRAINT duels_order CHECK (first_id < second_id))
"""
GOLDEN = Path(__file__).parents[1] / "golden" / "cases"
SPEC = "seedspec: 1\nseed: {seed}\ntables:\n  users:\n    count: 60\n  duels:\n    count: 20\n"


def _url(db: str, request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue({"postgresql": "pg_url", "sqlite": "sqlite_url"}[db]))


def _n(url: str, sql: str) -> int:
    return int(str(scalar(url, sql)))


def _audited(url: str, run_doc: dict, zero: tuple[str, ...]) -> None:
    """Every constraint re-evaluated by query, then the shape's own promises (each 0)."""
    if url.startswith("sqlite"):
        bad = sqlite_violations(url)
    else:
        result = audit(url, report=run_doc)
        assert result.checked["checks"] >= 1, result.summary()
        bad = result.violations
    assert not bad, "\n".join(bad)
    for sql in zero:
        assert _n(url, sql) == 0, sql


def _checks(url: str, tmp: Path, table: str, *args: str) -> dict[str, list[str]]:
    """The plan's `checks` coverage of one table (`plan -o json`)."""
    cmd = [sys.executable, "-m", "seedspec.cli.app", "plan", "--db", url, "-o", "json", *args]
    done = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    recipes = json.loads(done.stdout)["result"]["plan"]["recipes"]
    found = [t for t in recipes if t["name"] == table]
    assert found, [t["name"] for t in recipes]
    return dict(found[0]["checks"])


@pytest.mark.parametrize("db", ["postgresql", "sqlite"])
def test_strict_pair_never_reuses_one_digit(
    db: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _url(db, request)
    run_sql(url, SHARED.format(op="<"))
    run = run_apply(url, tmp_path)
    assert run.returncode == 3, f"exit {run.returncode}: {run.error}"
    assert "CHECK (lo < hi)" in run.error and "'e'" in run.error, run.error
    assert "CHECK constraint failed" not in run.error  # refused at compile, not at load
    assert _n(url, "SELECT count(*) FROM u") == 0  # nothing written


@pytest.mark.parametrize("db", ["postgresql", "sqlite"])
def test_differs_pair_sharing_one_digit(
    db: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _url(db, request)
    run_sql(url, SHARED.format(op="<>"))
    checks = _checks(url, tmp_path, "e")
    assert checks["oracle"] == checks["unjudged"] == [] and len(checks["modelled"]) == 2, checks
    run = run_apply(url, tmp_path, "--scale", "5")
    assert run.returncode == 0, run.error
    assert _n(url, "SELECT count(*) FROM e") == 100
    _audited(url, run.doc, SHARED_ZERO)


@pytest.mark.parametrize("db", ["postgresql", "sqlite"])
@pytest.mark.parametrize("side", ["first", "second"])
def test_one_to_one_side_of_an_ordered_pair(
    db: str, side: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _url(db, request)
    unique = {"first": "UNIQUE", "second": ""}, {"first": "", "second": "UNIQUE"}
    keys = unique[0] if side == "first" else unique[1]
    run_sql(url, ONE_TO_ONE.format(**keys))
    checks = _checks(url, tmp_path, "duels")
    assert "duels_order" in checks["modelled"], checks
    run = run_apply(url, tmp_path, "--scale", "3")
    assert run.returncode == 0, run.error
    users = _n(url, "SELECT count(*) FROM users")
    assert _n(url, "SELECT count(*) FROM duels") == users - 1  # the top user has no pair
    _audited(
        url,
        run.doc,
        (
            "SELECT count(*) FROM duels WHERE NOT (first_id < second_id)",
            f"SELECT count(*) - count(DISTINCT {side}_id) FROM duels",
            # the free side spreads over the users, not one of them
            "SELECT CASE WHEN count(DISTINCT first_id) + count(DISTINCT second_id) > "
            f"{users + 5} THEN 0 ELSE 1 END FROM duels",
        ),
    )


def test_pair_the_pickers_cannot_build_is_judged_by_the_oracle(pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, UNBUILT)
    (tmp_path / "seed.yaml").write_text(SPEC.format(seed=2))
    checks = _checks(pg_url, tmp_path, "duels", "seed.yaml")
    assert checks["oracle"] == ["duels_order"] and "duels_order" not in checks["modelled"]
    run = run_apply(pg_url, tmp_path, "seed.yaml")
    assert run.returncode == 0, run.error
    assert _n(pg_url, "SELECT count(*) FROM duels") == 20
    _audited(pg_url, run.doc, ("SELECT count(*) FROM duels WHERE NOT (first_id < second_id)",))


def test_golden_fk_pairs_schema_applies_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """tests/golden/cases/fk-pairs-pg: duels (first_id UNIQUE, CHECK (first_id < second_id))
    is listed as modelled only because it is built so, and no row of any table violates."""
    run_sql(pg_url, (GOLDEN / "fk-pairs-pg" / "schema.postgresql.sql").read_text())
    checks = _checks(pg_url, tmp_path, "duels")
    assert checks == {"modelled": ["duels_check"], "oracle": [], "unjudged": []}, checks
    run = run_apply(pg_url, tmp_path, "--scale", "3")
    assert run.returncode == 0, run.error
    assert _n(pg_url, "SELECT count(*) FROM duels") == _n(pg_url, "SELECT count(*) FROM users") - 1
    _audited(pg_url, run.doc, ("SELECT count(*) FROM duels WHERE NOT (first_id < second_id)",))
