"""Project virtualenv bootstrap: creates .venv and installs the project (with extras) into it."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_venv(extras: str = "") -> Path:
    """Create .venv when missing and (re)install the project; returns the venv's python."""
    python = BIN / "python"
    if not python.exists():
        print(f"creating {VENV} ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    target = f".[{extras}]" if extras else "."
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e"]
    print(f"installing seedspec{f'[{extras}]' if extras else ''} into .venv ...", file=sys.stderr)
    subprocess.run([*cmd, target], cwd=ROOT, check=True)
    return python
