"""PostgreSQL COPY encoders: column arrays -> binary / text payload bytes, pinned and decoded.

Every case is one column (a DbColumn and the array a generator hands the loader). Its binary
COPY payload, its COPY text block and its LOAD DATA (mysql flavour) block are pinned as hex in
data/copy_golden.json; independently, the binary payload is parsed here (header, tuples, field
lengths, values decoded per type) and the text block is unescaped back to the values' text.
With a PostgreSQL server (marked postgres), both are loaded with COPY FROM STDIN and read back.
Re-bless after an intended change of the encoding, then review the diff:

    SEEDSPEC_BLESS=1 .venv/bin/python -m pytest -q tests/unit/test_copy_encoders.py
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import struct
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import PG_ADMIN_URL

from seedspec.database.model import DbColumn
from seedspec.dialects.postgresql import copybinary, copytext

GOLDEN = Path(__file__).parent / "data" / "copy_golden.json"
BLESS = os.environ.get("SEEDSPEC_BLESS") == "1"
PG_EPOCH = dt.datetime(2000, 1, 1)
U1 = "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
U2 = "00000000-0000-4000-8000-000000000000"
STAMPS = ["2000-01-01T00:00:00", "2024-05-06T07:08:09.123456", "1970-01-01T00:00:00"]
ESCAPES = ["tab\there", "new\nline", "back\\slash", "cr\r", "a\\tb"]  # text needing escapes
# strings that read like COPY's NULL marker or escapes, and NULL itself (issue 11, defect 4)
NULLISH = ["\\N", "\\\\N", "a\tb", "x\ny", "C:\\path", "NULL", "", "\\", None]
INTERVAL = dt.timedelta(days=2, seconds=1)


def column_array(values: list[Any], dtype: str) -> np.ndarray:
    """The array a generator would hand the loader: a numpy dtype, or "O" for Python objects."""
    if dtype == "O":
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array(values, dtype=dtype)


# name -> (type kind, sql type, values, dtype)
CASES: dict[str, tuple[str, str, list[Any], str]] = {
    "int2": ("smallint", "smallint", [0, 1, -1, 32767, -32768], "int64"),
    "int2_null": ("smallint", "int2", [7, None, -7], "O"),
    "int4": ("integer", "integer", [0, 2**31 - 1, -(2**31), 42], "int64"),
    "int8": ("bigint", "bigint", [2**63 - 1, -(2**63), 0], "int64"),
    "int8_null": ("bigint", "bigint", [None, 5], "O"),
    "float4": ("float", "real", [1.5, -0.25, 3.0e38], "float64"),
    "float8": ("float", "double precision", [0.1, -1e-300, 1e16, math.inf], "float64"),
    "bool": ("boolean", "boolean", [True, False, True], "bool"),
    "bool_null": ("boolean", "boolean", [True, None, False], "O"),
    "date": ("date", "date", ["2000-01-01", "1999-12-31", "2024-02-29"], "datetime64[D]"),
    "date_null": ("date", "date", [dt.date(2001, 2, 3), None], "O"),
    "timestamp": ("timestamp", "timestamp without time zone", STAMPS, "datetime64[us]"),
    "timestamp_null": ("timestamp", "timestamp", [None, dt.datetime(2020, 1, 2, 3, 4, 5)], "O"),
    "timestamptz": ("timestamptz", "timestamptz", ["2023-06-30T23:59:59.5"], "datetime64[us]"),
    "uuid": ("uuid", "uuid", [U1, U2, None], "O"),
    "bytea": ("bytes", "bytea", [b"", b"\x00\xff\\\n", None], "O"),
    "json": ("json", "json", ['{"a": 1}', {"b": [1, "x\ty"]}, None], "O"),
    "jsonb": ("json", "jsonb", ['{"a": 1}', {"b": None}, None], "O"),
    "text": ("text", "text", ["", "héllo", "plain", None], "O"),
    "text_escapes": ("text", "text", ESCAPES, "O"),
    "text_nullish": ("text", "text", NULLISH, "O"),
    "varchar": ("varchar", "character varying(12)", ["abc", "x" * 12], "O"),
    "char": ("char", "character(3)", ["abc", "xyz"], "O"),
    "enum": ("enum", "mood", ["sad", "happy", None], "O"),
    # types without a binary encoder (the loader uses COPY text for their tables)
    "numeric": ("numeric", "numeric(7,2)", [Decimal("12.50"), Decimal("-0.01"), None], "O"),
    "time": ("time", "time without time zone", [dt.time(8, 0), dt.time(23, 59, 59, 5), None], "O"),
    "interval": ("interval", "interval", [dt.timedelta(minutes=90), INTERVAL], "O"),
    "int_array": ("array", "integer[]", [[1, 2, 3], [], [None, -4]], "O"),
    "text_array": ("array", "text[]", [["a b", 'q"uote', "back\\slash"], ["x"]], "O"),
    "inet": ("inet", "inet", ["10.1.2.3", "::1"], "O"),
    "cidr": ("cidr", "cidr", ["10.0.1.0/24", "10.255.0.0/24"], "O"),
    "bit": ("bit", "bit(4)", ["0101", "1111", None], "O"),
    "int4range": ("range", "int4range", ["[1,5)", "[10,11)"], "O"),
    "daterange": ("range", "daterange", ["[2024-01-01,2024-01-08)"], "O"),
    "citext": ("text", "citext", ["MiXeD"], "O"),
    "tinyint": ("smallint", "tinyint(4)", [1, 2], "int64"),
}
NO_BINARY = {"numeric", "time", "interval", "int_array", "text_array", "inet", "cidr", "bit"}
NO_BINARY |= {"int4range", "daterange", "citext", "tinyint"}


def db_column(name: str) -> DbColumn:
    kind, sql, _, _ = CASES[name]
    return DbColumn(name=f"c_{name}", type=kind, sql_type=sql)


def values_of(name: str) -> np.ndarray:
    _, _, values, dtype = CASES[name]
    return column_array(values, dtype)


def binary_payload(names: list[str]) -> bytes | None:
    fields = copybinary.fields_for([db_column(n) for n in names])
    if fields is None:
        return None
    return copybinary.encode_binary(fields, [values_of(n) for n in names])


MULTI = ["int2", "bool", "date", "timestamp", "uuid", "text"]  # a table of these, 3 rows


def encodings(names: list[str], rows: int | None = None) -> dict[str, str | None]:
    """Hex of the binary payload (None: no binary form), COPY text and LOAD DATA blocks."""
    arrays = [values_of(n)[:rows] for n in names]
    fields = copybinary.fields_for([db_column(n) for n in names])
    return {
        "binary": None if fields is None else copybinary.encode_binary(fields, arrays).hex(),
        "text": copytext.encode_rows(arrays).hex(),
        "mysql": copytext.encode_rows(arrays, flavor="mysql").hex(),
    }


def all_encodings() -> dict[str, dict[str, str | None]]:
    return {**{name: encodings([name]) for name in CASES}, "multi_column": encodings(MULTI, 3)}


# -- golden bytes ----------------------------------------------------------------------------


def test_golden_file_lists_every_case() -> None:
    if BLESS:
        GOLDEN.write_text(json.dumps(all_encodings(), indent=1, sort_keys=True) + "\n", "utf-8")
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(stored) == sorted([*CASES, "multi_column"]), "re-bless: SEEDSPEC_BLESS=1"


@pytest.mark.parametrize("name", [*CASES, "multi_column"])
def test_golden_bytes(name: str) -> None:
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    assert (encodings(MULTI, 3) if name == "multi_column" else encodings([name])) == stored


# -- binary COPY: structure and values, decoded here -----------------------------------------


def parse_binary(payload: bytes) -> list[list[bytes | None]]:
    """Rows of raw fields (None for NULL) of a PostgreSQL binary COPY payload, every byte read."""
    assert payload[:11] == b"PGCOPY\n\xff\r\n\x00"
    flags, extension = struct.unpack_from(">ii", payload, 11)
    assert flags == 0 and extension == 0
    pos, rows = 19, []
    while True:
        (count,) = struct.unpack_from(">h", payload, pos)
        pos += 2
        if count == -1:
            break
        fields: list[bytes | None] = []
        for _ in range(count):
            (size,) = struct.unpack_from(">i", payload, pos)
            pos += 4
            fields.append(None if size == -1 else payload[pos : pos + size])
            pos += max(size, 0)
        rows.append(fields)
    assert pos == len(payload), "bytes after the trailer"
    return rows


def decode(kind: str, sql: str, raw: bytes) -> Any:
    """One binary field -> a Python value, per PostgreSQL's send functions."""
    if kind in ("smallint", "integer", "bigint"):
        fmt = {"smallint": ">h", "integer": ">i", "bigint": ">q"}[kind]
        assert len(raw) == struct.calcsize(fmt)
        return struct.unpack(fmt, raw)[0]
    if kind == "float":
        fmt = ">f" if sql == "real" else ">d"
        assert len(raw) == struct.calcsize(fmt)
        return struct.unpack(fmt, raw)[0]
    if kind == "boolean":
        assert raw in (b"\x00", b"\x01")
        return raw == b"\x01"
    if kind == "date":
        return PG_EPOCH.date() + dt.timedelta(days=struct.unpack(">i", raw)[0])
    if kind in ("timestamp", "timestamptz"):
        return PG_EPOCH + dt.timedelta(microseconds=struct.unpack(">q", raw)[0])
    if kind == "uuid":
        return str(uuid.UUID(bytes=raw))
    if kind == "bytes":
        return raw
    if sql == "jsonb":
        assert raw[:1] == b"\x01"  # jsonb version byte
        return json.loads(raw[1:])
    if kind == "json":
        return json.loads(raw)
    return raw.decode("utf-8")


