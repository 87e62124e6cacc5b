"""FKs that reference one partition (PostgreSQL): catalog facts + reflected tables -> the FK's
partitioned root and the partition's bound, and the uniques the root must keep for it."""

from __future__ import annotations

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


def partition_uniques(tables: list[DbTable]) -> list[DbTable]:
    """The columns an FK to one partition references are unique there (PostgreSQL demands
    it); seedspec keeps them unique over the whole parent, which holds in every partition."""
    wanted: dict[str, list[tuple[str, ...]]] = {}
    for t in tables:
        for fk in t.foreign_keys:
            if fk.ref_partition is not None:
                wanted.setdefault(fk.ref_table, []).append(fk.ref_columns)
    out = []
    for t in tables:
        have = {frozenset(u.columns) for u in t.uniques if u.predicate is None}
        have.add(frozenset(t.primary_key))
        extra = []
        for cols in wanted.get(t.name, []):
            if frozenset(cols) not in have:
                have.add(frozenset(cols))
                extra.append(DbUnique(f"{t.bare_name}_partition_{'_'.join(cols)}", cols, "index"))
        out.append(replace(t, uniques=(*t.uniques, *extra)) if extra else t)
    return out
