"""Golden compile tests: each tests/golden/cases/* folder compiles to its expected file.

Re-bless (rewrite every expected file from the code) with `.venv/bin/python scripts/bless.py`;
see tests/golden/README.md.
"""

from __future__ import annotations

import json
from typing import Any

import goldenlib as g
import pytest
from messages import DYNAMIC, MIN_MESSAGES, compiler_messages, coverage, dynamic_entry, skeleton
from readme import listed_skeletons

CASES = g.cases()
COMPILED: dict[str, Any] = {}  # test_case's compile, reused by test_plan_round_trips
BLESS = "re-bless with `.venv/bin/python scripts/bless.py {name}` if the change is intended"


def test_enough_cases() -> None:
    assert len(CASES) >= 30, f"only {len(CASES)} golden cases"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: g.Case) -> None:
    COMPILED[case.name] = result = g.compile_case(case)
    name, doc = g.outcome_of(result)
    actual = g.dumps(doc)
    expected_path = case.path / name
    if not expected_path.is_file():
        other = g.PROBLEMS_FILE if name == g.PLAN_FILE else g.PLAN_FILE
        was = (
            (case.path / other).read_text(encoding="utf-8") if (case.path / other).is_file() else ""
        )
        pytest.fail(
            f"{case.name}: expected {other}, but the compile now gives {name}:\n"
            + g.diff(was, actual, case.name)
            + "\n"
            + BLESS.format(name=case.name),
            pytrace=False,
        )
    expected = expected_path.read_text(encoding="utf-8")
    if expected != actual:
        pytest.fail(
            f"{case.name}/{name} differs ({case.about}):\n"
            + g.diff(expected, actual, f"{case.name}/{name}")
            + BLESS.format(name=case.name),
            pytrace=False,
        )


PLAN_CASES = [c for c in CASES if (c.path / g.PLAN_FILE).is_file()]


@pytest.mark.parametrize("case", PLAN_CASES, ids=[c.name for c in PLAN_CASES])
def test_plan_round_trips(case: g.Case) -> None:
    """Every golden plan, written as JSON and read back, is an equal plan with the same digest."""
    plan = COMPILED.get(case.name) or g.compile_case(case)
    assert not isinstance(plan, Exception), f"{case.name}: {plan}"
    back = g.read_back(plan)
    if back is None:
        pytest.skip("this Plan has no from_json")
    assert back == plan
    assert back.digest() == plan.digest()


CLI_CASES = [c for c in CASES if c.cli]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.name for c in CLI_CASES])
def test_cli(case: g.Case) -> None:
    """The command line gives the same document (and, for `plan`, the library's plan)."""
    actual = g.cli_outcome(case)
    expected = (case.path / g.CLI_FILE).read_text(encoding="utf-8")
    if expected != g.dumps(actual):
        pytest.fail(
            f"{case.name}/{g.CLI_FILE} differs:\n"
            + g.diff(expected, g.dumps(actual), f"{case.name}/{g.CLI_FILE}")
            + BLESS.format(name=case.name),
            pytrace=False,
        )
    if case.cli == "plan":
        library = json.loads((case.path / g.PLAN_FILE).read_text(encoding="utf-8"))
        cli_plan = actual["stdout"]["result"]["plan"]
        assert g.without_live_keys(cli_plan) == g.without_live_keys(library), (
            "the CLI (live SQLite reflection) and the library (snapshot) plans differ"
        )


def test_every_compiler_message_has_a_case() -> None:
    messages = compiler_messages()
    assert len(messages) >= MIN_MESSAGES, (
        f"found only {len(messages)} Problem(...) calls in seedspec/compile/: the compiler reports "
        "problems some other way now; teach tests/golden/messages.py (CALLEES) to find them"
    )
    found = coverage(messages, [c.path for c in CASES])
    missing = [f"{m.file}:{m.line}: {m.template}" for m, names in found.items() if not names]
    assert not missing, "compiler messages without a golden case:\n" + "\n".join(missing)


def test_dynamic_messages_are_still_in_the_compiler() -> None:
    unknown = sorted(
        m.source for m in compiler_messages() if m.dynamic and not dynamic_entry(m.source)
    )
    assert not unknown, f"dynamic messages not listed in messages.DYNAMIC: {unknown}"
    names = {c.name for c in CASES}
    assert {case for case, _ in DYNAMIC.values()} <= names


def test_readme_lists_every_compiler_message() -> None:
    listed = listed_skeletons()
    absent = [
        m.template
        for m in compiler_messages()
        if not m.dynamic and skeleton(m.template) not in listed
    ]
    assert not absent, "tests/golden/README.md is stale; run scripts/bless.py:\n" + "\n".join(
        absent
    )