def expected(kind: str, sql: str, value: Any) -> Any:
    """What the decoded field must equal for this generated value."""
    if value is None:
        return None
    if kind == "float" and sql == "real":
        return struct.unpack(">f", struct.pack(">f", value))[0]
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind in ("timestamp", "timestamptz") and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if kind == "json":
        return json.loads(value) if isinstance(value, str) else value
    return value


BINARY = [name for name in CASES if name not in NO_BINARY]


@pytest.mark.parametrize("name", BINARY)
def test_binary_payload_decodes_to_the_values(name: str) -> None:
    kind, sql, values, _ = CASES[name]
    payload = binary_payload([name])
    assert payload is not None
    rows = parse_binary(payload)
    assert [len(r) for r in rows] == [1] * len(values)
    decoded = [None if r[0] is None else decode(kind, sql, r[0]) for r in rows]
    assert decoded == [expected(kind, sql, v) for v in values]


def test_binary_multi_column_rows_keep_field_order_and_nulls() -> None:
    rows = parse_binary(bytes.fromhex(encodings(MULTI, 3)["binary"] or ""))
    assert len(rows) == 3 and all(len(r) == 6 for r in rows)
    for i, row in enumerate(rows):
        for name, raw in zip(MULTI, row, strict=True):
            kind, sql, values, _ = CASES[name]
            got = None if raw is None else decode(kind, sql, raw)
            assert got == expected(kind, sql, values[i])


