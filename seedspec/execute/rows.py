"""Rows into tables: a bound Model + an InsertRows / FillDeferred step + row ranges -> the rows
generated chunk by chunk and loaded (or their deferred columns updated) on the apply's
connection, a load error said as an ApplyError; shared by a plain apply and a shard."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa

from seedspec.database.connect import is_permission_denied, redact_text
from seedspec.database.model import DbSchema
from seedspec.dialects.base import Dialect
from seedspec.errors import ApplyError, PermissionDenied, SeedspecError
from seedspec.execute.prefetch import prefetch
from seedspec.execute.progress import Progress
from seedspec.execute.report import TableReport
from seedspec.generate.model import Model
from seedspec.plan.model import FillDeferred, InsertRows

CHUNK_ROWS = 50_000


def is_driver_error(err: BaseException) -> bool:
    """An error raised by a database driver itself (raw cursors bypass SQLAlchemy's wrapping)."""
    return type(err).__module__.split(".")[0] in ("psycopg", "pymysql", "sqlite3")


def db_message(err: sa.exc.DBAPIError) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return redact_text(" ".join(text[:2]) if text else type(orig).__name__)


def insert_rows(
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    step: InsertRows,
    told: Progress,
    ranges: Sequence[tuple[int, int]] | None = None,
) -> TableReport:
    """The step's rows [start, stop) of each of `ranges` (None: all of them), chunk by chunk."""
    t0 = time.perf_counter()
    table = schema.table(step.table)
    assert table is not None
    columns = list(step.columns)
    nulls = set(step.null_columns)
    produced = [c for c in columns if c not in nulls]
    spans = _chunks(ranges if ranges is not None else [(0, step.count)])
    rows = sum(stop - start for start, stop in spans)

    def payloads() -> Iterator[Any]:
        """Chunks generated and encoded for the database, one step ahead of the load."""
        for start, stop in spans:
            arrays = model.arrays(step.table, produced, start, stop)
            values = dict(zip(produced, arrays, strict=True))
            none = np.full(stop - start, None, dtype=object)
            yield dialect.prepare(table, columns, [values.get(c, none) for c in columns])

    told.table_started(step.table, rows)
    try:
        # one chunk: generated inline (a thread only pays off when it overlaps a second load)
        chunks = payloads() if len(spans) <= 1 else prefetch(payloads)
        for (start, stop), payload in zip(spans, chunks, strict=True):
            dialect.load(conn, table, columns, payload)
            told.advanced(step.table, stop - start)
    except sa.exc.DBAPIError as err:
        if dialect.is_lock_timeout(err):
            raise
        denied = is_permission_denied(err)
        raise (PermissionDenied if denied else ApplyError)(
            f"loading {step.table}: {db_message(err)}"
        ) from None
    except Exception as err:
        if (
            isinstance(err, SeedspecError)
            or not is_driver_error(err)
            or (dialect.is_lock_timeout(err))
        ):
            raise
        raise ApplyError(f"loading {step.table}: {redact_text(str(err))}") from None
    return TableReport(step.table, rows, time.perf_counter() - t0)


def _chunks(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row ranges cut into chunks of at most CHUNK_ROWS rows."""
    return [
        (s, min(stop, s + CHUNK_ROWS))
        for start, stop in ranges
        for s in range(start, stop, CHUNK_ROWS)
    ]


def fill_rows(
    model: Model,
    conn: sa.Connection,
    dialect: Dialect,
    schema: DbSchema,
    step: FillDeferred,
    ranges: Sequence[tuple[int, int]] | None = None,
) -> None:
    table = schema.table(step.table)
    assert table is not None
    names = list(step.key_columns) + list(step.columns)
    for start, stop in _chunks(ranges if ranges is not None else [(0, step.count)]):
        cols = model.rows(step.table, names, start, stop)
        dialect.update(conn, table, step.key_columns, step.columns, cols)
