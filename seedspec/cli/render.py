"""Renderers: Problems, plans, apply reports -> text, GitHub annotations or one JSON document."""

from __future__ import annotations

import contextlib
import contextvars
import json
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem

if TYPE_CHECKING:  # the plan and the report are imported only to render them: start-up
    from seedspec.execute.run import ApplyReport
    from seedspec.plan.model import Plan
    from seedspec.plan.oracle import CheckCoverage

_CAPTURED: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "seedspec_captured_json", default=None
)


def emit_json(doc: dict[str, Any]) -> None:
    """Print a verb's one JSON document, or hand it to `captured()` (the MCP server's tools)."""
    text = json.dumps(doc, indent=2, default=str)
    sink = _CAPTURED.get()
    if sink is not None:
        sink.append(json.loads(text))
        return
    sys.stdout.write(text + "\n")


@contextlib.contextmanager
def captured() -> Iterator[list[dict[str, Any]]]:
    """The JSON documents emitted in this context (this thread), instead of stdout."""
    sink: list[dict[str, Any]] = []
    token = _CAPTURED.set(sink)
    try:
        yield sink
    finally:
        _CAPTURED.reset(token)


def problems_text(problems: Sequence[Problem]) -> None:
    for p in problems:
        sys.stderr.write(p.format() + "\n")


def github_line(p: Problem) -> str:
    """A GitHub Actions workflow command: an annotation on the spec's line."""
    parts = []
    if p.location:
        parts = [f"file={p.location.file}", f"line={p.location.line}", f"col={p.location.col}"]
    parts.append(f"title=seedspec {p.code}")
    level = "error" if p.severity == "error" else "warning"
    return f"::{level} {','.join(parts)}::{_escape(p.text)}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_problems(problems: Sequence[Problem]) -> None:
    for p in problems:
        sys.stdout.write(github_line(p) + "\n")


def findings_stderr(findings: Sequence[Problem]) -> None:
    for f in findings:
        sys.stderr.write(f.format() + "\n")


def findings_stdout(findings: Sequence[Problem]) -> None:
    for f in findings:
        sys.stdout.write(f.format() + "\n")
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    sys.stdout.write(f"{errors} error(s), {warnings} warning(s)\n" if findings else "no drift\n")


def plan_text(plan: Plan) -> str:
    from seedspec.plan.model import FillDeferred, InsertRows, RunSql, VerifyForeignKeys
    from seedspec.plan.oracle import describe

    lines = [f"plan for {plan.dialect} (seed {plan.seed}, digest {plan.digest()}):"]
    for n, step in enumerate(plan.steps, start=1):
        if isinstance(step, InsertRows):
            extra = f"; NULL then fill: {', '.join(step.null_columns)}" if step.null_columns else ""
            lines.append(
                f"{n:>3}. insert {step.count:>9,} rows into {step.table}  [{step.reason}{extra}]"
            )
        elif isinstance(step, FillDeferred):
            lines.append(f"{n:>3}. fill {step.table}.{', '.join(step.columns)} ({step.reason})")
        elif isinstance(step, VerifyForeignKeys):
            lines.append(f"{n:>3}. verify foreign keys of {', '.join(step.tables)} ({step.reason})")
        elif isinstance(step, RunSql):
            first = step.sql.strip().splitlines()[0] if step.sql.strip() else ""
            lines.append(f"{n:>3}. run after-SQL: {first[:70]}")
        else:
            lines.append(f"{n:>3}. move sequences/identity counters past the seeded keys")
    for b in plan.broken_edges:
        lines.append(
            f"     cycle broken at {b.child}.{'+'.join(b.columns)} -> {b.parent} ({b.mode})"
        )
    lines += [f"     {describe(t.name, t.oracle)}" for t in plan.recipes if t.oracle]
    lines += [f"     {coverage_line(t.name, t.checks)}" for t in plan.recipes if t.checks]
    lines += left_alone_lines(plan)
    total = sum(s.count for s in plan.steps if isinstance(s, InsertRows))
    lines.append(f"total: {total:,} rows in {len(plan.tables)} tables")
    lines.append(f"load path: {plan.load_path} ({plan.load_path_reason})")
    return "\n".join(lines)


