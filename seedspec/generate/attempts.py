"""Attempted values: row i of a column comes from attempt a_i of its generator.

Input: the wrapped generator (attempt 0), a factory for its redraws, the column's candidate
options (NULL, literals) and the table's shared `Choices` (one small int per row, set by the
executor's CHECK oracle). Output: the column's values with every row taken from its chosen
attempt. Everything is a pure function of (seed, table, column, row, attempt), so the same
choices give the same rows in any batch size.

Candidates of attempt a >= 1: while the table's varied columns have few enough combinations of
options (`combos` <= attempts - 1), attempt a takes combination (a - 1 + offset(row)) % combos,
so every combination is tried once within the budget (the offset, shared by the table's columns,
spreads rows over the combinations); past that each column picks its option by its own hash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.generate.base import Generator, ValueSource, objects, to_python
from seedspec.generate.random import bits, stream_key

if TYPE_CHECKING:
    import numpy as np
else:
    np = deferred("numpy")

ATTEMPT_DTYPE = "int8"  # attempts per row are bounded by the budget (at most 127)


class Choices:
    """The chosen attempt of every row of one table for one group of its CHECKs (int8; None
    until the oracle ran: all 0)."""

    def __init__(
        self, table: str, count: int, attempts: int, combos: int, seed: int, group: int = 0
    ) -> None:
        if attempts > np.iinfo(ATTEMPT_DTYPE).max:
            raise ValueError(f"at most {np.iinfo(ATTEMPT_DTYPE).max} attempts per row")
        self.table, self.count, self.attempts, self.combos = table, count, attempts, combos
        self.group = group  # one group of CHECKs of the table (their columns vary together)
        self.key = stream_key(seed, table, "oracle attempts", group)
        self.chosen: np.ndarray | None = None

    def of(self, idx: np.ndarray) -> np.ndarray:
        if self.chosen is None:
            return np.zeros(len(idx), dtype=ATTEMPT_DTYPE)
        return self.chosen[idx]

    def set(self, idx: np.ndarray, attempt: np.ndarray | int) -> None:
        if self.chosen is None:
            self.chosen = np.zeros(self.count, dtype=ATTEMPT_DTYPE)
        self.chosen[idx] = attempt

    def combination(self, idx: np.ndarray, attempt: np.ndarray) -> np.ndarray:
        """The combination of options rows `idx` try at `attempt` (>= 1), or -1 when the
        table's combinations do not fit the budget (each column hashes its own option)."""
        if self.combos > self.attempts - 1:
            return np.full(len(idx), -1, dtype=np.int64)
        offset = (bits(self.key, idx) % np.uint64(self.combos)).astype(np.int64)
        return (attempt.astype(np.int64) - 1 + offset) % self.combos


class Attempted(Generator):
    """One column whose rows take the value of their chosen attempt.

    Options of a candidate, in order: 0 = redraw (or keep, for a column that is never redrawn),
    then NULL (when allowed), then each literal. `stride`: this column's digit in the table's
    mixed-radix numbering of option combinations."""

    def __init__(
        self,
        inner: Generator,
        redraw: Callable[[int], Generator] | None,
        *,
        null: bool,
        literals: list[Any],
        choices: Choices,
        stride: int,
        key: int,
    ) -> None:
        super().__init__(key, {})
        self.inner, self.redraw_of, self.choices = inner, redraw, choices
        self.null, self.literals, self.stride = null, literals, stride
        self.kind = inner.kind
        self.unique = inner.unique
        self._redraws: dict[int, Generator] = {}

    @property
    def options(self) -> int:
        return 1 + int(self.null) + len(self.literals)

    def depends_on(self) -> list[tuple[str | None, str]]:
        return self.inner.depends_on()

    def distinct_limit(self) -> int | None:
        return self.inner.distinct_limit()

    def describe(self) -> dict[str, Any]:
        return self.inner.describe()

    def option(self, idx: np.ndarray, attempt: np.ndarray) -> np.ndarray:
        """The option index rows `idx` use at `attempt` (every attempt >= 1)."""
        combo = self.choices.combination(idx, attempt)
        own = (bits(self.key, idx, 0) ^ bits(self.key, attempt.astype(np.int64), 1)) % np.uint64(
            self.options
        )
        digit = (combo // self.stride) % self.options
        return np.where(combo >= 0, digit, own.astype(np.int64))

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        attempt = self.choices.of(idx)
        base = self.inner.values(model, idx)
        moved = np.flatnonzero(attempt != 0)
        if len(moved) == 0:
            return base
        out = objects(to_python(base))
        rows, tries = idx[moved], attempt[moved]
        option = self.option(rows, tries)
        for a in np.unique(tries[option == 0]).tolist() if self.redraw_of else []:
            sel = moved[(option == 0) & (tries == a)]
            out[sel] = objects(to_python(self._redraw(int(a)).values(model, idx[sel])))
        if self.null:
            out[moved[option == 1]] = None
        first = 1 + int(self.null)
        for j, literal in enumerate(self.literals):
            sel = moved[option == first + j]
            out[sel] = objects([literal] * len(sel))
        return out

    def _redraw(self, attempt: int) -> Generator:
        gen = self._redraws.get(attempt)
        if gen is None:
            assert self.redraw_of is not None
            gen = self._redraws[attempt] = self.redraw_of(attempt)
        return gen
