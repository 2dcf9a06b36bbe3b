"""Resource namespaces on ``Spheron``/``AsyncSpheron``, built on first use.

The resource modules import generated API modules, so they are imported lazily here: ``import
spheron`` stays fast and a namespace costs nothing until it is touched.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .._request_options import RequestOptions, Unpack

if TYPE_CHECKING:
    from spheron_api_client.models import TokenScope, User

    from .resources import (
        AsyncCompute,
        AsyncDeployments,
        AsyncOrganizations,
        AsyncProjects,
        AsyncStorage,
    )

__all__ = ["AsyncNamespaces"]


class AsyncNamespaces:
    """Namespaces ``organizations``, ``projects``, ``deployments``, ``storage``, ``compute``."""

    @cached_property
    def organizations(self) -> AsyncOrganizations:
        """Organizations, their projects, buckets, compute projects, invites and coupons."""
        from .resources import AsyncOrganizations

        return AsyncOrganizations(self)  # type: ignore[arg-type]

    @cached_property
    def projects(self) -> AsyncProjects:
        """Site projects, their deployments, domains, env vars and deployment environments."""
        from .resources import AsyncProjects

        return AsyncProjects(self)  # type: ignore[arg-type]

    @cached_property
    def deployments(self) -> AsyncDeployments:
        """Site deployments: start, inspect, authorize, cancel, redeploy, wait."""
        from .resources import AsyncDeployments

        return AsyncDeployments(self)  # type: ignore[arg-type]

    @cached_property
    def storage(self) -> AsyncStorage:
        """Buckets, uploads, IPFS pins, IPNS names and ``upload(path, ...)``."""
        from .resources import AsyncStorage

        return AsyncStorage(self)  # type: ignore[arg-type]

    @cached_property
    def compute(self) -> AsyncCompute:
        """Compute projects, instances, marketplace apps, machine images and regions."""
        from .resources import AsyncCompute

        return AsyncCompute(self)  # type: ignore[arg-type]

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
