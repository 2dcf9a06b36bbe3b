"""Transports that add retries, typed errors and logging to any inner httpx transport.

The clients stack them as: httpx client (base URL, auth, timeout) -> ``RetryTransport`` ->
``ClientTransport`` -> the connection-pool ``httpx.Client`` (TLS, HTTP/2, proxies, redirects).
Redirects are followed, if at all, inside the pool client, so the retry transport only sees
final responses and can raise for every non-2xx one.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

from ._constants import (
    IDEMPOTENT_METHODS,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRYABLE_STATUSES,
)
from ._errors import make_connection_error, make_status_error, redact
from ._logs import logger
from ._retry_after import retry_after

__all__ = [
    "AsyncClientTransport",
    "AsyncRetryTransport",
    "AsyncTypedErrorsClient",
    "ClientTransport",
    "RetryPolicy",
    "RetryTransport",
    "TypedErrorsClient",
    "retry_after",
]

SleepFn = Callable[[float], None]
AsyncSleepFn = Callable[[float], Awaitable[None]]
JitterFn = Callable[[], float]

# Failures that happen before the request leaves this machine: safe to retry for any method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which the server may or may not have acted on the request.
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    await anyio.sleep(seconds)


def _jitter() -> float:
    """A random factor in (0.75, 1.0] that spreads out retries from many clients."""
    return 1.0 - 0.25 * random.random()


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before retrying."""

    max_retries: int = 2
    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_retry_after: float = MAX_RETRY_AFTER

    def backoff(self, retry: int, jitter: float) -> float:
        """Delay before retry number ``retry`` (0-based) without server guidance."""
        return min(self.initial_delay * 2.0**retry, self.max_delay) * jitter

    def delay(self, retry: int, headers: Mapping[str, str] | None, jitter: float) -> float | None:
        """Delay before retry ``retry``: the server's Retry-After, else the backoff.

        A Retry-After longer than ``max_retry_after`` is not slept on: ``None`` means "do not
        retry", and the caller gets the error with its ``retry_after`` to decide. A negative, past
        or unreadable value falls back to the backoff (never a retry without any pause).
        """
        after = retry_after(headers) if headers is not None else None
        if after is None or after <= 0:
            return self.backoff(retry, jitter)
        if after > self.max_retry_after:
            return None
        return after


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


def _request_id(response: httpx.Response, request: httpx.Request) -> str:
    """The response's request id for the logs (a server may echo anything there, the token too)."""
    value = response.headers.get("x-request-id") or response.headers.get("request-id") or "-"
    return redact(value, request)


class _Attempts:
    """Retry bookkeeping shared by the sync and async transports."""

    def __init__(
        self, request: httpx.Request, policy: RetryPolicy, replayable: Callable[[], bool]
    ) -> None:
        self.request = request
        self.policy = policy
        self.replayable = replayable
        self.retries = 0
        self.started = time.monotonic()

    @property
    def exhausted(self) -> bool:
        return self.retries >= self.policy.max_retries

    def retry_error(self, exc: httpx.RequestError, jitter: float) -> float | None:
        """Seconds to wait before retrying after ``exc``, or ``None`` to give up."""
        if self.exhausted or not isinstance(exc, httpx.TransportError) or not self.replayable():
            return None
        idempotent = self.request.method in IDEMPOTENT_METHODS
        if isinstance(exc, _NOT_SENT) or (idempotent and isinstance(exc, _MAYBE_SENT)):
            return self._next(self.policy.backoff(self.retries, jitter), type(exc).__name__)
        return None

    def retry_response(self, response: httpx.Response, jitter: float) -> float | None:
        """Seconds to wait before retrying after ``response``, or ``None`` to keep it."""
        if (
            self.exhausted
            or response.status_code not in RETRYABLE_STATUSES
            or self.request.method not in IDEMPOTENT_METHODS
            or not self.replayable()
        ):
            return None
        delay = self.policy.delay(self.retries, response.headers, jitter)
        if delay is None:  # the server asks for longer than we wait: the caller decides
            return None
        why = f"status {response.status_code}, request id {_request_id(response, self.request)}"
        return self._next(delay, why)

    def _next(self, delay: float, why: str) -> float:
        self.retries += 1
        logger.info(
            "%s: %s; retrying in %.2fs (retry %d of %d)",
            _where(self.request),
            why,
            delay,
            self.retries,
            self.policy.max_retries,
        )
        return delay

    def done(self, response: httpx.Response) -> None:
        if not logger.isEnabledFor(logging.INFO):  # skip formatting the arguments
            return
        logger.info(
            "%s -> %d in %.3fs, %d retries, request id %s",
            _where(self.request),
            response.status_code,
            time.monotonic() - self.started,
            self.retries,
            _request_id(response, self.request),
        )

    def failed(self, exc: Exception) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        logger.info(
            "%s failed in %.3fs after %d retries: %s",
            _where(self.request),
            time.monotonic() - self.started,
            self.retries,
            type(exc).__name__,
        )


