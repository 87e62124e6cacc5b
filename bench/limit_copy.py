"""LIMIT-COPY producer: a directory of pre-generated CSVs -> COPY FROM STDIN, one txn; JSON time."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from csvgen import COLUMNS  # noqa: E402

BLOCK = 1 << 20
SEQUENCES = ("accounts", "users", "categories", "products", "orders")


def load(url: str, csv_dir: Path) -> dict:
    """COPY every table's CSV and commit; the timed region is BEGIN .. COMMIT only."""
    with psycopg.connect(url) as conn:
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            for table, cols in COLUMNS.items():
                sql = f"COPY {table} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)"
                with cur.copy(sql) as copy, open(csv_dir / f"{table}.csv", "rb") as f:
                    while block := f.read(BLOCK):
                        copy.write(block)
            # ids were explicit: move the sequences past them, as any loader must
            for table in SEQUENCES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 1) FROM {table}))"
                )
        conn.commit()
        return {"timed_s": round(time.perf_counter() - t0, 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True, help="postgresql:// URL")
    ap.add_argument("--dir", required=True, type=Path, help="directory of <table>.csv files")
    args = ap.parse_args()
    print(json.dumps(load(args.db, args.dir)))


if __name__ == "__main__":
    main()
