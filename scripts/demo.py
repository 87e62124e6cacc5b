"""The demo: set up .venv, seed an embedded SQLite database from specs/shop.yaml, show its rows."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from bootstrap import BIN, ROOT, ensure_venv

DB = ROOT / "demo" / "shop.db"
SPEC = ROOT / "specs" / "shop.yaml"
SCHEMA = ROOT / "specs" / "schemas" / "shop.sqlite.sql"


def main() -> int:
    ensure_venv()
    DB.parent.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    with sqlite3.connect(DB) as conn:  # the application's migrations would do this
        conn.executescript(SCHEMA.read_text())
    cmd = [str(BIN / "seedspec"), "apply", str(SPEC.relative_to(ROOT)),
           "--db", f"sqlite:///{DB.relative_to(ROOT)}", "--profile", "demo"]  # fmt: skip
    print("$ seedspec " + " ".join(cmd[1:]), flush=True)
    done = subprocess.run(cmd, cwd=ROOT)
    if done.returncode != 0:
        return done.returncode
    show(DB)
    print(f"\nThe database is {DB.relative_to(ROOT)}; run this again and you get the same rows.")
    return 0


def show(path: Path, rows: int = 3) -> None:
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}" LIMIT {rows}')
            names = [d[0] for d in cur.description]
            total = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            print(f"\n{table} ({total} rows)")
            print("  " + " | ".join(names))
            for row in cur:
                print("  " + " | ".join(_short(v) for v in row))


def _short(value: object) -> str:
    text = "NULL" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


if __name__ == "__main__":
    sys.exit(main())
