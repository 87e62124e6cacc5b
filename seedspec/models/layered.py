"""A Spec with --models and its reflected DbSchema -> the schema the compiler reads (the models'
facts layered on) and the drift report with the models' own findings: what api.py asks."""

from __future__ import annotations

from dataclasses import replace

from seedspec.analysis.drift import DriftReport
from seedspec.database.model import DbSchema
from seedspec.spec.model import Spec


def with_models(spec: Spec, models: str | None) -> Spec:
    """The spec with --models (`django:settings[:apps]`, `sqlalchemy:module[:Base]`) given."""
    return replace(spec, models=models) if models else spec


def known_schema(spec: Spec, schema: DbSchema) -> DbSchema:
    """The schema the compiler reads: the reflected one, with the spec's --models facts
    layered on (overlay.py); the reflected one itself without --models."""
    if not spec.models:
        return schema
    from seedspec.models.loading import load_models  # Django or SQLAlchemy: only when asked
    from seedspec.models.overlay import layer

    return layer(schema, load_models(spec.models))


def model_drift(report: DriftReport, spec: Spec, schema: DbSchema, strict: bool) -> DriftReport:
    """`check --models`: the report with the drift between models, spec and database."""
    if not spec.models:
        return report
    from seedspec.models.drift import with_model_drift
    from seedspec.models.loading import load_models

    return with_model_drift(report, load_models(spec.models), schema, spec, strict)
