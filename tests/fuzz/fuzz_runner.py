"""Seed one generated schema and audit it by query; shrink a failure to a minimal schema.

`Workspace` holds one scratch database for a whole run (reset per schema: DROP/CREATE SCHEMA
public on PostgreSQL, DROP/CREATE DATABASE on MariaDB, a new file on SQLite), so a run pays for
CREATE DATABASE once. `attempt(schema)` creates it, runs seedspec's `apply` with no spec
in-process (the library call behind `seedspec apply --db URL`; a subprocess per schema would
cost more than the seeding), then audits: tests/corpus_audit.audit on PostgreSQL and MariaDB
(FK anti-joins, uniques by GROUP BY under their predicate, every CHECK re-evaluated from the
catalog, NOT NULLs, sequences ahead), corpus_audit.sqlite_violations plus each generated CHECK
on SQLite.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from corpus_audit import audit, sqlite_violations
from dbcheck import counts
from fuzz_schemas import Schema

from seedspec import api
from seedspec.cli.exits import exit_code_of
from seedspec.errors import SeedspecError

FOUND = Path(__file__).resolve().parent / "found"


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ok", "ddl" (the generator's own bug), "compile", "load", "crash", "violation",
    # "empty"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    @property
    def seedspec_failed(self) -> bool:
        return self.kind not in ("ok", "ddl")


class Workspace:
    """One scratch database on `admin_url`'s server (or a SQLite directory), reused."""

    def __init__(self, dialect: str, admin_url: str | None = None) -> None:
        self.dialect = dialect
        self.admin_url = admin_url
        self.name = f"seedspec_fz_{uuid.uuid4().hex[:10]}"
        self.tmp = tempfile.TemporaryDirectory(prefix="seedspec_fuzz_")
        self.url = ""
        self.admin: sa.Engine | None = None
        if dialect == "sqlite":
            return
        assert admin_url
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        q = f'"{self.name}"' if dialect == "postgresql" else f"`{self.name}`"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {q}")
        self.url = sa.make_url(admin_url).set(database=self.name).render_as_string(False)
        self.engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")

    def close(self) -> None:
        if self.admin is not None:
            self.engine.dispose()
            q = f'"{self.name}"' if self.dialect == "postgresql" else f"`{self.name}`"
            force = " WITH (FORCE)" if self.dialect == "postgresql" else ""
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {q}{force}")
            self.admin.dispose()
        self.tmp.cleanup()

    def reset(self) -> None:
        if self.dialect == "sqlite":
            path = Path(self.tmp.name) / f"{uuid.uuid4().hex[:8]}.db"
            self.url = f"sqlite:///{path}"
            return
        self.engine.dispose()
        assert self.admin is not None
        with self.admin.connect() as conn:
            if self.dialect == "postgresql":
                with self.engine.connect() as own:
                    own.exec_driver_sql("DROP SCHEMA public CASCADE")
                    own.exec_driver_sql("CREATE SCHEMA public")
            else:
                conn.exec_driver_sql(f"DROP DATABASE `{self.name}`")
                conn.exec_driver_sql(f"CREATE DATABASE `{self.name}`")

    def load(self, ddl: str) -> None:
        """Run the generated script (no parameters: psycopg and pymysql send it as it is)."""
        if self.dialect == "sqlite":
            con = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            try:
                con.executescript(ddl)
            finally:
                con.close()
            return
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            if self.dialect == "postgresql":
                cur.execute(ddl)
            else:  # pymysql runs one statement per call; generated statements end with ";\n"
                for stmt in ddl.split(";\n"):
                    if stmt.strip():
                        cur.execute(stmt)
            cur.close()
        finally:
            raw.close()

    def attempt(self, schema: Schema) -> Outcome:
        return self.attempt_ddl(schema.ddl(), schema.checks())

    def attempt_ddl(self, ddl: str, checks: list[tuple[str, str]]) -> Outcome:
        """Create `ddl` in the reset database, seed it, audit it (`checks`: SQLite's CHECKs)."""
        self.reset()
        try:
            self.load(ddl)
        except Exception as err:  # noqa: BLE001 - any DDL error is the generator's
            return Outcome("ddl", _first_line(err))
        with _chdir(self.tmp.name):  # no ./seed.yaml: the whole schema is inferred
            try:
                api.apply(None, self.url)
            except SeedspecError as err:
                kind = "compile" if int(exit_code_of(err)) == 3 else "load"
                return Outcome(kind, _first_line(err))
            except Exception as err:  # noqa: BLE001 - an internal error (exit 70)
                tb = traceback.extract_tb(err.__traceback__)[-1]
                where = f"{Path(tb.filename).name}:{tb.name}"
                return Outcome("crash", f"{type(err).__name__} in {where}: {_first_line(err)}")
        return self.audit(checks)

    def audit(self, checks: list[tuple[str, str]]) -> Outcome:
        if self.dialect == "sqlite":
            rows = counts(self.url)
            bad = sqlite_violations(self.url)
            engine = sa.create_engine(self.url)
            try:
                with engine.connect() as conn:
                    for table, expr in checks:
                        n = conn.exec_driver_sql(
                            f"SELECT count(*) FROM {table} WHERE NOT ({expr})"
                        ).scalar()
                        if n:
                            bad.append(f"{table}: CHECK ({expr}): {n} rows fail it")
            finally:
                engine.dispose()
            empty = sorted(t for t, n in rows.items() if n == 0)
        else:
            result = audit(self.url)
            bad = result.violations + [n for n in result.notes if "could not evaluate" in n]
            empty = sorted(result.empty)
        if bad:
            return Outcome("violation", bad[0])
        if empty:
            return Outcome("empty", "empty tables: " + ", ".join(empty))
        return Outcome("ok")


