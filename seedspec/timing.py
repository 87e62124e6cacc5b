"""Phase timings: a function -> the same function, logging its seconds (shown by --verbose)."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
LOGGER = "seedspec.timing"


def _log(phase: str, seconds: float) -> None:
    """INFO on the `seedspec.timing` logger. Start-up: logging (~4 ms) is not imported for
    it; where nothing imported logging, no handler is set up that could show the line."""
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger(LOGGER).info("%s: %.3f s", phase, seconds)


def timed(phase: str) -> Callable[[F], F]:
    """Log `phase: N.NNN s` at INFO each time the function returns or raises."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                _log(phase, time.perf_counter() - started)

        return run  # type: ignore[return-value]

    return wrap
