"""``client.projects``: site projects, their deployments and settings."""

from __future__ import annotations

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
from .._pagination import AsyncPager
from ._base import AsyncResource, ClientLike, coerce_enum, optional_enum
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

    async def get(self, project_id: str) -> Project:
        """A project."""
        return await self._call(get_project.asyncio_detailed, project_id)

    def deployments(
        self,
        project_id: str,
        *,
        status: DeploymentStatus | str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> AsyncPager[Deployment]:
        """The project's deployments, newest first, fetched lazily page by page."""
        status_value = optional_enum(DeploymentStatus, status)

        async def fetch(skip: int, size: int) -> list[Deployment]:
            return await self._call(
                list_project_deployments.asyncio_detailed,
                project_id,
                skip=skip,
                limit=size,
                status=status_value,
            )

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count_deployments(self, project_id: str) -> CountProjectDeploymentsResponse:
        """Deployment counts: total, successful, failed and pending."""
        return await self._call(count_project_deployments.asyncio_detailed, project_id)

    async def set_state(
        self, project_id: str, state: ProjectState | str
    ) -> UpdateProjectStateResponse:
        """Archive (``ARCHIVED``) or restore (``MAINTAINED``) a project."""
        body = UpdateProjectStateBody(state=coerce_enum(ProjectState, state))
        return await self._call(update_project_state.asyncio_detailed, project_id, body=body)

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
    ) -> Configuration:
        """Replace the project's build settings."""
        body = _configuration_body(
            build_command, install_command, workspace, publish_dir, framework, node_version
        )
        updated = await self._call(
            update_project_configuration.asyncio_detailed, project_id, body=body
        )
        return updated.configuration
