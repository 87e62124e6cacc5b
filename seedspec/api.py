"""The library verbs (validate, check, snapshot, plan, apply): a spec (path, mapping or Spec) and
a database (URL, Engine or Connection) in, results out."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from seedspec.analysis.drift import DriftError, DriftReport
from seedspec.compile import compile_plan
from seedspec.compile.passes.steps import schema_fingerprint
from seedspec.database import snapshot as snap
from seedspec.database.connect import normalise_url, resolve_url
from seedspec.database.ledgers import DEFAULT_LEDGER
from seedspec.database.model import DbSchema
from seedspec.database.waits import DEFAULT_LOCK_TIMEOUT
from seedspec.deferred import deferred
from seedspec.errors import SeedspecError, SourceError, UsageError
from seedspec.models.layered import known_schema, model_drift, with_models
from seedspec.plan.model import Plan
from seedspec.plan.recipes import ExistingRows
from seedspec.spec.model import Spec
from seedspec.spec.validate import load_spec, load_spec_data, load_spec_text
from seedspec.timing import timed

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL

    from seedspec.database import guard as _guard
    from seedspec.database import picks as _picks
    from seedspec.database import reflect as _reflect
    from seedspec.database import target as _target
    from seedspec.database import waits as _waits
    from seedspec.database.target import Database, Target
    from seedspec.dialects import registry as _registry
    from seedspec.execute import existing as _existing
    from seedspec.execute import ledger as _ledger
    from seedspec.execute import run as _run
    from seedspec.execute import shardbook as _shardbook
    from seedspec.execute import written as _written
    from seedspec.execute.ledger import LedgerSpot
    from seedspec.execute.progress import Progress
    from seedspec.execute.run import ApplyReport
else:
    sa = deferred("sqlalchemy")
    _existing = deferred("seedspec.execute.existing")
    _shardbook = deferred("seedspec.execute.shardbook")
    _picks = deferred("seedspec.database.picks")
    _guard = deferred("seedspec.database.guard")
    _reflect = deferred("seedspec.database.reflect")
    _target = deferred("seedspec.database.target")
    _waits = deferred("seedspec.database.waits")
    _registry = deferred("seedspec.dialects.registry")
    _ledger = deferred("seedspec.execute.ledger")
    _run = deferred("seedspec.execute.run")
    _written = deferred("seedspec.execute.written")

DEFAULT_SPEC = "seed.yaml"

SpecSource: TypeAlias = "str | os.PathLike[str] | Mapping[str, Any] | Spec | None"
"""A spec file's path, a spec as a mapping, a loaded Spec, or None (./seed.yaml, else inferred)."""


def spec_from_yaml(text: str, *, profile: str | None = None, name: str = "<yaml>") -> Spec:
    """A spec held in a YAML string; a problem raises SpecError located `name:line:col`."""
    return load_spec_text(text, profile, name=name)


def spec_from_dict(
    data: Mapping[str, Any], *, profile: str | None = None, name: str = "<dict>"
) -> Spec:
    """A spec given as a mapping; a problem raises SpecError located `name:/json/pointer`."""
    return load_spec_data(data, profile, name=name)


def validate(paths: list[str]) -> list[Spec]:
    """Load and validate each spec file; raises on the first file with problems."""
    return [load_spec(p) for p in paths]


def load_or_infer(path: SpecSource, profile: str | None = None) -> Spec:
    """The spec at `path` (or given as a mapping or Spec), ./seed.yaml when no path is given, or
    an empty (all-inferred) spec."""
    if isinstance(path, Spec):
        if profile:
            raise UsageError(f"profile {profile!r}: pass it when the Spec is loaded")
        return path
    if isinstance(path, Mapping):
        return load_spec_data(path, profile)
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if path is None and os.path.exists(DEFAULT_SPEC):
        path = DEFAULT_SPEC
    if path is None:
        if profile:
            raise SeedspecError(f"--profile {profile!r} needs a spec file")
        return Spec()
    return load_spec(path, profile=profile)


