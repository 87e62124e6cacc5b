"""Pool cache: a pool's key (mimesis version, locale, provider, args, seed, size) -> its values,
kept as one JSON file per pool in the user's cache folder, so a new process need not draw the
same 4,096 mimesis values again (8-20 ms a provider).

A pool is a pure function of its key, so a cached pool is the pool: rows are byte-identical with
or without the cache. Only pools of plain JSON scalars (str, int, float, bool) are stored; a file
whose key does not match, or that cannot be read, is ignored and drawn again. Folder:
$SEEDSPEC_CACHE_DIR, else $XDG_CACHE_HOME/seedspec, else ~/.cache/seedspec;
SEEDSPEC_NO_CACHE=1 turns the cache off. A failed write (read-only home) is silent.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1  # bump when the way a pool is drawn changes
_PLAIN = (str, int, float, bool)


def root() -> Path | None:
    """seedspec's cache folder (see the module docstring); None: caching is off."""
    if os.environ.get("SEEDSPEC_NO_CACHE", "") not in ("", "0"):
        return None
    given = os.environ.get("SEEDSPEC_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "seedspec"


def folder() -> Path | None:
    where = root()
    return None if where is None else where / f"pools-{FORMAT}"


def _file(key: list[Any]) -> tuple[Path, str] | None:
    where = folder()
    if where is None:
        return None
    text = json.dumps(key, sort_keys=True)
    return where / (hashlib.sha256(text.encode()).hexdigest()[:32] + ".json"), text


def load(key: list[Any]) -> list[Any] | None:
    """The cached values of the pool with this key, or None."""
    found = _file(key)
    if found is None:
        return None
    path, text = found
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or json.dumps(data.get("key"), sort_keys=True) != text:
        return None
    values = data.get("values")
    return values if isinstance(values, list) else None


def store(key: list[Any], values: list[Any]) -> None:
    """Keep the pool's values when they are all plain JSON scalars; silent on any failure."""
    found = _file(key)
    if found is None or not all(type(v) in _PLAIN for v in values):
        return
    path, _text = found
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"key": key, "values": values}, out, ensure_ascii=False)
        os.replace(tmp, path)
    except (OSError, ValueError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
