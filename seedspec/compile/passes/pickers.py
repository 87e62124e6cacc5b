"""Pass `pickers`: every FK link -> the pick recipe its child rows use to choose parent rows
(None: the parent has no rows). Then CHECK (a <> b) between two FKs and FKs sharing a column."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from seedspec.compile.counts import cap_problem
from seedspec.compile.links import Link
from seedspec.compile.pairs import Pair, ordered_pairs
from seedspec.compile.partitioned import parent_rows, stripe, unroutable
from seedspec.compile.passes.numbering import (
    member_radix,
    numbering_of,
    pair_in_numbering,
    tuple_radices,
)
from seedspec.compile.unit import Errors, Linked, LinkRole, Unit, frozen
from seedspec.database.facts import table_facts_of
from seedspec.errors import Problem
from seedspec.generate.links import tree_levels
from seedspec.generate.pairs import pair_count
from seedspec.generate.random import stream_key
from seedspec.plan import recipes as r


def pickers(unit: Unit, errors: Errors) -> Unit:
    out = {}
    wanting: dict[str, list[tuple[Linked, Link]]] = {}  # empty left-alone parent -> its children
    for t in unit.seeded:
        chosen = {link.id: _pick(unit, t, link, errors, wanting) for link in t.links}
        for link in t.links:  # a CHECK wants the FK NULL (exactly one owner set): no pick
            if link.nullable and _null_by_check(unit, t, link):
                chosen[link.id] = None
        picks = {k: p for k, p in chosen.items() if p is not None}
        _differs(unit, t, picks, errors)
        _ordered(unit, t, picks, errors)
        _joint(unit, t, picks)
        out[t.name] = frozen(picks)
    for parent, children in wanting.items():
        errors.add(_no_existing_parents(unit, parent, children))
    return replace(unit, picks=frozen(out))


def _no_existing_parents(unit: Unit, parent: str, children: list[tuple[Linked, Link]]) -> Problem:
    """One error per empty left-alone parent, naming the NOT NULL FKs that need its rows."""
    names = [f"{t.name}.{'+'.join(link.fk.columns)}" for t, link in children]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    fix = (
        f"seed it too (tables.include or --include {parent}), or insert its rows first "
        "(e.g. run the framework's migrate command)"
    )
    if unit.ctx.schema.table(parent) is None:  # outside the seeded schemas
        fix = f"insert rows into {parent} first, or seed its schema too (--schema a,b)"
    return Problem(
        f"{shown} (NOT NULL) need rows in {parent!r}, which seedspec leaves alone "
        f"({unit.left_alone(parent)}) and which holds no rows; nothing was written",
        next((t.location for t, _ in children if t.location), None),
        code="parent-left-alone",
        table=children[0][0].name,
        fix=fix,
    )


def _left_null(unit: Unit, t: Linked, link: Link, errors: Errors) -> None:
    """A nullable FK to a left-alone parent with no rows is NULL: a warning says why."""
    why = unit.left_alone(link.fk.ref_table)
    if why is None:
        return
    errors.warn(
        Problem(
            f"{t.name}.{'+'.join(link.fk.columns)} is left NULL: {link.fk.ref_table!r} is left "
            f"alone ({why}) and holds no rows",
            t.location,
            severity="warning",
            code="parent-left-alone",
            table=t.name,
            fix=f"insert rows into {link.fk.ref_table} first to have them picked",
        )
    )


def _null_by_check(unit: Unit, t: Linked, link: Link) -> bool:
    """The CHECKs make the FK NULL in every row (in every branch rows choose among)."""
    cols = unit.columns[t.name]
    every = cols.branching.facts if cols.branching else (cols.facts or {},)
    return all(
        (f := facts.get(c)) is not None and f.null is True
        for facts in every
        for c in link.fk.columns
    )


def _group_column(link: Link) -> str | None:
    """The column a self-reference shares with another FK and reads back as itself
    ((tenant_id, parent_id) -> (tenant_id, id)): its rows' parents share its value."""
    for shared in link.shared:
        if link.fk.ref_columns[link.fk.columns.index(shared)] == shared:
            return shared
    return None


