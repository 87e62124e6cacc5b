"""Per-test copies of the pytest plugin: a seeded template -> seconds per copy (PostgreSQL
CREATE DATABASE ... TEMPLATE and its DROP after the test; SQLite file copy), median and max.

The template is tests/plugin_sample (schema.sql, seed.yaml), its counts times --scale.
Usage: python bench/clone_time.py [--copies 20] [--scale 1] [--skip-pg] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from seedspec.testing.copies import fresh_copy, prepare  # noqa: E402

SAMPLE = REPO / "tests" / "plugin_sample"
ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SOURCE = "seedspec_bench_clone"


def _measure(template: object, where: Path, copies: int) -> dict[str, float]:
    """Each copy made, used for one query, and given back; seconds of making and of all."""
    made, whole = [], []
    for i in range(copies):
        t0 = time.perf_counter()
        sub = where / str(i)
        sub.mkdir()
        with fresh_copy(template, sub) as copy:  # type: ignore[arg-type]
            copy.connection.execute(sa.text("SELECT count(*) FROM posts")).scalar()
            made.append(copy.seconds)
        whole.append(time.perf_counter() - t0)
    return {
        "copies": copies,
        "clone_median_ms": round(1000 * statistics.median(made), 2),
        "clone_max_ms": round(1000 * max(made), 2),
        "per_test_median_ms": round(1000 * statistics.median(whole), 2),
    }


def _pg(copies: int, scale: float, where: Path) -> dict[str, float]:
    admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{SOURCE}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{SOURCE}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{SOURCE}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in (SAMPLE / "schema.sql").read_text().split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()
    template = prepare(str(SAMPLE / "seed.yaml"), url, where, scale=scale)
    try:
        result = {
            "rows": template.rows,
            "seeded": template.seeded,
            **_measure(template, where, copies),
        }
    finally:
        template.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{template.name}" WITH (FORCE)')
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{SOURCE}" WITH (FORCE)')
        admin.dispose()
    return result


def _sqlite(copies: int, scale: float, where: Path) -> dict[str, float]:
    source = where / "source.db"
    engine = sa.create_engine(f"sqlite:///{source}")
    with engine.begin() as conn:
        for statement in (SAMPLE / "schema.sql").read_text().split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()
    template = prepare(str(SAMPLE / "seed.yaml"), f"sqlite:///{source}", where, scale=scale)
    return {"rows": template.rows, "seeded": template.seeded, **_measure(template, where, copies)}


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--copies", type=int, default=20)
    args.add_argument("--scale", type=float, default=1.0)
    args.add_argument("--skip-pg", action="store_true")
    args.add_argument("--json", help="also write the results here")
    opts = args.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sqlite").mkdir()
        results["sqlite file copy"] = _sqlite(opts.copies, opts.scale, root / "sqlite")
        if not opts.skip_pg:
            (root / "pg").mkdir()
            results["postgresql template clone"] = _pg(opts.copies, opts.scale, root / "pg")
    for name, r in results.items():
        print(
            f"{name}: template "
            f"{'seeded once (' + format(r['rows'], ',') + ' rows)' if r['seeded'] else 'reused'}; "
            f"{r['copies']} copies: clone median "
            f"{r['clone_median_ms']} ms (max {r['clone_max_ms']} ms), per test with its "
            f"teardown {r['per_test_median_ms']} ms"
        )
    if opts.json:
        Path(opts.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
