"""The database an apply writes: a URL, an Engine or a Connection -> a Target (engine, reflected
DbSchema, the caller's connection), and the URL the production guard reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from seedspec.database.connect import connect, normalise_url, resolve_url
from seedspec.database.model import DbSchema
from seedspec.database.reflect import reflect_connection, reflect_url
from seedspec.database.waits import DEFAULT_LOCK_TIMEOUT
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL
else:
    sa = deferred("sqlalchemy")

Database: TypeAlias = "str | sa.Engine | sa.Connection | None"
"""A database URL (None: the environment), an Engine, or a Connection (whose open transaction
the apply joins, inside a SAVEPOINT)."""


@dataclass
class Target:
    """The database an apply writes: an engine, its schema, and the caller's connection when
    one was given (`owned`: the engine is seedspec's own, disposed when done)."""

    engine: sa.Engine
    schema: DbSchema
    conn: sa.Connection | None = None
    owned: bool = True

    def close(self) -> None:
        if self.owned:
            self.engine.dispose()

    @contextmanager
    def connection(self) -> Iterator[sa.Connection]:
        """The caller's connection, else a fresh one closed after."""
        if self.conn is not None:
            yield self.conn
            return
        conn = connect(self.engine)
        try:
            yield conn
        finally:
            conn.close()


def open_database(
    db: Database,
    names: list[str] | None,
    url_env: str | None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> Target:
    """A Target for a URL (seedspec's own engine), an Engine or a Connection (the caller's,
    reflected as it sees the database: its search_path; never closed here)."""
    if isinstance(db, sa.Connection):
        return Target(db.engine, reflect_connection(db, names), db, owned=False)
    if isinstance(db, sa.Engine):
        with connect(db) as conn:
            return Target(db, reflect_connection(conn, names), owned=False)
    engine, schema = reflect_url(resolve_url(db, url_env), names, lock_timeout)
    return Target(engine, schema)


def database_url(db: Database, url_env: str | None) -> URL:
    """The URL the production guard reads: the given one, an Engine's or a Connection's."""
    if isinstance(db, (sa.Engine, sa.Connection)):
        return db.engine.url
    return normalise_url(resolve_url(db, url_env))
