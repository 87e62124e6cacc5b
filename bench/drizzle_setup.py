"""package-lock.json of bench/drizzle -> its node_modules, installed by `npm ci` once (cached)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

from config import BENCH_DIR

DRIZZLE_DIR = BENCH_DIR / "drizzle"
STAMP = DRIZZLE_DIR / "node_modules" / ".seedspec-bench-lock.sha256"


def ensure_drizzle() -> str:
    """Install the pinned drizzle-seed from the npm registry unless the lock's install is there.

    Idempotent: `npm ci` runs only when node_modules is missing or was installed from another
    package-lock.json (a hash of it is kept in node_modules). Returns the node binary; exits
    with a message when node or npm is missing or the install fails.
    """
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        sys.exit("drizzle-seed needs node and npm on PATH (or leave drizzle-seed out: --producers)")
    lock = (DRIZZLE_DIR / "package-lock.json").read_bytes()
    digest = hashlib.sha256(lock).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return node
    print("drizzle-seed: npm ci in bench/drizzle (pinned in package-lock.json) ...", flush=True)
    cp = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=DRIZZLE_DIR, capture_output=True, text=True
    )
    if cp.returncode != 0:
        sys.exit(f"npm ci in {DRIZZLE_DIR} failed (exit {cp.returncode}):\n{cp.stderr[-2000:]}")
    STAMP.write_text(digest + "\n")
    return node
