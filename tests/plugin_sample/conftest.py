"""The sample suite of the pytest plugin (tests/integration/test_pytest_plugin.py runs it with
SEEDSPEC_PLUGIN_SAMPLE=1 and --seedspec-spec/--seedspec-db); left out of the project's own run."""

from __future__ import annotations

import os

if not os.environ.get("SEEDSPEC_PLUGIN_SAMPLE"):
    collect_ignore_glob = ["*.py"]
