"""PostgreSQL catalog queries: a connection + schema names -> Catalog facts.

Kept tables, catalog type spellings, FK targets, partitions and their FKs, triggers, EXCLUDE
constraints, domain CHECKs, user schemas. Every fact is asked of the catalog in its structured
form (pg_trigger.tgtype, pg_constraint.conexclop with pg_index.indkey, pg_get_expr of a node
tree): no constraint or trigger definition text is taken apart here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seedspec.database.catalog import Catalog, TableKey
from seedspec.database.model import DbExclusion, DbTrigger, DbUnique
from seedspec.database.reflect_types import DomainChecks
from seedspec.database.triggers import pg_trigger_type, plpgsql_writes
from seedspec.deferred import deferred

if TYPE_CHECKING:
    import sqlalchemy as sa
else:
    sa = deferred("sqlalchemy")

_TABLES = """
SELECT n.nspname, c.relname, c.relkind, {ispartition}, a.attname,
       pg_catalog.format_type(a.atttypid, a.atttypmod),
       (SELECT CASE WHEN b.oid = 'pg_catalog.char'::regtype THEN '"char"' ELSE b.typname::text END
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0
                                                  THEN t.typelem ELSE t.oid END
        WHERE t.oid = a.atttypid) AS base_type,
       (SELECT pg_catalog.format_type(r.rngsubtype, NULL)
               || CASE WHEN r.rngtypid = a.atttypid THEN '' ELSE ' multirange' END
        FROM pg_catalog.pg_range r
        WHERE r.rngtypid = a.atttypid {multirange}) AS range_subtype,
       EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
               WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                 AND d.deptype = 'e') AS extension_member
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a
  ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname = ANY(:schemas)
