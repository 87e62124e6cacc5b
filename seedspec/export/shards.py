"""Shards: a table's row count, the part size and `K/N` -> the part files (row ranges) one shard
writes.

A table's rows are cut into parts of `part_rows` rows whatever N is, and shard K of N writes the
parts [P*(K-1)//N, P*K//N) of the P parts, so every part file is the same bytes in any run and
the union of N shards' files is the unsharded export's files, for every N."""

from __future__ import annotations

from dataclasses import dataclass

from seedspec.errors import UsageError

DEFAULT_PART_ROWS = 100_000


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`; Shard(1, 1) is the whole export."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str | None) -> Shard:
        """`K/N` (1 <= K <= N) -> Shard; None -> the whole export."""
        if text is None:
            return cls()
        k, sep, n = text.partition("/")
        try:
            index, count = int(k), int(n)
        except ValueError:
            index = count = 0
        if not sep or count < 1 or not 1 <= index <= count:
            raise UsageError(f"--shard {text!r}: give K/N with 1 <= K <= N, e.g. 2/4")
        return cls(index, count)

    @property
    def whole(self) -> bool:
        return self.count == 1

    def label(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class Part:
    """One part file of a table: its number and its rows [start, stop)."""

    number: int
    start: int
    stop: int

    @property
    def rows(self) -> int:
        return self.stop - self.start


def parts(count: int, part_rows: int = DEFAULT_PART_ROWS) -> list[Part]:
    """Every part of a table of `count` rows (none for an empty table)."""
    if part_rows < 1:
        raise UsageError(f"--part-rows {part_rows}: give at least 1")
    return [
        Part(i, start, min(count, start + part_rows))
        for i, start in enumerate(range(0, count, part_rows))
    ]


def shard_parts(count: int, shard: Shard, part_rows: int = DEFAULT_PART_ROWS) -> list[Part]:
    """The parts of a table that `shard` writes."""
    every = parts(count, part_rows)
    first = len(every) * (shard.index - 1) // shard.count
    last = len(every) * shard.index // shard.count
    return every[first:last]


def row_ranges(held: list[Part]) -> list[list[int]]:
    """The row ranges [start, stop) these parts hold, adjacent ones merged."""
    out: list[list[int]] = []
    for p in held:
        if out and out[-1][1] == p.start:
            out[-1][1] = p.stop
        else:
            out.append([p.start, p.stop])
    return out
