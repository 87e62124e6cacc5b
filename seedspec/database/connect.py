"""Database URLs and engines: a URL or the environment -> SQLAlchemy Engine (passwords hidden)."""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL

from seedspec.errors import ConnectionFailed, UsageError

URL_ENV_VARS = ("SEEDSPEC_DATABASE_URL", "DATABASE_URL")
_SCHEMES = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
}


def resolve_url(given: str | None, url_env: str | None = None) -> str:
    """--db, else the spec's target.url_env, else SEEDSPEC_DATABASE_URL, else DATABASE_URL."""
    if given:
        return given
    names = ([url_env] if url_env else []) + list(URL_ENV_VARS)
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise UsageError(
        "no database given: pass --db URL or set "
        + " / ".join(names)
        + " (e.g. sqlite:///dev.db, postgresql://user@host/db, mysql://user@host/db)"
    )


def normalise_url(text: str) -> URL:
    try:
        url = sa.make_url(text)
    except Exception:  # noqa: BLE001 - any parse failure is a usage error
        raise UsageError(f"not a database URL: {redact_text(text)}") from None
    driver = _SCHEMES.get(url.drivername)
    if driver:
        url = url.set(drivername=driver)
    return url


def redact(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def redact_text(text: str) -> str:
    """Hide a password in free text that may hold a URL (error messages)."""
    import re

    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def make_engine(url_text: str, schema: str | None = None) -> sa.Engine:
    url = normalise_url(url_text)
    try:
        mysql = url.get_backend_name() in ("mysql", "mariadb")
        args: dict[str, object] = {"local_infile": True} if mysql else {}  # LOAD DATA LOCAL
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=args)
    except ModuleNotFoundError as err:
        extra = {"psycopg": "postgresql", "pymysql": "mysql"}.get(err.name or "", "all")
        raise ConnectionFailed(
            f"the driver for {url.get_backend_name()} is not installed ({err.name}); "
            f"pip install 'seedspec[{extra}]'"
        ) from None
    except Exception as err:  # noqa: BLE001
        raise UsageError(f"cannot use database URL {redact(url)}: {err}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    if schema and engine.dialect.name == "postgresql":
        _pg_search_path(engine, schema)
    return engine


def _sqlite_transactions(engine: sa.Engine) -> None:
    """pysqlite's own transaction handling is off; we emit BEGIN ourselves (SQLAlchemy recipe)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")


def _pg_search_path(engine: sa.Engine, schema: str) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute(f'SET search_path TO "{schema}"')
        cur.close()
        dbapi_conn.commit()


def connect(engine: sa.Engine) -> sa.Connection:
    try:
        return engine.connect()
    except Exception as err:  # noqa: BLE001
        first = redact_text(
            str(getattr(err, "orig", err)).strip().splitlines()[0] if str(err) else ""
        )
        raise ConnectionFailed(f"cannot connect to {redact(engine.url)}: {first}") from None
