"""Manifest: what one export (or one shard of it) wrote -> manifest JSON (plan digest, seed,
counts, the rows each part file holds, every file's SHA-256), and its file name."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from seedspec import __version__
from seedspec.export.shards import Shard
from seedspec.export.storage import Folder

MANIFEST_VERSION = 1


def manifest_name(shard: Shard) -> str:
    """manifest.json for the whole export; manifest-K-of-N.json for a shard."""
    return "manifest.json" if shard.whole else f"manifest-{shard.index}-of-{shard.count}.json"


@dataclass
class FileEntry:
    """One written file: its path under the export directory, what it holds, its checksum."""

    path: str
    table: str | None
    kind: str  # rows | fill | script
    start: int = 0
    stop: int = 0
    sha256: str = ""
    bytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.table is not None:
            out.update(table=self.table, start=self.start, stop=self.stop)
        out.update(sha256=self.sha256, bytes=self.bytes)
        return out


@dataclass
class Manifest:
    format: str
    dialect: str
    plan_digest: str
    seed: int
    shard: Shard
    part_rows: int
    counts: dict[str, int] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)  # in load order
    fills: list[dict[str, Any]] = field(default_factory=list)  # cycle-closing updates, in order
    files: list[FileEntry] = field(default_factory=list)
    script: str | None = None

    @property
    def rows(self) -> int:
        return sum(f.stop - f.start for f in self.files if f.kind == "rows")

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest": MANIFEST_VERSION,
            "seedspec_version": __version__,
            "format": self.format,
            "dialect": self.dialect,
            "plan_digest": self.plan_digest,
            "seed": self.seed,
            "shard": {"index": self.shard.index, "count": self.shard.count},
            "part_rows": self.part_rows,
            "counts": self.counts,
            "rows_written": self.rows,
            "tables": self.tables,
            "fills": self.fills,
            "script": self.script,
            "files": [f.to_dict() for f in self.files],
        }

    def write(self, out: Folder) -> str:
        """The manifest file under `out`; its path or URL."""
        name = manifest_name(self.shard)
        out.write_text(name, json.dumps(self.to_dict(), indent=2) + "\n")
        return out.url(name)
