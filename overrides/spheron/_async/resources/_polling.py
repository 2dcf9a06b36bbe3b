"""Base of the namespaces with a ``wait``: poll one resource until it settles."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from spheron_api_client.types import Response

from ..._progress import StatusCallback
from ..._resource_base import ClientLike, extra_options
from ..._wait import Classification, Clock, Verdict
from .. import _primitives
from .._primitives import Await, Sleep
from .._wait import async_poll
from ._base import AsyncResource

__all__ = ["AsyncPollingResource"]

T = TypeVar("T")


class AsyncPollingResource(AsyncResource):
    """A namespace that waits; ``clock``/``sleep`` drive the polling (tests inject fakes)."""

    def __init__(
        self,
        client: ClientLike,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = _primitives.sleep,
    ) -> None:
        super().__init__(client)
        self._clock = clock
        self._sleep = sleep

    async def _poll(
        self,
        fn: Callable[..., Await[Response[T]]],
        resource_id: str,
        classify: Callable[[T], Classification],
        *,
        kind: str,
        timeout: float,
        poll_interval: float,
        on_update: StatusCallback | None,
        options: Mapping[str, Any],
    ) -> tuple[T, Verdict]:
        """Call ``fn(resource_id)`` until ``classify`` settles it, each poll bounded by the time
        the wait has left and carrying the call's extra headers and query."""
        call = extra_options(options)

        async def fetch(seconds: float) -> T:
            return await self._call_within(seconds, fn, resource_id, options=call)

        return await async_poll(
            fetch,
            classify,
            resource_id=resource_id,
            kind=kind,
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            clock=self._clock,
            sleep=self._sleep,
        )