"""
_FKS = """
SELECT n.nspname, c.relname, con.conname, rn.nspname, rc.relname
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND {toplevel} AND n.nspname = ANY(:schemas)
"""
_PARTITIONS = """
SELECT n.nspname, c.relname, pg_catalog.pg_get_partkeydef(c.oid),
       pg_catalog.pg_get_expr(p.relpartbound, p.oid), pn.nspname, p.relname
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON i.inhparent = c.oid
LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
WHERE c.relkind = 'p' AND n.nspname = ANY(:schemas)
ORDER BY 1, 2, 4
"""
_PARTITION_FKS = """
SELECT pn.nspname, pc.relname, con.conname,
  ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
        ORDER BY k.o),
  rn.nspname, rc.relname,
  ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n
        ORDER BY k.o),
  con.condeferrable, con.condeferred
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid AND c.relispartition
JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND con.conparentid = 0 AND pn.nspname = ANY(:schemas)
ORDER BY 1, 2, 3
"""
_PARTITION_UNIQUES = """
SELECT n.nspname, c.relname, ic.relname,
  ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
        WHERE k.o <= {keys} ORDER BY k.o),
  pg_catalog.pg_get_expr(ix.indpred, ix.indrelid), ix.indexprs IS NOT NULL
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid AND c.relispartition
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid
WHERE ix.indisunique AND n.nspname = ANY(:schemas)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = ix.indexrelid)
ORDER BY 1, 2, 3
"""
_TRIGGERS = """
SELECT n.nspname, c.relname, t.tgname, t.tgtype, p.prosrc,
       l.lanname
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE NOT t.tgisinternal AND n.nspname = ANY(:schemas)
ORDER BY 1, 2, 3
"""
# one row per EXCLUDE constraint: its elements (a column's own name, else the index expression as
# PostgreSQL prints it), their operators, and the index predicate (None: not partial)
_EXCLUSIONS = """
SELECT n.nspname, c.relname, con.conname,
  ARRAY(SELECT COALESCE(a.attname::text, pg_catalog.pg_get_indexdef(con.conindid, k.n::int, true))
        FROM unnest(con.conexclop) WITH ORDINALITY k(op, n)
        LEFT JOIN pg_catalog.pg_attribute a
          ON a.attrelid = con.conrelid AND a.attnum = i.indkey[(k.n - 1)::int]
        ORDER BY k.n),
  ARRAY(SELECT o.oprname::text FROM unnest(con.conexclop) WITH ORDINALITY k(op, n)
        JOIN pg_catalog.pg_operator o ON o.oid = k.op ORDER BY k.n),
  pg_catalog.pg_get_expr(i.indpred, i.indrelid)
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_index i ON i.indexrelid = con.conindid
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'x' AND n.nspname = ANY(:schemas)
ORDER BY 1, 2, 3
"""
_DOMAIN_CHECKS = sa.text(
    "SELECT n.nspname, t.typname, pg_catalog.pg_type_is_visible(t.oid), con.conname,"
    " pg_catalog.pg_get_expr(con.conbin, 0, true)"  # the CHECK's expression, VALUE for the value
    " FROM pg_catalog.pg_constraint con"
    " JOIN pg_catalog.pg_type t ON t.oid = con.contypid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
    " WHERE con.contype = 'c' ORDER BY con.conname"
)
_USER_SCHEMAS = sa.text(
    "SELECT nspname FROM pg_catalog.pg_namespace WHERE left(nspname, 3) <> 'pg_' "
    "AND nspname <> 'information_schema' ORDER BY nspname"
)


def read_catalog(conn: sa.Connection, schemas: list[str]) -> Catalog:
    version = conn.dialect.server_version_info or (0,)
    params = {"schemas": schemas}
    cat = Catalog(fk_refs={})
    _tables(conn, params, tuple(v for v in version if isinstance(v, int)), cat)
    if version >= (10,):
        for nsp, rel, key, bound, part_nsp, part in conn.execute(sa.text(_PARTITIONS), params):
            entry = cat.partitions.setdefault((nsp, rel), (str(key), []))
            if bound is not None:
                entry[1].append(str(bound))
                cat.partition_of[(part_nsp, part)] = ((nsp, rel), str(bound))
    if version >= (11,):
        _partition_fks(conn, params, cat)
    if version >= (10,):  # unique indexes of one partition only (not attached to a parent's)
        keys = "ix.indnkeyatts" if version >= (11,) else "ix.indnatts"
        found = conn.execute(sa.text(_PARTITION_UNIQUES.format(keys=keys)), params)
        for nsp, rel, name, cols, predicate, expressions in found:
            if not expressions and cols:
                unique = DbUnique(str(name), tuple(cols), "index", predicate)
                cat.partition_uniques.setdefault((nsp, rel), []).append(unique)
    toplevel = "con.conparentid = 0" if version >= (11,) else "true"
    assert cat.fk_refs is not None
    for nsp, rel, con, ref_nsp, ref_rel in conn.execute(
        sa.text(_FKS.format(toplevel=toplevel)), params
    ):
        cat.fk_refs[(nsp, rel, con)] = (ref_nsp, ref_rel)
    cat.triggers = _triggers(conn, params)
    cat.exclusions = _exclusions(conn, params)
    return cat


def _tables(
    conn: sa.Connection, params: dict[str, list[str]], version: tuple[int, ...], cat: Catalog
) -> None:
    """Catalog type spellings (and the subtype of each range / multirange column); which tables
    to keep where partitions, foreign tables or extension members (pg_depend deptype 'e') exist."""
    ispart = "c.relispartition" if version >= (10,) else "false"
    multi = "OR r.rngmultitypid = a.atttypid" if version >= (14,) else ""
    excluded: set[str] = set()
    for nsp, rel, kind, is_part, att, typ, base, subtype, extension_member in conn.execute(
        sa.text(_TABLES.format(ispartition=ispart, multirange=multi)), params
    ):
        if kind == "f" or is_part or extension_member:  # PostGIS spatial_ref_sys: not ours
            excluded.add(nsp)
            continue
        cat.keep_tables.setdefault(nsp, set()).add(rel)
        if att is not None:
            cat.sql_types[(nsp, rel, att)] = typ
            cat.base_types[(nsp, rel, att)] = base
            if subtype is not None:
                cat.range_subtypes[(nsp, rel, att)] = str(subtype)
    cat.keep_tables = {s: t for s, t in cat.keep_tables.items() if s in excluded}
    for s in excluded - set(cat.keep_tables):
        cat.keep_tables[s] = set()


def _partition_fks(conn: sa.Connection, params: dict[str, list[str]], cat: Catalog) -> None:
    for nsp, rel, con, cols, rnsp, rrel, rcols, deferrable, initially_deferred in conn.execute(
        sa.text(_PARTITION_FKS), params
    ):
        cat.partition_fks.setdefault((nsp, rel), []).append(
            {
                "name": con,
                "columns": tuple(cols),
                "ref": (rnsp, rrel),
                "ref_columns": tuple(rcols),
                "deferrable": bool(deferrable),
                "deferred": bool(initially_deferred),
            }
        )


def _triggers(conn: sa.Connection, params: dict[str, list[str]]) -> dict[TableKey, list[DbTrigger]]:
    out: dict[TableKey, list[DbTrigger]] = {}
    for nsp, rel, name, tgtype, source, language in conn.execute(sa.text(_TRIGGERS), params):
        timing, events = pg_trigger_type(int(tgtype))
        body = plpgsql_writes(source or "", str(language))
        out.setdefault((nsp, rel), []).append(
            DbTrigger(name, timing, events, body.inserts, body.sets)
        )
    return out


def _exclusions(
    conn: sa.Connection, params: dict[str, list[str]]
) -> dict[TableKey, list[DbExclusion]]:
    out: dict[TableKey, list[DbExclusion]] = {}
    for nsp, rel, name, elements, operators, predicate in conn.execute(
        sa.text(_EXCLUSIONS), params
    ):
        pairs = tuple(zip(map(str, elements), map(str, operators), strict=True))
        out.setdefault((nsp, rel), []).append(DbExclusion(name, pairs, predicate))
    return out


def domain_checks(conn: sa.Connection) -> DomainChecks:
    """(schema, or None when visible; domain) -> [(constraint name, CHECK body)]."""
    out: DomainChecks = {}
    for schema, name, visible, conname, definition in conn.execute(_DOMAIN_CHECKS):
        entry = (str(conname), str(definition))
        out.setdefault((str(schema), str(name)), []).append(entry)
        if visible:
            out.setdefault((None, str(name)), []).append(entry)
    return out


def user_schemas(conn: sa.Connection) -> list[str]:
    return [r[0] for r in conn.execute(_USER_SCHEMAS)]
