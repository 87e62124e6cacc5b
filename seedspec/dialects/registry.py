"""SQLAlchemy dialect name -> the Dialect that knows that database (one registry dict)."""

from __future__ import annotations

from seedspec.dialects.base import Dialect
from seedspec.dialects.mysql.dialect import MariaDbDialect, MySqlDialect
from seedspec.dialects.postgresql.dialect import PostgresDialect
from seedspec.dialects.sqlite.dialect import SqliteDialect

DIALECTS: dict[str, type[Dialect]] = {
    "postgresql": PostgresDialect,
    "mysql": MySqlDialect,
    "mariadb": MariaDbDialect,
    "sqlite": SqliteDialect,
}


def dialect_for(name: str) -> Dialect:
    """A fresh Dialect for a SQLAlchemy dialect name; the generic one for any other database."""
    return DIALECTS.get(name, Dialect)()


def url_schemes() -> dict[str, str]:
    """URL scheme -> the SQLAlchemy driver seedspec uses for it (postgres:// -> psycopg ...)."""
    return {scheme: driver for d in DIALECTS.values() for scheme, driver in d.url_schemes.items()}


def driver_extra(module: str) -> str:
    """The pip extra that installs a DBAPI module ("all" when no dialect names it)."""
    return next((d.drivers[module] for d in DIALECTS.values() if module in d.drivers), "all")


__all__ = ["DIALECTS", "Dialect", "dialect_for", "driver_extra", "url_schemes"]
