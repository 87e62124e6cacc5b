"""Machine-noise guard: /proc CPU accounting -> wait-for-quiet and foreign-CPU per timed run.

Other work on the box (a test suite, another benchmark) skews timings on 2 cores. Before each run
``wait_quiet`` waits until the whole machine is mostly idle; around each run ``Window`` measures
``foreign_cpu_s`` = process CPU used on the machine - the producer tree's CPU - the database
servers' CPU - kernel threads' CPU - this harness's own CPU. A run with a large foreign share
is flagged in the output.
"""

from __future__ import annotations

import os
import resource
import time

from measure import proc_stats

TICK = os.sysconf("SC_CLK_TCK")
SERVERS = {b"postgres", b"mariadbd", b"mysqld"}


def busy_s() -> float:
    """Process-context CPU seconds of the whole machine since boot (user, nice, system, steal).

    irq / softirq time (loopback TCP between producer and server, disk completions) is left
    out: it belongs to the workload and no process is charged for it.
    """
    with open("/proc/stat", "rb") as f:
        cpu = f.readline().split()[1:]
    user, nice, system, _idle, _iowait, _irq, _softirq, steal = (int(x) for x in cpu[:8])
    return (user + nice + system + steal) / TICK


def _split_s() -> tuple[float, float]:
    """(database servers, kernel threads) CPU seconds; servers include exited backends (cutime).

    Kernel threads (children of kthreadd, pid 2) do the page writeback and I/O a heavy load
    causes, so they are not counted as foreign either.
    """
    server = kernel = 0
    for pid, stat in proc_stats():
        comm = stat[stat.index(b"(") + 1 : stat.rindex(b")")]
        fields = stat[stat.rindex(b")") + 2 :].split()
        if comm in SERVERS:
            server += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        elif fields[1] == b"2" or pid == 2:
            kernel += int(fields[11]) + int(fields[12])
    return server / TICK, kernel / TICK


def self_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def wait_quiet(max_busy: float, timeout: float) -> tuple[float, float]:
    """Sample 1 s windows until machine busy fraction <= max_busy: -> (waited s, last busy)."""
    ncpu = os.cpu_count() or 1
    t0 = time.monotonic()
    while True:
        b0 = busy_s()
        time.sleep(1.0)
        frac = (busy_s() - b0) / ncpu
        waited = time.monotonic() - t0
        if frac <= max_busy or waited >= timeout:
            return round(waited, 1), round(frac, 3)


class Window:
    """CPU accounting around one timed run."""

    def __enter__(self) -> Window:
        self.b0, (self.s0, self.k0), self.h0 = busy_s(), _split_s(), self_s()
        return self

    def __exit__(self, *exc) -> None:
        s1, k1 = _split_s()
        self.busy = busy_s() - self.b0
        self.server, self.kernel = s1 - self.s0, k1 - self.k0
        self.harness = self_s() - self.h0

    def foreign(self, producer_cpu_s: float) -> float:
        own = self.server + self.kernel + self.harness + producer_cpu_s
        return round(max(0.0, self.busy - own), 2)
