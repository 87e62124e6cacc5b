"""Which tables are seeded: (Spec's tables.include/exclude + flags, DbSchema) -> a Selection.

Every table is seeded or left alone with a reason: excluded by a glob, not matched by an
include glob, a framework's bookkeeping table (spec/frameworks.py) that no include glob
names exactly, or an FK target outside the seeded schemas (not in the DbSchema at all).
Left-alone tables are never written or cleared; their existing rows are FK parents. A glob
that matches no table, and a spec entry for a table left alone, are warnings.
A bookkeeping table known to be empty (`empty`: read from the database) that a seeded table's
NOT NULL FK needs is seeded after all, with a warning: there is no history in it to keep, and
a schema-only database (a fresh dump, no `migrate` run yet) still seeds with no spec.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from seedspec.database.model import DbSchema, DbTable
from seedspec.errors import Problem
from seedspec.spec.frameworks import bookkeeping
from seedspec.spec.model import Spec, TableGlob

_WILDCARDS = set("*?[")


@dataclass(frozen=True)
class Selection:
    left_alone: Mapping[str, str] = field(default_factory=dict)  # table -> why, schema order
    problems: tuple[Problem, ...] = ()

    def seeds(self, table: str) -> bool:
        return table not in self.left_alone


def names_of(table: DbTable, schema: DbSchema) -> set[str]:
    """What a glob is matched against: the table's name, bare name and schema.table."""
    bare = table.bare_name
    owner = table.schema or schema.default_schema
    out = {table.name.lower(), bare.lower()}
    if owner:
        out.add(f"{owner}.{bare}".lower())
    return out


def matches(glob: TableGlob, names: set[str]) -> bool:
    # fnmatch reads the spec's glob against table names (not SQL; tests/unit/test_no_sql_regex.py)
    pattern = glob.pattern.lower()
    return any(fnmatchcase(n, pattern) for n in names)


def exact(glob: TableGlob, names: set[str]) -> bool:
    """The glob names the table itself (no wildcard): it re-includes a bookkeeping table."""
    return not (_WILDCARDS & set(glob.pattern)) and glob.pattern.lower() in names


def select_tables(spec: Spec, schema: DbSchema, empty: Collection[str] = ()) -> Selection:
    include, exclude = spec.select.include, spec.select.exclude
    used: set[TableGlob] = set()
    left: dict[str, str] = {}
    bookkept: set[str] = set()  # left alone only as a framework's bookkeeping table
    for table in schema.tables:
        names = names_of(table, schema)
        hit_ex = [g for g in exclude if matches(g, names)]
        hit_in = [g for g in include if matches(g, names)]
        used.update(hit_ex + hit_in)
        why = _why_left(table, names, hit_ex, hit_in, bool(include))
        if why is not None:
            left[table.name] = why
            if not hit_ex and (hit_in or not include):
                bookkept.add(table.name)
    left.update(outside_parents(schema))
    left.update(picked_only(spec, schema, left))
    problems = _seed_empty_needed(schema, left, bookkept & set(empty))
    problems += [_unmatched(g, "exclude") for g in exclude if g not in used]
    problems += [_unmatched(g, "include") for g in include if g not in used]
    for ts in spec.tables:
        if ts.name in left and (ts.count is None or ts.count.per or ts.count.fixed):
            problems.append(
                Problem(
                    f"table {ts.name!r} has an entry but is left alone ({left[ts.name]}); "
                    "its entry is not used",
                    ts.location,
                    "warning",
                    "left-alone",
                    ts.name,
                    fix=f"add {ts.name} to tables.include (or --include {ts.name}) to seed it",
                )
            )
    return Selection(left, tuple(problems))


def outside_parents(schema: DbSchema) -> dict[str, str]:
    """FK targets the schema does not hold (`auth.users` while only `public` was reflected; a
    table of another MariaDB database) -> why they are left alone: their rows already there
    are the parents, and `--schema` naming their schema too would seed them."""
    seeded = dict.fromkeys(t.schema or schema.default_schema or "" for t in schema.tables)
    out: dict[str, str] = {}
    for table in schema.tables:
        for fk in table.foreign_keys:
            if schema.table(fk.ref_table) is None and fk.ref_table not in out:
                owner = fk.ref_table.rsplit(".", 1)[0] if "." in fk.ref_table else ""
                names = ",".join(n for n in dict.fromkeys([*seeded, owner]) if n)
                out[fk.ref_table] = (
                    f"outside the seeded schemas; --schema {names} would seed it too"
                )
    return out


def picked_only(spec: Spec, schema: DbSchema, left: Mapping[str, str]) -> dict[str, str]:
    """Tables an `existing:` column picks from that the spec does not list under `tables:`:
    left alone, so the rows already there are what it picks (and what FKs to them pick)."""
    out: dict[str, str] = {}
    for ts in spec.tables:
        for cs in ts.columns:
            if cs.generator.kind != "existing":
                continue
            table = schema.table(str(cs.generator.params.get("table")))
            if table is None or table.name in left or spec.table(table.name) is not None:
                continue
            out.setdefault(table.name, f"its existing rows are picked by {ts.name}.{cs.name}")
    return out


def _why_left(
    table: DbTable,
    names: set[str],
    hit_ex: list[TableGlob],
    hit_in: list[TableGlob],
    has_include: bool,
) -> str | None:
    if hit_ex:
        g = hit_ex[0]
        return f"excluded by {g.pattern!r} ({_origin(g, 'exclude')})"
    if has_include and not hit_in:
        return "not matched by tables.include / --include"
    framework = bookkeeping(table.bare_name)
    if framework is not None and not any(exact(g, names) for g in hit_in):
        return f"{framework.framework} bookkeeping: {framework.what}"
    return None


def _seed_empty_needed(
    schema: DbSchema, left: dict[str, str], candidates: set[str]
) -> list[Problem]:
    """Seed (drop from `left`) each empty bookkeeping table a NOT NULL FK of a seeded table
    needs, until none is left to seed (auth_permission needs django_content_type in turn)."""
    out = []
    changed = True
    while changed:
        changed = False
        for table in schema.tables:
            if table.name in left:
                continue
            for fk in table.foreign_keys:
                cols = [table.column(c) for c in fk.columns]
                needed = all(c is not None and not c.nullable for c in cols)
                if needed and fk.ref_table in candidates and fk.ref_table in left:
                    why = left.pop(fk.ref_table)
                    changed = True
                    out.append(
                        Problem(
                            f"table {fk.ref_table!r} ({why}) is empty and "
                            f"{table.name}.{'+'.join(fk.columns)} needs its rows: seeded",
                            None,
                            "warning",
                            "bookkeeping-seeded",
                            fk.ref_table,
                            fix=f"run the framework's migrate first to keep {fk.ref_table} its own",
                        )
                    )
    return out


def _origin(glob: TableGlob, key: str) -> str:
    return f"tables.{key} at {glob.location}" if glob.location else f"--{key}"


def _unmatched(glob: TableGlob, key: str) -> Problem:
    where = "" if glob.location else f"--{key} "
    return Problem(
        f"{where}{key} glob {glob.pattern!r} matches no table",
        glob.location,
        "warning",
        "unmatched-glob",
        fix="check the spelling; globs match a table's name or schema.table (* ? [abc])",
    )
