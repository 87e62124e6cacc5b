"""The schema fuzzer, nightly-sized: random schemas seeded with no spec and audited by query.

    .venv/bin/python scripts/fuzz.py --schemas 5000 --seed 7 [--dialect postgresql|sqlite|mysql]
        [--all-families] [--write-found] [--no-shrink]
    .venv/bin/python scripts/fuzz.py --replay   # re-run tests/fuzz/found/*.sql, update marks

Schema k of a run is tests/fuzz/schemas.generate(seed * 1_000_000 + k, dialect): the same
--seed gives the same schemas. By default the families listed in tests/fuzz/fuzz_known.py as not
fixed yet are left out (as in CI); --all-families draws every family. Each failure is shrunk
to a minimal schema; each new failure family is printed, appended to /tmp/fuzz_findings.md
and, with --write-found, written to tests/fuzz/found/<family>.<dialect>.sql (replayed by
tests/fuzz/test_fuzz.py). Exit 1 when any schema failed.

--replay seeds every tests/fuzz/found/*.sql again and rewrites its `-- xfail:` header line:
dropped when the schema now seeds clean (it stays as a regression test), set to the failure
otherwise; it prints one line per file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests" / "fuzz"), str(REPO / "tests")]

from fuzz_known import NOT_FIXED  # noqa: E402
from fuzz_runner import FOUND, Workspace, fuzz, write_found  # noqa: E402

ADMIN = {
    "postgresql": os.environ.get(
        "SEEDSPEC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get("SEEDSPEC_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
    "sqlite": None,
}


def replay() -> int:
    """Re-run every found/ schema; keep `-- xfail:` only on those that still fail."""
    spaces: dict[str, Workspace] = {}
    try:
        for path in sorted(FOUND.glob("*.sql")):
            lines = path.read_text().splitlines()
            head = [ln[3:].partition(":") for ln in lines if ln.startswith("-- ")]
            dialect = next((v.strip() for k, _, v in head if k == "dialect"), "postgresql")
            checks = [v.strip().partition(": ")[::2] for k, _, v in head if k == "check"]
            if dialect not in spaces:
                spaces[dialect] = Workspace(dialect, ADMIN[dialect])
            got = spaces[dialect].attempt_ddl(path.read_text(), checks)
            kept = [ln for ln in lines if not ln.startswith("-- xfail:")]
            if not got.ok:
                at = next(i for i, ln in enumerate(kept) if ln.startswith("-- failed:")) + 1
                kept.insert(at, f"-- xfail: {got.kind}: {got.detail.replace(chr(10), ' ')[:160]}")
            path.write_text("\n".join(kept) + "\n")
            print(f"{path.name}: {'clean' if got.ok else got.kind + ': ' + got.detail[:120]}")
    finally:
        for ws in spaces.values():
            ws.close()
    return 0


def main() -> int:
    if "--replay" in sys.argv[1:]:
        return replay()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schemas", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dialect", choices=sorted(ADMIN), default="postgresql")
    ap.add_argument("--all-families", action="store_true")
    ap.add_argument("--write-found", action="store_true")
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--findings", default="/tmp/fuzz_findings.md")
    args = ap.parse_args()
    exclude = frozenset() if args.all_families else NOT_FIXED.get(args.dialect, frozenset())
    ws = Workspace(args.dialect, ADMIN[args.dialect])
    base = args.seed * 1_000_000

    def found(fam, schema, outcome) -> None:
        where = ""
        if args.write_found:
            info = f"scripts/fuzz.py --seed {args.seed}, schema {schema.seed - base}"
            where = str(write_found(schema, outcome, fam, info).relative_to(REPO))
        line = f"- {fam} | {where or '(not written)'} | {outcome.kind}: {outcome.detail}"
        print(line, flush=True)
        with open(args.findings, "a", encoding="utf-8") as fh:
            fh.write(f"{line} [{args.dialect}, scripts/fuzz.py --seed {args.seed}]\n")

    started = time.perf_counter()
    try:
        stats = fuzz(ws, range(base, base + args.schemas), exclude, not args.no_shrink, found)
    finally:
        ws.close()
    took = time.perf_counter() - started
    print(
        f"{args.dialect}: {stats.tried} schemas in {took:.0f} s: {stats.ok} clean, "
        f"{stats.failures} failed ({len(stats.families or {})} families), "
        f"{stats.ddl_errors} generator DDL errors; excluded: {sorted(exclude) or 'none'}"
    )
    return 1 if stats.failures or stats.ddl_errors else 0


if __name__ == "__main__":
    sys.exit(main())
