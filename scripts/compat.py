"""Compatibility report: seed every corpus schema with no spec, audit it, write a Markdown table.

    python3 scripts/compat.py                 # writes docs/compatibility.md
    python3 scripts/compat.py --only sakila --out -      # one schema, to stdout

For each corpus schema (/work/shared/corpus, see its README.md) on its database: create a fresh
database, load the schema with psql / mariadb, time `seedspec apply --db URL -o json` (no spec:
run in an empty directory, so the whole schema is inferred), audit the result by query
(tests/corpus_audit.py: empty tables, FKs, PK/UNIQUE incl. partial and expression indexes,
NOT NULL, CHECKs incl. domains, exclusion constraints, sequences), read it for realism
(tests/realism_audit.py: emails, URLs, lifecycle dates, coordinates, places, names ...) and
drop the database again.
Also a synthetic schema of --synthetic N tables (tests/schemagen.py) at --scale 0.1.

Servers: SEEDSPEC_TEST_PG_URL / SEEDSPEC_TEST_MYSQL_URL (the same variables as the tests;
defaults: PostgreSQL and MariaDB on 127.0.0.1 as the local users postgres / root).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from bootstrap import BIN, ROOT, VENV, ensure_venv

PG_ADMIN_URL = os.environ.get(
    "SEEDSPEC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MYSQL_ADMIN_URL = os.environ.get(
    "SEEDSPEC_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
)
DEFAULT_OUT = ROOT / "docs" / "compatibility.md"


@dataclasses.dataclass
class Row:
    name: str
    database: str
    tables: int
    filled: int
    empty: dict[str, str]  # table -> why
    unfillable: dict[str, str]  # cannot hold rows -> why
    rows: int
    seconds: float
    violations: int
    status: str
    problems: list[str]
    notes: list[str]
    checked: dict[str, int]
    realism: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="Markdown file, or - (stdout)")
    parser.add_argument("--only", action="append", help="corpus schema(s) to run (repeatable)")
    parser.add_argument("--synthetic", type=int, default=1000, help="tables (0: skip)")
    args = parser.parse_args(argv)
    if not _in_venv():  # the report needs seedspec + drivers: run inside the project's .venv
        if not (BIN / "python").exists():
            ensure_venv("test")
        os.execv(str(BIN / "python"), [str(BIN / "python"), __file__, *argv])

    sys.path.insert(0, str(ROOT / "tests"))
    from corpus_audit import CORPUS_DATABASES

    names = args.only or list(CORPUS_DATABASES)
    unknown = [n for n in names if n not in CORPUS_DATABASES]
    if unknown:
        parser.error(f"unknown corpus schema(s): {', '.join(unknown)}")
    rows: list[Row] = []
    for name in names:
        print(f"{name} ...", file=sys.stderr, flush=True)
        rows.append(run_case(name, CORPUS_DATABASES[name]))
        print(f"  {rows[-1].status} ({rows[-1].seconds:.1f} s)", file=sys.stderr, flush=True)
    if args.synthetic and not args.only:
        print(f"synthetic-{args.synthetic} ...", file=sys.stderr, flush=True)
        rows.append(run_synthetic(args.synthetic))
        print(f"  {rows[-1].status} ({rows[-1].seconds:.1f} s)", file=sys.stderr, flush=True)
    text = render(rows, argv)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- one case


def _admin(db: str) -> str:
    return PG_ADMIN_URL if db == "postgresql" else MYSQL_ADMIN_URL


def run_case(name: str, db: str) -> Row:
    from corpus_audit import load_corpus, scratch_database

    with scratch_database(_admin(db)) as url:
        load_corpus(url, name)
        return seed_and_audit(name, db, url)


def run_synthetic(n: int) -> Row:
    from conftest import run_sql
    from corpus_audit import scratch_database
    from schemagen import generate

    schema = generate(n)
    with scratch_database(PG_ADMIN_URL) as url:
        for chunk in schema.chunks(100):  # ~100 tables per transaction: the lock table
            run_sql(url, chunk)
        label = f"synthetic-{n} ({schema.fks} FKs, `--scale 0.1`)"
        return seed_and_audit(label, "postgresql", url, "--scale", "0.1")


def seed_and_audit(name: str, db: str, url: str, *apply_args: str) -> Row:
    from corpus_audit import audit, run_apply, schema_changes, schema_objects, user_schemas
    from realism_audit import realism

    schemas = user_schemas(url) if db == "postgresql" else None
    before = schema_objects(url, schemas)
    with tempfile.TemporaryDirectory(prefix="seedspec-compat-") as cwd:
        run = run_apply(url, cwd, *apply_args)
    result = audit(url, schemas, report=run.doc if run.returncode == 0 else None)
    looks = realism(url, schemas) if run.returncode == 0 else None
    result.violations += schema_changes(before, schema_objects(url, schemas))
    report = run.doc.get("report") or {}
    problems: list[str] = []
    if run.returncode != 0:
        status = f"FAIL: apply exit {run.returncode}"
        problems.append(f"seedspec apply exited {run.returncode}: {run.error}")
    elif result.violations:
        status = "FAIL: violations"
    elif result.empty:
        status = "FAIL: empty tables"
    else:
        status = "pass"
    if run.returncode == 0:
        problems += [f"empty: {t} ({why})" for t, why in sorted(result.empty.items())]
    problems += result.violations
    return Row(
        name=name,
        database=server_label(url),
        tables=len(result.rows),
        filled=result.filled,
        empty=result.empty if run.returncode == 0 else {},
        unfillable=result.unfillable,
        rows=int(report.get("rows", 0)) if run.returncode == 0 else 0,
        seconds=run.seconds,
        violations=len(result.violations),
        status=status,
        problems=problems,
        notes=result.notes + [f"FK NULL on every row: {fk}" for fk in result.unlinked],
        checked=dict(result.checked),
        realism={k: (r.columns, r.violations) for k, r in looks.rules.items()} if looks else {},
    )


def server_label(url: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            version = str(conn.exec_driver_sql("SELECT version()").scalar())
    finally:
        engine.dispose()
    if engine.dialect.name == "postgresql":
        return "PostgreSQL " + version.split()[1]
    kind = "MariaDB" if "mariadb" in version.lower() else "MySQL"
    return f"{kind} {version.split('-')[0]}"


# --------------------------------------------------------------------------- Markdown


def _versions() -> str:
    out = [f"Python {platform.python_version()}"]
    for dist in ("seedspec", "SQLAlchemy", "psycopg", "PyMySQL"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out.append(f"{dist} {metadata.version(dist)}")
    return ", ".join(out)


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "seedspec"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return head + (" + uncommitted changes in seedspec/" if dirty else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _empty_cell(row: Row) -> str:
    if row.status.startswith("FAIL: apply"):
        return "all (apply failed, rolled back)"
    parts = [f"{t} ({why})" for t, why in sorted(row.empty.items())]
    parts += [f"{t} (cannot hold rows: {why})" for t, why in sorted(row.unfillable.items())]
    return _cell("; ".join(parts)) if parts else "none"


def _realism_table(rows: list[Row]) -> list[str]:
    """Per schema and rule: the columns (or column pairs) read, and the violations found."""
    from realism_audit import RULES

    lines = [
        "",
        "## Realism",
        "",
        "The same seeded databases read by tests/realism_audit.py (the rules a reviewer checks "
        "by eye, chosen by column names): each cell is `violations / columns read` (pairs of "
        "columns for dates ordered and places). tests/integration/test_corpus_realism.py "
        "asserts zero violations for every rule.",
        "",
        "| schema | " + " | ".join(RULES) + " |",
        "| --- |" + " ---: |" * len(RULES),
    ]
    for r in rows:
        if r.realism:
            cells = [f"{r.realism[k][1]} / {r.realism[k][0]}" for k in RULES]
            lines.append(f"| {r.name} | " + " | ".join(cells) + " |")
    return lines


def render(rows: list[Row], argv: list[str]) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    servers = sorted({r.database for r in rows})
    lines = [
        "# Compatibility: the real-schema corpus, seeded with no spec",
        "",
        "<!-- generated by scripts/compat.py; do not edit by hand -->",
        "",
        f"- produced by: `python3 scripts/compat.py{' ' if argv else ''}{' '.join(argv)}` on {now}",
        f"- seedspec commit: {_git()}",
        f"- versions: {_versions()}; servers: {', '.join(servers)}",
        "- per schema: a fresh database, the schema loaded with psql / mariadb, then "
        "`seedspec apply --db URL -o json` with no spec (default counts: 20 rows per table), "
        "timed; then audited by query (tests/corpus_audit.py): every table has rows, FKs by "
        "anti-join, PK / UNIQUE / partial and expression unique indexes by GROUP BY, NOT NULL, "
        "every CHECK (domain CHECKs too) re-evaluated, exclusion constraints by self-join, and "
        "every serial / identity / AUTO_INCREMENT counter past the seeded keys; and every "
        "constraint, index and trigger must be the same after apply as before; the database "
        "is dropped afterwards.",
        "",
        "| schema | database | tables | tables filled | tables left empty (why) | rows written "
        "| seconds | violations found | status |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.database} | {r.tables} | {r.filled} | {_empty_cell(r)} | "
            f"{r.rows} | {r.seconds:.1f} | {r.violations} | {r.status} |"
        )
    lines += _realism_table(rows)
    lines += ["", "## What was checked", ""]
    for r in rows:
        lines.append(f"- {r.name}: " + ", ".join(f"{k} {v}" for k, v in sorted(r.checked.items())))
    failing = [r for r in rows if r.problems or r.notes]
    if failing:
        lines += ["", "## Problems found", ""]
        for r in failing:
            lines += [f"### {r.name}", ""]
            lines += [f"- {_cell(p)}" for p in r.problems[:30]]
            if len(r.problems) > 30:
                lines.append(f"- ... {len(r.problems) - 30} more")
            lines += [f"- note: {_cell(n)}" for n in r.notes[:10]]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    started = time.perf_counter()
    code = main(sys.argv[1:])
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    sys.exit(code)
