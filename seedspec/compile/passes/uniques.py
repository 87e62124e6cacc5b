"""Passes `uniques` and `cap_counts`: unique sets -> how each is met by construction, then
inferred counts shrunk to what the keys allow.

A set is met by one unique-capable column, by an FK link picking each parent once (or distinct
parents within a per-parent group), or by a distinct tuple over FK links and finite columns.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from seedspec.analysis.infer import integer_limits
from seedspec.compile.counts import CountDecision, cap_problem
from seedspec.compile.links import Link
from seedspec.compile.pairs import pair_of
from seedspec.compile.partitioned import parent_rows
from seedspec.compile.passes.columns import INTEGER_KINDS, exclusions
from seedspec.compile.passes.numbering import Draft, digit_values, tuple_totals, tuple_why
from seedspec.compile.unit import Columns, Errors, Keys, Linked, LinkRole, Unit, frozen
from seedspec.database.checks import read_check
from seedspec.database.facts import table_facts_of
from seedspec.database.model import DbTable, DbUnique
from seedspec.errors import Problem
from seedspec.kinds import finite_values, unique_capable
from seedspec.spec.model import GeneratorSpec


def uniques(unit: Unit, errors: Errors) -> Unit:
    columns, keys = dict(unit.columns), {}
    for t in unit.seeded:
        cols = exclusions(t, columns[t.name], errors)
        chooser = _Uniques(unit, t, cols, errors)
        chooser.choose()
        specs = {
            c: _unique_json(g) if g.kind == "json" and g.unique else g
            for c, g in chooser.specs.items()
        }
        columns[t.name] = replace(cols, specs=frozen(specs))
        keys[t.name] = Keys(
            frozenset(chooser.unique_columns),
            frozen(chooser.roles),
            tuple(n.frozen() for n in chooser.numberings),
        )
    return replace(unit, columns=frozen(columns), keys=frozen(keys))


def unique_sets(table: DbTable, errors: Errors) -> list[tuple[str, ...]]:
    """Every set of columns whose values must be distinct, as the parsed facts name them."""
    return [cols for cols, _ in _unique_sets(table, errors)]


def _unique_sets(table: DbTable, errors: Errors) -> list[tuple[tuple[str, ...], DbUnique | None]]:
    sets: list[tuple[tuple[str, ...], DbUnique | None]] = []
    if table.primary_key:
        sets.append((tuple(table.primary_key), None))
    for exclusion in table.exclusions:
        if all(op == "=" for _, op in exclusion.elements):
            sets.append((tuple(col for col, _ in exclusion.elements), None))
    for f in table_facts_of(table).uniques:
        # lower(email), (tenant_id, lower(email)): the columns inside the expressions count;
        # values built distinct (row-number suffixes) stay distinct through lower()/trim()
        if f.understood:
            sets.append((tuple(f.columns), f.unique))
        else:
            errors.warn(
                Problem(
                    f"table {table.name!r}: unique index {f.unique.name} on "
                    f"{', '.join(f.unique.expressions)} is not understood; rows may violate it",
                    severity="warning",
                    code="unique-not-understood",
                )
            )
    return sets


def _unique_json(g: GeneratorSpec) -> GeneratorSpec:
    """A unique json object: distinct because one of its fields is ({"en_US": "Tag 7"}) — the
    first field already unique, else the first that can be (a row-number suffix, an int range),
    else an added row-number field `n`."""
    fields: dict[str, GeneratorSpec] = dict(g.params.get("fields") or {})
    if not any(f.unique and not f.null for f in fields.values()):
        able = [name for name, f in fields.items() if unique_capable(f.kind) and not f.null]
        if able:
            f = fields[able[0]]
            fields[able[0]] = GeneratorSpec(f.kind, f.params, False, True, f.location)
        else:
            fields["n"] = GeneratorSpec(
                "sequence", {"start": 1, "step": 1}, False, True, g.location
            )
    return GeneratorSpec(g.kind, {**g.params, "fields": fields}, g.null, g.unique, g.location)


def _inside_values(column: str, predicate: str) -> set[Any] | None:
    """The values of `column` that put a row inside a partial unique's predicate, when the
    predicate (read like a CHECK by database/checks.py) only lists values of that column."""
    reading = read_check(predicate)
    if not reading.understood or len(reading.clauses) != 1 or set(reading.columns) != {column}:
        return None
    inside = [f.get(column) for f in reading.clauses[0]]
    if not inside or any(f is None or f.allowed is None for f in inside):
        return None
    return {v for f in inside if f is not None and f.allowed is not None for v in f.allowed}


class _Uniques:
    """One table's working memory while its unique sets are met."""

    def __init__(self, unit: Unit, t: Linked, cols: Columns, errors: Errors) -> None:
        self.unit, self.t, self.cols, self.errors = unit, t, cols, errors
        self.decision = unit.counts[t.name]
        self.specs = dict(cols.specs)
        self.unique_columns: set[str] = set()
        self.roles: dict[str, LinkRole] = {}
        self.numberings: list[Draft] = []  # distinct-tuple numberings (passes/numbering.py)
        self.met: list[set[str]] = []  # the sets made distinct so far

    def choose(self) -> None:
        for cols, unique in _unique_sets(self.t.table, self.errors):
            if any(m <= set(cols) for m in self.met):
                continue  # a superset of a distinct set is distinct
            if unique is not None and unique.predicate and self.outside(cols, unique.predicate):
                continue
            if any(self.is_unique(c) for c in cols) and len(cols) > 1:
                continue
            if len(cols) == 1:
                self.make_unique(cols[0], cols)
            elif not self.by_parent_group(cols) and not self.by_column(cols):
                self.by_tuple(cols)
            self.met.append(set(cols))

    def outside(self, cols: tuple[str, ...], predicate: str) -> bool:
        """A partial unique over one finite column (`UNIQUE (active) WHERE active`): every row
        takes a value that leaves the predicate false, so no row is inside it."""
        if len(cols) != 1 or cols[0] in self.t.fk_columns:
            return False
        g = self.specs.get(cols[0])
        options = finite_values(g) if g is not None and not g.unique else None
        inside = _inside_values(cols[0], predicate)
        if g is None or options is None or inside is None:
            return False
        free: list[Any] = [v for v in options if v is not None and v not in inside]
        if not free:
            return False
        self.specs[cols[0]] = GeneratorSpec("const", {"value": free[0]}, False, False, g.location)
        return True

    def by_parent_group(self, cols: tuple[str, ...]) -> bool:
        """Per-parent tables: index_in_parent or a distinct-within-parent FK meets the set."""
        layout, per_cols = self.decision.layout, set(self.decision.per_columns)
        if layout is None or not per_cols <= set(cols):
            return False
        if any(self.kind(c) == "index_in_parent" for c in cols):
            return True
        others = [link for link in self.covering(cols) if set(link.fk.columns) != per_cols]
        if others:
            self.roles.setdefault(others[0].id, LinkRole.DISTINCT_IN_PARENT)
            return True
        return False

    def by_column(self, cols: tuple[str, ...]) -> bool:
        value_cols = [c for c in cols if c not in self.t.fk_columns]
        wide = [
            c for c in value_cols if self.can_be_unique(c) and finite_values(self.specs[c]) is None
        ]
        count = self.decision.count
        roomy = [c for c in wide if (self.capacity(c) or count) >= count]
        if roomy or (wide and not self.covering(cols) and not self.numberable(cols)):
            self.make_unique((roomy or wide)[0], cols)
            return True
        return False

    def numberable(self, cols: tuple[str, ...]) -> bool:
        """Whether the set's columns can all be tuple digits (narrow: b in 1..10, a in {x, y}),
        already are, or their distinct tuples hold an explicit count where no column alone
        does."""
        if any(c in n.digits for n in self.numberings for c in cols):
            return True
        total = 1
        for c in cols:
            values = digit_values(self.specs[c]) if c in self.specs else None
            if values is None:
                return False
            total *= len(values)
        return total >= self.decision.count or not (self.t.spec and self.t.spec.count)

    def by_tuple(self, cols: tuple[str, ...]) -> None:
        fk_links = self.covering(cols)
        value_cols = [c for c in cols if c not in self.t.fk_columns]
        finite = [
            c for c in value_cols if c in self.specs and digit_values(self.specs[c]) is not None
        ]
        members = [link.id for link in fk_links] + finite
        if members and self.place(members):
            self.take(members)
            return
        pair = next((p for m in members if (p := pair_of(self.t, m)) and p.strict), None)
        why = (
            f" with CHECK ({pair.text()}): its two FKs cannot reuse one digit of the "
            "other unique sets (they would be equal on every row)"
            if pair is not None
            else ""
        )
        self.errors.add(
            Problem(
                f"table {self.t.name!r}: cannot make ({', '.join(cols)}) unique by construction"
                f"{why}",
                self.t.location,
                code="unfillable",
                table=self.t.name,
                fix="give one of these columns a unique generator",
            )
        )

    def place(self, members: list[str]) -> bool:
        """Meet a set by a numbering: the one it overlaps (a shared digit, or a sum), else
        the first one's digits when they hold as many rows, else a numbering of its own (a
        subset of the key made distinct is enough: rows get distinct combinations)."""
        touched = [n for n in self.numberings if any(m in n.digits for m in members)]
        if len(touched) > 1:
            return False  # it spans two numberings
        if touched:
            return touched[0].share(members, self.free, self.apart) or touched[0].sum(members)
        first = self.numberings[0] if self.numberings else None
        shared = first is not None and not self.roomier_alone(members, first)
        if shared and first is not None and first.share(members, self.free, self.apart):
            return True
        self.numberings.append(Draft(list(members), sets=[members]))
        return True

    def free(self, member: str) -> bool:
        """Whether a member may still join a numbering (no other role, in none yet)."""
        return self.roles.get(member) is None and not any(
            member in n.digits for n in self.numberings
        )

    def apart(self, member: str, digit: str) -> bool:
        """Whether the two FKs form a strict ordered pair (CHECK (low < high),
        compile/pairs.py): high reusing low's digit would make them equal on every row."""
        pair = pair_of(self.t, member)
        return pair is not None and pair.strict and {pair.low.id, pair.high.id} == {member, digit}

    def take(self, members: list[str]) -> None:
        for link in self.t.links:
            if link.id in members:
                self.roles[link.id] = LinkRole.TUPLE

    def roomier_alone(self, members: list[str], first: Draft) -> bool:
        """Whether a set disjoint from the first numbering holds more rows with digits of its
        own than by reusing that one's (where each reused digit shrinks to the smaller radix)."""
        digits = first.positions()
        if len(members) < len(digits):
            return True  # it could not reuse every digit: only its own numbering works
        alone = shared = 1
        for m in members:
            alone *= self.radix(m)
        for d, m in zip(digits, members, strict=False):
            shared *= min(self.radix(d), self.radix(m))
        return alone > shared

    def radix(self, member: str) -> int:
        link = next((link for link in self.t.links if link.id == member), None)
        if link is not None:
            return max(parent_rows(self.unit, link), 1)
        return len(digit_values(self.specs[member]) or [None])

    def kind(self, column: str) -> str:
        g = self.specs.get(column)
        return g.kind if g is not None else "?"

    def covering(self, cols: tuple[str, ...]) -> list[Link]:
        return [link for link in self.t.links if set(link.fk.columns) <= set(cols)]

    def capacity(self, column: str) -> int | None:
        """How many distinct values the column's generator could make unique (None: plenty)."""
        g, col = self.specs.get(column), self.t.table.column(column)
        if g is None or col is None:
            return None
        if g.kind == "gen" and col.length and col.type in ("char", "varchar"):
            return 36**col.length if col.length < 12 else None
        if g.kind == "int" and g.params.get("min") is not None and g.params.get("max") is not None:
            return int(g.params["max"]) - int(g.params["min"]) + 1
        return None

    def is_unique(self, column: str) -> bool:
        if column in self.unique_columns:
            return True
        g = self.specs.get(column)
        return g is not None and (g.unique or g.kind in ("sequence", "uuid"))

    def can_be_unique(self, column: str) -> bool:
        g = self.specs.get(column)
        return g is not None and unique_capable(g.kind, g) and not g.null

    def make_unique(self, column: str, cols: tuple[str, ...]) -> bool:
        if column in self.t.fk_columns:
            link = self.t.fk_columns[column]
            if set(link.fk.columns) <= set(cols):
                self.roles[link.id] = LinkRole.UNIQUE
                return True
            return False
        g = self.specs.get(column)
        if g is None:
            return column in self.cols.skipped  # the database fills it (e.g. identity default)
        if not self.can_be_unique(column):
            self.errors.add(
                Problem(
                    f"{self.t.name}.{column} must be unique ({', '.join(cols)}) but a "
                    f"{g.kind!r} generator cannot guarantee distinct values",
                    self.t.column_location(column),
                    code="unique-capacity",
                    table=self.t.name,
                    column=column,
                    fix="use a generator that can be unique (int range, gen, template)",
                )
            )
            return False
        if not g.unique:
            self.specs[column] = GeneratorSpec(g.kind, g.params, g.null, True, g.location)
        self.unique_columns.add(column)
        return True


