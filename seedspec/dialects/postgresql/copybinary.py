"""COPY binary encoding: column arrays + column types -> one PostgreSQL binary COPY payload.

Assembled with numpy (fixed-width fields in one pass, text by byte scattering).

Types without a simple binary form (numeric, arrays, ranges, intervals ...) return no encoder:
the caller then uses the text format for that table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seedspec.database.model import DbColumn
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
_PG_EPOCH_DAYS = (dt.date(2000, 1, 1) - dt.date(1970, 1, 1)).days
_PG_EPOCH_US = _PG_EPOCH_DAYS * 86_400 * 1_000_000
_FIXED = {"smallint": ">i2", "integer": ">i4", "bigint": ">i8", "boolean": "?"}
_TEXT = ("text", "varchar", "char", "enum", "json")


@dataclass(frozen=True)
class Field:
    """How one column's values become binary fields: (sizes, bytes) for a chunk."""

    name: str
    encode: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # -> (sizes, uint8 blob)


def fields_for(columns: Sequence[DbColumn]) -> list[Field] | None:
    out = []
    for col in columns:
        encode = _encoder(col)
        if encode is None:
            return None
        out.append(Field(col.name, encode))
    return out


def _encoder(col: DbColumn) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None:
    sql = col.sql_type.lower()
    if col.type in _FIXED and not sql.startswith(("tinyint", "mediumint")):
        return _fixed(_FIXED[col.type])
    if col.type == "float":
        return _fixed(">f4" if sql.startswith(("real", "float4")) else ">f8")
    if col.type == "date":
        return _dates
    if col.type in ("timestamp", "timestamptz"):
        return _timestamps
    if col.type == "uuid":
        return _uuids
    if col.type == "bytes":
        return _texts(lambda v: bytes(v) if isinstance(v, (bytes, bytearray)) else str(v).encode())
    if sql == "jsonb":
        return _texts(lambda v: b"\x01" + _json_text(v).encode())
    if col.type == "json" or col.type in _TEXT and sql not in ("citext",):
        return _texts(lambda v: (_json_text(v) if col.type == "json" else str(v)).encode())
    return None


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _nulls(values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Object arrays holding None: the mask and the values with None replaced."""
    if values.dtype != object:
        return values, None
    mask = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    if not mask.any():
        return values, None
    filled = values.copy()
    filled[mask] = 0
    return filled, mask


def _fixed(dtype: str) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    width = np.dtype(dtype).itemsize

    def encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        plain, mask = _nulls(values)
        data = np.asarray(plain).astype(dtype)
        return _sized(data, width, mask)

    return encode


def _sized(data: np.ndarray, width: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    raw = np.frombuffer(data.tobytes(), dtype=np.uint8)
    sizes = np.full(len(data), width, dtype=np.int64)
    if mask is not None:
        sizes[mask] = -1
        keep = np.repeat(~mask, width)
        raw = raw[keep]
    return sizes, raw


def _dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    plain, mask = _nulls(values)
    days = np.asarray(plain, dtype="datetime64[D]").astype(np.int64) - _PG_EPOCH_DAYS
    return _sized(days.astype(">i4"), 4, mask)


def _timestamps(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    plain, mask = _nulls(values)
    if mask is not None:
        plain = np.array(
            [np.datetime64(0, "us") if m else v for v, m in zip(plain, mask, strict=True)]
        )
    micros = np.asarray(plain, dtype="datetime64[us]").astype(np.int64) - _PG_EPOCH_US
    return _sized(micros.astype(">i8"), 8, mask)


def _uuids(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import uuid

    plain, mask = _nulls(values)
    raw = b"".join(
        uuid.UUID(str(v)).bytes if not (mask is not None and mask[i]) else b""
        for i, v in enumerate(plain.tolist())
    )
    sizes = np.full(len(plain), 16, dtype=np.int64)
    if mask is not None:
        sizes[mask] = -1
    return sizes, np.frombuffer(raw, dtype=np.uint8)


def _texts(
    to_bytes: Callable[[Any], bytes],
) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    def encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        items = values.tolist()
        parts = [b"" if v is None else to_bytes(v) for v in items]
        sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        if any(v is None for v in items):
            sizes[np.fromiter((v is None for v in items), dtype=bool, count=len(items))] = -1
        return sizes, np.frombuffer(b"".join(parts), dtype=np.uint8)

    return encode


def encode_binary(fields: Sequence[Field], arrays: Sequence[np.ndarray]) -> bytes:
    """One complete binary COPY payload (header, rows, trailer) for these column arrays."""
    n = len(arrays[0]) if arrays else 0
    encoded = [
        f.encode(np.asarray(a) if not isinstance(a, np.ndarray) else a)
        for f, a in zip(fields, arrays, strict=True)
    ]
    data_sizes = [np.maximum(sizes, 0) for sizes, _ in encoded]
    row_sizes = 2 + sum(4 + s for s in data_sizes) if encoded else np.full(n, 2)
    starts = (np.cumsum(row_sizes) - row_sizes).astype(np.int64)  # n starts, also for n = 0
    buf = np.empty(int(np.sum(row_sizes)), dtype=np.uint8)
    count = np.frombuffer(np.full(n, len(fields), dtype=">i2").tobytes(), dtype=np.uint8)
    _scatter_fixed(buf, starts, count.reshape(n, 2))
    pos = starts + 2
    for (sizes, blob), size in zip(encoded, data_sizes, strict=True):
        lengths = np.frombuffer(sizes.astype(">i4").tobytes(), dtype=np.uint8).reshape(n, 4)
        _scatter_fixed(buf, pos, lengths)
        _scatter_var(buf, pos + 4, size, blob)
        pos = pos + 4 + size
    return HEADER + buf.tobytes() + TRAILER


def _scatter_fixed(buf: np.ndarray, at: np.ndarray, rows: np.ndarray) -> None:
    width = rows.shape[1]
    buf[(at[:, None] + np.arange(width)).ravel()] = rows.ravel()


def _scatter_var(buf: np.ndarray, at: np.ndarray, sizes: np.ndarray, blob: np.ndarray) -> None:
    total = int(sizes.sum())
    if total == 0:
        return
    first = np.cumsum(sizes) - sizes
    index = np.repeat(at - first, sizes) + np.arange(total, dtype=np.int64)
    buf[index] = blob