def _tree_link(t: Linked) -> Link | None:
    self_links = [link for link in t.links if link.fk.ref_table == t.name]
    if not self_links:
        return None
    tree = t.spec.tree if t.spec else None
    if tree is None:
        return self_links[0]
    return next((link for link in self_links if tree.parent in link.fk.columns), self_links[0])


def _pick(
    unit: Unit,
    t: Linked,
    link: Link,
    errors: Errors,
    wanting: dict[str, list[tuple[Linked, Link]]],
) -> r.Pick | None:
    """The link's pick; an FK to one partition picks among the parent rows routed there."""
    why = unroutable(unit, link)
    if link.fk.ref_partition and unit.counts[t.name].per_columns == link.fk.columns:
        why = (
            "its rows are counted per parent row and only some parent rows are routed there",
            f"count {t.name} without `per:`",
        )
    if why is not None:
        errors.add(
            Problem(
                f"{t.name}.{'+'.join(link.fk.columns)} references one partition of "
                f"{link.fk.ref_table!r} ({link.fk.ref_partition}) but {why[0]}",
                t.location,
                code="partition",
                table=t.name,
                fix=why[1],
            )
        )
        return None
    inner = _plain_pick(unit, t, link, errors, wanting)
    found = stripe(unit, link)
    if inner is None or found is None or isinstance(inner, (r.WherePick, r.JointPick)):
        return inner  # a where / joint pick matches parent values itself
    return r.StripedPick(inner, *found)


def _plain_pick(
    unit: Unit,
    t: Linked,
    link: Link,
    errors: Errors,
    wanting: dict[str, list[tuple[Linked, Link]]],
) -> r.Pick | None:
    n_parent = parent_rows(unit, link)
    decision = unit.counts[t.name]
    role = unit.keys[t.name].roles.get(link.id)
    key = stream_key(unit.ctx.seed, t.name, "fk", *link.fk.columns)
    if n_parent == 0 and link.fk.ref_table != t.name:
        if link.nullable:
            _left_null(unit, t, link, errors)
            return None
        if unit.left_alone(link.fk.ref_table) is not None:
            wanting.setdefault(link.fk.ref_table, []).append((t, link))
        else:
            errors.add(
                Problem(
                    f"{t.name}.{'+'.join(link.fk.columns)} needs rows in "
                    f"{link.fk.ref_table!r}, which is seeded with 0 rows",
                    t.location,
                    code="unfillable",
                )
            )
        return None
    if decision.per_columns == link.fk.columns:
        assert decision.layout is not None
        return r.PerParentPick()
    if link.within is not None and role is None:
        return _within_pick(unit, t, link, key, n_parent)
    if link.fk.ref_table == t.name:
        _rootless(t, link, errors)
        return _self_pick(unit, t, link, key)
    if link.spec is not None and link.spec.params.get("where"):
        return _where_pick(t, link, key, n_parent, errors)
    if link.shared:
        shared = link.shared[0]
        parent_col = link.fk.ref_columns[link.fk.columns.index(shared)]
        return r.WherePick(key, t.name, link.fk.ref_table, n_parent, shared, parent_col)
    if role is not None:
        return _role_pick(unit, t, link, role, key, n_parent, errors)
    dist = link.spec.params.get("dist") or "uniform" if link.spec else "uniform"
    s = float(link.spec.params.get("s") or 1.2) if link.spec else 1.2
    return r.RandomPick(key, n_parent, dist, s)


def _within_pick(unit: Unit, t: Linked, link: Link, key: int, n_parent: int) -> r.Pick:
    """A parent of this row's tenant: for a self-reference an earlier row of the same tenant
    (a tree per tenant, its first row the root), else a parent row whose tenant column holds
    this row's value (the tenant FK then picks only tenants that have such rows: _joint)."""
    assert link.within is not None
    mine, theirs = link.within
    if link.fk.ref_table == t.name:
        return r.TreeInGroupPick(key, t.name, unit.count(t.name), mine, not link.nullable)
    return r.WherePick(key, t.name, link.fk.ref_table, n_parent, mine, theirs)


