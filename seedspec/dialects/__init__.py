"""Per-database loading: a Dialect object per SQLAlchemy dialect name."""

from __future__ import annotations

from seedspec.dialects.base import Dialect
from seedspec.dialects.mysql import MySqlDialect
from seedspec.dialects.postgresql import PostgresDialect
from seedspec.dialects.sqlite import SqliteDialect


def dialect_for(name: str) -> Dialect:
    if name == "postgresql":
        return PostgresDialect()
    if name in ("mysql", "mariadb"):
        return MySqlDialect()
    if name == "sqlite":
        return SqliteDialect()
    return Dialect()


__all__ = ["Dialect", "dialect_for"]
