"""kinds/places.py's countries are mimesis's own: each name is its locale's default country,
in Latin script, with a city list of its own (no database)."""

from __future__ import annotations

from mimesis import Address

from seedspec.analysis.places import country_column, country_names
from seedspec.database.model import DbColumn, DbTable
from seedspec.kinds.places import COUNTRY_LOCALES


def test_each_country_is_its_locales_own() -> None:
    seen: dict[tuple[str, ...], str] = {}
    for country, locale in COUNTRY_LOCALES.items():
        address = Address(locale)
        assert address.default_country() == country, locale
        cities = tuple(address._dataset["city"])
        assert cities and all(ord(ch) < 0x250 for ch in "".join(cities[:50])), locale
        assert cities not in seen, (locale, seen.get(cities))  # not another country's list
        seen[cities] = locale


def test_a_country_table_names_its_countries() -> None:
    table = DbTable(
        "countries", columns=(DbColumn("id", "integer"), DbColumn("name", "varchar", length=60))
    )
    assert country_column(table) == "name"
    assert country_column(DbTable("city", columns=(DbColumn("name", "varchar"),))) is None
    spec = country_names(60)
    assert spec is not None and spec.unique
    assert spec.params["compose"]["parts"] == [list(COUNTRY_LOCALES)]
    assert country_names(4) is None  # too short for most of them: the generic rules run
