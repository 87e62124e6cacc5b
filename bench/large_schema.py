"""Large-schema benchmark: a generated N-table schema -> seconds to reflect and to compile it.

Target (docs/PERFORMANCE.md): a 1,000-table schema reflected and compiled in <= 15 s.
Usage: python bench/large_schema.py [--tables 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from schemagen import generate  # noqa: E402

from seedspec.compile import compile_plan  # noqa: E402
from seedspec.database.reflect import reflect_schema  # noqa: E402
from seedspec.spec.model import Spec  # noqa: E402

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DB = "seedspec_bench_large"


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--tables", type=int, default=1000)
    args.add_argument("--repeat", type=int, default=3)
    opts = args.parse_args()
    admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{DB}"')
    engine = sa.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB}")
    try:
        schema_sql = generate(opts.tables)
        for chunk in schema_sql.chunks(100):  # within the server's lock table
            with engine.begin() as conn:
                conn.exec_driver_sql(chunk)
        reflects, compiles, fks, rows = [], [], 0, 0
        for _ in range(opts.repeat):
            t0 = time.perf_counter()
            with engine.connect() as conn:
                schema = reflect_schema(conn)
            t1 = time.perf_counter()
            plan = compile_plan(Spec(), schema)
            t2 = time.perf_counter()
            reflects.append(t1 - t0)
            compiles.append(t2 - t1)
            fks = sum(len(t.foreign_keys) for t in schema.tables)
            rows = sum(s.count for s in plan.steps if hasattr(s, "count"))
        total = statistics.median(r + c for r, c in zip(reflects, compiles, strict=True))
        print(
            f"{len(schema.tables)} tables, {fks} FKs, plan of {rows:,} rows "
            f"(median of {opts.repeat}): reflect {statistics.median(reflects):.2f} s, "
            f"compile {statistics.median(compiles):.2f} s, total {total:.2f} s "
            f"(target <= 15 s: {'met' if total <= 15 else 'NOT met'})"
        )
        return 0 if total <= 15 else 1
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
