"""A sharded load's ledger: the ledger entries of a plan's tables (newest first) + this plan's
digest + `apply --shard K/N` or `apply --finish` -> load, nothing (already in) or a refusal
naming what is wrong (another plan's shards, another N or part size, missing shards).

A sharded load is the run of shard entries newer than the latest entry that is not a shard
(a plain apply, or a finish closing an earlier sharded load). Pure: no database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from seedspec.errors import AlreadySeeded, ShardsMissing, UsageError
from seedspec.execute.ledger import LOAD, NOOP, Entry
from seedspec.export.shards import DEFAULT_PART_ROWS, Shard


@dataclass(frozen=True)
class ShardJob:
    """What a sharded invocation does: load shard `shard` (`finish` False), or finish the
    sharded load (`finish` True; `shard` unused); rows cut into parts of `part_rows` rows as
    `export --shard` cuts them (None with --finish: the shards' own)."""

    shard: Shard = Shard()
    finish: bool = False
    part_rows: int | None = None

    @property
    def rows_per_part(self) -> int:
        return self.part_rows if self.part_rows is not None else DEFAULT_PART_ROWS

    def label(self) -> str:
        return "--finish" if self.finish else f"--shard {self.shard.label()}"

    def entry(self) -> dict[str, Any]:
        """The ledger's `shard` value of this shard's entry."""
        return {
            "index": self.shard.index,
            "count": self.shard.count,
            "part_rows": self.rows_per_part,
        }


def is_shard(entry: Entry) -> bool:
    return entry.shard is not None and not entry.shard.get("finish")


def split(entries: Sequence[Entry]) -> tuple[list[Entry], Entry | None]:
    """(the current sharded load's shard entries, newest first; the entry before them)."""
    run: list[Entry] = []
    for entry in entries:
        if not is_shard(entry):
            return run, entry
        run.append(entry)
    return run, None


def labels(run: Sequence[Entry]) -> str:
    """The shards in, as `K/N, ...`."""
    n = run[0].shard.get("count") if run and run[0].shard is not None else "?"
    return ", ".join(f"{k}/{n}" for k in sorted(_indices(run)))


def _indices(run: Sequence[Entry]) -> set[int]:
    return {int(e.shard["index"]) for e in run if e.shard is not None}


def _finished(base: Entry | None, digest: str, counts: Mapping[str, int]) -> bool:
    """The latest entry says this plan seeded the tables as they are now."""
    return base is not None and base.plan_digest == digest and dict(base.counts) == dict(counts)


def _same_load(
    run: Sequence[Entry], digest: str, count: int, part_rows: int | None, given: str
) -> None:
    """Refusals when the shards in are another plan's, or cut another way."""
    other = [e for e in run if e.plan_digest != digest]
    if other:
        raise AlreadySeeded(
            f"a sharded load of another plan (digest {other[0].plan_digest}) is in the ledger "
            f"(shards {labels(run)}); this plan's digest is {digest}: finish that load with its "
            "own spec and seed, or replace every row with a plain `apply --reset`"
        )
    n = int(run[0].shard["count"]) if run[0].shard else 0
    if count != n:
        raise UsageError(
            f"{given}: the sharded load in the ledger has {n} shards (in: {labels(run)}); "
            f"give K/{n}"
        )
    parts = int(run[0].shard.get("part_rows", DEFAULT_PART_ROWS)) if run[0].shard else 0
    if part_rows is not None and part_rows != parts:
        raise UsageError(
            f"--part-rows {part_rows}: the shards in the ledger cut tables into parts of {parts} "
            f"rows (shards {labels(run)}); give --part-rows {parts}"
        )


def decide_shard(
    job: ShardJob, digest: str, counts: Mapping[str, int], entries: Sequence[Entry]
) -> tuple[str, Entry | None]:
    """(LOAD or NOOP, the entry saying it is in) for `apply --shard K/N`; raises a refusal."""
    run, base = split(entries)
    if not run:
        if _finished(base, digest, counts):
            return NOOP, base  # the sharded load (or a plain apply) of this plan is complete
        if any(counts.values()):
            held = ", ".join(t for t, n in counts.items() if n)
            seen = f"; the ledger's latest entry: {base.describe()}" if base else ""
            raise AlreadySeeded(
                f"tables already hold rows: {held}, and the ledger records no shard of this "
                f"plan{seen}; a sharded load starts on empty tables (empty them with a plain "
                "`apply --reset` of another plan, or delete their rows)"
            )
        return LOAD, None
    _same_load(run, digest, job.shard.count, job.part_rows, job.label())
    for entry in run:
        if entry.shard is not None and int(entry.shard["index"]) == job.shard.index:
            return NOOP, entry
    return LOAD, None


def decide_finish(
    job: ShardJob, digest: str, counts: Mapping[str, int], entries: Sequence[Entry]
) -> tuple[str, Entry | None, int, int]:
    """(LOAD or NOOP, the entry saying it is done, N, part rows) for `apply --finish`; raises
    ShardsMissing naming each shard the ledger does not record."""
    run, base = split(entries)
    if not run:
        if _finished(base, digest, counts) and base is not None and base.shard is not None:
            n = int(base.shard["count"])
            return NOOP, base, n, int(base.shard.get("part_rows", DEFAULT_PART_ROWS))
        raise ShardsMissing(
            "apply --finish: the ledger records no shard of this plan (digest "
            f"{digest}): nothing to finish",
            [],
            "run `seedspec apply --shard K/N` for K = 1 .. N first",
        )
    n = int(run[0].shard["count"]) if run[0].shard else 0
    _same_load(run, digest, n, job.part_rows, job.label())
    missing = [f"{k}/{n}" for k in range(1, n + 1) if k not in _indices(run)]
    if missing:
        raise ShardsMissing(
            f"apply --finish: shards missing from the ledger: {', '.join(missing)} (in: "
            f"{labels(run)}); nothing was written",
            missing,
            "run `seedspec apply --shard K/N` for each missing shard, then --finish again",
        )
    parts = int(run[0].shard.get("part_rows", DEFAULT_PART_ROWS)) if run[0].shard else 0
    return LOAD, None, n, parts


def shard_job(
    shard: str | None, finish: bool, part_rows: int | None, reset: bool
) -> ShardJob | None:
    """`apply --shard K/N` / `--finish` / `--part-rows` -> the job (None: a plain apply);
    the combinations that make no sense refused (UsageError, exit 2)."""
    if shard is None and not finish:
        if part_rows is not None:
            raise UsageError("--part-rows cuts tables into shards: give it with --shard K/N")
        return None
    if shard is not None and finish:
        raise UsageError(
            "--shard K/N loads one shard, --finish ends the sharded load: run them apart"
        )
    if reset:
        raise UsageError(
            f"{'--finish' if finish else '--shard'} and --reset do not go together: a shard "
            "replaces only its own key ranges; empty the tables with a plain `apply --reset` "
            "of another plan (or delete their rows) before a sharded load"
        )
    if part_rows is not None and part_rows < 1:
        raise UsageError(f"--part-rows {part_rows}: give at least 1")
    return ShardJob(Shard.parse(shard) if shard else Shard(), finish, part_rows)
