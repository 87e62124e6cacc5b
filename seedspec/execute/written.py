"""A plan file (`seedspec plan -o json`) -> the Plan, checked against the database it is applied to:
its schema fingerprint, the mimesis version that made its rows, its after: SQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from seedspec.compile.passes.steps import schema_fingerprint
from seedspec.database.model import DbSchema
from seedspec.deferred import deferred
from seedspec.dialects.capabilities import capabilities_for
from seedspec.errors import CompileError, Problem, UsageError
from seedspec.generate.pools import mimesis_version
from seedspec.plan.model import Plan, RunSql
from seedspec.spec.aftersql import refusals
from seedspec.spec.semantics import after_problem

if TYPE_CHECKING:
    import mimesis
else:
    mimesis = deferred("mimesis")


def read_plan(path: str) -> Plan:
    """A plan file: `seedspec plan -o json` output ({"ok", ..., "result": {"plan", "drift"}},
    or the older {"ok", "plan", "drift"}) or a bare plan."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UsageError(f"--plan {path}: cannot read a JSON plan ({err})") from None
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict):
        doc = doc["result"]
    if isinstance(doc, dict) and isinstance(doc.get("plan"), dict):
        doc = doc["plan"]
    if not isinstance(doc, dict):
        raise UsageError(f"--plan {path}: not a seedspec plan")
    return Plan.from_dict(doc)


def check_written(written: Plan, plan_path: str, schema: DbSchema, dialect_name: str) -> None:
    """Refuse a plan file compiled against another schema or mimesis, or with after: SQL that
    would end the transaction (CompileError, exit 3; nothing is written)."""
    found = schema_fingerprint(schema)
    if found != written.schema_fingerprint:
        problem = Problem(
            f"--plan {plan_path} was compiled against another schema (fingerprint "
            f"{written.schema_fingerprint}, this database's is {found}); nothing was written",
            code="plan-schema-mismatch",
            fix="compile the plan again against this database: seedspec plan -o json",
        )
        raise CompileError([problem])
    wanted = dict(written.versions).get("mimesis")
    if wanted is not None and wanted != mimesis_version():
        problem = Problem(
            f"--plan {plan_path} was compiled with mimesis {wanted}, this is "
            f"{mimesis_version()}: its rows would differ; nothing was written",
            code="plan-version-mismatch",
            fix=f"install mimesis {wanted}, or compile the plan again",
        )
        raise CompileError([problem])
    _refuse_after_sql(written, dialect_name)


def _refuse_after_sql(written: Plan, dialect_name: str) -> None:
    """A plan file's after: SQL is read as compile reads a spec's (the file may be hand-made)."""
    caps = capabilities_for(dialect_name)
    problems = [
        after_problem(i, refused, None)
        for i, step in enumerate(s for s in written.steps if isinstance(s, RunSql))
        for refused in refusals(step.sql, caps.sqlglot_dialect, caps.implicit_commits)
    ]
    if problems:
        raise CompileError(problems)
