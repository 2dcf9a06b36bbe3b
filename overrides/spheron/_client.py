"""What ``Spheron`` and ``AsyncSpheron`` share: introspection, ``client.api``'s classes, checks.

The clients themselves are written once, async, in ``spheron/_async/_client.py``
(``spheron/_sync/_client.py`` is generated from it).
"""

from __future__ import annotations

import httpx
from attrs import define

from spheron_api_client.client import AuthenticatedClient

from ._config import ClientOptions
from ._errors import SpheronConfigError

__all__ = ["AsyncApi", "ClientBase", "SyncApi", "check_pool_arguments"]

# The generated client requires a token argument; the token itself lives only in the auth of
# the httpx client that ``client.api`` shares, so the generated client gets this placeholder.
NO_TOKEN = "<held by the spheron client's auth>"

_USE_ASYNC = (
    "Spheron is synchronous: call the generated sync()/sync_detailed() functions with "
    "client.api, or use AsyncSpheron for asyncio()/asyncio_detailed()."
)
_USE_SYNC = (
    "AsyncSpheron is asynchronous: await the generated asyncio()/asyncio_detailed() functions "
    "with client.api, or use Spheron for sync()/sync_detailed()."
)


@define
class SyncApi(AuthenticatedClient):
    """``Spheron.api``: the generated client around the ``Spheron``'s one httpx client."""

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        raise SpheronConfigError(_USE_ASYNC)


@define
class AsyncApi(AuthenticatedClient):
    """``AsyncSpheron.api``: the generated client around the ``AsyncSpheron``'s one client."""

    def get_httpx_client(self) -> httpx.Client:
        raise SpheronConfigError(_USE_SYNC)


_POOL_TYPES: dict[str, tuple[type[httpx.Client | httpx.AsyncClient], type[object], str]] = {
    "Spheron": (httpx.Client, httpx.BaseTransport, "AsyncSpheron"),
    "AsyncSpheron": (httpx.AsyncClient, httpx.AsyncBaseTransport, "Spheron"),
}


def check_pool_arguments(client_class: str, http_client: object, transport: object) -> None:
    """Refuse an ``http_client``/``transport`` of the other mode, or both at once."""
    client_type, transport_type, other = _POOL_TYPES[client_class]
    if http_client is not None and transport is not None:
        raise SpheronConfigError("pass either http_client or transport, not both.")
    if http_client is not None and not isinstance(http_client, client_type):
        raise SpheronConfigError(
            f"{client_class} needs an httpx.{client_type.__name__} as http_client; use {other} "
            f"for an httpx.{type(http_client).__name__}."
        )
    if transport is not None and not isinstance(transport, transport_type):
        raise SpheronConfigError(
            f"{client_class} needs an httpx.{transport_type.__name__} as transport; use {other} "
            "for the other kind."
        )


class ClientBase:
    """Options and introspection shared by both clients."""

    _options: ClientOptions

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
