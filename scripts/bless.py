"""Re-bless the golden compile cases: tests/golden/cases/* -> their expected.*.json files.

    .venv/bin/python scripts/bless.py              # rewrite every expected file from the code
    .venv/bin/python scripts/bless.py NAME ...     # only these cases
    .venv/bin/python scripts/bless.py --schemas    # first re-reflect each schema.json from its
                                                   # schema.<dialect>.sql (needs the PostgreSQL and
                                                   # MariaDB servers for those cases)

Then review `git diff tests/golden`: a changed format is fine, a changed row count, table order
or generator is a behaviour change. The README's table of compiler messages is rewritten too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("SEEDSPEC_GOLDEN_CODE") or REPO)
sys.path[:0] = [str(CODE), str(REPO / "tests" / "golden")]

import goldenlib as g  # noqa: E402
import readme  # noqa: E402

PG_ADMIN = os.environ.get(
    "SEEDSPEC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MYSQL_ADMIN = os.environ.get("SEEDSPEC_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
SCRATCH = "seedspec_golden"  # a fixed name: MariaDB snapshots record the database name


def reflect_ddl(dialect: str, sql: Path) -> str:
    """The snapshot text of the schema `sql` creates on a fresh database of `dialect`."""
    from seedspec.database import snapshot
    from seedspec.database.reflect import reflect_schema

    if dialect == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "golden.db"
            g._sqlite_from(sql, db)
            engine = sa.create_engine(f"sqlite:///{db}")
            try:
                return snapshot.render(reflect_schema(engine))
            finally:
                engine.dispose()
    admin_url = PG_ADMIN if dialect == "postgresql" else MYSQL_ADMIN
    quote = '"' if dialect == "postgresql" else "`"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    drop = f"DROP DATABASE IF EXISTS {quote}{SCRATCH}{quote}"
    with admin.connect() as conn:
        conn.execute(sa.text(drop + (" WITH (FORCE)" if dialect == "postgresql" else "")))
        conn.execute(sa.text(f"CREATE DATABASE {quote}{SCRATCH}{quote}"))
    url = sa.make_url(admin_url).set(database=SCRATCH)
    try:
        _load(url, sql)
        engine = sa.create_engine(url)
        try:
            return snapshot.render(reflect_schema(engine))
        finally:
            engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(drop + (" WITH (FORCE)" if dialect == "postgresql" else "")))
        admin.dispose()


def _load(url: sa.URL, sql: Path) -> None:
    """The DDL through the server's own client (psql / mariadb), as migrations would run it."""
    host, user = url.host or "127.0.0.1", url.username or ""
    if url.get_backend_name() == "postgresql":
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", str(url.port or 5432)]
        cmd += ["-U", user or "postgres", "-d", SCRATCH, "-f", str(sql)]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        return
    cmd = ["mariadb", "-h", host, "-P", str(url.port or 3306), "-u", user or "root", SCRATCH]
    with sql.open("rb") as fh:
        subprocess.run(cmd, check=True, stdin=fh, capture_output=True)


def bless(case: g.Case, schemas: bool) -> list[str]:
    """Rewrite the case's expected files; the names of the files that changed."""
    changed: list[str] = []
    if schemas:
        ddl = case.ddl()
        if ddl is None:
            raise SystemExit(f"{case.name}: no schema.<dialect>.sql to reflect")
        changed += _write(case.path / g.SCHEMA_FILE, reflect_ddl(*ddl))
    name, doc = g.outcome(case)
    changed += _write(case.path / name, g.dumps(doc))
    stale = g.PROBLEMS_FILE if name == g.PLAN_FILE else g.PLAN_FILE
    if (case.path / stale).exists():
        (case.path / stale).unlink()
        changed.append(stale + " (removed)")
    if case.cli:
        changed += _write(case.path / g.CLI_FILE, g.dumps(g.cli_outcome(case)))
    return changed


def _write(path: Path, text: str) -> list[str]:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return []
    path.write_text(text, encoding="utf-8")
    return [path.name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="case folder names (default: every case)")
    parser.add_argument("--schemas", action="store_true", help="re-reflect schema.json first")
    args = parser.parse_args(argv)
    chosen = g.cases()
    if args.names:
        unknown = set(args.names) - {c.name for c in chosen}
        if unknown:
            raise SystemExit(f"no such case: {', '.join(sorted(unknown))}")
        chosen = [c for c in chosen if c.name in args.names]
    for case in chosen:
        changed = bless(case, args.schemas)
        print(f"{case.name}: {', '.join(changed) if changed else 'unchanged'}")
    if _write(readme.README, readme.rewritten()):
        print("README.md: compiler message table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
