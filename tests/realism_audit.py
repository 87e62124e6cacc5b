"""Audit a seeded database for what a reviewer checks by eye: a URL -> per rule, the columns it
read and the values (or rows) that break it.

`realism(url, schemas)` reflects the tables with SQLAlchemy (not with seedspec), selects every
row (up to LIMIT per table) and judges the values in Python, the same way on SQLite, PostgreSQL
and MariaDB. The rules, each chosen by column names (its own tables below, independent of
seedspec's inference):

- emails: `email`, `*_email`, `email_address` hold `local@domain.tld`;
- urls: `url`, `*_url`, `website`, `homepage` parse as http(s) URLs with a dotted host;
- dates ordered: in one row, created <= updated / deleted / published / closed ..., start <=
  end, opened <= closed, born <= died, issued <= expires, order <= shipped <= delivered,
  rental <= return, from <= to, install <= termination (NULL passes);
- no future: a date / timestamp is not later than now unless its name says so (expires, due,
  scheduled, ends, until, valid_to, next, planned, renew, to);
- lat/lng: `lat`, `*_lat`, `latitude`, `geo_latitude` ... within +-90, longitudes +-180;
- places: a row's city belongs to its country (mimesis's cities of the locale whose country it
  is), and a state beside `United States` is a US state; each owner's address apart
  (`billing_city` with `billing_country`, `ShipCity` with `ShipCountry`), and a city whose
  row points at a row naming a country (pagila's city -> country) in that country; names are
  read in their words (CamelCase split);
- person names: first / last / full / display / contact names, usernames and logins, and `name`
  in person tables (user, customer, employee, staff, author, actor, member ...), end in no row
  number (`-12`);
- thing names: `name`, `*_name`, `label`, `title` end in no row number and hold no lorem ipsum;
- small domains: text status / state / priority / level / visibility / severity columns take at
  most 10 distinct values, integer status / level / priority / state / kind / type ones stay
  within 0..100 (columns alone unique, or FKs, are left out).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import sqlalchemy as sa

LIMIT = 10_000  # rows read per table
RULES = (
    "emails",
    "urls",
    "dates ordered",
    "no future",
    "lat/lng",
    "places",
    "person names",
    "thing names",
    "small domains",
)
SKIP_TABLES = {"seedspec_ledger"}  # seedspec's own ledger: written at apply time
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
EMAIL_COL = re.compile(r"(^|_)e?mail(_?address)?$")
URL_COL = re.compile(r"(^|_)url$|^(website|homepage)$")
LAT_COL = re.compile(r"(^|_)(lat|latitude)(_|$)")
LNG_COL = re.compile(r"(^|_)(lng|lon|longitude)(_|$)|(^|_)long$")
PERSON_COL = re.compile(
    r"^(first_?name|last_?name|full_?name|display_name|contact_name|surname|user_?name|login)$"
)
PERSON_TABLE = re.compile(
    r"(user|person|people|employee|customer|staff|author|artist|actor|member)"
)
THING_COL = re.compile(r"^(name|label|title)$|(^|_)name$")
NUMBERED = re.compile(r"-\d+$")
LOREM = {"lorem", "ipsum", "dolor", "consectetur", "adipiscing", "elit", "sed do"}
TEXT_DOMAIN = re.compile(r"(^|_)(status|state|priority|level|visibility|severity)$")
INT_DOMAIN = re.compile(r"(^|_)(status|state|level|priority|kind|type|visibility|severity)$")
FUTURE_OK = re.compile(
    r"(^|_)(expires?|expiry|expiration|due|deadline|scheduled|ends?|until|valid_to|next|"
    r"planned|renew(al|s)?|to)(_|$)|(end|due|expir)[a-z]*date$"
)
DATE_SUFFIXES = ("_datetime", "_date", "_time", "_at", "_on", "_ts", "date", "time")
# (earlier stems, later stems): a pair of columns of one row whose stems fall on both sides
LIFECYCLE: tuple[tuple[set[str], set[str]], ...] = (
    (
        {"created", "create", "creation", "date_created", "inserted", "insert"},
        {"updated", "modified", "last_updated", "last_update", "last_modified", "deleted",
         "published", "closed", "completed", "archived", "resolved", "changed", "edited"},
    ),
    ({"start", "starts", "started", "begin", "valid_from", "sellstart"},
     {"end", "ends", "ended", "finished", "finish", "valid_to", "until", "sellend"}),
    ({"opened", "open"}, {"closed", "close"}),
    ({"born", "birth", "dob"}, {"died", "death"}),
    ({"issued", "issue"}, {"expires", "expiry", "expiration"}),
    ({"order", "ordered"}, {"shipped", "ship", "delivered", "required"}),
    ({"shipped", "ship"}, {"delivered"}),
    ({"rental", "rented"}, {"return", "returned"}),
    ({"from"}, {"to"}),
    ({"install", "installed"}, {"termination", "terminated"}),
)  # fmt: skip


@dataclass
class RuleCount:
    columns: int = 0  # columns (or column pairs) the rule read
    violations: int = 0  # values / rows that break it
    examples: list[str] = field(default_factory=list)

    def add(self, where: str, bad: Iterable[Any]) -> None:
        self.columns += 1
        for value in bad:
            self.violations += 1
            if len(self.examples) < 5:
                self.examples.append(f"{where}: {value!r}"[:160])


@dataclass
class RealismResult:
    rules: dict[str, RuleCount] = field(default_factory=lambda: {r: RuleCount() for r in RULES})

    @property
    def violations(self) -> int:
        return sum(r.violations for r in self.rules.values())

    def summary(self) -> str:
        lines = []
        for name, r in self.rules.items():
            lines.append(f"{name}: {r.columns} checked, {r.violations} violations")
            lines += [f"  {e}" for e in r.examples]
        return "\n".join(lines)


def realism(url: str, schemas: Sequence[str | None] | None = None) -> RealismResult:
    """Every rule over every table of the schemas (None: the connection's default one)."""
    result = RealismResult()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            for schema in schemas or [None]:
                metadata = sa.MetaData()
                with warnings.catch_warnings():  # xml, tsvector ... are NullType: read as text
                    warnings.simplefilter("ignore", sa.exc.SAWarning)
                    metadata.reflect(conn, schema=schema)  # one batch of catalog queries
                for table in metadata.tables.values():
                    if table.schema == schema and table.name not in SKIP_TABLES:
                        _table(conn, table, result)
    finally:
        engine.dispose()
    return result


def _table(conn: sa.Connection, table: sa.Table, result: RealismResult) -> None:
    rows = [dict(r._mapping) for r in conn.execute(sa.select(table).limit(LIMIT))]
    if not rows:
        return
    label = f"{table.schema}.{table.name}" if table.schema else table.name
    left = _alone_unique(table) | {fk.parent.name for fk in table.foreign_keys}
    columns = [(c.name, _snake(c.name), c.type) for c in table.columns]
    parts = {_owned(low) for _, low, _ in columns}
    addressed = {o for o, p in parts if p in {"city", "town", "address", "postal_code", "zip"}}
    for col, low, typ in columns:
        values = [r[col] for r in rows if r[col] is not None]
        where = f"{label}.{col}"
        owner, part = _owned(low)
        left_out = col in left or (owner in addressed and part == "state")  # a region there
        _value_rules(result, where, low, table.name.lower(), typ, values, left_out)
    _dates_ordered(result, label, columns, rows)
    _places(result, label, columns, rows)
    _places_across(conn, table, label, result)


def _alone_unique(table: sa.Table) -> set[str]:
    """Columns unique by themselves (a key, a UNIQUE constraint or index)."""
    keys = [[c.name for c in table.primary_key.columns]]
    keys += [
        [c.name for c in u.columns] for u in table.constraints if isinstance(u, sa.UniqueConstraint)
    ]
    keys += [[c.name for c in i.columns] for i in table.indexes if i.unique]
    return {k[0] for k in keys if len(k) == 1}


def _is_text(typ: Any) -> bool:
    return isinstance(typ, sa.String) and not isinstance(typ, sa.Enum)


def _is_int(typ: Any) -> bool:
    return isinstance(typ, sa.Integer) and not isinstance(typ, sa.Boolean)


def _is_instant(typ: Any) -> bool:
    return isinstance(typ, (sa.Date, sa.DateTime))


def _value_rules(
    result: RealismResult, where: str, low: str, table: str, typ: Any, values: list[Any], key: bool
) -> None:
    """The rules that judge one column's values alone."""
    rules = result.rules
    strings = [v for v in values if isinstance(v, str)]
    if values and len(strings) == len(values) and not isinstance(typ, sa.Enum):
        typ = sa.String()  # a domain over text (adventureworks' "Name") reflects as NullType
    if _is_text(typ) and EMAIL_COL.search(low):
        rules["emails"].add(where, [v for v in strings if not EMAIL.match(v)])
    if _is_text(typ) and URL_COL.search(low):
        rules["urls"].add(where, [v for v in strings if not _url(v)])
    if _is_instant(typ) and not FUTURE_OK.search(low):
        now = dt.datetime.now()
        rules["no future"].add(where, [v for v in values if _moment(v) > now])
    numbers = [float(v) for v in values if isinstance(v, (int, float)) or hasattr(v, "is_nan")]
    if numbers and LAT_COL.search(low):
        rules["lat/lng"].add(where, [v for v in numbers if abs(v) > 90])
    elif numbers and LNG_COL.search(low):
        rules["lat/lng"].add(where, [v for v in numbers if abs(v) > 180])
    person = PERSON_COL.match(low) or (low == "name" and PERSON_TABLE.search(table))
    if _is_text(typ) and person:
        rules["person names"].add(where, [v for v in strings if NUMBERED.search(v)])
    elif _is_text(typ) and THING_COL.search(low):
        rules["thing names"].add(where, [v for v in strings if NUMBERED.search(v) or _lorem(v)])
    if key:
        return
    if _is_text(typ) and TEXT_DOMAIN.search(low):
        distinct = sorted(set(strings))
        rules["small domains"].add(where, distinct[10:])  # the 11th distinct value on
    elif _is_int(typ) and INT_DOMAIN.search(low):
        rules["small domains"].add(where, [v for v in values if not 0 <= v <= 100])


def _url(text: str) -> bool:
    parts = urlparse(text)
    return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in text


def _lorem(text: str) -> bool:
    return bool(set(re.findall(r"[a-z]+", text.lower())) & LOREM)


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value)[:19])


