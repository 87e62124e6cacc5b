"""Places tied across a foreign key: (table, schema, its generators) -> the inferred city
columns whose row points at a country table, made cities of that row's country
(`lookup: country_id.country, as: city`), and a country table's names (kinds/places.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from seedspec.analysis.names import readable
from seedspec.database.model import DbSchema, DbTable
from seedspec.kinds import text
from seedspec.kinds.places import COUNTRY_LOCALES, COUNTRY_TABLE_COLUMNS
from seedspec.kinds.spec import GeneratorSpec

# the regexes here read table names (allowed in tests/unit/test_no_sql_regex.py)
COUNTRY_TABLE = re.compile(r"countr")
TEXT = ("char", "varchar", "text")


def country_names(length: int | None) -> GeneratorSpec | None:
    """A country table's name column: the countries seedspec knows the cities of, one per row
    (a `-N` suffix only past them), or None when the column cannot hold them."""
    names = [n for n in COUNTRY_LOCALES if length is None or len(n) <= length]
    if len(names) < len(COUNTRY_LOCALES) // 2:
        return None
    spec = text.provider_spec("address.country", compose={"parts": [names], "sep": " "})
    return GeneratorSpec(spec.kind, spec.params, spec.null, True)


def country_column(table: DbTable) -> str | None:
    """The column of a country table that names the country, if the table is one."""
    if not COUNTRY_TABLE.search(readable(table.bare_name)):
        return None
    fk = {c for f in table.foreign_keys for c in f.columns}
    for column in table.columns:
        if readable(column.name) in COUNTRY_TABLE_COLUMNS and column.type in TEXT:
            return None if column.name in fk else column.name
    return None


def placed(
    table: DbTable,
    schema: DbSchema,
    specs: Mapping[str, GeneratorSpec],
    notes: Mapping[str, str],
) -> dict[str, tuple[GeneratorSpec, str]]:
    """Column -> (a city of its row's country, why) for each inferred city column of a table
    with a foreign key to a country table."""
    out: dict[str, tuple[GeneratorSpec, str]] = {}
    for name, spec in specs.items():
        if notes.get(name) == "spec" or spec.kind != "gen" or spec.params.get("compose"):
            continue
        if spec.params.get("provider") != "address.city":
            continue
        for fk in table.foreign_keys:
            parent = schema.table(fk.ref_table) if len(fk.columns) == 1 else None
            country = country_column(parent) if parent is not None else None
            if country is None:
                continue
            params = {"fk_column": fk.columns[0], "parent_column": country, "as": "city"}
            why = f"a city of the country its {fk.columns[0]} row names"
            out[name] = (GeneratorSpec("lookup", params, spec.null, False), why)
            break
    return out
