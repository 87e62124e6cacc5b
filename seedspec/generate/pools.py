"""Mimesis value pools: (locale, provider.method, args, seed) -> a fixed, deduplicated numpy pool.

Pools are drawn once per run from a mimesis Generic seeded by a stable key; rows then index
into them with vectorised draws. A pool never depends on a table's row count.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedspec.deferred import deferred
from seedspec.errors import SeedspecError
from seedspec.generate import poolcache
from seedspec.generate.random import stream_key

if TYPE_CHECKING:
    import mimesis
    import numpy as np
    from mimesis import Generic, Locale
else:
    mimesis = deferred("mimesis")
    np = deferred("numpy")

POOL_SIZE = 4096


@functools.cache
def mimesis_version() -> str:
    """``mimesis.__version__`` without importing mimesis: the literal its ``__init__.py``
    assigns (mimesis imported for it when the file does not assign one literal)."""
    found = importlib.util.find_spec("mimesis")
    origin = None if found is None else found.origin
    if origin is not None:
        tree = ast.parse(Path(origin).read_text(encoding="utf-8"))
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["__version__"]
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                return node.value.value
    import mimesis

    return str(mimesis.__version__)


def locale_of(code: str) -> Locale:
    try:
        return mimesis.Locale(code)
    except ValueError:
        known = ", ".join(sorted(loc.value for loc in mimesis.Locale))
        raise SeedspecError(f"unknown locale {code!r}; mimesis knows: {known}") from None


def resolve_provider(provider: str, locale: str = "en") -> Any:
    """The bound mimesis method for 'provider.method', or a SeedspecError naming the problem."""
    generic = _generic(locale, 0)
    try:
        group, method = provider.split(".", 1)
    except ValueError:
        raise SeedspecError(f"gen: {provider!r} must be 'provider.method'") from None
    obj = getattr(generic, group, None)
    if obj is None or group.startswith("_"):
        raise SeedspecError(f"gen: mimesis has no provider {group!r}")
    fn = getattr(obj, method, None)
    if fn is None or method.startswith("_") or not callable(fn):
        raise SeedspecError(f"gen: mimesis provider {group!r} has no method {method!r}")
    return fn


def _generic(locale: str, seed: int) -> Generic:
    return mimesis.Generic(locale=locale_of(locale), seed=seed)


@functools.lru_cache(maxsize=512)
def _values_cached(
    locale: str, provider: str, args_json: str, seed: int, size: int
) -> tuple[Any, ...]:
    # mimesis_version(), not mimesis.__version__: a pool on disk needs no mimesis import
    key = [mimesis_version(), locale, provider, args_json, seed, size]
    values = poolcache.load(key)
    if values is None:
        values = _draw(locale, provider, args_json, seed, size)
        poolcache.store(key, values)
    return tuple(values)


@functools.lru_cache(maxsize=512)
def _pool_cached(locale: str, provider: str, args_json: str, seed: int, size: int) -> np.ndarray:
    values = _values_cached(locale, provider, args_json, seed, size)
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _draw(locale: str, provider: str, args_json: str, seed: int, size: int) -> list[Any]:
    """`size` values from mimesis, duplicates dropped, first-seen order kept."""
    _checked(provider, locale)
    generic = _generic(locale, stream_key("pool", seed, locale, provider, args_json))
    group, method = provider.split(".", 1)
    fn = getattr(getattr(generic, group), method)
    args = json.loads(args_json)
    try:
        raw = [fn(**args) for _ in range(size)]
    except TypeError as err:
        raise SeedspecError(f"gen: {provider}: bad args {args}: {err}") from None
    seen: dict[Any, None] = {}
    for value in raw:
        seen.setdefault(_hashable(value), None)
    return list(seen)


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True, default=str)
    return value


@functools.lru_cache(maxsize=512)
def _checked(provider: str, locale: str) -> None:
    """The provider checked once per process (a mimesis Generic loads its locale's JSON: ~40 ms
    a call; a raised error is not cached)."""
    resolve_provider(provider, locale)


def pool(
    provider: str, *, locale: str, seed: int, args: dict[str, Any] | None = None, size: int = 0
) -> np.ndarray:
    """A deduplicated pool of mimesis values (object array), cached per process and on disk
    (generate/poolcache.py; the provider is checked when the pool is drawn)."""
    args_json = json.dumps(args or {}, sort_keys=True, default=str)
    return _pool_cached(locale, provider, args_json, seed, size or POOL_SIZE)


def pool_values(
    provider: str, *, locale: str, seed: int, args: dict[str, Any] | None = None, size: int = 0
) -> tuple[Any, ...]:
    """The values of `pool` as a tuple (what the compiler's checks read: no numpy)."""
    args_json = json.dumps(args or {}, sort_keys=True, default=str)
    return _values_cached(locale, provider, args_json, seed, size or POOL_SIZE)
