"""A table's distinct-tuple numberings (pass `uniques` decides them): Keys + counts -> each
member's digit, the radices, and whether a unique set is determined by its members.

Numbering 0 gives each row a distinct code in mixed radix; its digits are FK links and finite
columns. A member of a later set may reuse a digit (an alias: guest takes partner's digit) or
the sum of several digits modulo its own radix (a Latin square: with (a, b), (b, c) and (a, c)
unique, c = a + b mod n). A set with no member in numbering 0 gets its own numbering (own
digits, own code), so two sets of different shapes ((a 2, b 10) and (c 10, d 2)) each keep their
full capacity instead of sharing the smallest radices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from seedspec.compile.counts import CountDecision
from seedspec.compile.links import Link
from seedspec.compile.pairs import Pair, ordered_pairs, pair_of
from seedspec.compile.partitioned import parent_rows
from seedspec.compile.unit import Keys, Linked, Numbering, Unit, frozen
from seedspec.database.facts import table_facts_of
from seedspec.generate.pairs import pair_count
from seedspec.kinds import finite_values
from seedspec.spec.model import GeneratorSpec

SMALL_RANGE = 4096  # an int range this narrow can be a digit (its values listed)


def digit_values(g: GeneratorSpec) -> list[Any] | None:
    """The values a tuple member takes: a finite generator's (choice, bool), or a narrow int
    range's (`CHECK (b BETWEEN 1 AND 10)`); None: it cannot be a digit."""
    found = finite_values(g)
    if found is not None:
        return found
    lo, hi = g.params.get("min"), g.params.get("max")
    if g.kind != "int" or g.null or lo is None or hi is None:
        return None
    if not (isinstance(lo, int) and isinstance(hi, int)) or not 0 <= hi - lo < SMALL_RANGE:
        return None
    return list(range(lo, hi + 1))


def numbering_of(keys: Keys, member: str) -> int | None:
    """The index of the numbering the member is a digit (or an alias) of; None: none."""
    return next((k for k, n in enumerate(keys.numberings) if member in n.digits), None)


def determined(
    members: Iterable[str],
    digits: Sequence[str],
    shared: Mapping[str, str],
    sums: Mapping[str, Sequence[str]],
) -> set[str]:
    """The digits a set's values fix: its own digits, then each alias whose digits but one are
    fixed fixes that one (c = a + b mod n with a known gives b)."""
    mine = set(members)
    known = {m for m in mine if m in digits and m not in shared}
    aliases = [m for m in mine if m in shared]
    changed = True
    while changed:
        changed = False
        for m in aliases:
            unknown = ({shared[m], *sums.get(m, ())}) - known
            if len(unknown) == 1:
                known |= unknown
                changed = True
    return known


@dataclass
class Draft:
    """A numbering while pass `uniques` builds it: its members and the sets it meets."""

    digits: list[str] = field(default_factory=list)
    shared: dict[str, str] = field(default_factory=dict)
    sums: dict[str, list[str]] = field(default_factory=dict)
    sets: list[list[str]] = field(default_factory=list)

    def positions(self) -> list[str]:
        return [d for d in self.digits if d not in self.shared]

    def share(
        self,
        members: list[str],
        free: Callable[[str], bool],
        apart: Callable[[str, str], bool] = lambda member, digit: False,
    ) -> bool:
        """Each digit the set lacks is reused by one of its own new members ((channel,
        partner) and (channel, guest): guest takes partner's digit), so the set determines
        every digit and is distinct; the digit's radix becomes the smaller one. A member that
        must stay apart from the digit (high of CHECK (low < high)) never reuses it."""
        have = determined(members, self.digits, self.shared, self.sums)
        missing = [d for d in self.positions() if d not in have]
        new = [m for m in members if m not in self.digits and free(m)]
        if len(new) < len(missing):
            return False
        if any(apart(m, d) for m, d in zip(new, missing, strict=False)):
            return False
        for member, digit in zip(new, missing, strict=False):
            self.digits.append(member)
            self.shared[member] = digit
        self.sets.append(members)
        return True

    def sum(self, members: list[str]) -> bool:
        """Every member already here but the set leaves digits open ((a, c) after (a, b) and
        (b, c), c reusing a's digit): one alias of the set adds the open digits to its own
        (c = a + b mod n), when every set met so far stays determined."""
        if not all(m in self.digits for m in members):
            return False
        digits = set(self.positions())
        missing = [d for d in self.positions() if d not in self._fixed(members, self.sums)]
        for alias in (m for m in members if m in self.shared):
            trial = {**self.sums, alias: [*self.sums.get(alias, []), *missing]}
            if all(digits <= self._fixed(s, trial) for s in [*self.sets, members]):
                self.sums = trial
                self.sets.append(members)
                return True
        return False

    def _fixed(self, members: list[str], sums: Mapping[str, Sequence[str]]) -> set[str]:
        return determined(members, self.digits, self.shared, sums)

    def frozen(self) -> Numbering:
        sums = {m: tuple(ds) for m, ds in self.sums.items()}
        return Numbering(tuple(self.digits), frozen(dict(self.shared)), frozen(sums))


