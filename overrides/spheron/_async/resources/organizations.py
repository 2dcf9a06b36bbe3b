"""``client.organizations``: the organization, its members, invites, coupons and listings.

``organization_id`` defaults to the client's organization (see
:func:`~spheron.resources.account.resolve_organization_id`).
"""

from __future__ import annotations

from functools import cached_property

from spheron_api_client.api.coupons import list_coupons
from spheron_api_client.api.invites import create_invite, delete_invite, list_invites
from spheron_api_client.api.organization import (
    create_organization,
    get_organization,
    get_organization_overdue,
    get_organization_usage,
    remove_organization_member,
    update_organization,
)
from spheron_api_client.api.project import count_organization_projects, list_organization_projects
from spheron_api_client.models.app_type import AppType
from spheron_api_client.models.bucket import Bucket
from spheron_api_client.models.bucket_state import BucketState
from spheron_api_client.models.compute_project import ComputeProject
from spheron_api_client.models.coupon import Coupon
from spheron_api_client.models.create_invite_body import CreateInviteBody
from spheron_api_client.models.create_invite_response import CreateInviteResponse
from spheron_api_client.models.create_organization_body import CreateOrganizationBody
from spheron_api_client.models.invite import Invite
from spheron_api_client.models.organization import Organization
from spheron_api_client.models.overdue_report import OverdueReport
from spheron_api_client.models.project import Project
from spheron_api_client.models.project_state import ProjectState
from spheron_api_client.models.remove_organization_member_body import (
    RemoveOrganizationMemberBody,
)
from spheron_api_client.models.remove_organization_member_response import (
    RemoveOrganizationMemberResponse,
)
from spheron_api_client.models.update_organization_body import UpdateOrganizationBody
from spheron_api_client.models.usage_specialization import UsageSpecialization
from spheron_api_client.models.usage_with_limits import UsageWithLimits

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
    unset_if_none,
)
from .buckets import AsyncBuckets
from .compute_projects import AsyncComputeProjects

__all__ = ["AsyncInvites", "AsyncOrganizations"]