class _TrackedStream(httpx.SyncByteStream):
    """A request body that remembers whether sending it has started."""

    def __init__(self, stream: httpx.SyncByteStream) -> None:
        self.stream = stream
        self.started = False

    def __iter__(self) -> Iterator[bytes]:
        self.started = True
        yield from self.stream

    def close(self) -> None:
        self.stream.close()


class _AsyncTrackedStream(httpx.AsyncByteStream):
    """A request body that remembers whether sending it has started."""

    def __init__(self, stream: httpx.AsyncByteStream) -> None:
        self.stream = stream
        self.started = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.started = True
        async for chunk in self.stream:
            yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()


def _replay_check(
    request: httpx.Request, tracked: _TrackedStream | _AsyncTrackedStream | None
) -> Callable[[], bool]:
    """A callable telling whether the body can still be sent again.

    In-memory bodies always can; a streamed body only while nothing of it has been read
    (httpx's own buffering swaps the stream for an in-memory copy, which counts as replayable).
    """

    def replayable() -> bool:
        return isinstance(request.stream, httpx.ByteStream) or (
            tracked is not None and not tracked.started
        )

    return replayable


class _ErrorMappingStream(httpx.SyncByteStream):
    """A response body whose read failures surface as typed spheron errors."""

    def __init__(self, stream: httpx.SyncByteStream, request: httpx.Request) -> None:
        self.stream = stream
        self.request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.stream
        except httpx.RequestError as exc:
            raise make_connection_error(self.request, exc) from exc

    def close(self) -> None:
        self.stream.close()