def _stem(name: str) -> str:
    for suffix in DATE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].rstrip("_")
    return name


def lifecycle_pairs(columns: Sequence[tuple[str, str, Any]]) -> list[tuple[str, str]]:
    """(earlier, later) date columns of one table, by the stems of their names."""
    stems = [(col, _stem(low)) for col, low, typ in columns if _is_instant(typ)]
    pairs = []
    for early, late in LIFECYCLE:
        for a, sa_ in stems:
            for b, sb in stems:
                if a != b and sa_ in early and sb in late:
                    pairs.append((a, b))
    return list(dict.fromkeys(pairs))


def _dates_ordered(
    result: RealismResult, label: str, columns: Sequence[tuple[str, str, Any]], rows: list[dict]
) -> None:
    for early, late in lifecycle_pairs(columns):
        bad = [
            f"{r[early]} > {r[late]}"
            for r in rows
            if r[early] is not None and r[late] is not None and _moment(r[early]) > _moment(r[late])
        ]
        result.rules["dates ordered"].add(f"{label}.{early} <= {late}", bad)


@functools.lru_cache(maxsize=1)
def cities_by_country() -> dict[str, set[str]]:
    """country name -> the cities mimesis holds for the locales of that country."""
    from mimesis import Address
    from mimesis.locales import Locale

    out: dict[str, set[str]] = defaultdict(set)
    for locale in Locale:
        address = Address(locale)
        out[address.default_country()].update(address._dataset.get("city", []))
    return dict(out)


