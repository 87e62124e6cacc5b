"""Golden compile cases: a case folder (schema snapshot, spec, options) -> the rendered outcome.

Each folder under ``tests/golden/cases/`` holds:

- ``schema.json``: the database schema as a seedspec snapshot (``seedspec snapshot`` format),
  reflected once from ``schema.<dialect>.sql`` (sqlite, postgresql or mariadb) and committed;
- ``spec.yaml`` (absent: the whole schema is inferred, as ``seedspec plan`` does without a spec);
- ``case.json``: ``about`` (what the case shows) and optional ``scale``, ``profile``, ``strict``,
  ``cli`` ("plan" or "check": also run the command line for this case), ``existing`` (rows of
  left-alone tables) and ``picks`` (``{"table.column": [values]}``: what `existing:` columns read);
- the expected outcome, written by ``python scripts/bless.py``: ``expected.plan.json`` (the
  compiled plan) or ``expected.problems.json`` (the error type, exit code and every diagnostic);
  ``expected.cli.json`` for the cases that also run the command line.

The compile path is the one ``seedspec plan`` takes (``api.load_or_infer`` then
``compile.compile_plan``), with the schema read from the snapshot, so no database server is needed.
``render`` is the one place that knows how a Plan becomes JSON.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# the seedspec code the cases run against (default: this checkout); bless.py can point it at an
# exported older commit to bless a baseline: SEEDSPEC_GOLDEN_CODE=/tmp/old scripts/bless.py
CODE = Path(os.environ.get("SEEDSPEC_GOLDEN_CODE") or REPO)
CASES = HERE / "cases"
SCHEMA_FILE = "schema.json"
SPEC_FILE = "spec.yaml"
PLAN_FILE = "expected.plan.json"
PROBLEMS_FILE = "expected.problems.json"
CLI_FILE = "expected.cli.json"
DIALECTS = ("sqlite", "postgresql", "mariadb")
MASK = "<masked>"
# plan fields the CLI sets from the live database: the load path (the library path leaves the
# defaults) and the schema fingerprint (a live schema records the server version, a snapshot not)
LIVE_KEYS = ("load_path", "load_path_reason", "schema_fingerprint")


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    about: str
    scale: float | None = None
    profile: str | None = None
    strict: bool = False
    cli: str | None = None  # "plan" | "check"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> Path | None:
        spec = self.path / SPEC_FILE
        return spec if spec.is_file() else None

    def ddl(self) -> tuple[str, Path] | None:
        """(dialect, schema.<dialect>.sql) when the case keeps the DDL its snapshot came from."""
        for dialect in DIALECTS:
            sql = self.path / f"schema.{dialect}.sql"
            if sql.is_file():
                return dialect, sql
        return None


def cases() -> list[Case]:
    return [load_case(p) for p in sorted(CASES.iterdir()) if (p / "case.json").is_file()]


def load_case(path: Path) -> Case:
    opts = json.loads((path / "case.json").read_text(encoding="utf-8"))
    return Case(
        name=path.name,
        path=path,
        about=opts["about"],
        scale=opts.get("scale"),
        profile=opts.get("profile"),
        strict=bool(opts.get("strict", False)),
        cli=opts.get("cli"),
        options=opts,
    )


@contextlib.contextmanager
def inside(path: Path) -> Iterator[None]:
    """Run with the case folder as working directory: spec locations read `spec.yaml:L:C`."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


# -- the one adapter between the library's values and the golden JSON ----------------------
def render(plan: Any) -> dict[str, Any]:
    """The Plan as golden JSON: its canonical dict with versions masked (and the plan digest,
    which hashes the versions too)."""
    doc = mask(plan.to_dict())
    if "digest" in doc:
        doc["digest"] = MASK
    return doc


def render_error(err: Any) -> dict[str, Any]:
    """A SeedspecError as golden JSON: its type, exit code and every diagnostic."""
    report = getattr(err, "report", None)
    if report is not None:  # DriftError: the findings, without the message+fix concatenation
        items = [f.to_dict() for f in report.findings]
    else:
        items = [p.to_dict() for p in err.problems]
    return mask(
        {
            "error": type(err).__name__,
            "exit_code": exit_code(err),
            "problems": [{k: v for k, v in item.items() if v is not None} for item in items],
        }
    )


def exit_code(err: BaseException) -> int:
    """The exit code the command line gives for `err` (its one exception -> exit code table)."""
    try:
        from seedspec.cli.exits import exit_code_of
    except ImportError:  # before the table existed, each error class carried its code
        return int(err.exit_code)  # type: ignore[attr-defined]
    return int(exit_code_of(err))


def mask(doc: Any) -> Any:
    """Versions masked; absolute paths of the case folders made relative."""
    if isinstance(doc, dict):
        out = {k: mask(v) for k, v in doc.items()}
        versions = out.get("versions")
        if isinstance(versions, dict):
            out["versions"] = {k: MASK for k in versions}
        elif isinstance(versions, list):  # pairs: [["mimesis", "22.2.0"], ...]
            out["versions"] = [[pair[0], MASK] for pair in versions]
        return out
    if isinstance(doc, (list, tuple)):
        return [mask(v) for v in doc]
    if isinstance(doc, str):
        for root in (CASES, REPO, CODE):
            doc = doc.replace(str(root) + os.sep, "")
        return doc
    return doc


