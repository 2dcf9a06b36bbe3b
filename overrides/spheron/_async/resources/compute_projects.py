"""``client.compute.projects``: compute projects (groups of instances) and their spend."""

from __future__ import annotations

from functools import cached_property

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
from ..._request_options import RequestOptions, Unpack
from .._pagination import AsyncPager
from .._raw import async_raw, async_raw_pager
from ._base import AsyncResource, as_call_options, deprecated_alias

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
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ComputeProject]:
        """The organization's compute projects, fetched lazily page by page.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[ComputeProject]: a lazy pager of ``ComputeProject``: nothing is fetched until
                it is iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: while iterating, a non-2xx answer or none in time.
            ResponseValidationError: while iterating, a page off the API document.
            PaginationError: while iterating, a page repeating the last one or too many pages.
        """

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[ComputeProject]:
            org = await self._org(organization_id)
            page = await self._call(
                list_compute_projects.asyncio_detailed, org, skip=skip, limit=size, options=call
            )
            return page.compute_projects

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count(
        self, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> int:
        """How many compute projects the organization has.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            int: how many compute projects the organization has.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        return (
            await self._call(count_compute_projects.asyncio_detailed, org, options=options)
        ).count

    async def get(
        self, compute_project_id: str, **options: Unpack[RequestOptions]
    ) -> ComputeProject:
        """A compute project.

        Args:
            compute_project_id: the compute project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            ComputeProject: a compute project.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return _unwrap(
            await self._call(
                get_compute_project.asyncio_detailed, compute_project_id, options=options
            )
        )

    async def delete(
        self, compute_project_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteComputeProjectResponse:
        """Delete a compute project.

        Args:
            compute_project_id: the compute project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteComputeProjectResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            delete_compute_project.asyncio_detailed, compute_project_id, options=options
        )

    async def funds_usage(
        self, compute_project_id: str, **options: Unpack[RequestOptions]
    ) -> FundsUsage:
        """Daily and total spend of the project.

        Args:
            compute_project_id: the compute project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            FundsUsage: daily and total spend of the project.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            get_compute_project_funds_usage.asyncio_detailed, compute_project_id, options=options
        )

    def list_instances(
        self,
        compute_project_id: str,
        *,
        topup_report: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ExtendedInstance]:
        """The project's instances (with spend reports if asked), fetched lazily.

        Args:
            compute_project_id: the compute project's id.
            topup_report: include each instance's spend report.
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[ExtendedInstance]: a lazy pager of ``ExtendedInstance``: nothing is fetched
                until it is iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            APIError: while iterating, a non-2xx answer or none in time.
            ResponseValidationError: while iterating, a page off the API document.
            PaginationError: while iterating, a page repeating the last one or too many pages.
        """
        report = _WANT_REPORT if topup_report else UNSET

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[ExtendedInstance]:
            page = await self._call(
                list_compute_project_instances.asyncio_detailed,
                compute_project_id,
                skip=skip,
                limit=size,
                topup_report=report,
                options=call,
            )
            return page.extended_instances

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    instances = deprecated_alias(
        list_instances,
        old="client.compute.projects.instances",
        new="client.compute.projects.list_instances",
    )

    async def count_instances(
        self, compute_project_id: str, **options: Unpack[RequestOptions]
    ) -> InstancesInfo:
        """Instance counts by state.

        Args:
            compute_project_id: the compute project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            InstancesInfo: instance counts by state.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            count_compute_project_instances.asyncio_detailed, compute_project_id, options=options
        )

    @cached_property
    def with_raw_response(self) -> AsyncComputeProjectsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncComputeProjectsWithRawResponse(self)


class AsyncComputeProjectsWithRawResponse:
    """``AsyncComputeProjects.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncComputeProjects) -> None:
        self.list = async_raw_pager(namespace.list)
        self.count = async_raw(namespace.count)
        self.get = async_raw(namespace.get)
        self.delete = async_raw(namespace.delete)
        self.funds_usage = async_raw(namespace.funds_usage)
        self.list_instances = async_raw_pager(namespace.list_instances)
        self.count_instances = async_raw(namespace.count_instances)
