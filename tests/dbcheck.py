"""Constraint auditing by query, for tests: a database URL -> the violations found in it.

Everything is discovered through SQLAlchemy's inspector, so it works on any schema.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from seedspec.database.ledgers import DEFAULT_LEDGER


def _q(engine: sa.Engine, name: str) -> str:
    return engine.dialect.identifier_preparer.quote(name)


def _qt(engine: sa.Engine, table: str, schema: str | None) -> str:
    return f"{_q(engine, schema)}.{_q(engine, table)}" if schema else _q(engine, table)


def tables(engine: sa.Engine, schema: str | None = None) -> list[str]:
    insp = sa.inspect(engine)
    names = [n for n in insp.get_table_names(schema=schema) if n != DEFAULT_LEDGER]
    if engine.dialect.name == "postgresql":  # partitions are filled through their parent
        with engine.connect() as conn:
            parts = {
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relispartition AND n.nspname = current_schema()"
                )
            }
        names = [n for n in names if n not in parts]
    return sorted(names)


def counts(url: str, schema: str | None = None) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.exec_driver_sql(
                    f"SELECT count(*) FROM {_qt(engine, t, schema)}"
                ).scalar_one()
                for t in tables(engine, schema)
            }
    finally:
        engine.dispose()


def violations(url: str, schema: str | None = None) -> list[str]:
    """FKs by anti-join, PK/UNIQUE by GROUP BY, NOT NULL by count: 'what: n rows' lines."""
    engine = sa.create_engine(url)
    out: list[str] = []
    try:
        insp = sa.inspect(engine)
        with engine.connect() as conn:
            for t in tables(engine, schema):
                qt = _qt(engine, t, schema)
                for fk in insp.get_foreign_keys(t, schema=schema):
                    parent = _qt(engine, fk["referred_table"], fk.get("referred_schema") or schema)
                    on = " AND ".join(
                        f"p.{_q(engine, pc)} = c.{_q(engine, cc)}"
                        for cc, pc in zip(
                            fk["constrained_columns"], fk["referred_columns"], strict=True
                        )
                    )
                    nn = " AND ".join(
                        f"c.{_q(engine, c)} IS NOT NULL" for c in fk["constrained_columns"]
                    )
                    n = conn.exec_driver_sql(
                        f"SELECT count(*) FROM {qt} c WHERE {nn} AND NOT EXISTS "
                        f"(SELECT 1 FROM {parent} p WHERE {on})"
                    ).scalar_one()
                    if n:
                        out.append(f"{t}: FK {fk['constrained_columns']}: {n} orphan rows")
                keys = [insp.get_pk_constraint(t, schema=schema)["constrained_columns"]]
                keys += [u["column_names"] for u in insp.get_unique_constraints(t, schema=schema)]
                keys += [
                    i["column_names"]
                    for i in insp.get_indexes(t, schema=schema)
                    if i["unique"]
                    and all(i["column_names"])
                    and not (i.get("dialect_options") or {}).get("postgresql_where")
                ]
                for cols in keys:
                    if not cols:
                        continue
                    qc = ", ".join(_q(engine, c) for c in cols)
                    nn = " AND ".join(f"{_q(engine, c)} IS NOT NULL" for c in cols)
                    n = conn.exec_driver_sql(
                        f"SELECT count(*) FROM (SELECT {qc} FROM {qt} WHERE {nn} GROUP BY {qc} "
                        "HAVING count(*) > 1) d"
                    ).scalar_one()
                    if n:
                        out.append(f"{t}: UNIQUE {cols}: {n} duplicated values")
                for col in insp.get_columns(t, schema=schema):
                    if col["nullable"]:
                        continue
                    n = conn.exec_driver_sql(
                        f"SELECT count(*) FROM {qt} WHERE {_q(engine, col['name'])} IS NULL"
                    ).scalar_one()
                    if n:
                        out.append(f"{t}.{col['name']}: NOT NULL: {n} NULLs")
    finally:
        engine.dispose()
    return out


def table_digest(url: str, table: str, order_by: str | None = None) -> str:
    """A hash of a table's full contents, in key order (for determinism checks)."""
    engine = sa.create_engine(url)
    try:
        insp = sa.inspect(engine)
        cols = [c["name"] for c in insp.get_columns(table)]
        key = order_by or ", ".join(insp.get_pk_constraint(table)["constrained_columns"] or cols)
        h = hashlib.sha256()
        with engine.connect() as conn:
            for row in conn.exec_driver_sql(f"SELECT * FROM {_q(engine, table)} ORDER BY {key}"):
                h.update(repr(tuple(row)).encode())
        return h.hexdigest()
    finally:
        engine.dispose()


def column_values(url: str, table: str, column: str, key: str) -> list[object]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            sql = f"SELECT {_q(engine, column)} FROM {_q(engine, table)} ORDER BY {key}"
            return [r[0] for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()
