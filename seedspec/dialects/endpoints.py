"""Where a connection would go: a database URL (and libpq's environment) -> Endpoints (a file, a
unix socket, a network host, or unknown), read the way each driver reads it, opening nothing."""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seedspec.database import secrets

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


@dataclass(frozen=True)
class Endpoint:
    """Where a connection would go: a file, a unix socket, a network host, or unknown."""

    kind: str  # "file" | "socket" | "host" | "unknown"
    where: str


def values(value: object) -> list[str]:
    """A query value (one string or several) -> its comma-separated items."""
    items = value if isinstance(value, tuple | list) else [value] if value else []
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def endpoint(text: str) -> Endpoint:
    """One host item: a socket path, [v6]:port, host:port, or a bare host."""
    if text.startswith(("/", "@")):  # a socket directory, or Linux's abstract namespace
        return Endpoint("socket", text)
    if text.startswith("["):  # [::1]:5432
        return Endpoint("host", text[1:].split("]", 1)[0])
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and host.count(":") == 0:
        return Endpoint("host", host)
    return Endpoint("host", text)


def generic(url: URL) -> list[Endpoint]:
    hosts = values(url.query.get("host")) or values(url.host)
    backend = url.get_backend_name()
    return [endpoint(h) for h in hosts] or [Endpoint("unknown", f"a {backend} URL without host")]


def libpq(url: URL, environ: Mapping[str, str]) -> list[Endpoint]:
    """libpq: query host/hostaddr win over the URL's host, then PGHOST/PGHOSTADDR, then a
    service file; nothing at all is the default unix socket."""
    query = url.query
    hosts = values(query.get("host")) or values(url.host) or values(environ.get("PGHOST"))
    addrs = values(query.get("hostaddr")) or values(environ.get("PGHOSTADDR"))
    service = query.get("service") or environ.get("PGSERVICE")
    if not hosts and not addrs and service:
        found = _pg_service(str(service), environ)
        if found is None:
            return [Endpoint("unknown", f"the PostgreSQL service {service!s}, not found")]
        hosts, addrs = values(found.get("host")), values(found.get("hostaddr"))
    points = [endpoint(h) for h in hosts + addrs]
    return points or [Endpoint("socket", "the default unix socket")]


def _pg_service(name: str, environ: Mapping[str, str]) -> dict[str, str] | None:
    """The service's section in the first pg_service.conf libpq would read that defines it."""
    files = [environ.get("PGSERVICEFILE") or os.path.expanduser("~/.pg_service.conf")]
    sysconf = environ.get("PGSYSCONFDIR") or "/etc/postgresql-common"  # Debian's libpq
    files.append(os.path.join(sysconf, "pg_service.conf"))
    for path in files:
        parser = configparser.RawConfigParser(strict=False)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        if parser.has_section(name):
            return dict(parser.items(name))
    return None


def pymysql(url: URL) -> list[Endpoint]:
    """pymysql: a unix socket wins over any host; the query's host over the URL's; an option
    file (read_default_file) fills what neither gives; no host at all is localhost."""
    options = secrets.mysql_options(url.query)
    socket = url.query.get("unix_socket") or options.get("socket")
    if socket:
        return [Endpoint("socket", str(socket))]
    host = url.query.get("host") or url.host or options.get("host") or "localhost"
    return [Endpoint("host", str(host[0] if isinstance(host, tuple) else host))]
