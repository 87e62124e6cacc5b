"""Storage: an export's `--out` (a local folder, or any fsspec URL: file://, s3://, memory://...)
-> files opened for writing under it, each counting its bytes and SHA-256 as they are written.

Local folders use the standard library; a URL goes through fsspec (it comes with the `dask`
extra), imported only then."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import IO, Any

from seedspec.errors import UsageError


def is_url(out: str | os.PathLike[str]) -> bool:
    """Whether `out` names an fsspec URL (`scheme://...`) rather than a local folder."""
    return "://" in os.fspath(out)


class HashedFile:
    """A binary file open for writing that hashes what goes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        block = bytes(data)
        self.digest.update(block)
        self.size += len(block)
        self.raw.write(block)
        return len(block)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.raw.flush()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readable(self) -> bool:
        return False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.raw.close()

    def __enter__(self) -> HashedFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


class Folder:
    """The export's output folder; `open(rel)` -> a HashedFile under it (folders made)."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.root = os.fspath(out).rstrip("/") if is_url(out) else os.fspath(out)
        self.fs: Any = None
        if is_url(out):
            try:
                import fsspec
            except ImportError:
                raise UsageError(
                    f"--out {self.root}: a URL needs fsspec: pip install 'seedspec[dask]'"
                ) from None
            try:
                self.fs, self.path = fsspec.core.url_to_fs(self.root)
            except (ImportError, ValueError) as err:
                raise UsageError(f"--out {self.root}: {err}") from None
        else:
            self.path = self.root
        self.mkdir("")

    def mkdir(self, rel: str) -> None:
        target = self._join(rel)
        if self.fs is None:
            Path(target).mkdir(parents=True, exist_ok=True)
        else:
            self.fs.makedirs(target, exist_ok=True)

    def _join(self, rel: str) -> str:
        if not rel:
            return self.path
        return f"{self.path}/{rel}" if self.fs is not None else os.path.join(self.path, rel)

    def open(self, rel: str) -> HashedFile:
        parent = rel.rpartition("/")[0]
        if parent:
            self.mkdir(parent)
        target = self._join(rel)
        raw = open(target, "wb") if self.fs is None else self.fs.open(target, "wb")  # noqa: SIM115
        return HashedFile(raw)

    def write_text(self, rel: str, text: str) -> HashedFile:
        with self.open(rel) as f:
            f.write(text.encode("utf-8"))
        return f

    def url(self, rel: str) -> str:
        """Where `rel` is, as the user named the folder."""
        return self.url_of(self.root, rel)

    @staticmethod
    def url_of(out: str | os.PathLike[str], rel: str) -> str:
        """`rel` under the folder or URL `out`, without touching it."""
        root = os.fspath(out)
        return f"{root.rstrip('/')}/{rel}" if is_url(root) else os.path.join(root, rel)
