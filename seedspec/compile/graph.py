"""FK graph ordering: tables + FK edges -> insert order, with cycles broken at the cheapest edges.

Edge modes when a cycle must be broken:
  deferred  the FK is checked at commit (PostgreSQL DEFERRABLE, SQLite defer_foreign_keys)
  update    insert NULL, fill the column by UPDATE once both tables are loaded
  suspend   load with FK checks off (MySQL/MariaDB FOREIGN_KEY_CHECKS=0), then verify by query
Which modes a database allows comes from its Capabilities, never its name.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

from seedspec.database.model import DbForeignKey
from seedspec.dialects.capabilities import Capabilities


@dataclass(frozen=True)
class Edge:
    child: str
    parent: str
    fk: DbForeignKey
    nullable: bool  # every FK column nullable
    per_parent: bool = False  # the child's row layout is grouped by this parent


@dataclass(frozen=True)
class BrokenEdge:
    edge: Edge
    mode: str  # "deferred" | "update" | "suspend"


@dataclass(frozen=True)
class Ordering:
    order: tuple[str, ...]
    broken: tuple[BrokenEdge, ...]
    unbreakable: tuple[tuple[str, ...], ...]  # cycles that no allowed mode can break


def edge_mode(edge: Edge, caps: Capabilities) -> tuple[float, str] | None:
    """(cost, mode) to break this edge, or None when this database cannot break it."""
    bump = 0.5 if edge.per_parent else 0.0
    if caps.defers_all_to_commit:
        return 0.0 + bump, "deferred"
    if caps.deferrable_fks and edge.fk.deferrable:
        return 0.0 + bump, "deferred"
    if edge.nullable:
        return 1.0 + bump, "update"
    if caps.can_suspend_fk_checks:
        return 100.0 + bump, "suspend"
    return None


def strongly_connected(nodes: list[str], edges: list[Edge]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components in a deterministic order."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for e in edges:
        succ[e.child].append(e.parent)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(succ[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(succ[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(sorted(comp))
    return out


def _is_acyclic(nodes: list[str], edges: list[Edge]) -> bool:
    return all(len(c) == 1 for c in strongly_connected(nodes, edges))


def _break_component(
    comp: list[str], edges: list[Edge], caps: Capabilities
) -> tuple[list[BrokenEdge], list[str] | None]:
    """Choose edges to break inside one cyclic component; returns (broken, unbreakable cycle)."""
    broken: list[BrokenEdge] = []
    remaining = []
    for e in edges:  # free breaks (deferred checks) first: they cost nothing at load time
        mode = edge_mode(e, caps)
        if mode is not None and mode[0] < 1.0 and not e.per_parent:
            broken.append(BrokenEdge(e, mode[1]))
        else:
            remaining.append(e)
    if _is_acyclic(comp, remaining):
        return broken, None
    candidates = [e for e in remaining if edge_mode(e, caps) is not None]
    cost = {id(e): edge_mode(e, caps)[0] for e in candidates}  # type: ignore[index]
    if len(candidates) <= 14:
        best = _exhaustive(comp, remaining, candidates, cost)
    else:
        best = _greedy(comp, remaining, candidates, cost)
    if best is None:
        return broken, _a_cycle(comp, remaining)
    for e in best:
        broken.append(BrokenEdge(e, edge_mode(e, caps)[1]))  # type: ignore[index]
    return broken, None


def _exhaustive(
    comp: list[str], remaining: list[Edge], candidates: list[Edge], cost: dict[int, float]
) -> list[Edge] | None:
    """The cheapest among the smallest edge sets whose removal leaves the component acyclic."""
    options = []
    for size in range(1, len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            rest = [e for e in remaining if all(e is not s for s in subset)]
            if _is_acyclic(comp, rest):
                options.append((sum(cost[id(e)] for e in subset), subset))
        if options:
            return list(min(options, key=lambda o: o[0])[1])
    return None


def _greedy(
    comp: list[str], remaining: list[Edge], candidates: list[Edge], cost: dict[int, float]
) -> list[Edge] | None:
    """Cut the cheapest edges until acyclic, then put back every cut the order does not need."""
    chosen: list[Edge] = []
    rest = list(remaining)
    for e in sorted(candidates, key=lambda e: (cost[id(e)], e.child, e.parent)):
        if _is_acyclic(comp, rest):
            break
        chosen.append(e)
        rest = [x for x in rest if x is not e]
    if not _is_acyclic(comp, rest):
        return None
    for e in sorted(chosen, key=lambda e: -cost[id(e)]):  # dearest first
        if _is_acyclic(comp, [*rest, e]):
            chosen.remove(e)
            rest.append(e)
    return chosen


def _a_cycle(comp: list[str], edges: list[Edge]) -> list[str]:
    for c in strongly_connected(comp, edges):
        if len(c) > 1:
            return c
    return comp


def order_tables(tables: list[str], edges: list[Edge], caps: Capabilities) -> Ordering:
    """Parents before children; cycles broken; deterministic (ties by name)."""
    tables = sorted(tables)
    cross = [e for e in edges if e.child != e.parent]
    broken: list[BrokenEdge] = []
    unbreakable: list[tuple[str, ...]] = []
    for comp in strongly_connected(tables, cross):
        if len(comp) < 2:
            continue
        members = set(comp)
        inside = [e for e in cross if e.child in members and e.parent in members]
        chosen, cycle = _break_component(comp, inside, caps)
        broken.extend(chosen)
        if cycle is not None:
            unbreakable.append(tuple(cycle))
    cut = {id(b.edge) for b in broken}
    kept = [e for e in cross if id(e) not in cut]
    return Ordering(_topological(tables, kept), tuple(broken), tuple(unbreakable))


def _topological(tables: list[str], edges: list[Edge]) -> tuple[str, ...]:
    parents: dict[str, set[str]] = {t: set() for t in tables}
    children: dict[str, set[str]] = {t: set() for t in tables}
    for e in edges:
        parents[e.child].add(e.parent)
        children[e.parent].add(e.child)
    ready = sorted(t for t in tables if not parents[t])
    order: list[str] = []
    heapq.heapify(ready)
    while ready:
        t = heapq.heappop(ready)
        order.append(t)
        for c in children[t]:
            parents[c].discard(t)
            if not parents[c]:
                heapq.heappush(ready, c)
    leftover = [t for t in tables if t not in order]  # only if a cycle stayed unbroken
    return tuple(order + leftover)
