"""One profiled seedspec apply on a fresh PostgreSQL bench DB -> top functions (cProfile).

python bench/profile_seedspec.py [--size 100k] [--top 15] [--importtime]
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dbctl  # noqa: E402
from config import PG_URL, REPO_DIR, SIZES, SPEC  # noqa: E402
from producers import PY, SEEDSPEC  # noqa: E402


def _importtime(stderr: str, top: int) -> list[tuple[int, str]]:
    """`-X importtime` lines -> the `top` largest cumulative import times (us, module)."""
    rows = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cum, mod = (x.strip() for x in line[len("import time:") :].split("|"))
            rows.append((int(cum), mod))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", default="100k", choices=list(SIZES))
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--importtime", action="store_true", help="also python -X importtime")
    a = ap.parse_args()
    scale = SIZES[a.size]
    apply = ["apply", str(SPEC), "--db", PG_URL, "--scale", f"{scale:g}"]
    dbctl.pg_reset()
    with tempfile.NamedTemporaryFile(suffix=".prof") as prof:
        cmd = [PY, "-m", "cProfile", "-o", prof.name, SEEDSPEC, *apply]
        cp = subprocess.run(cmd, cwd=REPO_DIR, capture_output=True, text=True)
        print(f"$ {' '.join(cmd)}\n{cp.stdout}{cp.stderr}")
        ver = dbctl.pg_verify(scale)
        print(f"verify: {'PASS' if ver.passed else 'FAIL'}\n")
        stats = pstats.Stats(prof.name)
        print(f"### top {a.top} by cumulative time (all)")
        stats.sort_stats("cumulative").print_stats(a.top)
        print(f"### top {a.top} by cumulative time, seedspec package only (no cli wrappers)")
        stats.print_stats(r"/seedspec/(?!cli/)", a.top)
        print(f"### top {a.top} by own time (tottime)")
        stats.sort_stats("tottime").print_stats(a.top)
    if a.importtime:
        dbctl.pg_reset()
        cp = subprocess.run(
            [PY, "-X", "importtime", SEEDSPEC, *apply], cwd=REPO_DIR, capture_output=True, text=True
        )
        print(f"top {a.top} imports by cumulative time (python -X importtime):")
        for us, mod in _importtime(cp.stderr, a.top):
            print(f"  {us / 1e6:7.3f} s  {mod}")
    return 0 if cp.returncode == 0 and ver.passed else 1


if __name__ == "__main__":
    sys.exit(main())
