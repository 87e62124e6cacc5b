"""The test command: set up .venv with the test extras, then lint, type-check and run pytest."""

from __future__ import annotations

import subprocess
import sys

from bootstrap import BIN, ROOT, ensure_venv


def _parallel(pytest_args: list[str]) -> list[str]:
    """pytest-xdist across the machine's cores, one test file per worker at a time (files share
    module-scoped databases), unless the caller chose -n / -p no:xdist or asked for one test."""
    flags = ("-n", "--numprocesses", "no:xdist")
    chosen = any(a.startswith(flags) for a in pytest_args)
    single = any("::" in a for a in pytest_args)
    return [] if chosen or single else ["-n", "auto", "--dist", "loadfile"]


def main(pytest_args: list[str]) -> int:
    ensure_venv("test")
    code = [d for d in ("seedspec", "tests", "scripts", "bench") if (ROOT / d).is_dir()]
    steps = [
        [str(BIN / "ruff"), "check", *code],
        [str(BIN / "ruff"), "format", "--check", *code],
        [str(BIN / "mypy"), "seedspec"],
        # the CLI tests start `python -m seedspec ...` hundreds of times; with
        # PYTHONDONTWRITEBYTECODE set (as on CI machines) each start would compile every module of
        # the editable install from source again (~0.1 s), so write the bytecode once here
        [str(BIN / "python"), "-m", "compileall", "-q", "seedspec"],
        [str(BIN / "python"), "-m", "pytest", "-q", *_parallel(pytest_args), *pytest_args],
    ]
    for cmd in steps:
        print("$ " + " ".join(c.replace(str(BIN) + "/", "") for c in cmd), flush=True)
        done = subprocess.run(cmd, cwd=ROOT)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
