"""COPY text encoding: column arrays (numpy or Python values) -> one COPY FROM STDIN text block.

Whole columns are converted at C speed where numpy can (ints, floats, booleans, timestamps);
only object columns go value by value, and escaping runs only where a special character occurs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

NULL = "\\N"
_SPECIAL = ("\\", "\t", "\n", "\r")


def encode_rows(columns: Sequence[np.ndarray | list[Any]], flavor: str = "postgresql") -> bytes:
    """Rows of the given columns (all the same length) in PostgreSQL COPY text format, or
    (flavor "mysql") in LOAD DATA's default format: the same, but 1/0 booleans."""
    texts = [column_text(c, flavor) for c in columns]
    if not texts or not texts[0]:
        return b""
    lines = map("\t".join, zip(*texts, strict=True))
    return ("\n".join(lines) + "\n").encode("utf-8")


def column_text(values: np.ndarray | list[Any], flavor: str = "postgresql") -> list[str]:
    arr = values if isinstance(values, np.ndarray) else None
    if arr is None:
        return _escape_all(list(values), _text)
    if flavor == "mysql":
        special = _mysql_array_text(arr)
        if special is not None:
            return special
    fast = _numpy_text(arr)
    if fast is not None:
        return fast
    return _escape_all(arr.tolist(), _text)


def _numpy_text(arr: np.ndarray) -> list[str] | None:
    """Whole-column conversion for numeric, boolean and datetime arrays (None: value by value)."""
    if arr.dtype.kind in "iu":
        return list(arr.astype(str).tolist())
    if arr.dtype.kind == "f":
        return [repr(v) for v in arr.tolist()]
    if arr.dtype.kind == "b":
        return list(np.where(arr, "t", "f").tolist())
    if arr.dtype.kind == "M":
        if arr.dtype == np.dtype("datetime64[D]"):
            return list(np.datetime_as_string(arr, unit="D").tolist())
        return list(np.datetime_as_string(arr, unit="us").tolist())
    return None


def _mysql_array_text(arr: np.ndarray) -> list[str] | None:
    """LOAD DATA's spellings where they differ from COPY's: 1/0, 'YYYY-MM-DD HH:MM:SS', JSON."""
    if arr.dtype.kind == "b":
        return list(np.where(arr, "1", "0").tolist())
    if arr.dtype.kind == "M":
        return [t.replace("T", " ") for t in column_text(arr)]
    if arr.dtype == object:
        return _escape_all(arr.tolist(), _mysql_text)
    return None


def _text(value: Any) -> str:
    if value is None:  # not reached for a field (_escape_all writes its NULL marker)
        return NULL
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dt.timedelta):
        return f"{value.days} days {value.seconds} seconds {value.microseconds} microseconds"
    if isinstance(value, dict):
        return json.dumps(value, default=str)
    if isinstance(value, (list, tuple)):
        return _array_literal(value)
    return str(value)


def _mysql_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, (list, tuple)):
        return json.dumps(value, default=str)
    return _text(value)


def _array_literal(items: Sequence[Any]) -> str:
    parts = []
    for item in items:
        if item is None:
            parts.append("NULL")
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            parts.append(str(item))
        else:
            text = _text(item).replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'"{text}"')
    return "{" + ",".join(parts) + "}"


def _escape_all(values: Sequence[Any], to_text: Callable[[Any], str]) -> list[str]:
    r"""Each value's text, escaped where it holds a special character. None, and only None, is
    the NULL marker \N: the string '\N' is escaped to '\\N' like any other backslash."""
    texts = [None if v is None else to_text(v) for v in values]
    joined = "".join(t for t in texts if t is not None)
    if not any(ch in joined for ch in _SPECIAL):
        return [NULL if t is None else t for t in texts]
    return [NULL if t is None else _escape(t) for t in texts]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
