"""seedspec export on Dask: a LocalCluster of 2 worker processes writes the same files (SHA-256)
and the same manifest as one process, on SQLite and PostgreSQL, to a folder and a file:// URL;
a table's Dask DataFrame computes to the jsonl export's rows; `--dask` through the CLI; a
worker's peak RSS and the compile time do not grow with the row count."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.distributed")
import cloudpickle  # noqa: E402  (comes with dask)
from conftest import run_sql  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402
from test_export import DDL, SPEC, _typed  # noqa: E402

from seedspec.api import snapshot  # noqa: E402
from seedspec.database import snapshot as snap  # noqa: E402
from seedspec.export.verb import export  # noqa: E402

cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the RSS probe runs on workers


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as c,
    ):
        c.wait_for_workers(2)
        yield c


@pytest.fixture
def offline(tmp_path: Path) -> tuple[Path, Path]:
    """The spec and a schema snapshot of the SQLite DDL (the export runs offline)."""
    run_sql(f"sqlite:///{tmp_path / 's.db'}", DDL["sqlite"])
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    snapshot(str(spec), f"sqlite:///{tmp_path / 's.db'}", out=str(tmp_path / "snap.json"))
    return spec, tmp_path / "snap.json"


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _same_export(one: Path, two: Path) -> dict[str, Any]:
    """Both folders hold the same files, byte for byte (manifest.json included), and the
    manifest's checksums are the files'."""
    sums = _checksums(one)
    assert sums == _checksums(two)
    manifest = json.loads((two / "manifest.json").read_text())
    assert manifest == json.loads((one / "manifest.json").read_text())
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        k: v for k, v in sums.items() if k != "manifest.json"
    }
    return manifest


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sql"])
def test_two_workers_write_the_files_one_process_writes(
    fmt: str, client: Client, offline: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, schema = offline
    one = export(str(spec), None, schema_file=schema, out=tmp_path / "one", fmt=fmt, part_rows=7)
    two = export(
        str(spec), None, schema_file=schema, out=tmp_path / "two", fmt=fmt, part_rows=7, dask=client
    )
    assert two.dask is not None and two.dask["workers"] == 2 and two.dask["shards"] == 4
    manifest = _same_export(tmp_path / "one", tmp_path / "two")
    assert manifest["shard"] == {"index": 1, "count": 1} and manifest["rows_written"] == 84
    assert len([f for f in manifest["files"] if f["kind"] == "rows"]) == 4 + 9  # 23 + 61 rows
    assert one.manifest.to_dict() == two.manifest.to_dict()


def test_to_a_file_url_and_on_postgresql(client: Client, pg_url: str, tmp_path: Path) -> None:
    run_sql(pg_url, DDL["postgresql"])
    spec = tmp_path / "seed.yaml"
    spec.write_text(SPEC)
    export(str(spec), pg_url, out=tmp_path / "one", fmt="sql", part_rows=10)
    url = f"file://{tmp_path / 'two'}"
    two = export(str(spec), pg_url, out=url, fmt="sql", part_rows=10, dask=client, dask_shards=3)
    assert two.to_dict()["manifest"] == f"{url}/manifest.json"
    manifest = _same_export(tmp_path / "one", tmp_path / "two")
    assert [f["path"] for f in manifest["files"] if f["kind"] == "fill"] == [
        "store/fill-00000.sql",
        "store/fill-00001.sql",
        "store/fill-00002.sql",
    ]
    assert manifest["script"] == "seed.sql"


def test_memory_url_in_one_process(offline: tuple[Path, Path], tmp_path: Path) -> None:
    import fsspec

    spec, schema = offline
    export(str(spec), None, schema_file=schema, out=tmp_path / "one", fmt="csv", part_rows=7)
    export(str(spec), None, schema_file=schema, out="memory://dask-test/x", fmt="csv", part_rows=7)
    fs = fsspec.filesystem("memory")
    for rel, digest in _checksums(tmp_path / "one").items():
        assert hashlib.sha256(fs.cat(f"/dask-test/x/{rel}")).hexdigest() == digest, rel


def test_table_frame_computes_to_the_jsonl_rows(
    client: Client, offline: tuple[Path, Path], tmp_path: Path
) -> None:
    import pandas as pd

    from seedspec.export.distributed import table_frame

    spec, schema_file = offline
    result = export(str(spec), None, schema_file=schema_file, out=tmp_path, fmt="jsonl")
    schema = snap.read(str(schema_file))
    frame = table_frame(result.plan, schema, "staff", part_rows=7)
    assert frame.npartitions == 9
    got = frame.compute()  # on the cluster (the client is the default scheduler)
    lines = (tmp_path / "staff" / "part-00000.jsonl").read_text().splitlines()
    want = [json.loads(line) for line in lines]
    assert list(got.columns) == list(want[0]) and len(got) == len(want) == 61
    table = schema.table("staff")
    assert table is not None
    checked = 0
    for (_, row), expected in zip(got.iterrows(), want, strict=True):
        for column, value in expected.items():
            kind = table.column(column).type  # type: ignore[union-attr]
            have = row[column]
            have = None if pd.isna(have) else have
            if isinstance(have, bytes):
                have = have.hex()
            assert _typed(kind, have) == _typed(kind, value), (column, have, value)
            checked += 1
    assert checked == 61 * 10


def test_cli_dask_local_json_document(offline: tuple[Path, Path], tmp_path: Path) -> None:
    from test_output_contract import cli, contract

    spec, schema = offline
    args = ["export", str(spec), "--schema-file", str(schema), "--format", "csv"]
    done = cli(*args, "--part-rows", "7", "--dask", "local:2", "-o", "json", cwd=tmp_path)
    result = contract(done, "export", None)["result"]
    assert result["dask"]["workers"] == 2 and result["dask"]["shards"] == 4
    assert result["rows"] == 84 and result["shard"] == {"index": 1, "count": 1}
    one = tmp_path / "one"
    export(str(spec), None, schema_file=schema, out=one, fmt="csv", part_rows=7)
    _same_export(one, tmp_path / "seed-export")
    contract(cli(*args, "--dask", "local:0", "-o", "json", cwd=tmp_path), "export", "usage")
    both = cli(*args, "--dask", "local:2", "--shard", "1/2", "-o", "json", cwd=tmp_path)
    contract(both, "export", "usage")


NARROW = """seedspec: 1
seed: 3
tables:
  wide:
    count: {count}
