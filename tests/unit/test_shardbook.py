"""The sharded load's ledger decisions (execute/shardbook.py), with no database: entries +
digest + K/N -> load, no-op or the refusal, and a plain apply never a no-op over shards."""

from __future__ import annotations

import pytest

from seedspec.errors import AlreadySeeded, ShardsMissing, UsageError
from seedspec.execute.ledger import LOAD, NOOP, REFUSE, Entry, decide
from seedspec.execute.shardbook import ShardJob, decide_finish, decide_shard, shard_job
from seedspec.export.shards import Shard

D = "digest-a"
FULL = {"a": 10, "b": 20}


def entry(i: int, shard: dict | None, digest: str = D, counts: dict | None = None) -> Entry:
    return Entry(i, "now", digest, 7, None, counts or {"a": 1}, ("a", "b"), "0", "default", shard)


def shard(k: int, n: int = 3, part_rows: int = 100) -> dict:
    return {"index": k, "count": n, "part_rows": part_rows}


def job(k: int, n: int = 3, part_rows: int | None = 100) -> ShardJob:
    return ShardJob(Shard(k, n), False, part_rows)


def test_first_shard_loads_on_empty_tables_and_is_refused_over_other_rows() -> None:
    assert decide_shard(job(2), D, {"a": 0, "b": 0}, []) == (LOAD, None)
    with pytest.raises(AlreadySeeded, match="records no shard of this plan"):
        decide_shard(job(2), D, {"a": 3, "b": 0}, [])


def test_a_shard_in_is_a_noop_and_the_others_load() -> None:
    entries = [entry(2, shard(3)), entry(1, shard(1))]
    assert decide_shard(job(3), D, FULL, entries) == (NOOP, entries[0])
    assert decide_shard(job(2), D, FULL, entries)[0] == LOAD


def test_mismatched_count_part_rows_and_digest_are_refused() -> None:
    entries = [entry(1, shard(1))]
    with pytest.raises(UsageError, match="has 3 shards"):
        decide_shard(job(1, 4), D, FULL, entries)
    with pytest.raises(UsageError, match="--part-rows 100"):
        decide_shard(job(2, 3, 99), D, FULL, entries)
    with pytest.raises(AlreadySeeded, match="another plan"):
        decide_shard(job(2), "digest-b", FULL, entries)


def test_finish_names_missing_shards_then_finishes_then_is_a_noop() -> None:
    some = [entry(2, shard(3)), entry(1, shard(1))]
    with pytest.raises(ShardsMissing, match="shards missing from the ledger: 2/3") as err:
        decide_finish(ShardJob(finish=True), D, FULL, some)
    assert err.value.missing == ["2/3"] and err.value.problems[0].code == "shards-missing"
    every = [entry(3, shard(2)), *some]
    assert decide_finish(ShardJob(finish=True), D, FULL, every) == (LOAD, None, 3, 100)
    done = entry(4, {"finish": True, "count": 3, "part_rows": 100}, counts=FULL)
    assert decide_finish(ShardJob(finish=True), D, FULL, [done, *every])[:2] == (NOOP, done)
    assert decide_shard(job(1), D, FULL, [done, *every]) == (NOOP, done)
    with pytest.raises(ShardsMissing, match="nothing to finish"):
        decide_finish(ShardJob(finish=True), D, {"a": 0}, [])


def test_a_plain_apply_is_never_a_noop_over_a_sharded_load_in_progress() -> None:
    only = entry(1, shard(1), counts={"a": 1})
    assert decide(D, {"a": 1}, only, reset=False) == REFUSE
    finished = entry(2, {"finish": True, "count": 1, "part_rows": 100}, counts={"a": 1})
    assert decide(D, {"a": 1}, finished, reset=False) == NOOP


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("1/2", True, None, False), "run them apart"),
        (("1/2", False, None, True), "--reset do not go together"),
        ((None, True, None, True), "--reset do not go together"),
        ((None, False, 10, False), "give it with --shard"),
        (("3/2", False, None, False), "1 <= K <= N"),
        (("1/2", False, 0, False), "at least 1"),
    ],
)
def test_nonsense_combinations_are_usage_errors(args: tuple, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        shard_job(*args)
    assert shard_job(None, False, None, True) is None
