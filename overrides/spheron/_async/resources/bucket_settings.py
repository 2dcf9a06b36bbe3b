"""``client.storage.buckets.domains`` and ``.ipns_records``: how a bucket is reached."""

from __future__ import annotations

from spheron_api_client.api.storage_buckets import (
    add_bucket_domain,
    add_bucket_ipns_record,
    delete_bucket_domain,
    delete_bucket_ipns_record,
    get_bucket_domain,
    get_bucket_ipns_record,
    list_bucket_domains,
    list_bucket_ipns_records,
    update_bucket_domain,
    update_bucket_ipns_record,
    verify_bucket_domain,
)
from spheron_api_client.models.add_bucket_domain_body import AddBucketDomainBody
from spheron_api_client.models.add_bucket_ipns_record_body import AddBucketIpnsRecordBody
from spheron_api_client.models.bucket_domain import BucketDomain
from spheron_api_client.models.bucket_ipns_record import BucketIpnsRecord
from spheron_api_client.models.delete_bucket_domain_response import DeleteBucketDomainResponse
from spheron_api_client.models.delete_bucket_ipns_record_response import (
    DeleteBucketIpnsRecordResponse,
)
from spheron_api_client.models.domain_type import DomainType
from spheron_api_client.models.update_bucket_domain_body import UpdateBucketDomainBody
from spheron_api_client.models.update_bucket_ipns_record_body import UpdateBucketIpnsRecordBody
from spheron_api_client.models.verify_bucket_domain_body import VerifyBucketDomainBody
from spheron_api_client.models.verify_bucket_domain_response import VerifyBucketDomainResponse

from ._base import AsyncResource, coerce_enum, unset_if_none

__all__ = ["AsyncBucketDomains", "AsyncBucketIpnsRecords"]


def _add_domain_body(name: str, type: DomainType | str, link: str | None) -> AddBucketDomainBody:
    return AddBucketDomainBody(
        type_=coerce_enum(DomainType, type), name=name, link=unset_if_none(link)
    )


class AsyncBucketDomains(AsyncResource):
    """Custom domains serving a bucket."""

    async def list(self, bucket_id: str) -> list[BucketDomain]:
        """The bucket's domains."""
        return (await self._call(list_bucket_domains.asyncio_detailed, bucket_id)).domains

    async def get(self, bucket_id: str, domain_id: str) -> BucketDomain:
        """One domain."""
        found = await self._call(get_bucket_domain.asyncio_detailed, bucket_id, domain_id)
        return found.domain

    async def add(
        self,
        bucket_id: str,
        *,
        name: str,
        type: DomainType | str = DomainType.DOMAIN,
        link: str | None = None,
    ) -> BucketDomain:
        """Attach a domain; ``link`` is the upload it points at."""
        body = _add_domain_body(name, type, link)
        return (await self._call(add_bucket_domain.asyncio_detailed, bucket_id, body=body)).domain

    async def update(
        self, bucket_id: str, domain_id: str, *, name: str, link: str | None = None
    ) -> BucketDomain:
        """Change a domain's name or target."""
        body = UpdateBucketDomainBody(name=name, link=unset_if_none(link))
        updated = await self._call(
            update_bucket_domain.asyncio_detailed, bucket_id, domain_id, body=body
        )
        return updated.domain

    async def delete(self, bucket_id: str, domain_id: str) -> DeleteBucketDomainResponse:
        """Detach a domain."""
        return await self._call(delete_bucket_domain.asyncio_detailed, bucket_id, domain_id)

    async def verify(self, bucket_id: str, domain_id: str) -> VerifyBucketDomainResponse:
        """Check the domain's DNS records; ``success`` says whether they are right."""
        body = VerifyBucketDomainBody()
        return await self._call(
            verify_bucket_domain.asyncio_detailed, bucket_id, domain_id, body=body
        )


class AsyncBucketIpnsRecords(AsyncResource):
    """IPNS records that point at one of the bucket's uploads."""

    async def list(self, bucket_id: str) -> list[BucketIpnsRecord]:
        """The bucket's IPNS records."""
        return (await self._call(list_bucket_ipns_records.asyncio_detailed, bucket_id)).ipns_records

    async def get(self, bucket_id: str, ipns_record_id: str) -> BucketIpnsRecord:
        """One IPNS record."""
        found = await self._call(get_bucket_ipns_record.asyncio_detailed, bucket_id, ipns_record_id)
        return found.ipns_record

    async def add(self, bucket_id: str, *, upload_id: str) -> BucketIpnsRecord:
        """Publish an IPNS record for an upload."""
        body = AddBucketIpnsRecordBody(upload_id=upload_id)
        added = await self._call(add_bucket_ipns_record.asyncio_detailed, bucket_id, body=body)
        return added.ipns_record

    async def update(
        self, bucket_id: str, ipns_record_id: str, *, upload_id: str
    ) -> BucketIpnsRecord:
        """Point an IPNS record at another upload."""
        body = UpdateBucketIpnsRecordBody(upload_id=upload_id)
        updated = await self._call(
            update_bucket_ipns_record.asyncio_detailed, bucket_id, ipns_record_id, body=body
        )
        return updated.ipns_record

    async def delete(self, bucket_id: str, ipns_record_id: str) -> DeleteBucketIpnsRecordResponse:
        """Remove an IPNS record."""
        return await self._call(
            delete_bucket_ipns_record.asyncio_detailed, bucket_id, ipns_record_id
        )