def _own_nullable(t: Linked, link: Link) -> bool:
    """Whether the FK's own columns (not those it shares with another FK) may be NULL."""
    own = [c for c in link.fk.columns if c not in link.shared]
    return all((c := t.table.column(n)) is not None and c.nullable for n in own)


def _rootless(t: Linked, link: Link, errors: Errors) -> None:
    """A NOT NULL self-reference whose CHECK forbids a row pointing at itself: the first row
    has no earlier row to point at, so no tree (nor any finite insert order) can start."""
    if _own_nullable(t, link):
        return
    facts = table_facts_of(t.table).columns
    for mine, theirs in zip(link.fk.columns, link.fk.ref_columns, strict=True):
        if mine in link.shared:
            continue
        a, b = facts.get(mine), facts.get(theirs)
        if (a and a.differs_from == theirs) or (b and b.differs_from == mine):
            errors.add(
                Problem(
                    f"table {t.name!r}: {mine} is NOT NULL and CHECK ({mine} <> {theirs}) "
                    f"forbids a row pointing at itself, so the first {t.name} row has no "
                    "parent to point at",
                    t.column_location(mine),
                    code="unfillable",
                    table=t.name,
                    column=mine,
                    fix=f"make {t.name}.{mine} nullable (roots get NULL) or drop the CHECK",
                )
            )


def _self_pick(unit: Unit, t: Linked, link: Link, key: int) -> r.Pick:
    group = _group_column(link)
    if group is not None:  # a tree within each tenant: an earlier row of the same tenant
        roots_self = not _own_nullable(t, link)
        return r.TreeInGroupPick(key, t.name, unit.count(t.name), group, roots_self)
    if link is not _tree_link(t):
        return r.EarlierRowPick(key, root_links_self=not link.nullable)
    tree = t.spec.tree if t.spec else None
    depth = tree.max_depth if tree else 4
    roots = tree.roots if tree else None
    starts = tree_levels(unit.count(t.name), depth, roots)
    return r.TreePick(key, tuple(starts), root_links_self=not link.nullable)


def _role_pick(
    unit: Unit, t: Linked, link: Link, role: LinkRole, key: int, n_parent: int, errors: Errors
) -> r.Pick:
    count = unit.count(t.name)
    if role is LinkRole.UNIQUE:
        if count > n_parent and not link.nullable:
            why = f"each {link.fk.ref_table} row at most once"
            errors.add(cap_problem(t.name, count, n_parent, why, t.location))
        return r.UniquePick(key, n_parent, spill_null=link.nullable)
    if role is LinkRole.DISTINCT_IN_PARENT:
        layout = unit.counts[t.name].layout
        assert layout is not None
        widest = layout.widest
        if widest > n_parent:  # a group needs that many distinct parents of this FK
            errors.add(
                Problem(
                    f"table {t.name!r}: one {layout.parent} row gets {widest} rows but "
                    f"{'+'.join(link.fk.columns)} must differ within it and {link.fk.ref_table!r} "
                    f"has only {n_parent} rows; lower the per-parent max or raise that count",
                    t.location,
                    code="unfillable",
                )
            )
        return r.DistinctInParentPick(key, n_parent)
    return tuple_pick(unit, t, link.id, errors)


def tuple_pick(unit: Unit, t: Linked, member: str, errors: Errors) -> r.TuplePick:
    """The pick of one member of the table's distinct tuples:
    a digit of numbering 0, an alias of one (or a sum of several), or a digit of a set numbered
    on its own (compile/passes/numbering.py)."""
    keys = unit.keys[t.name]
    k = numbering_of(keys, member) or 0
    radices = tuple_radices(unit, t, numbering=k)  # room checked by cap_counts
    extra = (str(k),) if k else ()  # the first numbering keeps the table's own stream
    table_key = stream_key(unit.ctx.seed, t.name, "tuple", *extra)
    n = keys.numberings[k]
    positions = n.positions
    position = positions.index(n.shared.get(member, member))
    plus = tuple(positions.index(d) for d in n.sums.get(member, ()))
    if not plus:
        return r.TuplePick(table_key, radices, position)
    return r.TuplePick(table_key, radices, position, plus, member_radix(unit, t, member))


