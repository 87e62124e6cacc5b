"""`init` always writes a spec (issue 10, family 7): what the compiler cannot decide is a TODO.

A column with no generator gets `{const: null}  # TODO: <why>`, a table the compiler cannot
fill gets `count: 0  # TODO: <why>`; the file is written and init exits 3 naming file:line of
each TODO. `check` then flags exactly the TODO lines (or nothing); once they are edited the spec
applies, proved by query.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, run_sql, run_sql_file, scalar

SCHEMA = """
CREATE TABLE site (id serial PRIMARY KEY, name text NOT NULL, location point NOT NULL,
                   rel regclass NOT NULL);
CREATE TABLE odd (id serial PRIMARY KEY, n int NOT NULL CHECK (n > 5 AND n < 3));
CREATE TABLE odd_child (id serial PRIMARY KEY, odd_id int NOT NULL REFERENCES odd (id),
                        site_id int NOT NULL REFERENCES site (id));
CREATE TABLE visit (id serial PRIMARY KEY, site_id int NOT NULL REFERENCES site (id),
                    visited_at timestamptz NOT NULL);
"""

_WHERE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):\d+: error: .*TODO", re.M)


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "seedspec.cli.app", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900)


def _todo_lines(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {i for i, ln in enumerate(lines, start=1) if "# TODO:" in ln}


@pytest.mark.postgres
def test_init_writes_todos_and_exits_3_saying_where(pg_url: str, tmp_path: Path) -> None:
    for stmt in SCHEMA.split(";"):
        if stmt.strip():
            run_sql(pg_url, stmt)
    done = _cli(tmp_path, "init", "--db", pg_url)
    assert done.returncode == 3, done.stdout + done.stderr
    spec = tmp_path / "seed.yaml"
    text = spec.read_text(encoding="utf-8")
    todos = _todo_lines(spec)
    reported = {int(m["line"]) for m in _WHERE.finditer(done.stderr)}
    assert reported == todos and len(todos) == 3, done.stderr + text
    lines = text.splitlines()
    rel = next(ln for ln in lines if ln.strip().startswith("rel:"))
    assert "{const: null}" in rel and "# TODO:" in rel and "regclass" in rel
    for table in ("odd", "odd_child"):  # no row can pass odd's CHECK; odd_child needs odd
        head = lines.index(f"  {table}:")
        assert lines[head + 1].strip().startswith("count: 0  # TODO:"), text
    location = next(ln for ln in lines if ln.strip().startswith("location:"))
    assert "geometry" in location and "TODO" not in location  # point is generated

    # check flags exactly the TODO lines that would fail a load (the const: null placeholder)
    checked = _cli(tmp_path, "check", "--db", pg_url, "-o", "json")
    assert checked.returncode == 3, checked.stdout + checked.stderr
    lines_flagged = {f["line"] for f in json.loads(checked.stdout)["result"]["drift"]["findings"]}
    assert lines_flagged and lines_flagged <= todos, checked.stdout

    # edit the one line the error names: the spec applies, exactly as written
    spec.write_text(text.replace("rel: {const: null}", 'rel: {const: "pg_class"}'), "utf-8")
    applied = _cli(tmp_path, "apply", "--db", pg_url)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert scalar(pg_url, "SELECT count(*) FROM site WHERE rel = 'pg_class'::regclass") == 20
    assert scalar(pg_url, "SELECT count(*) FROM visit") == 20
    assert scalar(pg_url, "SELECT count(*) FROM odd") == 0


def _init_then_check(url: str, tmp_path: Path) -> None:
    done = _cli(tmp_path, "init", "--db", url)
    spec = tmp_path / "seed.yaml"
    assert done.returncode in (0, 3), done.stdout + done.stderr
    assert spec.is_file(), done.stdout + done.stderr
    todos = _todo_lines(spec)
    assert (done.returncode == 3) == bool(todos), done.stderr
    checked = _cli(tmp_path, "check", "--db", url, "-o", "json")
    doc = json.loads(checked.stdout)
    found = doc["result"]["drift"]["findings"]
    errors = [f for f in found if f.get("severity") == "error"]
    assert checked.returncode == (3 if errors else 0), checked.stdout + checked.stderr
    assert {f.get("line") for f in errors} <= todos, errors


@pytest.mark.parametrize("name", sorted(p.parent.name for p in CORPUS.glob("*/schema.sqlite.sql")))
def test_init_on_sqlite_corpus_writes_a_spec_check_accepts(
    sqlite_url: str, tmp_path: Path, name: str
) -> None:
    run_sql_file(sqlite_url, CORPUS / name / "schema.sqlite.sql")
    _init_then_check(sqlite_url, tmp_path)


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["netbox", "kanboard", "roundcube", "pagila"])
def test_init_on_postgresql_corpus_writes_a_spec_check_accepts(
    pg_url: str, tmp_path: Path, name: str
) -> None:
    path = CORPUS / name / "schema.sql"
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    run_sql_file(pg_url, path)
    _init_then_check(pg_url, tmp_path)
