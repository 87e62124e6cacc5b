"""A `--models` argument -> ModelFacts: `django:SETTINGS[:app,...]` or
`sqlalchemy:MODULE[:Base]`, read once per process (django.setup() runs once), every failure a
one-line UsageError."""

from __future__ import annotations

from seedspec.errors import UsageError
from seedspec.models.facts import ModelFacts
from seedspec.models.imports import cwd_importable

_READ: dict[str, ModelFacts] = {}
FORMS = "django:SETTINGS_MODULE[:app,...] or sqlalchemy:MODULE[:Base]"


def load_models(source: str) -> ModelFacts:
    """The facts of the models `source` names (the --models argument)."""
    if source in _READ:
        return _READ[source]
    framework, sep, rest = source.partition(":")
    framework = framework.strip().lower()
    if not sep or not rest.strip() or framework not in ("django", "sqlalchemy"):
        raise UsageError(f"--models expects {FORMS}, got {source!r}")
    where, _, extra = rest.partition(":")
    names = tuple(n.strip() for n in extra.split(",") if n.strip())
    with cwd_importable():
        if framework == "django":
            from seedspec.models.django import read_django

            facts = read_django(source, where.strip(), names)
        else:
            from seedspec.models.sqlalchemy import read_sqlalchemy

            facts = read_sqlalchemy(source, where.strip(), names[0] if names else "Base")
    _READ[source] = facts
    return facts
