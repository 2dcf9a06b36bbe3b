"""``client.projects.deployment_environments``: branch-to-environment mappings of a project."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from spheron_api_client.api.deployment_environments import (
    activate_deployment_environment,
    create_deployment_environment,
    deactivate_deployment_environment,
    delete_deployment_environment,
    list_deployment_environments,
    update_deployment_environment,
)
from spheron_api_client.models.create_deployment_environment_body import (
    CreateDeploymentEnvironmentBody,
)
from spheron_api_client.models.delete_deployment_environment_response import (
    DeleteDeploymentEnvironmentResponse,
)
from spheron_api_client.models.deployment_environment import DeploymentEnvironment
from spheron_api_client.models.protocol import Protocol
from spheron_api_client.models.update_deployment_environment_body import (
    UpdateDeploymentEnvironmentBody,
)

from ..._request_options import RequestOptions, Unpack
from .._raw import async_raw
from ._base import AsyncResource, coerce_enum

__all__ = ["AsyncDeploymentEnvironments"]


class AsyncDeploymentEnvironments(AsyncResource):
    """Deployment environments: which branches deploy where, with which protocol."""

    async def list(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> list[DeploymentEnvironment]:
        """The project's deployment environments.

        Args:
            project_id: the site project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[DeploymentEnvironment]: the project's deployment environments.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(
                list_deployment_environments.asyncio_detailed, project_id, options=options
            )
        ).result

    async def create(
        self,
        project_id: str,
        *,
        name: str,
        branches: Sequence[str],
        protocol: Protocol | str,
        **options: Unpack[RequestOptions],
    ) -> DeploymentEnvironment:
        """Add an environment that deploys ``branches``.

        Args:
            project_id: the site project's id.
            name: the environment's name.
            branches: the branches that deploy to it.
            protocol: where content is published (``ipfs``, ``arweave``, ...).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeploymentEnvironment: the created DeploymentEnvironment.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = CreateDeploymentEnvironmentBody(
            name=name, branches=list(branches), protocol=coerce_enum(Protocol, protocol)
        )
        created = await self._call(
            create_deployment_environment.asyncio_detailed, project_id, body=body, options=options
        )
        return created.new_environment

    async def update(
        self,
        project_id: str,
        deployment_environment_id: str,
        *,
        name: str,
        branches: Sequence[str],
        protocol: Protocol | str,
        **options: Unpack[RequestOptions],
    ) -> DeploymentEnvironment:
        """Replace an environment's name, branches and protocol.

        Args:
            project_id: the site project's id.
            deployment_environment_id: the deployment environment's id.
            name: the environment's name.
            branches: the branches that deploy to it.
            protocol: where content is published (``ipfs``, ``arweave``, ...).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeploymentEnvironment: the updated DeploymentEnvironment.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = UpdateDeploymentEnvironmentBody(
            name=name, branches=list(branches), protocol=coerce_enum(Protocol, protocol)
        )
        updated = await self._call(
            update_deployment_environment.asyncio_detailed,
            project_id,
            deployment_environment_id,
            body=body,
            options=options,
        )
        return updated.deployment_environment

    async def delete(
        self, project_id: str, deployment_environment_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteDeploymentEnvironmentResponse:
        """Remove an environment.

        Args:
            project_id: the site project's id.
            deployment_environment_id: the deployment environment's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteDeploymentEnvironmentResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            delete_deployment_environment.asyncio_detailed,
            project_id,
            deployment_environment_id,
            options=options,
        )

    async def activate(
        self, project_id: str, deployment_environment_id: str, **options: Unpack[RequestOptions]
    ) -> DeploymentEnvironment:
        """Resume deploying to an environment.

        Args:
            project_id: the site project's id.
            deployment_environment_id: the deployment environment's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeploymentEnvironment: the environment.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        activated = await self._call(
            activate_deployment_environment.asyncio_detailed,
            project_id,
            deployment_environment_id,
            options=options,
        )
        return activated.deployment_environment

    async def deactivate(
        self, project_id: str, deployment_environment_id: str, **options: Unpack[RequestOptions]
    ) -> DeploymentEnvironment:
        """Stop deploying to an environment.

        Args:
            project_id: the site project's id.
            deployment_environment_id: the deployment environment's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeploymentEnvironment: the environment.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        deactivated = await self._call(
            deactivate_deployment_environment.asyncio_detailed,
            project_id,
            deployment_environment_id,
            options=options,
        )
        return deactivated.deployment_environment

    @cached_property
    def with_raw_response(self) -> AsyncDeploymentEnvironmentsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncDeploymentEnvironmentsWithRawResponse(self)


class AsyncDeploymentEnvironmentsWithRawResponse:
    """``AsyncDeploymentEnvironments.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncDeploymentEnvironments) -> None:
        self.list = async_raw(namespace.list)
        self.create = async_raw(namespace.create)
        self.update = async_raw(namespace.update)
        self.delete = async_raw(namespace.delete)
        self.activate = async_raw(namespace.activate)
        self.deactivate = async_raw(namespace.deactivate)
