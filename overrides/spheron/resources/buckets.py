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

from .._pagination import DEFAULT_PAGE_SIZE, AsyncPager, SyncPager
from ._base import (
    AsyncResource,
    ClientLike,
    SyncResource,
    coerce_enum,
    optional_enum,
    unset_if_none,
)
from .bucket_settings import (
    AsyncBucketDomains,
    AsyncBucketIpnsRecords,
    BucketDomains,
    BucketIpnsRecords,
)

__all__ = ["AsyncBuckets", "Buckets"]


class Buckets(SyncResource):
    """Storage buckets (``.domains`` and ``.ipns_records`` inside)."""

    def __init__(self, client: ClientLike) -> None:
        super().__init__(client)
        self.domains = BucketDomains(client)
        self.ipns_records = BucketIpnsRecords(client)

    def list(
        self,
        organization_id: str | None = None,
        *,
        name: str | None = None,
        state: BucketState | str | None = None,
        with_domains: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> SyncPager[Bucket]:
        """The organization's buckets, fetched lazily page by page.

        ``with_domains`` uses the variant that includes domains (seen only on a side branch).
        """
        state_value = optional_enum(BucketState, state)

        def fetch(skip: int, size: int) -> list[Bucket]:
            org = self._org(organization_id)
            query: dict[str, Any] = {"name": unset_if_none(name), "state": state_value}
            if with_domains:
                return self._call(
                    list_organization_buckets_with_domains.sync_detailed,
                    org,
                    skip=skip,
                    limit=size,
                    **query,
                ).buckets
            return self._call(
                list_organization_buckets.sync_detailed, org, skip=skip, limit=size, **query
            ).buckets

        return SyncPager(fetch, page_size=page_size, limit=limit)

    def count(
        self,
        organization_id: str | None = None,
        *,
        name: str | None = None,
        state: BucketState | str | None = None,
    ) -> int:
        """How many buckets the organization has."""
        return self._call(
            count_organization_buckets.sync_detailed,
            self._org(organization_id),
            name=unset_if_none(name),
            state=optional_enum(BucketState, state),
        ).count

    def get(self, bucket_id: str) -> Bucket:
        """A bucket."""
        return self._call(get_bucket.sync_detailed, bucket_id)

    def set_state(self, bucket_id: str, state: BucketState | str) -> Bucket:
        """Archive (``ARCHIVED``) or restore (``MAINTAINED``) a bucket."""
        body = UpdateBucketStateBody(state=coerce_enum(BucketState, state))
        return self._call(update_bucket_state.sync_detailed, bucket_id, body=body)

    def uploads(
        self, bucket_id: str, *, page_size: int = DEFAULT_PAGE_SIZE, limit: int | None = None
    ) -> SyncPager[Upload]:
        """The bucket's uploads, fetched lazily page by page."""

        def fetch(skip: int, size: int) -> list[Upload]:
            return self._call(list_bucket_uploads.sync_detailed, bucket_id, skip=skip, limit=size)

        return SyncPager(fetch, page_size=page_size, limit=limit)

    def count_uploads(self, bucket_id: str) -> int:
        """How many uploads the bucket holds."""
        return self._call(count_bucket_uploads.sync_detailed, bucket_id).count


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
        """The organization's buckets, fetched lazily page by page (``async for``)."""
        state_value = optional_enum(BucketState, state)

        async def fetch(skip: int, size: int) -> list[Bucket]:
            org = await self._org(organization_id)
            query: dict[str, Any] = {"name": unset_if_none(name), "state": state_value}
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
        """How many buckets the organization has."""
        org = await self._org(organization_id)
        counted = await self._call(
            count_organization_buckets.asyncio_detailed,
            org,
            name=unset_if_none(name),
            state=optional_enum(BucketState, state),
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
        """The bucket's uploads, fetched lazily page by page (``async for``)."""

        async def fetch(skip: int, size: int) -> list[Upload]:
            return await self._call(
                list_bucket_uploads.asyncio_detailed, bucket_id, skip=skip, limit=size
            )

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def count_uploads(self, bucket_id: str) -> int:
        """How many uploads the bucket holds."""
        return (await self._call(count_bucket_uploads.asyncio_detailed, bucket_id)).count
