"""MariaDB floor producer: a directory of ready-made TSVs -> LOAD DATA, one txn; JSON time.

The floor of issue 13: the same rows from ready-made files, loaded with `LOAD DATA` in one
transaction with the checks as seedspec's MariaDB bulk path sets them (FOREIGN_KEY_CHECKS = 0,
UNIQUE_CHECKS = 0 for the load, both back to 1 after; seedspec/dialects/mysql/dialect.py
start_bulk / end_bulk). Only generating values and proving the FKs afterwards are left out,
which is what seedspec adds on top. The timed region is START TRANSACTION .. COMMIT.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pymysql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from csvgen import COLUMNS  # noqa: E402

# the format seedspec's own LOAD DATA states (dialect.py _LOAD_FORMAT)
FORMAT = "FIELDS TERMINATED BY X'09' ENCLOSED BY '' ESCAPED BY X'5C' LINES TERMINATED BY X'0A'"


def load(url: str, tsv_dir: Path) -> dict:
    """LOAD DATA every table's TSV inside one transaction; the timed region ends at COMMIT."""
    u = urlsplit(url)
    conn = pymysql.connect(
        host=u.hostname,
        port=u.port or 3306,
        user=u.username,
        password=u.password or "",
        database=u.path.lstrip("/"),
        local_infile=True,
        autocommit=False,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SET FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0")
            t0 = time.perf_counter()
            cur.execute("START TRANSACTION")
            for table, cols in COLUMNS.items():
                path = str(tsv_dir / f"{table}.tsv")
                names = ", ".join(f"`{c}`" for c in cols)
                cur.execute(
                    f"LOAD DATA LOCAL INFILE {conn.escape(path)} INTO TABLE `{table}` "
                    f"CHARACTER SET utf8mb4 {FORMAT} ({names})"
                )
            conn.commit()
            timed = time.perf_counter() - t0
            cur.execute("SET FOREIGN_KEY_CHECKS = 1, UNIQUE_CHECKS = 1")
    finally:
        conn.close()
    return {"timed_s": round(timed, 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True, help="mysql:// URL")
    ap.add_argument("--dir", required=True, type=Path, help="directory of <table>.tsv files")
    args = ap.parse_args()
    print(json.dumps(load(args.db, args.dir)))


if __name__ == "__main__":
    main()