@functools.lru_cache(maxsize=1)
def us_states() -> set[str]:
    from mimesis import Address
    from mimesis.locales import Locale

    return set(Address(Locale.EN)._dataset["state"]["name"])


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
OWNER = re.compile(r"^(billing|bill_to|shipping|ship_to|ship|mailing|delivery|home|work)_(.+)$")


def _snake(name: str) -> str:
    """A column name as a reader sees its words: BillingCity -> billing_city."""
    return name.lower() if name.islower() or name.isupper() else _CAMEL.sub("_", name).lower()


def _owned(low: str) -> tuple[str, str]:
    """(whose address, which part): billing_city -> (billing, city); city -> ("", city)."""
    found = OWNER.match(low)
    return (found.group(1), found.group(2)) if found else ("", low)


def _places_across(conn: sa.Connection, table: sa.Table, label: str, result: RealismResult) -> None:
    """A city whose row points (one foreign key) at a row naming a country: in that country
    (pagila's city.country_id -> country.country)."""
    city = next((c for c in table.columns if _snake(c.name) in ("city", "town")), None)
    own = {_snake(c.name) for c in table.columns} & {"country", "country_name"}
    if city is None or not _is_text(city.type) or own:  # a country of its own: the row's rule
        return
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent is table or fk.constraint is None or len(fk.constraint.columns) != 1:
            continue
        names = {_snake(c.name): c for c in parent.columns if _is_text(c.type)}
        wanted = ["country", "country_name"] + (["name"] if "countr" in parent.name.lower() else [])
        country = next((names[n] for n in wanted if n in names), None)
        if country is None:
            continue
        query = (
            sa.select(city, country)
            .select_from(table.join(parent, fk.parent == fk.column))
            .limit(LIMIT)
        )
        known = cities_by_country()
        bad = [
            f"{c} / {k}"
            for c, k in conn.execute(query)
            if c is not None and k is not None and c not in known.get(k, set())
        ]
        result.rules["places"].add(f"{label}.{city.name} in {parent.name}.{country.name}", bad)


def _places(
    result: RealismResult, label: str, columns: Sequence[tuple[str, str, Any]], rows: list[dict]
) -> None:
    owners: dict[str, dict[str, str]] = defaultdict(dict)  # billing_, ship_ ...: one address each
    for col, low, typ in columns:
        if _is_text(typ):
            owner, part = _owned(low)
            owners[owner][part] = col
    for text in owners.values():
        _address_places(result, label, text, rows)


def _address_places(
    result: RealismResult, label: str, text: dict[str, str], rows: list[dict]
) -> None:
    country = text.get("country") or text.get("country_name")
    if country is None:
        return
    city, state = text.get("city") or text.get("town"), text.get("state")
    if city is not None:
        known = cities_by_country()
        bad = [
            f"{r[city]} / {r[country]}"
            for r in rows
            if r[city] is not None
            and r[country] is not None
            and r[city] not in known.get(r[country], set())
        ]
        result.rules["places"].add(f"{label}.{city} in {country}", bad)
    if state is not None:
        us = us_states()
        bad = [
            f"{r[state]} / {r[country]}"
            for r in rows
            if r[country] == "United States" and r[state] is not None and r[state] not in us
        ]
        result.rules["places"].add(f"{label}.{state} in {country}", bad)
