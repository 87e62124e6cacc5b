"""Load progress: what an apply is doing (tables planned, rows written, the phase) -> a listener.

`execute_plan(..., progress=)` calls these as it goes; the default listens to nothing. The
command line's listener (cli/progress.py) draws bars on a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from seedspec.plan.model import InsertRows, Plan


class Progress(Protocol):
    """Callbacks made by the apply's own thread, in order; each returns at once."""

    def planned(self, tables: Sequence[tuple[str, int]]) -> None:
        """The tables the apply will insert into and their row counts, in insert order."""

    def table_started(self, name: str, rows: int) -> None:
        """Inserting `rows` rows into table `name` begins."""

    def advanced(self, name: str, rows: int) -> None:
        """`rows` more rows of table `name` were written."""

    def phase(self, name: str) -> None:
        """A step other than inserting began: taking locks, validating constraints, after: ..."""


class Silent:
    """The listener that hears nothing: the default."""

    def planned(self, tables: Sequence[tuple[str, int]]) -> None:
        return None

    def table_started(self, name: str, rows: int) -> None:
        return None

    def advanced(self, name: str, rows: int) -> None:
        return None

    def phase(self, name: str) -> None:
        return None


SILENT = Silent()


def inserts(plan: Plan) -> list[tuple[str, int]]:
    """The tables the plan inserts into and their row counts, in insert order."""
    return [(s.table, s.count) for s in plan.steps if isinstance(s, InsertRows)]


def preparing(plan: Plan, reset: bool) -> str:
    """The phase before the first row: the CHECK oracle's judging, else clearing, else set-up."""
    if any(recipe.oracle is not None for recipe in plan.recipes):
        return "judging CHECKs in the database"
    return "clearing tables" if reset else "preparing the load"