def schema_list(spec: Spec, given: str | None) -> list[str] | None:
    """--schema a,b (or *) wins over the spec's target.schema."""
    if given:
        return [s.strip() for s in given.split(",") if s.strip()]
    return [spec.target.schema] if spec.target.schema else None


def ledger_spot(name: str | None, schemas: list[str] | None) -> LedgerSpot:
    """Where the ledger lives: --ledger, else target.ledger, else seedspec_ledger; in the first
    schema chosen (--schema / target.schema), else the connection's default schema."""
    first = schemas[0] if schemas and schemas != ["*"] else None
    return _ledger.LedgerSpot(name or DEFAULT_LEDGER, first)


def open_target(
    spec: Spec,
    db: Database,
    schemas: str | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> Target:
    """The database the spec is compiled against: reflected with the spec's schemas (each
    lock wait of a URL's reads: `lock_timeout`)."""
    return _target.open_database(db, schema_list(spec, schemas), spec.target.url_env, lock_timeout)


def url_of(spec: Spec, db: Database) -> URL:
    """The URL the production guard reads: the given one, an Engine's or a Connection's."""
    return _target.database_url(db, spec.target.url_env)


def with_tables(spec: Spec, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Spec:
    """The spec with --include/--exclude globs (comma-separated, repeatable) added to its
    tables.include / tables.exclude."""

    def split(given: Sequence[str]) -> tuple[str, ...]:
        return tuple(g.strip() for item in given for g in item.split(",") if g.strip())

    if not include and not exclude:
        return spec
    return replace(spec, select=spec.select.extended(split(include), split(exclude)))


@dataclass(frozen=True)
class SchemaSource:
    """Where `check` reads the schema: a live database, a snapshot file, or a MetaData."""

    db: str | None = None
    snapshot: str | None = None
    metadata: str | None = None
    offline: bool = False
    dialect: str | None = None  # with metadata: postgresql | mysql | mariadb | sqlite
    schemas: str | None = None  # --schema a,b
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT  # a live database's reads: each lock wait
    models: str | None = None  # --models: application models layered on the schema


def schema_for(
    spec: Spec, source: SchemaSource
) -> tuple[DbSchema, str, dict[str, ExistingRows] | None, Spec]:
    """The schema, where it came from, (from a database) the left-alone parents' rows, and the
    spec with its `existing:` values read."""
    if source.metadata:
        from seedspec.database.from_metadata import load_metadata, schema_from_metadata

        dialect = source.dialect or "postgresql"
        if source.db and not source.dialect:
            dialect = sa.make_url(source.db).get_backend_name()
        return schema_from_metadata(load_metadata(source.metadata), dialect), "metadata", None, spec
    if source.snapshot or source.offline:
        path = source.snapshot or str(snap.snapshot_path(spec.path or DEFAULT_SPEC))
        return snap.read(path), "snapshot", None, spec
    url = resolve_url(source.db, spec.target.url_env)
    engine, schema = _reflect.reflect_url(
        url, schema_list(spec, source.schemas), source.lock_timeout
    )
    try:
        existing = _existing.read_existing(spec, engine, schema)
        spec = _picks.read_picks(spec, engine, schema)
    finally:
        engine.dispose()
    return schema, "database", existing, spec


def check(
    spec_path: SpecSource,
    source: SchemaSource,
    *,
    strict: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> DriftReport:
    """Reconcile (and compile, without writing) a spec against a schema; the same code path as
    plan and apply, so `check` cannot pass where `apply` would refuse."""
    spec = with_models(with_tables(load_or_infer(spec_path), include, exclude), source.models)
    schema, origin, existing, spec = schema_for(spec, source)
    try:
        plan = compile_plan(spec, known_schema(spec, schema), strict=strict, existing=existing)
        report = plan.drift
    except DriftError as err:
        report = err.report
    report = report.of_source(origin, spec.path)
    report = model_drift(report, spec, schema, strict)  # --models: docs/models.md
    if origin == "database" and spec.path and snap.snapshot_path(spec.path).is_file():
        committed = snap.read(snap.snapshot_path(spec.path))
        report = report.extended(
            f.escalated(strict) for f in snap.changes(committed, schema, spec.location)
        )
    return report


@dataclass
class SnapshotResult:
    path: Path
    written: bool
    diff: str = ""


def snapshot(
    spec_path: str | None,
    db: str | None,
    out: str | None = None,
    verify: bool = False,
    schemas: str | None = None,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> SnapshotResult:
    """Write the reflected schema next to the spec, or (verify) compare it with the committed
    (each lock wait of the schema read: `lock_timeout`)."""
    spec_file = spec_path or DEFAULT_SPEC
    spec = load_spec(spec_file) if os.path.exists(spec_file) else Spec(path=spec_file)
    path = Path(out) if out else snap.snapshot_path(spec_file)
    url = resolve_url(db, spec.target.url_env)
    engine, schema = _reflect.reflect_url(url, schema_list(spec, schemas), lock_timeout)
    engine.dispose()
    text = snap.render(schema)
    if verify:
        if not path.is_file():
            raise SourceError(f"{path}: no committed snapshot to check; run `seedspec snapshot`")
        old = path.read_text(encoding="utf-8")
        return SnapshotResult(path, False, snap.text_diff(old, text, str(path)))
    path.write_text(text, encoding="utf-8")
    snap.read(path)  # fills the facts cache: the first offline check on this machine is fast
    return SnapshotResult(path, True)


def plan(
    spec_path: SpecSource,
    db: Database,
    *,
    scale: float | None = None,
    profile: str | None = None,
    strict: bool = False,
    schemas: str | None = None,
    bulk: bool = True,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    models: str | None = None,
) -> tuple[Plan, Target]:
    """Compile the spec against the database (each lock wait of its reads: `lock_timeout`;
    `models`: application models whose facts layer on the schema, docs/models.md); the
    Target's engine is the caller's to close (`target.close()`: disposed only when seedspec
    made it)."""
    spec = with_models(with_tables(load_or_infer(spec_path, profile), include, exclude), models)
    return _plan(spec, db, scale, strict, schemas, bulk, lock_timeout)


def _plan(
    spec: Spec,
    db: Database,
    scale: float | None,
    strict: bool,
    schemas: str | None,
    bulk: bool,
    lock_timeout: float,
) -> tuple[Plan, Target]:
    target = open_target(spec, db, schemas, lock_timeout)
    try:
        existing = _existing.read_existing(spec, target.engine, target.schema, target.conn)
        spec = _picks.read_picks(spec, target.engine, target.schema, target.conn)  # existing:
        known = known_schema(spec, target.schema)
        compiled = compile_plan(spec, known, scale, strict=strict, existing=existing)
        if known is not target.schema:  # `apply --plan` checks it against the database's own
            compiled = replace(compiled, schema_fingerprint=schema_fingerprint(target.schema))
        return choose_load_path(compiled, target, bulk), target
    except SeedspecError:
        target.close()
        raise


@timed("choose the load path")
def choose_load_path(compiled: Plan, target: Target, bulk: bool) -> Plan:
    """The plan with its load path: bulk when the database offers it for every seeded table,
    else the default (a new Plan; the compiled one is not changed)."""
    if not bulk:
        return replace(compiled, load_path="default", load_path_reason="--no-bulk given")
    dialect = _registry.dialect_for(target.engine.dialect.name)
    tables = [t for name in compiled.tables if (t := target.schema.table(name)) is not None]
    if not tables:
        return replace(compiled, load_path_reason="nothing to load")
    with target.connection() as conn:
        blocker = dialect.bulk_blocker(conn, tables)
    if blocker is not None:
        return replace(compiled, load_path="default", load_path_reason=blocker)
    return replace(
        compiled,
        load_path="bulk",
        load_path_reason=(
            "the role may alter every seeded table: rows first, then keys and indexes built "
            "in bulk and each CHECK and FK validated in one pass, in the same transaction"
        ),
    )


def apply_plan(
    plan_path: str,
    db: str | None,
    *,
    reset: bool = False,
    truncate: bool = False,
    schemas: str | None = None,
    bulk: bool = True,
    allow_remote: bool = False,
    allow_hosts: tuple[str, ...] = (),
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ledger: str | None = None,
    progress: Progress | None = None,
    shard: str | None = None,
    finish: bool = False,
    part_rows: int | None = None,
) -> tuple[ApplyReport, Plan]:
    """Apply a written plan, compiled against this database's schema; the production guard
    first, before any connection (no spec: no allow_hosts); the rest as for `apply`."""
    job = _shardbook.shard_job(shard, finish, part_rows, reset or truncate)
    url = resolve_url(db, None)
    _guard.check_write_target(
        normalise_url(url), allow_hosts=allow_hosts, allow_remote=allow_remote, spec_given=False
    )
    written = _written.read_plan(plan_path)
    names = [s.strip() for s in schemas.split(",") if s.strip()] if schemas else None
    engine, schema = _reflect.reflect_url(url, names, lock_timeout)
    target = _target.Target(engine, schema)
    try:
        _written.check_written(written, plan_path, schema, engine.dialect.name)
        compiled = choose_load_path(written, target, bulk and job is None)
        report = _run.execute_plan(
            compiled,
            engine,
            schema,
            reset=reset or truncate,
            allow_hosts=allow_hosts,
            allow_remote=allow_remote,
            lock_timeout=lock_timeout,
            ledger=ledger_spot(ledger, names),
            progress=progress,
            job=job,
        )
    finally:
        engine.dispose()
    return report, compiled


def apply(
    spec_path: SpecSource,
    db: Database,
    *,
    scale: float | None = None,
    profile: str | None = None,
    reset: bool = False,
    truncate: bool = False,
    strict: bool = False,
    schemas: str | None = None,
    bulk: bool = True,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    allow_remote: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ledger: str | None = None,
    progress: Progress | None = None,
    shard: str | None = None,
    finish: bool = False,
    part_rows: int | None = None,
    models: str | None = None,
) -> tuple[ApplyReport, Plan]:
    """Compile and load the spec in one transaction (`models`: as for `plan`); each lock
    wait at most `lock_timeout` seconds (0: unbounded), a concurrent apply waited for as long.
    The production guard decides first, from the URL alone (an Engine's or a Connection's
    too): a non-local host not in target.allow_hosts needs allow_remote, a production environment
    SEEDSPEC_ALLOW_PRODUCTION=1 (GuardRefused, exit 4; nothing is opened). A Connection is
    written on, never committed when a transaction is open on it (a SAVEPOINT is). The ledger
    (`ledger`, else target.ledger) decides first under the apply lock: the same plan already
    there is a no-op, other rows are refused unless `reset` (`truncate`: its old name). `shard`
    "K/N" loads shard K (parts of `part_rows` rows), `finish` ends the sharded load
    (execute/shards.py); `progress` (execute/progress.py) hears each table and phase."""
    job = _shardbook.shard_job(shard, finish, part_rows, reset or truncate)
    spec = with_models(with_tables(load_or_infer(spec_path, profile), include, exclude), models)
    hosts = spec.target.allow_hosts
    _guard.check_write_target(url_of(spec, db), allow_hosts=hosts, allow_remote=allow_remote)
    given = (
        db if isinstance(db, (sa.Engine, sa.Connection)) else resolve_url(db, spec.target.url_env)
    )
    compiled, target = _plan(spec, given, scale, strict, schemas, bulk and not job, lock_timeout)
    try:
        report = _run.execute_plan(
            compiled,
            target.engine,
            target.schema,
            reset=reset or truncate,
            allow_hosts=hosts,
            allow_remote=allow_remote,
            lock_timeout=lock_timeout,
            conn=target.conn,
            ledger=ledger_spot(ledger or spec.target.ledger, schema_list(spec, schemas)),
            scale=scale if scale is not None else spec.scale,
            progress=progress,
            job=job,
        )
    finally:
        target.close()
    return report, compiled
