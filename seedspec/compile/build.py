"""The compiler: (Spec, DbSchema) -> Plan with a generation Model, or every problem at once."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import mimesis
import numpy as np

import seedspec
from seedspec.analysis.drift import DriftError, Finding
from seedspec.analysis.infer import infer_column, integer_limits, table_facts
from seedspec.analysis.reconcile import reconcile
from seedspec.compile.counts import CountDecision, cap_problem, fixed_count, per_parent_count
from seedspec.compile.graph import Edge, order_tables
from seedspec.compile.links import Link, table_links
from seedspec.compile.resolved import ResolvedColumn, ResolvedTable
from seedspec.database.model import DbColumn, DbSchema, DbTable
from seedspec.database.partitions import partition_rule
from seedspec.errors import CompileError, Problem, SeedspecError, SourceLocation
from seedspec.generate import links as lk
from seedspec.generate.base import objects
from seedspec.generate.factory import build_value_generator
from seedspec.generate.model import Model, TableModel
from seedspec.generate.random import stream_key
from seedspec.generate.values import Generator, NullValue
from seedspec.plan.model import (
    FillDeferred,
    InsertRows,
    Plan,
    ResetSequences,
    RunSql,
    Step,
    VerifyForeignKeys,
)
from seedspec.spec.model import GeneratorSpec, Spec, TableSpec, TreeSpec

INTEGER_KINDS = ("smallint", "integer", "bigint")
UNIQUE_CAPABLE = (
    "int",
    "decimal",
    "choice",
    "date",
    "datetime",
    "time",
    "gen",
    "sequence",
    "uuid",
    "template",
    "cidr",
    "bytes",
)


@dataclass
class TableState:
    table: DbTable
    spec: TableSpec | None
    links: list[Link] = field(default_factory=list)
    decision: CountDecision | None = None
    unique_columns: set[str] = field(default_factory=set)
    pickers: dict[str, lk.Picker] = field(default_factory=dict)  # link id -> picker
    fk_columns: dict[str, Link] = field(default_factory=dict)
    specs: dict[str, GeneratorSpec] = field(default_factory=dict)  # value columns
    skipped: dict[str, str] = field(default_factory=dict)  # column -> why not inserted
    # digits of the one distinct tuple this table's rows form: FK link ids and finite columns
    tuple_digits: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # column -> why this generator

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def count(self) -> int:
        return self.decision.count if self.decision else 0

    @property
    def location(self) -> SourceLocation | None:
        return self.spec.location if self.spec else None


def compile_plan(
    spec: Spec, schema: DbSchema, scale: float | None = None, strict: bool = False
) -> Plan:
    """Reconcile, then compile. Raises DriftError with every finding when the spec cannot be
    applied to this schema; the plan carries the warnings (`plan.drift`)."""
    report = reconcile(spec, schema).escalated(strict)
    if report.errors:
        raise DriftError(report)
    try:
        plan = _Compiler(spec, schema, spec.scale if scale is None else scale).run()
    except CompileError as err:
        report.findings.extend(finding_of(p) for p in err.problems)
        raise DriftError(report.escalated(strict)) from None
    seen = {f.message for f in report.findings}
    report.findings.extend(finding_of(w) for w in plan.warnings if w.message not in seen)
    plan.drift = report.escalated(strict)
    if plan.drift.errors:
        raise DriftError(plan.drift)
    return plan


def finding_of(problem: Problem) -> Finding:
    return Finding(
        problem.severity,
        problem.code,
        problem.message,
        problem.table,
        problem.column,
        problem.location,
        problem.fix,
    )


class _Compiler:
    def __init__(self, spec: Spec, schema: DbSchema, scale: float) -> None:
        self.spec, self.schema, self.scale = spec, schema, scale
        self.dialect = "mysql" if schema.dialect == "mariadb" else schema.dialect
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.states: dict[str, TableState] = {}
        self.trigger_filled: list[str] = []

    def fail_if_problems(self) -> None:
        if any(p.severity == "error" for p in self.problems):
            raise CompileError(self.problems)
        self.warnings.extend(self.problems)
        self.problems = []

    def run(self) -> Plan:
        for table in self.schema.tables:
            state = TableState(table, self.spec.table(table.name))
            state.links, problems = table_links(table, state.spec, self.schema)
            for link in state.links:  # a shared column belongs to the first (widest) FK
                for column in link.fk.columns:
                    state.fk_columns.setdefault(column, link)
            self.problems.extend(problems)
            self.states[table.name] = state
        for name in self.states:
            self.decide_count(name, ())
        self.fail_if_problems()
        seeded = [s for s in self.states.values() if s.count > 0]
        for state in seeded:
            self.choose_columns(state)
        for state in seeded:
            self.apply_exclusions(state)
            self.choose_uniques(state)
        self.cap_counts(seeded)
        for state in seeded:
            self.choose_pickers(state)
        self.fail_if_problems()
        model = self.build_model(seeded)
        self.check_dependency_cycles(model)
        self.check_distinct_limits(seeded, model)
        self.fail_if_problems()
        return self.build_plan(seeded, model)

    # -- counts ------------------------------------------------------------------------
    def decide_count(self, name: str, chain: tuple[str, ...]) -> int:
        state = self.states[name]
        if state.decision is not None:
            return state.count
        cspec = state.spec.count if state.spec else None
        filler = self.trigger_filler(name)
        if filler is not None:
            asked = cspec is not None and (cspec.per is not None or (cspec.fixed or 0) > 0)
            note = f"table {name!r} is filled by trigger {filler}"
            state.decision = CountDecision(0, note)
            self.trigger_filled.append(name)
            if cspec is not None and not asked:
                return 0  # the spec already says count: 0 — exactly what the warning suggests
            self.problems.append(
                Problem(
                    note
                    + (
                        "; seeding it too would collide with those rows"
                        if asked
                        else "; seedspec leaves it to the trigger"
                    ),
                    state.location,
                    "error" if asked else "warning",
                    "trigger",
                    name,
                    fix="give it `count: 0` (the trigger fills it)",
                )
            )
            state.decision = CountDecision(0, note)
            self.trigger_filled.append(name)
            return 0
        rule = partition_rule(state.table)
        if rule.empty:
            asked = cspec is not None and (cspec.per is not None or (cspec.fixed or 0) > 0)
            self.problems.append(
                Problem(
                    rule.note + ("" if asked else "; left empty"),
                    state.location,
                    "error" if asked else "warning",
                    "partition",
                    name,
                    fix="create a partition (or a DEFAULT partition) for the rows",
                )
            )
            state.decision = CountDecision(0, "no partitions")
            return 0
        if cspec is None or cspec.per is None:
            state.decision = fixed_count(cspec, self.scale)
            return state.count
        if name in chain:
            self.problems.append(
                Problem(
                    f"count: per-parent counts form a cycle: {' -> '.join([*chain, name])}",
                    cspec.location,
                )
            )
            state.decision = CountDecision(0, "cycle")
            return 0
        link = self.per_link(state, cspec.per, cspec.via)
        if link is None:
            state.decision = CountDecision(0, "no link")
            return 0
        n_parents = self.decide_count(cspec.per, (*chain, name))
        state.decision = per_parent_count(self.spec.seed, name, cspec, n_parents, link.fk.columns)
        return state.count

    def trigger_filler(self, name: str) -> str | None:
        """'film.ins_film' when an INSERT trigger of another table writes rows into `name`."""
        bare = self.schema.table(name).bare_name.lower()  # type: ignore[union-attr]
        for other in self.schema.tables:
            if other.name == name:
                continue
            for trigger in other.triggers:
                if "INSERT" in trigger.events and bare in trigger.writes:
                    return f"{other.name}.{trigger.name}"
        return None

    def per_link(self, state: TableState, parent: str, via: str | None) -> Link | None:
        candidates = [link for link in state.links if link.fk.ref_table == parent]
        if via is not None:
            candidates = [link for link in candidates if via in link.fk.columns]
        loc = state.spec.count.location if state.spec and state.spec.count else None
        if not candidates:
            self.problems.append(
                Problem(
                    f"count per {parent!r}: table {state.name!r} has no foreign key to {parent!r} "
                    f"(add a column with `ref: {parent}`)",
                    loc,
                )
            )
            return None
        if len(candidates) > 1:
            cols = ", ".join("+".join(link.fk.columns) for link in candidates)
            self.problems.append(
                Problem(
                    f"count per {parent!r}: {state.name!r} has several foreign keys to it ({cols});"
                    " "
                    "say which with `via: COLUMN`",
                    loc,
                )
            )
            return None
        return candidates[0]

    # -- columns -----------------------------------------------------------------------
    def choose_columns(self, state: TableState) -> None:
        table = state.table
        facts, warnings = table_facts(table)
        self.warnings.extend(warnings)
        rule = partition_rule(table)
        if rule.note:
            self.warnings.append(
                Problem(rule.note, state.location, "warning", "partition", table.name)
            )
        if rule.column and rule.generator and not (state.spec and state.spec.column(rule.column)):
            state.specs[rule.column] = rule.generator
        single_int_pk = (
            len(table.primary_key) == 1
            and (pk := table.column(table.primary_key[0])) is not None
            and pk.type in INTEGER_KINDS
        )
        for col in table.columns:
            cs = state.spec.column(col.name) if state.spec else None
            if col.generated:
                state.skipped[col.name] = "generated by the database"
                continue
            if cs is not None and cs.generator.kind == "default":
                state.skipped[col.name] = "default: true"
                continue
            if col.name in state.fk_columns or col.name in state.specs:
                continue
            if cs is not None:
                state.specs[col.name] = cs.generator
                state.notes[col.name] = "spec"
                continue
            if (single_int_pk and col.name == table.primary_key[0]) or (
                col.identity and col.type in INTEGER_KINDS
            ):
                state.specs[col.name] = GeneratorSpec("sequence", {"start": 1, "step": 1})
                state.notes[col.name] = "key: seedspec assigns 1..N"
                continue
            inferred = infer_column(table, col, facts.get(col.name))
            if inferred.generator is not None:
                state.specs[col.name] = inferred.generator
                state.notes[col.name] = inferred.reason
            elif col.has_default or col.nullable:
                state.skipped[col.name] = f"{inferred.reason}; left to its default"
            else:
                self.problems.append(
                    Problem(
                        f"{table.name}.{col.name} ({col.sql_type or col.type}) is NOT NULL "
                        "without a "
                        f"default and {inferred.reason}; give it a generator in the spec "
                        "(e.g. `const:`)",
                        state.location,
                        code="no-generator",
                    )
                )

    # -- uniqueness --------------------------------------------------------------------
    def apply_exclusions(self, state: TableState) -> None:
        """EXCLUDE (room WITH =, during WITH &&): the range column gets disjoint ranges."""
        for exclusion in state.table.exclusions:
            overlap = [col for col, op in exclusion.elements if op == "&&"]
            column = state.table.column(overlap[0]) if len(overlap) == 1 else None
            g = state.specs.get(column.name) if column else None
            if (
                column is not None
                and column.type == "range"
                and g is not None
                and g.kind == "range"
            ):
                params = {**g.params, "disjoint": True}
                state.specs[column.name] = GeneratorSpec("range", params, g.null, g.unique)
                continue
            if all(op == "=" for _, op in exclusion.elements):
                continue  # the same as a UNIQUE: handled with the unique sets
            self.warnings.append(
                Problem(
                    f"table {state.name!r}: EXCLUDE constraint {exclusion.name} "
                    f"({', '.join(f'{c} WITH {o}' for c, o in exclusion.elements)}) is not "
                    "understood; rows may violate it",
                    state.location,
                    "warning",
                    "exclusion",
                    state.name,
                )
            )

    def unique_sets(self, table: DbTable) -> list[tuple[str, ...]]:
        sets = [table.primary_key] if table.primary_key else []
        for exclusion in table.exclusions:
            if all(op == "=" for _, op in exclusion.elements):
                sets.append(tuple(col for col, _ in exclusion.elements))
        names = {c.name for c in table.columns}
        for u in table.uniques:
            # lower(email), (tenant_id, lower(email)): the columns inside the expressions count;
            # values built distinct (row-number suffixes) stay distinct through lower()/trim()
            inside = [
                w for e in u.expressions for w in re.findall(r"[A-Za-z_][\w$]*", e) if w in names
            ]
            cols = tuple(dict.fromkeys([*u.columns, *inside]))
            if cols and (not u.expressions or inside):
                sets.append(cols)
            elif u.expressions:
                self.warnings.append(
                    Problem(
                        f"table {table.name!r}: unique index {u.name} on "
                        f"{', '.join(u.expressions)} is not understood; rows may violate it",
                        severity="warning",
                        code="unique-not-understood",
                    )
                )
        return [tuple(s) for s in sets]

    def choose_uniques(self, state: TableState) -> None:
        layout = state.decision.layout if state.decision else None
        per_cols = set(state.decision.per_columns) if state.decision else set()
        for cols in self.unique_sets(state.table):
            if any(self.is_unique(state, c) for c in cols) and len(cols) > 1:
                continue
            if len(cols) == 1:
                self.make_unique(state, cols[0], cols)
                continue
            index_cols = {
                c for c in cols if state.specs.get(c, GeneratorSpec("?")).kind == "index_in_parent"
            }
            if layout is not None and per_cols <= set(cols) and index_cols:
                continue
            fk_links = _links_covering(state, cols)
            value_cols = [c for c in cols if c not in state.fk_columns]
            if layout is not None and per_cols <= set(cols):
                others = [link for link in fk_links if set(link.fk.columns) != per_cols]
                if others:
                    state.pickers.setdefault(others[0].id, _DISTINCT_IN_PARENT)
                    continue
            wide = [
                c
                for c in value_cols
                if self.can_be_unique(state, c) and _options(state.specs[c]) is None
            ]
            roomy = [c for c in wide if (self.capacity(state, c) or state.count) >= state.count]
            if roomy or (wide and not fk_links):
                self.make_unique(state, (roomy or wide)[0], cols)
                continue
            finite = [
                c for c in value_cols if c in state.specs and _options(state.specs[c]) is not None
            ]
            if (fk_links or finite) and not state.tuple_digits:
                # a subset of the key made distinct is enough: rows get distinct combinations
                state.tuple_digits = [link.id for link in fk_links] + finite
                for link in fk_links:
                    state.pickers[link.id] = _TUPLE
                continue
            self.problems.append(
                Problem(
                    f"table {state.name!r}: cannot make ({', '.join(cols)}) unique by "
                    "construction; "
                    "give one of these columns a unique generator",
                    state.location,
                    code="unfillable",
                )
            )

    def capacity(self, state: TableState, column: str) -> int | None:
        """How many distinct values the column's generator could make unique (None: plenty)."""
        g, col = state.specs.get(column), state.table.column(column)
        if g is None or col is None:
            return None
        if g.kind == "gen" and col.length and col.type in ("char", "varchar"):
            return 36**col.length if col.length < 12 else None
        if g.kind == "int" and g.params.get("min") is not None and g.params.get("max") is not None:
            return int(g.params["max"]) - int(g.params["min"]) + 1
        return None

    def is_unique(self, state: TableState, column: str) -> bool:
        if column in state.unique_columns:
            return True
        g = state.specs.get(column)
        return g is not None and (g.unique or g.kind in ("sequence", "uuid"))

    def can_be_unique(self, state: TableState, column: str) -> bool:
        g = state.specs.get(column)
        return g is not None and g.kind in UNIQUE_CAPABLE and not g.null

    def make_unique(
        self, state: TableState, column: str, cols: tuple[str, ...], quiet: bool = False
    ) -> bool:
        if column in state.fk_columns:
            link = state.fk_columns[column]
            if set(link.fk.columns) <= set(cols):
                state.pickers[link.id] = _UNIQUE
                return True
            return False
        g = state.specs.get(column)
        if g is None:
            return column in state.skipped  # the database fills it (e.g. identity default)
        if not self.can_be_unique(state, column):
            if not quiet:
                loc = _column_location(state, column)
                self.problems.append(
                    Problem(
                        f"{state.name}.{column} must be unique ({', '.join(cols)}) but a "
                        f"{g.kind!r} generator cannot guarantee distinct values",
                        loc,
                        code="unique-capacity",
                        table=state.name,
                        column=column,
                        fix="use a generator that can be unique (int range, gen, template)",
                    )
                )
            return False
        if not g.unique:
            state.specs[column] = GeneratorSpec(g.kind, g.params, g.null, True, g.location)
        state.unique_columns.add(column)
        return True

    def key_capacity(self, state: TableState) -> int | None:
        """How many distinct rows this table's keys allow (None = no limit from its FKs)."""
        caps = []
        for link in state.links:
            if state.pickers.get(link.id) is _UNIQUE and not link.nullable:
                caps.append(self.states[link.fk.ref_table].count)
        for column, g in state.specs.items():  # a TINYINT key holds 255 rows at most
            col = state.table.column(column)
            if g.kind == "sequence" and col is not None and col.type in INTEGER_KINDS:
                top = integer_limits(col)[1]
                start, step = int(g.params.get("start", 1)), int(g.params.get("step", 1))
                if step > 0:
                    caps.append(max(0, (top - start) // step + 1))
        if state.tuple_digits:
            total = 1
            for r in self.tuple_radices(state):
                total *= r
            caps.append(total)
        return min(caps) if caps else None

    def cap_counts(self, seeded: list[TableState]) -> None:
        """Inferred counts shrink to what one-to-one links and distinct tuples allow."""
        for _ in range(len(seeded) + 1):
            changed = False
            for state in seeded:
                inferred = not (state.spec and state.spec.count)
                cap = self.key_capacity(state)
                if inferred and cap is not None and state.count > cap and state.decision:
                    state.decision = CountDecision(cap, f"capped at {cap}: what its keys allow")
                    changed = True
            if not changed:
                return

    # -- parent pickers ----------------------------------------------------------------
    def choose_pickers(self, state: TableState) -> None:
        self_links = [link for link in state.links if link.fk.ref_table == state.name]
        tree = state.spec.tree if state.spec else None
        tree_link = None
        if self_links:
            tree_link = self_links[0]
            if tree is not None:
                tree_link = next(
                    (link for link in self_links if tree.parent in link.fk.columns), tree_link
                )
        for link in state.links:
            parent = self.states.get(link.fk.ref_table)
            n_parent = parent.count if parent else 0
            marker = state.pickers.get(link.id)
            key = stream_key(self.spec.seed, state.name, "fk", *link.fk.columns)
            picker: lk.Picker | None
            if n_parent == 0 and link.fk.ref_table != state.name:
                if not link.nullable:
                    self.problems.append(
                        Problem(
                            f"{state.name}.{'+'.join(link.fk.columns)} needs rows in "
                            f"{link.fk.ref_table!r}, which is seeded with 0 rows",
                            state.location,
                            code="unfillable",
                        )
                    )
                picker = None
            elif state.decision and state.decision.per_columns == link.fk.columns:
                assert state.decision.layout is not None
                picker = lk.PerParentPicker(state.decision.layout)
            elif link is tree_link:
                depth = tree.max_depth if tree else 4
                roots = tree.roots if tree else None
                starts = lk.tree_levels(state.count, depth, roots)
                picker = lk.TreePicker(key, starts, root_links_self=not link.nullable)
            elif link.fk.ref_table == state.name:
                picker = lk.EarlierRowPicker(key, root_links_self=not link.nullable)
            elif link.spec is not None and link.spec.params.get("where"):
                picker = self.where_picker(state, link, key, n_parent)
            elif link.shared:
                shared = link.shared[0]
                parent_col = link.fk.ref_columns[link.fk.columns.index(shared)]
                picker = lk.WherePicker(
                    key, state.name, link.fk.ref_table, n_parent, [(shared, parent_col)]
                )
            elif marker is _UNIQUE:
                if state.count > n_parent and not link.nullable:
                    self.problems.append(
                        cap_problem(
                            state.name,
                            state.count,
                            n_parent,
                            f"each {link.fk.ref_table} row at most once",
                            state.location,
                        )
                    )
                picker = lk.UniquePicker(key, n_parent, spill_null=link.nullable)
            elif marker is _DISTINCT_IN_PARENT:
                assert state.decision and state.decision.layout is not None
                picker = lk.DistinctWithinParentPicker(key, n_parent, state.decision.layout)
            elif marker is _TUPLE:
                picker = self.tuple_picker(state, link.id)
            else:
                dist = link.spec.params.get("dist") or "uniform" if link.spec else "uniform"
                s = float(link.spec.params.get("s") or 1.2) if link.spec else 1.2
                picker = lk.RandomPicker(key, n_parent, dist, s)
            if picker is not None:
                state.pickers[link.id] = picker
        self.apply_differs(state)
        self.apply_joint_picks(state)

    def apply_joint_picks(self, state: TableState) -> None:
        """The FK that fills a shared column picks only parents whose value of it also exists
        in the other FKs' parents (a customer of a tenant that has products)."""
        for link in state.links:
            for shared in link.shared:
                owner = state.fk_columns[shared]
                picker = state.pickers.get(owner.id)
                if not isinstance(picker, (lk.RandomPicker, lk.JointPicker)):
                    continue
                own_col = owner.fk.ref_columns[owner.fk.columns.index(shared)]
                other_col = link.fk.ref_columns[link.fk.columns.index(shared)]
                if isinstance(picker, lk.RandomPicker):
                    picker = lk.JointPicker(picker.key, owner.fk.ref_table, own_col, picker.n)
                picker.others.append(
                    (link.fk.ref_table, other_col, self.states[link.fk.ref_table].count)
                )
                state.pickers[owner.id] = picker

    def apply_differs(self, state: TableState) -> None:
        """CHECK (a <> b) between two FKs to the same table: b never picks a's parent."""
        facts, _ = table_facts(state.table)
        for column, f in facts.items():
            mine, other = state.fk_columns.get(column), state.fk_columns.get(f.differs_from or "")
            if mine is None or other is None or mine.fk.ref_table != other.fk.ref_table:
                continue
            inner, theirs = state.pickers.get(mine.id), state.pickers.get(other.id)
            if inner is not None and theirs is not None and len(mine.fk.columns) == 1:
                n = self.states[mine.fk.ref_table].count
                state.pickers[mine.id] = lk.DifferentFromPicker(inner, theirs, n)

    def where_picker(self, state: TableState, link: Link, key: int, n_parent: int) -> lk.Picker:
        assert link.spec is not None
        where = link.spec.params["where"]
        # where: {PARENT_COLUMN: THIS_ROW_COLUMN}, e.g. {account_id: id}: a user of this account
        pairs = [(str(mine), str(theirs)) for theirs, mine in where.items()]
        if len(pairs) != 1:
            self.problems.append(
                Problem("ref where: one column pair is supported", link.spec.location)
            )
        return lk.WherePicker(key, state.name, link.fk.ref_table, n_parent, pairs[:1])

    def tuple_radices(self, state: TableState) -> tuple[int, ...]:
        links = {link.id: link for link in state.links}
        radices = []
        for digit in state.tuple_digits:
            if digit in links:
                radices.append(max(self.states[links[digit].fk.ref_table].count, 1))
            else:
                radices.append(len(_options(state.specs[digit]) or [None]))
        return tuple(radices)

    def tuple_picker(self, state: TableState, digit: str) -> lk.TuplePicker:
        radices = self.tuple_radices(state)
        total = 1
        for r in radices:
            total *= r
        if state.count > total:
            self.problems.append(
                cap_problem(
                    state.name,
                    state.count,
                    total,
                    "distinct combinations of its parents",
                    state.location,
                )
            )
        table_key = stream_key(self.spec.seed, state.name, "tuple")
        return lk.TuplePicker(table_key, radices, state.tuple_digits.index(digit))

    # -- model -------------------------------------------------------------------------
    def build_model(self, seeded: list[TableState]) -> Model:
        tables: dict[str, TableModel] = {}
        for state in seeded:
            gens: dict[str, Generator] = {}
            for col in state.table.columns:
                if col.name in state.skipped:
                    continue
                link = state.fk_columns.get(col.name)
                if link is not None:
                    gens[col.name] = self.fk_generator(state, link, col.name)
                elif col.name in state.tuple_digits:
                    options = _options(state.specs[col.name]) or []
                    picker = self.tuple_picker(state, col.name)
                    gens[col.name] = TupleChoice(picker, options)
                elif col.name in state.specs:
                    gens[col.name] = self.value_generator(state, col)
            key_cols = state.table.primary_key or next(
                (u.columns for u in state.table.uniques if not u.predicate and u.columns), ()
            )
            tables[state.name] = TableModel(
                state.name,
                state.count,
                gens,
                state.decision.layout if state.decision else None,
                tuple(key_cols),
            )
        for state in seeded:  # lookups need every table's FK generators first
            for col_name, g in list(tables[state.name].generators.items()):
                if isinstance(g, _Pending) and g.spec.kind == "aggregate":
                    tables[state.name].generators[col_name] = self.resolve_aggregate(
                        state, tables, g
                    )
                elif isinstance(g, _Pending):
                    tables[state.name].generators[col_name] = self.resolve_lookup(
                        state, tables[state.name], g
                    )
        return Model(self.spec.seed, tables)

    def resolve_aggregate(
        self, state: TableState, tables: dict[str, TableModel], pending: _Pending
    ) -> Generator:
        g = pending.spec
        child = tables.get(g.params["table"])
        layout = child.layout if child is not None else None
        if child is None or layout is None or layout.parent != state.name:
            self.problems.append(
                Problem(
                    f"aggregate: {g.params['table']!r} must be counted per {state.name!r} "
                    f"(count: {{per: {state.name}}}) to aggregate its rows",
                    g.location,
                    code="aggregate",
                    table=state.name,
                )
            )
            return NullValue(0, {})
        missing = [c for c in g.params.get("of") or [] if c not in child.generators]
        if missing:
            self.problems.append(
                Problem(
                    f"aggregate: {child.name} does not generate {', '.join(missing)}",
                    g.location,
                    code="aggregate",
                    table=state.name,
                )
            )
            return NullValue(0, {})
        return lk.Aggregate(
            child.name, layout, g.params.get("fn", "sum"), list(g.params.get("of") or [])
        )

    def fk_generator(self, state: TableState, link: Link, column: str) -> Generator:
        picker = state.pickers.get(link.id)
        if picker is None:
            return NullValue(0, {})
        ref_col = link.fk.ref_columns[link.fk.columns.index(column)]
        parent = self.states[link.fk.ref_table]
        if ref_col in parent.skipped or (
            ref_col not in parent.specs and ref_col not in parent.fk_columns
        ):
            self.problems.append(
                Problem(
                    f"{state.name}.{column} references {parent.name}.{ref_col}, which seedspec "
                    "does not generate",
                    _column_location(state, column),
                )
            )
        gen: Generator = lk.ForeignKeyColumn(link.fk.ref_table, ref_col, picker, link.id)
        if link.spec is not None and link.spec.null:
            gen = _nullable(gen, link.spec.null, self.spec.seed, state.name, column)
        return gen

    def value_generator(self, state: TableState, col: DbColumn) -> Generator:
        g = state.specs[col.name]
        if g.kind == "index_in_parent":
            layout = state.decision.layout if state.decision else None
            if layout is None:
                self.problems.append(
                    Problem(
                        "index_in_parent needs the table's count to be `per:` a parent", g.location
                    )
                )
                return NullValue(0, {})
            return lk.IndexInParent(layout, int(g.params.get("start", 1)))
        if g.kind in ("lookup", "aggregate"):
            return _Pending(g)
        try:
            return build_value_generator(
                g,
                seed=self.spec.seed,
                locale=self.spec.locale,
                table=state.name,
                column=col.name,
                db_column=col,
            )
        except SeedspecError as err:
            self.problems.append(Problem(err.message, g.location or state.location))
            return NullValue(0, {})

    def resolve_lookup(self, state: TableState, tm: TableModel, pending: _Pending) -> Generator:
        g = pending.spec
        fk_col, parent_col = g.params["fk_column"], g.params["parent_column"]
        via = tm.generators.get(fk_col)
        if not isinstance(via, lk.ForeignKeyColumn):
            self.problems.append(
                Problem(
                    f"lookup: {fk_col!r} is not a foreign key column of {state.name!r}", g.location
                )
            )
            return NullValue(0, {})
        parent = self.states[via.parent]
        if parent_col not in parent.specs and parent_col not in parent.fk_columns:
            self.problems.append(
                Problem(
                    f"lookup: {via.parent}.{parent_col} is not generated by seedspec", g.location
                )
            )
            return NullValue(0, {})
        return lk.Lookup(via, parent_col)

    def check_dependency_cycles(self, model: Model) -> None:
        """Columns that read each other (templates, offsets, lookups) must not form a loop."""
        graph: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for tm in model.tables.values():
            for column, gen in tm.generators.items():
                deps = [(t or tm.name, c) for t, c in gen.depends_on()]
                graph[(tm.name, column)] = [d for d in deps if d[0] in model.tables]
        state: dict[tuple[str, str], int] = {}  # 1 = on the current path, 2 = done
        for start in sorted(graph):
            if state.get(start):
                continue
            path, stack = [start], [iter(graph[start])]
            state[start] = 1
            while stack:
                nxt = next(stack[-1], None)
                if nxt is None:
                    state[path.pop()] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    loop = path[path.index(nxt) :] + [nxt]
                    self.report_cycle(loop)
                    return
                elif not state.get(nxt) and nxt in graph:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append(iter(graph[nxt]))

    def report_cycle(self, loop: list[tuple[str, str]]) -> None:
        table, column = loop[0]
        self.problems.append(
            Problem(
                "columns depend on each other in a loop: "
                + " -> ".join(f"{t}.{c}" for t, c in loop),
                _column_location(self.states[table], column),
                code="dependency-cycle",
                table=table,
                column=column,
                fix="break the loop: one of these columns must not read the others",
            )
        )

    def check_distinct_limits(self, seeded: list[TableState], model: Model) -> None:
        for state in seeded:
            for column in state.unique_columns:
                gen = model.tables[state.name].generators.get(column)
                limit = gen.distinct_limit() if gen is not None else None
                if limit is not None and limit < state.count:
                    self.problems.append(
                        Problem(
                            f"{state.name}.{column} must be unique but its generator has only "
                            f"{limit} distinct values for {state.count} rows",
                            _column_location(state, column),
                            code="unique-capacity",
                            table=state.name,
                            column=column,
                            fix="widen the generator's range or lower the count",
                        )
                    )

    # -- plan --------------------------------------------------------------------------
    def resolved_table(self, name: str) -> ResolvedTable:
        state = self.states[name]
        columns = []
        for col in state.table.columns:
            what = f"{col.sql_type or col.type}{'' if col.nullable else ' NOT NULL'}"
            link = state.fk_columns.get(col.name)
            if col.name in state.skipped:
                columns.append(
                    ResolvedColumn(col.name, None, "skipped", f"{what}; {state.skipped[col.name]}")
                )
            elif link is not None:
                ref_col = link.fk.ref_columns[link.fk.columns.index(col.name)]
                parent = self.schema.table(link.fk.ref_table)
                plain = parent is not None and parent.primary_key == (ref_col,)
                target = link.fk.ref_table if plain else f"{link.fk.ref_table}.{ref_col}"
                params = dict(link.spec.params) if link.spec else {}
                params.update(table=link.fk.ref_table, column=None if plain else ref_col)
                null = link.spec.null if link.spec else 0.0
                columns.append(
                    ResolvedColumn(
                        col.name,
                        GeneratorSpec("ref", params, null),
                        "foreign key",
                        f"{what}; references {target}",
                    )
                )
            elif col.name in state.specs:
                g = state.specs[col.name]
                origin = "spec" if state.notes.get(col.name) == "spec" else "inferred"
                note = state.notes.get(col.name, "")
                columns.append(
                    ResolvedColumn(
                        col.name, g, origin, what if origin == "spec" else f"{what}; {note}"
                    )
                )
        tree = state.spec.tree if state.spec else None
        if tree is None and state.count:
            self_fk = next((lnk for lnk in state.links if lnk.fk.ref_table == name), None)
            if self_fk is not None:
                tree = TreeSpec(self_fk.fk.columns[0], 4)
        decision = state.decision
        return ResolvedTable(
            name,
            state.count,
            state.spec.count if state.spec else None,
            decision.reason if decision else "",
            tree,
            tuple(columns),
        )

    def build_plan(self, seeded: list[TableState], model: Model) -> Plan:
        names = [s.name for s in seeded]
        edges = []
        for state in seeded:
            for link in state.links:
                if link.fk.ref_table in model.tables and link.id in state.pickers:
                    per = bool(state.decision and state.decision.per_columns == link.fk.columns)
                    edges.append(Edge(state.name, link.fk.ref_table, link.fk, link.nullable, per))
        ordering = order_tables(names, edges, self.dialect)
        for cycle in ordering.unbreakable:
            spots = [self.states[t].location for t in cycle]
            where = ", ".join(str(s) for s in spots if s) or "no spec lines: inferred tables"
            self.problems.append(
                Problem(
                    f"foreign keys form a cycle that cannot be loaded: "
                    f"{' -> '.join(cycle)}; none of "
                    f"its FKs is nullable or deferrable (spec: {where}); make one nullable or "
                    "DEFERRABLE, or seed one of these tables with `count: 0`",
                    next((s for s in spots if s), None),
                    code="cycle",
                )
            )
        self.fail_if_problems()
        updates: dict[str, list[str]] = {}
        for b in ordering.broken:
            if b.mode == "update":
                updates.setdefault(b.edge.child, []).extend(b.edge.fk.columns)
        steps: list[Step] = []
        for name in ordering.order:
            tm = model.tables[name]
            state = self.states[name]
            gens = {c: g.describe() for c, g in tm.generators.items()}
            steps.append(
                InsertRows(
                    name,
                    tm.count,
                    tuple(tm.generators),
                    tuple(updates.get(name, ())),
                    gens,
                    state.decision.reason if state.decision else "",
                )
            )
        for name in ordering.order:
            if name in updates:
                tm = model.tables[name]
                if not tm.key_columns:
                    self.problems.append(
                        Problem(
                            f"table {name!r} closes a FK cycle but has no primary or unique key to "
                            "fill it by; add a key or make the FK deferrable",
                            self.states[name].location,
                        )
                    )
                steps.append(
                    FillDeferred(
                        name,
                        tuple(updates[name]),
                        tm.key_columns,
                        tm.count,
                        "nullable FK in a cycle: inserted NULL, filled now",
                    )
                )
        self.fail_if_problems()
        suspended = sorted(
            {
                t
                for b in ordering.broken
                if b.mode == "suspend"
                for t in (b.edge.child, b.edge.parent)
            }
        )
        if suspended:
            steps.append(
                VerifyForeignKeys(
                    tuple(suspended), "loaded with FOREIGN_KEY_CHECKS=0 (NOT NULL cycle)"
                )
            )
        steps.append(ResetSequences(tuple(ordering.order)))
        for after in self.spec.after:
            steps.append(RunSql(after.sql, after.location))
        plan = Plan(
            dialect=self.dialect,
            seed=self.spec.seed,
            steps=steps,
            model=model,
            deferred_constraints=any(b.mode == "deferred" for b in ordering.broken),
            suspend_fk_checks=bool(suspended),
            broken_edges=[
                {
                    "from": b.edge.child,
                    "to": b.edge.parent,
                    "columns": list(b.edge.fk.columns),
                    "mode": b.mode,
                }
                for b in ordering.broken
            ],
            warnings=self.warnings,
            versions={"seedspec": seedspec.__version__, "mimesis": mimesis.__version__},
            trigger_filled=list(self.trigger_filled),
        )
        plan.spec_digest = _digest(repr(self.spec.tables) + repr(self.spec.after))
        plan.schema_fingerprint = _digest(self.schema.to_json())
        return plan


class _Marker(lk.Picker):
    pass


def _options(g: GeneratorSpec) -> list[Any] | None:
    """The finite values a generator draws from (choice, bool), or None when unbounded."""
    if g.null:
        return None
    if g.kind == "choice":
        return list(g.params.get("values") or [])
    if g.kind == "bool":
        return [False, True]
    return None


_UNIQUE, _DISTINCT_IN_PARENT, _TUPLE = _Marker(), _Marker(), _Marker()


class TupleChoice(Generator):
    """A finite column (choice, bool) as one digit of the table's distinct key tuple."""

    kind = "choice"

    def __init__(self, picker: lk.TuplePicker, options: list[Any]) -> None:
        super().__init__(0, {"values": options, "tuple_digit": picker.position})
        self.picker = picker
        self.options = objects(options)

    def values(self, model: Model, idx: np.ndarray) -> np.ndarray:
        return self.options[self.picker.pick(model, idx)]


class _Pending(Generator):
    """A lookup or aggregate, resolved once every table's generators exist."""

    kind = "lookup"

    def __init__(self, spec: GeneratorSpec) -> None:
        super().__init__(0, spec.params)
        self.spec = spec


def _links_covering(state: TableState, cols: tuple[str, ...]) -> list[Link]:
    return [link for link in state.links if set(link.fk.columns) <= set(cols)]


def _column_location(state: TableState, column: str) -> SourceLocation | None:
    cs = state.spec.column(column) if state.spec else None
    return cs.location if cs else state.location


def _nullable(gen: Generator, rate: float, seed: int, table: str, column: str) -> Generator:
    from seedspec.generate.values import Nullable

    return Nullable(gen, rate, stream_key(seed, table, column, "null"))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


__all__ = ["compile_plan", "json"]
