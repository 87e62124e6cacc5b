"""Facts cache: a schema snapshot's text -> its tables' TableFacts, kept on disk between processes.

Reading a schema's CHECKs, partition bounds and index expressions takes sqlglot (0.1-0.2 s to
import) and the parsing itself; a committed snapshot changes only when the schema does, while the
pre-commit hook (`seedspec check --offline`) runs on every edit of the spec. So the facts of a
snapshot are kept under its text's digest: a hook run whose snapshot was read before (or written
by `seedspec snapshot` on this machine) needs no sqlglot at all. Kept with the facts: how each
CHECK reads (database/checks.py's read_check, generic and in the schema's own dialect), which
the compiler's oracle pass asks too.

Facts are a pure function of the table (database/facts.py), so cached facts are the facts: the
plan is byte-identical with or without the cache. The key holds the snapshot's text digest, this
seedspec's version, the Python version and the size and mtime of the fact-reading modules; a
file whose key differs, or that cannot be read, is ignored and the facts are computed again.
Stored with pickle (TableFacts are frozen dataclasses; a JSON codec for every fact type would be a
second model to keep in step): the folder is the user's own cache ($SEEDSPEC_CACHE_DIR, else
$XDG_CACHE_HOME/seedspec, else ~/.cache/seedspec, as the pool cache), which only the user can
write. SEEDSPEC_NO_CACHE=1 turns it off; a failed write is silent.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

import seedspec
from seedspec.database import checks, facts
from seedspec.database.model import DbSchema
from seedspec.dialects.capabilities import capabilities_for
from seedspec.generate import poolcache

FORMAT = 1  # bump when TableFacts change shape


def _proxy(data: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(data)


def _reduce_proxy(m: MappingProxyType[str, Any]) -> tuple[Any, tuple[dict[str, Any]]]:
    return _proxy, (dict(m),)


copyreg.pickle(MappingProxyType, _reduce_proxy)  # TableFacts hold read-only mappings


def _code_stamp() -> str:
    """The size and mtime of every module that reads facts (seedspec/database/*.py, the pattern
    lengths, the dialects' sqlglot names): in a checkout the code changes under one version
    number, and a changed reader must not be served the old reader's facts (~30 stat calls:
    well under a millisecond)."""
    here = Path(__file__).resolve().parent
    package = here.parent
    readers = [*here.glob("*.py"), package / "generate" / "patterns.py"]
    readers.append(package / "dialects" / "capabilities.py")
    stamps = []
    for module in sorted(readers):
        info = module.stat()
        stamps.append(f"{module.name}:{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamps)


def _key(text: str) -> str:
    version = f"{seedspec.__version__}|{sys.version_info[:2]}|{FORMAT}|{_code_stamp()}"
    return hashlib.sha256((version + "\x1f" + text).encode("utf-8")).hexdigest()


def _path(key: str) -> Path | None:
    pools = poolcache.folder()
    return None if pools is None else pools.parent / f"facts-{FORMAT}" / f"{key[:32]}.pickle"


def warm(schema: DbSchema, text: str) -> None:
    """Give every table of `schema` (parsed from the snapshot `text`) its facts: from the cache
    when this text was read before, else computed now and stored."""
    key = _key(text)
    path = _path(key)
    found = _load(path, key) if path is not None else None
    if found is not None and set(found[0]) == {t.name for t in schema.tables}:
        for table in schema.tables:
            facts.remember(table, found[0][table.name])
        checks.remember_readings(found[1])
        return
    computed = facts.facts_of(schema)
    reader = capabilities_for(schema.dialect).sqlglot_dialect  # as the compiler's oracle reads
    texts = {c.sqltext for t in schema.tables for c in t.checks}
    readings = {(sql, d): checks.read_check(sql, d) for sql in texts for d in {None, reader}}
    if path is not None:
        _store(path, key, computed, readings)


Readings = dict[tuple[str, str | None], checks.CheckReading]


def _load(path: Path, key: str) -> tuple[dict[str, facts.TableFacts], Readings] | None:
    try:
        with path.open("rb") as f:
            data = pickle.load(f)  # noqa: S301 - the user's own cache folder, key checked below
    except Exception:  # noqa: BLE001 - any unreadable cache file is a miss
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    tables, readings = data.get("facts"), data.get("readings")
    if not isinstance(tables, dict) or not isinstance(readings, dict):
        return None
    return tables, readings


def _store(path: Path, key: str, computed: dict[str, facts.TableFacts], readings: Readings) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(
                {"key": key, "facts": computed, "readings": readings},
                out,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
