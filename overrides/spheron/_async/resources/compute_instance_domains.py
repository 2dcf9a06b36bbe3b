"""``client.compute.instances.domains``: custom domains of a compute instance."""

from __future__ import annotations

from functools import cached_property

from spheron_api_client.api.compute_instance import (
    add_compute_instance_domain,
    delete_compute_instance_domain,
    list_compute_instance_domains,
    update_compute_instance_domain,
    verify_compute_instance_domain,
)
from spheron_api_client.models.add_compute_instance_domain_body import (
    AddComputeInstanceDomainBody,
)
from spheron_api_client.models.delete_compute_instance_domain_response import (
    DeleteComputeInstanceDomainResponse,
)
from spheron_api_client.models.domain import Domain
from spheron_api_client.models.domain_type import DomainType
from spheron_api_client.models.update_compute_instance_domain_body import (
    UpdateComputeInstanceDomainBody,
)
from spheron_api_client.models.verify_compute_instance_domain_response import (
    VerifyComputeInstanceDomainResponse,
)

from ..._request_options import RequestOptions, Unpack
from .._raw import async_raw
from ._base import AsyncResource, coerce_enum, deprecated_alias

__all__ = ["AsyncComputeInstanceDomains"]


class AsyncComputeInstanceDomains(AsyncResource):
    """Custom domains of a compute instance; ``link`` is the instance URL they point at."""

    async def list(self, instance_id: str, **options: Unpack[RequestOptions]) -> list[Domain]:
        """The instance's domains.

        Args:
            instance_id: the compute instance's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[Domain]: the instance's domains.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        found = await self._call(
            list_compute_instance_domains.asyncio_detailed, instance_id, options=options
        )
        return found.domains

    async def create(
        self,
        instance_id: str,
        *,
        name: str,
        link: str,
        type: DomainType | str = DomainType.DOMAIN,
        **options: Unpack[RequestOptions],
    ) -> Domain:
        """Attach a domain.

        Args:
            instance_id: the compute instance's id.
            name: the domain name.
            link: the instance URL it points at.
            type: ``domain`` or ``subdomain``.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Domain: the created Domain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = AddComputeInstanceDomainBody(
            link=link, type_=coerce_enum(DomainType, type), name=name
        )
        added = await self._call(
            add_compute_instance_domain.asyncio_detailed, instance_id, body=body, options=options
        )
        return added.domain

    add = deprecated_alias(
        create,
        old="client.compute.instances.domains.add",
        new="client.compute.instances.domains.create",
    )

    async def update(
        self,
        instance_id: str,
        domain_id: str,
        *,
        name: str,
        link: str,
        type: DomainType | str = DomainType.DOMAIN,
        **options: Unpack[RequestOptions],
    ) -> Domain:
        """Change a domain.

        Args:
            instance_id: the compute instance's id.
            domain_id: the domain's id.
            name: the domain name.
            link: the instance URL it points at.
            type: ``domain`` or ``subdomain``.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Domain: the updated Domain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = UpdateComputeInstanceDomainBody(
            link=link, type_=coerce_enum(DomainType, type), name=name
        )
        updated = await self._call(
            update_compute_instance_domain.asyncio_detailed,
            instance_id,
            domain_id,
            body=body,
            options=options,
        )
        return updated.domain

    async def delete(
        self, instance_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteComputeInstanceDomainResponse:
        """Detach a domain.

        Args:
            instance_id: the compute instance's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteComputeInstanceDomainResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            delete_compute_instance_domain.asyncio_detailed, instance_id, domain_id, options=options
        )

    async def verify(
        self, instance_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> VerifyComputeInstanceDomainResponse:
        """Check the domain's DNS records.

        Args:
            instance_id: the compute instance's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            VerifyComputeInstanceDomainResponse: whether the DNS records are right (``success``).

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            verify_compute_instance_domain.asyncio_detailed, instance_id, domain_id, options=options
        )

    @cached_property
    def with_raw_response(self) -> AsyncComputeInstanceDomainsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncComputeInstanceDomainsWithRawResponse(self)


class AsyncComputeInstanceDomainsWithRawResponse:
    """``AsyncComputeInstanceDomains.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncComputeInstanceDomains) -> None:
        self.list = async_raw(namespace.list)
        self.create = async_raw(namespace.create)
        self.update = async_raw(namespace.update)
        self.delete = async_raw(namespace.delete)
        self.verify = async_raw(namespace.verify)
