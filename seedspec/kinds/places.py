"""The countries whose cities seedspec can name -> their mimesis locales: what inference writes
in a country table, and the locale `lookup: ..., as: city` draws a city from for each.

Hand-written (the names are mimesis's own `Address(locale).default_country()`, checked by
tests/unit/test_country_locales.py) so that inference reads them without importing mimesis. Only
Latin-script locales whose city list is the country's own are kept (en-au, en-ca and es-mx
reuse the US and Spanish lists in mimesis 18).
"""

from __future__ import annotations

COUNTRY_LOCALES: dict[str, str] = {
    "United States": "en",
    "United Kingdom": "en-gb",
    "Deutschland": "de",
    "France": "fr",
    "España": "es",
    "Italia": "it",
    "Nederland": "nl",
    "België": "nl-be",
    "Österreich": "de-at",
    "Schweiz": "de-ch",
    "Portugal": "pt",
    "Brasil": "pt-br",
    "Polska": "pl",
    "Česká republika": "cs",
    "Slovensko": "sk",
    "Magyarország": "hu",
    "Hrvatska": "hr",
    "Danmark": "da",
    "Sverige": "sv",
    "Norge": "no",
    "Suomi": "fi",
    "Eesti": "et",
    "Ísland": "is",
    "Türkiye": "tr",
}
# a country table (country, countries, ...): its name column holds these, one per row
COUNTRY_TABLE_COLUMNS = ("country", "name", "country_name")
