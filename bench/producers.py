"""Producer registry: (producer name, dialect, scale, context) -> the command line to time.

Every producer runs as its own process (see measure.py). A producer that reports its own timed
region on stdout as JSON ``{"timed_s": ...}`` (LIMIT-COPY and the MariaDB floor: load + COMMIT
only) is ranked by that; the others by the wall time of the whole process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from config import BENCH_DIR, MY_SA_URL, MY_URL, PG_SA_URL, PG_URL, SPEC, SPEC_INDEPENDENT

PY = sys.executable
_venv_bin = Path(PY).parent / "seedspec"
SEEDSPEC = str(_venv_bin) if _venv_bin.exists() else (shutil.which("seedspec") or "seedspec")

# Hook for a "default path" variant: when seedspec grows a flag that turns its bulk path off
# (e.g. --no-bulk), `seedspec-default` runs the CLI with it. Auto-detected from `apply --help`,
# or given with run.py --seedspec-default-args "...".
DEFAULT_PATH_FLAGS = ("--no-bulk", "--default-path", "--no-fast-path")
SELF_TIMED = ("limit-copy", "mariadb-floor")  # ranked by their own {"timed_s": ...}


@dataclass
class Context:
    dialect: str  # "postgresql" | "mysql"
    scale: float
    csv_dir: Path | None = None
    seedspec_default_args: list[str] = field(default_factory=list)
    node: str = "node"  # set by drizzle_setup.ensure_drizzle() before drizzle-seed runs


def detect_default_args() -> list[str]:
    """Flags of `seedspec apply --help` that select the no-privileges default path, if any."""
    try:
        text = subprocess.run(
            [SEEDSPEC, "apply", "--help"],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "200", "TERM": "dumb"},
        ).stdout
    except OSError:
        return []
    return [flag for flag in DEFAULT_PATH_FLAGS if flag in text][:1]


def _seedspec(ctx: Context, extra: list[str], spec=SPEC) -> list[str]:
    url = PG_URL if ctx.dialect == "postgresql" else MY_URL
    return [
        SEEDSPEC,
        "apply",
        str(spec),
        "--db",
        url,
        "--scale",
        f"{ctx.scale:g}",
        "-o",
        "json",
        *extra,
    ]


def command(name: str, ctx: Context) -> list[str]:
    """The argv for producer `name` in `ctx`; ValueError when it cannot run there."""
    sa_url = PG_SA_URL if ctx.dialect == "postgresql" else MY_SA_URL
    if name == "seedspec":
        return _seedspec(ctx, [])
    if name == "seedspec-default":
        if not ctx.seedspec_default_args:
            raise ValueError("seedspec has no default-path flag yet (pass --seedspec-default-args)")
        return _seedspec(ctx, ctx.seedspec_default_args)
    if name == "seedspec-independent":
        return _seedspec(ctx, [], SPEC_INDEPENDENT)
    if name == "drizzle-seed":
        if ctx.dialect != "postgresql":
            raise ValueError("the drizzle-seed producer is written for PostgreSQL")
        script = str(BENCH_DIR / "drizzle" / "seed.mjs")
        return [ctx.node, script, "--db", PG_URL, "--scale", f"{ctx.scale:g}"]
    if name == "mariadb-floor":
        if ctx.dialect != "mysql" or ctx.csv_dir is None:
            raise ValueError("mariadb-floor is MariaDB LOAD DATA of pre-written files")
        return [PY, str(BENCH_DIR / "mariadb_floor.py"), "--db", MY_URL, "--dir", str(ctx.csv_dir)]
    if name == "limit-copy":
        if ctx.dialect != "postgresql" or ctx.csv_dir is None:
            raise ValueError("limit-copy is PostgreSQL COPY of pre-generated CSVs")
        return [PY, str(BENCH_DIR / "limit_copy.py"), "--db", PG_URL, "--dir", str(ctx.csv_dir)]
    if name == "faker-orm":
        if ctx.dialect != "postgresql":
            raise ValueError("faker-orm is written for PostgreSQL")
        return [PY, str(BENCH_DIR / "faker_orm.py"), "--db", sa_url, "--scale", f"{ctx.scale:g}"]
    if name == "core-executemany":
        return [
            PY,
            str(BENCH_DIR / "core_executemany.py"),
            "--db",
            sa_url,
            "--scale",
            f"{ctx.scale:g}",
        ]
    raise ValueError(f"unknown producer {name!r}")


PRODUCERS = (
    "seedspec",
    "seedspec-default",
    "seedspec-independent",
    "limit-copy",
    "drizzle-seed",
    "faker-orm",
    "core-executemany",
    "mariadb-floor",
)


def self_reported(name: str, stdout: str) -> dict:
    """Numbers a producer printed about itself: timed_s of the self-timed ones, seedspec's own
    seconds per table, drizzle-seed's seconds inside seed()."""
    try:
        last_line = name in SELF_TIMED or name == "drizzle-seed"
        doc = json.loads(stdout.strip().splitlines()[-1] if last_line else stdout)
    except (ValueError, IndexError):
        return {}
    if name in SELF_TIMED:
        return {"timed_s": doc.get("timed_s")}
    if name == "drizzle-seed":  # informational: seed() alone; ranked by the process wall
        return {"self_s": doc.get("seed_s")}
    if name.startswith("seedspec") and isinstance(doc, dict):
        result = doc.get("result") if isinstance(doc.get("result"), dict) else doc  # the envelope
        report = result.get("report") or {}
        return {
            "self_s": report.get("seconds"),
            "self_rows": report.get("rows"),
            "tables": {t["table"]: t["seconds"] for t in report.get("tables", [])},
        }
    return {}
