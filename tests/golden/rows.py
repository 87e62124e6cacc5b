"""Rows of the golden cases under two versions of the code: a review aid for re-blessing.

    .venv/bin/python tests/golden/rows.py --against /tmp/old

compiles every case with this checkout and with the seedspec code in /tmp/old (for example
`git archive COMMIT seedspec schemas | tar -x -C /tmp/old`), generates every row of every seeded
table from both plans and prints each column whose values differ (exit 1), or that all rows are
identical. A plan JSON that changed only in format gives identical rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import goldenlib as g  # noqa: E402


def _model(plan: Any) -> Any:
    live = getattr(plan, "model", None)  # before the Plan became recipes, it held the Model
    if live is not None:
        return live
    from seedspec.plan.bind import bind

    return bind(plan)


def case_rows(case: g.Case) -> dict[str, Any]:
    """{"order": [...], "rows": {table: {column: [repr, ...]}}} or {"error": [messages]}."""
    import numpy as np

    from seedspec.api import load_or_infer
    from seedspec.compile import compile_plan
    from seedspec.database import snapshot
    from seedspec.errors import SeedspecError

    with g.inside(case.path):
        try:
            schema = snapshot.read(g.SCHEMA_FILE)
            spec = load_or_infer(g.SPEC_FILE if case.spec else None, case.profile)
            plan = compile_plan(spec, schema, case.scale, strict=case.strict)
        except SeedspecError as err:
            return {"error": sorted(p.message.split(" (fix: ")[0] for p in err.problems)}
    model, rows = _model(plan), {}
    step: Any
    for step in plan.steps:
        if type(step).__name__ == "InsertRows":
            idx = np.arange(step.count, dtype=np.int64)
            rows[step.table] = {
                c: [repr(v) for v in model.values(step.table, c, idx).tolist()]
                for c in step.columns
            }
    return {"order": list(plan.tables), "rows": rows}


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name, {}), new.get(name, {})
        if a.get("error") != b.get("error") or a.get("order") != b.get("order"):
            out.append(f"{name}: outcome or table order differs")
            continue
        for table in sorted(set(a.get("rows", {})) | set(b.get("rows", {}))):
            ra, rb = a["rows"].get(table, {}), b["rows"].get(table, {})
            for column in sorted(set(ra) | set(rb)):
                if ra.get(column) != rb.get(column):
                    out.append(f"{name}: {table}.{column} differs")
    return out


def _dump_with(code: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    with tempfile.TemporaryDirectory() as tmp:  # not the checkout: its seedspec/ would shadow
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--dump"],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return dict(json.loads(proc.stdout))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="the other seedspec code (a folder)")
    parser.add_argument("--code", type=Path, default=g.REPO, help="this code (default: checkout)")
    parser.add_argument("--dump", action="store_true", help="print this code's rows as JSON")
    args = parser.parse_args()
    if args.dump:
        json.dump({c.name: case_rows(c) for c in g.cases()}, sys.stdout, sort_keys=True)
        return 0
    if args.against is None:
        parser.error("--against DIR is required")
    found = differences(_dump_with(args.against.resolve()), _dump_with(args.code.resolve()))
    print("\n".join(found) or f"every row of every case is identical ({len(g.cases())} cases)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
