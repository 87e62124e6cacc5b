"""seedspec: a declarative seed-spec compiler (seed.yaml + live schema -> valid, connected rows).

The library verbs live in `seedspec.api`; the common ones are named here too (imported on first
use, so `import seedspec` stays light): `apply`, `plan`, `check`, `spec_from_yaml`,
`spec_from_dict`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "apply", "check", "plan", "spec_from_dict", "spec_from_yaml"]

if TYPE_CHECKING:
    from seedspec.api import apply, check, plan, spec_from_dict, spec_from_yaml


def __getattr__(name: str) -> Any:
    if name in __all__:
        import importlib

        return getattr(importlib.import_module("seedspec.api"), name)
    raise AttributeError(f"module 'seedspec' has no attribute {name!r}")
