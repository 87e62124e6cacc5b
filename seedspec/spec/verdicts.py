"""A spec document's data and the shipped JSON Schema -> whether the two were found valid before,
kept as one empty file per (schema, data) digest in seedspec's cache folder.

Checking a spec against the JSON Schema needs jsonschema, referencing, attrs and rpds imported
and a Draft7 validator built: ~60-100 ms of a small apply, and the same answer every time for
the same spec. Validity is a pure function of the schema's text and the document's data, so a
file named by the digest of both says "valid, nothing to report": the check is skipped and the
spec is read exactly as it would be. Only valid documents are recorded; an invalid one is
always checked, so its problems are reported as always. Folder, SEEDSPEC_NO_CACHE and the
silent failures are the pool cache's (generate/poolcache.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from seedspec.generate.poolcache import root

FORMAT = 1  # bump when the meaning of a recorded verdict changes


def _tagged(value: Any) -> Any:
    """A YAML value JSON has no type for (a date, a set ...), kept apart from any string."""
    return {"\0type": type(value).__qualname__, "\0repr": repr(value)}


def _string_keys(value: Any) -> bool:
    """Whether every mapping key is a string (JSON would turn 1, true, null into one)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _string_keys(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_string_keys(v) for v in value)
    return True


def _file(schema_text: str, data: Any) -> Path | None:
    where = root()
    if where is None or not _string_keys(data):  # such a spec is invalid: always checked
        return None
    try:
        text = json.dumps(data, sort_keys=True, default=_tagged, ensure_ascii=False)
    except (TypeError, ValueError):  # a value JSON cannot hold: not cached
        return None
    digest = hashlib.sha256(f"{FORMAT}\0{schema_text}\0{text}".encode()).hexdigest()
    return where / f"valid-specs-{FORMAT}" / digest


def known_valid(schema_text: str, data: Any) -> bool:
    """Whether this data was found valid against this schema text before."""
    path = _file(schema_text, data)
    return path is not None and path.is_file()


def remember_valid(schema_text: str, data: Any) -> None:
    """Record that this data is valid against this schema text; silent on any failure."""
    path = _file(schema_text, data)
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
