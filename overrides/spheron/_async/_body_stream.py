"""Response bodies read through a :class:`~spheron._body_limits.BodyLimiter`: within the size cap
and the call's deadline, decoded here rather than by httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from .._body_limits import BodyLimiter, already_read
from .._errors import make_connection_error, make_total_timeout_error
from . import _primitives

__all__ = ["AsyncLimitedStream", "async_read_capped"]


class AsyncLimitedStream(httpx.AsyncByteStream):
    """A response body read through ``limiter``; no read may outlast the call's deadline."""

    def __init__(self, stream: httpx.AsyncByteStream, limiter: BodyLimiter) -> None:
        self.stream = stream
        self.limiter = limiter

    async def __aiter__(self) -> AsyncIterator[bytes]:
        limiter = self.limiter
        try:
            async for raw in _primitives.within(self.stream, limiter.remaining_time):
                for chunk in limiter.feed(raw):
                    yield chunk
                if limiter.full:
                    return
            for chunk in limiter.finish():
                yield chunk
        except TimeoutError:
            raise make_total_timeout_error(limiter.request) from None
        except httpx.RequestError as exc:
            raise make_connection_error(limiter.request, exc) from exc

    async def aclose(self) -> None:
        await self.stream.aclose()


async def async_read_capped(
    response: httpx.Response, max_bytes: int, deadline: float | None
) -> bytes:
    """At most ``max_bytes`` of ``response``'s decoded body (the rest is dropped), then close."""
    source, headers = already_read(response)
    assert isinstance(source, httpx.AsyncByteStream)
    limiter = BodyLimiter(
        response.request, headers, max_bytes=max_bytes, deadline=deadline, truncate=True
    )
    try:
        return b"".join([chunk async for chunk in AsyncLimitedStream(source, limiter)])
    finally:
        await response.aclose()
