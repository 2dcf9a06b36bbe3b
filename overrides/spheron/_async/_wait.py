"""The polling loop behind ``deployments.wait`` and ``compute.instances.wait``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from .._progress import StatusCallback
from .._wait import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    TRANSIENT_ERRORS,
    Classification,
    Clock,
    Tracker,
    Verdict,
)
from . import _primitives
from ._primitives import Await, Sleep

__all__ = ["async_poll"]

T = TypeVar("T")


async def async_poll(
    fetch: Callable[[float], Await[T]],
    classify: Callable[[T], Classification],
    *,
    resource_id: str,
    kind: str,
    timeout: float = DEFAULT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    on_update: StatusCallback | None = None,
    clock: Clock = time.monotonic,
    sleep: Sleep = _primitives.sleep,
) -> tuple[T, Verdict]:
    """Fetch until ``classify`` gives a final verdict; return the resource and the verdict.

    ``fetch(seconds)`` must return within ``seconds`` (the time the wait has left), so a stalled
    poll cannot outlast ``timeout``. Transient failures (connection errors, timeouts, 429 and
    5xx answers left after the transport's retries) are reported and polled through until
    ``timeout``, which then raises :class:`WaitTimeoutError` from the last one.
    """
    tracker = Tracker(
        resource_id,
        kind,
        timeout=timeout,
        poll_interval=poll_interval,
        on_update=on_update,
        clock=clock,
    )
    while True:
        try:
            resource = await fetch(tracker.time_left())
        except TRANSIENT_ERRORS as exc:
            tracker.transient(exc)
            await sleep(tracker.next_delay(exc))
            continue
        status, is_known, verdict = classify(resource)
        tracker.observe(status, is_known)
        if verdict != "pending":
            return resource, verdict
        await sleep(tracker.next_delay())
