"""Database chores via psql / mysql clients: reset, verify, row counts -> results and status."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from config import (
    DB_NAME,
    MY_HOST,
    MY_PORT,
    MY_USER,
    MYSQL_SCHEMA,
    MYSQL_VERIFY,
    PG_HOST,
    PG_PORT,
    PG_SCHEMA,
    PG_USER,
    PG_VERIFY,
    TABLES,
)

PSQL = ["psql", "-X", "-q", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-v", "ON_ERROR_STOP=1"]
MYSQL = ["mysql", "-h", MY_HOST, "-P", MY_PORT, "-u", MY_USER]
COUNT_SQL = "SELECT " + " + ".join(f"(SELECT count(*) FROM {t})" for t in TABLES)


@dataclass
class Verify:
    passed: bool
    output: str


def _run(cmd: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True)


def _check(cp: subprocess.CompletedProcess, what: str) -> str:
    if cp.returncode != 0:
        raise RuntimeError(f"{what} failed (rc={cp.returncode}):\n{cp.stdout}\n{cp.stderr}")
    return cp.stdout


def pg_reset() -> None:
    """Drop + create seedspec_bench, load ../shared/bench/schema.sql, then CHECKPOINT."""
    _check(_run(PSQL + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB_NAME}"]), "drop")
    _check(_run(PSQL + ["-d", "postgres", "-c", f"CREATE DATABASE {DB_NAME}"]), "create")
    _check(_run(PSQL + ["-d", DB_NAME, "-f", str(PG_SCHEMA)]), "schema.sql")
    _check(_run(PSQL + ["-d", "postgres", "-c", "CHECKPOINT"]), "checkpoint")


def pg_verify(scale: float) -> Verify:
    """psql -X -v scale=S -f verify.sql: PASS needs exit 0 and the 'VERIFY PASS' line."""
    cp = _run(PSQL[:2] + PSQL[3:] + ["-d", DB_NAME, "-v", f"scale={scale}", "-f", str(PG_VERIFY)])
    text = cp.stdout + cp.stderr
    return Verify(cp.returncode == 0 and "VERIFY PASS" in cp.stdout, text)


def pg_rows() -> int:
    return int(_check(_run(PSQL + ["-d", DB_NAME, "-tA", "-c", COUNT_SQL]), "count").strip())


def pg_version() -> str:
    return _check(_run(PSQL + ["-d", "postgres", "-tA", "-c", "SHOW server_version"]), "v").strip()


def my_reset() -> None:
    """Drop + create seedspec_bench on MariaDB and load specs/schemas/shop.mysql.sql."""
    sql = f"DROP DATABASE IF EXISTS {DB_NAME}; CREATE DATABASE {DB_NAME};"
    _check(_run(MYSQL + ["-e", sql]), "mysql reset")
    _check(_run(MYSQL + [DB_NAME], stdin=MYSQL_SCHEMA.read_text()), "schema.mysql.sql")


def my_verify(scale: float) -> Verify:
    """bench/verify.mysql.sql with @scale set first: PASS needs exit 0 and 'VERIFY PASS'."""
    script = f"SET @scale = {scale};\n" + MYSQL_VERIFY.read_text()
    cp = _run(MYSQL + ["--table", DB_NAME], stdin=script)
    text = cp.stdout + cp.stderr
    return Verify(cp.returncode == 0 and "VERIFY PASS" in cp.stdout, text)


def my_rows() -> int:
    return int(_check(_run(MYSQL + ["-N", "-B", DB_NAME, "-e", COUNT_SQL]), "count").strip())


def my_version() -> str:
    return _check(_run(MYSQL + ["-N", "-B", "-e", "SELECT version()"]), "version").strip()
