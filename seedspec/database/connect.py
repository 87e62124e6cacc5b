"""Database URLs and engines: a URL or the environment -> SQLAlchemy Engine (passwords hidden)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from seedspec.database import secrets
from seedspec.deferred import deferred
from seedspec.errors import ConnectionFailed, UsageError

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL

    from seedspec.dialects import registry
else:
    sa = deferred("sqlalchemy")
    registry = deferred("seedspec.dialects.registry")  # imports every dialect (SQLAlchemy)

__all__ = [
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
    secrets.remember_url(text)
    try:
        url = sa.make_url(text)
    except Exception:  # noqa: BLE001 - any parse failure is a usage error
        raise UsageError(f"not a database URL: {redact_text(text)}") from None
    if url.host and "@" in url.host:
        raise UsageError(
            "the database URL's user name or password holds a raw '@' (so its host cannot be "
            "told apart); percent-encode it: '@' as %40, ':' as %3A, '/' as %2F, '%' as %25"
        )
    secrets.remember(url.password if isinstance(url.password, str) else None)
    for key, value in url.query.items():
        if secrets.is_secret_key(key):
            for item in value if isinstance(value, tuple) else (value,):
                secrets.remember(item)
    if "read_default_file" in url.query or "read_default_group" in url.query:
        secrets.remember_mysql_options(url.query)
    driver = registry.url_schemes().get(url.drivername)
    if driver:
        url = url.set(drivername=driver)
    return url


def redact(url: URL) -> str:
    """A database URL for messages: its password and secret query values as ***."""
    query = {k: secrets.MASK if secrets.is_secret_key(k) else v for k, v in url.query.items()}
    return secrets.mask(url.set(query=query).render_as_string(hide_password=True))


def safe_url(url: URL) -> str:
    """A database URL without its password (nor secret-looking query parameters)."""
    query = {k: v for k, v in url.query.items() if not secrets.is_secret_key(k)}
    return secrets.mask(url.set(password=None, query=query).render_as_string(hide_password=True))


def redact_text(text: str) -> str:
    """Free text that may hold a URL, a DSN or a password (a driver's error message) with every
    password form and every password seedspec has seen masked."""
    return secrets.mask(text)


def make_engine(url_text: str, schema: str | None = None) -> sa.Engine:
    """An engine for a URL (``postgres://`` etc. get seedspec's drivers), set up by its dialect:
    SQLite pragmas and transactions, PostgreSQL search_path for ``schema``."""
    url = normalise_url(url_text)
    missing = registry.dialect_for(url.get_backend_name()).missing_database(url)
    if missing is not None:
        raise UsageError(
            f"{missing}; check the path in --db (or create the database, e.g. by running the "
            "application's migrations, first)"
        )
    try:
        args = dict(registry.dialect_for(url.get_backend_name()).connect_args)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=args)
    except ModuleNotFoundError as err:
        raise ConnectionFailed(
            f"the driver for {url.get_backend_name()} is not installed ({err.name}); "
            f"pip install 'seedspec[{registry.driver_extra(err.name or '')}]'"
        ) from None
    except Exception as err:  # noqa: BLE001
        raise UsageError(
            f"cannot use database URL {redact(url)}: {redact_text(str(err))}"
        ) from None
    registry.dialect_for(engine.dialect.name).setup_engine(engine, schema)
    return engine


def connect(engine: sa.Engine, *, load: bool = False) -> sa.Connection:
    """A connection; ``load``: the apply's own, the only one a dialect lets load local files
    (MySQL LOCAL INFILE)."""
    try:
        if load:
            return registry.dialect_for(engine.dialect.name).connect_for_load(engine)
        return engine.connect()
    except Exception as err:  # noqa: BLE001
        first = redact_text(
            str(getattr(err, "orig", err)).strip().splitlines()[0] if str(err) else ""
        )
        raise ConnectionFailed(f"cannot connect to {redact(engine.url)}: {first}") from None


def password_of(conn: sa.Connection | sa.Engine) -> str | None:
    """The password of the URL `conn` was opened with (to scrub it from messages)."""
    try:
        engine = conn if isinstance(conn, sa.Engine) else conn.engine
        return engine.url.password
    except Exception:  # noqa: BLE001 - only used to scrub messages
        return None


def dbapi_errors(conn: sa.Connection | sa.Engine) -> tuple[type[BaseException], ...]:
    """The driver's base exception class (what a failed connect or query raises)."""
    dbapi = getattr(conn.dialect, "loaded_dbapi", None) or getattr(conn.dialect, "dbapi", None)
    error = getattr(dbapi, "Error", None)
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


def error_line(
    exc: BaseException, password: str | None, what: str = "cannot reflect the database schema"
) -> str:
    """A driver error as one line, without the password: `what: ErrorClass: first line`."""
    orig = getattr(exc, "orig", None)
    source = orig if isinstance(orig, BaseException) else exc
    lines = str(source).strip().splitlines()
    detail = lines[0].strip() if lines else ""
    if password:
        detail = detail.replace(str(password), "***")
    return redact_text(f"{what}: {type(source).__name__}: {detail}".rstrip(": "))


# MySQL/MariaDB server errors meaning a missing privilege (1045, a refused login, is a
# connection failure): DBACCESS_DENIED, TABLEACCESS_DENIED, COLUMNACCESS_DENIED,
# SPECIFIC_ACCESS_DENIED, PROCACCESS_DENIED
_MYSQL_DENIED = {1044, 1142, 1143, 1227, 1370}
_SQLITE_DENIED = {8, 23}  # SQLITE_READONLY, SQLITE_AUTH (primary result codes)


def is_permission_denied(err: BaseException) -> bool:
    """Whether a database error says the role lacks a privilege (PostgreSQL SQLSTATE 42501,
    MySQL/MariaDB access-denied errors, a read-only SQLite file)."""
    orig = getattr(err, "orig", None) or err
    if getattr(orig, "sqlstate", None) == "42501":  # psycopg 3: insufficient_privilege
        return True
    args = getattr(orig, "args", ())
    if type(orig).__module__.startswith("pymysql") and args and args[0] in _MYSQL_DENIED:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _SQLITE_DENIED
