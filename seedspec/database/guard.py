"""The production guard: a database URL, allow_hosts, --allow-remote, the environment -> nothing,
or GuardRefused (exit 4). Decided from the URL text alone: no connection, no DNS lookup."""

from __future__ import annotations

import configparser
import ipaddress
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import URL

from seedspec.database import secrets
from seedspec.errors import GuardRefused, Problem

PRODUCTION_VARS = ("APP_ENV", "RAILS_ENV", "NODE_ENV", "DJANGO_ENV", "SEEDSPEC_ENV")
PRODUCTION_VALUES = ("production", "prod")
OVERRIDE = "SEEDSPEC_ALLOW_PRODUCTION"
LOCAL = "a SQLite file, a unix socket, 127.0.0.0/8, ::1 or localhost"


@dataclass(frozen=True)
class Endpoint:
    """Where a connection would go: a file, a unix socket, a network host, or unknown."""

    kind: str  # "file" | "socket" | "host" | "unknown"
    where: str


def check_write_target(
    url: URL,
    *,
    allow_hosts: Sequence[str] = (),
    allow_remote: bool = False,
    environ: Mapping[str, str] | None = None,
    spec_given: bool = True,
) -> None:
    """Raise GuardRefused unless seedspec may write to this database: every endpoint local or
    listed in allow_hosts (or allow_remote), and no production environment (or the override)."""
    env = os.environ if environ is None else environ
    problems = []
    if not allow_remote:
        allowed = {h.strip().lower() for h in allow_hosts}
        for point in endpoints(url, env):
            if point.kind in ("file", "socket"):
                continue
            if point.kind == "host" and (_loopback(point.where) or point.where.lower() in allowed):
                continue
            problems.append(_remote(point, spec_given))
    production = [f"{v}={env[v]}" for v in PRODUCTION_VARS if _is_production(env.get(v))]
    if production and env.get(OVERRIDE, "").strip().lower() not in ("1", "true", "yes"):
        where = ", ".join(p.where for p in endpoints(url, env)) or "the database"
        problems.append(
            Problem(
                f"refusing to write to {where}: {' and '.join(production)} says this is a "
                "production environment; nothing was written (no connection was opened)",
                code="guard-production",
                fix=f"set {OVERRIDE}=1 if seeding this database here is intended",
            )
        )
    if problems:
        raise GuardRefused(problems)


def _remote(point: Endpoint, spec_given: bool) -> Problem:
    if point.kind == "unknown":
        why = f"seedspec cannot tell where it is ({point.where})"
    else:
        why = f"it is a network host, not {LOCAL}"
        why += ", and not in the spec's target.allow_hosts" if spec_given else " (no spec given)"
    listed = f"list {point.where} in the spec's target.allow_hosts, or " if spec_given else ""
    return Problem(
        f"refusing to write to {point.where}: {why}; nothing was written (no connection was "
        "opened)",
        code="guard-remote",
        fix=f"if seeding it is intended, {listed}pass --allow-remote (library: allow_remote=True)",
    )


def _is_production(value: str | None) -> bool:
    return bool(value) and str(value).strip().lower() in PRODUCTION_VALUES


def _loopback(host: str) -> bool:
    name = host.strip().lower().strip("[]")
    if name == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(name.split("%", 1)[0])  # fe80::1%eth0: a zone id
    except ValueError:
        return False  # a name: only a DNS lookup could say, and the guard makes none
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def endpoints(url: URL, environ: Mapping[str, str]) -> list[Endpoint]:
    """Every place a connection for this URL may go, read the way its driver reads it."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        return [Endpoint("file", url.database or ":memory:")]
    if backend == "postgresql":
        return _postgres(url, environ)
    if backend in ("mysql", "mariadb"):
        return _mysql(url)
    hosts = _values(url.query.get("host")) or ([url.host] if url.host else [])
    return [_endpoint(h) for h in hosts] or [Endpoint("unknown", f"a {backend} URL without host")]


def _values(value: object) -> list[str]:
    """A query value (one string or several) -> its comma-separated items."""
    items = value if isinstance(value, tuple | list) else [value] if value else []
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _endpoint(text: str) -> Endpoint:
    if text.startswith(("/", "@")):  # a socket directory, or Linux's abstract namespace
        return Endpoint("socket", text)
    if text.startswith("["):  # [::1]:5432
        return Endpoint("host", text[1:].split("]", 1)[0])
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and host.count(":") == 0:
        return Endpoint("host", host)
    return Endpoint("host", text)


def _postgres(url: URL, environ: Mapping[str, str]) -> list[Endpoint]:
    """libpq: query host/hostaddr win over the URL's host, then PGHOST/PGHOSTADDR, then a
    service file; nothing at all is the default unix socket."""
    query = url.query
    hosts = _values(query.get("host")) or _values(url.host) or _values(environ.get("PGHOST"))
    addrs = _values(query.get("hostaddr")) or _values(environ.get("PGHOSTADDR"))
    service = query.get("service") or environ.get("PGSERVICE")
    if not hosts and not addrs and service:
        found = _pg_service(str(service), environ)
        if found is None:
            return [Endpoint("unknown", f"the PostgreSQL service {service!s}, not found")]
        hosts, addrs = _values(found.get("host")), _values(found.get("hostaddr"))
    points = [_endpoint(h) for h in hosts + addrs]
    return points or [Endpoint("socket", "the default unix socket")]


def _pg_service(name: str, environ: Mapping[str, str]) -> dict[str, str] | None:
    """The service's section in the first pg_service.conf libpq would read that defines it."""
    files = [environ.get("PGSERVICEFILE") or os.path.expanduser("~/.pg_service.conf")]
    files.append(
        os.path.join(environ.get("PGSYSCONFDIR") or "/etc/postgresql-common", "pg_service.conf")
    )
    for path in files:
        parser = configparser.RawConfigParser(strict=False)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        if parser.has_section(name):
            return dict(parser.items(name))
    return None


def _mysql(url: URL) -> list[Endpoint]:
    """pymysql: a unix socket wins over any host; the query's host over the URL's; an option
    file (read_default_file) fills what neither gives; no host at all is localhost."""
    options = secrets.mysql_options(url.query)
    socket = url.query.get("unix_socket") or options.get("socket")
    if socket:
        return [Endpoint("socket", str(socket))]
    host = url.query.get("host") or url.host or options.get("host") or "localhost"
    return [Endpoint("host", str(host[0] if isinstance(host, tuple) else host))]
