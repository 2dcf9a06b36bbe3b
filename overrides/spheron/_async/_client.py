"""``AsyncSpheron`` (and, generated from it, ``Spheron``): one httpx client, one token."""

from __future__ import annotations

from dataclasses import replace
from types import TracebackType

import httpx

from .._client import NO_TOKEN, AsyncApi, ClientBase, check_pool_arguments
from .._config import OPTION_NAMES, OptionChanges, check_option_names, resolve_options
from .._constants import DEFAULT_CONNECTION_LIMITS, DEFAULT_MAX_RETRIES
from .._logs import setup_logging
from .._request_options import Unpack
from .._transport import RetryPolicy
from ._namespaces import AsyncNamespaces
from ._transport import AsyncClientTransport, AsyncHttpClient, AsyncRetryTransport

__all__ = ["AsyncSpheron"]


class AsyncSpheron(AsyncNamespaces, ClientBase):
    """Client for the Spheron API (``Spheron`` is synchronous, ``AsyncSpheron`` asynchronous).

    Pass ``client.api`` to the generated functions in ``spheron_api_client.api``
    (``sync``/``sync_detailed`` with ``Spheron``, ``asyncio``/``asyncio_detailed`` with
    ``AsyncSpheron``); every call then gets authentication, finite timeouts, retries and typed
    errors.

    Args:
        token: API token; defaults to the ``SPHERON_TOKEN`` environment variable.
        base_url: defaults to ``SPHERON_BASE_URL``, then ``https://api-v2.spheron.network``.
        timeout: seconds for each of connect/read/write/pool, or an ``httpx.Timeout``;
            defaults to 5s to connect and 60s for the rest.
        max_retries: retries for failed idempotent requests (and unsent ones); 0 disables.
        http2: negotiate HTTP/2 (ignored when ``http_client`` or ``transport`` is given).
        organization_id: the organization later helpers act on by default.
        http_client: an httpx client of the same mode (``httpx.Client`` for ``Spheron``,
            ``httpx.AsyncClient`` for ``AsyncSpheron``) that carries the connections (TLS
            settings, proxies, HTTP/2, redirect following), called through its public ``send``.
            Its base URL, headers and timeout are ignored. You own it: closing leaves it open.
        transport: an httpx transport of the same mode to send through instead of the default
            ``httpx.HTTPTransport``/``httpx.AsyncHTTPTransport`` (for example one configured
            with ``proxy=`` or ``verify=``, or ``httpx.MockTransport`` in tests). You own it.
        allow_insecure_http: allow an ``http://`` base URL on a non-loopback host.
        total_timeout: seconds one call may take in all, retries, Retry-After waits and the
            whole body included (default 120; event streams are not bounded by it).
        max_response_bytes: the largest response body read, after decompression (default
            64 MiB); a larger one raises :class:`ResponseTooLargeError`.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http2: bool = True,
        organization_id: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
        total_timeout: float | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        setup_logging()
        options = resolve_options(
            token=token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            organization_id=organization_id,
            allow_insecure_http=allow_insecure_http,
        ).evolve(total_timeout=total_timeout, max_response_bytes=max_response_bytes)
        check_pool_arguments(type(self).__name__, http_client, transport)
        inner: httpx.AsyncBaseTransport
        if http_client is not None:
            inner = AsyncClientTransport(http_client)
        elif transport is not None:
            inner = transport
        else:
            inner = httpx.AsyncHTTPTransport(http2=http2, limits=DEFAULT_CONNECTION_LIMITS)
            options = replace(options, connection_limit=DEFAULT_CONNECTION_LIMITS.max_connections)
        retries = AsyncRetryTransport(
            inner,
            policy=RetryPolicy(max_retries=options.max_retries),
            owns_inner=http_client is None and transport is None,
        )
        self._setup(AsyncHttpClient(options, retries))

    def _setup(self, http: AsyncHttpClient) -> None:
        self._http = http
        self._options = http.spheron_options
        self.api = AsyncApi(base_url=str(http.spheron_options.base_url), token=NO_TOKEN)
        """The generated ``AuthenticatedClient`` around this client's one httpx client: pass it
        as ``client=`` to any generated function."""
        self.api.set_async_httpx_client(http)

    @property
    def http_client(self) -> AsyncHttpClient:
        """The one httpx client every request of this client goes through."""
        return self._http

    def with_options(self, **changes: Unpack[OptionChanges]) -> AsyncSpheron:
        """A copy with other options that shares this client's connection pool.

        The options (:class:`~spheron.OptionChanges`; left out or ``None``: unchanged) are
        ``timeout``, ``max_retries``, ``headers`` (added to the current ones), ``total_timeout``,
        ``max_response_bytes`` and ``token``; a misspelt one raises ``InvalidArgumentError``.
        ``token`` makes the copy send another bearer token (a single-use upload token, a user
        session JWT) without building a second client. Closing the copy leaves the pool open;
        closing the original closes it for all copies.
        """
        check_option_names(changes, OPTION_NAMES)
        copy = object.__new__(type(self))
        copy._setup(self._http.derive(**changes))
        return copy

    def without_auth(self) -> AsyncSpheron:
        """A copy that sends no ``Authorization`` header (for the API's public endpoints, such
        as pin status), sharing this client's connection pool."""
        copy = object.__new__(type(self))
        copy._setup(self._http.derive(without_auth=True))
        return copy

    @property
    def is_closed(self) -> bool:
        """Whether the client was closed."""
        return self._http.is_closed

    async def aclose(self) -> None:
        """Close the client, and the connection pool if this client created it."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncSpheron:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
