"""analysis/vocabulary.py and generate/composed.py: names read like names, CHECKs win, and
composed unique values are distinct without row numbers (no database)."""

from __future__ import annotations

import numpy as np

from seedspec.analysis.infer import infer_column
from seedspec.database.checks import ColumnFacts
from seedspec.database.model import DbColumn, DbTable, DbUnique
from seedspec.generate.composed import composed, part_pools


def _infer(column: DbColumn, facts: ColumnFacts | None = None, **table: object):
    t = DbTable("ticket", columns=(DbColumn("id", "integer"), column), **table)  # type: ignore[arg-type]
    return infer_column(t, column, facts).generator


def test_status_is_a_small_vocabulary_that_gives_way_to_checks() -> None:
    g = _infer(DbColumn("status", "varchar", length=20))
    assert g is not None and g.kind == "choice"
    assert g.params["values"] == ["active", "inactive", "pending", "archived"]
    upper = _infer(DbColumn("status", "varchar", length=20), ColumnFacts(case="upper"))
    assert upper is not None and upper.params["values"][0] == "ACTIVE"
    listed = _infer(DbColumn("status", "varchar", length=20), ColumnFacts(allowed=("a", "b")))
    assert listed is not None and listed.params["values"] == ["a", "b"]  # the CHECK IN list
    short = _infer(DbColumn("status", "varchar", length=2))  # no label fits: generic text
    assert short is not None and short.kind == "gen"
    alone = _infer(DbColumn("status", "varchar", length=20), uniques=(DbUnique("u", ("status",)),))
    assert alone is not None and alone.kind == "gen"  # unique by itself: not 4 values


def test_integer_level_is_small_unless_a_check_says_otherwise() -> None:
    g = _infer(DbColumn("access_level", "integer"))
    assert g is not None and (g.params["min"], g.params["max"]) == (0, 4)
    checked = _infer(DbColumn("access_level", "integer"), ColumnFacts(lower=10, upper=12))
    assert checked is not None and (checked.params["min"], checked.params["max"]) == (10, 12)
    within = _infer(DbColumn("access_level", "integer"), ColumnFacts(lower=0))
    assert within is not None and (within.params["min"], within.params["max"]) == (0, 4)


def test_prefixed_coordinates_stay_in_range() -> None:
    for name, top in (("pickup_lat", 90), ("geo_longitude", 180), ("lat_deg", 90)):
        g = _infer(DbColumn(name, "numeric", precision=9, scale=6))
        assert g is not None and -top <= g.params["min"] and g.params["max"] <= top, name


def test_people_and_things_are_composed() -> None:
    person = DbTable("customer", columns=(DbColumn("name", "varchar", length=80),))
    g = infer_column(person, person.columns[0], None).generator
    assert g is not None and g.params["compose"]["parts"] == [
        "person.first_name",
        "person.last_name",
    ]
    thing = _infer(DbColumn("name", "varchar", length=80))
    assert thing is not None and thing.params["compose"]["case"] == "title"
    slug = _infer(DbColumn("slug", "varchar", length=80))
    assert slug is not None and slug.params["compose"]["sep"] == "-"


def _pool(provider: str) -> np.ndarray:
    words = {"a": ["Ann", "Bo", "Cy"], "b": ["Lee", "Ng", "Ode-7", "Al Bo"]}[provider]
    return np.array(words, dtype=object)


def test_composed_unique_values_are_distinct_without_row_numbers() -> None:
    compose = {"parts": ["a", "b"], "sep": " "}
    pools = part_pools(compose, _pool, None)
    assert pools[1] == ["Lee", "Ng"]  # the later part: no separator, no `-digits` ending
    idx = np.arange(6, dtype=np.int64)
    values = composed(7, idx, pools, " ", True, None).tolist()
    assert len(set(values)) == 6 and not any(v[-1].isdigit() for v in values)
    more = composed(7, np.arange(9, dtype=np.int64), pools, " ", True, None).tolist()
    assert len(set(more)) == 9 and more[:6] == values  # past the 6 tuples: `-row` suffixes
    parts = np.concatenate(
        [composed(7, idx[:2], pools, " ", True, None), composed(7, idx[2:], pools, " ", True, None)]
    )
    assert parts.tolist() == values  # any batching gives the same rows


def test_compose_is_written_and_read_back_as_inference_made_it() -> None:
    """`compose:` in a spec gives the params inference makes, and renders back as written."""
    from seedspec.kinds import KINDS
    from seedspec.spec.validate import load_spec_text

    slug = _infer(DbColumn("slug", "varchar", length=80))
    assert slug is not None
    entry = KINDS["gen"].render(slug.params, None)  # type: ignore[arg-type]  # gen asks nothing
    compose = {"parts": ["text.word", "text.word"], "sep": "-", "case": "lower", "alpha": True}
    assert entry == {"gen": "text.word", "compose": compose}
    text = (
        "seedspec: 1\ntables:\n  t:\n    count: 3\n    columns:\n"
        "      slug: {gen: text.word, compose: {parts: [text.word, text.word], sep: '-',"
        " case: lower, alpha: true}}\n"
        "      firm: {gen: person.last_name, compose: {parts: [person.last_name, [Labs]]}}\n"
    )
    columns = {c.name: c for c in load_spec_text(text).tables[0].columns}
    assert columns["slug"].generator.params["compose"] == slug.params["compose"]
    assert columns["firm"].generator.params["compose"] == {
        "parts": ["person.last_name", ["Labs"]],
        "sep": " ",
    }


def test_names_are_read_in_their_words() -> None:
    """CamelCase names are read as their words, and an address owner's prefix is dropped."""
    from seedspec.analysis.names import address_name, readable

    assert readable("BillingCity") == "billing_city" and readable("HTTPMethod") == "http_method"
    assert readable("first_name") == "first_name" and readable("EMAIL") == "email"
    assert address_name("billing_city") == "city" and address_name("ship_postal_code") == (
        "postal_code"
    )
    assert address_name("home_page") == "home_page"  # not an address part: kept whole
    invoice = DbTable(
        "Invoice",
        columns=(
            DbColumn("InvoiceId", "integer"),
            DbColumn("BillingCity", "varchar", length=40),
            DbColumn("BillingState", "varchar", length=40),
            DbColumn("BillingCountry", "varchar", length=40),
            DbColumn("BillingPostalCode", "varchar", length=10),
            DbColumn("FirstName", "varchar", length=40),
        ),
    )
    found = {c.name: infer_column(invoice, c, None).generator for c in invoice.columns[1:]}
    providers = {name: g.params.get("provider") for name, g in found.items() if g is not None}
    assert providers == {
        "BillingCity": "address.city",
        "BillingState": "address.state",  # a region of the address, not a workflow state
        "BillingCountry": "address.default_country",  # the locale's, as its cities are
        "BillingPostalCode": "address.postal_code",
        "FirstName": "person.first_name",
    }
