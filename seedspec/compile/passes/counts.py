"""Passes `links` and `counts`: Unit(ctx) -> every table's FK links, then its row count and why."""

from __future__ import annotations

from dataclasses import replace

from seedspec.compile.counts import CountDecision, fixed_count, per_parent_count
from seedspec.compile.links import Link, table_links
from seedspec.compile.unit import Errors, Linked, Unit, frozen
from seedspec.database.partitions import partition_rule
from seedspec.errors import Problem


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


def counts(unit: Unit, errors: Errors) -> Unit:
    """Rows per table: fixed x scale, per parent row (drawn), 0 for trigger-filled tables."""
    decider = _Counter(unit, errors)
    for name in unit.linked:
        decider.decide(name, ())
    return replace(
        unit, counts=frozen(decider.decisions), trigger_filled=tuple(decider.trigger_filled)
    )


class _Counter:
    """The counts pass's working memory (per-parent counts need their parent's first)."""

    def __init__(self, unit: Unit, errors: Errors) -> None:
        self.unit, self.errors = unit, errors
        self.decisions: dict[str, CountDecision] = {}
        self.trigger_filled: list[str] = []

    def decide(self, name: str, chain: tuple[str, ...]) -> int:
        if name in self.decisions:
            return self.decisions[name].count
        decision = self._decision(name, chain)
        self.decisions[name] = decision
        return decision.count

    def _decision(self, name: str, chain: tuple[str, ...]) -> CountDecision:
        t = self.unit.linked[name]
        cspec = t.spec.count if t.spec else None
        asked = cspec is not None and (cspec.per is not None or (cspec.fixed or 0) > 0)
        filler = self.trigger_filler(name)
        if filler is not None:
            note = f"table {name!r} is filled by trigger {filler}"
            self.trigger_filled.append(name)
            if cspec is None or asked:
                tail = "; seeding it too would collide with those rows" if asked else ""
                self.errors.add(
                    Problem(
                        note + (tail or "; seedspec leaves it to the trigger"),
                        t.location,
                        "error" if asked else "warning",
                        "trigger",
                        name,
                        fix="give it `count: 0` (the trigger fills it)",
                    )
                )
            return CountDecision(0, note)
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
        schema = self.unit.ctx.schema
        bare = schema.table(name).bare_name.lower()  # type: ignore[union-attr]
        for other in schema.tables:
            if other.name == name:
                continue
            for trigger in other.triggers:
                if "INSERT" in trigger.events and bare in trigger.writes:
                    return f"{other.name}.{trigger.name}"
        return None

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
