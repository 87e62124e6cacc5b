"""Run one producer command as a child process -> wall seconds, peak RSS, CPU, exit code, output.

Peak RSS is taken two ways and both are kept:
  * ``maxrss_mb``: GNU ``/usr/bin/time -f %M`` wrapped around the producer: the kernel's
    high-water mark (ru_maxrss from wait4) of the producer and the descendants it reaped, as the
    largest single process, not a sum. The producer is started by ``time`` (a ~2 MB C program)
    and not forked straight from this harness, because Linux carries a forking parent's RSS
    high-water mark across exec into the child's ru_maxrss (a harness holding the 1m workload
    in memory would otherwise show up as ~430 MB in every producer).
  * ``tree_rss_mb``: a /proc poll (every POLL_S seconds) summing the resident size of the live
    process tree (catches concurrent worker processes; can miss a spike between polls).
``peak_rss_mb`` = max of the two; that is the number the tables print.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

POLL_S = 0.25
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TIME = "/usr/bin/time"


@dataclass
class Run:
    cmd: list[str]
    rc: int
    wall_s: float
    maxrss_mb: float
    tree_rss_mb: float
    cpu_s: float  # user + system CPU of the producer tree (wait4 rusage of the launcher)
    stdout: str
    stderr: str
    extra: dict = field(default_factory=dict)

    @property
    def peak_rss_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_rss_mb)


def proc_stats() -> Iterator[tuple[int, bytes]]:
    """(pid, /proc/PID/stat) of every live process."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                yield int(name), f.read()
        except OSError:
            continue


def _tree_rss_kb(root: int) -> int:
    """Sum of resident pages of `root` and all its live descendants, in KiB."""
    children: dict[int, list[int]] = {}
    for pid, stat in proc_stats():
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE_KB
        except OSError:
            pass
    return total


def run(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Start `cmd` under /usr/bin/time, poll its tree RSS until it exits, reap it with wait4."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as tfile,
    ):
        full = [TIME, "-f", "%M", "-o", tfile.name, *cmd]
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, env=env, cwd=cwd)
        peak_kb = 0
        done = threading.Event()

        def poll() -> None:
            nonlocal peak_kb
            while not done.wait(POLL_S):
                peak_kb = max(peak_kb, _tree_rss_kb(proc.pid))

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        lines = [x for x in tfile.read().splitlines() if x.strip()]
        maxrss_kb = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
        out.seek(0)
        err.seek(0)
        return Run(
            cmd=cmd,
            rc=proc.returncode,
            wall_s=wall,
            maxrss_mb=maxrss_kb / 1024,
            tree_rss_mb=peak_kb / 1024,
            cpu_s=usage.ru_utime + usage.ru_stime,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )
