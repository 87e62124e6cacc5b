"""The production guard: a database URL, allow_hosts, --allow-remote, the environment -> nothing,
or GuardRefused (exit 4). Decided from the URL text alone: no connection, no DNS lookup."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from seedspec.dialects.endpoints import Endpoint
from seedspec.dialects.registry import dialect_for
from seedspec.errors import GuardRefused, Problem

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

PRODUCTION_VARS = ("APP_ENV", "RAILS_ENV", "NODE_ENV", "DJANGO_ENV", "SEEDSPEC_ENV")
PRODUCTION_VALUES = ("production", "prod")
OVERRIDE = "SEEDSPEC_ALLOW_PRODUCTION"
LOCAL = "a SQLite file, a unix socket, 127.0.0.0/8, ::1 or localhost"


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
    return dialect_for(url.get_backend_name()).endpoints(url, environ)
