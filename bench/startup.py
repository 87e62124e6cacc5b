"""Start-up benchmark: the offline commands (--version, --help, validate, the pre-commit hooks) ->
median wall seconds per command, from process start to exit, against the 0.25 s target.

Each command runs as a user runs it: the `seedspec` console script of a wheel of this checkout,
installed (not editable, as `pip install seedspec` and pre-commit's own `pip install .` do) into
a scratch virtualenv whose dependencies come from this interpreter's site-packages; bytecode
already written (pip compiles it), a fresh process per run, round-robin over the commands so drift
hits all alike; the noise guard waits for a quiet machine first. `--editable` times the dev
install beside this python instead (its import hook adds ~25 ms to every start: pathlib, fnmatch,
urllib.parse and importlib.util imported by setuptools' editable finder before seedspec runs).

    python bench/startup.py --repeat 15
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from quiet import wait_quiet

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.25

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, active BOOLEAN NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                     status TEXT NOT NULL CHECK (status IN ('paid', 'pending')));
"""


def _editable() -> str:
    found = shutil.which("seedspec", path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit("no seedspec console script beside this python: pip install -e .")
    return found


def _installed(tmp: Path) -> str:
    """A wheel of this checkout installed into a scratch venv; its console script."""
    run = functools.partial(subprocess.run, check=True, capture_output=True)
    venv, wheels = tmp / "venv", tmp / "wheels"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    deps = sysconfig.get_path("purelib")  # this interpreter's packages: the dependencies
    (Path(site.stdout.decode().strip()) / "seedspec-bench-deps.pth").write_text(deps + "\n")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)])
    wheel = next(wheels.glob("seedspec-*.whl"))
    run([*pip, "--python", str(python), "install", "--no-deps", "--compile", str(wheel)])
    return str(venv / "bin" / "seedspec")


def _commands(tmp: Path, exe: str) -> dict[str, list[str]]:
    """name -> argv; the hook commands are the ones .pre-commit-hooks.yaml runs."""
    spec = ROOT / "specs" / "shop.yaml"
    hook_spec = tmp / "seed.yaml"
    hook_spec.write_text(
        "seedspec: 1\nseed: 7\ntables:\n  users:\n    count: 10\n"
        "  orders:\n    count: 30\n    columns:\n      status: {choice: {paid: 80, pending: 20}}\n",
        encoding="utf-8",
    )
    db = tmp / "app.db"
    subprocess.run(["sqlite3", str(db)], input=SCHEMA, text=True, check=True)
    snap = [exe, "snapshot", str(hook_spec), "--db", f"sqlite:///{db}"]
    subprocess.run(snap, check=True, capture_output=True)
    return {
        "seedspec --version": [exe, "version"],
        "seedspec --help": [exe, "--help"],
        "seedspec validate specs/shop.yaml": [exe, "validate", str(spec)],
        "hook seedspec-validate": [exe, "validate", str(hook_spec)],
        "hook seedspec-check (offline)": [exe, "check", "--offline", str(hook_spec)],
    }


def _once(argv: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-400:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", help="also write the medians to this file")
    parser.add_argument("--editable", action="store_true", help="time the dev install instead")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "seedspec")], check=True)
    with tempfile.TemporaryDirectory() as folder:
        exe = _editable() if args.editable else _installed(Path(folder))
        print(f"timing {exe}", file=sys.stderr)
        commands = _commands(Path(folder), exe)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for argv in commands.values():  # warm the page cache once
            _once(argv)
        wait_quiet(0.10, 60.0)
        for _ in range(args.repeat):
            for name, argv in commands.items():
                times[name].append(_once(argv))
    width = max(len(n) for n in times)
    print(f"{'command'.ljust(width)}  median s    min s  <= {TARGET_S} s")
    medians = {}
    for name, runs in times.items():
        medians[name] = statistics.median(runs)
        ok = "yes" if medians[name] <= TARGET_S else "NO"
        print(f"{name.ljust(width)}  {medians[name]:8.3f} {min(runs):8.3f}  {ok}")
    if args.json:
        Path(args.json).write_text(json.dumps(medians, indent=2) + "\n", encoding="utf-8")
    return 0 if all(m <= TARGET_S for m in medians.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
