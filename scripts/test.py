"""The test command: set up .venv with the test extras, then lint, type-check and run pytest."""

from __future__ import annotations

import subprocess
import sys

from bootstrap import BIN, ROOT, ensure_venv


def main(pytest_args: list[str]) -> int:
    ensure_venv("test")
    code = [d for d in ("seedspec", "tests", "scripts", "bench") if (ROOT / d).is_dir()]
    steps = [
        [str(BIN / "ruff"), "check", *code],
        [str(BIN / "ruff"), "format", "--check", *code],
        [str(BIN / "mypy"), "seedspec"],
        [str(BIN / "python"), "-m", "pytest", "-q", *pytest_args],
    ]
    for cmd in steps:
        print("$ " + " ".join(c.replace(str(BIN) + "/", "") for c in cmd), flush=True)
        done = subprocess.run(cmd, cwd=ROOT)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
