"""The escape hatches' kinds: `python:` (entry points, the contract, ulid/typeid), `sql:` and
`existing:` (their params, checks and runtime), with no database."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest
import tomllib

from seedspec.errors import SeedspecError, SpecError
from seedspec.generate.idgens import CROCKFORD, EPOCH_MS, typeid, ulid
from seedspec.generate.pycall import call_checked
from seedspec.kinds import KINDS, FitContext, GeneratorSpec
from seedspec.kinds.python import BUILTIN, GROUP, load, registered
from seedspec.spec.validate import load_spec_text

REPO = Path(__file__).resolve().parents[2]
PLUGINS = REPO / "tests" / "plugins"
ROWS = np.arange(2000, dtype=np.int64)


def _decode(text: str) -> int:
    return int("".join(f"{CROCKFORD.index(c.upper().encode()):05b}" for c in text), 2)


def _spec(columns: str) -> str:
    return f"seedspec: 1\ntables:\n  t:\n    count: 3\n    columns:\n{columns}"


def test_python_builtins_are_the_entry_points_seedspec_declares() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"][GROUP] == BUILTIN
    assert {"ulid", "typeid"} <= set(registered())


def test_python_ulid_is_a_ulid_of_one_millisecond_per_row() -> None:
    values = ulid(ROWS, 7, {})
    assert all(len(v) == 26 and set(v) <= set(CROCKFORD.decode()) for v in values)
    assert [_decode(v) >> 80 for v in values[:3]] == [EPOCH_MS, EPOCH_MS + 1, EPOCH_MS + 2]
    assert list(values) == sorted(values) and len(set(values)) == len(values)
    assert list(ulid(ROWS, 7, {})) == list(values)  # same seed, same values
    assert list(ulid(ROWS, 8, {})) != list(values)
    assert list(ulid(ROWS[5:9], 7, {})) == list(values[5:9])  # any chunk alone


def test_python_typeid_is_a_prefixed_uuid_v7() -> None:
    values = typeid(ROWS[:50], 3, {"prefix": "usr"})
    for v in values:
        prefix, _, body = v.partition("_")
        assert prefix == "usr" and len(body) == 26 and body == body.lower()
        u = uuid.UUID(int=_decode(body))
        assert u.version == 7 and u.variant == uuid.RFC_4122
    with pytest.raises(ValueError, match="prefix"):
        typeid(ROWS[:2], 3, {"prefix": "Bad-Prefix"})


def test_python_plugin_is_found_through_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PLUGINS))
    found = registered()
    assert found["order_code"] == "seedspec_demo_gens:order_code"
    assert found["seedspec-demo-gens:order_code"] == found["order_code"]
    fn = load("seedspec-demo-gens:order_code")
    assert fn(np.array([0, 1]), 5, {"prefix": "X"})[0].startswith("X-1-")
    spec = load_spec_text(_spec("      code: {python: order_code, args: {prefix: X}}\n"))
    g = spec.tables[0].columns[0].generator
    assert g.params == {"name": "order_code", "args": {"prefix": "X"}}
    assert KINDS["python"].can_be_unique(g)  # the callable says so (order_code.unique)


def test_python_unknown_name_is_located_and_lists_the_registered_ones() -> None:
    with pytest.raises(SpecError) as err:
        load_spec_text(_spec("      code: {python: nope}\n"), name="s.yaml")
    text = str(err.value)
    assert "s.yaml:6:" in text and "no python generator 'nope'" in text
    assert "registered: " in text and "typeid, ulid" in text


def test_python_broken_contracts_are_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PLUGINS))
    rows = np.arange(4, dtype=np.int64)
    with pytest.raises(SeedspecError, match="returned 3 values for 4 rows"):
        call_checked(load("short"), "short", rows, 1, {})
    with pytest.raises(SeedspecError, match="returned a object"):
        call_checked(load("objecty"), "objecty", rows, 1, {})
    with pytest.raises(SeedspecError, match="returned int; it must return a list"):
        call_checked(lambda r, s, a: 5, "five", rows, 1, {})
    with pytest.raises(SeedspecError, match="'boom' failed: ZeroDivisionError"):
        call_checked(lambda r, s, a: 1 / 0, "boom", rows, 1, {})
    spec = GeneratorSpec("python", {"name": "short", "args": {}})
    column = type("C", (), {"name": "c", "type": "text", "sql_type": "TEXT", "nullable": True})
    problems = KINDS["python"].check_column(spec, column(), None, FitContext("t.c", "en", 1))  # type: ignore[arg-type]
    assert [p.code for p in problems] == ["bad-generator"]
    assert "t.c: python generator 'short' returned 7 values for 8 rows" in problems[0].message


def test_sql_entry_is_an_expression_the_database_computes() -> None:
    spec = load_spec_text(_spec("      pw: {sql: \"crypt('pw', gen_salt('bf'))\"}\n"))
    g = spec.tables[0].columns[0].generator
    assert g.kind == "sql" and g.params == {"expr": "crypt('pw', gen_salt('bf'))"}
    assert not KINDS["sql"].builds_values and KINDS["sql"].check_column(g, None, None, None) == []  # type: ignore[arg-type]
    with pytest.raises(SpecError, match="cannot be nested"):
        load_spec_text(_spec('      doc: {json: {h: {sql: "now()"}}}\n'))
    with pytest.raises(SpecError):
        load_spec_text(_spec('      pw: {sql: "now()", unique: true}\n'))  # no modifiers


def test_existing_entry_and_its_checks() -> None:
    spec = load_spec_text(_spec("      uid: {existing: {table: users, where: is_active}}\n"))
    g = spec.tables[0].columns[0].generator
    assert g.params == {"table": "users", "column": None, "where": "is_active", "values": None}
    column = type("C", (), {"name": "uid", "type": "integer", "sql_type": "INT", "nullable": False})
    empty = GeneratorSpec("existing", {**g.params, "values": []})
    problems = KINDS["existing"].check_column(empty, column(), None, FitContext("t.uid", "en", 1))  # type: ignore[arg-type]
    assert [p.code for p in problems] == ["existing-empty"]
    assert "no existing rows in 'users' WHERE is_active" in problems[0].message
    with pytest.raises(SpecError, match="existing where: is empty"):
        load_spec_text(_spec("      uid: {existing: {table: users, where: ' '}}\n"))