def _where_pick(t: Linked, link: Link, key: int, n_parent: int, errors: Errors) -> r.Pick:
    assert link.spec is not None
    where = link.spec.params["where"]
    # where: {PARENT_COLUMN: THIS_ROW_COLUMN}, e.g. {account_id: id}: a user of this account
    pairs = [(str(mine), str(theirs)) for theirs, mine in where.items()]
    if len(pairs) != 1:
        errors.add(Problem("ref where: one column pair is supported", link.spec.location))
    child_column, parent_column = pairs[0]
    return r.WherePick(key, t.name, link.fk.ref_table, n_parent, child_column, parent_column)


def _differs(unit: Unit, t: Linked, picks: dict[str, r.Pick], errors: Errors) -> None:
    """CHECK (a <> b) between two FKs to the same table: b never picks a's parent."""
    for column, f in table_facts_of(t.table).columns.items():
        mine, other = t.fk_columns.get(column), t.fk_columns.get(f.differs_from or "")
        if mine is None or other is None or mine.fk.ref_table != other.fk.ref_table:
            continue
        inner, theirs = picks.get(mine.id), picks.get(other.id)
        if inner is not None and theirs is not None and len(mine.fk.columns) == 1:
            n = parent_rows(unit, mine)
            relation = f"{f.differs_from} <> {column}"
            if n < 2 and not (mine.nullable or other.nullable):
                errors.add(_pair_problem(t, relation, mine.fk.ref_table, n, 2))
            picks[mine.id] = _different_from(t, relation, inner, theirs, n, errors)


def _different_from(
    t: Linked, relation: str, inner: r.Pick, theirs: r.Pick, n: int, errors: Errors
) -> r.Pick:
    """Mine never theirs: over the n parent rows mine may pick; FKs to one partition differ
    within its rows (both striped alike), a striped FK against another pick is not modelled."""
    if not isinstance(inner, r.StripedPick):
        return r.DifferentFromPick(inner, theirs, n)
    if isinstance(theirs, r.StripedPick) and (theirs.offset, theirs.stride) == (
        inner.offset,
        inner.stride,
    ):
        return replace(inner, inner=r.DifferentFromPick(inner.inner, theirs.inner, n))
    errors.warn(_not_modelled(t, relation))
    return inner


def _pair_problem(t: Linked, relation: str, parent: str, n: int, least: int) -> Problem:
    return Problem(
        f"table {t.name!r}: CHECK ({relation}) needs {least} distinct {parent!r} rows "
        f"to choose from; {parent!r} is seeded with {n}",
        t.location,
        code="unfillable",
        table=t.name,
        fix=f"raise the count of {parent!r} to at least {least}",
    )


def _not_modelled(t: Linked, relation: str) -> Problem:
    return Problem(
        f"table {t.name!r}: CHECK ({relation}) is not met by construction "
        "with these FK picks; the database judges each row's candidates against it "
        "(the CHECK oracle)",
        t.location,
        severity="warning",
        code="check-not-modelled",
        table=t.name,
    )


def _ordered(unit: Unit, t: Linked, picks: dict[str, r.Pick], errors: Errors) -> None:
    """CHECK (low < high) / (low <= high) between two FKs to one parent column: one side
    one-to-one and the other random (AbovePick), else both read one code numbering the
    ordered pairs (_pair_code), decoded over the parent's key values in sorted order."""
    for pair in ordered_pairs(t):
        low, high = picks.get(pair.low.id), picks.get(pair.high.id)
        parent = pair.low.fk.ref_table
        if low is None or high is None or parent == t.name:
            continue
        n = unit.count(parent)
        total = pair_count(n, pair.strict)
        if total == 0:
            errors.add(_pair_problem(t, pair.text(), parent, n, 2))
            continue
        column = pair.low.fk.ref_columns[0]
        for anchor, other, mirror in ((low, high, False), (high, low, True)):
            if _above(unit, t, anchor, other, n - pair.strict):
                assert isinstance(anchor, r.UniquePick)
                side = partial(r.AbovePick, anchor.key, n, pair.strict)
                picks[pair.low.id] = side(False, parent, column, mirror)
                picks[pair.high.id] = side(True, parent, column, mirror)
                break
        else:
            _pair_code(unit, t, pair, picks, errors)


