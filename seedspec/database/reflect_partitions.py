"""Partitions seen from their root (PostgreSQL): catalog facts + reflected tables -> an FK to
one partition's root and bound, and the uniques of single partitions the root must keep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from seedspec.database.catalog import Catalog, TableKey
from seedspec.database.model import DbTable, DbUnique


def partition_target(catalog: Catalog, ref: TableKey) -> tuple[str, str, str | None]:
    """An FK to one partition references its partitioned root: (schema, root, the bound of the
    root's partition that holds it); any other target as it is, with no bound."""
    bound = None
    while ref in catalog.partition_of:  # a sub-partition: the top-level partition's bound
        ref, bound = catalog.partition_of[ref]
    return ref[0], ref[1], bound


def partition_uniques(
    tables: list[DbTable], catalog: Catalog, name_of: Callable[[str, str], str]
) -> list[DbTable]:
    """Uniques of one partition only, and the columns an FK to one partition references
    (unique there: PostgreSQL demands it): seedspec keeps them unique over the whole root,
    which holds in every partition. `name_of(schema, table)` is a table's DbTable name."""
    wanted: dict[str, list[DbUnique]] = {}
    for (schema, partition), found in catalog.partition_uniques.items():
        root_schema, root, _ = partition_target(catalog, (schema, partition))
        wanted.setdefault(name_of(root_schema, root), []).extend(found)
    for t in tables:
        for fk in t.foreign_keys:
            if fk.ref_partition is not None:
                name = f"{fk.ref_table.rsplit('.', 1)[-1]}_partition_{'_'.join(fk.ref_columns)}"
                wanted.setdefault(fk.ref_table, []).append(DbUnique(name, fk.ref_columns, "index"))
    out = []
    for t in tables:
        have = {(frozenset(u.columns), u.predicate) for u in t.uniques}
        have.add((frozenset(t.primary_key), None))
        extra = []
        for unique in wanted.get(t.name, []):
            if (frozenset(unique.columns), unique.predicate) not in have and all(
                t.column(c) is not None for c in unique.columns
            ):
                have.add((frozenset(unique.columns), unique.predicate))
                extra.append(unique)
        out.append(replace(t, uniques=(*t.uniques, *extra)) if extra else t)
    return out
