"""rstr's Xeger, bounded: (shortest?, extra repeats) -> an object that draws one string of a parsed
regex per seed (the random walk behind seedspec.generate.patterns; rstr is imported only here, so
compiling a plan never imports it)."""

from __future__ import annotations

import random
import re
import string
from itertools import chain
from typing import Any

import rstr

try:  # Python >= 3.11 moved the regex parser; rstr reads the same one
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse


class Xeger(rstr.Rstr):
    """rstr's generator with bounded repeats and a shortest-match mode (overrides two of its
    handlers and walks a pattern parsed once with its `_build_string`: xeger() would parse it
    again for every string; pinned to rstr 3.x in pyproject.toml)."""

    def __init__(self, shortest: bool, extra: int, free: str) -> None:
        # `.` draws letters and digits, `\s` a space, `\W` one of " -.@" (no control
        # characters); rstr builds its `unambiguous` alphabet from a set, whose order changes
        # with each process's string hashing: sorted here, so rows do not
        stable = "".join(sorted(rstr.rstr_base.ALPHABETS["unambiguous"]))
        self.free = free  # what `.` draws (the caller's alphabet: letters and digits)
        super().__init__(
            random.Random(0), printable=free, whitespace=" ", nonword=" -.@", unambiguous=stable
        )
        self.shortest, self.extra = shortest, extra
        self._cases = {**self._cases, "branch": self._branch, "not_literal": self._not_literal}
        self._sets: dict[tuple[int, bool], tuple[Any, list[str]]] = {}
        self._ci = False  # the pattern ignores case: a negated class refuses both cases

    def _handle_in(self, value: Any) -> Any:
        """rstr's character class, its candidate list built once per class (rstr expands every
        range again for every character it draws)."""
        known = self._sets.get((id(value), self._ci))
        if known is None or known[0] is not value:
            candidates = list(chain(*(self._handle_state(i) for i in value)))
            if candidates and candidates[0] is False:
                candidates = self._outside(set(candidates[1:]))
            known = self._sets[(id(value), self._ci)] = (value, candidates)
        return self._random.choice(known[1])

    def _not_literal(self, code: int) -> str:
        return str(self._random.choice(self._outside({chr(code)})))

    def _outside(self, banned: set[str]) -> list[str]:
        """What [^...] draws: letters, digits, - _ . first (no control characters)."""
        if self._ci:
            banned = banned | {c.lower() for c in banned} | {c.upper() for c in banned}
        return sorted(set(self.free + "-_.") - banned) or sorted(set(string.printable) - banned)

    def make(self, parsed: Any, seed: int) -> str:
        """One string of the parsed pattern, drawn by a Random seeded with `seed`."""
        self._ci = bool(parsed.state.flags & re.IGNORECASE)
        self._random = random.Random(seed)
        try:
            return str(self._build_string(parsed))
        finally:
            self._cache.clear()

    def _handle_repeat(self, start_range: int, end_range: int, value: Any) -> str:
        if self.shortest:
            end_range = start_range
        end_range = min(end_range, start_range + self.extra)
        return str(super()._handle_repeat(start_range, end_range, value))

    def _branch(self, value: Any) -> str:
        options = value[1]
        if self.shortest:
            widths = [sre_parse.SubPattern(None, o).getwidth()[0] for o in options]
            chosen = options[widths.index(min(widths))]
        else:
            chosen = self._random.choice(options)
        return "".join(self._handle_state(i) for i in chosen)
