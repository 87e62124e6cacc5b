"""Passes `links` and `counts`: Unit(ctx) -> every table's FK links, then its row count and why."""

from __future__ import annotations

from dataclasses import replace

from seedspec.compile.counts import CountDecision, fixed_count, per_parent_count
from seedspec.compile.graph import Edge
from seedspec.compile.links import Link, table_links
from seedspec.compile.unit import Errors, Linked, Unit, frozen
from seedspec.database.model import DbForeignKey, DbTable
from seedspec.database.partitions import partition_rule
from seedspec.database.triggers import trigger_fillers
from seedspec.errors import Problem
from seedspec.spec.limits import MAX_COUNT
from seedspec.spec.model import CountSpec


def links(unit: Unit, errors: Errors) -> Unit:
    """Each table's FK links (widest first) and which link owns each FK column."""
    out = {}
    for table in unit.ctx.schema.tables:
        tspec = unit.ctx.spec.table(table.name)
        found, problems = table_links(table, tspec, unit.ctx.schema)
        owners: dict[str, Link] = {}
        for link in found:
            for column in link.fk.columns:
                owners.setdefault(column, link)
        for p in problems:
            errors.add(p)
        out[table.name] = Linked(table, tspec, tuple(found), frozen(owners))
    return replace(unit, linked=frozen(out))


def trigger_edges(unit: Unit) -> list[Edge]:
    """Order edges (trigger's table after the seeded table it fills): the filled table loads
    first, so its sequence is moved past the seeded ids before the trigger calls nextval. Not
    breakable (no columns, not nullable): in a cycle it is reported like an FK cycle."""
    names = {t.name for t in unit.seeded}
    out = []
    for name, filler in sorted(trigger_fillers(unit.ctx.schema).items()):
        source = filler.rsplit(".", 1)[0]
        if name in names and source in names:
            fk = DbForeignKey(f"trigger {filler}", (), name, ())
            out.append(Edge(source, name, fk, False))
    return out


def _sequence_key(table: DbTable) -> bool:
    """A single-column primary key drawn from a sequence (identity / serial / auto_increment)."""
    if len(table.primary_key) != 1:
        return False
    col = table.column(table.primary_key[0])
    return col is not None and col.identity is not None


def left_alone_decision(unit: Unit, name: str, why: str) -> CountDecision:
    """A table the plan leaves alone: its rows already there are the parents its children
    pick (offline, when they could not be read, one row is assumed)."""
    existing = unit.ctx.existing
    if existing is None:
        return CountDecision(1, f"left alone ({why}); rows not read offline", existing=True)
    rows = existing.get(name)
    n = rows.count if rows is not None else 0
    return CountDecision(n, f"left alone ({why}); {n} existing rows", existing=True)


def counts(unit: Unit, errors: Errors) -> Unit:
    """Rows per table: fixed x scale, per parent row (drawn), 0 for trigger-filled tables."""
    decider = _Counter(unit, errors)
    for name in unit.linked:
        decider.decide(name, ())
    for name, why in (unit.ctx.selection.left_alone if unit.ctx.selection else {}).items():
        if name not in unit.linked:  # an FK target outside the seeded schemas
            decider.decisions[name] = left_alone_decision(unit, name, why)
    return replace(
        unit, counts=frozen(decider.decisions), trigger_filled=tuple(decider.trigger_filled)
    )


