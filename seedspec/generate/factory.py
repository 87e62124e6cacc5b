"""GeneratorSpec + DbColumn -> Generator: a compatibility shim over `seedspec.kinds`.

Resolves the database-derived defaults (decimal scale, varchar length) into the params, then
builds through the kinds registry; kept until the compiler builds through `seedspec.kinds`.
"""

from __future__ import annotations

from typing import Any

from seedspec.generate.base import Generator


def build_value_generator(
    spec: Any,
    *,
    seed: int,
    locale: str,
    table: str,
    column: str,
    db_column: Any,
    path: str = "",
) -> Generator:
    """A Generator for a value kind (not ref/lookup/index_in_parent), null modifier applied."""
    from seedspec.kinds import build_generator, resolve_column_defaults

    resolved = resolve_column_defaults(spec, db_column)
    return build_generator(
        resolved,
        seed=seed,
        locale=locale,
        table=table,
        column=column,
        path=path,
        key_params=spec.params,
    )
