"""``Spheron`` and ``AsyncSpheron``: configured entry points to the generated API functions."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from spheron_api_client.client import AuthenticatedClient

from ._config import BearerAuth, ClientOptions, MaskedStr, resolve_options, user_agent
from ._constants import DEFAULT_CONNECTION_LIMITS, DEFAULT_MAX_RETRIES
from ._errors import SpheronConfigError
from ._logs import setup_logging
from ._namespaces import AsyncNamespaces, SyncNamespaces
from ._transport import (
    AsyncClientTransport,
    AsyncRetryTransport,
    AsyncTypedErrorsClient,
    ClientTransport,
    RetryPolicy,
    RetryTransport,
    TypedErrorsClient,
)

__all__ = ["AsyncSpheron", "Spheron"]


class _WrongModeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Fails fast when a sync client is used with async functions or the other way round."""

    def __init__(self, hint: str) -> None:
        self._hint = hint

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise SpheronConfigError(self._hint)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise SpheronConfigError(self._hint)


_USE_ASYNC = (
    "Spheron is synchronous: call the generated sync()/sync_detailed() functions with "
    "client.api, or use AsyncSpheron for asyncio()/asyncio_detailed()."
)
_USE_SYNC = (
    "AsyncSpheron is asynchronous: await the generated asyncio()/asyncio_detailed() functions "
    "with client.api, or use Spheron for sync()/sync_detailed()."
)


def _headers(options: ClientOptions) -> dict[str, str]:
    return {"User-Agent": user_agent(), "Accept": "application/json", **options.headers}


def _pool_kwargs(options: ClientOptions, http2: bool) -> dict[str, Any]:
    """Settings of the connection pool a client creates when none is passed in."""
    return {
        "http2": http2,
        "limits": DEFAULT_CONNECTION_LIMITS,
        "timeout": options.timeout,
        "follow_redirects": False,
    }


def _client_kwargs(options: ClientOptions) -> dict[str, Any]:
    """Settings of the httpx client behind ``client.api`` (its transport comes separately)."""
    return {
        "base_url": options.base_url,
        "auth": BearerAuth(options.token),
        "headers": _headers(options),
        "timeout": options.timeout,
        "follow_redirects": False,
        "trust_env": False,
    }


def _generated_client(options: ClientOptions) -> AuthenticatedClient:
    """The generated client; the token is masked in its repr."""
    return AuthenticatedClient(
        base_url=str(options.base_url),
        token=MaskedStr(options.token.get_secret_value()),
        timeout=options.timeout,
        headers=_headers(options),
    )