def member_radix(
    unit: Unit, t: Linked, member: str, counts: Mapping[str, CountDecision] | None = None
) -> int:
    """How many values one member can take: its parent's rows, or its finite values."""
    links = {link.id: link for link in t.links}
    if member in links:
        return max(parent_rows(unit, links[member], counts), 1)
    return len(digit_values(unit.columns[t.name].specs[member]) or [None])


def tuple_radices(
    unit: Unit, t: Linked, counts: Mapping[str, CountDecision] | None = None, numbering: int = 0
) -> tuple[int, ...]:
    """The radix of each digit of a numbering: parent rows, or finite values; a digit that
    aliases reuse (alone or in a sum) takes the smallest of their radices."""
    keys = unit.keys[t.name]
    n = keys.numberings[numbering]
    links = {link.id: link for link in t.links}
    radix: dict[str, int] = {}
    for member in n.digits:
        own = member_radix(unit, t, member, counts)
        if member in links and _differs_in_tuple(t, links[member], n):
            own = max(own - 1, 1)  # CHECK (b <> a): b's digit is an offset from a, 1..n-1
        if member in links and (pair := pair_in_numbering(t, member, n)) is not None:
            # CHECK (low < high): low's digit numbers the pairs, high's is always 0
            own = 1 if member == pair.high.id else max(pair_count(own, pair.strict), 1)
        for digit in (n.shared.get(member, member), *n.sums.get(member, ())):
            radix[digit] = min(radix.get(digit, own), own)
    return tuple(radix[d] for d in n.positions)


def tuple_totals(
    unit: Unit, t: Linked, counts: Mapping[str, CountDecision] | None = None
) -> list[int]:
    """The distinct codes of each numbering of the table."""
    out = []
    for k in range(len(unit.keys[t.name].numberings)):
        total = 1
        for radix in tuple_radices(unit, t, counts, k):
            total *= radix
        out.append(total)
    return out


def _differs_in_tuple(t: Linked, link: Link, n: Numbering) -> bool:
    """Whether this FK is one digit of the tuple, `CHECK (it <> other)` for another FK digit
    to the same table: it is then drawn as other + 1 + digit mod n (generate/links.py
    DifferentFromPicker), so the pair is distinct and never equal, n(n-1) pairs in all."""
    if len(link.fk.columns) != 1 or link.id in n.shared:
        return False
    f = table_facts_of(t.table).columns.get(link.fk.columns[0])
    other = t.fk_columns.get(f.differs_from or "") if f is not None else None
    return (
        other is not None
        and other.fk.ref_table == link.fk.ref_table
        and other.id in n.digits
        and other.id not in n.shared
    )


def pair_in_numbering(t: Linked, member: str, n: Numbering) -> Pair | None:
    """The ordered pair (compile/pairs.py) of this FK when both its FKs are own digits of the
    numbering, so both read low's digit as one pair code (generate/pairs.py); None for a pair
    to the table itself or to one partition (those stay plain digits)."""
    pair = pair_of(t, member)
    if pair is None or pair.low.fk.ref_table == t.name:
        return None
    for link in (pair.low, pair.high):
        if link.id not in n.digits or link.id in n.shared or link.fk.ref_partition:
            return None
    return pair


def tuple_why(unit: Unit, t: Linked, counts: Mapping[str, CountDecision] | None = None) -> str:
    """What bounds the table's distinct tuples, naming a CHECK between two of its FKs."""
    facts = table_facts_of(t.table).columns
    for n in unit.keys[t.name].numberings:
        for pair in ordered_pairs(t):
            if pair_in_numbering(t, pair.low.id, n) is not None:
                rows, parent = parent_rows(unit, pair.low, counts), pair.low.fk.ref_table
                shape = "n*(n-1)/2" if pair.strict else "n*(n+1)/2"
                return f"pairs with {pair.text()} of the {rows} {parent!r} rows: {shape}"
        for link in t.links:
            if _differs_in_tuple(t, link, n):
                rows, parent = parent_rows(unit, link, counts), link.fk.ref_table
                column = link.fk.columns[0]
                relation = f"{facts[column].differs_from} <> {column}"
                return f"ordered pairs with {relation} of the {rows} {parent!r} rows: n*(n-1)"
    return "distinct combinations of its parents"