"""


def _peak_rss_export(plan: Any, schema: Any, out: str) -> int:
    """On a worker: one process's peak RSS (sampled every 5 ms) while it exports the plan."""
    import psutil

    from seedspec.dialects.registry import dialect_for
    from seedspec.export.run import export_plan

    me, peak, done = psutil.Process(), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], me.memory_info().rss)
            time.sleep(0.005)

    probe = threading.Thread(target=sample)
    probe.start()
    try:
        export_plan(plan, schema, dialect_for(schema.dialect), out, "csv", manifest_file=False)
    finally:
        done.set()
        probe.join()
    return peak[0]


def test_worker_memory_and_compile_time_do_not_grow_with_rows(
    client: Client, tmp_path: Path
) -> None:
    from seedspec.api import spec_from_yaml
    from seedspec.compile import compile_plan

    db = f"sqlite:///{tmp_path / 'w.db'}"
    run_sql(db, "CREATE TABLE wide (id integer PRIMARY KEY, n smallint)")
    (tmp_path / "s.yaml").write_text(NARROW.format(count=1))
    snapshot(str(tmp_path / "s.yaml"), db, out=str(tmp_path / "w.json"))
    schema = snap.read(str(tmp_path / "w.json"))
    worker = next(iter(client.scheduler_info()["workers"]))
    peaks, seconds = {}, {}
    for count in (100_000, 1_000_000, 100_000_000):  # the smaller first: what it keeps counts
        t0 = time.perf_counter()
        plan = compile_plan(spec_from_yaml(NARROW.format(count=count)), schema, None)
        seconds[count] = time.perf_counter() - t0
        if count > 1_000_000:
            break
        future = client.submit(
            _peak_rss_export, plan, schema, str(tmp_path / str(count)), workers=[worker]
        )
        peaks[count] = future.result()
        assert (tmp_path / str(count) / "wide" / f"part-{count // 100_000 - 1:05d}.csv").is_file()
    assert peaks[1_000_000] < 1.5 * peaks[100_000], peaks
    assert seconds[100_000_000] < 2 * seconds[100_000] + 0.5, seconds
