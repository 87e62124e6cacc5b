"""Per-run records -> per-producer summaries, printed tables and a results JSON file."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

BASELINE = "limit-copy"
SECOND = "drizzle-seed"  # the second ratio column: the same rows' time over drizzle-seed's


def summarize(
    runs: list[dict], baseline: str | None = BASELINE, second: str | None = SECOND
) -> list[dict]:
    """Group run records by producer: median seconds, rows/s, ratios to `baseline` and to
    `second` (median s / their median s; None when that producer did not run), peak RSS."""
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
    other = next((r for r in rows if r["producer"] == second), None)
    for r in rows:
        r["ratio"] = round(r["median_s"] / base["median_s"], 2) if base else None
        r["ratio_second"] = round(r["median_s"] / other["median_s"], 2) if other else None
        r["second"] = second if other else None
    return rows


def _ratio(x: float | None) -> str:
    return f"{x:.2f}" if x is not None else "-"


def table(title: str, rows: list[dict], baseline: str | None = BASELINE) -> str:
    """Fixed-width text table of summarize() output (an `x drizzle-seed` column when it ran)."""
    second = next((r["second"] for r in rows if r.get("second")), None)
    head = (
        "producer",
        "runs",
        "median s",
        "proc s",
        "rows",
        "rows/s",
        f"x {baseline}" if baseline else "ratio",
        f"x {second}" if second else "",
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
            _ratio(r["ratio"]),
            _ratio(r.get("ratio_second")) if second else "",
            f"{r['peak_rss_mb']:.0f}",
            r["verify"],
            f"{r['noisy_runs']}/{r['runs']}",
        )
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]

    def fmt(cells) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        cells = [c.ljust(w) if i in (0, 9) else c.rjust(w) for i, (c, w) in pairs]
        return "  ".join(c for i, c in enumerate(cells) if i != 7 or second)

    lines = [f"== {title}", fmt(head), fmt(["-" * w for w in widths])]
    lines += [fmt(b) for b in body]
    return "\n".join(lines)


def write_json(path: Path, doc: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, default=str) + "\n")
