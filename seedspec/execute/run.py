"""Execute: (Plan, Engine, DbSchema) -> ApplyReport; the plan bound, loaded in one transaction."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa

from seedspec.database.connect import connect, redact_text
from seedspec.database.guard import check_write_target
from seedspec.database.model import DbSchema, DbTable
from seedspec.database.triggers import trigger_fillers
from seedspec.dialects.base import Dialect
from seedspec.dialects.registry import dialect_for
from seedspec.errors import ApplyError, SeedspecError
from seedspec.execute.oracle import resolve
from seedspec.execute.prefetch import prefetch
from seedspec.generate.model import Model
from seedspec.plan.bind import bind
from seedspec.plan.model import (
    FillDeferred,
    InsertRows,
    Plan,
    ResetSequences,
    RunSql,
    VerifyForeignKeys,
)

CHUNK_ROWS = 50_000


@dataclass
class TableReport:
    table: str
    rows: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        rate = self.rows / self.seconds if self.seconds > 0 else None
        return {
            "table": self.table,
            "rows": self.rows,
            "seconds": round(self.seconds, 4),
            "rows_per_second": round(rate) if rate else None,
        }


@dataclass
class ApplyReport:
    tables: list[TableReport] = field(default_factory=list)
    seconds: float = 0.0
    plan_digest: str = ""
    sequences_moved: int = 0
    cleared: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)  # never written nor cleared
    load_path: str = "default"
    validate_seconds: float = 0.0
    oracle_rows: int = 0  # rows whose CHECK-oracle candidate is an attempt > 0
    oracle_skipped: list[str] = field(default_factory=list)  # tables it could not judge

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "rows": self.rows,
            "seconds": round(self.seconds, 4),
            "plan_digest": self.plan_digest,
            "sequences_moved": self.sequences_moved,
            "cleared": self.cleared,
            "left_alone": self.left_alone,
            "load_path": self.load_path,
            "validate_seconds": round(self.validate_seconds, 4),
            "oracle_rows": self.oracle_rows,
            "oracle_skipped": self.oracle_skipped,
            "tables": [t.to_dict() for t in self.tables],
        }


def execute_plan(
    plan: Plan,
    engine: sa.Engine,
    schema: DbSchema,
    *,
    truncate: bool = False,
    allow_hosts: tuple[str, ...] = (),
    allow_remote: bool = False,
) -> ApplyReport:
    """Load the plan in one transaction; the production guard first (api.apply has already
    asked it before any connection, this is the same question for direct callers)."""
    check_write_target(engine.url, allow_hosts=allow_hosts, allow_remote=allow_remote)
    dialect = dialect_for(engine.dialect.name)
    dialect.schema = schema
    report = ApplyReport(plan_digest=plan.digest(), load_path=plan.load_path)
    started = time.perf_counter()
    conn = connect(engine, load=True)
    try:
        with conn.begin():
            _run(plan, bind(plan), conn, dialect, schema, report, truncate)
    except SeedspecError:
        raise
    except sa.exc.DBAPIError as err:
        raise ApplyError(f"{_db_message(err)}; rolled back, nothing was written") from None
    except Exception as err:
        if not _is_driver_error(err):
            raise
        text = redact_text(" ".join(str(err).strip().splitlines()[:2]))
        raise ApplyError(f"{text}; rolled back, nothing was written") from None
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _is_driver_error(err: BaseException) -> bool:
    """An error raised by a database driver itself (raw cursors bypass SQLAlchemy's wrapping)."""
    return type(err).__module__.split(".")[0] in ("psycopg", "pymysql", "sqlite3")


def _db_message(err: sa.exc.DBAPIError) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return redact_text(" ".join(text[:2]) if text else type(orig).__name__)


def _tables(schema: DbSchema, names: list[str]) -> list[DbTable]:
    return [t for n in names if (t := schema.table(n)) is not None]


def _referencing(
    conn: sa.Connection, dialect: Dialect, plan: Plan, schema: DbSchema, tables: list[DbTable]
) -> tuple[list[DbTable], list[DbTable]]:
    """Unseeded tables with an FK to a table about to be cleared, as (cleared with it, kept).
    A table the plan leaves alone (excluded, not included, framework bookkeeping) is never
    cleared: kept, and the cleared tables are emptied by DELETE, not TRUNCATE (PostgreSQL
    refuses to TRUNCATE a table another references, even an empty one). Any other unseeded
    one is cleared with them while empty. Either kind holding rows would keep dangling keys
    or lose its rows, so apply refuses, naming it and what to do."""
    cleared = {t.name for t in tables}
    left = {a.table: a.reason for a in plan.left_alone}
    others = [
        t
        for t in schema.tables
        if t.name not in cleared and any(fk.ref_table in cleared for fk in t.foreign_keys)
    ]
    held = dialect.nonempty_tables(conn, others) if others else []
    kept_held = [name for name in held if name in left]
    if kept_held:
        name = kept_held[0]
        refs = sorted({fk.ref_table for fk in _tables(schema, [name])[0].foreign_keys} & cleared)
        raise ApplyError(
            f"--truncate would empty {', '.join(refs)}, which rows of {name} reference; "
            f"{name} is left alone ({left[name]}) and --truncate never clears it. Delete those "
            f"rows first, or seed it too (--include {name}); nothing was written"
        )
    if held:
        raise ApplyError(
            f"--truncate would clear tables referenced by {', '.join(held)}, not seeded and "
            "holding rows; empty it or seed it too, then apply again; nothing was written"
        )
    kept = [t for t in others if t.name in left]
    return [t for t in others if t.name not in left], kept


def _run(
    plan: Plan,
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    report: ApplyReport,
    truncate: bool,
) -> None:
    judged = resolve(plan, model, conn, dialect, schema)  # the CHECK oracle, before any write
    report.oracle_rows, report.oracle_skipped = judged.moved, judged.skipped
    tables = _tables(schema, plan.tables + list(plan.trigger_filled))
    busy = dialect.nonempty_tables(conn, tables)
    if busy and not truncate:
        raise ApplyError(
            f"tables already hold rows: {', '.join(busy)}; seedspec fills empty tables "
            "(pass --truncate to replace their rows inside the same transaction)"
        )
    report.left_alone = [a.table for a in plan.left_alone]
    if busy:
        along, kept = _referencing(conn, dialect, plan, schema, tables)
        dialect.clear(conn, along + list(reversed(tables)), referenced=bool(kept))
        report.cleared = busy
    dialect.begin(conn, plan.deferred_constraints, plan.suspend_fk_checks)
    bulk = None
    if plan.load_path == "bulk":
        bulk = dialect.start_bulk(conn, _tables(schema, plan.tables))
    refilled = set(trigger_fillers(schema)) & set(plan.tables)
    inserting = True
    for step in plan.steps:
        if inserting and not isinstance(step, InsertRows):
            dialect.end_inserts(conn, bulk)
            inserting = False
        if isinstance(step, InsertRows):
            report.tables.append(_insert(model, conn, dialect, schema, step))
            if step.table in refilled:  # before the trigger that also fills it calls nextval
                dialect.reset_sequences(conn, schema, (step.table,))
        elif isinstance(step, FillDeferred):
            _fill(model, conn, dialect, schema, step)
        elif isinstance(step, VerifyForeignKeys):
            dialect.finish(conn, plan.suspend_fk_checks)
            bad = dialect.fk_violations(conn, schema, step.tables)
            if bad:
                raise ApplyError(
                    "foreign keys violated after loading with checks suspended: "
                    + "; ".join(bad)
                    + "; rolled back"
                )
        elif isinstance(step, ResetSequences):
            report.sequences_moved = dialect.reset_sequences(conn, schema, step.tables)
        elif isinstance(step, RunSql):
            _after(conn, dialect, step)
    if inserting:
        dialect.end_inserts(conn, bulk)
    if bulk is not None:
        t0 = time.perf_counter()
        dialect.end_bulk(conn, bulk)
        report.validate_seconds = time.perf_counter() - t0
    dialect.finish(conn, plan.suspend_fk_checks)


def _insert(
    model: Model, conn: sa.Connection, dialect: Dialect, schema: DbSchema, step: InsertRows
) -> TableReport:
    t0 = time.perf_counter()
    table = schema.table(step.table)
    assert table is not None
    columns = list(step.columns)
    nulls = set(step.null_columns)
    produced = [c for c in columns if c not in nulls]

    def payloads() -> Iterator[Any]:
        """Chunks generated and encoded for the database, one step ahead of the load."""
        for start in range(0, step.count, CHUNK_ROWS):
            stop = min(step.count, start + CHUNK_ROWS)
            arrays = model.arrays(step.table, produced, start, stop)
            values = dict(zip(produced, arrays, strict=True))
            none = np.full(stop - start, None, dtype=object)
            yield dialect.prepare(table, columns, [values.get(c, none) for c in columns])

    try:
        for payload in prefetch(payloads):
            dialect.load(conn, table, columns, payload)
    except sa.exc.DBAPIError as err:
        raise ApplyError(f"loading {step.table}: {_db_message(err)}; rolled back") from None
    except Exception as err:
        if isinstance(err, SeedspecError) or not _is_driver_error(err):
            raise
        raise ApplyError(f"loading {step.table}: {redact_text(str(err))}; rolled back") from None
    return TableReport(step.table, step.count, time.perf_counter() - t0)


def _fill(
    model: Model, conn: sa.Connection, dialect: Dialect, schema: DbSchema, step: FillDeferred
) -> None:
    table = schema.table(step.table)
    assert table is not None
    names = list(step.key_columns) + list(step.columns)
    for start in range(0, step.count, CHUNK_ROWS):
        stop = min(step.count, start + CHUNK_ROWS)
        cols = model.rows(step.table, names, start, stop)
        dialect.update(conn, table, step.key_columns, step.columns, cols)


def _after(conn: sa.Connection, dialect: Dialect, step: RunSql) -> None:
    try:
        dialect.execute_raw(conn, step.sql)
    except Exception as err:
        where = f"{step.location}: " if step.location else ""
        msg = str(getattr(err, "orig", err)).strip().splitlines()
        raise ApplyError(
            f"{where}after: SQL failed: {redact_text(msg[0] if msg else str(err))}; "
            "rolled back, nothing was written"
        ) from None
