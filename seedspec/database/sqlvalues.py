"""SQL literal nodes (sqlglot) -> Python values, typed by their casts; clock expressions.

`'-1'::integer` is -1, `'2.5'::numeric` 2.5, `'x'::text` 'x', `true` True; `now() - '18
years'::interval` a date read at NOW_REFERENCE (rows must not depend on the day they are made).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred

if TYPE_CHECKING:
    from sqlglot import exp
else:
    exp = deferred("sqlglot.expressions")

NOW_REFERENCE = "2025-12-31"
_INT_TYPES = {"INT", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT", "UBIGINT", "UINT", "USMALLINT"}
_NUM_TYPES = {"DECIMAL", "DOUBLE", "FLOAT", "MONEY", "BIGDECIMAL", "UDECIMAL"}


class Unread(Exception):
    pass


def unparen(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def is_column(node: exp.Expr) -> bool:
    node = unparen(node)
    while isinstance(node, exp.Cast):
        node = unparen(node.this)
    return isinstance(node, exp.Column)


def column_name(node: exp.Expr) -> str:
    """The column a node names, through parentheses and casts (`(kind)::text` is kind)."""
    node = unparen(node)
    while isinstance(node, exp.Cast):
        node = unparen(node.this)
    if not isinstance(node, exp.Column):
        raise Unread(f"not a column: {node.sql()[:80]}")
    return str(node.name)


def value(node: exp.Expr) -> Any:
    """A literal's value, typed by its cast: `'-1'::integer` is -1, `'x'::text` is 'x'."""
    node = unparen(node)
    if isinstance(node, exp.Neg):
        v = value(node.this)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise Unread(node.sql())
        return -v
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Cast):
        return _cast(value(node.this), node.to)
    if isinstance(node, exp.Literal):
        text = str(node.this)
        return text if node.is_string else number(text)
    raise Unread(f"not a literal: {node.sql()[:80]}")


def number(text: str) -> int | float:
    number = float(text)
    try:
        return int(text)
    except ValueError:
        return number


def _cast(value: Any, to: exp.DataType) -> Any:
    kind = to.this.name if hasattr(to.this, "name") else str(to.this)
    if kind in _INT_TYPES:
        return int(number(str(value)))
    if kind in _NUM_TYPES:
        return number(str(value))
    if kind == "BOOLEAN":
        return str(value).lower() in ("t", "true", "1", "yes", "on")
    return value  # text and date types: the literal's own text


def moment(node: exp.Expr) -> str | None:
    """now() / CURRENT_DATE +- 'N unit'::interval, read at NOW_REFERENCE (determinism)."""
    node = unparen(node)
    if isinstance(node, (exp.CurrentTimestamp, exp.CurrentDate)):
        return NOW_REFERENCE
    if isinstance(node, (exp.Add, exp.Sub)) and moment(node.this) is not None:
        n, unit = _interval(node.expression)
        return _shift(NOW_REFERENCE, -n if isinstance(node, exp.Sub) else n, unit)
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "now":
        return NOW_REFERENCE
    return None


def _interval(node: exp.Expr) -> tuple[int, str]:
    node = unparen(node)
    if isinstance(node, exp.Interval):
        amount, unit = str(value(node.this)), node.unit.name if node.unit else ""
        text = f"{amount} {unit}"
    elif isinstance(node, exp.Cast):
        text = str(value(node.this))
    else:
        raise Unread(node.sql()[:80])
    # the interval literal is data, not SQL: '18 years' is a count and a unit
    parts = text.split()
    if len(parts) != 2 or not parts[0].isdigit():
        raise Unread(f"interval {text!r}")
    unit = parts[1].lower().rstrip("s")
    if unit not in ("year", "mon", "month", "day", "week"):
        raise Unread(f"interval {text!r}")
    return int(parts[0]), unit


def _shift(day: str, n: int, unit: str) -> str:
    base = dt.date.fromisoformat(day)
    if unit == "year":
        return base.replace(year=base.year + n).isoformat()
    if unit in ("mon", "month"):
        months = base.year * 12 + base.month - 1 + n
        return base.replace(
            year=months // 12, month=months % 12 + 1, day=min(base.day, 28)
        ).isoformat()
    return (base + dt.timedelta(days=n * (7 if unit == "week" else 1))).isoformat()


def is_date(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


_SECONDS = {"week": 604800, "day": 86400, "hour": 3600, "min": 60, "minute": 60, "sec": 1}
_SECONDS["second"] = 1


def duration(node: exp.Expr) -> float | None:
    """The seconds of an interval literal of fixed length (`'01:00:00'::interval`, `interval
    '2 days 03:00:00'`, `'90 minutes'::interval`); None when the node is not an interval
    literal; Unread for one whose length varies (months, years) or that does not read."""
    node = unparen(node)
    if isinstance(node, exp.Interval):
        text = f"{value(node.this)} {node.unit.name if node.unit else ''}"
    elif isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.INTERVAL:
        text = str(value(node.this))
    else:
        return None
    # the literal is data, not SQL: amounts with units and an optional [-]HH:MM[:SS[.f]]
    total, parts = 0.0, text.replace(",", " ").split()
    try:
        while parts:
            head = parts.pop(0)
            if ":" in head:
                sign = -1.0 if head.startswith("-") else 1.0
                fields = [float(f) for f in head.lstrip("+-").split(":")]
                hms = fields[0] * 3600 + fields[1] * 60 + (fields[2] if len(fields) > 2 else 0.0)
                total += sign * hms
                continue
            unit = parts.pop(0).lower().rstrip("s") if parts else "sec"
            total += float(head) * _SECONDS[unit]
    except (ValueError, KeyError, IndexError):
        raise Unread(f"interval {text!r}") from None
    return total
