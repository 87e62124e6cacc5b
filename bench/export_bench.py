"""Export benchmark: the shop workload (specs/shop.yaml on ../shared/bench/schema.sql) at a size
-> seconds, rows/s and rows/s per core of `seedspec export` to Parquet and CSV in one process and
on a LocalCluster of N single-threaded worker processes, and the scaling factor; a JSON line per
run on stdout.

    python bench/export_bench.py --size 1m --workers 2 --formats parquet,csv

The schema is loaded into a scratch PostgreSQL database (`seedspec_export_bench`, dropped and
recreated); the export reads it (--db: the CHECK oracle, if any, is judged there) and writes
nothing to it. Each timed run includes reflecting and compiling on the client; the cluster is
started, and warmed up with an untimed 10k export (the workers' imports), before. The files go
under a temporary folder, removed after each run."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config import PG_HOST, PG_PORT, PG_SCHEMA, PG_USER, SIZES, SPEC

DB = "seedspec_export_bench"
URL = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB}"


def _psql(*args: str, db: str = "postgres") -> None:
    base = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", PG_HOST, "-p", PG_PORT]
    subprocess.run([*base, "-U", PG_USER, "-d", db, *args], check=True, capture_output=True)


def fresh_database() -> None:
    _psql("-c", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    _psql("-c", f'CREATE DATABASE "{DB}"')
    _psql("-f", str(PG_SCHEMA), db=DB)


def one_run(fmt: str, scale: float, client: object | None) -> dict:
    from seedspec.export.verb import export

    out = Path(tempfile.mkdtemp(prefix="seedspec-export-bench-"))
    try:
        t0 = time.perf_counter()
        result = export(str(SPEC), URL, out=out, fmt=fmt, scale=scale, dask=client)
        seconds = time.perf_counter() - t0
        size = sum(f.bytes for f in result.manifest.files)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    cores = 1 if client is None else (result.dask or {}).get("workers", 1)
    rows = result.manifest.rows
    return {
        "format": fmt,
        "where": "one process" if client is None else f"LocalCluster x{cores}",
        "shards": 1 if result.dask is None else result.dask["shards"],
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "rows_per_s_per_core": round(rows / seconds / cores),
        "mb": round(size / 1e6, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="1m", choices=sorted(SIZES))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--formats", default="parquet,csv")
    args = ap.parse_args()
    from dask.distributed import Client, LocalCluster

    fresh_database()
    runs = []
    try:
        with (
            LocalCluster(
                n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            one_run("csv", SIZES["10k"], client)  # warm-up, not timed: the workers' imports
            for fmt in args.formats.split(","):
                single = one_run(fmt, SIZES[args.size], None)
                spread = one_run(fmt, SIZES[args.size], client)
                spread["scaling"] = round(single["seconds"] / spread["seconds"], 2)
                for run in (single, spread):
                    runs.append(run)
                    sys.stdout.write(json.dumps({"size": args.size, **run}) + "\n")
                    sys.stdout.flush()
    finally:
        _psql("-c", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
