"""The one transport stack of a client: retries, typed errors and logging around httpx's pool.

``AsyncSpheron`` owns one :class:`AsyncHttpClient` (base URL, auth, headers, timeout) whose
transport is an :class:`AsyncRetryTransport` around the transport that opens sockets: by default
``httpx.AsyncHTTPTransport`` (TLS, HTTP/2, the connection pool), or the ``transport=`` a caller
passes, or :class:`AsyncClientTransport` around a caller's own ``http_client``. Only public httpx
interfaces are used.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx

from .. import _transport
from .._body_limits import BodyLimiter, already_read, capped_error_response, limited_response
from .._config import LIMITS_EXTENSION, ClientOptions, HttpOptionChanges, ResponseLimits
from .._constants import ERROR_BODY_LIMIT
from .._errors import make_connection_error, make_status_error
from .._exceptions import SpheronError
from .._logs import logger
from .._request_options import Unpack, current_call, record_response
from .._transport import Attempts, RetryPolicy, bind, replay_check
from . import _primitives
from ._body_stream import AsyncLimitedStream, async_read_capped
from ._primitives import Sleep

__all__ = ["AsyncClientTransport", "AsyncHttpClient", "AsyncRetryTransport"]


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


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Retries, maps failures to typed errors and logs, around ``inner``.

    ``sleep`` and ``jitter`` are injectable for tests. Closing this transport closes ``inner``
    only when ``owns_inner`` (copies made by ``with_options`` share the inner transport).
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        policy: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        jitter: _transport.JitterFn | None = None,
        owns_inner: bool = True,
    ) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self.owns_inner = owns_inner
        self._sleep = sleep
        self._jitter = jitter

    def evolve(self, *, max_retries: int) -> AsyncRetryTransport:
        """A transport with another retry count over the same inner transport (not owned)."""
        policy = RetryPolicy(
            max_retries=max_retries,
            initial_delay=self.policy.initial_delay,
            max_delay=self.policy.max_delay,
            max_retry_after=self.policy.max_retry_after,
        )
        return type(self)(
            self.inner, policy=policy, sleep=self._sleep, jitter=self._jitter, owns_inner=False
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        tracked = None
        if isinstance(request.stream, httpx.AsyncByteStream) and not isinstance(
            request.stream, httpx.ByteStream
        ):
            tracked = request.stream = _AsyncTrackedStream(request.stream)
        limits: ResponseLimits = request.extensions.get(LIMITS_EXTENSION) or ResponseLimits()
        attempts = Attempts(
            request, self.policy, replay_check(request, tracked), limits.total_timeout
        )
        while True:
            attempts.bound_attempt()
            if logger.isEnabledFor(logging.DEBUG):
                attempts.debug_sending()
            try:
                response = await self.inner.handle_async_request(request)
            except httpx.RequestError as exc:
                delay = attempts.retry_error(exc, self._random)
                if delay is None:
                    attempts.failed(exc)
                    raise make_connection_error(request, exc) from exc
                await self._pause(delay)
                continue
            bind(response, request)
            delay = attempts.retry_response(response, self._random)
            if delay is not None:
                await self._discard(response, attempts.deadline)
                await self._pause(delay)
                continue
            attempts.done(response)
            if response.is_success:
                # The body is decoded here, within the size cap and the call's deadline.
                source, headers = already_read(response)
                assert isinstance(source, httpx.AsyncByteStream)
                limiter = BodyLimiter(
                    request,
                    headers,
                    max_bytes=limits.max_response_bytes,
                    deadline=attempts.deadline,
                )
                return limited_response(response, AsyncLimitedStream(source, limiter))
            # Only the start of an error body is kept: enough for the message.
            body = await self._discard(response, attempts.deadline)
            raise make_status_error(capped_error_response(response, body))

    async def aclose(self) -> None:
        if self.owns_inner:
            await self.inner.aclose()

    def _random(self) -> float:
        return (self._jitter or _transport.jitter)()

    async def _pause(self, seconds: float) -> None:
        await (self._sleep or _primitives.sleep)(seconds)

    @staticmethod
    async def _discard(response: httpx.Response, deadline: float | None) -> bytes:
        """The first :data:`ERROR_BODY_LIMIT` bytes of the body (decoded); the rest is
        dropped with the connection's stream, which is closed."""
        try:
            return await async_read_capped(response, ERROR_BODY_LIMIT, deadline)
        except (httpx.HTTPError, SpheronError):
            return b""


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """Sends through a caller's ``httpx.AsyncClient`` (its public ``send``), so its TLS, proxy,
    HTTP/2, mounts and redirect settings apply.

    The client's own base URL, headers and timeout are not used: requests arrive complete.
    Closing this transport does not close the client; its owner does.
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.client.send(request, stream=True)

    async def aclose(self) -> None:
        """Leave the client open: it belongs to the caller."""


class AsyncHttpClient(httpx.AsyncClient):
    """The one ``httpx.AsyncClient`` of an ``AsyncSpheron`` (and of ``client.api``).

    Its transport is an :class:`AsyncRetryTransport`. ``send`` (which ``request``, ``get``,
    ``stream``, ... go through) also types the failures httpx raises outside the transport, such
    as a 2xx body that claims to be gzip and is not. :meth:`derive` makes the copies behind
    ``with_options`` and the generated client's ``with_headers``/``with_timeout``/``with_cookies``.
    """

    def __init__(self, options: ClientOptions, transport: AsyncRetryTransport) -> None:
        super().__init__(
            base_url=options.base_url,
            auth=options.auth,
            headers=options.request_headers(),
            cookies=dict(options.cookies),
            timeout=options.timeout,
            transport=transport,
            follow_redirects=False,
            trust_env=False,
        )
        self.spheron_options = options
        self.retry_transport = transport

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        # This client's bounds travel with the request, unless the call set its own.
        request.extensions.setdefault(LIMITS_EXTENSION, self.spheron_options.limits)
        call = current_call()  # a friendly method's per-call options (extra headers, ...)
        if call is not None:
            request = call.apply(request)
        try:
            response = await super().send(request, **kwargs)
        except httpx.RequestError as exc:
            raise make_connection_error(request, exc) from exc
        record_response(response)
        return response

    def derive(
        self, *, without_auth: bool = False, **changes: Unpack[HttpOptionChanges]
    ) -> AsyncHttpClient:
        """A client with these options changed, over the same connection pool (and token,
        unless ``token`` gives another or ``without_auth`` drops it)."""
        options = self.spheron_options.evolve(**changes)
        if without_auth:
            options = replace(options, auth=None)
        return type(self)(options, self.retry_transport.evolve(max_retries=options.max_retries))
