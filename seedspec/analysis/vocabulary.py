"""The common vocabulary of real schemas: a text column (table, name, CHECK facts, length) ->
the GeneratorSpec a person would expect (names of people and of things, titles, slugs, small
status / type domains, address parts of the locale), or None to leave it to NAME_PROVIDERS.

Rules read column and table names only; CHECK facts and the column's length filter what they
offer (a rule that cannot fit them returns None and the generic inference runs instead).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from seedspec.analysis.names import PERSON_TABLES, address_of, readable
from seedspec.analysis.places import country_column, country_names
from seedspec.database.checks import ColumnFacts
from seedspec.database.model import DbColumn, DbTable
from seedspec.kinds import choice, text
from seedspec.kinds.spec import GeneratorSpec

COMPOSE_MIN = 12  # below this length composed names do not fit: the generic rules run
# the regexes here read table and column names (allowed in tests/unit/test_no_sql_regex.py)
_WORDS: dict[str, Any] = {"parts": ["text.word"], "alpha": True}
COMPANY_WORDS = [
    "Group", "Holdings", "Partners", "Labs", "Systems", "Industries", "Solutions", "Networks",
    "Logistics", "Trading", "Ventures", "Works", "Supply", "Foods", "Media", "Capital",
]  # fmt: skip
IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "gif"]
SUITES = ["Apt.", "Suite", "Unit", "Floor"]
# A name (whole, or its last `_part`) -> which small vocabulary, first match wins.
SMALL_DOMAINS: tuple[tuple[str, str], ...] = (
    (r"(^|_)status$", "status"),
    (r"(^|_)state$", "state"),
    (r"(^|_)priority$", "priority"),
    (r"(^|_)visibility$", "visibility"),
    (r"(^|_)(log_level|severity)$", "severity"),
    (r"(^|_)level$", "level"),
    (r"(^|_)role$", "role"),
    (r"(^|_)(http_)?method$", "method"),
    (r"(^|_)direction$", "direction"),
    (r"weight_units?$", "weight_unit"),
    (r"(distance|length|depth|height|width)_units?$", "length_unit"),
    (r"(^|_)units?$", "unit"),
)
DOMAIN_VALUES: dict[str, tuple[str, ...]] = {
    "status": ("active", "inactive", "pending", "archived"),
    "state": ("new", "open", "in_progress", "closed"),
    "priority": ("low", "normal", "high", "urgent"),
    "visibility": ("public", "private", "internal"),
    "severity": ("debug", "info", "warning", "error"),
    "level": ("low", "medium", "high"),
    "role": ("owner", "admin", "member", "viewer"),
    "method": ("GET", "POST", "PUT", "PATCH", "DELETE"),
    "direction": ("inbound", "outbound"),
    "weight_unit": ("kg", "g", "lb", "oz"),
    "length_unit": ("km", "m", "mi", "ft"),
    "unit": ("pcs", "kg", "m", "l"),
}
# type / kind / mode ... columns: a few generic labels, chosen per column (stable by name)
GENERIC_KIND = re.compile(r"(^|_)(type|kind|mode|tier|stage|category|class|variant|format)$")
GENERIC_LABELS = (
    "standard", "basic", "premium", "primary", "secondary", "internal", "external", "virtual",
    "physical", "manual", "automatic", "default", "custom", "legacy", "shared", "dedicated",
    "temporary", "permanent", "local", "remote",
)  # fmt: skip
ADDRESS_PARTS = re.compile(
    r"^(city|town|zip|zip_?code|postal_?code|postcode|address|address1|street|street_address|"
    r"address_?line_?1)$"
)
REGION = re.compile(r"^(state|province|region|district|county)$")
ADDRESS_LINE_2 = re.compile(r"^(address2|address_?line_?2|street2|street_address_2)$")
IMAGE = re.compile(r"(^|_)(image|avatar|photo|picture|thumbnail|icon|logo)$")
LONG_TEXT = re.compile(r"^(body|content|text|message|bio|about|article)$")
THING_NAME = re.compile(r"^_?(name|label)$|(^|_)(name|label)$")
ONE_WORD_TABLES = re.compile(r"(tag|categor|genre|keyword|topic)")
NAMED_TABLES: tuple[tuple[str, str], ...] = (
    ("language", "person.language"),
    ("countr", "address.country"),
    ("cit", "address.city"),
    ("colou?r", "text.color"),
)
REPLACED = {None, "text.title", "internet.slug", "person.full_name", "finance.company"}
REPLACED |= {"address.state", "address.country", "text.sentence"}


def vocabulary_spec(
    table: DbTable, column: DbColumn, facts: ColumnFacts, length: int | None, found: str | None
) -> GeneratorSpec | None:
    """The vocabulary rule for a text column, or None; `found` is what NAME_PROVIDERS matched
    (a specific provider, e.g. person.email, is kept)."""
    if found not in REPLACED:
        return None
    if country_column(table) == column.name and (names := country_names(length)) is not None:
        return names  # a country table: countries whose cities seedspec knows, one per row
    name, bare = readable(column.name), readable(table.bare_name)
    rules = (_address, _small_domain, _long_text, _composed_name)
    for rule in rules:
        spec = rule(table, name, bare, facts, length, found)
        if spec is not None:
            return spec
    return None


def _address(
    table: DbTable, name: str, bare: str, facts: ColumnFacts, length: int | None, found: Any
) -> GeneratorSpec | None:
    """Address parts of one locale: a country beside a city / state / postal code is the
    locale's own (its cities and states are that country's), a state there a region of it."""
    owner, part = address_of(name)
    if not _has_address(table, owner):
        return None
    if found == "address.country":
        return text.provider_spec("address.default_country")
    if REGION.match(part):
        return text.provider_spec("address.state")
    if ADDRESS_LINE_2.match(part) and (length is None or length >= COMPOSE_MIN):
        return _compose(SUITES, "address.street_number")
    return None


def _has_address(table: DbTable, owner: str) -> bool:
    """Whether the table holds an address of this owner (billing_, or "" for its own): a city,
    a postal code or a street (a `state` beside none is a workflow state)."""
    for c in table.columns:
        whose, part = address_of(readable(c.name))
        if whose == owner and ADDRESS_PARTS.match(part):
            return True
    return False


def _small_domain(
    table: DbTable, name: str, bare: str, facts: ColumnFacts, length: int | None, found: Any
) -> GeneratorSpec | None:
    """status / state / priority / type ... : a few values, as an application stores them."""
    if alone_unique(table, name):
        return None
    found_domain = next((k for p, k in SMALL_DOMAINS if re.search(p, name)), None)
    labels = DOMAIN_VALUES.get(found_domain or "")
    if labels is None and GENERIC_KIND.search(name):
        digest = hashlib.blake2b(f"{bare}.{name}".encode(), digest_size=4).digest()
        start = int.from_bytes(digest, "little") % len(GENERIC_LABELS)  # stable per column
        labels = tuple(GENERIC_LABELS[(start + 7 * i) % len(GENERIC_LABELS)] for i in range(4))
    if labels is None:
        return None
    kept = _fitting(list(labels), facts, length)
    return choice.choice_spec(kept) if len(kept) >= 2 else None


def _fitting(values: list[str], facts: ColumnFacts, length: int | None) -> list[str]:
    """The labels that pass the column's length and CHECKs (case, patterns, `<>`)."""
    if facts.case == "both":
        return []
    cased = [v.upper() if facts.case == "upper" else v for v in values]
    if facts.case == "lower":
        cased = [v.lower() for v in cased]
    limit = min(x for x in (length, facts.max_length, 1 << 30) if x is not None)
    return [
        v
        for v in dict.fromkeys(cased)
        if len(v) <= limit
        and len(v) >= (facts.min_length or 0)
        and v not in facts.excluded
        and facts.fits(v)
    ]


