"""``client.projects``: site projects, their deployments and settings."""

from __future__ import annotations

from functools import cached_property

from spheron_api_client.api.project import (
    count_project_deployments,
    get_project,
    list_project_deployments,
    update_project_configuration,
    update_project_state,
)
from spheron_api_client.models.configuration import Configuration
from spheron_api_client.models.count_project_deployments_response import (
    CountProjectDeploymentsResponse,
)
from spheron_api_client.models.deployment import Deployment
from spheron_api_client.models.deployment_status import DeploymentStatus
from spheron_api_client.models.framework import Framework
from spheron_api_client.models.node_version import NodeVersion
from spheron_api_client.models.project import Project
from spheron_api_client.models.project_state import ProjectState
from spheron_api_client.models.update_project_configuration_body import (
    UpdateProjectConfigurationBody,
)
from spheron_api_client.models.update_project_state_body import UpdateProjectStateBody
from spheron_api_client.models.update_project_state_response import UpdateProjectStateResponse

from ..._pagination import DEFAULT_PAGE_SIZE
from ..._request_options import RequestOptions, Unpack
from .._pagination import AsyncPager
from .._raw import async_raw, async_raw_pager
from ._base import (
    AsyncResource,
    ClientLike,
    as_call_options,
    coerce_enum,
    deprecated_alias,
    optional_enum,
)
from .deployment_environments import AsyncDeploymentEnvironments
from .environment_variables import AsyncEnvironmentVariables
from .project_domains import AsyncProjectDomains

__all__ = ["AsyncProjects"]


def _configuration_body(
    build_command: str,
    install_command: str,
    workspace: str,
    publish_dir: str,
    framework: Framework | str,
    node_version: NodeVersion | str,
) -> UpdateProjectConfigurationBody:
    return UpdateProjectConfigurationBody(
        build_command=build_command,
        install_command=install_command,
        workspace=workspace,
        publish_dir=publish_dir,
        framework=coerce_enum(Framework, framework),
        node_version=coerce_enum(NodeVersion, node_version),
    )


class AsyncProjects(AsyncResource):
    """Site projects (``.domains``, ``.env_vars``, ``.deployment_environments`` inside)."""

    def __init__(self, client: ClientLike) -> None:
        super().__init__(client)
        self.domains = AsyncProjectDomains(client)
        self.env_vars = AsyncEnvironmentVariables(client)
        self.deployment_environments = AsyncDeploymentEnvironments(client)

    async def get(self, project_id: str, **options: Unpack[RequestOptions]) -> Project:
        """A project.

        Args:
            project_id: the site project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Project: a project.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(get_project.asyncio_detailed, project_id, options=options)

    def list_deployments(
        self,
        project_id: str,
        *,
        status: DeploymentStatus | str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Deployment]:
        """The project's deployments, newest first, fetched lazily page by page.

        Args:
            project_id: the site project's id.
            status: only deployments with this status (``None``: all).
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[Deployment]: a lazy pager of ``Deployment``: nothing is fetched until it is
                iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            APIError: while iterating, a non-2xx answer or none in time.
            ResponseValidationError: while iterating, a page off the API document.
            PaginationError: while iterating, a page repeating the last one or too many pages.
        """
        status_value = optional_enum(DeploymentStatus, status)

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[Deployment]:
            return await self._call(
                list_project_deployments.asyncio_detailed,
                project_id,
                skip=skip,
                limit=size,
                status=status_value,
                options=call,
            )

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    deployments = deprecated_alias(
        list_deployments, old="client.projects.deployments", new="client.projects.list_deployments"
    )

    async def count_deployments(
        self, project_id: str, **options: Unpack[RequestOptions]
    ) -> CountProjectDeploymentsResponse:
        """Deployment counts: total, successful, failed and pending.

        Args:
            project_id: the site project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            CountProjectDeploymentsResponse: deployment counts: total, successful, failed and
                pending.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            count_project_deployments.asyncio_detailed, project_id, options=options
        )

    async def set_state(
        self, project_id: str, state: ProjectState | str, **options: Unpack[RequestOptions]
    ) -> UpdateProjectStateResponse:
        """Archive (``ARCHIVED``) or restore (``MAINTAINED``) a project.

        Args:
            project_id: the site project's id.
            state: ``ARCHIVED`` or ``MAINTAINED``.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            UpdateProjectStateResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = UpdateProjectStateBody(state=coerce_enum(ProjectState, state))
        return await self._call(
            update_project_state.asyncio_detailed, project_id, body=body, options=options
        )

    async def update_configuration(
        self,
        project_id: str,
        *,
        build_command: str,
        install_command: str,
        workspace: str,
        publish_dir: str,
        framework: Framework | str,
        node_version: NodeVersion | str,
        **options: Unpack[RequestOptions],
    ) -> Configuration:
        """Replace the project's build settings.

        Args:
            project_id: the site project's id.
            build_command: the command that builds the site (``npm run build``).
            install_command: the command that installs dependencies (``npm ci``).
            workspace: the folder of the site in the repository (``""``: the root).
            publish_dir: the folder the build writes (``build``, ``dist``).
            framework: the framework (``react``, ``next``, ``static``, ...).
            node_version: the Node.js version (``V_16``, ``V_18``, ...).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Configuration: the project's new build settings.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = _configuration_body(
            build_command, install_command, workspace, publish_dir, framework, node_version
        )
        updated = await self._call(
            update_project_configuration.asyncio_detailed, project_id, body=body, options=options
        )
        return updated.configuration

    @cached_property
    def with_raw_response(self) -> AsyncProjectsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncProjectsWithRawResponse(self)


class AsyncProjectsWithRawResponse:
    """``AsyncProjects.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncProjects) -> None:
        self.get = async_raw(namespace.get)
        self.list_deployments = async_raw_pager(namespace.list_deployments)
        self.count_deployments = async_raw(namespace.count_deployments)
        self.set_state = async_raw(namespace.set_state)
        self.update_configuration = async_raw(namespace.update_configuration)
