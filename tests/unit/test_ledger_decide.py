"""The apply ledger's decision without a database: (digest, rows now, latest entry, --reset) ->
load, no-op or refuse; and the refusal's words (the entry, and how this plan differs)."""

from __future__ import annotations

from seedspec.database.ledgers import is_ledger
from seedspec.execute.ledger import LOAD, NOOP, REFUSE, Entry, LedgerSpot, decide, refusal
from seedspec.plan.model import InsertRows, Plan


def _entry(digest: str = "d1", counts: dict[str, int] | None = None, seed: int = 4) -> Entry:
    return Entry(
        id=3,
        applied_at="2025-01-02 03:04:05 UTC",
        plan_digest=digest,
        seed=seed,
        scale=1.0,
        counts=counts if counts is not None else {"users": 20, "posts": 60},
        tables=("users", "posts"),
        seedspec_version="0.1.0",
        load_path="default",
    )


def _plan(seed: int = 4, users: int = 20) -> Plan:
    steps = (InsertRows("users", users, ("id",)), InsertRows("posts", 60, ("id",)))
    return Plan(dialect="sqlite", seed=seed, locale="en", recipes=(), steps=steps)


NOW = {"users": 20, "posts": 60}


def test_empty_tables_load_whatever_the_ledger_says() -> None:
    empty = {"users": 0, "posts": 0}
    assert decide("d1", empty, None, reset=False) == LOAD
    assert decide("d2", empty, _entry(), reset=False) == LOAD
    assert decide("d1", {}, None, reset=False) == LOAD  # a plan that writes no table


def test_the_same_plan_with_the_rows_it_left_is_a_noop() -> None:
    assert decide("d1", NOW, _entry(), reset=False) == NOOP
    assert decide("d1", dict(reversed(NOW.items())), _entry(), reset=False) == NOOP


def test_other_rows_are_refused() -> None:
    assert decide("d2", NOW, _entry(), reset=False) == REFUSE  # another plan
    assert decide("d1", {"users": 21, "posts": 60}, _entry(), reset=False) == REFUSE  # changed
    assert decide("d1", {"users": 20, "posts": 0}, _entry(), reset=False) == REFUSE  # emptied
    assert decide("d1", NOW, None, reset=False) == REFUSE  # no entry: rows of someone else


def test_reset_always_loads() -> None:
    assert decide("d1", NOW, _entry(), reset=True) == LOAD
    assert decide("d2", NOW, None, reset=True) == LOAD


def test_the_refusal_shows_the_entry_and_how_it_differs() -> None:
    plan = _plan(seed=5, users=40)
    spot = LedgerSpot()
    text = refusal(plan, 2.0, NOW, _entry(), spot)
    assert text.startswith("tables already hold rows: users, posts; seeded by another plan: ")
    assert (
        "ledger entry #3 (applied 2025-01-02 03:04:05 UTC, digest d1, seed 4, scale 1; "
        "rows: users 20, posts 60)" in text
    )
    assert text.endswith(
        f"this plan (digest {plan.digest()}) differs: seed 5 (not 4); scale 2 (not 1); "
        "rows: users 40 (not 20); pass --reset to replace their rows inside the same transaction"
    )
    same = _plan()
    changed = refusal(same, 1.0, {"users": 25, "posts": 60}, _entry(same.digest()), spot)
    assert "seeded by this plan (ledger entry #3" in changed
    assert "their rows changed since (rows: users 20 -> 25)" in changed
    unknown = refusal(same, 1.0, NOW, None, LedgerSpot("runs", "app"))
    assert unknown == (
        "tables already hold rows: users, posts; seedspec fills empty tables and the ledger "
        "(app.runs) records no apply of them (pass --reset to replace their rows inside the "
        "same transaction)"
    )


def test_a_ledger_is_known_by_its_columns() -> None:
    columns = ["id", "applied_at", "plan_digest", "seed", "scale", "counts", "tables"]
    assert is_ledger([*columns, "seedspec_version", "load_path"])
    assert is_ledger([*columns, "seedspec_version", "load_path", "added_later"])
    assert not is_ledger(columns)
