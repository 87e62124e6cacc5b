"""Small-apply benchmark: `seedspec apply` of ~10k shop rows and of chinook with no spec, on
PostgreSQL -> median and min wall seconds per workload, process start to exit, against the targets.

Each run is a fresh process of this checkout (`python -m seedspec` with this checkout first on
PYTHONPATH, bytecode already written) into a database copied from a template just before it
(outside the timing), round-robin over the workloads; the noise guard (quiet.py) waits for a quiet
machine before every run and a run whose foreign CPU exceeds 10% of its wall time is redone (up
to twice) and counted as noisy if it stays so.

    python bench/small.py --repeat 7 [--json out.json] [--prefix seedspec_small]
    python bench/small.py --checkout /path/to/main --checkout . --cold   # before/after, one sitting
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import PG_HOST, PG_PORT, PG_SCHEMA, PG_USER, REPO_DIR, SPEC  # noqa: E402
from quiet import Window, wait_quiet  # noqa: E402

CORPUS = PG_SCHEMA.parents[1] / "corpus"
PSQL = ["psql", "-X", "-q", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-v", "ON_ERROR_STOP=1"]
# workload -> (schema file, spec arguments, target seconds)
WORKLOADS = {
    "shop 10k (scale 0.01)": (PG_SCHEMA, [str(SPEC), "--scale", "0.01"], 0.25),
    "chinook, no spec": (CORPUS / "chinook" / "schema.sql", [], 0.30),
}


@dataclass(frozen=True)
class Variant:
    """The code a run uses: a checkout (PYTHONPATH) and extra environment."""

    label: str
    checkout: str
    env: dict[str, str]


COUNT_SQL = (
    "SELECT coalesce(sum((xpath('/row/c/text()', query_to_xml("
    "format('SELECT count(*) AS c FROM %I.%I', schemaname, relname), false, true, '')))[1]"
    "::text::bigint), 0) FROM pg_stat_user_tables WHERE relname <> 'seedspec_ledger'"
)


def _psql(db: str, *args: str) -> str:
    done = subprocess.run([*PSQL, "-d", db, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"psql {' '.join(args)} failed: {done.stderr[-400:]}")
    return done.stdout


def _fresh(db: str, template: str | None = None) -> None:
    _psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{db}"')
    create = f'CREATE DATABASE "{db}"' + (f' TEMPLATE "{template}"' if template else "")
    _psql("postgres", "-c", create)


def _children_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _once(db: str, template: str, spec_args: list[str], variant: Variant) -> dict[str, Any]:
    """One apply into a fresh copy of the template -> its wall s, foreign CPU s and rows."""
    _fresh(db, template)
    url = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{db}"
    argv = [sys.executable, "-m", "seedspec", "apply", *spec_args, "--db", url, "-q"]
    env = {**os.environ, "PYTHONPATH": variant.checkout, **variant.env}
    cpu0 = _children_cpu_s()
    with Window() as window:
        t0 = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=variant.checkout)
        seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr[-400:]}")
    foreign = window.foreign(_children_cpu_s() - cpu0)
    rows = int(_psql(db, "-tA", "-c", COUNT_SQL).strip())
    return {"s": round(seconds, 4), "foreign_s": foreign, "rows": rows}


def _quiet_run(
    db: str, template: str, spec_args: list[str], variant: Variant, quiet_s: float
) -> dict[str, Any]:
    """A run redone (at most twice) while another process took > 10% of its wall time."""
    for _attempt in range(3):
        wait_quiet(0.10, quiet_s)
        run = _once(db, template, spec_args, variant)
        run["noisy"] = run["foreign_s"] > 0.10 * run["s"]
        if not run["noisy"]:
            break
    return run


def _variants(args: argparse.Namespace) -> list[Variant]:
    out = []
    for checkout in args.checkout or [str(REPO_DIR)]:
        label = Path(checkout).name
        out.append(Variant(label, checkout, {}))
        if args.cold:
            out.append(Variant(f"{label} (no pool cache)", checkout, {"SEEDSPEC_NO_CACHE": "1"}))
    return out


def _report(runs: dict[tuple[str, str], list[dict[str, Any]]]) -> bool:
    width = max(len(f"{w} | {v}") for w, v in runs)
    print(f"{'workload | code'.ljust(width)}    rows  median s    min s  target  ok  noisy")
    ok_all = True
    for (workload, label), done in runs.items():
        times = [r["s"] for r in done]
        med, target = statistics.median(times), WORKLOADS[workload][2]
        ok_all &= med <= target
        noisy = sum(r["noisy"] for r in done)
        print(
            f"{f'{workload} | {label}'.ljust(width)}  {done[-1]['rows']:6d}  {med:8.3f}"
            f" {min(times):8.3f}  {target:6.2f}  {'yes' if med <= target else 'NO ':3s} {noisy:5d}"
        )
    return ok_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--prefix", default="seedspec_small", help="database name prefix")
    parser.add_argument(
        "--checkout", action="append", help="run this checkout's seedspec (repeatable: A/B)"
    )
    parser.add_argument("--cold", action="store_true", help="also each with SEEDSPEC_NO_CACHE=1")
    parser.add_argument(
        "--quiet-timeout", type=float, default=30.0, help="longest wait for a quiet machine, s"
    )
    parser.add_argument("--json", help="also write every run to this file")
    args = parser.parse_args()
    variants = _variants(args)
    for v in variants:
        subprocess.run([sys.executable, "-m", "compileall", "-q", f"{v.checkout}/seedspec"])
    names = {}
    for i, (name, (schema, _spec, _t)) in enumerate(WORKLOADS.items()):
        template = f"{args.prefix}_{i}_tpl"
        _fresh(template)
        _psql(template, "-f", str(schema))
        names[name] = (f"{args.prefix}_{i}", template)
    runs = {(w, v.label): [] for w in WORKLOADS for v in variants}
    for workload, (_schema, spec_args, _t) in WORKLOADS.items():  # page cache, pool cache
        for variant in variants:
            _once(*names[workload], spec_args, variant)
    for _ in range(args.repeat):  # round-robin: drift in the sitting hits every variant alike
        for workload, (_schema, spec_args, _t) in WORKLOADS.items():
            for variant in variants:
                run = _quiet_run(*names[workload], spec_args, variant, args.quiet_timeout)
                runs[(workload, variant.label)].append(run)
    ok_all = _report(runs)
    for db, template in names.values():
        _psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{db}"')
        _psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{template}"')
    if args.json:
        data = {f"{w} | {v}": done for (w, v), done in runs.items()}
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