def cap_counts(unit: Unit, errors: Errors) -> Unit:
    """Inferred counts shrink to what one-to-one links and distinct tuples allow."""
    counts = dict(unit.counts)
    seeded = unit.seeded
    for _ in range(len(seeded) + 1):
        changed = False
        for t in seeded:
            inferred = not (t.spec and t.spec.count)
            cap = _key_capacity(unit, t, counts)
            if inferred and cap is not None and counts[t.name].count > cap:
                counts[t.name] = CountDecision(cap, f"capped at {cap}: what its keys allow")
                changed = True
        if not changed:
            break
    for t in seeded:
        if t.spec and t.spec.count:
            _explicit_over_key(unit, t, counts[t.name].count, errors)
            _explicit_over_tuples(unit, t, counts, errors)
    return replace(unit, counts=frozen(counts))


def _explicit_over_key(unit: Unit, t: Linked, count: int, errors: Errors) -> None:
    """An explicit count a sequence key cannot number (TINYINT/SMALLINT): a compile error at
    the count, not a duplicate key or an out-of-range value at load."""
    for column, top in _sequence_caps(unit, t):
        if count > top:
            where = t.spec.count.location if t.spec and t.spec.count else None
            errors.add(
                Problem(
                    f"table {t.name!r}: count {count} is more rows than its key {column} "
                    f"({_sql_type(t, column)}) can number: at most {top}",
                    where or t.location,
                    code="count-over-capacity",
                    table=t.name,
                    fix=f"lower the count to {top} or widen {t.name}.{column}",
                )
            )


