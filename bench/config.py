"""Benchmark constants: size names, scales, paths and database URLs -> importable settings."""

from __future__ import annotations

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
_BESIDE = REPO_DIR.parent / "shared" / "bench"
SHARED_BENCH = Path(
    os.environ.get(
        "SEEDSPEC_BENCH_SHARED", _BESIDE if _BESIDE.is_dir() else Path("/work/shared/bench")
    )
)
PG_SCHEMA = SHARED_BENCH / "schema.sql"
PG_VERIFY = SHARED_BENCH / "verify.sql"
MYSQL_SCHEMA = REPO_DIR / "specs" / "schemas" / "shop.mysql.sql"  # the spec's own schema
MYSQL_VERIFY = BENCH_DIR / "verify.mysql.sql"
SPEC = REPO_DIR / "specs" / "shop.yaml"
# the same workload written from docs/SPEC-LANGUAGE.md alone by someone else (see its header)
SPEC_INDEPENDENT = BENCH_DIR / "specs" / "independent.yaml"
RESULTS_DIR = BENCH_DIR / "results"

DB_NAME = os.environ.get("BENCH_DB", "seedspec_bench")  # one per concurrent sitting
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
MY_HOST = os.environ.get("BENCH_MY_HOST", "127.0.0.1")
MY_PORT = os.environ.get("BENCH_MY_PORT", "3306")
MY_USER = os.environ.get("BENCH_MY_USER", "root")

# libpq-style URL (seedspec CLI, psycopg) and SQLAlchemy URLs (baselines).
PG_URL = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
PG_SA_URL = f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
MY_URL = f"mysql://{MY_USER}@{MY_HOST}:{MY_PORT}/{DB_NAME}"
MY_SA_URL = f"mysql+pymysql://{MY_USER}@{MY_HOST}:{MY_PORT}/{DB_NAME}"

# "1m" = scale 1 (~1.09M rows); "100k" = scale 0.1; "10k" = scale 0.01 (~10.9k rows);
# "10m" = scale 10 (memory check only).
SIZES = {"10k": 0.01, "100k": 0.1, "1m": 1.0, "10m": 10.0}

TABLES = ("accounts", "users", "categories", "products", "orders", "order_items")

# Targets per table at scale 1 (DATA-SPEC); order_items is ~4.1 per order.
BASE_COUNTS = {
    "accounts": 1000,
    "users": 50000,
    "categories": 200,
    "products": 20000,
    "orders": 200000,
}
