"""The process's start-up -> the cyclic garbage collector paused while modules load, resumed
(start-up's objects frozen) when rows are about to be made.

Importing SQLAlchemy, numpy, psycopg, sqlglot and seedspec creates some 500,000 long-lived
objects, and the collector walks the growing heap again and again while it happens: ~15% of an
apply's import time. Start-up makes no garbage cycles worth collecting, so the process entry
(cli/app.run) pauses the collector; ``resume`` freezes what exists then (gc.freeze: modules,
the reflected schema, the plan — never collected, as they live to the end anyway) and turns
it back on, so the rows of a large apply or export are collected as always. ``resume`` is
called when a plan is bound to its generators (plan/bind.bind: apply, export, preview) and
when the MCP server starts; a library caller never pauses, and ``resume`` is then nothing.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Turn the collector off until ``resume`` (if it is on now; twice is once)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo ``pause``: freeze the objects that exist now and turn the collector back on."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
