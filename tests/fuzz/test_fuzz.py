"""The schema fuzzer in CI, and every minimal failing schema it found, replayed.

test_fuzz_ci: schemas 0..N-1 of tests/fuzz/schemas.generate per database (N from
SEEDSPEC_FUZZ_SCHEMAS, default below; the nightly-sized run is scripts/fuzz.py), families not
fixed yet (tests/fuzz/fuzz_known.py) left out; each is seeded with no spec and audited by query. A
failure is shrunk and its minimal DDL printed in the assertion (scripts/fuzz.py --write-found
keeps it under tests/fuzz/found/).

test_found: each tests/fuzz/found/*.sql, seeded and audited the same way; xfail(strict=True)
with the reason in its `-- xfail:` header while its family is not fixed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MYSQL_ADMIN_URL, PG_ADMIN_URL, _admin_engine
from fuzz_known import NOT_FIXED
from fuzz_runner import FOUND, Workspace, fuzz
from fuzz_schemas import generate

CI_SCHEMAS = {"postgresql": 80, "sqlite": 120, "mysql": 25}
ADMIN = {"postgresql": PG_ADMIN_URL, "mysql": MYSQL_ADMIN_URL, "sqlite": None}
MARKS = {"postgresql": [pytest.mark.postgres], "mysql": [pytest.mark.mariadb], "sqlite": []}


def _workspace(dialect: str) -> Iterator[Workspace]:
    admin = ADMIN[dialect]
    if admin is not None:  # skips (or fails under CI) when the server is not reachable
        _admin_engine(admin, dialect).dispose()
    ws = Workspace(dialect, admin)
    try:
        yield ws
    finally:
        ws.close()


@pytest.mark.parametrize(
    "dialect", [pytest.param(d, marks=MARKS[d]) for d in ("postgresql", "sqlite", "mysql")]
)
def test_fuzz_ci(dialect: str) -> None:
    n = int(os.environ.get("SEEDSPEC_FUZZ_SCHEMAS", CI_SCHEMAS[dialect]))
    for ws in _workspace(dialect):
        started = time.perf_counter()
        stats = fuzz(ws, range(n), NOT_FIXED[dialect])
        took = time.perf_counter() - started
        print(f"\n{dialect}: {stats.tried} schemas, {stats.failures} failed, {took:.0f} s")
        assert stats.tried == n
        assert stats.ddl_errors == 0, "the generator wrote DDL the database rejects"
        found = [
            f"{fam}: {out.kind}: {out.detail}\n{schema.ddl()}"
            for fam, (schema, out) in (stats.families or {}).items()
        ]
        assert not found, f"{stats.failures} of {n} schemas failed:\n" + "\n".join(found)


def _header(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("-- ") or ":" not in line:
            continue
        key, _, value = line[3:].partition(":")
        out.setdefault(key.strip(), []).append(value.strip())
    return out


def _found_params() -> list[object]:
    params = []
    for path in sorted(FOUND.glob("*.sql")) if FOUND.is_dir() else []:
        head = _header(path)
        dialect = head.get("dialect", ["postgresql"])[0]
        marks = list(MARKS.get(dialect, []))
        if head.get("xfail"):
            reason = f"issue 10: not fixed yet: {head['xfail'][0]}"
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(path, dialect, id=path.stem, marks=marks))
    return params


@pytest.mark.parametrize(("path", "dialect"), _found_params())
def test_found(path: Path, dialect: str) -> None:
    checks = []
    for entry in _header(path).get("check", []):
        table, _, expr = entry.partition(": ")
        checks.append((table, expr))
    for ws in _workspace(dialect):
        got = ws.attempt_ddl(path.read_text(), checks)
        assert got.kind != "ddl", f"{path.name} no longer loads: {got.detail}"
        assert got.ok, f"{got.kind}: {got.detail}"


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite", "mysql"])
def test_same_seed_same_schema(dialect: str) -> None:
    ddls = [generate(seed, dialect).ddl() for seed in range(50)]
    assert ddls == [generate(seed, dialect).ddl() for seed in range(50)]
    assert len(set(ddls)) >= 45  # and different seeds give different schemas
    tags = {t for seed in range(300) for t in generate(seed, dialect).tags()}
    assert {
        "fk:plain",
        "fk:self",
        "fk:composite",
        "unique:two-sharing",
        "check:exactly-one",
    } <= tags
    left_out = {
        t
        for seed in range(300)
        for t in generate(seed, dialect, exclude=frozenset({"check:", "fk:self"})).tags()
    }
    assert not any(t.startswith(("check:", "fk:self")) for t in left_out)
