"""A `--models` argument -> ModelFacts: `django:SETTINGS[:app,...]` or
`sqlalchemy:MODULE[:Base]`, read once per process (django.setup() runs once), every failure a
one-line UsageError."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from seedspec.errors import UsageError
from seedspec.models.facts import ModelFacts

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
    with _cwd_importable():
        if framework == "django":
            from seedspec.models.django import read_django

            facts = read_django(source, where.strip(), names)
        else:
            from seedspec.models.sqlalchemy import read_sqlalchemy

            facts = read_sqlalchemy(source, where.strip(), names[0] if names else "Base")
    _READ[source] = facts
    return facts


@contextmanager
def _cwd_importable() -> Iterator[None]:
    """The working directory on sys.path while user code is imported (as `python -m` has it;
    the `seedspec` console script does not)."""
    cwd = os.getcwd()
    added = cwd not in sys.path and "" not in sys.path
    if added:
        sys.path.insert(0, cwd)
    try:
        yield
    finally:
        if added and cwd in sys.path:
            sys.path.remove(cwd)


def import_user(module_name: str, what: str) -> ModuleType:
    """Import the user's module; any failure (missing module, an exception, SystemExit) is a
    one-line UsageError naming `what` was being read."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            raise UsageError(
                f"--models {what}: no module named {missing!r} (searched from {os.getcwd()})"
            ) from None
        raise UsageError(
            f"--models {what}: cannot import {module_name!r}: {first_line(exc)}"
        ) from None
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - user code may raise anything
        raise UsageError(
            f"--models {what}: cannot import {module_name!r}: {first_line(exc)}"
        ) from None


def first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0].strip()}" if lines else type(exc).__name__
