"""Schema snapshots: DbSchema <-> stable, diff-friendly JSON (a fact per line), and their diffs."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from seedspec.database.model import DbColumn, DbForeignKey, DbSchema, DbTable
from seedspec.errors import Problem, SeedspecError, SourceError, SourceLocation

FORMAT = "seedspec-snapshot/1"


def snapshot_path(spec_path: str) -> Path:
    """seed.yaml -> seed.schema.json; shop.seed.yml -> shop.seed.schema.json."""
    path = Path(spec_path)
    if path.name.endswith(".schema.json"):
        return path
    stem = path.name.rsplit(".", 1)[0] if path.suffix in (".yaml", ".yml") else path.name
    return path.with_name(stem + ".schema.json")


def spec_for_snapshot(path: str) -> str:
    """The spec a snapshot belongs to (its sibling .yaml, else .yml)."""
    p = Path(path)
    if not p.name.endswith(".schema.json"):
        return path
    base = p.name[: -len(".schema.json")]
    for ext in (".yaml", ".yml"):
        if (candidate := p.with_name(base + ext)).exists():
            return str(candidate)
    return str(p.with_name(base + ".yaml"))


def _leaf(value: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in value.items() if v not in (None, [], ())},
        sort_keys=True,
        ensure_ascii=False,
    )


def render(schema: DbSchema) -> str:
    """Canonical text: tables by name, a column / FK / unique / check per line."""
    lines = [
        "{",
        f'  "format": "{FORMAT}",',
        f'  "dialect": {json.dumps(schema.dialect)},',
        f'  "default_schema": {json.dumps(schema.default_schema)},',
        '  "tables": {',
    ]
    tables = sorted(schema.tables, key=lambda t: t.name)
    for ti, table in enumerate(tables):
        lines.append(f"    {json.dumps(table.name)}: {{")
        lines.append(f'      "schema": {json.dumps(table.schema)},')
        lines.append(f'      "primary_key": {json.dumps(list(table.primary_key))},')
        if table.partition_by:
            lines.append(f'      "partition_by": {json.dumps(table.partition_by)},')
            bounds = [f"        {json.dumps(b)}" for b in table.partitions]
            lines.append(
                '      "partitions": ['
                + ("\n" + ",\n".join(bounds) + "\n      ]," if bounds else "],")
            )
        cols = [f"        {json.dumps(c.name)}: {_leaf(_column(c))}" for c in table.columns]
        lines.append(
            '      "columns": {' + ("\n" + ",\n".join(cols) + "\n      }," if cols else "},")
        )
        for key, items in (
            ("foreign_keys", table.foreign_keys),
            ("uniques", table.uniques),
            ("checks", table.checks),
            ("triggers", table.triggers),
            ("exclusions", table.exclusions),
        ):
            rows = [f"        {_leaf(_plain(x))}" for x in items]
            end = "," if key != "exclusions" else ""
            lines.append(
                f'      "{key}": [' + ("\n" + ",\n".join(rows) + "\n      ]" if rows else "]") + end
            )
        lines.append("    }" + ("," if ti < len(tables) - 1 else ""))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def _column(c: DbColumn) -> dict[str, Any]:
    out = _plain(c)
    out.pop("name")
    if not out.get("unsigned"):
        out.pop("unsigned", None)
    return out


def _plain(x: Any) -> dict[str, Any]:
    from dataclasses import asdict

    out = asdict(x)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def parse(text: str, origin: str = "snapshot") -> DbSchema:
    try:
        data = json.loads(text)
    except ValueError as err:
        raise SeedspecError(f"{origin}: not a seedspec snapshot ({err})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SeedspecError(f"{origin}: not a seedspec snapshot (format {FORMAT!r} expected)")
    tables = []
    for name, t in data["tables"].items():
        cols = [{"name": cname, **cdata} for cname, cdata in t["columns"].items()]
        tables.append(
            {
                "name": name,
                "schema": t.get("schema"),
                "primary_key": t.get("primary_key", []),
                "columns": cols,
                "partition_by": t.get("partition_by"),
                "partitions": t.get("partitions", []),
                **{  # absent optional names (SQLite FKs), empty lists were left out of the leaves
                    key: [{"name": None, "columns": [], **item} for item in t.get(key, [])]
                    for key in ("foreign_keys", "uniques", "checks", "triggers", "exclusions")
                },
            }
        )
    return DbSchema.from_dict(
        {"dialect": data["dialect"], "default_schema": data.get("default_schema"), "tables": tables}
    )


def read(path: str | Path) -> DbSchema:
    p = Path(path)
    if not p.is_file():
        raise SourceError(f"{p}: no snapshot here; run `seedspec snapshot --db URL` to write it")
    text = p.read_text(encoding="utf-8")
    schema = parse(text, str(p))
    from seedspec.database import factcache  # the facts of a snapshot read before: no sqlglot

    factcache.warm(schema, text)
    return schema


def text_diff(old: str, new: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(True), new.splitlines(True), f"{path} (committed)", f"{path} (database)"
        )
    )


def changes(old: DbSchema, new: DbSchema, where: SourceLocation | None) -> list[Problem]:
    """What changed since the committed snapshot: warnings a reviewer should look at."""
    out: list[Problem] = []

    def warn(table: str, column: str | None, message: str) -> None:
        out.append(
            Problem(
                message,
                where,
                "warning",
                "snapshot-changed",
                table,
                column,
                "review the spec, then refresh the snapshot: seedspec snapshot",
            )
        )

    for t_old in old.tables:
        t_new = new.table(t_old.name)
        if t_new is None:
            warn(t_old.name, None, f"table {t_old.name!r} was dropped since the snapshot")
            continue
        _table_changes(t_old, t_new, warn)
    for t_new in new.tables:
        if old.table(t_new.name) is None:
            warn(t_new.name, None, f"table {t_new.name!r} is new since the snapshot")
    return out


def _table_changes(a: DbTable, b: DbTable, warn: Any) -> None:
    _column_changes(a, b, warn)
    _constraint_changes(a, b, warn)


def _column_changes(a: DbTable, b: DbTable, warn: Any) -> None:
    for ca in a.columns:
        cb = b.column(ca.name)
        where = f"{a.name}.{ca.name}"
        if cb is None:
            warn(a.name, ca.name, f"column {where} was dropped since the snapshot")
            continue
        if (ca.type, ca.length, ca.precision, ca.scale) != (
            cb.type,
            cb.length,
            cb.precision,
            cb.scale,
        ):
            warn(
                a.name,
                ca.name,
                f"{where} changed type: {ca.sql_type or ca.type} -> {cb.sql_type or cb.type}",
            )
        if ca.nullable != cb.nullable:
            state = "nullable" if cb.nullable else "NOT NULL"
            warn(a.name, ca.name, f"{where} is now {state}")
        if ca.enum_values != cb.enum_values:
            warn(
                a.name,
                ca.name,
                f"{where} allowed values changed: {ca.enum_values} -> {cb.enum_values}",
            )
    for cb in b.columns:
        if a.column(cb.name) is None:
            warn(a.name, cb.name, f"column {a.name}.{cb.name} is new since the snapshot")


def _constraint_changes(a: DbTable, b: DbTable, warn: Any) -> None:
    fks = {_fk_key(f) for f in a.foreign_keys}, {_fk_key(f) for f in b.foreign_keys}
    for key in sorted(fks[0] - fks[1]):
        warn(a.name, key[0][0], f"{a.name}: FK ({', '.join(key[0])}) -> {key[1]} was removed")
    for key in sorted(fks[1] - fks[0]):
        warn(a.name, key[0][0], f"{a.name}: FK ({', '.join(key[0])}) -> {key[1]} was added")
    uq = {u.columns for u in a.uniques}, {u.columns for u in b.uniques}
    for cols in sorted(uq[0] ^ uq[1]):
        what = "removed" if cols in uq[0] else "added"
        warn(a.name, cols[0] if cols else None, f"{a.name}: UNIQUE ({', '.join(cols)}) {what}")
    checks = {c.sqltext for c in a.checks}, {c.sqltext for c in b.checks}
    for text in sorted(checks[0] ^ checks[1]):
        what = "removed" if text in checks[0] else "added"
        warn(a.name, None, f"{a.name}: CHECK {text} {what}")


def _fk_key(fk: DbForeignKey) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    return fk.columns, fk.ref_table, fk.ref_columns
