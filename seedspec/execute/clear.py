"""--reset (old name --truncate): the seeded tables + the plan + the schema -> those tables and
every unseeded table that references them (transitively) emptied, children first, inside the
apply's transaction; tables the plan leaves alone are never cleared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seedspec.database.model import DbSchema, DbTable
from seedspec.deferred import deferred
from seedspec.dialects.base import Dialect
from seedspec.errors import AlreadySeeded, ApplyError
from seedspec.plan.model import Plan

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")


def clear_for_apply(
    conn: sa.Connection,
    dialect: Dialect,
    plan: Plan,
    schema: DbSchema,
    tables: list[DbTable],
    truncate: bool,
) -> tuple[list[str], list[str]]:
    """(seeded tables whose rows were replaced, unseeded referencing tables emptied with them);
    without --reset a seeded table that holds rows is refused."""
    busy = dialect.nonempty_tables(conn, tables)
    if busy and not truncate:
        raise AlreadySeeded(
            f"tables already hold rows: {', '.join(busy)}; seedspec fills empty tables "
            "(pass --reset to replace their rows inside the same transaction)"
        )
    if not busy:
        return [], []
    left = {a.table: a.reason for a in plan.left_alone}
    along, kept = referencing(schema, tables, set(left))
    held = dialect.nonempty_tables(conn, kept) if kept else []
    if held:
        name = held[0]
        cleared = {t.name for t in tables + along}
        refs = sorted({fk.ref_table for fk in _table(schema, name).foreign_keys} & cleared)
        raise ApplyError(
            f"--reset would empty {', '.join(refs)}, which rows of {name} reference; "
            f"{name} is left alone ({left[name]}) and --reset never clears it. Delete those "
            f"rows first, or seed it too (--include {name})"
        )
    # a row of an unseeded table that points at a replaced row would dangle (or block the
    # TRUNCATE): it goes too, in the same transaction, and the report names the table
    emptied = dialect.nonempty_tables(conn, along) if along else []
    dialect.clear(conn, _children_first(along + tables), referenced=bool(kept))
    return busy, emptied


def referencing(
    schema: DbSchema, tables: list[DbTable], left_alone: set[str] | None = None
) -> tuple[list[DbTable], list[DbTable]]:
    """(cleared with them, kept): every table outside `tables` with a FK to one of them or to
    such a table (PostgreSQL refuses to TRUNCATE a table another references, even an empty
    one); a table in `left_alone` is kept, never cleared, and what references it is not
    followed."""
    keep = left_alone or set()
    cleared = {t.name for t in tables}
    along: list[DbTable] = []
    kept: list[DbTable] = []
    grew = True
    while grew:
        grew = False
        for t in schema.tables:
            if t.name in cleared or t in kept:
                continue
            if any(fk.ref_table in cleared for fk in t.foreign_keys):
                if t.name in keep:
                    kept.append(t)
                    continue
                cleared.add(t.name)
                along.append(t)
                grew = True
    return along, kept


def _table(schema: DbSchema, name: str) -> DbTable:
    t = schema.table(name)
    assert t is not None
    return t


def _children_first(tables: list[DbTable]) -> list[DbTable]:
    """A child before each of its parents (DELETE order where FKs are checked at once); a cycle
    is cut anywhere: the dialects clear with FK checks deferred or off, or in one TRUNCATE."""
    out: list[DbTable] = []
    seen: set[str] = set()

    def visit(t: DbTable) -> None:  # parents after children: post-order over "referenced by"
        if t.name in seen:
            return
        seen.add(t.name)
        for child in tables:
            if child.name != t.name and any(fk.ref_table == t.name for fk in child.foreign_keys):
                visit(child)
        out.append(t)

    for t in tables:
        visit(t)
    return out
