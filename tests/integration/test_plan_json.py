"""The Plan as a file: `plan -o json` matches schemas/plan-1.schema.json, reads back equal, and the
read-back plan applied with `apply --plan` gives the same rows, byte for byte; the digest ignores
comments, formatting and the spec's path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
import yaml
from conftest import REPO, run_sql_file

from seedspec.api import plan as plan_of
from seedspec.compile import compile_plan
from seedspec.database.ledgers import DEFAULT_LEDGER
from seedspec.database.reflect import reflect_schema
from seedspec.plan.model import Plan
from seedspec.spec.validate import load_spec

SCHEMA = json.loads((REPO / "schemas" / "plan-1.schema.json").read_text())
SPECS = REPO / "specs"


def seedspec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def every_row(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in sa.inspect(conn).get_table_names():
                if table == DEFAULT_LEDGER:  # seedspec's own: when each apply ran
                    continue
                q = sa.text(f'SELECT * FROM "{table}"')
                rows = conn.execute(q).fetchall()
                out[table] = sorted((tuple(r) for r in rows), key=repr)
            return out
    finally:
        engine.dispose()


def written_plan(tmp_path: Path, spec: Path, url: str) -> tuple[dict, Path]:
    done = seedspec("plan", str(spec), "--db", url, "-o", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["ok"] is True and set(doc["result"]) == {"plan", "drift"}
    path = tmp_path / "plan.json"
    path.write_text(done.stdout)
    return doc["result"]["plan"], path


@pytest.mark.parametrize("name", ["blog", "cycles"])
def test_written_plan_validates_round_trips_and_applies_to_the_same_rows(
    tmp_path: Path, name: str
) -> None:
    urls = [f"sqlite:///{tmp_path / f'{n}.db'}" for n in ("compiled", "read_back")]
    for url in urls:
        run_sql_file(url, SPECS / "schemas" / f"{name}.sqlite.sql")
    data, path = written_plan(tmp_path, SPECS / f"{name}.yaml", urls[0])
    jsonschema.Draft202012Validator(SCHEMA).validate(data)

    compiled, target = plan_of(str(SPECS / f"{name}.yaml"), urls[0])
    target.engine.dispose()
    back = Plan.from_dict(data)
    assert back == compiled and Plan.from_json(compiled.to_json()) == compiled
    assert back.digest() == compiled.digest() == data["digest"]

    done = seedspec("apply", str(SPECS / f"{name}.yaml"), "--db", urls[0], "-o", "json")
    assert done.returncode == 0, done.stderr
    done = seedspec("apply", "--plan", str(path), "--db", urls[1], "-o", "json")
    assert done.returncode == 0, done.stderr
    first, second = every_row(urls[0]), every_row(urls[1])
    assert sum(len(rows) for rows in first.values()) == data["total_rows"]
    assert first == second


def test_apply_plan_refuses_another_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    other = f"sqlite:///{tmp_path / 'b.db'}"
    run_sql_file(url, SPECS / "schemas" / "blog.sqlite.sql")
    run_sql_file(other, SPECS / "schemas" / "cycles.sqlite.sql")
    _, path = written_plan(tmp_path, SPECS / "blog.yaml", url)
    done = seedspec("apply", "--plan", str(path), "--db", other)
    assert done.returncode == 3
    assert "compiled against another schema" in done.stderr
    assert every_row(other) == {t: [] for t in every_row(other)}


def test_written_plan_applies_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    run_sql_file(pg_url, SPECS / "schemas" / "blog.postgresql.sql")
    data, path = written_plan(tmp_path, SPECS / "blog.yaml", pg_url)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    compiled, target = plan_of(str(SPECS / "blog.yaml"), pg_url)
    target.engine.dispose()
    assert Plan.from_dict(data) == compiled
    done = seedspec("apply", "--plan", str(path), "--db", pg_url, "-o", "json")
    assert done.returncode == 0, done.stderr
    via_plan = every_row(pg_url)
    done = seedspec("apply", str(SPECS / "blog.yaml"), "--db", pg_url, "--truncate", "-o", "json")
    assert done.returncode == 0, done.stderr
    assert every_row(pg_url) == via_plan
    assert sum(len(rows) for rows in via_plan.values()) == data["total_rows"]


def _digest(spec: Path, url: str) -> str:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            schema = reflect_schema(conn)
    finally:
        engine.dispose()
    return compile_plan(load_spec(str(spec)), schema).digest()


def test_digest_ignores_comments_formatting_and_path_but_not_counts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    run_sql_file(url, SPECS / "schemas" / "blog.sqlite.sql")
    original = SPECS / "blog.yaml"
    text = original.read_text()
    base = _digest(original, url)

    moved = tmp_path / "elsewhere" / "seed.yaml"
    moved.parent.mkdir()
    shutil.copy(original, moved)
    commented = tmp_path / "commented.yaml"
    commented.write_text(
        "# a comment on top\n\n" + text.replace("seed: 2024\n", "seed: 2024  # note\n")
    )
    assert commented.read_text() != "# a comment on top\n\n" + text
    reformatted = tmp_path / "reformatted.yaml"
    reformatted.write_text(
        yaml.safe_dump(yaml.safe_load(text), default_flow_style=True, sort_keys=False)
    )
    for variant in (moved, commented, reformatted):
        assert _digest(variant, url) == base, variant

    data = yaml.safe_load(text)
    table = next(t for t in data["tables"].values() if isinstance(t.get("count"), int))
    table["count"] += 1
    recounted = tmp_path / "recounted.yaml"
    recounted.write_text(yaml.safe_dump(data, sort_keys=False))
    assert _digest(recounted, url) != base
