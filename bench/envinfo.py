"""Run environment facts (versions, git state, seedspec source fingerprint) -> dict for the JSON."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess

import measure
from config import REPO_DIR
from producers import SEEDSPEC


def src_fingerprint() -> str:
    """Short hash of seedspec/**/*.py: the tree may change under a long run (others edit it)."""
    h = hashlib.sha1()
    for p in sorted((REPO_DIR / "seedspec").rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def env_info() -> dict:
    git = subprocess.run(
        ["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    ver = subprocess.run([SEEDSPEC, "version"], capture_output=True, text=True).stdout.strip()
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "git": git,
        "git_dirty_files": len(
            subprocess.run(
                ["git", "-C", str(REPO_DIR), "status", "--porcelain", "seedspec"],
                capture_output=True,
                text=True,
            ).stdout.splitlines()
        ),
        "seedspec_src_start": src_fingerprint(),
        "seedspec": ver,
        "host": platform.node(),
        "rss_method": measure.__doc__.strip(),
    }
