"""Formats: one part's chunks of rows (generated arrays + the values the INSERT path sends) ->
one part file, in SQL (the database's script), CSV, JSONL or Parquet.

CSV: a header of the column names; every non-NULL value quoted ("" is the empty string), NULL
an empty unquoted field; booleans true/false, bytes \\x + hex, dates and times ISO 8601 with a
space, JSON values as JSON text. JSONL: one object per row, keys the columns in order; numbers,
booleans, strings and NULL as JSON's own, decimals as strings, dates and times ISO 8601 text,
bytes hex text. Parquet: one row group per chunk, the column types mapped from the schema."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Sequence
from typing import Any

from seedspec.database.model import DbColumn, DbTable
from seedspec.errors import UsageError
from seedspec.export.storage import HashedFile

FORMATS = ("sql", "csv", "jsonl", "parquet")
SUFFIX = {"sql": ".sql", "csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}


def text_of(value: Any) -> str:
    """A non-NULL value as CSV text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=str)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def json_of(value: Any) -> Any:
    """A value as JSONL holds it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dict, list, tuple)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return text_of(value)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class PartWriter:
    """Writes one part file chunk by chunk; `close` flushes it."""

    def __init__(self, out: HashedFile, table: DbTable, columns: Sequence[str]) -> None:
        self.out, self.table, self.columns = out, table, list(columns)

    def write(self, arrays: list[Any], values: list[list[Any]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.close()


class CsvWriter(PartWriter):
    def __init__(self, out: HashedFile, table: DbTable, columns: Sequence[str]) -> None:
        super().__init__(out, table, columns)
        self.out.write((",".join(_quoted(c) for c in self.columns) + "\n").encode("utf-8"))

    def write(self, arrays: list[Any], values: list[list[Any]]) -> None:
        cells = [["" if v is None else _quoted(text_of(v)) for v in col] for col in values]
        lines = [",".join(row) + "\n" for row in zip(*cells, strict=True)]
        self.out.write("".join(lines).encode("utf-8"))


class JsonlWriter(PartWriter):
    def write(self, arrays: list[Any], values: list[list[Any]]) -> None:
        cols = [[json_of(v) for v in col] for col in values]
        lines = [
            json.dumps(dict(zip(self.columns, row, strict=True)), ensure_ascii=False) + "\n"
            for row in zip(*cols, strict=True)
        ]
        self.out.write("".join(lines).encode("utf-8"))


class SqlWriter(PartWriter):
    """The rows as the database's script writes them (COPY blocks, INSERTs)."""

    def __init__(
        self, out: HashedFile, table: DbTable, columns: Sequence[str], script: Any
    ) -> None:
        super().__init__(out, table, columns)
        self.script = script

    def write(self, arrays: list[Any], values: list[list[Any]]) -> None:
        self.out.write(self.script.rows(self.table, self.columns, arrays, values).encode("utf-8"))


class ParquetWriter(PartWriter):
    def __init__(self, out: HashedFile, table: DbTable, columns: Sequence[str]) -> None:
        super().__init__(out, table, columns)
        _, pq = _arrow()
        self.schema = arrow_schema(table, self.columns)
        self.writer = pq.ParquetWriter(out, self.schema)

    def write(self, arrays: list[Any], values: list[list[Any]]) -> None:
        self.writer.write_table(arrow_table(self.schema, values))

    def close(self) -> None:
        try:
            self.writer.close()
        finally:
            self.out.close()


def arrow_schema(table: DbTable, columns: Sequence[str]) -> Any:
    """The Arrow schema of a table's part files: its columns' types mapped from the schema."""
    pa, _ = _arrow()
    return pa.schema([pa.field(c, arrow_type(pa, table.column(c))) for c in columns])


def arrow_table(schema: Any, values: list[list[Any]]) -> Any:
    """A chunk's values (column-major, as the INSERT path sends them) as an Arrow table."""
    pa, _ = _arrow()
    cols = [
        pa.array([_arrow_value(f.type, v) for v in col], type=f.type)
        for f, col in zip(schema, values, strict=True)
    ]
    return pa.Table.from_arrays(cols, schema=schema)


def _arrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            "--format parquet needs pyarrow: pip install 'seedspec[parquet]'"
        ) from None
    return pa, pq


_INTS = {"smallint": "int16", "integer": "int32", "bigint": "int64"}


def arrow_type(pa: Any, column: DbColumn | None) -> Any:
    """The Parquet column type of a database column (text for what Parquet has no type for)."""
    kind = column.type if column is not None else "text"
    if kind in _INTS:
        unsigned = column is not None and column.unsigned
        return pa.int64() if unsigned else getattr(pa, _INTS[kind])()
    simple = {
        "float": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "time": pa.time64("us"),
        "timestamp": pa.timestamp("us"),
        "timestamptz": pa.timestamp("us", tz="UTC"),
        "bytes": pa.binary(),
    }
    if kind in simple:
        return simple[kind]
    if kind == "numeric" and column is not None and column.precision and column.precision <= 38:
        return pa.decimal128(column.precision, column.scale or 0)
    return pa.string()


def _arrow_value(kind: Any, value: Any) -> Any:
    """A value as the column's Arrow type takes it (SQLite's ISO text read back as a date)."""
    if value is None:
        return None
    name = str(kind)
    if name == "string":
        return value if isinstance(value, str) else text_of(value)
    if isinstance(value, str) and name.startswith(("date", "time")):
        if name.startswith("date"):
            return dt.date.fromisoformat(value)
        if name.startswith("timestamp"):
            return dt.datetime.fromisoformat(value)
        return dt.time.fromisoformat(value)
    if name.startswith("decimal"):
        return decimal.Decimal(str(value))
    if name == "bool" and isinstance(value, int):
        return bool(value)
    return value


def writer_for(
    fmt: str, out: HashedFile, table: DbTable, columns: Sequence[str], script: Any
) -> PartWriter:
    if fmt == "sql":
        return SqlWriter(out, table, columns, script)
    if fmt == "parquet":
        return ParquetWriter(out, table, columns)
    return {"csv": CsvWriter, "jsonl": JsonlWriter}[fmt](out, table, columns)