class _ClientBase:
    """Options and introspection shared by both clients."""

    _options: ClientOptions
    _owns_pool: bool
    api: AuthenticatedClient
    """The generated ``AuthenticatedClient``: pass it as ``client=`` to any generated function."""

    @property
    def base_url(self) -> httpx.URL:
        """The API's base URL."""
        return self._options.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeout applied to every request."""
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        """How many times a failed request is retried (see the retry policy)."""
        return self._options.max_retries

    @property
    def organization_id(self) -> str | None:
        """The organization that organization-scoped helpers act on by default."""
        return self._options.organization_id

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, "
            f"organization_id={self.organization_id!r}, max_retries={self.max_retries})"
        )


class Spheron(SyncNamespaces, _ClientBase):
    """Synchronous client for the Spheron API.

    Pass ``client.api`` to the generated functions in ``spheron_api_client.api``; every call then
    gets authentication, finite timeouts, retries and typed errors.

    Args:
        token: API token; defaults to the ``SPHERON_TOKEN`` environment variable.
        base_url: defaults to ``SPHERON_BASE_URL``, then ``https://api-v2.spheron.network``.
        timeout: seconds for each of connect/read/write/pool, or an ``httpx.Timeout``;
            defaults to 5s to connect and 60s for the rest.
        max_retries: retries for failed idempotent requests (and unsent ones); 0 disables.
        http2: negotiate HTTP/2 (ignored when ``http_client`` is given).
        organization_id: the organization later helpers act on by default.
        http_client: an ``httpx.Client`` that carries the connections (TLS settings, proxies,
            HTTP/2, redirect following). Its base URL, headers and timeout are ignored. You own
            it: ``close()`` leaves it open.
        allow_insecure_http: allow an ``http://`` base URL on a non-loopback host.
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
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        setup_logging()
        options = resolve_options(
            token=token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            organization_id=organization_id,
            allow_insecure_http=allow_insecure_http,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise SpheronConfigError(
                "Spheron needs an httpx.Client as http_client; use AsyncSpheron for an "
                "httpx.AsyncClient."
            )
        pool = http_client or httpx.Client(**_pool_kwargs(options, http2))
        self._setup(options, pool, owns_pool=http_client is None)

    def _setup(self, options: ClientOptions, pool: httpx.Client, *, owns_pool: bool) -> None:
        self._options = options
        self._pool = pool
        self._owns_pool = owns_pool
        self._transport = RetryTransport(
            ClientTransport(pool), policy=RetryPolicy(max_retries=options.max_retries)
        )
        self._client = TypedErrorsClient(transport=self._transport, **_client_kwargs(options))
        api = _generated_client(options).set_httpx_client(self._client)
        self.api = api.set_async_httpx_client(
            httpx.AsyncClient(transport=_WrongModeTransport(_USE_ASYNC), trust_env=False)
        )

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Spheron:
        """A copy with other options that shares this client's connection pool.

        Closing the copy leaves the pool open; closing the original closes it for all copies.
        """
        options = self._options.evolve(timeout=timeout, max_retries=max_retries, headers=headers)
        copy = object.__new__(type(self))
        copy._setup(options, self._pool, owns_pool=False)
        return copy

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._client.is_closed

    def close(self) -> None:
        """Close the client, and the connection pool if this client created it."""
        self._client.close()
        if self._owns_pool:
            self._pool.close()

    def __enter__(self) -> Spheron:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncSpheron(AsyncNamespaces, _ClientBase):
    """Asynchronous client for the Spheron API; same arguments as :class:`Spheron`.

    Await the generated ``asyncio()``/``asyncio_detailed()`` functions with ``client.api``.
    ``http_client`` must be an ``httpx.AsyncClient``.
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
        allow_insecure_http: bool = False,
    ) -> None:
        setup_logging()
        options = resolve_options(
            token=token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            organization_id=organization_id,
            allow_insecure_http=allow_insecure_http,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise SpheronConfigError(
                "AsyncSpheron needs an httpx.AsyncClient as http_client; use Spheron for an "
                "httpx.Client."
            )
        pool = http_client or httpx.AsyncClient(**_pool_kwargs(options, http2))
        self._setup(options, pool, owns_pool=http_client is None)

    def _setup(self, options: ClientOptions, pool: httpx.AsyncClient, *, owns_pool: bool) -> None:
        self._options = options
        self._pool = pool
        self._owns_pool = owns_pool
        self._transport = AsyncRetryTransport(
            AsyncClientTransport(pool), policy=RetryPolicy(max_retries=options.max_retries)
        )
        self._client = AsyncTypedErrorsClient(transport=self._transport, **_client_kwargs(options))
        api = _generated_client(options).set_async_httpx_client(self._client)
        self.api = api.set_httpx_client(
            httpx.Client(transport=_WrongModeTransport(_USE_SYNC), trust_env=False)
        )

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncSpheron:
        """A copy with other options that shares this client's connection pool.

        Closing the copy leaves the pool open; closing the original closes it for all copies.
        """
        options = self._options.evolve(timeout=timeout, max_retries=max_retries, headers=headers)
        copy = object.__new__(type(self))
        copy._setup(options, self._pool, owns_pool=False)
        return copy

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._client.is_closed

    async def aclose(self) -> None:
        """Close the client, and the connection pool if this client created it."""
        await self._client.aclose()
        if self._owns_pool:
            await self._pool.aclose()

    async def __aenter__(self) -> AsyncSpheron:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
