"""Database URLs and engines: a URL or the environment -> SQLAlchemy Engine (passwords hidden)."""

from __future__ import annotations

import os
import re

import sqlalchemy as sa
from sqlalchemy.engine import URL

from seedspec.dialects.registry import dialect_for, driver_extra, url_schemes
from seedspec.errors import ConnectionFailed, UsageError

__all__ = [
    "URL",
    "URL_ENV_VARS",
    "connect",
    "make_engine",
    "normalise_url",
    "redact",
    "redact_text",
    "resolve_url",
    "safe_url",
]

URL_ENV_VARS = ("SEEDSPEC_DATABASE_URL", "DATABASE_URL")
_SECRET_QUERY = ("pass", "secret", "token", "key")


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
    driver = url_schemes().get(url.drivername)
    if driver:
        url = url.set(drivername=driver)
    return url


def redact(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def safe_url(url: URL) -> str:
    """A database URL without its password (nor secret-looking query parameters)."""
    query = {k: v for k, v in url.query.items() if not any(s in k.lower() for s in _SECRET_QUERY)}
    return url.set(password=None, query=query).render_as_string(hide_password=True)


def redact_text(text: str) -> str:
    """Hide a password in free text that may hold a URL (error messages)."""
    # reads a URL's user:password@ inside a message (not SQL; tests/unit/test_no_sql_regex.py)
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def make_engine(url_text: str, schema: str | None = None) -> sa.Engine:
    """An engine for a URL (``postgres://`` etc. get seedspec's drivers), set up by its dialect:
    SQLite pragmas and transactions, PostgreSQL search_path for ``schema``."""
    url = normalise_url(url_text)
    try:
        args = dict(dialect_for(url.get_backend_name()).connect_args)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=args)
    except ModuleNotFoundError as err:
        raise ConnectionFailed(
            f"the driver for {url.get_backend_name()} is not installed ({err.name}); "
            f"pip install 'seedspec[{driver_extra(err.name or '')}]'"
        ) from None
    except Exception as err:  # noqa: BLE001
        raise UsageError(f"cannot use database URL {redact(url)}: {err}") from None
    dialect_for(engine.dialect.name).setup_engine(engine, schema)
    return engine


def connect(engine: sa.Engine) -> sa.Connection:
    try:
        return engine.connect()
    except Exception as err:  # noqa: BLE001
        first = redact_text(
            str(getattr(err, "orig", err)).strip().splitlines()[0] if str(err) else ""
        )
        raise ConnectionFailed(f"cannot connect to {redact(engine.url)}: {first}") from None
