"""``client.storage.buckets``: storage buckets, their uploads, domains and IPNS records."""

from __future__ import annotations

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
from .._pagination import AsyncPager
from ._base import (
    AsyncResource,
    ClientLike,
    coerce_enum,
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
    ) -> AsyncPager[Bucket]:
        """The organization's buckets, fetched lazily page by page.

        ``with_domains`` uses the variant that includes domains (seen only on a side branch).
        Like the official SDK, unset filters are sent empty (``name=&state=``).
        """
        query: dict[str, Any] = {"name": "" if name is None else name, "state": _filter(state)}

        async def fetch(skip: int, size: int) -> list[Bucket]:
            org = await self._org(organization_id)
            if with_domains:
                extended = await self._call(
                    list_organization_buckets_with_domains.asyncio_detailed,
                    org,
                    skip=skip,
                    limit=size,
                    **query,
                )
                return extended.buckets
            page = await self._call(
                list_organization_buckets.asyncio_detailed, org, skip=skip, limit=size, **query
            )
            return page.buckets

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count(
        self,
        organization_id: str | None = None,
        *,
        name: str | None = None,
        state: BucketState | str | None = None,
    ) -> int:
        """How many buckets the organization has (unset filters sent empty, as the SDK does)."""
        org = await self._org(organization_id)
        counted = await self._call(
            count_organization_buckets.asyncio_detailed,
            org,
            name="" if name is None else name,
            state=_filter(state),
        )
        return counted.count

    async def get(self, bucket_id: str) -> Bucket:
        """A bucket."""
        return await self._call(get_bucket.asyncio_detailed, bucket_id)

    async def set_state(self, bucket_id: str, state: BucketState | str) -> Bucket:
        """Archive (``ARCHIVED``) or restore (``MAINTAINED``) a bucket."""
        body = UpdateBucketStateBody(state=coerce_enum(BucketState, state))
        return await self._call(update_bucket_state.asyncio_detailed, bucket_id, body=body)

    def uploads(
        self, bucket_id: str, *, page_size: int = DEFAULT_PAGE_SIZE, limit: int | None = None
    ) -> AsyncPager[Upload]:
        """The bucket's uploads, fetched lazily page by page."""

        async def fetch(skip: int, size: int) -> list[Upload]:
            return await self._call(
                list_bucket_uploads.asyncio_detailed, bucket_id, skip=skip, limit=size
            )

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count_uploads(self, bucket_id: str) -> int:
        """How many uploads the bucket holds."""
        return (await self._call(count_bucket_uploads.asyncio_detailed, bucket_id)).count
