"""The hand-written methods of ``resources/buckets.py`` (generated), which derives from
the classes here: storage buckets, their uploads, domains and IPNS records."""

from __future__ import annotations

from typing import Any

from spheron_api_client.api.storage_buckets import (
    list_organization_buckets,
    list_organization_buckets_with_domains,
)
from spheron_api_client.models.bucket import Bucket
from spheron_api_client.models.bucket_state import BucketState

from ...._pagination import DEFAULT_PAGE_SIZE
from ...._request_options import RequestOptions, Unpack
from ..._pagination import AsyncPager
from .._base import AsyncResource, as_call_options, coerce_enum

__all__ = ["AsyncBucketsCustom"]


def _filter(value: BucketState | str | None) -> BucketState | str:
    """A state filter as ``@spheron/core`` sends it: the value, or empty when there is none."""
    return "" if value is None else coerce_enum(BucketState, value)


class AsyncBucketsCustom(AsyncResource):
    """The hand-written methods of :class:`AsyncBuckets`."""

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
            SpheronError: while iterating: APIError, ResponseValidationError, PaginationError.
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
