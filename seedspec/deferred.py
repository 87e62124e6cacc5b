"""A module name -> a stand-in that imports the module on first attribute access (start-up speed).

`seedspec check --offline` (the pre-commit hook) compiles a plan but never generates a value nor
opens a connection: numpy, SQLAlchemy, mimesis and (with the schema's facts cached) sqlglot are
0.5-0.9 s of imports it does not need (issue 12's 0.25 s start-up). Modules that use them write

    if TYPE_CHECKING:
        import numpy as np
    else:
        np = deferred("numpy")

so mypy sees the real module and the running code imports it only when a function first reads
`np.something`. Hand-written rather than `importlib.util.LazyLoader` because LazyLoader cannot
defer a submodule (`sqlglot.expressions` imports its package, which imports everything) and
swaps the module's class in place, which numpy's import machinery does not tolerate.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class Deferred:
    """Stands for module `name`; the first attribute read imports it, later reads are plain
    attribute lookups (each one read is copied into the stand-in's own namespace)."""

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_deferred_name", name)

    def __getattr__(self, attr: str) -> Any:
        module = loaded(self)
        value = getattr(module, attr)
        object.__setattr__(self, attr, value)
        return value

    def __repr__(self) -> str:
        return f"<deferred module {self._deferred_name!r}>"


def deferred(name: str) -> Any:
    """A stand-in for module `name` (typed Any: modules declare the real type under
    TYPE_CHECKING)."""
    return Deferred(name)


def loaded(stand_in: Deferred) -> ModuleType:
    """The real module behind a stand-in (imported now if it was not yet)."""
    return importlib.import_module(object.__getattribute__(stand_in, "_deferred_name"))
