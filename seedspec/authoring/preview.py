"""(spec, database) -> the first N rows the plan would insert per table; writes nothing."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from seedspec import api
from seedspec.database.waits import DEFAULT_LOCK_TIMEOUT
from seedspec.errors import UsageError
from seedspec.plan.bind import bind
from seedspec.plan.model import InsertRows


def preview_rows(
    spec_path: str | None,
    db: str | None,
    *,
    rows: int = 5,
    tables: list[str] | None = None,
    scale: float | None = None,
    profile: str | None = None,
    schemas: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    models: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """{table: [row dict, ...]} for the first `rows` rows of each table, in insert order."""
    plan, target = api.plan(
        spec_path,
        db,
        scale=scale,
        profile=profile,
        schemas=schemas,
        include=include,
        exclude=exclude,
        lock_timeout=lock_timeout,
        models=models,
    )
    target.engine.dispose()
    steps = {s.table: s for s in plan.steps if isinstance(s, InsertRows)}
    chosen = list(steps)
    if tables:
        unknown = [t for t in tables if t not in steps]
        if unknown:
            known = ", ".join(steps) or "none"
            raise UsageError(
                f"--table {', '.join(unknown)}: not seeded by this plan (tables: {known})"
            )
        chosen = [t for t in chosen if t in tables]
    out: dict[str, list[dict[str, Any]]] = {}
    model = bind(plan)
    for name in chosen:
        step = steps[name]
        n = max(0, min(rows, step.count))
        columns = list(step.columns)
        values = model.rows(name, columns, 0, n) if columns and n else []
        out[name] = [
            {c: values[j][i] for j, c in enumerate(columns)} if values else {} for i in range(n)
        ]
    return out


def jsonable(value: Any) -> Any:
    """A generated value as JSON (dates ISO 8601, Decimals exact strings, bytes base64)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (uuid.UUID, dt.timedelta)):
        return str(value)
    return value


def cell(value: Any, width: int = 40) -> str:
    """A value as table-cell text for people."""
    if value is None:
        return "NULL"
    if isinstance(value, (bytes, bytearray, memoryview)):
        text = "\\x" + bytes(value).hex()
    elif isinstance(value, (dict, list, tuple)):
        text = json.dumps(jsonable(value), ensure_ascii=False, default=str)
    else:
        text = str(jsonable(value)) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"
