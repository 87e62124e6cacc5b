"""The documented limits (seedspec/spec/limits.py) -> validate errors at file:line:col, the
JSON Schema stating the same numbers, and a tree deeper than a float's exponent."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from seedspec.errors import SpecError
from seedspec.generate.links import tree_levels
from seedspec.spec import limits
from seedspec.spec.validate import load_spec

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "seedspec-1.schema.json").read_text())
DEFS = SCHEMA["definitions"]


def _run(verb: str, tmp_path: Path, ddl: str, spec_text: str) -> subprocess.CompletedProcess[str]:
    """`seedspec VERB seed.yaml --db <fresh SQLite file made by ddl> -o json`, as a user runs it."""
    import sqlite3

    db = tmp_path / "t.db"
    with sqlite3.connect(db) as conn:
        conn.execute(ddl)
    spec = tmp_path / "seed.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    cmd = [sys.executable, "-m", "seedspec.cli.app", verb, str(spec), "--db", f"sqlite:///{db}"]
    return subprocess.run([*cmd, "-o", "json"], capture_output=True, text=True, timeout=120)


def test_schema_states_the_limits() -> None:
    count = DEFS["count"]["oneOf"]
    length = DEFS["column_array"]["properties"]["array"]["properties"]["length"]["oneOf"]
    ints = DEFS["column_int"]["properties"]["int"]["properties"]
    assert SCHEMA["properties"]["scale"]["maximum"] == limits.MAX_SCALE
    assert DEFS["profile"]["properties"]["scale"]["maximum"] == limits.MAX_SCALE
    assert count[0]["maximum"] == limits.MAX_COUNT
    assert count[1]["properties"]["min"]["maximum"] == limits.MAX_PER_PARENT
    assert count[1]["properties"]["max"]["maximum"] == limits.MAX_PER_PARENT
    assert DEFS["tree"]["properties"]["max_depth"]["maximum"] == limits.MAX_TREE_DEPTH
    assert length[0]["maximum"] == limits.MAX_ARRAY_LENGTH
    assert length[1]["properties"]["max"]["maximum"] == limits.MAX_ARRAY_LENGTH
    for key in ("min", "max"):
        assert (ints[key]["minimum"], ints[key]["maximum"]) == (limits.INT_MIN, limits.INT_MAX)
    for seed in (SCHEMA["properties"]["seed"], DEFS["profile"]["properties"]["seed"]):
        assert (seed["minimum"], seed["maximum"]) == (limits.INT_MIN, limits.INT_MAX)


OVER = [
    ("scale", f"scale: {limits.MAX_SCALE * 10}\ntables: {{t: {{count: 1}}}}", 2),
    ("count", f"tables:\n  t: {{count: {limits.MAX_COUNT + 1}}}", 3),
    ("per-max", f"tables:\n  t: {{count: {{per: p, max: {limits.MAX_PER_PARENT + 1}}}}}", 3),
    ("depth", f"tables:\n  t: {{tree: {{parent: p, max_depth: {limits.MAX_TREE_DEPTH + 1}}}}}", 3),
    (
        "array",
        f"tables:\n  t:\n    columns:\n      a: {{array: {{of: {{int: {{}}}}, length: "
        f"{limits.MAX_ARRAY_LENGTH + 1}}}}}",
        5,
    ),
    ("int", f"tables:\n  t:\n    columns:\n      n: {{int: {{max: {2**63}}}}}", 5),
    ("int-low", f"tables:\n  t:\n    columns:\n      n: {{int: {{min: {-(2**63) - 1}}}}}", 5),
    # a seed the apply ledger's BIGINT cannot record (spec fuzzer, SEEDSPEC_SPEC_FUZZ_SEED=3:
    # exit 70 at apply, "Python int too large to convert to SQLite INTEGER")
    ("seed", f"seed: {2**63}\ntables: {{t: {{count: 1}}}}", 2),
    ("profile-seed", f"profiles:\n  p: {{seed: {-(2**63) - 1}}}\ntables: {{t: {{count: 1}}}}", 3),
]


@pytest.mark.parametrize(("name", "body", "line"), OVER, ids=[o[0] for o in OVER])
def test_over_a_limit_is_a_located_validate_error(
    tmp_path: Path, name: str, body: str, line: int
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(f"seedspec: 1\n{body}\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(str(path))
    located = [p for p in info.value.problems if p.location and p.location.line == line]
    assert located, [p.format() for p in info.value.problems]
    assert any("must be <=" in p.message or "must be >=" in p.message for p in located), [
        p.message for p in located
    ]


def test_scaled_count_over_the_limit_is_a_compile_error_not_a_crash(tmp_path: Path) -> None:
    """count x scale can pass each limit alone: plan stops with exit 3 and says which table."""
    spec = f"seedspec: 1\nscale: {limits.MAX_SCALE}\ntables:\n  t: {{count: 10000000}}\n"
    done = _run("plan", tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)", spec)
    assert done.returncode == 3, done.stdout + done.stderr
    doc = json.loads(done.stdout)
    codes = {e["kind"] for e in doc["errors"]}
    assert "count-over-limit" in codes, doc
    assert (tmp_path / "t.db").stat().st_size > 0


def _old_levels(count: int, max_depth: int, roots: float | None) -> list[int]:
    """The formula before the overflow fix (weights 2**k), for depths it could compute."""
    share = roots if roots is not None else (0.04 if max_depth > 1 else 1.0)
    n_roots = min(count, max(1, round(count * share)))
    rest = count - n_roots
    weights = [2.0**k for k in range(max_depth - 1)]
    starts, given = [0, n_roots], 0
    for i, w in enumerate(weights):
        size = rest - given if i == len(weights) - 1 else round(rest * w / sum(weights))
        given += size
        if size > 0:
            starts.append(starts[-1] + size)
    return starts


@pytest.mark.parametrize("depth", [1, 2, 4, 9, 60, 500])
def test_tree_levels_unchanged_where_they_were_computable(depth: int) -> None:
    for count in (1, 7, 1000, 123457):
        assert tree_levels(count, depth, None) == _old_levels(count, depth, None)
        assert tree_levels(count, depth, 0.2) == _old_levels(count, depth, 0.2)


def test_tree_at_the_depth_limit_has_every_row() -> None:
    starts = tree_levels(10**6, limits.MAX_TREE_DEPTH, None)
    assert starts[0] == 0 and starts[-1] == 10**6
    assert all(b > a for a, b in zip(starts, starts[1:], strict=False))


def test_sqlite_rowid_key_holds_more_than_a_32_bit_count(tmp_path: Path) -> None:
    """INTEGER PRIMARY KEY is SQLite's 64-bit rowid: 3e9 rows are not capped at 2^31 - 1."""
    spec = "seedspec: 1\ntables:\n  t:\n    count: 3000000000\n    columns:\n"
    spec += "      n: {int: {min: 1, max: 9}}\n"
    done = _run("plan", tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)", spec)
    assert done.returncode == 0, done.stdout + done.stderr
    recipes = json.loads(done.stdout)["result"]["plan"]["recipes"]
    assert [r["count"] for r in recipes if r["name"] == "t"] == [3_000_000_000]


@pytest.mark.parametrize("count", ["    count: 20\n", ""], ids=["fixed", "inferred"])
def test_spec_unique_choice_over_its_values_is_refused_not_a_hang(
    tmp_path: Path, count: str
) -> None:
    """`unique: true` on a choice of 2 values for 20 rows (no UNIQUE in the database): a
    located error before anything is written (validate's, exit 1, for a fixed count; the
    compiler's unique-capacity, exit 3, for one it decides) — apply used to loop forever."""
    spec = f"seedspec: 1\ntables:\n  posts:\n{count}    columns:\n"
    spec += "      title: {choice: {a: 1, b: 0.0}, unique: true}\n"
    ddl = "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL)"
    done = _run("apply", tmp_path, ddl, spec)
    assert done.returncode in (1, 3), done.stdout + done.stderr
    errors = json.loads(done.stdout)["errors"]
    line = 6 if count else 5
    hit = [e for e in errors if e.get("line") == line and "distinct" in e["message"]]
    assert hit and "title" in hit[0]["message"], errors
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (0,)
