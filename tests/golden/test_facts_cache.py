"""The facts cache (database/factcache.py) -> every golden case compiles to the same outcome
whether its snapshot's facts are computed (no cache), computed and stored (a cold cache) or read
back from the cache by a new process (a warm one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

SCRIPT = """
import json, sys
sys.path.insert(0, {here!r})
import goldenlib as g
out = {{}}
for case in g.cases():
    name, doc = g.outcome(case)
    out[case.path.name] = [name, g.dumps(g.mask(doc))]
sys.stdout.write(json.dumps(out))
"""


def _outcomes(env: dict[str, str]) -> dict[str, list[str]]:
    code = SCRIPT.format(here=str(HERE))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def test_golden_outcomes_do_not_depend_on_the_facts_cache(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k != "SEEDSPEC_NO_CACHE"}
    env = {**base, "SEEDSPEC_CACHE_DIR": str(tmp_path / "cache")}
    none = _outcomes({**env, "SEEDSPEC_NO_CACHE": "1"})
    cold = _outcomes(env)
    stored = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(stored) >= len(none) // 2  # most cases have a snapshot of their own
    warm = _outcomes(env)
    assert cold == none
    assert warm == none