def _pair_code(unit: Unit, t: Linked, pair: Pair, picks: dict[str, r.Pick], errors: Errors) -> None:
    """Both sides read one code numbering the ordered pairs: a digit of the distinct tuple
    when (low, high) must be unique, else a uniform draw; else the database judges it."""
    low, high = picks[pair.low.id], picks[pair.high.id]
    parent, n = pair.low.fk.ref_table, unit.count(pair.low.fk.ref_table)
    column, total = pair.low.fk.ref_columns[0], pair_count(n, pair.strict)
    inner: r.Pick
    if _one_pair_code(unit, t, pair.low, low, high):
        inner = low  # numbering.tuple_radices gave low's digit `total` values, high's one
    elif isinstance(low, r.RandomPick) and isinstance(high, r.RandomPick):
        inner = r.RandomPick(low.key, total)
    else:
        errors.warn(_not_modelled(t, pair.text()))
        return
    picks[pair.low.id] = r.OrderedPairPick(inner, n, pair.strict, False, parent, column)
    picks[pair.high.id] = r.OrderedPairPick(inner, n, pair.strict, True, parent, column)


def _above(unit: Unit, t: Linked, low: r.Pick, high: r.Pick, ranks: int) -> bool:
    """Whether one side is one-to-one (each parent once) and the other drawn at random, with
    no more rows than the ranks it may take (n-1 for <): then the other side picks a rank
    above (below) its rank (AbovePick)."""
    return (
        isinstance(low, r.UniquePick)
        and not low.spill_null
        and isinstance(high, r.RandomPick)
        and 0 < unit.count(t.name) <= ranks
    )


def _one_pair_code(unit: Unit, t: Linked, low_link: Link, low: r.Pick, high: r.Pick) -> bool:
    """Whether both FKs of an ordered pair are own digits of one numbering (numbering.py
    pair_in_numbering), so low's digit is the pair code and high's digit is always 0."""
    if not (isinstance(low, r.TuplePick) and isinstance(high, r.TuplePick)):
        return False
    keys = unit.keys[t.name]
    k = numbering_of(keys, low_link.id)
    return k is not None and pair_in_numbering(t, low_link.id, keys.numberings[k]) is not None


def _joint(unit: Unit, t: Linked, picks: dict[str, r.Pick]) -> None:
    """The FK that fills a shared column picks only parents whose value of it also exists
    in the other FKs' parents (a customer of a tenant that has products). A self-reference
    reads its own rows, which have every value of it: no constraint."""
    for link in t.links:
        if link.fk.ref_table == t.name:
            continue
        pairs = [(c, link.fk.ref_columns[link.fk.columns.index(c)]) for c in link.shared]
        if link.within is not None and isinstance(picks.get(link.id), r.WherePick):
            pairs.append(link.within)  # a tenant with no parent rows leaves none to pick
        for shared, other_col in pairs:
            owner = t.fk_columns.get(shared)
            pick = picks.get(owner.id) if owner is not None else None
            if owner is None or not isinstance(pick, (r.RandomPick, r.JointPick)):
                continue
            own_col = owner.fk.ref_columns[owner.fk.columns.index(shared)]
            if isinstance(pick, r.RandomPick):
                pick = r.JointPick(pick.key, owner.fk.ref_table, own_col, pick.n)
            other = (link.fk.ref_table, other_col, unit.count(link.fk.ref_table))
            if other not in pick.others:  # two FKs into one parent table need it once
                picks[owner.id] = replace(pick, others=(*pick.others, other))
