"""Benchmark harness CLI: sizes x producers -> verified timings, printed tables, results JSON.

python bench/run.py --sizes 10k,100k,1m --repeat 3 [--producers seedspec,limit-copy,...]
                    [--mariadb] [--memory-10m]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dbctl  # noqa: E402
import measure  # noqa: E402
import quiet  # noqa: E402
import report  # noqa: E402
from config import REPO_DIR, RESULTS_DIR, SIZES  # noqa: E402
from csvgen import write_csvs, write_mysql_files  # noqa: E402
from drizzle_setup import ensure_drizzle  # noqa: E402
from envinfo import env_info, src_fingerprint  # noqa: E402
from producers import (  # noqa: E402
    PRODUCERS,
    Context,
    command,
    detect_default_args,
    self_reported,  # noqa: E402
)

BANNER = "!" * 78


QUIET = {"max_busy": 0.1, "timeout": 900.0, "enabled": True, "retries": 2}


def one_run(name: str, ctx: Context, size: str, rep: int) -> dict:
    """Reset the database, run producer `name` as a process, verify: -> one run record."""
    pg = ctx.dialect == "postgresql"
    dbctl.pg_reset() if pg else dbctl.my_reset()
    cmd = command(name, ctx)
    waited, busy = (0.0, None)
    if QUIET["enabled"]:
        waited, busy = quiet.wait_quiet(QUIET["max_busy"], QUIET["timeout"])
    with quiet.Window() as win:
        r = measure.run(cmd, cwd=REPO_DIR)
    foreign = win.foreign(r.cpu_s)
    noisy = foreign > 0.1 * r.wall_s
    note = f"  foreign CPU {foreign:.1f} s" + ("  NOISY" if noisy else "")
    note += f"  (waited {waited:.0f} s for quiet)" if waited > 1.5 else ""
    info = self_reported(name, r.stdout)
    seconds = info.get("timed_s") or r.wall_s
    ver = dbctl.pg_verify(ctx.scale) if pg else dbctl.my_verify(ctx.scale)
    rows = dbctl.pg_rows() if pg else dbctl.my_rows()
    ok = r.rc == 0 and ver.passed
    print(
        f"  {ctx.dialect:10} {size:5} {name:20} #{rep + 1}  {seconds:8.2f} s"
        f"  (process {r.wall_s:7.2f} s)  {r.peak_rss_mb:7.0f} MB  {rows:>10,} rows"
        f"  {'PASS' if ok else 'FAIL'}{note}",
        flush=True,
    )
    if not ok:
        print(
            f"{BANNER}\nVERIFY FAIL: {name} {ctx.dialect} {size} run {rep + 1} (exit {r.rc})\n"
            f"$ {' '.join(cmd)}\n--- producer stderr (tail)\n{r.stderr[-3000:]}\n"
            f"--- verify output (tail)\n{ver.output[-3000:]}\n{BANNER}",
            flush=True,
        )
    return {
        "producer": name,
        "dialect": ctx.dialect,
        "size": size,
        "scale": ctx.scale,
        "rep": rep + 1,
        "cmd": cmd,
        "rc": r.rc,
        "seconds": round(seconds, 4),
        "proc_wall_s": round(r.wall_s, 4),
        "maxrss_mb": round(r.maxrss_mb, 1),
        "tree_rss_mb": round(r.tree_rss_mb, 1),
        "peak_rss_mb": round(r.peak_rss_mb, 1),
        "rows": rows,
        "verify": "PASS" if ok else "FAIL",
        "cpu_s": round(r.cpu_s, 2),
        "server_cpu_s": round(win.server, 2),
        "kernel_cpu_s": round(win.kernel, 2),
        "foreign_cpu_s": foreign,
        "noisy": noisy,
        "quiet_wait_s": waited,
        "busy_before": busy,
        "src": src_fingerprint(),
        "self_reported": info,
        "verify_tail": ver.output[-1500:],
    }


def section(producers: list[str], repeats: dict[str, int], ctx: Context, size: str) -> list[dict]:
    """Repetitions interleaved (rep outer, producer inner) so drift hits every producer alike.

    A run that other work on the machine disturbed (NOISY) is redone up to QUIET["retries"]
    times; the discarded attempts are kept in the record under "discarded".
    """
    runs = []
    for rep in range(max(repeats[p] for p in producers)):
        for name in producers:
            if rep < repeats[name]:
                discarded: list[dict] = []
                run = one_run(name, ctx, size, rep)
                while run["noisy"] and len(discarded) < QUIET["retries"]:
                    print(f"    redoing the noisy run ({len(discarded) + 1})", flush=True)
                    discarded.append({k: run[k] for k in ("seconds", "foreign_cpu_s", "verify")})
                    run = one_run(name, ctx, size, rep)
                run["discarded"] = discarded
                runs.append(run)
    return runs


def pg_size(
    size: str, producers: list[str], a: argparse.Namespace, ctx0: Context, doc: dict, tables: list
) -> bool:
    """One PostgreSQL size: CSVs for LIMIT-COPY (untimed), the interleaved runs, the table.

    Appends the table to `tables` and the section to doc["postgresql"]; True when a run failed.
    """
    scale = SIZES[size]
    here = [p for p in producers if p != "faker-orm" or size in a.faker_sizes.split(",")]
    ctx = Context("postgresql", scale, seedspec_default_args=ctx0.seedspec_default_args)
    ctx.node = ctx0.node
    csv_s = None
    if "limit-copy" in here:  # generated once per size, outside every timed region
        ctx.csv_dir = Path(tempfile.mkdtemp(prefix=f"seedspec-bench-{size}-"))
        t0 = time.perf_counter()
        write_csvs(scale, ctx.csv_dir)
        csv_s = round(time.perf_counter() - t0, 2)
        print(f"limit-copy CSVs for {size} generated in {csv_s} s (untimed)", flush=True)
    rep = int(dict(kv.split("=") for kv in a.size_repeat.split(",") if kv).get(size, a.repeat))
    repeats = {p: min(a.faker_repeat, rep) if p == "faker-orm" else rep for p in here}
    runs = section(here, repeats, ctx, size)
    if ctx.csv_dir:
        shutil.rmtree(ctx.csv_dir, ignore_errors=True)
    summary = report.summarize(runs)
    title = f"PostgreSQL {doc['env']['pg_version']}, size {size} (scale {scale:g})"
    tables.append(report.table(title, summary))
    print(tables[-1], flush=True)
    doc["postgresql"][size] = {"scale": scale, "csv_gen_s": csv_s, "summary": summary, "runs": runs}
    return any(r["verify"] != "PASS" for r in runs)


MY_PRODUCERS = ["seedspec", "mariadb-floor", "core-executemany"]


def mariadb_size(size: str, rep: int, doc: dict, tables: list) -> bool:
    """One MariaDB size: TSVs for the floor (untimed), the interleaved runs, the table.

    Ratios are to the floor (LOAD DATA of ready-made files) and to core-executemany.
    """
    ctx = Context("mysql", SIZES[size])
    ctx.csv_dir = Path(tempfile.mkdtemp(prefix=f"seedspec-bench-my-{size}-"))
    t0 = time.perf_counter()
    write_mysql_files(SIZES[size], ctx.csv_dir)
    gen_s = round(time.perf_counter() - t0, 2)
    print(f"mariadb-floor files for {size} written in {gen_s} s (untimed)", flush=True)
    try:
        runs = section(MY_PRODUCERS, dict.fromkeys(MY_PRODUCERS, rep), ctx, size)
    finally:
        shutil.rmtree(ctx.csv_dir, ignore_errors=True)
    summary = report.summarize(runs, baseline="mariadb-floor", second="core-executemany")
    title = f"MariaDB {doc['env']['mariadb_version']}, size {size}"
    tables.append(report.table(title, summary, baseline="mariadb-floor"))
    print(tables[-1], flush=True)
    doc["mariadb"][size] = {
        "scale": SIZES[size],
        "files_gen_s": gen_s,
        "summary": summary,
        "runs": runs,
    }
    return any(r["verify"] != "PASS" for r in runs)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1m", help=f"PostgreSQL sizes, from {list(SIZES)}")
    ap.add_argument("--repeat", type=int, default=3, help="runs per producer and size (median)")
    ap.add_argument(
        "--producers",
        default=None,
        help=f"comma list from {list(PRODUCERS)}; default seedspec, seedspec-default (when "
        "seedspec has the flag), seedspec-independent, limit-copy, drizzle-seed, faker-orm",
    )
    ap.add_argument(
        "--faker-sizes", default="10k,100k", help="sizes at which faker-orm runs (slow)"
    )
    ap.add_argument(
        "--size-repeat",
        default="",
        help="per-size --repeat, e.g. '1m=1' (the slow size with fewer runs)",
    )
    ap.add_argument("--faker-repeat", type=int, default=1, help="runs of faker-orm per size")
    ap.add_argument(
        "--seedspec-default-args",
        default=None,
        help="extra apply flags for the seedspec-default variant, e.g. '--no-bulk'",
    )
    ap.add_argument("--skip-pg", action="store_true", help="skip the PostgreSQL sizes")
    ap.add_argument(
        "--mariadb",
        action="store_true",
        help="also seedspec vs the MariaDB floor (LOAD DATA) and core-executemany",
    )
    ap.add_argument("--mariadb-sizes", default="100k")
    ap.add_argument("--mariadb-repeat", type=int, default=None, help="default: --repeat")
    ap.add_argument("--memory-10m", action="store_true", help="seedspec peak RSS, scale 1 vs 10")
    ap.add_argument("--retry-noisy", type=int, default=2, help="redo a NOISY run up to N times")
    ap.add_argument(
        "--quiet-max-busy",
        type=float,
        default=0.1,
        help="before each run wait until the machine is <= this busy (0..1)",
    )
    ap.add_argument("--quiet-timeout", type=float, default=900.0, help="max wait for quiet (s)")
    ap.add_argument("--no-wait-quiet", action="store_true", help="do not wait for a quiet box")
    ap.add_argument("--out", type=Path, default=None, help="results JSON path")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    QUIET.update(max_busy=a.quiet_max_busy, timeout=a.quiet_timeout, enabled=not a.no_wait_quiet)
    QUIET["retries"] = a.retry_noisy
    default_args = a.seedspec_default_args.split() if a.seedspec_default_args else []
    default_args = default_args or detect_default_args()
    if a.producers:
        producers = a.producers.split(",")
    else:
        producers = ["seedspec"] + (["seedspec-default"] if default_args else [])
        producers += ["seedspec-independent", "limit-copy", "drizzle-seed", "faker-orm"]
    if "seedspec-default" in producers and not default_args:
        sys.exit(
            "seedspec-default: seedspec apply has no default-path flag yet; pass "
            "--seedspec-default-args '--the-flag' once it exists"
        )
    bad = [p for p in producers if p not in PRODUCERS]
    sizes = [s for s in a.sizes.split(",") if s] if not a.skip_pg else []
    if bad or any(s not in SIZES for s in sizes):
        sys.exit(f"unknown producer/size: {bad or sizes}")
    started = time.strftime("%Y%m%d-%H%M%S")
    doc: dict = {
        "started": started,
        "argv": sys.argv,
        "env": env_info(),
        "postgresql": {},
        "mariadb": {},
        "memory_10m": None,
    }
    doc["env"]["pg_version"] = dbctl.pg_version()
    tables: list[str] = []
    failed = False

    ctx0 = Context("postgresql", 1.0, seedspec_default_args=default_args)
    if "drizzle-seed" in producers and sizes:
        ctx0.node = ensure_drizzle()
    out = a.out or RESULTS_DIR / f"{started}.json"
    for size in sizes:
        failed |= pg_size(size, producers, a, ctx0, doc, tables)
        report.write_json(
            out, {**doc, "tables": tables, "partial": True}
        )  # a cut sitting keeps these
    if a.mariadb:
        doc["env"]["mariadb_version"] = dbctl.my_version()
        for size in a.mariadb_sizes.split(","):
            failed |= mariadb_size(size, a.mariadb_repeat or a.repeat, doc, tables)
            report.write_json(out, {**doc, "tables": tables, "partial": True})

    if a.memory_10m:
        runs = [one_run("seedspec", Context("postgresql", SIZES[s]), s, 0) for s in ("1m", "10m")]
        growth = round(runs[1]["peak_rss_mb"] / runs[0]["peak_rss_mb"], 2)
        for r in runs:
            r["producer"] = f"seedspec@{r['size']}"
        summary = report.summarize(runs, baseline=None, second=None)
        tables.append(
            report.table("seedspec memory, 1m vs 10m (PostgreSQL)", summary, None)
            + f"\npeak RSS growth 1m -> 10m: {growth}x (target < 1.5x; <= 300 MB at 1m)"
        )
        print(tables[-1], flush=True)
        doc["memory_10m"] = {"growth": growth, "runs": runs}
        failed |= any(r["verify"] != "PASS" for r in runs)

    doc["env"]["seedspec_src_end"] = src_fingerprint()
    all_runs = [
        r for sec in ("postgresql", "mariadb") for v in doc[sec].values() for r in v["runs"]
    ] + ((doc["memory_10m"] or {}).get("runs") or [])
    srcs = sorted({r["src"] for r in all_runs})
    if len(srcs) > 1 or doc["env"]["seedspec_src_start"] != doc["env"]["seedspec_src_end"]:
        print(
            f"WARNING: seedspec/ source changed during the run ({len(srcs)} versions: {srcs});"
            " compare runs by their 'src' in the JSON"
        )
    doc["tables"] = tables
    report.write_json(out, doc)
    print("\n\n".join(["", *tables]))
    print(f"\nresults: {out}")
    if failed:
        print(f"{BANNER}\nSOME RUNS FAILED VERIFICATION (see above)\n{BANNER}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
