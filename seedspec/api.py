"""The library verbs (validate, plan, apply) that the CLI calls: paths and URLs in, results out."""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlalchemy as sa

from seedspec.compile import compile_plan
from seedspec.compile.plan import Plan
from seedspec.db import connect, make_engine, resolve_url
from seedspec.dbschema import DbSchema
from seedspec.errors import SeedspecError
from seedspec.execute import ApplyReport, execute_plan
from seedspec.reflect import reflect_schema
from seedspec.spec import Spec
from seedspec.validate import load_spec

DEFAULT_SPEC = "seed.yaml"


def validate(paths: list[str]) -> list[Spec]:
    """Load and validate each spec file; raises on the first file with problems."""
    return [load_spec(p) for p in paths]


def load_or_infer(path: str | None, profile: str | None = None) -> Spec:
    """The spec at `path`, ./seed.yaml when no path is given, or an empty (all-inferred) spec."""
    if path is None and os.path.exists(DEFAULT_SPEC):
        path = DEFAULT_SPEC
    if path is None:
        if profile:
            raise SeedspecError(f"--profile {profile!r} needs a spec file")
        return Spec()
    return load_spec(path, profile=profile)


@dataclass
class Target:
    engine: sa.Engine
    schema: DbSchema


def open_target(spec: Spec, db: str | None) -> Target:
    url = resolve_url(db, spec.target.url_env)
    engine = make_engine(url, spec.target.schema)
    conn = connect(engine)
    try:
        schemas = (
            [spec.target.schema]
            if spec.target.schema and engine.dialect.name != "postgresql"
            else None
        )
        schema = reflect_schema(conn, schemas)
    finally:
        conn.close()
    return Target(engine, schema)


def plan(
    spec_path: str | None, db: str | None, *, scale: float | None = None, profile: str | None = None
) -> tuple[Plan, Target]:
    spec = load_or_infer(spec_path, profile)
    target = open_target(spec, db)
    return compile_plan(spec, target.schema, scale), target


def apply(
    spec_path: str | None,
    db: str | None,
    *,
    scale: float | None = None,
    profile: str | None = None,
    truncate: bool = False,
) -> tuple[ApplyReport, Plan]:
    compiled, target = plan(spec_path, db, scale=scale, profile=profile)
    try:
        report = execute_plan(compiled, target.engine, target.schema, truncate=truncate)
    finally:
        target.engine.dispose()
    return report, compiled
