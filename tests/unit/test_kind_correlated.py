"""Correlated values: `from:`, template filters and `when:` built through the public path
(spec -> plan recipe -> bound model), and the condition reader's refusals."""

from __future__ import annotations

import re

import pytest
from test_kinds import build

from seedspec.kinds.conditional import ConditionError, condition_tree

NAMES = {"first_name": {"choice": ["Anna", "José", "Mary Ann"]}, "last_name": {"const": "Smith"}}


def test_from_email_from_the_name_parts_starts_with_them_and_is_unique() -> None:
    built = build(
        {"from": ["first_name", "last_name"], "as": "email", "unique": True}, others=NAMES
    )
    emails = built(range(300))
    firsts = build(NAMES["first_name"], column="first_name", others=NAMES)(range(300))
    assert len(set(emails)) == 300
    for email, first, row in zip(emails, firsts, range(1, 301), strict=True):
        local = {"Anna": "anna", "José": "jose", "Mary Ann": "maryann"}[first]
        assert re.fullmatch(rf"{local}\.smith{row}@example\.(com|org|net)", email), email


def test_from_username_full_name_slug_and_domain() -> None:
    assert build({"from": ["first_name", "last_name"], "as": "username"}, others=NAMES)(range(50))[
        0
    ].startswith(("anna_smith", "jose_smith", "maryann_smith"))
    full = build({"from": ["first_name", "last_name"], "as": "full_name"}, others=NAMES)(range(9))
    assert set(full) <= {"Anna Smith", "José Smith", "Mary Ann Smith"}
    title = {"title": {"const": "Hello, World: a Title!"}}
    slugs = build({"from": "title", "as": "slug", "unique": True}, others=title)(range(3))
    assert slugs == ["hello-world-a-title-1", "hello-world-a-title-2", "hello-world-a-title-3"]
    one = {"from": ["first_name"], "as": "email", "domain": "acme.test"}
    assert all(e.endswith("@acme.test") for e in build(one, others=NAMES)(range(20)))


def test_template_filters_lower_upper_slug_initial() -> None:
    entry = {"template": "{first_name|initial|lower}{last_name|upper}-{first_name|slug:>9}"}
    values = set(build(entry, others=NAMES)(range(60)))
    assert values == {"aSMITH-     anna", "jSMITH-     jose", "mSMITH- mary-ann"}


def test_when_three_valued_and_vectorised() -> None:
    others = {
        "status": {"choice": ["paused", "active", "gone"]},
        "n": {"int": {"min": 1, "max": 9}, "null": 0.3},
    }
    entry = {
        "when": "status IN ('paused', 'gone') AND NOT n <= 3 OR n IS NULL AND status = 'active'",
        "then": {"const": "yes"},
        "else": {"const": "no"},
    }
    built = build(entry, others=others)
    got = built(range(400))
    status = build(others["status"], column="status", others=others)(range(400))
    n = build(others["n"], column="n", others=others)(range(400))
    for g, s, k in zip(got, status, n, strict=True):
        want = (s in ("paused", "gone") and k is not None and k > 3) or (
            k is None and s == "active"
        )
        assert g == ("yes" if want else "no")
    nulls = build({"when": "n BETWEEN 2 AND 4", "then": {"const": 1}}, others=others)(range(200))
    assert set(nulls) == {1, None}


@pytest.mark.parametrize(
    "text, message",
    [
        ("status = ", "cannot read the condition"),
        ("lower(status) = 'a'", "is not a column of this row or a literal"),
        ("status LIKE 'a%'", "is not supported"),
        ("status IN (other)", "literal values only"),
        ("t.status = 'a'", "is not a column of this row"),
    ],
)
def test_when_conditions_seedspec_cannot_read(text: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        condition_tree(text)


def test_when_condition_tree() -> None:
    assert condition_tree("a <> 'x' OR b IS NOT NULL") == [
        "or",
        ["cmp", "<>", ["col", "a"], ["lit", "x"]],
        ["not", ["null", ["col", "b"]]],
    ]
    assert condition_tree("d >= DATE '2024-01-01' AND f = TRUE AND k > -2.5") == [
        "and",
        [
            "and",
            ["cmp", ">=", ["col", "d"], ["lit", "2024-01-01"]],
            ["cmp", "=", ["col", "f"], ["lit", True]],
        ],
        ["cmp", ">", ["col", "k"], ["lit", -2.5]],
    ]
