"""Column and table name patterns -> what inference guesses (providers, ranges, date windows)."""

from __future__ import annotations

import re
from typing import Any

# CamelCase word boundaries in an identifier (BillingCity, HTTPMethod, customerId); reads names
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def readable(name: str) -> str:
    """An identifier as the rules here read it: lower snake case, CamelCase words split
    (`BillingCity` -> billing_city, `HTTPMethod` -> http_method); snake names stay as they are."""
    if name.islower() or name.isupper() or not any(c.isalpha() for c in name):
        return name.lower()
    return _CAMEL.sub("_", name).lower()


# whose address a column holds (billing_city, ship_postal_code, home_address): read as the part
_ADDRESS_OWNER = re.compile(
    r"^(billing|bill_to|bill|shipping|ship_to|ship|mailing|delivery|home|work|business|office|"
    r"invoice|legal|current|permanent)_"
)
_ADDRESS_PART = re.compile(
    r"^(city|town|state|province|region|county|district|country|country_name|zip|zip_?code|"
    r"postal_?code|postcode|address|address_?[12]|address_?line_?[12]|street|street_?address|"
    r"street_?2)$"
)


def address_of(name: str) -> tuple[str, str]:
    """(whose address, the name without it) of a readable name: `billing_city` -> (billing_,
    city), `ship_postal_code` -> (ship_, postal_code); any other name -> ("", name)."""
    found = _ADDRESS_OWNER.match(name)
    if found is None or not _ADDRESS_PART.match(name[found.end() :]):
        return "", name
    return found.group(0), name[found.end() :]


def address_name(name: str) -> str:
    """A readable name with its address owner dropped (`billing_city` -> city)."""
    return address_of(name)[1]