def test_binary_empty_chunk_is_header_and_trailer() -> None:
    fields = copybinary.fields_for([db_column("int4")])
    assert fields is not None
    payload = copybinary.encode_binary(fields, [np.array([], dtype=np.int64)])
    assert payload == copybinary.HEADER + copybinary.TRAILER
    assert parse_binary(payload) == []


@pytest.mark.parametrize("name", sorted(NO_BINARY))
def test_types_without_a_binary_form_fall_back_to_text(name: str) -> None:
    assert copybinary.fields_for([db_column(name)]) is None
    assert copybinary.fields_for([db_column("int4"), db_column(name)]) is None


# -- COPY text: lines, tabs, escapes, NULL --------------------------------------------------------


def parse_text(block: bytes) -> list[list[str | None]]:
    r"""COPY text -> rows of field texts: \N is NULL, backslash sequences unescaped."""
    text = block.decode("utf-8")
    assert text == "" or text.endswith("\n")
    rows = []
    for line in text.split("\n")[:-1]:
        fields: list[str | None] = []
        for field in line.split("\t"):
            if field == "\\N":
                fields.append(None)
                continue
            out, i = [], 0
            while i < len(field):
                if field[i] == "\\":
                    nxt = field[i + 1]
                    out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[nxt])
                    i += 2
                else:
                    out.append(field[i])
                    i += 1
            fields.append("".join(out))
        rows.append(fields)
    return rows


