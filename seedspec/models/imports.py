"""A user's module name -> the module, imported with the working directory on sys.path; any
failure a one-line UsageError (the readers of --models import settings and model modules)."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from seedspec.errors import UsageError


@contextmanager
def cwd_importable() -> Iterator[None]:
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