def left_alone_lines(plan: Plan) -> list[str]:
    """The tables the plan neither seeds nor clears (--reset included), and why."""
    if not plan.left_alone:
        return []
    rows = {e.name: e.count for e in plan.existing}
    out = ["left alone (not seeded, never cleared, not even by --reset):"]
    for a in plan.left_alone:
        parents = f"; {rows[a.table]:,} existing rows are FK parents" if a.table in rows else ""
        out.append(f"     {a.table}: {a.reason}{parents}")
        if a.references:
            out.append(
                f"       it references {', '.join(a.references)}: --reset empties "
                f"{'those' if len(a.references) > 1 else 'it'} but never {a.table}, and refuses "
                f"while {a.table} holds rows"
            )
    return out


def coverage_line(table: str, checks: CheckCoverage) -> str:
    """`CHECKs of t: 3 modelled; oracle: c1; unjudged: c2` (what each CHECK's rows rely on)."""
    parts = [f"{len(checks.modelled)} modelled"]
    if checks.oracle:
        parts.append(f"judged by the database: {', '.join(checks.oracle)}")
    if checks.unjudged:
        parts.append(f"not judged (rows may violate): {', '.join(checks.unjudged)}")
    return f"CHECKs of {table}: {'; '.join(parts)}"


def _shard_line(shard: dict[str, Any]) -> str:
    """What a sharded invocation did, in one line."""
    if shard.get("finish"):
        return (
            f"finished the sharded load of {shard['count']} shards: every FK and UNIQUE "
            "proved, sequences moved, after: run"
        )
    return f"shard {shard['index']}/{shard['count']} (parts of {shard['part_rows']:,} rows)"


def apply_text(report: ApplyReport) -> str:
    if report.noop and report.shard and report.ledger:
        e = report.ledger
        return (
            f"{_shard_line(report.shard).split(':')[0]}: already in (ledger entry #{e['id']} in "
            f"{report.ledger_table}, applied {e['applied_at']}); nothing was written"
        )
    if report.noop and report.ledger:
        e = report.ledger
        rows = ", ".join(f"{t} {n:,}" for t, n in e["counts"].items()) or "none"
        return (
            f"already seeded by this plan (ledger entry #{e['id']} in {report.ledger_table}, "
            f"applied {e['applied_at']}, digest {e['plan_digest']}; rows: {rows}); "
            "nothing to do, nothing was written"
        )
    width = max([len(t.table) for t in report.tables] + [5])
    lines = [f"{'table':<{width}}  {'rows':>10}  {'seconds':>8}  {'rows/s':>10}"]
    for t in report.tables:
        rate = f"{t.rows / t.seconds:,.0f}" if t.seconds > 0 else "-"
        lines.append(f"{t.table:<{width}}  {t.rows:>10,}  {t.seconds:>8.3f}  {rate:>10}")
    lines.append(f"{'total':<{width}}  {report.rows:>10,}  {report.seconds:>8.3f}")
    if report.load_path == "bulk":
        lines.append(
            f"bulk path: constraints restored and validated in {report.validate_seconds:.3f} s"
        )
    if report.oracle_rows:
        lines.append(f"CHECK oracle: {report.oracle_rows:,} rows use a later candidate")
    lines += [f"CHECK oracle could not judge {t}" for t in report.oracle_skipped]
    if report.cleared:
        lines.append(f"replaced the earlier rows of: {', '.join(report.cleared)}")
    if report.left_alone:
        lines.append(f"left alone (not written, not cleared): {', '.join(report.left_alone)}")
    if report.emptied:
        lines.append(
            f"also emptied (not seeded; their rows referenced replaced rows): "
            f"{', '.join(report.emptied)}"
        )
    if report.shard:
        lines.append(_shard_line(report.shard))
    if report.ledger:
        lines.append(f"recorded as ledger entry #{report.ledger['id']} in {report.ledger_table}")
    return "\n".join(lines)
