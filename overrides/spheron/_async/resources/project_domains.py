"""``client.projects.domains``: custom domains of a site project."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from functools import cached_property

from spheron_api_client.api.domains import (
    add_project_domain,
    delete_project_domain,
    get_cdn_records,
    get_project_domain,
    list_project_domains,
    update_project_domain,
    verify_project_domain,
)
from spheron_api_client.models.add_project_domain_body import AddProjectDomainBody
from spheron_api_client.models.delete_project_domain_response import DeleteProjectDomainResponse
from spheron_api_client.models.domain import Domain
from spheron_api_client.models.domain_type import DomainType
from spheron_api_client.models.get_cdn_records_response_records import (
    GetCdnRecordsResponseRecords,
)
from spheron_api_client.models.update_project_domain_body import UpdateProjectDomainBody
from spheron_api_client.models.verify_project_domain_body import VerifyProjectDomainBody
from spheron_api_client.models.verify_project_domain_response import VerifyProjectDomainResponse

from ..._request_options import RequestOptions, Unpack
from .._raw import async_raw
from ._base import AsyncResource, deprecated_alias, unset_if_none

__all__ = ["AsyncProjectDomains"]

# The route needs a project id but ignores it; the official SDK sends "1".
_ANY_PROJECT = "1"


def _add_body(
    name: str,
    type: DomainType | str,
    link: str | None,
    deployment_environments: Sequence[str] | None,
    is_latest: bool | None,
) -> AddProjectDomainBody:
    return AddProjectDomainBody(
        type_=type.value if isinstance(type, Enum) else type,
        name=name,
        link=unset_if_none(link),
        deployment_environments=unset_if_none(
            None if deployment_environments is None else list(deployment_environments)
        ),
        is_latest=unset_if_none(is_latest),
    )


def _update_body(
    name: str,
    link: str | None,
    deployment_environments: Sequence[str] | None,
    is_latest: bool | None,
) -> UpdateProjectDomainBody:
    return UpdateProjectDomainBody(
        name=name,
        link=unset_if_none(link),
        deployment_environments=unset_if_none(
            None if deployment_environments is None else list(deployment_environments)
        ),
        is_latest=unset_if_none(is_latest),
    )


class AsyncProjectDomains(AsyncResource):
    """Custom domains of a site project."""

    async def list(self, project_id: str, **options: Unpack[RequestOptions]) -> list[Domain]:
        """The project's domains.

        Args:
            project_id: the site project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[Domain]: the project's domains.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(list_project_domains.asyncio_detailed, project_id, options=options)
        ).domains

    async def get(
        self, project_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> Domain:
        """One domain.

        Args:
            project_id: the site project's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Domain: one domain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        found = await self._call(
            get_project_domain.asyncio_detailed, project_id, domain_id, options=options
        )
        return found.domain

    async def create(
        self,
        project_id: str,
        *,
        name: str,
        type: DomainType | str = DomainType.DOMAIN,
        link: str | None = None,
        deployment_environments: Sequence[str] | None = None,
        is_latest: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Domain:
        """Attach a domain; ``link`` is the deployment it points at.

        Args:
            project_id: the site project's id.
            name: the domain name.
            type: ``domain`` or ``subdomain``.
            link: the deployment it points at (``None``: left out).
            deployment_environments: the deployment environments the domain serves.
            is_latest: serve the latest deployment.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Domain: the created Domain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = _add_body(name, type, link, deployment_environments, is_latest)
        added = await self._call(
            add_project_domain.asyncio_detailed, project_id, body=body, options=options
        )
        return added.domain

    add = deprecated_alias(
        create, old="client.projects.domains.add", new="client.projects.domains.create"
    )

    async def update(
        self,
        project_id: str,
        domain_id: str,
        *,
        name: str,
        link: str | None = None,
        deployment_environments: Sequence[str] | None = None,
        is_latest: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Domain:
        """Change a domain's name or target.

        Args:
            project_id: the site project's id.
            domain_id: the domain's id.
            name: the domain name.
            link: the deployment it points at (``None``: left out).
            deployment_environments: the deployment environments the domain serves.
            is_latest: serve the latest deployment.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Domain: the updated Domain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = _update_body(name, link, deployment_environments, is_latest)
        updated = await self._call(
            update_project_domain.asyncio_detailed,
            project_id,
            domain_id,
            body=body,
            options=options,
        )
        return updated.domain

    async def delete(
        self, project_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteProjectDomainResponse:
        """Detach a domain.

        Args:
            project_id: the site project's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteProjectDomainResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            delete_project_domain.asyncio_detailed, project_id, domain_id, options=options
        )

    async def verify(
        self, project_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> VerifyProjectDomainResponse:
        """Check the domain's DNS records; ``success`` says whether they are right.

        Args:
            project_id: the site project's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            VerifyProjectDomainResponse: whether the DNS records are right (``success``).

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = VerifyProjectDomainBody()
        return await self._call(
            verify_project_domain.asyncio_detailed,
            project_id,
            domain_id,
            body=body,
            options=options,
        )

    async def cdn_records(
        self, project_id: str = _ANY_PROJECT, **options: Unpack[RequestOptions]
    ) -> GetCdnRecordsResponseRecords:
        """The A and CNAME values custom domains must point at (the same for every project).

        Args:
            project_id: the site project's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            GetCdnRecordsResponseRecords: the A and CNAME values custom domains must point at (the
                same for every project).

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(get_cdn_records.asyncio_detailed, project_id, options=options)
        ).records

    @cached_property
    def with_raw_response(self) -> AsyncProjectDomainsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncProjectDomainsWithRawResponse(self)


class AsyncProjectDomainsWithRawResponse:
    """``AsyncProjectDomains.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncProjectDomains) -> None:
        self.list = async_raw(namespace.list)
        self.get = async_raw(namespace.get)
        self.create = async_raw(namespace.create)
        self.update = async_raw(namespace.update)
        self.delete = async_raw(namespace.delete)
        self.verify = async_raw(namespace.verify)
        self.cdn_records = async_raw(namespace.cdn_records)
