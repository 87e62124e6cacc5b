"""spec/verdicts.py: a valid spec's JSON Schema verdict remembered on disk -> the check skipped
the next time, the same Spec read; invalid specs always checked and reported as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seedspec.errors import SpecError
from seedspec.spec import validate, verdicts
from seedspec.spec.validate import load_spec_data, load_spec_text

VALID = "seedspec: 1\ntables:\n  users:\n    count: 5\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SEEDSPEC_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SEEDSPEC_NO_CACHE", raising=False)
    return tmp_path


def _no_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> Any:
        raise AssertionError("the JSON Schema check ran")

    monkeypatch.setattr(validate, "_validator", refuse)


def test_a_valid_spec_is_checked_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_spec_text(VALID)
    assert len(list(cache.glob("valid-specs-*/*"))) == 1
    _no_validator(monkeypatch)
    assert load_spec_text(VALID) == first


def test_an_invalid_spec_is_never_remembered(cache: Path) -> None:
    text = "seedspec: 1\ntables:\n  users:\n    countz: 5\n"
    for _ in range(2):
        with pytest.raises(SpecError) as err:
            load_spec_text(text)
        assert "unknown key 'countz'" in str(err.value)
    assert list(cache.glob("valid-specs-*/*")) == []


def test_a_key_json_would_turn_into_a_string_is_still_checked(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_spec_data({"seedspec": 1, "tables": {"1": {"count": 5}}})
    with pytest.raises(SpecError) as err:
        load_spec_data({"seedspec": 1, "tables": {1: {"count": 5}}})
    assert "must be a string" in str(err.value)
    assert not verdicts.known_valid("{}", {1: 2})


def test_no_cache_means_every_spec_is_checked(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEEDSPEC_NO_CACHE", "1")
    load_spec_text(VALID)
    assert list(cache.iterdir()) == []


def test_the_verdict_is_of_the_schema_text_and_the_data(cache: Path) -> None:
    verdicts.remember_valid("schema A", {"a": 1})
    assert verdicts.known_valid("schema A", {"a": 1})
    assert not verdicts.known_valid("schema B", {"a": 1})
    assert not verdicts.known_valid("schema A", {"a": 1.0})
    assert not verdicts.known_valid("schema A", {"a": True})
    assert not verdicts.known_valid("schema A", {"a": "1"})
