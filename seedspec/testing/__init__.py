"""Test support: the pytest plugin (`pytest_plugin.py`) and the seeded templates and per-test
copies it hands out (`copies.py`)."""
