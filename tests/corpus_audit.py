"""Audit a seeded database by query: a URL -> everything that is empty or broken in it.

`audit(url, schemas)` reads the constraints from the server's own catalog (PostgreSQL:
pg_constraint / pg_index / pg_get_constraintdef / pg_get_indexdef; MariaDB / MySQL:
information_schema) and re-checks each one against the rows with plain SQL:

- every table that can hold rows has rows (tables that cannot, e.g. a partitioned table with no
  partitions, are listed apart with the reason; empty ones get a reason when one is visible:
  written only by a trigger, left out of seedspec's report ...);
- foreign keys by anti-join (the method of dbcheck.violations, read from the catalog so that
  partition-local FKs and MATCH FULL are covered and 1,000-table schemas stay fast);
- PRIMARY KEY / UNIQUE constraints and unique indexes by GROUP BY, partial unique indexes under
  their predicate, expression unique indexes (lower(name) ...) on the expression itself,
  NULLS NOT DISTINCT honoured, MariaDB prefix keys on the prefix;
- NOT NULL columns (and NOT NULL domains) by count;
- every CHECK constraint (table and domain CHECKs on PostgreSQL, information_schema.
  CHECK_CONSTRAINTS on MariaDB) as `count(*) WHERE NOT (expr)` (NULL passes, as in SQL);
- exclusion constraints (PostgreSQL) by a self-join with the constraint's own operators;
- the application's next INSERT: every serial / identity / AUTO_INCREMENT key's sequence hands
  out a value past the seeded keys (pg_sequences; information_schema.TABLES.AUTO_INCREMENT).

Several schemas are supported (PostgreSQL schemas or MySQL databases); tables outside the
connection's default schema are named `schema.table`, as seedspec's report names them.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from conftest import CORPUS  # noqa: E402  (one place decides where shared/ is)

from seedspec.database.ledgers import DEFAULT_LEDGER

# corpus name -> the database it runs on ("postgresql" or "mysql", which is MariaDB here)
CORPUS_DATABASES = {
    "chinook": "postgresql",
    "northwind": "postgresql",
    "pagila": "postgresql",
    "adventureworks": "postgresql",
    "netbox": "postgresql",
    "employees": "mysql",
    "sakila": "mysql",
}


@dataclass
class AuditResult:
    dialect: str
    schemas: list[str]
    rows: dict[str, int] = field(default_factory=dict)  # every table that can hold rows
    empty: dict[str, str] = field(default_factory=dict)  # table -> why (best known)
    unfillable: dict[str, str] = field(default_factory=dict)  # cannot hold rows, and why
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # checked partly / could not evaluate
    unlinked: list[str] = field(default_factory=list)  # FKs that are NULL on every row
    checked: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.empty and not self.violations

    @property
    def filled(self) -> int:
        return sum(1 for n in self.rows.values() if n > 0)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def summary(self, limit: int = 40) -> str:
        lines = [
            f"{self.dialect} {','.join(self.schemas)}: {len(self.rows)} tables, "
            f"{self.filled} filled, {self.total_rows} rows; checked "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.checked.items()))
        ]
        lines += [f"EMPTY {t}: {why}" for t, why in sorted(self.empty.items())][:limit]
        lines += [f"VIOLATION {v}" for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"... {len(self.violations) - limit} more violations")
        if self.unlinked:
            lines.append(
                f"{len(self.unlinked)} FKs NULL on every row: " + ", ".join(self.unlinked[:limit])
            )
        lines += [f"cannot hold rows {t}: {why}" for t, why in sorted(self.unfillable.items())]
        lines += [f"note {n}" for n in self.notes[:limit]]
        return "\n".join(lines)


def user_schemas(url: str) -> list[str]:
    """The non-system schemas (PostgreSQL) / databases (MySQL) that hold at least one table."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                sql = (
                    "SELECT DISTINCT n.nspname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                    "AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' "
                    "ORDER BY 1"
                )
            else:  # a MySQL "schema" is a database: only the one the URL names, not the server's
                sql = (
                    "SELECT DISTINCT table_schema FROM information_schema.tables "
                    "WHERE table_type = 'BASE TABLE' AND table_schema = DATABASE() ORDER BY 1"
                )
            return [r[0] for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def audit(
    url: str,
    schemas: Sequence[str] | None = None,
    report: dict[str, Any] | None = None,
) -> AuditResult:
    """Audit the rows of `schemas` (default: the connection's schema) against every constraint.

    `report` is seedspec's `apply -o json` document (optional): it explains empty tables that
    seedspec left out or planned with 0 rows.
    """
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                auditor: _Auditor = _PgAuditor(conn, schemas)
            elif engine.dialect.name in ("mysql", "mariadb"):
                auditor = _MyAuditor(conn, schemas)
            else:
                raise ValueError(f"audit: {engine.dialect.name} is not supported")
            result = auditor.run()
            _explain_empty(result, report)
    finally:
        engine.dispose()
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- shared machinery


@dataclass
class _Table:
    schema: str
    name: str
    label: str  # what the result calls it: name, or schema.name outside the default schema
    sql: str  # quoted, schema-qualified
    can_hold_rows: bool = True
    why_not: str = ""
    oid: int = 0


def _strip_literals(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def _replace_outside_literals(sql: str, pattern: str, repl: str) -> str:
    parts = re.split(r"('(?:[^']|'')*')", sql)
    return "".join(p if i % 2 else re.sub(pattern, repl, p) for i, p in enumerate(parts))


class _Auditor:
    quote_char = '"'

    def __init__(self, conn: sa.Connection, schemas: Sequence[str] | None) -> None:
        self.conn = conn
        self.default_schema = self._default_schema()
        self.schemas = list(schemas) if schemas else [self.default_schema]
        self.result = AuditResult(self.dialect, self.schemas)
        self.tables: dict[tuple[str, str], _Table] = {}

    dialect = ""

    # -- helpers
    def q(self, ident: str) -> str:
        c = self.quote_char
        return c + ident.replace(c, c + c) + c

    def qt(self, schema: str, name: str) -> str:
        return f"{self.q(schema)}.{self.q(name)}"

    def label(self, schema: str, name: str) -> str:
        return name if schema == self.default_schema else f"{schema}.{name}"

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        return [tuple(r) for r in self.conn.exec_driver_sql(sql, params or {})]

    def raw_one(self, sql: str) -> tuple:
        """One row of `sql`, run on the DBAPI cursor with no parameters at all.

        The SQL embeds the schema's own text (CHECK expressions, predicates, identifiers),
        which may contain `%` (LIKE 'a%', x % 2): through exec_driver_sql the drivers would
        read it as a placeholder (psycopg, pymysql format even an empty parameter list);
        cursor.execute(sql) with no parameters sends the text as it is.
        """
        cur = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cur.execute(sql)
            row = cur.fetchone()
        finally:
            cur.close()
        return tuple(row) if row is not None else ()

    def count(self, what: str, sql: str) -> int | None:
        """Run a count(*) query; on error, record a note and return None."""
        try:
            got = self.raw_one(sql)
            return int(got[0] or 0) if got else 0
        except self.conn.dialect.dbapi.Error as err:  # type: ignore[union-attr]
            msg = str(err).splitlines()[0]
            self.result.notes.append(f"{what}: could not evaluate ({msg})")
            return None

    def violation(self, what: str, n: int | None, unit: str) -> None:
        if n:
            self.result.violations.append(f"{what}: {n} {unit}")

    def _default_schema(self) -> str:
        raise NotImplementedError

    def run(self) -> AuditResult:
        self.load_tables()
        for t in self.tables.values():
            if not t.can_hold_rows:
                self.result.unfillable[t.label] = t.why_not
                continue
            n = self.count(f"{t.label}: rows", f"SELECT count(*) FROM {t.sql}") or 0
            self.result.rows[t.label] = n
            if n == 0:
                self.result.empty[t.label] = "no rows"
        self.check_foreign_keys()
        self.check_uniques()
        self.check_not_null()
        self.check_checks()
        self.check_exclusions()
        self.check_sequences()
        if self.result.empty:
            for t in self.tables.values():
                if t.label in self.result.empty:
                    writers = self.trigger_writers(t)
                    if writers:
                        self.result.empty[t.label] = "written only by " + "; ".join(writers)
        return self.result

    def trigger_writers(self, table: _Table) -> list[str]:
        """'trigger T (AFTER INSERT on X)' for each trigger whose code inserts into table."""
        pattern = re.compile(
            rf"\bINSERT\s+INTO\s+(?:[`\"]?\w+[`\"]?\.)?[`\"]?{re.escape(table.name)}[`\"]?\b",
            re.I,
        )
        return [
            f"trigger {name} ({when} on {on})"
            for name, when, on, body in self.triggers()
            if pattern.search(body or "")
        ]

    def triggers(self) -> list[tuple[str, str, str, str]]:
        return []

    def load_tables(self) -> None:
        raise NotImplementedError

    def check_foreign_keys(self) -> None:
        raise NotImplementedError

    def check_uniques(self) -> None:
        raise NotImplementedError

    def check_not_null(self) -> None:
        raise NotImplementedError

    def check_checks(self) -> None:
        raise NotImplementedError

    def check_exclusions(self) -> None:
        pass

    def check_sequences(self) -> None:
        raise NotImplementedError

    # -- the query shapes, shared by both dialects
    def fk_orphans(
        self,
        name: str,
        child: _Table,
        parent_sql: str,
        cols: Sequence[str],
        ref_cols: Sequence[str],
        match_full: bool = False,
    ) -> None:
        self.result.checked["foreign keys"] += 1
        on = " AND ".join(
            f"p.{self.q(pc)} = c.{self.q(cc)}" for cc, pc in zip(cols, ref_cols, strict=True)
        )
        present = " AND ".join(f"c.{self.q(c)} IS NOT NULL" for c in cols)
        what = f"{child.label}: FK {name} ({', '.join(cols)}) -> {parent_sql}"
        n = self.count(
            what,
            f"SELECT count(*) FROM {child.sql} c WHERE {present} AND NOT EXISTS "
            f"(SELECT 1 FROM {parent_sql} p WHERE {on})",
        )
        self.violation(what, n, "orphan rows")
        if self.result.rows.get(child.label):
            linked = self.count(what, f"SELECT count(*) FROM {child.sql} c WHERE {present}")
            if linked == 0:
                self.result.unlinked.append(f"{child.label}.{'+'.join(cols)} -> {parent_sql}")
        if match_full and len(cols) > 1:
            some = " OR ".join(f"c.{self.q(c)} IS NULL" for c in cols)
            n = self.count(
                what, f"SELECT count(*) FROM {child.sql} c WHERE ({some}) AND NOT ({present})"
            )
            self.violation(what + " MATCH FULL", n, "partly NULL rows")

    def duplicates(
        self,
        table: _Table,
        what: str,
        exprs: Sequence[str],
        where: str | None = None,
        nulls_distinct: bool = True,
    ) -> None:
        conds = [f"({where})"] if where else []
        if nulls_distinct:
            conds += [f"({e}) IS NOT NULL" for e in exprs]
        group = ", ".join(f"({e})" for e in exprs)
        filt = f" WHERE {' AND '.join(conds)}" if conds else ""
        label = f"{table.label}: {what}"
        n = self.count(
            label,
            f"SELECT count(*) FROM (SELECT 1 AS x FROM {table.sql}{filt} GROUP BY {group} "
            "HAVING count(*) > 1) d",
        )
        self.violation(label, n, "duplicated values")

    def failing_rows(self, table: _Table, what: str, condition: str) -> None:
        label = f"{table.label}: {what}"
        n = self.count(label, f"SELECT count(*) FROM {table.sql} WHERE NOT ({condition})")
        self.violation(label, n, "rows fail it")

    def nulls_in(self, table: _Table, columns: Iterable[str], what: str = "NOT NULL") -> None:
        cols = list(columns)
        if not cols:
            return
        self.result.checked["not null columns"] += len(cols)
        sums = ", ".join(f"SUM(CASE WHEN {self.q(c)} IS NULL THEN 1 ELSE 0 END)" for c in cols)
        try:
            got = self.raw_one(f"SELECT {sums} FROM {table.sql}")
        except self.conn.dialect.dbapi.Error as err:  # type: ignore[union-attr]
            self.result.notes.append(f"{table.label}: NOT NULL: could not evaluate ({err})")
            return
        for c, n in zip(cols, got, strict=True):
            self.violation(f"{table.label}.{c}: {what}", int(n or 0), "NULLs")

    def key_past_max(
        self, table: _Table, column: str, next_value: int | None, source: str, step: int = 1
    ) -> None:
        self.result.checked["sequences"] += 1
        label = f"{table.label}.{column}"
        agg = "max" if step > 0 else "min"
        top = self.raw_one(f"SELECT {agg}({self.q(column)}) FROM {table.sql}")[0]
        if top is None:
            return
        if next_value is None:
            self.result.notes.append(f"{label}: {source}: next value unknown")
            return
        if (step > 0 and next_value <= top) or (step < 0 and next_value >= top):
            self.result.violations.append(
                f"{label}: next INSERT would take key {next_value} from {source}, "
                f"but seeded keys reach {top} (duplicate key on the application's next INSERT)"
            )


# --------------------------------------------------------------------------- PostgreSQL


class _PgAuditor(_Auditor):
    dialect = "postgresql"

    def _default_schema(self) -> str:
        return str(self.conn.exec_driver_sql("SELECT current_schema()").scalar())

    def load_tables(self) -> None:
        rows = self.rows(
            "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, "
            "(SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid), "
            "EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
            "AND d.objid = c.oid AND d.deptype = 'e') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(%(s)s) ORDER BY 2, 3",
            {"s": self.schemas},
        )
        self.partitions: dict[int, _Table] = {}
        for oid, schema, name, kind, is_part, nparts, from_ext in rows:
            # `FROM t` also reads the rows of INHERITS children, which are audited as tables
            # of their own (a child's row is not a duplicate of its parent's): ONLY t. Not for
            # a partitioned table ('p'), whose rows all live in its partitions.
            only = "ONLY " if kind == "r" else ""
            t = _Table(
                schema, name, self.label(schema, name), only + self.qt(schema, name), oid=oid
            )
            if is_part:  # rows reach a partition through its parent; audited as part of it
                self.partitions[oid] = t
                continue
            if from_ext or name == DEFAULT_LEDGER:  # seedspec's own apply ledger
                continue
            if kind == "p" and nparts == 0:
                t.can_hold_rows, t.why_not = False, "partitioned table with no partitions"
            self.tables[(schema, name)] = t
        self.by_oid = {t.oid: t for t in [*self.tables.values(), *self.partitions.values()]}

    def triggers(self) -> list[tuple[str, str, str, str]]:
        return self.rows(
            "SELECT tg.tgname, CASE WHEN tg.tgtype & 2 = 2 THEN 'BEFORE' "
            "WHEN tg.tgtype & 64 = 64 THEN 'INSTEAD OF' ELSE 'AFTER' END || ' ' || "
            "concat_ws(' OR ', CASE WHEN tg.tgtype & 4 = 4 THEN 'INSERT' END, "
            "CASE WHEN tg.tgtype & 16 = 16 THEN 'UPDATE' END, "
            "CASE WHEN tg.tgtype & 8 = 8 THEN 'DELETE' END), "
            "tg.tgrelid::regclass::text, p.prosrc FROM pg_trigger tg "
            "JOIN pg_proc p ON p.oid = tg.tgfoid WHERE NOT tg.tgisinternal"
        )

    def check_foreign_keys(self) -> None:
        rows = self.rows(
            "SELECT con.conname, con.conrelid, con.confrelid, con.confmatchtype, "
            "ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) "
            "  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),"
            "ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) "
            "  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n "
            "  ORDER BY k.o), "
            "pn.nspname, pc.relname "
            "FROM pg_constraint con JOIN pg_class pc ON pc.oid = con.confrelid "
            "JOIN pg_namespace pn ON pn.oid = pc.relnamespace "
            "WHERE con.contype = 'f' AND con.conparentid = 0 AND con.conrelid = ANY(%(o)s) "
            "ORDER BY con.conrelid, con.conname",
            {"o": list(self.by_oid)},
        )
        for name, rel, ref, match, cols, ref_cols, pschema, pname in rows:
            parent = self.by_oid.get(ref)  # an FK sees only its parent's own rows (ONLY)
            self.fk_orphans(
                name,
                self.by_oid[rel],
                parent.sql if parent is not None else self.qt(pschema, pname),
                cols,
                ref_cols,
                match_full=match == "f",
            )

    def check_uniques(self) -> None:
        version = self.conn.dialect.server_version_info or (0,)
        nnd = "i.indnullsnotdistinct" if version >= (15,) else "false"
        rows = self.rows(
            "SELECT ic.relname, i.indrelid, i.indnkeyatts, "
            "ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) "
            "  FROM generate_series(1, i.indnkeyatts) k ORDER BY k), "
            f"pg_get_expr(i.indpred, i.indrelid), {nnd}, i.indisprimary, "
            "i.indexprs IS NOT NULL "
            "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
            "WHERE i.indisunique AND i.indrelid = ANY(%(o)s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) "
            "ORDER BY i.indrelid, ic.relname",
            {"o": list(self.by_oid)},
        )
        for name, rel, _n, exprs, pred, nulls_not_distinct, primary, has_exprs in rows:
            kind = "PRIMARY KEY" if primary else "UNIQUE"
            if pred:
                kind += " partial"
                self.result.checked["partial unique indexes"] += 1
            if has_exprs:
                kind += " expression"
                self.result.checked["expression unique indexes"] += 1
            self.result.checked["unique keys"] += 1
            what = f"{kind} {name} ({', '.join(exprs)})" + (f" WHERE {pred}" if pred else "")
            self.duplicates(self.by_oid[rel], what, exprs, pred, not nulls_not_distinct)

    def _domains(self) -> dict[int, tuple[str, int, bool, list[tuple[str, str]]]]:
        """domain oid -> (name, base type oid, NOT NULL, [(check name, expr)])."""
        doms: dict[int, tuple[str, int, bool, list[tuple[str, str]]]] = {}
        for oid, name, base, notnull in self.rows(
            "SELECT t.oid, t.oid::regtype::text, t.typbasetype, t.typnotnull "
            "FROM pg_type t WHERE t.typtype = 'd'"
        ):
            doms[oid] = (name, base, notnull, [])
        for typ, cname, definition in self.rows(
            "SELECT contypid, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contypid <> 0 AND contype = 'c'"
        ):
            if typ in doms:
                doms[typ][3].append((cname, _check_expr(definition)))
        return doms

    def check_not_null(self) -> None:
        doms = self._domains()
        cols: dict[int, list[str]] = {}
        dom_nn: dict[int, list[tuple[str, str]]] = {}
        self.domain_columns: list[tuple[int, str, int]] = []
        for rel, col, notnull, typ in self.rows(
            "SELECT a.attrelid, a.attname, a.attnotnull, a.atttypid FROM pg_attribute a "
            "WHERE a.attrelid = ANY(%(o)s) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attrelid, a.attnum",
            {"o": [t.oid for t in self.tables.values() if t.can_hold_rows]},
        ):
            if notnull:
                cols.setdefault(rel, []).append(col)
            seen = set()
            while typ in doms and typ not in seen:  # a domain, maybe over another domain
                seen.add(typ)
                dname, base, dnotnull, _checks = doms[typ]
                self.domain_columns.append((rel, col, typ))
                if dnotnull and not notnull:
                    dom_nn.setdefault(rel, []).append((col, dname))
                typ = base
        self._doms = doms
        for rel, names in cols.items():
            self.nulls_in(self.by_oid[rel], names)
        for rel, pairs in dom_nn.items():
            for col, dname in pairs:
                self.nulls_in(self.by_oid[rel], [col], f"NOT NULL of domain {dname}")

    def check_checks(self) -> None:
        rows = self.rows(
            "SELECT conrelid, conname, pg_get_constraintdef(oid), conislocal FROM pg_constraint "
            "WHERE contype = 'c' AND conrelid = ANY(%(o)s) "
            "ORDER BY conrelid, conname",
            {"o": list(self.by_oid)},
        )
        for rel, name, definition, local in rows:
            # a partition's inherited CHECKs are audited through its parent; an INHERITS
            # child's are not (the parent is read with ONLY), so they are audited here
            if not local and rel in self.partitions:
                continue
            self.result.checked["checks"] += 1
            expr = _check_expr(definition)
            self.failing_rows(self.by_oid[rel], f"CHECK {name} {expr}", expr)
        for rel, col, typ in self.domain_columns:
            dname, _base, _nn, checks = self._doms[typ]
            for cname, expr in checks:
                self.result.checked["domain checks"] += 1
                cond = _replace_outside_literals(expr, r"\bVALUE\b", self.q(col))
                self.failing_rows(
                    self.by_oid[rel], f"domain {dname} CHECK {cname} on {col}: {expr}", cond
                )

    def check_exclusions(self) -> None:
        rows = self.rows(
            "SELECT con.conname, con.conrelid, pg_get_constraintdef(con.oid), "
            "ARRAY(SELECT pg_get_indexdef(con.conindid, k, false) "
            "  FROM generate_series(1, i.indnkeyatts) k ORDER BY k), "
            "ARRAY(SELECT 'OPERATOR(' || quote_ident(opn.nspname) || '.' || op.oprname || ')' "
            "  FROM unnest(con.conexclop) WITH ORDINALITY x(opoid, o) "
            "  JOIN pg_operator op ON op.oid = x.opoid "
            "  JOIN pg_namespace opn ON opn.oid = op.oprnamespace ORDER BY x.o), "
            "pg_get_expr(i.indpred, i.indrelid) "
            "FROM pg_constraint con JOIN pg_index i ON i.indexrelid = con.conindid "
            "WHERE con.contype = 'x' AND con.conparentid = 0 AND con.conrelid = ANY(%(o)s) "
            "ORDER BY con.conrelid, con.conname",
            {"o": list(self.by_oid)},
        )
        for name, rel, definition, exprs, ops, pred in rows:
            self.result.checked["exclusion constraints"] += 1
            t = self.by_oid[rel]
            if len(exprs) != len(ops):
                self.result.notes.append(f"{t.label}: {definition}: present, not verified")
                continue
            keys = ", ".join(f"({e}) AS k{i}" for i, e in enumerate(exprs))
            where = f" WHERE {pred}" if pred else ""
            side = f"(SELECT tableoid AS _t, ctid AS _r, {keys} FROM {t.sql}{where})"
            on = " AND ".join(f"a.k{i} {op} b.k{i}" for i, op in enumerate(ops))
            label = f"{t.label}: EXCLUDE {name} {definition}"
            n = self.count(
                label,
                f"SELECT count(*) FROM {side} a JOIN {side} b "
                f"ON (a._t <> b._t OR a._r <> b._r) AND {on}",
            )
            self.violation(label, (n or 0) // 2, "conflicting row pairs")

    def check_sequences(self) -> None:
        rows = self.rows(
            "SELECT a.attrelid, a.attname, a.attidentity, pg_get_expr(d.adbin, d.adrelid), "
            "pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), "
            "  a.attname) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = ANY(%(o)s) AND a.attnum > 0 AND NOT a.attisdropped "
            "AND (a.attidentity IN ('a', 'd') OR pg_get_expr(d.adbin, d.adrelid) "
            "LIKE 'nextval(%%') ORDER BY 1, 2",
            {"o": [t.oid for t in self.tables.values() if t.can_hold_rows]},
        )
        for rel, col, _identity, default, owned in rows:
            seq = owned
            if seq is None and default:
                m = re.match(r"nextval\('((?:[^']|'')+)'", default)
                seq = m.group(1).replace("''", "'") if m else None
            if seq is None:
                continue
            got = self.rows(
                "SELECT s.last_value, s.start_value, s.increment_by FROM pg_sequences s "
                "WHERE (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))"
                "::regclass = %(s)s::regclass",
                {"s": seq},
            )
            if not got:
                continue
            last, start, step = got[0]
            nxt = start if last is None else last + step
            self.key_past_max(self.by_oid[rel], col, nxt, f"sequence {seq}", step)


def _check_expr(definition: str) -> str:
    """'CHECK ((a > 0)) NOT VALID' -> '((a > 0))'."""
    expr = definition.strip()
    expr = re.sub(r"^CHECK\s*", "", expr)
    expr = re.sub(r"(\s+NO INHERIT)?(\s+NOT VALID)?$", "", expr)
    return expr


# --------------------------------------------------------------------------- MariaDB / MySQL


class _MyAuditor(_Auditor):
    dialect = "mysql"
    quote_char = "`"

    def _default_schema(self) -> str:
        return str(self.conn.exec_driver_sql("SELECT DATABASE()").scalar())

    def load_tables(self) -> None:
        for schema, name in self.rows(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema IN %(s)s ORDER BY 1, 2",
            {"s": tuple(self.schemas)},
        ):
            if name == DEFAULT_LEDGER:  # seedspec's own apply ledger
                continue
            self.tables[(schema, name)] = _Table(
                schema, name, self.label(schema, name), self.qt(schema, name)
            )

    def _t(self, schema: str, name: str) -> _Table | None:
        t = self.tables.get((schema, name))
        return t if t is not None and t.can_hold_rows else None

    def triggers(self) -> list[tuple[str, str, str, str]]:
        return self.rows(
            "SELECT trigger_name, concat(action_timing, ' ', event_manipulation), "
            "event_object_table, action_statement FROM information_schema.triggers "
            "WHERE trigger_schema IN %(s)s",
            {"s": tuple(self.schemas)},
        )

    def check_foreign_keys(self) -> None:
        fks: dict[tuple[str, str, str], list[tuple[str, str, str, str]]] = {}
        for schema, table, name, col, rschema, rtable, rcol in self.rows(
            "SELECT table_schema, table_name, constraint_name, column_name, "
            "referenced_table_schema, referenced_table_name, referenced_column_name "
            "FROM information_schema.key_column_usage WHERE referenced_table_name IS NOT NULL "
            "AND table_schema IN %(s)s ORDER BY table_schema, table_name, constraint_name, "
            "ordinal_position",
            {"s": tuple(self.schemas)},
        ):
            fks.setdefault((schema, table, name), []).append((col, rschema, rtable, rcol))
        for (schema, table, name), parts in fks.items():
            t = self._t(schema, table)
            if t is None:
                continue
            _, rschema, rtable, _ = parts[0]
            self.fk_orphans(
                name,
                t,
                self.qt(rschema, rtable),
                [p[0] for p in parts],
                [p[3] for p in parts],
            )

    def check_uniques(self) -> None:
        keys: dict[tuple[str, str, str], list[str]] = {}
        for schema, table, name, col, sub in self.rows(
            "SELECT table_schema, table_name, index_name, column_name, sub_part "
            "FROM information_schema.statistics WHERE non_unique = 0 AND table_schema IN %(s)s "
            "ORDER BY table_schema, table_name, index_name, seq_in_index",
            {"s": tuple(self.schemas)},
        ):
            expr = self.q(col) if sub is None else f"LEFT({self.q(col)}, {int(sub)})"
            keys.setdefault((schema, table, name), []).append(expr)
        for (schema, table, name), exprs in keys.items():
            t = self._t(schema, table)
            if t is None:
                continue
            self.result.checked["unique keys"] += 1
            kind = "PRIMARY KEY" if name == "PRIMARY" else f"UNIQUE {name}"
            self.duplicates(t, f"{kind} ({', '.join(exprs)})", exprs)

    def check_not_null(self) -> None:
        cols: dict[tuple[str, str], list[str]] = {}
        for schema, table, col in self.rows(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE is_nullable = 'NO' AND table_schema IN %(s)s "
            "ORDER BY table_schema, table_name, ordinal_position",
            {"s": tuple(self.schemas)},
        ):
            cols.setdefault((schema, table), []).append(col)
        for (schema, table), names in cols.items():
            t = self._t(schema, table)
            if t is not None:
                self.nulls_in(t, names)

    def check_checks(self) -> None:
        try:
            rows = self.rows(
                "SELECT constraint_schema, table_name, constraint_name, check_clause "
                "FROM information_schema.check_constraints WHERE constraint_schema IN %(s)s "
                "ORDER BY 1, 2, 3",
                {"s": tuple(self.schemas)},
            )
        except sa.exc.DBAPIError:  # MySQL < 8.0.16: no CHECKs at all
            return
        for schema, table, name, clause in rows:
            t = self._t(schema, table)
            if t is None:
                continue
            self.result.checked["checks"] += 1
            self.failing_rows(t, f"CHECK {name} ({clause})", clause)

    def check_sequences(self) -> None:
        for schema, table, col, auto in self.rows(
            "SELECT c.table_schema, c.table_name, c.column_name, t.auto_increment "
            "FROM information_schema.columns c JOIN information_schema.tables t "
            "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.extra LIKE '%%auto_increment%%' AND c.table_schema IN %(s)s ORDER BY 1, 2",
            {"s": tuple(self.schemas)},
        ):
            t = self._t(schema, table)
            if t is not None:
                nxt = None if auto is None else int(auto)
                self.key_past_max(t, col, nxt, "AUTO_INCREMENT")


# --------------------------------------------------------------------------- schema unchanged


def schema_objects(url: str, schemas: Sequence[str] | None = None) -> list[str]:
    """Every constraint, index and trigger of `schemas`, as sorted text lines.

    Taken before and after `seedspec apply`, the two lists must be equal: seedspec may set
    constraints aside while it loads, but it must put back exactly what was there (and an
    audit run against a schema that lost a constraint would check less than it should).
    """
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                names = (
                    list(schemas)
                    if schemas
                    else [conn.exec_driver_sql("SELECT current_schema()").scalar()]
                )
                sql = (
                    "SELECT 'constraint ' || con.conrelid::regclass::text || ' ' || con.conname "
                    "|| ' ' || pg_get_constraintdef(con.oid) || ' deferrable=' || "
                    "con.condeferrable || ' deferred=' || con.condeferred || ' valid=' || "
                    "con.convalidated FROM pg_constraint con JOIN pg_class c "
                    "ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = ANY(%(s)s) "
                    "UNION ALL SELECT 'index ' || indexdef FROM pg_indexes "
                    "WHERE schemaname = ANY(%(s)s) "
                    "UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid) || ' enabled=' || "
                    "t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE NOT t.tgisinternal AND n.nspname = ANY(%(s)s)"
                )
                params: dict[str, Any] = {"s": names}
            else:
                names = (
                    list(schemas)
                    if schemas
                    else [conn.exec_driver_sql("SELECT DATABASE()").scalar()]
                )
                sql = (
                    "SELECT concat('constraint ', table_name, ' ', constraint_name, ' ', "
                    "constraint_type) FROM information_schema.table_constraints "
                    "WHERE constraint_schema IN %(s)s "
                    "UNION ALL SELECT concat('check ', table_name, ' ', constraint_name, ' ', "
                    "check_clause) FROM information_schema.check_constraints "
                    "WHERE constraint_schema IN %(s)s "
                    "UNION ALL SELECT concat('index ', table_name, ' ', index_name, ' ', "
                    "seq_in_index, ' ', column_name, ' ', non_unique) "
                    "FROM information_schema.statistics WHERE table_schema IN %(s)s "
                    "UNION ALL SELECT concat('trigger ', trigger_name, ' ', event_object_table) "
                    "FROM information_schema.triggers WHERE trigger_schema IN %(s)s"
                )
                params = {"s": tuple(names)}
            return sorted(str(r[0]) for r in conn.exec_driver_sql(sql, params))
    finally:
        engine.dispose()


def schema_changes(before: list[str], after: list[str]) -> list[str]:
    """What an apply changed in the schema, but for seedspec's own ledger table (created by the
    first apply, by design: docs/SPEC-LANGUAGE.md, the ledger)."""
    gone = sorted(set(before) - set(after))
    new = sorted(x for x in set(after) - set(before) if DEFAULT_LEDGER not in x)
    return [f"lost by apply: {x}" for x in gone] + [f"added by apply: {x}" for x in new]


# --------------------------------------------------------------------------- empty tables


def _explain_empty(result: AuditResult, report: dict[str, Any] | None) -> None:
    """Replace 'no rows' with a reason where one is visible."""
    if not result.empty:
        return
    planned: dict[str, int] | None = None
    left: set[str] = set()
    if report is not None:
        body = report.get("report", report)
        planned = {t["table"]: int(t["rows"]) for t in body.get("tables", [])}
        left = set(body.get("left_alone", []))
    for table in sorted(left & set(result.empty)):  # a framework's, or excluded: not ours
        del result.empty[table]
        result.notes.append(f"{table}: left alone by seedspec (empty before and after)")
    for table, known in result.empty.items():
        why = known
        if planned is not None and known == "no rows":
            if table not in planned:
                why = "seedspec did not plan it (missing from the apply report)"
            elif planned[table] == 0:
                why = "seedspec planned 0 rows"
            else:
                why = f"seedspec reported {planned[table]} rows, the table has none"
        result.empty[table] = why
    if planned is not None:
        for table, n in planned.items():
            have = result.rows.get(table)
            if have is not None and have != n:
                result.notes.append(f"{table}: report says {n} rows, table has {have}")


# --------------------------------------------------------------------------- corpus plumbing
# (shared by tests/integration/test_corpus_all.py and scripts/compat.py)


def load_corpus(url: str, name: str) -> None:
    """Load corpus schema `name` into the (empty) database at `url` with psql / mariadb.

    The MySQL files create and USE their own database: those lines (and sakila's view bodies,
    which name `sakila.<table>`) are rewritten to the target database first.
    """
    u = sa.make_url(url)
    if u.get_backend_name() == "postgresql":
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", u.host or "127.0.0.1"]
        cmd += ["-p", str(u.port or 5432), "-U", u.username or "postgres", "-d", u.database or ""]
        cmd += ["-f", str(CORPUS / name / "schema.sql")]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        return
    db = u.database or ""
    text = (CORPUS / name / "schema.mysql.sql").read_text()
    text = re.sub(
        rf"^((?:DROP|CREATE) (?:DATABASE|SCHEMA)(?: IF (?:NOT )?EXISTS)? |USE ){name};",
        rf"\g<1>{db};",
        text,
        flags=re.M | re.I,
    )
    text = re.sub(rf"\b{name}\.(?=\w)", f"{db}.", text)
    cmd = ["mariadb", "-h", u.host or "127.0.0.1", "-P", str(u.port or 3306)]
    cmd += ["-u", u.username or "root", db]
    if u.password:
        cmd.insert(1, f"--password={u.password}")
    subprocess.run(cmd, check=True, input=text, capture_output=True, text=True)


@contextlib.contextmanager
def scratch_database(admin_url: str, prefix: str = "seedspec_c_") -> Iterator[str]:
    """A fresh, empty database on the server of `admin_url`; dropped afterwards."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    pg = admin.dialect.name == "postgresql"
    quoted = f'"{name}"' if pg else f"`{name}`"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
        try:
            yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                force = " WITH (FORCE)" if pg else ""
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}{force}")
    finally:
        admin.dispose()


@dataclass
class ApplyRun:
    returncode: int
    doc: dict[str, Any]  # the `-o json` document ({} when stdout was not JSON)
    seconds: float  # wall clock of the whole command
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        errors = sorted(  # errors first, warnings after
            self.doc.get("errors") or [], key=lambda e: e.get("severity", "error") != "error"
        )
        text = "; ".join(  # each as printed: the message, then its fix
            str(e.get("message", e)) + (f" (fix: {e['fix']})" if e.get("fix") else "")
            for e in errors
        )
        return text or (self.stderr.strip() or self.stdout.strip())[-2000:]


def run_apply(url: str, cwd: Path | str, *args: str, timeout: float = 1800) -> ApplyRun:
    """`seedspec apply --db URL -o json ARGS` through the CLI, in `cwd` (no ./seed.yaml there)."""
    cmd = [sys.executable, "-m", "seedspec.cli.app", "apply", "--db", url, "-o", "json", *args]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - started
    try:
        doc = json.loads(done.stdout)
    except ValueError:
        doc = {}
    doc = {**doc, **doc.get("result", {})}  # the result's report and drift lifted beside ok
    return ApplyRun(done.returncode, doc, seconds, done.stdout, done.stderr)


# --------------------------------------------------------------------------- SQLite


def sqlite_violations(url: str) -> list[str]:
    """tests/dbcheck.violations for SQLite, with partial unique indexes under their predicate.

    dbcheck reads the predicate only from `postgresql_where`, so on SQLite it groups a partial
    index's columns over every row (UNIQUE (flag) WHERE flag looks broken by 19 falses). Here
    those lines are dropped and each partial unique index is re-checked under its WHERE, taken
    from the index's CREATE text by sqlglot (SQLite keeps no parsed predicate).
    """
    import sqlglot
    from dbcheck import violations
    from sqlglot import exp

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            partial = conn.exec_driver_sql(
                "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' "
                "AND sql IS NOT NULL AND name IN (SELECT il.name FROM sqlite_master m, "
                "pragma_index_list(m.name) il WHERE m.type = 'table' AND il.[unique] "
                "AND il.partial)"
            ).all()
            skip, out = set(), []
            for table, name, sql in partial:
                cols = [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{name}")')]
                skip.add(f"{table}: UNIQUE {cols}:")
                where = sqlglot.parse_one(sql, read="sqlite").find(exp.Where)
                pred = where.this.sql("sqlite") if where is not None else "1"
                qc = ", ".join(f'"{c}"' for c in cols)
                nn = " AND ".join(f'"{c}" IS NOT NULL' for c in cols)
                n = conn.exec_driver_sql(
                    f'SELECT count(*) FROM (SELECT 1 FROM "{table}" WHERE ({pred}) AND {nn} '
                    f"GROUP BY {qc} HAVING count(*) > 1)"
                ).scalar()
                if n:
                    out.append(f"{table}: UNIQUE {cols} WHERE {pred}: {n} duplicated values")
    finally:
        engine.dispose()
    kept = [v for v in violations(url) if not any(v.startswith(s) for s in skip)]
    return kept + out