def _jsonable(value: Any) -> Any:
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return item()
    return str(value)


def dumps(doc: Any) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False, default=_jsonable) + "\n"


# -- running a case ------------------------------------------------------------------------
def compile_case(case: Case) -> Any:
    """The case's Plan, or the SeedspecError it raises: the library path `seedspec plan` takes."""
    from seedspec.api import load_or_infer
    from seedspec.compile import compile_plan
    from seedspec.database import snapshot
    from seedspec.errors import SeedspecError

    with inside(case.path):
        try:
            schema = snapshot.read(SCHEMA_FILE)
            spec = load_or_infer(SPEC_FILE if case.spec else None, case.profile)
            spec = picks_of(spec, schema, case.options.get("picks"))
            existing = existing_rows(case.options.get("existing"))
            return compile_plan(spec, schema, case.scale, strict=case.strict, existing=existing)
        except SeedspecError as err:
            return err


def picks_of(spec: Any, schema: Any, given: dict[str, list[Any]] | None) -> Any:
    """case.json `picks`: {"table.column": [values]} -> the spec with the values `existing:`
    columns would read from a live database (database/picks.py; absent: not read)."""
    if given is None:
        return spec
    from seedspec.database.picks import fill_picks

    return fill_picks(spec, schema, lambda t, column, where, at: given.get(f"{t.name}.{column}"))


def existing_rows(given: dict[str, Any] | None) -> Any:
    """case.json `existing`: {table: {"columns": [...], "rows": [[...], ...]}} -> the rows of
    left-alone tables as a live database would give them (absent: not read, as offline)."""
    if given is None:
        return None
    from seedspec.plan.params import Params
    from seedspec.plan.recipes import ExistingRows

    out = {}
    for name, table in given.items():
        cols, rows = tuple(table["columns"]), table["rows"]
        data = [[row[i] for row in rows] for i in range(len(cols))]
        out[name] = ExistingRows(name, len(rows), cols, Params.of({"columns": data}))
    return out


def outcome(case: Case) -> tuple[str, dict[str, Any]]:
    """(expected file name, rendered document) for the case as the code stands."""
    return outcome_of(compile_case(case))


def outcome_of(result: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(result, Exception):
        return PROBLEMS_FILE, render_error(result)
    return PLAN_FILE, render(result)


def read_back(plan: Any) -> Any:
    """The plan written as JSON and read again (None while the Plan cannot be read back)."""
    from_json = getattr(type(plan), "from_json", None)
    return None if from_json is None else from_json(plan.to_json())


def cli_outcome(case: Case) -> dict[str, Any]:
    """The command line's JSON document and exit code for the case (`plan` or `check`)."""
    with tempfile.TemporaryDirectory() as tmp:
        if case.cli == "plan":
            db = Path(tmp) / "golden.db"
            ddl = case.ddl()
            if ddl is None or ddl[0] != "sqlite":
                raise ValueError(f"{case.name}: `cli: plan` needs schema.sqlite.sql")
            _sqlite_from(ddl[1], db)
            args = ["plan", *([SPEC_FILE] if case.spec else []), "--db", f"sqlite:///{db}"]
        elif case.cli == "check":
            args = ["check", *([SPEC_FILE] if case.spec else []), "--snapshot", SCHEMA_FILE]
        else:
            raise ValueError(f"{case.name}: cli must be 'plan' or 'check', not {case.cli!r}")
        if case.scale is not None:
            args += ["--scale", str(case.scale)]
        if case.profile:
            args += ["--profile", case.profile]
        if case.strict:
            args.append("--strict")
        env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
        env["PYTHONPATH"] = str(CODE)
        proc = subprocess.run(
            [sys.executable, "-m", "seedspec.cli.app", *args, "-o", "json"],
            cwd=case.path,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    try:
        doc = json.loads(proc.stdout)
    except ValueError:
        doc = {"unparsed_stdout": proc.stdout, "stderr": proc.stderr}
    if "version" in doc:  # seedspec's own version: not a golden fact
        doc["version"] = MASK
    plan = (doc.get("result") or {}).get("plan")
    if isinstance(plan, dict):  # the server version takes part in the fingerprint
        plan["schema_fingerprint"] = MASK
        if "digest" in plan:  # which the digest hashes, with the versions
            plan["digest"] = MASK
    shown = [MASK if a.startswith("sqlite:///") else a for a in args]
    return mask({"args": shown, "exit_code": proc.returncode, "stdout": doc})


def _sqlite_from(sql: Path, db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        conn.executescript(sql.read_text(encoding="utf-8"))
        conn.commit()
    finally:
        conn.close()


def without_live_keys(plan: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in plan.items() if k not in LIVE_KEYS}


def diff(expected: str, actual: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(True),
            actual.splitlines(True),
            f"{name} (expected)",
            f"{name} (actual)",
            n=4,
        )
    )


def messages_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(severity, message) of every diagnostic in an expected document (problems or warnings)."""
    items = doc.get("problems") or doc.get("warnings") or []
    return [(str(i.get("severity", "error")), str(i.get("message", ""))) for i in items]
