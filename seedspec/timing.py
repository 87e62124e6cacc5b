"""Phase timings: a function -> the same function, logging its seconds (shown by --verbose)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
LOG = logging.getLogger("seedspec.timing")


def timed(phase: str) -> Callable[[F], F]:
    """Log `phase: N.NNN s` at INFO each time the function returns or raises."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                LOG.info("%s: %.3f s", phase, time.perf_counter() - started)

        return run  # type: ignore[return-value]

    return wrap
