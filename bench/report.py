"""Per-run records -> per-producer summaries, printed tables and a results JSON file."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

BASELINE = "limit-copy"


def summarize(runs: list[dict], baseline: str | None = BASELINE) -> list[dict]:
    """Group run records by producer: median seconds, rows/s, ratio to `baseline`, peak RSS."""
    by: dict[str, list[dict]] = {}
    for r in runs:
        by.setdefault(r["producer"], []).append(r)
    rows = []
    for name, rs in by.items():
        med = statistics.median(r["seconds"] for r in rs)
        n_rows = max(r["rows"] for r in rs)
        passed = sum(r["verify"] == "PASS" for r in rs)
        rows.append(
            {
                "producer": name,
                "runs": len(rs),
                "median_s": round(med, 3),
                "median_proc_s": round(statistics.median(r["proc_wall_s"] for r in rs), 3),
                "min_s": round(min(r["seconds"] for r in rs), 3),
                "max_s": round(max(r["seconds"] for r in rs), 3),
                "rows": n_rows,
                "rows_per_s": round(n_rows / med) if med > 0 else None,
                "peak_rss_mb": round(max(r["peak_rss_mb"] for r in rs), 1),
                "noisy_runs": sum(bool(r.get("noisy")) for r in rs),
                "foreign_cpu_s_max": max(r.get("foreign_cpu_s", 0) for r in rs),
                "verify": "PASS" if passed == len(rs) else f"FAIL ({len(rs) - passed}/{len(rs)})",
            }
        )
    base = next((r for r in rows if r["producer"] == baseline), None)
    for r in rows:
        r["ratio"] = round(r["median_s"] / base["median_s"], 2) if base else None
    return rows


def table(title: str, rows: list[dict], baseline: str | None = BASELINE) -> str:
    """Fixed-width text table of summarize() output."""
    head = (
        "producer",
        "runs",
        "median s",
        "proc s",
        "rows",
        "rows/s",
        f"x {baseline}" if baseline else "ratio",
        "peak RSS MB",
        "verify",
        "noisy",
    )
    body = [
        (
            r["producer"],
            str(r["runs"]),
            f"{r['median_s']:.2f}",
            f"{r['median_proc_s']:.2f}",
            f"{r['rows']:,}",
            f"{r['rows_per_s']:,}" if r["rows_per_s"] else "-",
            f"{r['ratio']:.2f}" if r["ratio"] is not None else "-",
            f"{r['peak_rss_mb']:.0f}",
            r["verify"],
            f"{r['noisy_runs']}/{r['runs']}",
        )
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]

    def fmt(cells) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i in (0, 8) else c.rjust(w) for i, (c, w) in pairs)

    lines = [f"== {title}", fmt(head), fmt(["-" * w for w in widths])]
    lines += [fmt(b) for b in body]
    return "\n".join(lines)


def write_json(path: Path, doc: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, default=str) + "\n")
