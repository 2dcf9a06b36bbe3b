"""``client.storage.buckets.domains`` and ``.ipns_records``: how a bucket is reached."""

from __future__ import annotations

from functools import cached_property

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

from ..._request_options import RequestOptions, Unpack
from .._raw import async_raw
from ._base import AsyncResource, coerce_enum, deprecated_alias, unset_if_none

__all__ = ["AsyncBucketDomains", "AsyncBucketIpnsRecords"]


def _add_domain_body(name: str, type: DomainType | str, link: str | None) -> AddBucketDomainBody:
    return AddBucketDomainBody(
        type_=coerce_enum(DomainType, type), name=name, link=unset_if_none(link)
    )


class AsyncBucketDomains(AsyncResource):
    """Custom domains serving a bucket."""

    async def list(self, bucket_id: str, **options: Unpack[RequestOptions]) -> list[BucketDomain]:
        """The bucket's domains.

        Args:
            bucket_id: the bucket's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[BucketDomain]: the bucket's domains.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(list_bucket_domains.asyncio_detailed, bucket_id, options=options)
        ).domains

    async def get(
        self, bucket_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> BucketDomain:
        """One domain.

        Args:
            bucket_id: the bucket's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            BucketDomain: one domain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        found = await self._call(
            get_bucket_domain.asyncio_detailed, bucket_id, domain_id, options=options
        )
        return found.domain

    async def create(
        self,
        bucket_id: str,
        *,
        name: str,
        type: DomainType | str = DomainType.DOMAIN,
        link: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BucketDomain:
        """Attach a domain; ``link`` is the upload it points at.

        Args:
            bucket_id: the bucket's id.
            name: the domain name.
            type: ``domain`` or ``subdomain``.
            link: the upload it points at (``None``: the latest).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            BucketDomain: the created BucketDomain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = _add_domain_body(name, type, link)
        return (
            await self._call(
                add_bucket_domain.asyncio_detailed, bucket_id, body=body, options=options
            )
        ).domain

    add = deprecated_alias(
        create,
        old="client.storage.buckets.domains.add",
        new="client.storage.buckets.domains.create",
    )

    async def update(
        self,
        bucket_id: str,
        domain_id: str,
        *,
        name: str,
        link: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BucketDomain:
        """Change a domain's name or target.

        Args:
            bucket_id: the bucket's id.
            domain_id: the domain's id.
            name: the domain name.
            link: the upload it points at (``None``: the latest).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            BucketDomain: the updated BucketDomain.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = UpdateBucketDomainBody(name=name, link=unset_if_none(link))
        updated = await self._call(
            update_bucket_domain.asyncio_detailed, bucket_id, domain_id, body=body, options=options
        )
        return updated.domain

    async def delete(
        self, bucket_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteBucketDomainResponse:
        """Detach a domain.

        Args:
            bucket_id: the bucket's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteBucketDomainResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            delete_bucket_domain.asyncio_detailed, bucket_id, domain_id, options=options
        )

    async def verify(
        self, bucket_id: str, domain_id: str, **options: Unpack[RequestOptions]
    ) -> VerifyBucketDomainResponse:
        """Check the domain's DNS records; ``success`` says whether they are right.

        Args:
            bucket_id: the bucket's id.
            domain_id: the domain's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            VerifyBucketDomainResponse: whether the DNS records are right (``success``).

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = VerifyBucketDomainBody()
        return await self._call(
            verify_bucket_domain.asyncio_detailed, bucket_id, domain_id, body=body, options=options
        )

    @cached_property
    def with_raw_response(self) -> AsyncBucketDomainsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncBucketDomainsWithRawResponse(self)


class AsyncBucketDomainsWithRawResponse:
    """``AsyncBucketDomains.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncBucketDomains) -> None:
        self.list = async_raw(namespace.list)
        self.get = async_raw(namespace.get)
        self.create = async_raw(namespace.create)
        self.update = async_raw(namespace.update)
        self.delete = async_raw(namespace.delete)
        self.verify = async_raw(namespace.verify)


class AsyncBucketIpnsRecords(AsyncResource):
    """IPNS records that point at one of the bucket's uploads."""

    async def list(
        self, bucket_id: str, **options: Unpack[RequestOptions]
    ) -> list[BucketIpnsRecord]:
        """The bucket's IPNS records.

        Args:
            bucket_id: the bucket's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[BucketIpnsRecord]: the bucket's IPNS records.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(list_bucket_ipns_records.asyncio_detailed, bucket_id, options=options)
        ).ipns_records

    async def get(
        self, bucket_id: str, ipns_record_id: str, **options: Unpack[RequestOptions]
    ) -> BucketIpnsRecord:
        """One IPNS record.

        Args:
            bucket_id: the bucket's id.
            ipns_record_id: the IPNS record's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            BucketIpnsRecord: one IPNS record.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        found = await self._call(
            get_bucket_ipns_record.asyncio_detailed, bucket_id, ipns_record_id, options=options
        )
        return found.ipns_record

    async def create(
        self, bucket_id: str, *, upload_id: str, **options: Unpack[RequestOptions]
    ) -> BucketIpnsRecord:
        """Publish an IPNS record for an upload.

        Args:
            bucket_id: the bucket's id.
            upload_id: the upload the record points at.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            BucketIpnsRecord: the created BucketIpnsRecord.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = AddBucketIpnsRecordBody(upload_id=upload_id)
        added = await self._call(
            add_bucket_ipns_record.asyncio_detailed, bucket_id, body=body, options=options
        )
        return added.ipns_record

    add = deprecated_alias(
        create,
        old="client.storage.buckets.ipns_records.add",
        new="client.storage.buckets.ipns_records.create",
    )

    async def update(
        self,
        bucket_id: str,
        ipns_record_id: str,
        *,
        upload_id: str,
        **options: Unpack[RequestOptions],
    ) -> BucketIpnsRecord:
        """Point an IPNS record at another upload.

        Args:
            bucket_id: the bucket's id.
            ipns_record_id: the IPNS record's id.
            upload_id: the upload the record points at.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            BucketIpnsRecord: the updated BucketIpnsRecord.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = UpdateBucketIpnsRecordBody(upload_id=upload_id)
        updated = await self._call(
            update_bucket_ipns_record.asyncio_detailed,
            bucket_id,
            ipns_record_id,
            body=body,
            options=options,
        )
        return updated.ipns_record

    async def delete(
        self, bucket_id: str, ipns_record_id: str, **options: Unpack[RequestOptions]
    ) -> DeleteBucketIpnsRecordResponse:
        """Remove an IPNS record.

        Args:
            bucket_id: the bucket's id.
            ipns_record_id: the IPNS record's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            DeleteBucketIpnsRecordResponse: the server's confirmation.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            delete_bucket_ipns_record.asyncio_detailed, bucket_id, ipns_record_id, options=options
        )

    @cached_property
    def with_raw_response(self) -> AsyncBucketIpnsRecordsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncBucketIpnsRecordsWithRawResponse(self)


class AsyncBucketIpnsRecordsWithRawResponse:
    """``AsyncBucketIpnsRecords.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncBucketIpnsRecords) -> None:
        self.list = async_raw(namespace.list)
        self.get = async_raw(namespace.get)
        self.create = async_raw(namespace.create)
        self.update = async_raw(namespace.update)
        self.delete = async_raw(namespace.delete)
