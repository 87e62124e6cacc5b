"""The on-disk pool cache: a cached pool is the drawn pool, bad files are drawn again."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.generate import poolcache, pools


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SEEDSPEC_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SEEDSPEC_NO_CACHE", raising=False)
    pools._pool_cached.cache_clear()
    pools._values_cached.cache_clear()
    yield tmp_path / f"pools-{poolcache.FORMAT}"
    pools._pool_cached.cache_clear()
    pools._values_cached.cache_clear()


def _fresh(provider: str = "person.first_name", seed: int = 11, **args: object) -> list:
    pools._pool_cached.cache_clear()
    pools._values_cached.cache_clear()
    return pools.pool(provider, locale="en", seed=seed, args=dict(args)).tolist()


def test_cached_pool_is_the_drawn_pool(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEEDSPEC_NO_CACHE", "1")
    drawn = _fresh()
    assert not cache.exists()
    monkeypatch.delenv("SEEDSPEC_NO_CACHE")
    first = _fresh()
    files = list(cache.glob("*.json"))
    assert len(files) == 1
    again = _fresh()
    assert drawn == first == again
    assert [type(v) for v in again] == [type(v) for v in drawn]


def test_numbers_keep_their_type(cache: Path) -> None:
    drawn = _fresh("numeric.float_number", seed=3, start=0.0, end=1.0)
    assert list(cache.glob("*.json"))
    again = _fresh("numeric.float_number", seed=3, start=0.0, end=1.0)
    assert again == drawn and all(type(v) is float for v in again)


def test_broken_or_foreign_file_is_drawn_again(cache: Path) -> None:
    drawn = _fresh(seed=5)
    (path,) = cache.glob("*.json")
    path.write_text('{"key": ["other"], "values": ["x"]}', encoding="utf-8")
    assert _fresh(seed=5) == drawn
    path.write_text("{not json", encoding="utf-8")
    assert _fresh(seed=5) == drawn
    assert _fresh(seed=5) == drawn  # the file was rewritten whole


def test_values_that_are_not_plain_are_not_stored(cache: Path) -> None:
    drawn = _fresh("datetime.date", seed=2)
    assert drawn and not list(cache.glob("*.json"))
    assert _fresh("datetime.date", seed=2) == drawn


def test_unwritable_folder_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SEEDSPEC_CACHE_DIR", str(blocker))
    assert _fresh(seed=9) == _fresh(seed=9)