class _Counter:
    """The counts pass's working memory (per-parent counts need their parent's first)."""

    def __init__(self, unit: Unit, errors: Errors) -> None:
        self.unit, self.errors = unit, errors
        self.decisions: dict[str, CountDecision] = {}
        self.trigger_filled: list[str] = []
        self.fillers = trigger_fillers(unit.ctx.schema)

    def decide(self, name: str, chain: tuple[str, ...]) -> int:
        if name in self.decisions:
            return self.decisions[name].count
        decision = self._decision(name, chain)
        if decision.count > MAX_COUNT:
            t = self.unit.linked[name]
            where = t.spec.count.location if t.spec and t.spec.count else t.location
            self.errors.add(
                Problem(
                    f"table {name!r}: {decision.count:,} rows ({decision.reason}) is over the "
                    f"limit of {MAX_COUNT:,} rows per table",
                    where,
                    code="count-over-limit",
                    table=name,
                    fix="lower the count or the scale",
                )
            )
            decision = CountDecision(0, f"over the limit of {MAX_COUNT} rows")
        self.decisions[name] = decision
        return decision.count

    def _decision(self, name: str, chain: tuple[str, ...]) -> CountDecision:
        why = self.unit.left_alone(name)
        if why is not None:
            return left_alone_decision(self.unit, name, why)
        t = self.unit.linked[name]
        cspec = t.spec.count if t.spec else None
        asked = cspec is not None and (cspec.per is not None or (cspec.fixed or 0) > 0)
        filler = self.trigger_filler(name)
        if filler is not None:
            decided = self.trigger_decision(t, filler, cspec)
            if decided is not None:
                return decided
        rule = partition_rule(t.table)
        if rule.empty:
            self.errors.add(
                Problem(
                    rule.note + ("" if asked else "; left empty"),
                    t.location,
                    "error" if asked else "warning",
                    "partition",
                    name,
                    fix="create a partition (or a DEFAULT partition) for the rows",
                )
            )
            return CountDecision(0, "no partitions")
        if cspec is None or cspec.per is None:
            return fixed_count(cspec, self.unit.ctx.scale)
        if name in chain:
            self.errors.add(
                Problem(
                    f"count: per-parent counts form a cycle: {' -> '.join([*chain, name])}",
                    cspec.location,
                )
            )
            return CountDecision(0, "cycle")
        link = self.per_link(t, cspec.per, cspec.via)
        if link is None:
            return CountDecision(0, "no link")
        n_parents = self.decide(cspec.per, (*chain, name))
        seed = self.unit.ctx.seed
        return per_parent_count(seed, name, cspec, n_parents, link.fk.columns)

    def trigger_filler(self, name: str) -> str | None:
        """'film.ins_film' when an INSERT trigger of another table writes rows into `name`."""
        return self.fillers.get(name)

    def trigger_decision(
        self, t: Linked, filler: str, cspec: CountSpec | None
    ) -> CountDecision | None:
        """A table another table's INSERT trigger fills: left to the trigger (count 0) unless a
        spec count asks for rows, or another table needs rows in it and its key comes from a
        sequence. Then it is seeded too: loaded before the trigger's table, with its sequence
        moved past the seeded ids right after (execute), so the trigger's nextval rows follow.
        None: decide its count as for any table."""
        name = t.name
        note = f"table {name!r} is filled by trigger {filler}"
        sequenced = _sequence_key(t.table)
        if cspec is not None and (cspec.per is not None or cspec.fixed):
            if sequenced:
                return None  # the spec decides; its rows load before the trigger's table
            self.errors.add(
                Problem(
                    note + "; seeding it too would collide with those rows",
                    t.location,
                    "error",
                    "trigger",
                    name,
                    fix="give it `count: 0` (the trigger fills it)",
                )
            )
            return CountDecision(0, note)
        self.trigger_filled.append(name)
        if cspec is not None:  # count: 0
            return CountDecision(0, note)
        needed = [
            o.name
            for o in self.unit.ctx.schema.tables
            if o.name != name and any(fk.ref_table == name for fk in o.foreign_keys)
        ]
        if needed and sequenced:
            self.trigger_filled.pop()
            self.errors.warn(
                Problem(
                    f"{note}, and {needed[0]!r} needs rows in it: seeded too, before the "
                    "trigger's table, its sequence moved past the seeded ids",
                    t.location,
                    "warning",
                    "trigger",
                    name,
                )
            )
            return None
        trigger_tail = "; seedspec leaves it to the trigger"
        fix = "give it `count: 0` (the trigger fills it)"
        if needed:
            trigger_tail = (
                f"; {needed[0]!r} needs rows in it, but its key is not drawn from a sequence, "
                "so seeded rows would collide with the trigger's"
            )
            fix = "give it `count: 0`, or to the tables that need it"
        self.errors.add(
            Problem(note + trigger_tail, t.location, "warning", "trigger", name, fix=fix)
        )
        return CountDecision(0, note)

    def per_link(self, t: Linked, parent: str, via: str | None) -> Link | None:
        candidates = [link for link in t.links if link.fk.ref_table == parent]
        if via is not None:
            candidates = [link for link in candidates if via in link.fk.columns]
        loc = t.spec.count.location if t.spec and t.spec.count else None
        if not candidates:
            self.errors.add(
                Problem(
                    f"count per {parent!r}: table {t.name!r} has no foreign key to {parent!r} "
                    f"(add a column with `ref: {parent}`)",
                    loc,
                )
            )
            return None
        if len(candidates) > 1:
            cols = ", ".join("+".join(link.fk.columns) for link in candidates)
            self.errors.add(
                Problem(
                    f"count per {parent!r}: {t.name!r} has several foreign keys to it ({cols}); "
                    "say which with `via: COLUMN`",
                    loc,
                )
            )
            return None
        return candidates[0]
