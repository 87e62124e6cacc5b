"""Seeded templates and cheap copies for tests: (spec, source URL) -> a Template seeded once per
key (plan digest + schema fingerprint), and per test a Copy: a PostgreSQL database cloned with
CREATE DATABASE ... TEMPLATE, a copied SQLite file, or a MariaDB transaction rolled back after."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock

from seedspec import api
from seedspec.database.connect import make_engine, normalise_url
from seedspec.deferred import deferred
from seedspec.dialects.registry import dialect_for
from seedspec.errors import UsageError

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

MARKER = "seedspec-template:"  # + key: a PostgreSQL database comment, a MariaDB schema comment
PREFIX = "seedspec_"


def template_key(plan: Any) -> str:
    """What a template is reused by: the plan digest and the schema fingerprint, hashed."""
    text = f"{plan.digest()}:{plan.schema_fingerprint}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class Template:
    """A seeded database copies are made from (`seeded`: this process seeded it)."""

    how: str  # the dialect's test_copies: template_database | file_copy | transaction
    name: str  # the database (PostgreSQL, MariaDB) or file (SQLite)
    url: str
    key: str
    seeded: bool = False
    seed_seconds: float = 0.0
    rows: int = 0
    _admin: sa.Connection | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._admin is not None:
            engine = self._admin.engine
            self._admin.close()
            engine.dispose()
            self._admin = None


@dataclass
class Copy:
    """One test's database: its URL, an engine on it, and a connection to use (on MariaDB the
    one whose transaction is rolled back after the test; DDL there commits and breaks that)."""

    url: str
    engine: sa.Engine
    connection: sa.Connection
    name: str
    seconds: float  # how long making the copy took


def prepare(
    spec: api.SpecSource, source: str, cache: Path, *, scale: float | None = None
) -> Template:
    """The seeded template for `spec` on `source`'s schema: reused when one with the same key
    exists, else made and seeded (one process at a time: a lock on the key)."""
    plan, target = api.plan(spec, source, scale=scale)
    target.close()
    key = template_key(plan)
    url = normalise_url(source)
    how = dialect_for(url.get_backend_name()).test_copies
    if how == "template_database":
        return _pg_template(spec, url, key, scale)
    if how == "file_copy":
        return _sqlite_template(spec, url, key, cache, scale)
    if how == "transaction":
        return _my_template(spec, url, key, cache, scale)
    raise UsageError(
        f"seedspec's pytest plugin does not know how to copy a {url.get_backend_name()} database"
    )


def _text(url: sa.URL) -> str:
    return url.render_as_string(hide_password=False)


def _seed(template: Template, spec: api.SpecSource, scale: float | None, **kw: Any) -> None:
    t0 = time.perf_counter()
    report, _plan = api.apply(spec, template.url, scale=scale, **kw)
    template.seeded, template.rows = True, report.rows
    template.seed_seconds = time.perf_counter() - t0


# -- PostgreSQL: a template database, cloned per test ------------------------------------------


def _pg_template(spec: api.SpecSource, url: sa.URL, key: str, scale: float | None) -> Template:
    name = PREFIX + key
    admin = make_engine(_text(url.set(database="postgres"))).connect()
    conn = admin.execution_options(isolation_level="AUTOCOMMIT")
    template = Template("template_database", name, _text(url.set(database=name)), key, _admin=conn)
    q = conn.dialect.identifier_preparer.quote
    lock = int(key, 16) - (1 << 63)  # a signed bigint
    conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": lock})
    try:
        found = conn.execute(
            sa.text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"
            ),
            {"n": name},
        ).first()
        if found is not None and found[0] == MARKER + key:
            return template
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {q(name)} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {q(name)} TEMPLATE {q(str(url.database))}")
        _seed(template, spec, scale)
        literal = sa.String().literal_processor(conn.dialect)
        assert literal is not None
        conn.exec_driver_sql(f"COMMENT ON DATABASE {q(name)} IS {literal(MARKER + key)}")
    except BaseException:
        template.close()
        raise
    finally:
        if template._admin is not None:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
    return template


_counter = iter(range(1, 1 << 62))


def _pg_copy(template: Template) -> Copy:
    assert template._admin is not None
    conn = template._admin
    q = conn.dialect.identifier_preparer.quote
    name = f"{template.name}_{os.getpid()}_{next(_counter)}"
    t0 = time.perf_counter()
    conn.exec_driver_sql(f"CREATE DATABASE {q(name)} TEMPLATE {q(template.name)}")
    seconds = time.perf_counter() - t0
    url = _text(sa.make_url(template.url).set(database=name))
    engine = make_engine(url)
    return Copy(url, engine, engine.connect(), name, seconds)


def _pg_drop(template: Template, copy: Copy) -> None:
    assert template._admin is not None
    q = template._admin.dialect.identifier_preparer.quote
    template._admin.exec_driver_sql(f"DROP DATABASE IF EXISTS {q(copy.name)} WITH (FORCE)")


# -- SQLite: a template file, copied per test ----------------------------------------------------


def _sqlite_template(
    spec: api.SpecSource, url: sa.URL, key: str, cache: Path, scale: float | None
) -> Template:
    source = str(url.database or "")
    if source in ("", ":memory:") or source.startswith("file:"):
        raise UsageError("--seedspec-db: a SQLite template source must be a file")
    cache.mkdir(parents=True, exist_ok=True)
    final = cache / f"{PREFIX}{key}.db"
    template = Template("file_copy", str(final), f"sqlite:///{final}", key)
    with FileLock(str(cache / f"{PREFIX}{key}.lock")):
        if final.is_file():
            return template
        partial = cache / f"{PREFIX}{key}.partial.db"
        shutil.copyfile(source, partial)
        template.url = f"sqlite:///{partial}"
        try:
            _seed(template, spec, scale)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, final)
        template.url = f"sqlite:///{final}"
    return template


def _sqlite_copy(template: Template, where: Path) -> Copy:
    path = where / "seedspec.db"
    t0 = time.perf_counter()
    shutil.copyfile(template.name, path)
    seconds = time.perf_counter() - t0
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    return Copy(url, engine, engine.connect(), str(path), seconds)


# -- MariaDB / MySQL: the database seeded in place, a transaction per test -----------------------


def _my_template(
    spec: api.SpecSource, url: sa.URL, key: str, cache: Path, scale: float | None
) -> Template:
    """The source database itself holds the seeded rows (marked by its schema comment); every
    test runs in a transaction rolled back after it."""
    name = str(url.database or "")
    template = Template("transaction", name, _text(url), key)
    engine = make_engine(template.url)
    conn = engine.connect()
    try:
        q = conn.dialect.identifier_preparer.quote
        got = conn.execute(sa.text("SELECT GET_LOCK(:n, 600)"), {"n": f"seedspec-template:{name}"})
        if not got.scalar():
            raise UsageError(f"waited 600 s for another session seeding the template {name}")
        comment = conn.execute(
            sa.text(
                "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :n"
            ),
            {"n": name},
        ).scalar()
        if comment != MARKER + key:
            conn.exec_driver_sql(f"ALTER DATABASE {q(name)} COMMENT = ''")
            _seed(template, spec, scale, truncate=True)
            literal = sa.String().literal_processor(conn.dialect)
            assert literal is not None
            conn.exec_driver_sql(f"ALTER DATABASE {q(name)} COMMENT = {literal(MARKER + key)}")
        conn.execute(sa.text("SELECT RELEASE_LOCK(:n)"), {"n": f"seedspec-template:{name}"})
    finally:
        conn.close()
        engine.dispose()
    return template


def _my_copy(template: Template) -> Copy:
    t0 = time.perf_counter()
    engine = make_engine(template.url)
    conn = engine.connect()
    conn.begin()
    return Copy(template.url, engine, conn, template.name, time.perf_counter() - t0)


# -- per test ----------------------------------------------------------------------------------


@contextmanager
def fresh_copy(template: Template, where: Path) -> Iterator[Copy]:
    """A copy of the template for one test, gone (or rolled back) after it."""
    if template.how == "template_database":
        copy = _pg_copy(template)
    elif template.how == "file_copy":
        copy = _sqlite_copy(template, where)
    else:
        copy = _my_copy(template)
    try:
        yield copy
    finally:
        try:
            copy.connection.rollback()
            copy.connection.close()
        finally:
            copy.engine.dispose()
            if template.how == "template_database":
                _pg_drop(template, copy)
