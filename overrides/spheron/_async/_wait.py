"""The polling loop behind ``deployments.wait`` and ``compute.instances.wait_until_ready``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from .._progress import StatusCallback
from .._wait import DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT, Classification, Clock, Tracker, Verdict
from . import _primitives
from ._primitives import Await, Sleep

__all__ = ["async_poll"]

T = TypeVar("T")


async def async_poll(
    fetch: Callable[[], Await[T]],
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
    """Fetch until ``classify`` gives a final verdict; return the resource and the verdict."""
    tracker = Tracker(
        resource_id,
        kind,
        timeout=timeout,
        poll_interval=poll_interval,
        on_update=on_update,
        clock=clock,
    )
    while True:
        resource = await fetch()
        status, is_known, verdict = classify(resource)
        tracker.observe(status, is_known)
        if verdict != "pending":
            return resource, verdict
        await sleep(tracker.next_delay())