# name -> the text PostgreSQL must read for each value (None = NULL), written out by hand
TEXT_EXPECTED: dict[str, list[str | None]] = {
    "int2": ["0", "1", "-1", "32767", "-32768"],
    "int2_null": ["7", None, "-7"],
    "int8": ["9223372036854775807", "-9223372036854775808", "0"],
    "float8": ["0.1", "-1e-300", "1e+16", "inf"],
    "bool": ["t", "f", "t"],
    "bool_null": ["t", None, "f"],
    "date": ["2000-01-01", "1999-12-31", "2024-02-29"],
    "date_null": ["2001-02-03", None],
    "timestamp": [
        "2000-01-01T00:00:00.000000",
        "2024-05-06T07:08:09.123456",
        "1970-01-01T00:00:00.000000",
    ],
    "timestamp_null": [None, "2020-01-02 03:04:05"],
    "uuid": [U1, U2, None],
    "bytea": ["\\x", "\\x00ff5c0a", None],
    "json": ['{"a": 1}', '{"b": [1, "x\\ty"]}', None],
    "text": ["", "héllo", "plain", None],
    "text_escapes": ["tab\there", "new\nline", "back\\slash", "cr\r", "a\\tb"],
    "text_nullish": NULLISH,
    "enum": ["sad", "happy", None],
    "numeric": ["12.50", "-0.01", None],
    "time": ["08:00:00", "23:59:59.000005", None],
    "interval": ["0 days 5400 seconds 0 microseconds", "2 days 1 seconds 0 microseconds"],
    "int_array": ["{1,2,3}", "{}", "{NULL,-4}"],
    "text_array": ['{"a b","q\\"uote","back\\\\slash"}', '{"x"}'],
    "cidr": ["10.0.1.0/24", "10.255.0.0/24"],
    "bit": ["0101", "1111", None],
    "int4range": ["[1,5)", "[10,11)"],
}


@pytest.mark.parametrize("name", sorted(TEXT_EXPECTED))
def test_text_block_unescapes_to_the_values_text(name: str) -> None:
    rows = parse_text(copytext.encode_rows([values_of(name)]))
    assert [r[0] for r in rows] == TEXT_EXPECTED[name]
    assert all(len(r) == 1 for r in rows)


def test_text_special_characters_never_leave_a_raw_tab_or_newline() -> None:
    block = copytext.encode_rows([values_of("text_escapes"), values_of("int4")[:5].tolist() + [0]])
    lines = block.decode().split("\n")
    assert len(lines) == 6 and lines[-1] == ""
    assert all(line.count("\t") == 1 for line in lines[:-1])


def test_text_the_string_backslash_n_is_not_null() -> None:
    for flavor in ("postgresql", "mysql"):
        block = copytext.encode_rows([column_array(["\\N", None, "x"], "O")], flavor=flavor)
        assert block == b"\\\\N\n\\N\nx\n"
        assert parse_text(block) == [["\\N"], [None], ["x"]]
    # no other special character in the chunk: the escaping must not be skipped
    assert copytext.encode_rows([column_array(["\\N"], "O")]) == b"\\\\N\n"


def test_text_multi_column_rows_and_empty_input() -> None:
    arrays = [values_of("int2")[:3], values_of("bool"), values_of("text")[:3]]
    assert copytext.encode_rows(arrays) == b"0\tt\t\n1\tf\th\xc3\xa9llo\n-1\tt\tplain\n"
    assert copytext.encode_rows([]) == b""
    assert copytext.encode_rows([np.array([], dtype=np.int64)]) == b""


def test_mysql_flavour_spellings() -> None:
    def texts(name: str) -> list[str | None]:
        return [r[0] for r in parse_text(copytext.encode_rows([values_of(name)], flavor="mysql"))]

    assert texts("bool") == ["1", "0", "1"]
    assert texts("bool_null") == ["1", None, "0"]
    assert texts("timestamp") == [
        "2000-01-01 00:00:00.000000",
        "2024-05-06 07:08:09.123456",
        "1970-01-01 00:00:00.000000",
    ]
    assert texts("timestamp_null") == [None, "2020-01-02 03:04:05"]
    assert texts("int_array") == ["[1, 2, 3]", "[]", "[null, -4]"]
    assert texts("int2") == ["0", "1", "-1", "32767", "-32768"]


# -- a real decoder: PostgreSQL reads both formats back -------------------------------------


