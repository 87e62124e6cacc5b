"""seedspec's own apply ledger as reflection meets it: a table's columns -> whether it is a
ledger (by its columns, whatever name it was given), and a DbSchema -> the same without them.

Every verb reflects through `reflect_schema`, which drops ledgers here: the ledger is never
seeded, never drift, and does not change the schema fingerprint or a plan's digest, so the
second apply of a spec compiles the same plan as the first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from seedspec.database.model import DbSchema

DEFAULT_LEDGER = "seedspec_ledger"
LEDGER_COLUMNS = (
    "id",
    "applied_at",
    "plan_digest",
    "seed",
    "scale",
    "counts",
    "tables",
    "seedspec_version",
    "load_path",
)


def is_ledger(columns: Iterable[str]) -> bool:
    """True when a table has every ledger column (a later version may add more)."""
    return set(LEDGER_COLUMNS) <= {c.lower() for c in columns}


def without_ledgers(schema: DbSchema) -> DbSchema:
    """The schema without the tables that are seedspec ledgers."""
    kept = tuple(t for t in schema.tables if not is_ledger(c.name for c in t.columns))
    if len(kept) == len(schema.tables):
        return schema
    return replace(schema, tables=kept, _index={})
