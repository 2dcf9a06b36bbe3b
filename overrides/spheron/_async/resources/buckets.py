"""``client.storage.buckets``: storage buckets, their uploads, domains and IPNS records."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from spheron_api_client.api.storage_buckets import (
    count_bucket_uploads,
    count_organization_buckets,
    get_bucket,
    list_bucket_uploads,
    list_organization_buckets,
    list_organization_buckets_with_domains,
    update_bucket_state,
)
from spheron_api_client.models.bucket import Bucket
from spheron_api_client.models.bucket_state import BucketState
from spheron_api_client.models.update_bucket_state_body import UpdateBucketStateBody
from spheron_api_client.models.upload import Upload

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
)
from .bucket_settings import (
    AsyncBucketDomains,
    AsyncBucketIpnsRecords,
)


def _filter(value: BucketState | str | None) -> BucketState | str:
    """A state filter as ``@spheron/core`` sends it: the value, or empty when there is none."""
    return "" if value is None else coerce_enum(BucketState, value)


__all__ = ["AsyncBuckets"]


class AsyncBuckets(AsyncResource):
    """Storage buckets (``.domains`` and ``.ipns_records`` inside)."""

    def __init__(self, client: ClientLike) -> None:
        super().__init__(client)
        self.domains = AsyncBucketDomains(client)
        self.ipns_records = AsyncBucketIpnsRecords(client)

    def list(
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
        """The organization's buckets, fetched lazily page by page.

        ``with_domains`` uses the variant that includes domains (seen only on a side branch).
        Like the official SDK, unset filters are sent empty (``name=&state=``).

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            name: only buckets of this name (``None``: sent empty, as the SDK does).
            state: the state to filter on or set (``ARCHIVED``, ``MAINTAINED``).
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
        query: dict[str, Any] = {"name": "" if name is None else name, "state": _filter(state)}

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[Bucket]:
            org = await self._org(organization_id)
            if with_domains:
                extended = await self._call(
                    list_organization_buckets_with_domains.asyncio_detailed,
                    org,
                    skip=skip,
                    limit=size,
                    **query,
                    options=call,
                )
                return extended.buckets
            page = await self._call(
                list_organization_buckets.asyncio_detailed,
                org,
                skip=skip,
                limit=size,
                **query,
                options=call,
            )
            return page.buckets

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count(
        self,
        organization_id: str | None = None,
        *,
        name: str | None = None,
        state: BucketState | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """How many buckets the organization has (unset filters sent empty, as the SDK does).

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            name: only buckets of this name (``None``: sent empty, as the SDK does).
            state: the state to filter on or set (``ARCHIVED``, ``MAINTAINED``).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            int: how many buckets the organization has (unset filters sent empty, as the SDK does).

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        org = await self._org(organization_id)
        counted = await self._call(
            count_organization_buckets.asyncio_detailed,
            org,
            name="" if name is None else name,
            state=_filter(state),
            options=options,
        )
        return counted.count

    async def get(self, bucket_id: str, **options: Unpack[RequestOptions]) -> Bucket:
        """A bucket.

        Args:
            bucket_id: the bucket's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Bucket: a bucket.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(get_bucket.asyncio_detailed, bucket_id, options=options)

    async def set_state(
        self, bucket_id: str, state: BucketState | str, **options: Unpack[RequestOptions]
    ) -> Bucket:
        """Archive (``ARCHIVED``) or restore (``MAINTAINED``) a bucket.

        Args:
            bucket_id: the bucket's id.
            state: the state to filter on or set (``ARCHIVED``, ``MAINTAINED``).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Bucket: the bucket.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = UpdateBucketStateBody(state=coerce_enum(BucketState, state))
        return await self._call(
            update_bucket_state.asyncio_detailed, bucket_id, body=body, options=options
        )

    def list_uploads(
        self,
        bucket_id: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Upload]:
        """The bucket's uploads, fetched lazily page by page.

        Args:
            bucket_id: the bucket's id.
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[Upload]: a lazy pager of ``Upload``: nothing is fetched until it is iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            APIError: while iterating, a non-2xx answer or none in time.
            ResponseValidationError: while iterating, a page off the API document.
            PaginationError: while iterating, a page repeating the last one or too many pages.
        """

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[Upload]:
            return await self._call(
                list_bucket_uploads.asyncio_detailed,
                bucket_id,
                skip=skip,
                limit=size,
                options=call,
            )

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    uploads = deprecated_alias(
        list_uploads,
        old="client.storage.buckets.uploads",
        new="client.storage.buckets.list_uploads",
    )

    async def count_uploads(self, bucket_id: str, **options: Unpack[RequestOptions]) -> int:
        """How many uploads the bucket holds.

        Args:
            bucket_id: the bucket's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            int: how many uploads the bucket holds.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(count_bucket_uploads.asyncio_detailed, bucket_id, options=options)
        ).count

    @cached_property
    def with_raw_response(self) -> AsyncBucketsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncBucketsWithRawResponse(self)


class AsyncBucketsWithRawResponse:
    """``AsyncBuckets.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncBuckets) -> None:
        self.list = async_raw_pager(namespace.list)
        self.count = async_raw(namespace.count)
        self.get = async_raw(namespace.get)
        self.set_state = async_raw(namespace.set_state)
        self.list_uploads = async_raw_pager(namespace.list_uploads)
        self.count_uploads = async_raw(namespace.count_uploads)
