"""LOCAL INFILE on the load path only: a MySQL engine -> the apply's own connection, which sends
the server only files seedspec wrote; every other connection has LOCAL INFILE off (pymysql's
default), so a hostile server cannot read client files during check, plan or reflection."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

_lock = threading.Lock()
_written: set[bytes] = set()  # the files seedspec wrote for LOAD DATA and has not removed yet
_loading = contextvars.ContextVar("seedspec_mysql_loading", default=False)


def wrote(path: str) -> None:
    """A file seedspec wrote for LOAD DATA: the load connection may send it."""
    with _lock:
        _written.add(os.fsencode(path))


def removed(path: str) -> None:
    with _lock:
        _written.discard(os.fsencode(path))


def connect_for_load(engine: sa.Engine) -> sa.Connection:
    """A connection with LOCAL INFILE on, limited to the files seedspec wrote."""
    if not event.contains(engine, "do_connect", _do_connect):
        event.listen(engine, "do_connect", _do_connect)
    token = _loading.set(True)
    try:
        return engine.connect()
    finally:
        _loading.reset(token)


def _do_connect(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
    if not _loading.get() or dialect.driver != "pymysql":
        return None  # SQLAlchemy connects as usual: LOCAL INFILE off
    return _load_connection_class()(*cargs, **{**cparams, "local_infile": True})


def allowed(name: bytes) -> bool:
    with _lock:
        return bytes(name) in _written


@functools.cache
def _load_connection_class() -> type:
    """pymysql's Connection whose LOAD LOCAL answer checks the file the server asks for.

    pymysql has no hook for it: the subclass replaces its 8-line _read_query_result (1.1, 1.2)
    to read results with the checking MySQLResult below (tests/integration/test_guard.py
    proves a file seedspec did not write is refused on this connection)."""
    from pymysql import connections
    from pymysql import err as pymysql_err

    class CheckedResult(connections.MySQLResult):
        def _read_load_local_packet(self, first_packet: Any) -> None:
            name = connections.LoadLocalPacketWrapper(first_packet).filename
            if allowed(name):
                super()._read_load_local_packet(first_packet)
                return
            conn = self.connection
            conn.write_packet(b"")  # no data: the server ends the statement
            with contextlib.suppress(pymysql_err.MySQLError):
                conn._read_packet()
            shown = bytes(name).decode("utf-8", "replace")
            raise pymysql_err.OperationalError(
                2000,
                f"LOCAL INFILE refused: the server asked for {shown}, not a file seedspec wrote",
            )

    class LoadConnection(connections.Connection):
        def _read_query_result(self, unbuffered: bool = False) -> int:
            self._result = None
            result = CheckedResult(self)
            if unbuffered:
                result.init_unbuffered_query()
            else:
                result.read()
            self._result = result
            if result.server_status is not None:
                self.server_status = result.server_status
            return int(result.affected_rows or 0)

    return LoadConnection