# Column-name patterns -> mimesis providers, first match wins (names compared lower-case).
NAME_PROVIDERS: tuple[tuple[str, str], ...] = (
    (r"(^|_)e?mail(_?address)?$", "person.email"),
    (r"^(first_?name|given_name|forename)$", "person.first_name"),
    (r"^(last_?name|surname|family_name)$", "person.last_name"),
    (r"^(full_?name|display_name|contact_name)$", "person.full_name"),
    (r"^(user_?name|login|handle)$", "person.username"),
    (r"(^|_)(phone|fax|mobile|telephone)(_number)?$", "person.telephone"),
    (r"^(address|street|address_?line_?1|street_address|address1)$", "address.address"),
    (r"^(city|town)$", "address.city"),
    (r"^(state|region|province)$", "address.state"),
    (r"^country(_name)?$", "address.country"),
    (r"^(postal_?code|zip(_?code)?|postcode)$", "address.postal_code"),
    (r"^(company(_name)?|organization|organisation)$", "finance.company"),
    (r"^(job_?title|occupation|position)$", "person.occupation"),
    (r"(^|_)url$|(^|_)(web_?site|home_?page)$", "internet.url"),
    (r"^(domain|hostname|host)$", "internet.hostname"),
    (r"(^|_)(ip|ip_?addr(ess)?|ipv4(_address)?|remote_addr)$", "internet.ip_v4"),
    (r"^(description|body|bio|comment|comments|notes?|summary|content)$", "text.sentence"),
    (r"(^|_)(courtesy|salutation|honorific)(_|$)", "person.title"),
    (r"^(gender|sex)$", "person.gender"),
    (r"^(language|lang)$", "person.language"),
    (r"^nationality$", "person.nationality"),
    (r"^(country_code|country_iso|iso_country)$", "address.country_code"),
    (r"^(street|street_name)$", "address.street_name"),
    (r"^(password|password_hash|passwd|pwd_hash|hash|digest|checksum)$", "cryptographic.hash"),
    (r"^(token|api_key|secret|session_key)$", "cryptographic.token_hex"),
    (r"^(user_agent|useragent)$", "internet.user_agent"),
    (r"^(uri|link|href)$", "internet.uri"),
    (r"^isbn(13|10)?$", "code.isbn"),
    (r"^(ean|barcode|upc)$", "code.ean"),
    (r"^(locale|locale_code)$", "code.locale_code"),
    (r"^(university|school|college)$", "person.university"),
    (r"^(bank|bank_name)$", "finance.bank"),
    (r"^(timezone|time_zone|tz)$", "datetime.timezone"),
    (r"^(continent)$", "address.continent"),
    (r"^(title|subject|headline)$", "text.title"),
    (r"^(slug)$", "internet.slug"),
    (r"(^|_)currency(_code|_iso)?$", "finance.currency_iso_code"),
    (r"^(colou?r)$", "text.color"),
    (r"(^|_)(file_?name|attachment)$", "file.file_name"),
    (r"(^|_)(mime_?type|content_type|media_type)$", "file.mime_type"),
    (r"(^|_)(path|file_?path|dir|directory|folder)$", "path.project_dir"),
)
# Provider arguments that make values vary (some providers default to the locale's one value).
PROVIDER_ARGS: dict[str, dict[str, Any]] = {"finance.currency_iso_code": {"allow_random": True}}
# Column-name patterns -> numeric ranges (min, max, distribution parameters); CHECKs still win.
NAME_NUMBERS: tuple[tuple[str, dict[str, Any]], ...] = (
    (r"(^|_)cents$", {"min": 100, "max": 100_000, "dist": "lognormal", "mu": 8.0, "sigma": 1.0}),
    (
        r"(^|_)(price|amount|cost|total|subtotal|fee|balance|revenue|payment|freight|tax)s?$",
        {"min": 1, "max": 1_000, "dist": "lognormal", "mu": 3.5, "sigma": 1.0},
    ),
    (
        r"(^|_)(salary|income|wage)$",
        {"min": 20_000, "max": 250_000, "dist": "lognormal", "mu": 11.0, "sigma": 0.4},
    ),
    (
        r"(^|_)(qty|quantity|units|stock|count|in_stock)$",
        {"min": 1, "max": 100, "dist": "geometric", "p": 0.1},
    ),
    (r"(^|_)(lat|latitude)(_|$)", {"min": -90, "max": 90}),
    (r"(^|_)(lng|lon|longitude)(_|$)|(^|_)long$", {"min": -180, "max": 180}),
    (r"^age$", {"min": 18, "max": 90}),
    (r"(^|_)(rating|stars|score)$", {"min": 1, "max": 5}),
    (r"(^|_)(percent|percentage|pct)$", {"min": 0, "max": 100}),
    (r"(^|_)(discount|ratio|rate)$", {"min": 0, "max": 1}),
    (r"(^|_)priority$", {"min": 1, "max": 5}),
    (
        r"(^|_)(status|state|level|kind|type|visibility|severity|tier|stage|mode)$",
        {"min": 0, "max": 4},
    ),
    (r"^(is|has)_|(^|_)(active|enabled|visible|deleted|flag)$", {"min": 0, "max": 1}),
    (r"(^|_)year$", {"min": 1990, "max": 2025}),
)
FUTURE_DATES = (
    r"(^|_)(expires?|expiry|expiration|due|deadline|scheduled|ends?|until|valid_to|"
    r"next|planned|renew(al|s)?)(_|$)"
)
# Column-name patterns -> date ranges.
NAME_DATES: tuple[tuple[str, str, str], ...] = (
    (r"(^|_)(birth|dob|birthday|born)", "1950-01-01", "1999-12-31"),
    # names that say "later": these alone may lie in the future (ends as well as starts)
    (FUTURE_DATES, "2025-01-01", "2027-12-31"),
    (r"(^|_)hire", "2005-01-01", "2025-12-31"),
)
# A later column follows an earlier one of the same row: (later name part, earlier name part).
LATER_THAN: tuple[tuple[str, str], ...] = (
    # (updated / modified / deleted ... after created: LATER_THAN_CREATED below)
    ("end", "start"),
    ("ends", "starts"),
    ("finished", "started"),
    ("finish", "start"),
    ("to", "from"),
    ("until", "from"),
    ("return", "rental"),
    ("returned", "rented"),
    ("shipped", "order"),
    ("required", "order"),
    ("delivered", "shipped"),
    ("due", "issue"),
    ("closed", "opened"),
    ("expires", "issued"),
    ("expiry", "issue"),
    ("paid", "invoice"),
    ("resolved", "reported"),
    ("died", "born"),
    ("death", "birth"),
    ("ended", "started"),
    ("completed", "started"),
    ("termination", "install"),
    ("terminated", "installed"),
    ("arrival", "departure"),
    ("out", "in"),
    ("last", "first"),
)
# how far a later column lies past its earlier one, when not the default (days)
LATER_SPANS: dict[str, int] = {"died": 7_300, "death": 7_300}  # births end in 1999: past
# the regexes here read table and column names (allowed in tests/unit/test_no_sql_regex.py)
PERSON_TABLES = re.compile(
    r"(user|person|people|employee|customer|staff|author|artist|actor|member)"
)
COMPANY_TABLES = re.compile(
    r"(compan|supplier|vendor|shipper|organi[sz]ation|publisher|store|account|client|tenant)"
)


CREATED = re.compile(
    r"^(created(_at|_on|_date|_time)?|create(d)?_(date|time|ts)|creation_(date|time)|"
    r"date_created|inserted_at|insert_date)$"
)
LATER_THAN_CREATED = re.compile(
    r"(^|_)(updated|modified|changed|edited|deleted|archived|last_update|last_updated|"
    r"last_modified|last_login|last_seen|published|completed|closed|resolved|approved|"
    r"cancell?ed|terminated|finished|ended|processed|confirmed|accepted|rejected|sent|"
    r"data_synced|synced)(_|$)"
)

# a column's meaning from the application's model (DbColumn.meaning, --models) -> the provider
MEANING_PROVIDERS = {
    "email": "person.email",
    "url": "internet.url",
    "slug": "internet.slug",
    "ip": "internet.ip_v4",
    "ipv4": "internet.ip_v4",
    "ipv6": "internet.ip_v6",
}
