"""``client.compute.projects``: compute projects (groups of instances) and their spend."""

from __future__ import annotations

from spheron_api_client.api.compute_project import (
    count_compute_project_instances,
    count_compute_projects,
    delete_compute_project,
    get_compute_project,
    get_compute_project_funds_usage,
    list_compute_project_instances,
    list_compute_projects,
)
from spheron_api_client.models.compute_project import ComputeProject
from spheron_api_client.models.compute_project_envelope import ComputeProjectEnvelope
from spheron_api_client.models.delete_compute_project_response import (
    DeleteComputeProjectResponse,
)
from spheron_api_client.models.extended_instance import ExtendedInstance
from spheron_api_client.models.funds_usage import FundsUsage
from spheron_api_client.models.instances_info import InstancesInfo
from spheron_api_client.types import UNSET

from ..._pagination import DEFAULT_PAGE_SIZE
from .._pagination import AsyncPager
from ._base import AsyncResource

__all__ = ["AsyncComputeProjects"]

_WANT_REPORT = "y"


def _unwrap(found: ComputeProject | ComputeProjectEnvelope) -> ComputeProject:
    """The project, whether it came bare or wrapped as ``{cluster: {...}}``."""
    return found.cluster if isinstance(found, ComputeProjectEnvelope) else found


class AsyncComputeProjects(AsyncResource):
    """Compute projects of an organization."""

    def list(
        self,
        organization_id: str | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> AsyncPager[ComputeProject]:
        """The organization's compute projects, fetched lazily page by page."""

        async def fetch(skip: int, size: int) -> list[ComputeProject]:
            org = await self._org(organization_id)
            page = await self._call(
                list_compute_projects.asyncio_detailed, org, skip=skip, limit=size
            )
            return page.compute_projects

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count(self, organization_id: str | None = None) -> int:
        """How many compute projects the organization has."""
        org = await self._org(organization_id)
        return (await self._call(count_compute_projects.asyncio_detailed, org)).count

    async def get(self, compute_project_id: str) -> ComputeProject:
        """A compute project."""
        return _unwrap(await self._call(get_compute_project.asyncio_detailed, compute_project_id))

    async def delete(self, compute_project_id: str) -> DeleteComputeProjectResponse:
        """Delete a compute project."""
        return await self._call(delete_compute_project.asyncio_detailed, compute_project_id)

    async def funds_usage(self, compute_project_id: str) -> FundsUsage:
        """Daily and total spend of the project."""
        return await self._call(
            get_compute_project_funds_usage.asyncio_detailed, compute_project_id
        )

    def instances(
        self,
        compute_project_id: str,
        *,
        topup_report: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> AsyncPager[ExtendedInstance]:
        """The project's instances (with spend reports if asked), fetched lazily."""
        report = _WANT_REPORT if topup_report else UNSET

        async def fetch(skip: int, size: int) -> list[ExtendedInstance]:
            page = await self._call(
                list_compute_project_instances.asyncio_detailed,
                compute_project_id,
                skip=skip,
                limit=size,
                topup_report=report,
            )
            return page.extended_instances

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count_instances(self, compute_project_id: str) -> InstancesInfo:
        """Instance counts by state."""
        return await self._call(
            count_compute_project_instances.asyncio_detailed, compute_project_id
        )
