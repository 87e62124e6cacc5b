"""The output contract, command by command: every `-o json` stdout (success, each error class,
usage errors) is one document valid against schemas/report-1.schema.json, with the exit code
the documented error-code table gives (docs/OUTPUT.md, README "Exit codes"); `-o github` still
annotates; the databases are queried to prove what was (not) written."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sqlalchemy as sa
from conftest import REPO, run_sql, scalar, sigint_default
from referencing import Registry, Resource

from seedspec import __version__
from seedspec.cli import exits

REPORT = json.loads((REPO / "schemas" / "report-1.schema.json").read_text())
PLAN = json.loads((REPO / "schemas" / "plan-1.schema.json").read_text())
REGISTRY = Registry().with_resources(
    [(s["$id"], Resource.from_contents(s)) for s in (REPORT, PLAN)]
)
VALIDATOR = jsonschema.Draft202012Validator(REPORT, registry=REGISTRY)

# The documented error codes and the exit code each one means (docs/OUTPUT.md; README: 0 ok,
# 1 error, 2 usage, 3 drift or unsatisfiable, 4 guard, 70 internal, 130 interrupted).
EXIT_OF = {
    "spec": 1,
    "connection": 1,
    "permission": 1,
    "database": 1,
    "load": 1,
    "lock-timeout": 1,
    "seeded": 1,
    "usage": 2,
    "drift": 3,
    "unsatisfiable": 3,
    "guard": 4,
    "internal": 70,
    "interrupted": 130,
}

DDL = """
CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE);
CREATE TABLE post (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES author (id),
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'live'))
);
"""
SPEC = """seedspec: 1
seed: 3
tables:
  author:
    count: 5
  post:
    count: {per: author, min: 1, max: 3}
    columns:
      status: {choice: {draft: 1, live: 3}}
