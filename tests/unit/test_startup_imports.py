"""Start-up structure: the offline commands (--version, --help, validate, the pre-commit hooks'
check --offline is not among them) -> the heavy libraries they must not import.

Timings live in bench/startup.py (a benchmark, not a timed test); this proves the imports that
made `seedspec validate` take 1.4 s stay out: SQLAlchemy, numpy, mimesis, sqlglot, pydantic
(typer's coercion), rich (typer's help) and seedspec.api.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mimesis
import pytest
from mimesis.enums import Locale

from seedspec.cli.coercion import plain_annotation
from seedspec.generate.pools import locale_of
from seedspec.spec.locales import known_locales, locale_problem

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "numpy", "mimesis", "sqlglot", "pydantic", "rich", "psycopg", "pymysql")


def _imported(args: list[str]) -> set[str]:
    code = (
        "import json, sys\n"
        f"sys.argv = ['seedspec', *{args!r}]\n"
        "from seedspec.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.__stderr__.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["apply", "--help"], ["validate", "specs/shop.yaml"]],
    ids=["--version", "--help", "apply --help", "validate"],
)
def test_offline_commands_import_no_heavy_library(args: list[str]) -> None:
    modules = _imported(args)
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    assert heavy == [], f"seedspec {' '.join(args)} imported {heavy}"


def test_validate_output_is_unchanged_by_the_lazy_imports() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "seedspec", "validate", "specs/shop.yaml", "-o", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == {"files": ["specs/shop.yaml"]}


def test_known_locales_are_mimesis_own() -> None:
    assert set(known_locales()) == {loc.value for loc in Locale}
    assert Locale("de") is locale_of("de")
    assert mimesis.enums.Locale is Locale


def test_an_unknown_locale_is_worded_as_the_generator_words_it() -> None:
    assert locale_problem("en") is None
    why = locale_problem("xx")
    assert why is not None and why.startswith("unknown locale 'xx'; mimesis knows: ")
    with pytest.raises(Exception) as err:
        locale_of("xx")
    assert str(err.value) == why


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (str, (str, False)),
        (str | None, (str, False)),
        (float | None, (float, False)),
        (list[str] | None, (str, True)),
        (bool, (bool, False)),
        (dict[str, str], None),
        (Path, None),
    ],
)
def test_plain_annotations(annotation: object, expected: object) -> None:
    assert plain_annotation(annotation) == expected


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedspec", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bad_values_are_usage_errors_worded_as_before() -> None:
    scale = _cli("plan", "--scale", "-1", "-o", "json")
    assert scale.returncode == 2
    message = json.loads(scale.stdout)["errors"][0]["message"]
    assert message == "Invalid value for '--scale': -1.0 is not in the range 0.0<=x<=1000000.0."
    output = _cli("plan", "-o", "yaml")
    assert output.returncode == 2
    assert "'yaml' is not one of" in output.stderr and "'github'" in output.stderr
    number = _cli("plan", "--lock-timeout", "soon", "-o", "json")
    assert number.returncode == 2
    assert "'soon' is not a valid float" in json.loads(number.stdout)["errors"][0]["message"]


HOOK_SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, active BOOLEAN NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                     status TEXT NOT NULL CHECK (status IN ('paid', 'pending')),
                     total INTEGER NOT NULL CHECK (total >= 0));
"""
HOOK_SPEC = (
    "seedspec: 1\nseed: 7\ntables:\n  users:\n    count: 10\n  orders:\n    count: 30\n"
    "    columns:\n      status: {choice: {paid: 80, pending: 20}}\n"
)


def _hook_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A spec with its snapshot (written by `seedspec snapshot` from SQLite) and a cache folder."""
    import os
    import sqlite3

    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(HOOK_SCHEMA)
    spec = tmp_path / "seed.yaml"
    spec.write_text(HOOK_SPEC, encoding="utf-8")
    env = {**os.environ, "SEEDSPEC_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("SEEDSPEC_NO_CACHE", None)
    snap = [sys.executable, "-m", "seedspec", "snapshot", str(spec), "--db", f"sqlite:///{db}"]
    done = subprocess.run(snap, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return spec, env


def _offline_check(spec: Path, env: dict[str, str]) -> tuple[set[str], dict[str, object]]:
    code = (
        "import json, sys\n"
        f"sys.argv = ['seedspec', 'check', '--offline', {str(spec)!r}, '-o', 'json']\n"
        "from seedspec.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.__stderr__.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1])), json.loads(done.stdout)


def test_the_offline_check_hook_imports_no_heavy_library_once_its_snapshot_is_known(
    tmp_path: Path,
) -> None:
    """`seedspec snapshot` fills the facts cache, so the pre-commit hook's compile reads the
    CHECKs' facts from it: no sqlglot, and no SQLAlchemy, numpy or mimesis either."""
    spec, env = _hook_repo(tmp_path)
    modules, report = _offline_check(spec, env)
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    assert heavy == []
    assert report["ok"] is True and report["command"] == "check"


def test_the_offline_check_says_the_same_with_and_without_the_facts_cache(tmp_path: Path) -> None:
    spec, env = _hook_repo(tmp_path)
    _, cached = _offline_check(spec, env)
    cold_modules, cold = _offline_check(spec, {**env, "SEEDSPEC_NO_CACHE": "1"})
    assert "sqlglot" in {m.split(".")[0] for m in cold_modules}  # computed, not read
    assert cached["result"] == cold["result"]
    for broken in (tmp_path / "cache").rglob("*.pickle"):
        broken.write_bytes(b"not a pickle")
    again_modules, again = _offline_check(spec, env)  # an unreadable entry is a miss
    assert again["result"] == cold["result"]
    assert "sqlglot" in {m.split(".")[0] for m in again_modules}


def test_a_spec_found_valid_before_is_read_without_jsonschema() -> None:
    first = _imported(["validate", "specs/shop.yaml"])  # records the verdict (spec/verdicts.py)
    again = _imported(["validate", "specs/shop.yaml"])
    assert "jsonschema" in first or "jsonschema" not in again
    assert "jsonschema" not in again, "a remembered valid spec was checked again"


def test_mimesis_is_imported_only_to_draw_a_pool() -> None:
    code = (
        "import sys\n"
        "import seedspec.compile.passes.steps, seedspec.execute.written, seedspec.generate.text\n"
        "from seedspec.generate.pools import mimesis_version\n"
        "version = mimesis_version()\n"
        "assert 'mimesis' not in sys.modules, 'mimesis imported at start-up'\n"
        "import mimesis\n"
        "assert version == mimesis.__version__, (version, mimesis.__version__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
