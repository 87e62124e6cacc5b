"""The oracle recipe of one table: its CHECKs the database evaluates, and how candidates vary.

A table gets one when some CHECK of it is not modelled by the compiler (``modelled`` False: the
CHECK-model's un-modelled list). At apply time every listed CHECK is evaluated by the database
itself on ``attempts`` deterministic candidates per row, and the lowest passing attempt is kept
(seedspec/execute/oracle.py); ``columns`` say which columns a candidate redraws and with what.
"""

from __future__ import annotations

from dataclasses import dataclass

from seedspec.plan.params import Params

DEFAULT_ATTEMPTS = 16  # the attempt budget per row: attempt 0 is the plain value, then 15 more


@dataclass(frozen=True)
class OracleCheck:
    """One CHECK the database evaluates: its name, its text (VALUE already replaced by the
    column for a domain CHECK), whether the compiler models it (False: the oracle is its only
    guarantee)."""

    name: str
    sql: str
    modelled: bool
    group: int = 0  # CHECKs sharing a varied column share a group (attempts chosen per group)


@dataclass(frozen=True)
class OracleColumn:
    """One column a candidate may vary. ``redraw``: attempts draw it again from its own recipe
    with a different stream (value columns; False for FK columns, which only go NULL);
    ``null``: NULL is one of its candidates; ``literals``: values the CHECK mentions next to it
    (and the boundaries of its numeric comparisons), a JSON list."""

    name: str
    redraw: bool
    null: bool
    literals: Params = Params("[]")
    group: int = 0  # the group of the CHECKs that read it

    def options(self) -> int:
        """How many kinds of candidate it has: redraw-or-keep, NULL, each literal."""
        return 1 + int(self.null) + len(self.literals.value())


@dataclass(frozen=True)
class OracleRecipe:
    """``checks``: every CHECK of the table the database evaluates (all of them, so a varied
    column cannot break a modelled one); ``columns``: the columns candidates vary;
    ``evaluated``: the columns the CHECKs read; ``attempts``: candidates per row and group."""

    checks: tuple[OracleCheck, ...]
    columns: tuple[OracleColumn, ...]
    evaluated: tuple[str, ...] = ()
    attempts: int = DEFAULT_ATTEMPTS

    @property
    def groups(self) -> list[int]:
        """Group numbers, in order (each is judged with its own attempts)."""
        return sorted({c.group for c in self.checks})

    @property
    def oracle_checks(self) -> tuple[OracleCheck, ...]:
        """The CHECKs only the database guarantees."""
        return tuple(c for c in self.checks if not c.modelled)


@dataclass(frozen=True)
class CheckCoverage:
    """How each CHECK of a seeded table is met: ``modelled`` (rows are built to pass it),
    ``oracle`` (the database judges each row's candidates against it at apply time),
    ``unjudged`` (not modelled and reading a column seedspec does not produce: only the load
    itself enforces it). Names, or the CHECK's text when it has none."""

    modelled: tuple[str, ...] = ()
    oracle: tuple[str, ...] = ()
    unjudged: tuple[str, ...] = ()


def describe(table: str, oracle: OracleRecipe) -> str:
    """One line for `plan`: which CHECKs the database judges, how many tries, what varies."""
    judged = ", ".join(c.name for c in oracle.oracle_checks)
    varied = ", ".join(c.name for c in oracle.columns) or "nothing (each row has one candidate)"
    also = len(oracle.checks) - len(oracle.oracle_checks)
    extra = f" (with its {also} modelled CHECKs)" if also else ""
    return (
        f"CHECK oracle on {table}: {judged}{extra} judged by the database, "
        f"up to {oracle.attempts} candidates per row varying {varied}"
    )
