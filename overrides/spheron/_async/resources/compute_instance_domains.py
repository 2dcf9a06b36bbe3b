"""``client.compute.instances.domains``: custom domains of a compute instance."""

from __future__ import annotations

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

from ._base import AsyncResource, coerce_enum

__all__ = ["AsyncComputeInstanceDomains"]


class AsyncComputeInstanceDomains(AsyncResource):
    """Custom domains of a compute instance; ``link`` is the instance URL they point at."""

    async def list(self, instance_id: str) -> list[Domain]:
        """The instance's domains."""
        found = await self._call(list_compute_instance_domains.asyncio_detailed, instance_id)
        return found.domains

    async def add(
        self,
        instance_id: str,
        *,
        name: str,
        link: str,
        type: DomainType | str = DomainType.DOMAIN,
    ) -> Domain:
        """Attach a domain."""
        body = AddComputeInstanceDomainBody(
            link=link, type_=coerce_enum(DomainType, type), name=name
        )
        added = await self._call(
            add_compute_instance_domain.asyncio_detailed, instance_id, body=body
        )
        return added.domain

    async def update(
        self,
        instance_id: str,
        domain_id: str,
        *,
        name: str,
        link: str,
        type: DomainType | str = DomainType.DOMAIN,
    ) -> Domain:
        """Change a domain."""
        body = UpdateComputeInstanceDomainBody(
            link=link, type_=coerce_enum(DomainType, type), name=name
        )
        updated = await self._call(
            update_compute_instance_domain.asyncio_detailed, instance_id, domain_id, body=body
        )
        return updated.domain

    async def delete(self, instance_id: str, domain_id: str) -> DeleteComputeInstanceDomainResponse:
        """Detach a domain."""
        return await self._call(
            delete_compute_instance_domain.asyncio_detailed, instance_id, domain_id
        )

    async def verify(self, instance_id: str, domain_id: str) -> VerifyComputeInstanceDomainResponse:
        """Check the domain's DNS records."""
        return await self._call(
            verify_compute_instance_domain.asyncio_detailed, instance_id, domain_id
        )