"""
DRIFTED = SPEC.replace("    count: 5\n", "    count: 5\n    columns:\n      nickname: {const: x}\n")
UNSATISFIABLE = SPEC.replace(
    "{per: author, min: 1, max: 3}", "{per: author, min: 3, max: 3}"
).replace("status: {choice", "title: {choice: {a: 1, b: 1}, unique: true}\n      status: {choice")
INVALID = "seedspec: 1\ntables:\n  author:\n    count: -4\n"


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full,
        timeout=300,
    )


def contract(done: subprocess.CompletedProcess, command: str | None, code: str | None) -> dict:
    """The stdout of a `-o json` run: one valid document; its exit code the table's for `code`
    (None: success), every error of the class `code`."""
    doc: dict[str, Any] = json.loads(done.stdout)  # the whole of stdout, one document
    VALIDATOR.validate(doc)
    assert doc["command"] == command and doc["version"] == __version__, doc
    assert doc["exit_code"] == done.returncode, (doc, done.stderr)
    if code is None:
        assert done.returncode == 0 and doc["ok"] is True, (doc, done.stderr)
        return doc
    assert done.returncode == EXIT_OF[code] and doc["ok"] is False, (doc, done.stderr)
    assert {e["code"] for e in doc["errors"]} == {code}, doc["errors"]
    return doc


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "seed.yaml").write_text(SPEC)
    run_sql(f"sqlite:///{tmp_path / 'app.db'}", DDL)
    return tmp_path


def db(work: Path) -> str:
    return f"sqlite:///{work / 'app.db'}"


def test_error_code_table_is_the_documented_one() -> None:
    """One table in the code, the docs and this test: each error code, one exit code."""
    assert {k: int(v) for k, v in exits.EXIT_OF_CODE.items()} == EXIT_OF
    assert set(REPORT["$defs"]["problem"]["properties"]["code"]["enum"]) == set(EXIT_OF)
    docs = (REPO / "docs" / "OUTPUT.md").read_text()
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| `(\d+)` \|", docs, re.M))
    assert {k: int(v) for k, v in rows.items()} == EXIT_OF
    readme = (REPO / "README.md").read_text()
    for exit_code in ("`0` ok", "`1` error", "`2` usage", "`3` the spec does not fit", "`4`"):
        assert exit_code in readme


def test_schemas_are_packaged_unchanged() -> None:
    for name in ("report-1.schema.json", "plan-1.schema.json"):
        packaged = REPO / "seedspec" / "schemas" / name
        assert packaged.read_text() == (REPO / "schemas" / name).read_text(), name
    jsonschema.Draft202012Validator.check_schema(REPORT)


def test_success_documents_of_every_command(work: Path) -> None:
    url = db(work)
    contract(cli("version", "-o", "json", cwd=work), "version", None)
    doc = contract(cli("validate", "seed.yaml", "-o", "json", cwd=work), "validate", None)
    assert doc["result"] == {"files": ["seed.yaml"]}
    doc = contract(cli("check", "--db", url, "-o", "json", cwd=work), "check", None)
    assert doc["result"]["drift"]["checked"] == [{"spec": "seed.yaml", "source": "database"}]
    doc = contract(cli("snapshot", "--db", url, "-o", "json", cwd=work), "snapshot", None)
    assert doc["result"]["written"] is True and (work / "seed.schema.json").is_file()
    doc = contract(
        cli("snapshot", "--check", "--db", url, "-o", "json", cwd=work), "snapshot", None
    )
    assert doc["result"]["stale"] is False
    doc = contract(cli("check", "--offline", "-o", "json", cwd=work), "check", None)
    assert doc["result"]["drift"]["checked"][0]["source"] == "snapshot"
    snap = ("--snapshot", "seed.schema.json")
    contract(cli("check", *snap, "-o", "json", cwd=work), "check", None)
    doc = contract(cli("plan", "--db", url, "-o", "json", cwd=work), "plan", None)
    assert doc["result"]["plan"]["format"] == "seedspec-plan/1"
    (work / "plan.json").write_text(json.dumps(doc))
    doc = contract(cli("preview", "--db", url, "-n", "2", "-o", "json", cwd=work), "preview", None)
    assert set(doc["result"]["tables"]) == {"author", "post"}
    assert all(len(rows) == 2 for rows in doc["result"]["tables"].values())
    assert scalar(url, "SELECT count(*) FROM author") == 0  # preview wrote nothing
    doc = contract(cli("apply", "--db", url, "-o", "json", cwd=work), "apply", None)
    for t in doc["result"]["report"]["tables"]:
        assert scalar(url, f"SELECT count(*) FROM {t['table']}") == t["rows"] > 0
    doc = contract(
        cli("apply", "--plan", "plan.json", "--db", url, "--truncate", "-o", "json", cwd=work),
        "apply",
        None,
    )
    assert doc["result"]["report"]["cleared"] == ["author", "post"]
    assert scalar(url, "SELECT count(*) FROM author") == 5
    doc = contract(
        cli("init", "new.yaml", "--db", url, "--stdout", "-o", "json", cwd=work), "init", None
    )
    assert doc["result"]["spec"].count("author:") == 1 and not (work / "new.yaml").exists()


def test_spec_drift_and_unsatisfiable_errors(work: Path) -> None:
    url = db(work)
    (work / "bad.yaml").write_text(INVALID)
    doc = contract(cli("validate", "bad.yaml", "-o", "json", cwd=work), "validate", "spec")
    assert doc["errors"][0]["file"] == "bad.yaml" and doc["errors"][0]["line"] == 4
    contract(cli("plan", "bad.yaml", "--db", url, "-o", "json", cwd=work), "plan", "spec")

    (work / "drift.yaml").write_text(DRIFTED)
    for verb in ("check", "plan", "apply"):
        doc = contract(cli(verb, "drift.yaml", "--db", url, "-o", "json", cwd=work), verb, "drift")
        (error,) = doc["errors"]
        assert (error["kind"], error["column"], error["line"]) == ("missing-column", "nickname", 7)
        assert error["fix"] and error["file"] == "drift.yaml"
        found = doc["result"]["drift"]["findings"]  # drift: the result, warnings included
        assert [f for f in found if f["severity"] == "error"] == doc["errors"]
    assert scalar(url, "SELECT count(*) FROM author") == 0
    github = cli("check", "drift.yaml", "--db", url, "-o", "github", cwd=work)
    assert github.returncode == 3
    assert "::error file=drift.yaml,line=7,col=7,title=seedspec missing-column::" in github.stdout

    (work / "unsat.yaml").write_text(UNSATISFIABLE)
    for verb in ("plan", "apply"):
        doc = contract(
            cli(verb, "unsat.yaml", "--db", url, "-o", "json", cwd=work), verb, "unsatisfiable"
        )
        assert doc["errors"][0]["kind"] == "unique-capacity" and doc["errors"][0]["line"]
    assert scalar(url, "SELECT count(*) FROM post") == 0


def test_snapshot_errors(work: Path) -> None:
    url = db(work)
    check = ("snapshot", "--check", "--db", url, "-o", "json")
    doc = contract(cli(*check, cwd=work), "snapshot", "spec")  # no snapshot: exit 1
    assert "no committed snapshot" in doc["errors"][0]["message"]
    assert cli("snapshot", "--check", "--db", url, cwd=work).returncode == 1
    contract(cli("snapshot", "--db", url, "-o", "json", cwd=work), "snapshot", None)
    run_sql(url, "ALTER TABLE author ADD COLUMN bio TEXT")
    doc = contract(cli(*check, cwd=work), "snapshot", "drift")
    assert doc["errors"][0]["kind"] == "stale-snapshot"
    assert doc["result"]["stale"] is True and "bio" in doc["result"]["diff"]
    (work / "other.yaml").write_text(SPEC)
    doc = contract(cli("check", "other.yaml", "--offline", "-o", "json", cwd=work), "check", "spec")
    assert "no snapshot here" in doc["errors"][0]["message"]


@pytest.mark.parametrize(
    ("args", "command", "kind"),
    [
        (("apply", "--bogus"), "apply", "unknown-option"),
        (("plan", "--scale", "lots"), "plan", "bad-value"),
        (("preview", "--rows", "-3"), "preview", "bad-value"),
        (("validate",), "validate", "missing-argument"),
        (("frobnicate",), None, "usage"),
        (("check", "--schema", "seed.schema.json"), "check", "bad-value"),
        (("apply", "--plan", "plan.json", "seed.yaml"), "apply", "usage"),
        (("plan", "--db", "sqlite:///nowhere/none.db"), "plan", "usage"),
    ],
)
def test_usage_errors_are_the_json_document(work: Path, args: tuple, command, kind) -> None:
    (work / "plan.json").write_text("{}")
    doc = contract(cli(*args, "-o", "json", cwd=work), command, "usage")
    assert doc["errors"][0]["kind"] == kind and doc["errors"][0]["message"]
    text = cli(*args, cwd=work)  # without -o json: click's text on stderr, nothing on stdout
    assert text.returncode == 2 and text.stdout == "" and text.stderr


def test_schema_given_a_snapshot_file_says_use_snapshot(work: Path) -> None:
    done = cli("check", "--db", db(work), "--schema", "seed.schema.json", cwd=work)
    assert done.returncode == 2 and "--snapshot seed.schema.json" in done.stderr


def test_load_and_lock_timeout_errors(work: Path) -> None:
    url = db(work)
    contract(cli("apply", "--db", url, "-o", "json", cwd=work), "apply", None)
    same = contract(cli("apply", "--db", url, "-o", "json", cwd=work), "apply", None)
    assert same["result"]["report"]["noop"] is True  # the ledger: this plan seeded them
    again = cli("apply", "--db", url, "--scale", "2", "-o", "json", cwd=work)
    doc = contract(again, "apply", "seeded")
    assert "already hold rows" in doc["errors"][0]["message"]
    holder = sqlite3.connect(work / "app.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the file's write lock
    try:
        done = cli(
            "apply", "--db", url, "--truncate", "--lock-timeout", "0.5", "-o", "json", cwd=work
        )
        doc = contract(done, "apply", "lock-timeout")
        assert "nothing was written" in doc["errors"][0]["message"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert scalar(url, "SELECT count(*) FROM author") == 5


def test_internal_error(work: Path) -> None:
    """A MetaData that breaks in a way seedspec does not expect: exit 70, never a traceback."""
    (work / "boom.py").write_text(
        "import sqlalchemy as sa\nclass Boom(dict):\n    def values(self):\n"
        "        raise RuntimeError('boom')\nmeta = sa.MetaData()\n"
        "sa.Table('t', meta, sa.Column('id', sa.Integer, primary_key=True))\n"
        "meta.tables = Boom(meta.tables)\n"
    )
    env = {"PYTHONPATH": f"{os.environ.get('PYTHONPATH', '')}{os.pathsep}{work}"}
    args = ("check", "--metadata", "boom:meta", "--dialect", "sqlite", "-o", "json")
    done = cli(*args, cwd=work, env=env)
    doc = contract(done, "check", "internal")
    assert "RuntimeError: boom" in doc["errors"][0]["message"] and "Traceback" not in done.stderr


def test_interrupted_apply(work: Path) -> None:
    url = db(work)
    (work / "big.yaml").write_text(SPEC.replace("count: 5\n", "count: 3000000\n"))
    args = ["apply", "big.yaml", "--db", url, "-o", "json"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "seedspec.cli.app", *args],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint_default,  # even when the suite runs with SIGINT ignored
    )
    time.sleep(4)
    assert proc.poll() is None, "the apply ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    doc = contract(
        subprocess.CompletedProcess(args, proc.returncode, out, err), "apply", "interrupted"
    )
    assert "interrupted" in doc["errors"][0]["message"]
    assert scalar(url, "SELECT count(*) FROM author") == 0


def test_guard_refusal(work: Path) -> None:
    doc = contract(
        cli("apply", "--db", "postgresql://postgres@db.invalid/test", "-o", "json", cwd=work),
        "apply",
        "guard",
    )
    assert (
        doc["errors"][0]["kind"] == "guard-remote" and "--allow-remote" in doc["errors"][0]["fix"]
    )
    github = cli("apply", "--db", "postgresql://postgres@db.invalid/test", "-o", "github", cwd=work)
    assert github.returncode == 4 and github.stdout.startswith(
        "::error title=seedspec guard-remote::"
    )


def test_postgres_connection_and_permission_errors(pg_url: str, tmp_path: Path) -> None:
    (tmp_path / "seed.yaml").write_text(SPEC)
    closed = sa.make_url(pg_url).set(host="127.0.0.1", port=1).render_as_string(False)
    for verb in ("check", "plan", "apply", "snapshot", "preview", "init"):
        extra = ("--stdout",) if verb == "init" else ()
        done = cli(verb, "--db", closed, *extra, "-o", "json", cwd=tmp_path)
        assert "refused" in contract(done, verb, "connection")["errors"][0]["message"]
    nobody = sa.make_url(pg_url).set(username="contract_no_such_role").render_as_string(False)
    contract(cli("plan", "--db", nobody, "-o", "json", cwd=tmp_path), "plan", "connection")

    run_sql(pg_url, DDL.replace("INTEGER PRIMARY KEY", "integer PRIMARY KEY"))
    role = f"contract_ro_{os.getpid()}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    try:
        limited = sa.make_url(pg_url).set(username=role).render_as_string(False)
        contract(cli("plan", "--db", limited, "-o", "json", cwd=tmp_path), "plan", None)
        doc = contract(
            cli("apply", "--db", limited, "-o", "json", cwd=tmp_path), "apply", "permission"
        )
        assert "permission denied" in doc["errors"][0]["message"]
        assert "nothing was written" in doc["errors"][0]["message"]
        assert scalar(pg_url, "SELECT count(*) FROM author") == 0
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()


def test_sharded_apply_documents(work: Path) -> None:
    """apply --shard K/N and --finish (docs/EXPORT.md): each success, no-op and refusal one
    valid document, with its documented error code; the database says what was written."""
    url = db(work)
    parts = ("--part-rows", "2")
    doc = contract(
        cli("apply", "--db", url, "--shard", "1/2", *parts, "-o", "json", cwd=work), "apply", None
    )
    report = doc["result"]["report"]
    assert report["shard"]["held"]["author"] == [[0, 2]] and report["ledger"]["shard"]["index"] == 1
    assert scalar(url, "SELECT count(*) FROM author") == 2
    again = cli("apply", "--db", url, "--shard", "1/2", *parts, "-o", "json", cwd=work)
    assert contract(again, "apply", None)["result"]["report"]["noop"] is True
    missing = contract(
        cli("apply", "--db", url, "--finish", "-o", "json", cwd=work), "apply", "load"
    )
    assert missing["errors"][0]["kind"] == "shards-missing"
    assert "2/2" in missing["errors"][0]["message"] and missing["errors"][0]["fix"]
    other_n = cli("apply", "--db", url, "--shard", "2/3", *parts, "-o", "json", cwd=work)
    assert "has 2 shards" in contract(other_n, "apply", "usage")["errors"][0]["message"]
    reset = cli("apply", "--db", url, "--shard", "2/2", "--reset", "-o", "json", cwd=work)
    contract(reset, "apply", "usage")
    both = cli("apply", "--db", url, "--shard", "2/2", "--finish", "-o", "json", cwd=work)
    contract(both, "apply", "usage")
    plain = contract(cli("apply", "--db", url, "-o", "json", cwd=work), "apply", "seeded")
    assert "sharded load is in progress" in plain["errors"][0]["message"]
    contract(
        cli("apply", "--db", url, "--shard", "2/2", *parts, "-o", "json", cwd=work), "apply", None
    )
    assert scalar(url, "SELECT count(*) FROM author") == 5
    done = contract(cli("apply", "--db", url, "--finish", "-o", "json", cwd=work), "apply", None)
    assert done["result"]["report"]["shard"]["finish"] is True
    assert done["result"]["report"]["shard"]["verified"]["author"] == 5
    noop = contract(cli("apply", "--db", url, "--finish", "-o", "json", cwd=work), "apply", None)
    assert noop["result"]["report"]["noop"] is True
    remote = "postgresql://postgres@db.invalid/test"
    for args in (("--shard", "1/2"), ("--finish",)):
        guard = contract(
            cli("apply", "--db", remote, *args, "-o", "json", cwd=work), "apply", "guard"
        )
        assert guard["errors"][0]["kind"] == "guard-remote"
