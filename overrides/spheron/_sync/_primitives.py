"""What genuinely differs between the modes, sync side (hand-written, not generated).

The counterpart of ``spheron/_async/_primitives.py``, with the same names: threads instead of
tasks, ``time.sleep`` instead of ``anyio.sleep``, plain values instead of awaitables.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Annotated, TypeVar

__all__ = ["Await", "Sleep", "run_blocking", "run_workers", "sleep", "within"]

T = TypeVar("T")

Await = Annotated[T, "sync"]
"""``Await[T]``: what a function of this mode returns for a ``T`` (the ``T`` itself here)."""

Sleep = Callable[[float], None]
"""A function that pauses for some seconds."""


def sleep(seconds: float) -> None:
    """Pause the calling thread."""
    time.sleep(seconds)


def within(chunks: Iterable[bytes], seconds_left: Callable[[], float | None]) -> Iterable[bytes]:
    """``chunks`` as they are: each socket read is already bounded by the attempt's timeouts,
    which the transport cuts to the time the call has left."""
    return chunks


def run_blocking(fn: Callable[..., T], *args: object) -> T:
    """Run ``fn`` now, in this thread."""
    return fn(*args)


def run_workers(worker: Callable[[], None], count: int) -> None:
    """Run ``count`` copies of ``worker`` in threads; the first failure is raised once all have
    stopped (workers are expected to stop taking work after a failure)."""
    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="spheron-upload")
    futures: list[Future[None]] = []
    try:
        futures = [pool.submit(worker) for _ in range(count)]
        wait(futures, return_when=FIRST_EXCEPTION)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for future in futures:
        if not future.cancelled() and (error := future.exception()) is not None:
            raise error