class AsyncInvites(AsyncResource):
    """Invitations to join an organization."""

    async def list(
        self, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> list[Invite]:
        """Pending invitations.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[Invite]: pending invitations.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        return (await self._call(list_invites.asyncio_detailed, org, options=options)).invites

    async def create(
        self, email: str, *, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> CreateInviteResponse:
        """Invite ``email`` to the organization.

        Args:
            email: the address to invite.
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            CreateInviteResponse: the invitation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = CreateInviteBody(user_email=email)
        org = await self._org(organization_id)
        return await self._call(create_invite.asyncio_detailed, org, body=body, options=options)

    async def delete(
        self,
        invite_id: str,
        *,
        organization_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Invite:
        """Withdraw an invitation.

        Args:
            invite_id: the invitation's id.
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Invite: the withdrawn invitation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        return await self._call(delete_invite.asyncio_detailed, org, invite_id, options=options)

    @cached_property
    def with_raw_response(self) -> AsyncInvitesWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncInvitesWithRawResponse(self)


class AsyncInvitesWithRawResponse:
    """``AsyncInvites.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncInvites) -> None:
        self.list = async_raw(namespace.list)
        self.create = async_raw(namespace.create)
        self.delete = async_raw(namespace.delete)


class AsyncOrganizations(AsyncResource):
    """Organizations: settings, members, usage and the things they own."""

    def __init__(self, client: ClientLike) -> None:
        super().__init__(client)
        self.invites = AsyncInvites(client)
        self._buckets = AsyncBuckets(client)
        self._compute_projects = AsyncComputeProjects(client)

    async def get(
        self, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> Organization:
        """An organization.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Organization: an organization.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        return await self._call(get_organization.asyncio_detailed, org, options=options)

    async def create(
        self,
        *,
        name: str,
        username: str,
        app_type: AppType | str,
        **options: Unpack[RequestOptions],
    ) -> Organization:
        """Create an organization for one product (``app``, ``storage`` or ``compute``).

        Args:
            name: the organization's display name.
            username: the organization's username (its URL handle).
            app_type: ``app`` (sites), ``storage`` or ``compute``.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Organization: the created Organization.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = CreateOrganizationBody(
            username=username, name=name, app_type=coerce_enum(AppType, app_type)
        )
        return (
            await self._call(create_organization.asyncio_detailed, body=body, options=options)
        ).organization

    async def update(
        self,
        organization_id: str,
        *,
        name: str,
        username: str,
        image: str,
        **options: Unpack[RequestOptions],
    ) -> Organization:
        """Change an organization's name, username and image URL.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            name: the organization's display name.
            username: the organization's username (its URL handle).
            image: the URL of the organization's image.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Organization: the updated Organization.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = UpdateOrganizationBody(name=name, username=username, image=image)
        return await self._call(
            update_organization.asyncio_detailed, organization_id, body=body, options=options
        )

    async def usage(
        self,
        organization_id: str | None = None,
        *,
        specialization: UsageSpecialization | str = UsageSpecialization.WA_GLOBAL,
        **options: Unpack[RequestOptions],
    ) -> UsageWithLimits:
        """Subscription usage and limits for one product line.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            specialization: the product line (``wa-global``, ``storage``, ``compute``, ...).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            UsageWithLimits: subscription usage and limits for one product line.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        kind = coerce_enum(UsageSpecialization, specialization)
        org = await self._org(organization_id)
        return (
            await self._call(get_organization_usage.asyncio_detailed, org, kind, options=options)
        ).usage

    async def overdue(
        self, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> OverdueReport:
        """Whether the organization is over its plan, and why.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            OverdueReport: whether the organization is over its plan, and why.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        return await self._call(get_organization_overdue.asyncio_detailed, org, options=options)

    async def remove_member(
        self, user_id: str, *, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> RemoveOrganizationMemberResponse:
        """Remove a user from the organization.

        Args:
            user_id: the user's id.
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            RemoveOrganizationMemberResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = RemoveOrganizationMemberBody(user_id=user_id)
        org = await self._org(organization_id)
        return await self._call(
            remove_organization_member.asyncio_detailed, org, body=body, options=options
        )

    async def list_coupons(
        self, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> list[Coupon]:
        """Coupons attached to the organization.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[Coupon]: coupons attached to the organization.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        return (await self._call(list_coupons.asyncio_detailed, org, options=options)).coupons

    coupons = deprecated_alias(
        list_coupons, old="client.organizations.coupons", new="client.organizations.list_coupons"
    )

    def list_projects(
        self,
        organization_id: str | None = None,
        *,
        state: ProjectState | str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Project]:
        """Site projects, fetched lazily page by page.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            state: only projects in this state (``None``: all).
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[Project]: a lazy pager of ``Project``: nothing is fetched until it is
                iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: while iterating, a non-2xx answer or none in time.
            ResponseValidationError: while iterating, a page off the API document.
            PaginationError: while iterating, a page repeating the last one or too many pages.
        """
        state_value = optional_enum(ProjectState, state)

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[Project]:
            org = await self._org(organization_id)
            page = await self._call(
                list_organization_projects.asyncio_detailed,
                org,
                skip=skip,
                limit=size,
                state=state_value,
                options=call,
            )
            return page.projects

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    projects = deprecated_alias(
        list_projects, old="client.organizations.projects", new="client.organizations.list_projects"
    )

    async def count_projects(
        self,
        organization_id: str | None = None,
        *,
        state: ProjectState | str | None = None,
        include_upload_type: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """How many site projects the organization has.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            state: only projects in this state (``None``: all).
            include_upload_type: count upload-type projects too (``None``: the server's default).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            int: how many site projects the organization has.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        counted = await self._call(
            count_organization_projects.asyncio_detailed,
            org,
            state=optional_enum(ProjectState, state),
            include_upload_type=unset_if_none(include_upload_type),
            options=options,
        )
        return counted.count

    def list_buckets(
        self,
        organization_id: str | None = None,
        *,
        name: str | None = None,
        state: BucketState | str | None = None,
        with_domains: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Bucket]:
        """Storage buckets, fetched lazily page by page (as ``storage.buckets.list``).

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            name: only buckets of this name.
            state: only buckets in this state.
            with_domains: use the list variant that includes each bucket's domains.
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[Bucket]: a lazy pager of ``Bucket``: nothing is fetched until it is iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: while iterating, a non-2xx answer or none in time.
            ResponseValidationError: while iterating, a page off the API document.
            PaginationError: while iterating, a page repeating the last one or too many pages.
        """
        return self._buckets.list(
            organization_id,
            name=name,
            state=state,
            with_domains=with_domains,
            page_size=page_size,
            limit=limit,
            **options,
        )

    buckets = deprecated_alias(
        list_buckets, old="client.organizations.buckets", new="client.organizations.list_buckets"
    )

    async def count_buckets(
        self,
        organization_id: str | None = None,
        *,
        name: str | None = None,
        state: BucketState | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """How many storage buckets the organization has.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            name: only buckets of this name.
            state: only buckets in this state.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            int: how many storage buckets the organization has.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._buckets.count(organization_id, name=name, state=state, **options)

    def list_compute_projects(
        self,
        organization_id: str | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ComputeProject]:
        """Compute projects, fetched lazily page by page (as ``compute.projects.list``).

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
        return self._compute_projects.list(
            organization_id, page_size=page_size, limit=limit, **options
        )

    compute_projects = deprecated_alias(
        list_compute_projects,
        old="client.organizations.compute_projects",
        new="client.organizations.list_compute_projects",
    )

    async def count_compute_projects(
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
        return await self._compute_projects.count(organization_id, **options)

    @cached_property
    def with_raw_response(self) -> AsyncOrganizationsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncOrganizationsWithRawResponse(self)


class AsyncOrganizationsWithRawResponse:
    """``AsyncOrganizations.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncOrganizations) -> None:
        self.get = async_raw(namespace.get)
        self.create = async_raw(namespace.create)
        self.update = async_raw(namespace.update)
        self.usage = async_raw(namespace.usage)
        self.overdue = async_raw(namespace.overdue)
        self.remove_member = async_raw(namespace.remove_member)
        self.list_coupons = async_raw(namespace.list_coupons)
        self.list_projects = async_raw_pager(namespace.list_projects)
        self.count_projects = async_raw(namespace.count_projects)
        self.list_buckets = async_raw_pager(namespace.list_buckets)
        self.count_buckets = async_raw(namespace.count_buckets)
        self.list_compute_projects = async_raw_pager(namespace.list_compute_projects)
        self.count_compute_projects = async_raw(namespace.count_compute_projects)
