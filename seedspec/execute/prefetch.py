"""Prefetch: an iterator -> the same items, produced one step ahead in a background thread.

Generation (numpy, formatting) of chunk k+1 overlaps the database loading chunk k; the
producer's exceptions are raised in the consumer, in order.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prefetch(make: Callable[[], Iterator[T]], depth: int = 2) -> Iterator[T]:
    items: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in make():
                while not stop.is_set():
                    try:
                        items.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put(_DONE)
        except BaseException as err:  # noqa: BLE001 - handed to the consumer
            items.put(_Failure(err))

    worker = threading.Thread(target=produce, name="seedspec-generate", daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join(timeout=5)


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
