"""The spec fuzzer: hypothesis-built seed.yaml specs against a fixed SQLite schema, run in-process.

Input: random specs valid per seedspec-1.schema.json (fixed and per-parent counts, every kind of
the registry with extreme params, scale, profiles, after: SQL, trees). Output: assertions that
`validate`, `plan -o json` and (small counts) `apply` exit 0/1/2/3 only (never 70), print valid
JSON whose errors are Problems (spec errors located at file:line:col), stay under a memory
bound, and that an applied database holds the planned counts with no FK/UNIQUE/CHECK violation.
SEEDSPEC_SPEC_FUZZ_EXAMPLES raises the number of examples, SEEDSPEC_SPEC_FUZZ_SEED draws other ones
(README, "Longer fuzz runs").
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import string
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from seedspec.cli.app import app
from seedspec.generate.layouts import PerParentLayout
from seedspec.kinds import KINDS
from seedspec.spec.limits import INT_MAX, INT_MIN, MAX_COUNT, MAX_PER_PARENT, MAX_SCALE

SCHEMA = """
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  score REAL,
  balance NUMERIC(10, 2),
  born DATE,
  seen TIMESTAMP,
  status TEXT NOT NULL CHECK (status IN ('a', 'b', 'c')),
  data TEXT,
  raw BLOB
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  n INTEGER NOT NULL,
  title TEXT NOT NULL,
  created TIMESTAMP,
  edited TIMESTAMP,
  UNIQUE (user_id, n),
  CHECK (edited IS NULL OR edited >= created)
);
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES categories(id),
  name TEXT NOT NULL UNIQUE,
  rank INTEGER CHECK (rank > 0)
);
"""
TABLES = {
    "users": ["email", "age", "score", "balance", "born", "seen", "status", "data", "raw"],
    "posts": ["user_id", "n", "title", "created", "edited"],
    "categories": ["parent_id", "name", "rank"],
}
UNIQUES = {"users": [["email"]], "posts": [["user_id", "n"]], "categories": [["name"]]}
CHECKS = {
    "users": ["age IS NULL OR (age >= 0 AND age <= 150)", "status IN ('a', 'b', 'c')"],
    "posts": ["edited IS NULL OR created IS NULL OR edited >= created"],
    "categories": ["rank IS NULL OR rank > 0"],
}
EXAMPLES = int(os.environ.get("SEEDSPEC_SPEC_FUZZ_EXAMPLES", "40"))
MEMORY_LIMIT = 200 * 2**20  # bytes of peak-RSS growth one example may cause
APPLY_ROWS = 60  # apply only when the plan's total rows stay this small
OK_EXITS = {0, 1, 2, 3}
# kinds left out of the draws while the crash they cause is open (none now)
NOT_FIXED: set[str] = set()
# A per-parent count's plan summed the drawn counts a million parents at a time, so a `per:` over
# 10^12 parents planned for hours (~1.6 s per 10^8 parents). Fixed: past 2^20 parents the layout
# repeats its first 2^20 draws, rotated per block (generate/layouts.py), so its total is a sum
# over those; this one's ~1.0016 x 10^12 rows are over the limit: count-over-limit, located
# (test_per_parent_count_over_a_trillion_parents_plans_in_seconds).
HOURS_REPRO = {
    "seedspec": 1,
    "tables": {
        "users": {"count": MAX_COUNT},
        "posts": {"count": {"per": "users", "min": 0, "max": 2}},
    },
}
# Found by SEEDSPEC_SPEC_FUZZ_SEED=31: `apply` of this spec did not end (plan exited 0): a
# `unique: true` choice with fewer values than posts rows, on a column with no database UNIQUE.
# Fixed: the compiler's unique-capacity check covers spec-unique columns too (exit 3, located);
# tests/unit/test_limits.py::test_spec_unique_choice_over_its_values_is_refused_not_a_hang.
HANG_REPRO = {
    "seedspec": 1,
    "tables": {
        "posts": {"columns": {"title": {"choice": {"a": 1, "b": 0.0}, "unique": True}}},
        "users": {"count": 4},
    },
}
FEW_PARENTS = st.integers(0, 50)  # users rows when posts are counted per user (x scale)
SEED = os.environ.get("SEEDSPEC_SPEC_FUZZ_SEED")  # unset: the same examples on every run
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=SEED is None,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
names = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=6)
big_int = st.integers(INT_MIN, INT_MAX)
some_int = st.one_of(st.integers(-5, 200), big_int, st.sampled_from([INT_MIN, INT_MAX, 0, -1]))
floats = st.floats(allow_nan=False, allow_infinity=False, width=32)
dists = st.sampled_from(["uniform", "normal", "lognormal", "exponential", "geometric", "zipf"])
rate = st.sampled_from([0, 0.0, 0.5, 1, 1.0])


@st.composite
def dates(draw: Any) -> str:
    year = draw(st.integers(1, 9999))
    return f"{year:04d}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"


@st.composite
def datetimes(draw: Any) -> str:
    second = draw(st.integers(0, 59))
    frac = draw(st.sampled_from(["", ".5", ".000001", ".999999"]))
    zone = draw(st.sampled_from(["", "Z", "+02:00"]))
    return f"{draw(dates())}T{draw(st.integers(0, 23)):02d}:00:{second:02d}{frac}{zone}"


def _range(draw: Any, values: st.SearchStrategy[Any], **extra: Any) -> dict[str, Any]:
    out = {k: draw(values) for k in ("min", "max") if draw(st.booleans())}
    if draw(st.booleans()):
        out["dist"] = draw(dists)
    return {**out, **extra}


@st.composite
def kind_params(draw: Any, kind: str, table: str) -> Any:  # noqa: C901 - one branch per kind
    """The value under `kind:` of a column entry: random, extreme, often nonsensical."""
    if kind == "gen":
        return draw(st.sampled_from(["person.email", "text.word", "address.city", "foo.bar"]))
    if kind in ("int", "float", "decimal"):
        values = {"int": some_int, "float": floats, "decimal": floats}[kind]
        return _range(draw, values)
    if kind == "choice":
        values = st.one_of(text, st.integers(-3, 3), st.sampled_from(["a", "b", "c"]))
        if draw(st.booleans()):
            return draw(st.lists(values, min_size=1, max_size=4))
        keys = st.one_of(text, st.sampled_from(["a", "b", "c"]))
        return draw(st.dictionaries(keys, st.sampled_from([0, 0.0, 1, 2.5]), min_size=1))
    if kind in ("date", "datetime"):
        moments = dates() if kind == "date" else datetimes()
        return {k: draw(moments) for k in ("from", "to") if draw(st.booleans())}
    if kind == "sequence":
        step = st.integers(-3, 3).filter(bool)
        return draw(st.one_of(some_int, st.fixed_dictionaries({"start": some_int, "step": step})))
    if kind == "template":
        return draw(st.sampled_from(["x-{row}", "{row:06d}", "{title}-{row}", "é{row}ü", "{nope}"]))
    if kind == "pattern":
        return draw(st.sampled_from(["^[a-c]$", "[A-Z]{3}-[0-9]{4}", "^x+$", "(", "^a{0}$"]))
    if kind == "const":
        return draw(st.one_of(text, some_int, st.none(), st.booleans()))
    if kind == "json":
        return {"k": {"int": {"min": 0, "max": 3}}, "t": {"const": draw(text)}}
    if kind == "array":
        return {"of": {"int": {}}, "length": draw(st.integers(0, 3))}
    if kind == "ref":
        return draw(st.sampled_from(["users", "users.id", "categories", "posts.id", "nope"]))
    if kind == "lookup":
        return draw(st.sampled_from(["user_id.email", "user_id.nope", "parent_id.name"]))
    if kind == "offset":
        unit = st.sampled_from(["days", "hours", "minutes", "seconds"])
        source = st.sampled_from(["created", "seen", "age", "nope"])
        return {"from": draw(source), **_range(draw, floats), "unit": draw(unit)}
    if kind == "bytes":
        return {"length": draw(st.integers(1, 64))}
    if kind == "bool" or kind in ("uuid", "interval", "cidr", "bits", "default", "index_in_parent"):
        return {} if kind != "bool" else draw(st.sampled_from([{}, {"p": 0.5}]))
    return {}  # kinds for other databases (range, geometry, ...): SQLite refuses them, located


@st.composite
def column_entry(draw: Any, table: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(set(KINDS) - NOT_FIXED)))
    entry: dict[str, Any] = {kind: draw(kind_params(kind, table))}
    if draw(st.booleans()):
        entry["null"] = draw(rate)
    if draw(st.booleans()):
        entry["unique"] = draw(st.booleans())
    return entry


@st.composite
def count_of(draw: Any, table: str, small: bool) -> Any:
    fixed = st.integers(0, 6) if small else st.one_of(st.integers(0, 50), st.just(MAX_COUNT))
    if table == "posts" and draw(st.booleans()):
        top = 3 if small else MAX_PER_PARENT
        low, high = draw(st.integers(0, top)), draw(st.integers(0, top))
        return {"per": "users", "min": low, "max": high}  # inverted min > max as well
    return draw(fixed)


@st.composite
def table_entry(draw: Any, table: str, small: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        out["count"] = draw(count_of(table, small))
    columns = draw(st.lists(st.sampled_from(TABLES[table]), unique=True, max_size=3))
    if columns:
        out["columns"] = {c: draw(column_entry(table)) for c in columns}
    if table == "categories" and draw(st.booleans()):
        depth = draw(st.sampled_from([1, 2, 5, 1000]))
        out["tree"] = {"parent": "parent_id", "max_depth": depth}
    return out


@st.composite
def specs(draw: Any, small: bool = False) -> dict[str, Any]:
    tables = draw(st.lists(st.sampled_from(sorted(TABLES)), unique=True, max_size=3))
    # mostly seeds a 64-bit integer holds, sometimes one past it (a located validate error)
    seeds = st.one_of(big_int, big_int, big_int, st.sampled_from([INT_MIN - 1, INT_MAX + 1]))
    doc: dict[str, Any] = {"seedspec": 1, "seed": draw(seeds)}
    doc["tables"] = {t: draw(table_entry(t, small)) for t in tables}
    if draw(st.booleans()):
        doc["scale"] = draw(st.sampled_from([0.001, 0.5, 1, 2]) if small else st.just(MAX_SCALE))
    per = isinstance(doc["tables"].get("posts", {}).get("count"), dict)
    if per:
        doc["tables"].setdefault("users", {})["count"] = draw(FEW_PARENTS)
    if draw(st.booleans()):
        doc["locale"] = draw(st.sampled_from(["en", "de", "ja", "xx"]))
    if draw(st.booleans()):
        doc["profiles"] = {"p": {"scale": draw(st.sampled_from([0.5, 1, 3])), "seed": 7}}
    if draw(st.booleans()):
        sql = ["UPDATE users SET age = 1", "DELETE FROM posts", "SELECT 1"]
        failing = "UPDATE users SET status = 1"  # breaks a CHECK: the apply rolls back, located
        doc["after"] = [{"sql": draw(st.sampled_from([*sql, failing]))}]
    return doc


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.stdout


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _check_doc(verb: str, code: int, out: str, spec: Path) -> dict[str, Any]:
    assert code in OK_EXITS, f"exit {code}: {out}"
    doc = json.loads(out)
    assert doc["ok"] is (code == 0), doc
    for err in doc.get("errors", []):
        assert err["code"] and err["message"], err
        assert "internal error" not in err["message"], err
        if err["code"] == "spec" or verb == "validate":  # says where in the spec it is
            assert _located(err, spec), err
    return doc


def _located(err: dict[str, Any], spec: Path) -> bool:
    """At file:line:col of the spec: as the error's fields, or (an after: statement that failed
    while applying, execute/atomic.py) at the head of its message."""
    if err.get("file") == str(spec):
        return bool(err["line"] >= 1 and err["col"] >= 1)
    head = err["message"].removeprefix(f"{spec}:").split(":", 2)
    return err["message"].startswith(f"{spec}:") and all(p.isdigit() for p in head[:2])


def _write(tmp_path: Path, doc: dict[str, Any]) -> tuple[Path, str]:
    name = uuid.uuid4().hex[:8]
    db = tmp_path / f"{name}.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(SCHEMA)
    conn.close()
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return spec, f"sqlite:///{db}"


def _plan(spec: Path, url: str, extra: list[str]) -> tuple[int, dict[str, Any]]:
    code, out = _run(["validate", str(spec), "-o", "json"])
    _check_doc("validate", code, out, spec)
    code, out = _run(["plan", str(spec), "--db", url, "-o", "json", *extra])
    return code, _check_doc("plan", code, out, spec)


def _audit(url: str, counts: dict[str, int]) -> None:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        for table, want in counts.items():
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == want, table
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table, groups in UNIQUES.items():
            for cols in groups:
                keys = ", ".join(cols)
                nulls = " AND ".join(f"{c} IS NOT NULL" for c in cols)
                dup = f"SELECT {keys} FROM {table} WHERE {nulls} GROUP BY {keys}"
                assert conn.execute(f"{dup} HAVING count(*) > 1").fetchall() == [], (table, cols)
        for table, checks in CHECKS.items():
            for check in checks:
                bad = f"SELECT count(*) FROM {table} WHERE NOT ({check})"
                assert conn.execute(bad).fetchone()[0] == 0, (table, check)
    finally:
        conn.close()


def fuzzed(test: Any) -> Any:
    """`test` under FUZZ, drawn from SEEDSPEC_SPEC_FUZZ_SEED when that is set."""
    return seed(int(SEED))(FUZZ(test)) if SEED else FUZZ(test)


@fuzzed
@given(doc=specs(), profile=st.booleans())
def test_spec_fuzz_plan(tmp_path: Path, doc: dict[str, Any], profile: bool) -> None:
    """validate + plan -o json on any spec: exit 0/1/2/3, valid JSON, located spec errors."""
    spec, url = _write(tmp_path, doc)
    before = _peak()
    _plan(spec, url, ["--profile", "p"] if profile and "profiles" in doc else [])
    assert _peak() - before < MEMORY_LIMIT


@fuzzed
@given(doc=specs(small=True))
def test_spec_fuzz_apply(tmp_path: Path, doc: dict[str, Any]) -> None:
    """Small-count specs that plan are applied; the database then holds the planned counts and
    breaks no FK, UNIQUE or CHECK."""
    spec, url = _write(tmp_path, doc)
    before = _peak()
    code, planned = _plan(spec, url, [])
    counts = {
        r["name"]: r["count"] for r in planned.get("result", {}).get("plan", {}).get("recipes", [])
    }
    if code == 0 and sum(counts.values()) <= APPLY_ROWS:
        code, out = _run(["apply", str(spec), "--db", url, "-o", "json"])
        report = _check_doc("apply", code, out, spec)
        if code == 0:
            if not doc.get("after"):
                _audit(url, counts)
            else:  # after: SQL may change the rows; the keys must still hold
                _audit(url, {})
            assert report["result"]["report"]["rows"] == sum(counts.values())
    assert _peak() - before < MEMORY_LIMIT


# Found by test_spec_fuzz_apply: `interval: {}` on SQLite TIMESTAMP posts.created planned (exit 0),
# then apply failed with "internal error (TypeError: unsupported operand type(s) for +:
# 'datetime.timedelta' and 'float')", exit 70 (on `edited`, or on CHECK-listed users.status: an
# unlocated CHECK failure at load). Fixed: interval values are their own class, which date and
# time columns refuse as any kind of the wrong type does, and a kind that makes its values up
# (interval, uuid, cidr, json, array) on an IN-list column is refused too: exit 3 at plan, located.
INTERVAL_REPRO = {"seedspec": 1, "tables": {"posts": {"columns": {"created": {"interval": {}}}}}}


@pytest.mark.parametrize(
    ("table", "column", "code"),
    [
        ("posts", "created", "type-mismatch"),
        ("posts", "edited", "type-mismatch"),
        ("users", "status", "choice-outside-check"),
    ],
)
def test_interval_on_timestamp_column(tmp_path: Path, table: str, column: str, code: str) -> None:
    """`interval` on a TIMESTAMP or a CHECK-listed column: a located error at plan and at
    apply (exit 3), before any row is written."""
    doc = {"seedspec": 1, "tables": {table: {"columns": {column: {"interval": {}}}}}}
    spec, url = _write(tmp_path, doc)
    for verb in ("plan", "apply"):
        code_, out = _run([verb, str(spec), "--db", url, "-o", "json"])
        found = _check_doc(verb, code_, out, spec)
        assert code_ == 3
        ours = [e for e in found["errors"] if e.get("column") == column]
        assert [e["kind"] for e in ours] == [code], found["errors"]
        assert _located(ours[0], spec) and ours[0]["line"] == 5, ours  # the column's line
    _audit(url, {"users": 0, "posts": 0, "categories": 0})


def test_per_parent_count_over_a_trillion_parents_plans_in_seconds(tmp_path: Path) -> None:
    """HOURS_REPRO: refused at plan with a located count-over-limit (posts' count line) in well
    under 5 s; half the parents with at most one child each plan (exit 0) with the exact total."""
    spec, url = _write(tmp_path, HOURS_REPRO)
    started = time.perf_counter()
    code, out = _run(["plan", str(spec), "--db", url, "-o", "json"])
    assert time.perf_counter() - started < 5
    doc = _check_doc("plan", code, out, spec)
    (over,) = [e for e in doc["errors"] if e["kind"] == "count-over-limit"]
    assert code == 3 and over["table"] == "posts" and over["line"] == 7, over
    assert "per users row" in over["message"]
    half = {
        "seedspec": 1,
        "tables": {
            "users": {"count": MAX_COUNT // 2},
            "posts": {"count": {"per": "users", "min": 0, "max": 1}},
        },
    }
    spec, url = _write(tmp_path, half)
    started = time.perf_counter()
    code, planned = _plan(spec, url, [])
    assert time.perf_counter() - started < 5 and code == 0, planned
    counts = {r["name"]: r["count"] for r in planned["result"]["plan"]["recipes"]}
    layout = PerParentLayout.drawn(
        "users", _layout_key(planned), MAX_COUNT // 2, "uniform", {"min": 0, "max": 1}
    )
    assert counts["users"] == MAX_COUNT // 2 and counts["posts"] == layout.count
    assert abs(layout.count - MAX_COUNT // 4) < MAX_COUNT // 100


def _layout_key(planned: dict[str, Any]) -> int:
    (posts,) = [r for r in planned["result"]["plan"]["recipes"] if r["name"] == "posts"]
    return int(posts["layout"]["key"])


# Found by SEEDSPEC_SPEC_FUZZ_SEED=2 (400 examples): `apply` failed with an unlocated "loading
# users: CHECK constraint failed: status IN ('a', 'b', 'c')" (exit 1): an array on users.status.
ARRAY_REPRO = {
    "seedspec": 1,
    "seed": 0,
    "tables": {
        "categories": {},
        "users": {"columns": {"status": {"array": {"of": {"int": {}}, "length": 0}}}},
    },
}


def test_array_on_check_listed_column_is_located(tmp_path: Path) -> None:
    """Refused at plan and apply (exit 3) at users.status's line, nothing written."""
    spec, url = _write(tmp_path, ARRAY_REPRO)
    for verb in ("plan", "apply"):
        code, out = _run([verb, str(spec), "--db", url, "-o", "json"])
        found = _check_doc(verb, code, out, spec)
        ours = [e for e in found["errors"] if e.get("column") == "status"]
        assert code == 3 and [e["kind"] for e in ours] == ["choice-outside-check"], found
        assert _located(ours[0], spec) and ours[0]["line"] == 7, ours
    _audit(url, {"users": 0, "posts": 0, "categories": 0})


# Issue 11, found by SEEDSPEC_SPEC_FUZZ_SEED=3 (400 examples): `int: {}` (no min / max) on
# users.age, CHECKed 0..150, failed at load with an unlocated CHECK failure (exit 1): a written
# generator's open side ignored the CHECK that an inferred one honours. Fixed: an open side takes
# the CHECK's bound (analysis/closing.py); a written one past it is range-outside-check, exit 3.
@pytest.mark.parametrize(
    ("entry", "low", "high"),
    [({"int": {}}, 0, 150), ({"int": {"min": 140}}, 140, 150), ({"int": {"max": 3}}, 0, 3)],
)
def test_open_int_on_check_bounded_column_stays_inside(
    tmp_path: Path, entry: dict[str, Any], low: int, high: int
) -> None:
    doc = {"seedspec": 1, "tables": {"users": {"count": 40, "columns": {"age": entry}}}}
    spec, url = _write(tmp_path, doc)
    code, out = _run(["apply", str(spec), "--db", url, "-o", "json"])
    assert code == 0, out
    _audit(url, {"users": 40})
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    lo, hi = conn.execute("SELECT min(age), max(age) FROM users").fetchone()
    conn.close()
    assert low <= lo <= hi <= high and hi - lo > (high - low) // 2, (lo, hi)


def test_written_side_past_the_check_is_located(tmp_path: Path) -> None:
    """`min: 200` alone on users.age (CHECK <= 150): exit 3 at the column's line, at plan and
    apply, nothing written."""
    doc = {"seedspec": 1, "tables": {"users": {"columns": {"age": {"int": {"min": 200}}}}}}
    spec, url = _write(tmp_path, doc)
    for verb in ("plan", "apply"):
        code, out = _run([verb, str(spec), "--db", url, "-o", "json"])
        found = _check_doc(verb, code, out, spec)
        ours = [e for e in found["errors"] if e.get("column") == "age"]
        assert code == 3 and [e["kind"] for e in ours] == ["range-outside-check"], found
        assert _located(ours[0], spec) and ours[0]["line"] == 5, ours
    _audit(url, {"users": 0, "posts": 0, "categories": 0})


# Found by SEEDSPEC_SPEC_FUZZ_SEED=3 (400 examples, after the fix above): `int: {min: 222223,
# dist: geometric}` on posts.title planned, then apply died with "internal error (ValueError:
# geometric needs a max within 2,000,000 of min)", exit 70: the open max (10x min) was past the
# span a discrete law tabulates. Fixed: an open side of a discrete law stays within that span;
# a written span past it is a located validate error (exit 1).
GEOMETRIC_REPRO = {
    "seedspec": 1,
    "seed": 0,
    "tables": {"posts": {"columns": {"title": {"int": {"min": 222223, "dist": "geometric"}}}}},
}


def test_discrete_law_with_an_open_max_applies(tmp_path: Path) -> None:
    spec, url = _write(tmp_path, GEOMETRIC_REPRO)
    code, out = _run(["apply", str(spec), "--db", url, "-o", "json"])
    assert code == 0, out
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    lo = conn.execute("SELECT min(CAST(title AS INTEGER)) FROM posts").fetchone()[0]
    conn.close()
    assert lo >= 222223, lo
    wide = {"int": {"min": 0, "max": 10**7, "dist": "geometric"}}
    doc = {"seedspec": 1, "tables": {"posts": {"columns": {"title": wide}}}}
    spec, url = _write(tmp_path, doc)
    code, out = _run(["validate", str(spec), "-o", "json"])
    (err,) = _check_doc("validate", code, out, spec)["errors"]
    assert code == 1 and err["line"] == 8 and "draws over at most 2,000,000" in err["message"]