def _explicit_over_tuples(
    unit: Unit, t: Linked, counts: dict[str, CountDecision], errors: Errors
) -> None:
    """An explicit count more than a distinct-tuple numbering holds: one error for the table,
    before any row is written (every numbering checked, not only the first one reached)."""
    totals = tuple_totals(unit, t, counts)
    count = counts[t.name].count
    if totals and count > min(totals):
        why = tuple_why(unit, t, counts)
        errors.add(cap_problem(t.name, count, min(totals), why, t.location))


def _sql_type(t: Linked, column: str) -> str:
    col = t.table.column(column)
    return (col.sql_type or col.type) if col is not None else "?"


def _sequence_caps(unit: Unit, t: Linked) -> list[tuple[str, int]]:
    """(column, rows it can number) of each integer `sequence` column (a TINYINT key: 127)."""
    out = []
    for column, g in unit.columns[t.name].specs.items():
        col = t.table.column(column)
        if g.kind == "sequence" and col is not None and col.type in INTEGER_KINDS:
            top = integer_limits(col)[1]
            start, step = int(g.params.get("start", 1)), int(g.params.get("step", 1))
            if step > 0:
                out.append((column, max(0, (top - start) // step + 1)))
    return out


def _key_capacity(unit: Unit, t: Linked, counts: dict[str, CountDecision]) -> int | None:
    """How many distinct rows this table's keys allow (None = no limit from its FKs)."""
    caps = []
    roles = unit.keys[t.name].roles
    for link in t.links:
        if roles.get(link.id) is LinkRole.UNIQUE and not link.nullable:
            pair = pair_of(t, link.id)
            # CHECK (low < high) with one side one-to-one: the top parent has nothing above it
            top = pair is not None and pair.strict
            caps.append(parent_rows(unit, link, counts) - int(top))
    caps += [top for _, top in _sequence_caps(unit, t)]  # a TINYINT key holds 255 rows at most
    caps += tuple_totals(unit, t, counts)  # each numbering numbers at most its codes
    return min(caps) if caps else None
