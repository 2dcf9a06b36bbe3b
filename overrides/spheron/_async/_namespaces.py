"""Resource namespaces on ``Spheron``/``AsyncSpheron``, built on first use.

The resource modules import generated API modules, so they are imported lazily here: ``import
spheron`` stays fast and a namespace costs nothing until it is touched.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from .._request_options import RequestOptions, Unpack
from ._raw import async_raw

if TYPE_CHECKING:
    from spheron_api_client.models import TokenScope, User

    from .resources import (
        AsyncCompute,
        AsyncDeployments,
        AsyncOrganizations,
        AsyncProjects,
        AsyncStorage,
    )

__all__ = ["AsyncClientWithRawResponse", "AsyncNamespaces"]


N = TypeVar("N")


class _Lazy(Generic[N]):
    """A namespace attribute: built from the client on first use, then kept on the client (its
    module is imported then, so ``import spheron`` stays fast). Typed: ``client.projects`` is an
    ``AsyncProjects``."""

    def __init__(self, load: Callable[[], Callable[[Any], N]]) -> None:
        self._load = load
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, client: None, owner: type | None = None) -> _Lazy[N]: ...

    @overload
    def __get__(self, client: object, owner: type | None = None) -> N: ...

    def __get__(self, client: object | None, owner: type | None = None) -> N | _Lazy[N]:
        if client is None:
            return self
        namespace = self._load()(client)
        vars(client)[self._name] = namespace  # found first from now on (no __set__ here)
        return namespace


def _resources() -> Any:
    from . import resources

    return resources


class AsyncNamespaces:
    """The namespaces, each built on first use:

    ``organizations`` (their projects, buckets, compute projects, invites and coupons),
    ``projects`` (site projects, deployments, domains, env vars, deployment environments),
    ``deployments`` (start, inspect, authorize, cancel, redeploy, wait), ``storage`` (buckets,
    uploads, pins, IPNS names, ``upload(path)``), ``compute`` (compute projects, instances,
    marketplace apps, machine images, regions).
    """

    organizations: _Lazy[AsyncOrganizations] = _Lazy(lambda: _resources().AsyncOrganizations)
    projects: _Lazy[AsyncProjects] = _Lazy(lambda: _resources().AsyncProjects)
    deployments: _Lazy[AsyncDeployments] = _Lazy(lambda: _resources().AsyncDeployments)
    storage: _Lazy[AsyncStorage] = _Lazy(lambda: _resources().AsyncStorage)
    compute: _Lazy[AsyncCompute] = _Lazy(lambda: _resources().AsyncCompute)

    async def token_scope(self, **options: Unpack[RequestOptions]) -> TokenScope:
        """The user and the organizations this token can reach.

        Args:
            **options: per-call request options (:class:`~spheron.RequestOptions`).

        Returns:
            The token's user and organizations.

        Raises:
            APIStatusError: a non-2xx answer (``PermissionDeniedError`` for a bad token).
            APIConnectionError: the request could not be sent or answered in time.
        """
        from .resources import async_token_scope

        return await async_token_scope(self, options)  # type: ignore[arg-type]

    async def profile(self, **options: Unpack[RequestOptions]) -> User:
        """The signed-in user with their organizations.

        Args:
            **options: per-call request options (:class:`~spheron.RequestOptions`).

        Returns:
            The user.

        Raises:
            APIStatusError: a non-2xx answer.
            APIConnectionError: the request could not be sent or answered in time.
        """
        from .resources import async_profile

        return await async_profile(self, options)  # type: ignore[arg-type]

    @cached_property
    def with_raw_response(self) -> AsyncClientWithRawResponse:
        """``token_scope`` and ``profile`` returning a :class:`~spheron.RawResponse` (status,
        headers, request id, ``.parse()``); each namespace has its own ``with_raw_response``."""
        return AsyncClientWithRawResponse(self)


class AsyncClientWithRawResponse:
    """``client.with_raw_response``: the client's own calls, each returning a RawResponse."""

    def __init__(self, client: AsyncNamespaces) -> None:
        self.token_scope = async_raw(client.token_scope)
        self.profile = async_raw(client.profile)