def alone_unique(table: DbTable, name: str) -> bool:
    """Whether the column by itself must be unique (a small domain cannot be)."""
    keys = [tuple(table.primary_key), *(tuple(u.columns) for u in table.uniques)]
    return any(len(k) == 1 and readable(k[0]) == name for k in keys)


def _long_text(
    table: DbTable, name: str, bare: str, facts: ColumnFacts, length: int | None, found: Any
) -> GeneratorSpec | None:
    """A body / content / message: a few sentences of the locale's text (a sentence when the
    column holds less)."""
    if not LONG_TEXT.match(name):
        return None
    if length is not None and length < 300:
        return text.provider_spec("text.sentence")
    return text.provider_spec("text.text", {"quantity": 3})


def _composed_name(
    table: DbTable, name: str, bare: str, facts: ColumnFacts, length: int | None, found: Any
) -> GeneratorSpec | None:
    """Names that read like names: `Mary Delaney`, `Delaney Logistics`, `Silver Harbor`,
    slugs `silver-harbor`, image files `harbor.png` — distinct without row numbers."""
    if length is not None and length < COMPOSE_MIN:
        return None
    if found == "person.full_name":
        return _compose("person.first_name", "person.last_name")
    if found == "finance.company":
        return _compose("person.last_name", COMPANY_WORDS)
    if found == "internet.slug" or name == "slug":
        return _compose(_WORDS, _WORDS, sep="-", case="lower")
    if IMAGE.search(name):
        return _compose(_WORDS, IMAGE_TYPES, sep=".", case="lower")
    if found == "text.title" or name in ("title", "headline"):
        return _compose(_WORDS, _WORDS, case="title")
    if found is not None or not THING_NAME.search(name):
        return None
    return _thing_name(bare, name)


def _thing_name(bare: str, name: str) -> GeneratorSpec:
    if name in ("name", f"{bare.rstrip('s')}_name"):
        for pattern, provider in NAMED_TABLES:
            if re.search(pattern, bare):
                return text.provider_spec(provider)
        if PERSON_TABLES.search(bare):
            return _compose("person.first_name", "person.last_name")
        if ONE_WORD_TABLES.search(bare):
            return _compose(_WORDS, case="title")
    return _compose(_WORDS, _WORDS, case="title")


def _compose(*parts: Any, sep: str = " ", case: str | None = None) -> GeneratorSpec:
    """`gen` of joined parts (a provider name, a word list {"parts": [...], "alpha": True}, or
    literal values); the first part names the provider the values are typed from."""
    alpha = any(isinstance(p, dict) for p in parts)
    flat = [p["parts"][0] if isinstance(p, dict) else p for p in parts]
    first = next((p for p in flat if isinstance(p, str)), "text.word")
    compose: dict[str, Any] = {"parts": flat, "sep": sep}
    if case:
        compose["case"] = case
    if alpha:
        compose["alpha"] = True
    return text.provider_spec(first, compose=dict(sorted(compose.items())))  # plain JSON
