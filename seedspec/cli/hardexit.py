"""A finished command's exit code -> the process ended without tearing the interpreter down.

Python's own shutdown frees every module and object one by one (and runs the cyclic GC over
them): with SQLAlchemy, numpy, psycopg and sqlglot loaded that is 0.2-0.6 s of CPU after the
command has finished, a large part of a small apply. As mypy does (``util.hard_exit``), the
command's process runs the atexit handlers (logging, weakref.finalize, temporary folders),
flushes stdout and stderr and then leaves with ``os._exit``. Every connection is closed by then
(each verb disposes its engine). While another non-daemon thread runs, or a flush fails (a
closed pipe), the ordinary ``sys.exit`` is used, so Python's own behaviour decides those cases.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading


def exit_code(exc: SystemExit) -> int:
    """The status Python itself gives a SystemExit (None: 0; a message: printed, 1)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def hard_exit(code: int) -> None:
    """Leave the process with ``code`` now (see the module docstring); never returns."""
    if any(t.is_alive() and not t.daemon for t in threading.enumerate()[1:]):
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # let the interpreter report the closed stream as it always does
    os._exit(code)
