"""A results JSON of run.py -> the Markdown tables docs/PERFORMANCE.md quotes, on stdout.

python bench/markdown.py bench/results/<timestamp>.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

NAMES = {
    "seedspec": "seedspec (bulk path)",
    "seedspec-default": "seedspec `--no-bulk`",
    "seedspec-independent": "seedspec, independent spec",
    "limit-copy": "LIMIT-COPY",
    "drizzle-seed": "drizzle-seed",
    "faker-orm": "Faker + SQLAlchemy ORM",
    "mariadb-floor": "floor: LOAD DATA of ready-made files",
    "core-executemany": "SQLAlchemy Core executemany",
}


def _x(v: float | None) -> str:
    return f"{v:.2f}" if v is not None else "-"


def section(title: str, summary: list[dict], ratios: tuple[str, str]) -> str:
    head = (
        f"| {title} | runs | median s | rows | x {ratios[0]} | x {ratios[1]} | peak RSS | verify |"
    )
    lines = [head, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in summary:
        noisy = f", {r['noisy_runs']} noisy" if r.get("noisy_runs") else ""
        lines.append(
            f"| {NAMES.get(r['producer'], r['producer'])} | {r['runs']}{noisy} | "
            f"{r['median_s']:.2f} | {r['rows']:,} | {_x(r['ratio'])} | "
            f"{_x(r.get('ratio_second'))} | {r['peak_rss_mb']:.0f} MB | {r['verify']} |"
        )
    return "\n".join(lines)


def main(path: str) -> None:
    doc = json.loads(Path(path).read_text())
    out = []
    for size, sec in doc["postgresql"].items():
        out.append(section(f"PostgreSQL, {size}", sec["summary"], ("LIMIT-COPY", "drizzle-seed")))
    for size, sec in doc["mariadb"].items():
        out.append(section(f"MariaDB, {size}", sec["summary"], ("floor", "executemany")))
    print("\n\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