class _AsyncErrorMappingStream(httpx.AsyncByteStream):
    """A response body whose read failures surface as typed spheron errors."""

    def __init__(self, stream: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self.stream = stream
        self.request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.stream:
                yield chunk
        except httpx.RequestError as exc:
            raise make_connection_error(self.request, exc) from exc

    async def aclose(self) -> None:
        await self.stream.aclose()


def _bind(response: httpx.Response, request: httpx.Request) -> None:
    """Make sure ``response.request`` is set (bare transports leave it unset)."""
    try:
        response.request  # noqa: B018
    except RuntimeError:
        response.request = request


class RetryTransport(httpx.BaseTransport):
    """Retries, maps failures to typed errors and logs, around ``inner``.

    ``sleep`` and ``jitter`` are injectable for tests. Closing this transport closes ``inner``.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        policy: RetryPolicy | None = None,
        sleep: SleepFn | None = None,
        jitter: JitterFn | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        tracked = None
        if isinstance(request.stream, httpx.SyncByteStream) and not isinstance(
            request.stream, httpx.ByteStream
        ):
            tracked = request.stream = _TrackedStream(request.stream)
        attempts = _Attempts(request, self.policy, _replay_check(request, tracked))
        while True:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s: sending (attempt %d)", _where(request), attempts.retries + 1)
            try:
                response = self.inner.handle_request(request)
            except httpx.RequestError as exc:
                delay = attempts.retry_error(exc, self._random())
                if delay is None:
                    attempts.failed(exc)
                    raise make_connection_error(request, exc) from exc
                self._pause(delay)
                continue
            _bind(response, request)
            delay = attempts.retry_response(response, self._random())
            if delay is not None:
                self._discard(response)
                self._pause(delay)
                continue
            attempts.done(response)
            if response.is_success:
                assert isinstance(response.stream, httpx.SyncByteStream)
                response.stream = _ErrorMappingStream(response.stream, request)
                return response
            self._discard(response)
            raise make_status_error(response)

    def close(self) -> None:
        self.inner.close()

    def _random(self) -> float:
        return (self._jitter or _jitter)()

    def _pause(self, seconds: float) -> None:
        (self._sleep or _sleep)(seconds)

    @staticmethod
    def _discard(response: httpx.Response) -> None:
        """Read (for the error message, and to free the connection) and close."""
        try:
            response.read()
        except httpx.HTTPError:
            pass
        finally:
            response.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The asyncio/trio twin of :class:`RetryTransport`."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        policy: RetryPolicy | None = None,
        sleep: AsyncSleepFn | None = None,
        jitter: JitterFn | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        tracked = None
        if isinstance(request.stream, httpx.AsyncByteStream) and not isinstance(
            request.stream, httpx.ByteStream
        ):
            tracked = request.stream = _AsyncTrackedStream(request.stream)
        attempts = _Attempts(request, self.policy, _replay_check(request, tracked))
        while True:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s: sending (attempt %d)", _where(request), attempts.retries + 1)
            try:
                response = await self.inner.handle_async_request(request)
            except httpx.RequestError as exc:
                delay = attempts.retry_error(exc, self._random())
                if delay is None:
                    attempts.failed(exc)
                    raise make_connection_error(request, exc) from exc
                await self._pause(delay)
                continue
            _bind(response, request)
            delay = attempts.retry_response(response, self._random())
            if delay is not None:
                await self._discard(response)
                await self._pause(delay)
                continue
            attempts.done(response)
            if response.is_success:
                assert isinstance(response.stream, httpx.AsyncByteStream)
                response.stream = _AsyncErrorMappingStream(response.stream, request)
                return response
            await self._discard(response)
            raise make_status_error(response)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def _random(self) -> float:
        return (self._jitter or _jitter)()

    async def _pause(self, seconds: float) -> None:
        await (self._sleep or _async_sleep)(seconds)

    @staticmethod
    async def _discard(response: httpx.Response) -> None:
        try:
            await response.aread()
        except httpx.HTTPError:
            pass
        finally:
            await response.aclose()


def _send_adds_nothing(client: httpx.Client | httpx.AsyncClient) -> bool:
    """Whether ``client.send`` would do nothing beyond calling the client's transport.

    True for an open client without auth, event hooks or redirect following (our own pool,
    and most callers' clients). Then the pool's transport (its mounts and proxies included) is
    called directly: a second pass through httpx's client machinery (auth flow, redirect loop,
    cookie extraction, stream wrapping, done again by the outer client anyway) costs about as
    much client CPU per request as everything else in this module together.
    """
    hooks = client.event_hooks
    return not (
        client.is_closed
        or client.follow_redirects
        or client.auth is not None
        or hooks["request"]
        or hooks["response"]
    )


class ClientTransport(httpx.BaseTransport):
    """Sends through an ``httpx.Client`` so its TLS, proxy, HTTP/2 and redirect settings apply.

    The client's own base URL, headers and timeout are not used: requests arrive complete.
    Closing this transport does not close the client; its owner does.
    """

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        client = self.client
        if not _send_adds_nothing(client):
            return client.send(request, stream=True)
        try:
            response = client._transport_for_url(request.url).handle_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as client.send does
            raise
        response.request = request
        return response

    def close(self) -> None:
        """Leave the client open: it may be shared, or owned by the caller."""


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """The async twin of :class:`ClientTransport`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        client = self.client
        if not _send_adds_nothing(client):
            return await client.send(request, stream=True)
        try:
            transport = client._transport_for_url(request.url)
            response = await transport.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as client.send does
            raise
        response.request = request
        return response

    async def aclose(self) -> None:
        """Leave the client open: it may be shared, or owned by the caller."""


class TypedErrorsClient(httpx.Client):
    """An ``httpx.Client`` whose own request failures are typed spheron errors too.

    The transports type every failure that happens inside them, but httpx decodes the body
    (``Content-Encoding``) in the client, after the transport returned: a 2xx body that claims
    to be gzip or deflate and is not raises ``httpx.DecodingError`` there. ``send`` (which
    ``request``, ``get``, ``stream``, ... go through) turns such errors into
    :class:`~spheron.APIConnectionError`.
    """

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        try:
            return super().send(request, **kwargs)
        except httpx.RequestError as exc:
            raise make_connection_error(request, exc) from exc


class AsyncTypedErrorsClient(httpx.AsyncClient):
    """The async twin of :class:`TypedErrorsClient`."""

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        try:
            return await super().send(request, **kwargs)
        except httpx.RequestError as exc:
            raise make_connection_error(request, exc) from exc