@contextlib.contextmanager
def _chdir(path: str) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:300]


def signature(outcome: Outcome) -> str:
    """What must stay the same while shrinking: the kind, and which constraint failed (read
    from the message by keyword: the bulk and the row-by-row paths word it differently), else
    the message's first words without names and numbers."""
    text = outcome.detail.lower()
    for key, words in (
        ("check", ("check constraint",)),
        ("foreign key", ("foreign key",)),
        ("unique", ("duplicate", "unique")),
        ("not null", ("not-null", "null value", "not null")),
    ):
        if outcome.kind in ("load", "violation") and any(w in text for w in words):
            return f"{outcome.kind}: {key}"
    words = re.sub(r"\S*\d\S*", "#", outcome.detail)  # names like t1.p_id1+p_tenant2
    words = re.sub(r"\(.*", "", words)
    return f"{outcome.kind}: {' '.join(words.split()[:6])}"


def shrink(ws: Workspace, schema: Schema, failure: Outcome, budget: int = 60) -> Schema:
    """Greedily drop tables, partitions and features while the failure keeps its signature."""
    want = signature(failure)
    tries = 0
    changed = True
    while changed and tries < budget:
        changed = False
        candidates: list[Schema] = []
        for t in reversed(schema.tables):
            if len(schema.tables) > 1:
                candidates.append(schema.without_table(t.name))
            if t.partition:
                candidates.append(schema.without_partition(t.name))
            candidates += [schema.without_feature(t.name, i) for i in range(len(t.features))]
        for smaller in candidates:
            if tries >= budget:
                break
            tries += 1
            got = ws.attempt(smaller)
            if got.seedspec_failed and signature(got) == want:
                schema, changed = smaller, True
                break
    return schema


def _core(schema: Schema) -> set[str]:
    return {t for t in schema.tags() if not t.startswith("key:")}


def family(schema: Schema, outcome: Outcome) -> str:
    """A failure family: the kind, and the feature tags left in the minimal schema."""
    tags = [t for t in schema.tags() if not t.startswith("key:")] or ["plain"]
    return f"{outcome.kind}:{'+'.join(tags)}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def write_found(schema: Schema, outcome: Outcome, fam: str, seed_info: str) -> Path:
    """tests/fuzz/found/<family>.<dialect>.sql with a header naming the seed and the failure."""
    FOUND.mkdir(exist_ok=True)
    path = FOUND / f"{slug(fam)}.{schema.dialect}.sql"
    detail = outcome.detail.replace("\n", " ")
    header = [
        f"-- found by the schema fuzzer ({seed_info}), shrunk to {schema.size()} features",
        f"-- dialect: {schema.dialect}",
        *(f"-- check: {table}: {expr}" for table, expr in schema.checks()),
        f"-- family: {fam}",
        f"-- failed: {outcome.kind}: {detail}",
        f"-- xfail: {outcome.kind}: {detail[:160]}",
        "-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every",
        "--   table filled and no constraint broken.",
    ]
    path.write_text("\n".join(header) + "\n" + schema.ddl())
    return path


@dataclass
class RunStats:
    tried: int = 0
    ok: int = 0
    ddl_errors: int = 0
    failures: int = 0
    families: dict[str, tuple[Schema, Outcome]] | None = None


def fuzz(
    ws: Workspace,
    seeds: range,
    exclude: frozenset[str] = frozenset(),
    shrink_failures: bool = True,
    on_family=None,  # called with (family, minimal schema, outcome) for each new family
) -> RunStats:
    """Generate, seed and audit one schema per seed; shrink failures, one per family."""
    from fuzz_schemas import generate

    stats = RunStats(families={})
    assert stats.families is not None
    for seed in seeds:
        schema = generate(seed, ws.dialect, exclude=exclude)
        got = ws.attempt(schema)
        stats.tried += 1
        if got.ok:
            stats.ok += 1
            continue
        if got.kind == "ddl":
            stats.ddl_errors += 1
            continue
        stats.failures += 1
        rough = family(schema, got)
        if not shrink_failures:
            stats.families.setdefault(rough, (schema, got))
            continue
        known = next(  # a family already found, whose features this schema has: no shrink
            (
                f
                for f, (small, out) in stats.families.items()
                if signature(out) == signature(got) and _core(small) <= _core(schema)
            ),
            None,
        )
        if known is not None:
            continue
        small = shrink(ws, schema, got)
        final = ws.attempt(small)
        if not final.seedspec_failed:  # flaky shrink: keep the original
            small, final = schema, got
        fam = family(small, final)
        if fam not in stats.families:
            stats.families[fam] = (small, final)
            if on_family is not None:
                on_family(fam, small, final)
    return stats