# name -> PostgreSQL's own text output (v::text) of each loaded value, written out by hand
PG_TEXT: dict[str, list[str | None]] = {
    "int2": ["0", "1", "-1", "32767", "-32768"],
    "int2_null": ["7", None, "-7"],
    "int4": ["0", "2147483647", "-2147483648", "42"],
    "int8": ["9223372036854775807", "-9223372036854775808", "0"],
    "int8_null": [None, "5"],
    "float4": ["1.5", "-0.25", "3e+38"],
    "float8": ["0.1", "-1e-300", "1e+16", "Infinity"],
    "bool": ["true", "false", "true"],
    "bool_null": ["true", None, "false"],
    "date": ["2000-01-01", "1999-12-31", "2024-02-29"],
    "date_null": ["2001-02-03", None],
    "timestamp": ["2000-01-01 00:00:00", "2024-05-06 07:08:09.123456", "1970-01-01 00:00:00"],
    "timestamp_null": [None, "2020-01-02 03:04:05"],
    "timestamptz": ["2023-06-30 23:59:59.5+00"],
    "uuid": [U1, U2, None],
    "bytea": ["\\x", "\\x00ff5c0a", None],
    "json": ['{"a": 1}', '{"b": [1, "x\\ty"]}', None],
    "jsonb": ['{"a": 1}', '{"b": null}', None],
    "text": ["", "héllo", "plain", None],
    "text_escapes": ["tab\there", "new\nline", "back\\slash", "cr\r", "a\\tb"],
    "text_nullish": NULLISH,
    "varchar": ["abc", "x" * 12],
    "char": ["abc", "xyz"],
    "enum": ["sad", "happy", None],
    "numeric": ["12.50", "-0.01", None],
    "time": ["08:00:00", "23:59:59.000005", None],
    "interval": ["01:30:00", "2 days 00:00:01"],
    "int_array": ["{1,2,3}", "{}", "{NULL,-4}"],
    "text_array": ['{"a b","q\\"uote","back\\\\slash"}', "{x}"],
    "inet": ["10.1.2.3/32", "::1/128"],  # the inet -> text cast keeps the mask
    "cidr": ["10.0.1.0/24", "10.255.0.0/24"],
    "bit": ["0101", "1111", None],
    "int4range": ["[1,5)", "[10,11)"],
    "daterange": ["[2024-01-01,2024-01-08)"],
}


@pytest.fixture(scope="module")
def pg_conn() -> Iterator[Any]:
    """One connection to the test server; each test works in a scratch schema, rolled back."""
    psycopg = pytest.importorskip("psycopg")
    url = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        conn = psycopg.connect(url, connect_timeout=5)
    except psycopg.OperationalError as err:
        reason = f"PostgreSQL is not reachable ({err})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so database tests must run", pytrace=False)
        pytest.skip(reason)
    with conn:
        yield conn


@pytest.mark.postgres
@pytest.mark.parametrize("fmt", ["binary", "text"])
def test_postgresql_copy_reads_back_equal_values(pg_conn: Any, fmt: str) -> None:
    names = [n for n in PG_TEXT if fmt == "text" or n not in NO_BINARY]
    schema = f"copy_test_{uuid.uuid4().hex[:12]}"
    try:
        pg_conn.execute(f"CREATE SCHEMA {schema}")
        pg_conn.execute(f"SET LOCAL search_path TO {schema}")
        pg_conn.execute("SET LOCAL TIME ZONE 'UTC'")
        pg_conn.execute("CREATE TYPE mood AS ENUM ('sad', 'happy')")
        for name in names:
            table = f"t_{name}"
            pg_conn.execute(f"CREATE TABLE {table} (n serial, v {CASES[name][1]})")
            if fmt == "binary":
                payload = binary_payload([name])
                assert payload is not None
                sql = f"COPY {table} (v) FROM STDIN (FORMAT binary)"
            else:
                payload = copytext.encode_rows([values_of(name)])
                sql = f"COPY {table} (v) FROM STDIN"
            with pg_conn.cursor().copy(sql) as copy:
                copy.write(payload)
            got = [r[0] for r in pg_conn.execute(f"SELECT v::text FROM {table} ORDER BY n")]
            assert got == PG_TEXT[name], name
    finally:
        pg_conn.rollback()  # the schema, type and tables were never committed
