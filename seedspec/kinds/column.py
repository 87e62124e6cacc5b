"""The column facts a kind may read (Protocols, so kinds never import seedspec.database)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class ColumnShape(Protocol):
    """What kinds read of a database column; `seedspec.database.model.DbColumn` satisfies it."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...  # one of seedspec.database.model.TYPE_KINDS

    @property
    def sql_type(self) -> str: ...

    @property
    def nullable(self) -> bool: ...

    @property
    def length(self) -> int | None: ...

    @property
    def precision(self) -> int | None: ...

    @property
    def scale(self) -> int | None: ...

    @property
    def enum_values(self) -> tuple[str, ...] | None: ...

    @property
    def has_default(self) -> bool: ...


class ColumnRules(Protocol):
    """A column's CHECK facts; `seedspec.database.checks.ColumnFacts` satisfies it."""

    @property
    def allowed(self) -> Sequence[Any] | None: ...

    @property
    def lower(self) -> float | None: ...

    @property
    def upper(self) -> float | None: ...

    @property
    def lower_inclusive(self) -> bool: ...

    @property
    def upper_inclusive(self) -> bool: ...

    @property
    def excluded(self) -> Sequence[Any]: ...

    @property
    def min_length(self) -> int | None: ...
