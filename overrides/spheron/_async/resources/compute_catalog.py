"""``client.compute.marketplace`` and ``.machine_images``: what can be deployed, and where."""

from __future__ import annotations

import builtins
from functools import cached_property

from spheron_api_client.api.machine_images import list_compute_machines, list_compute_regions
from spheron_api_client.api.marketplace import (
    get_marketplace_app,
    list_marketplace_apps,
    list_marketplace_categories,
)
from spheron_api_client.models.compute_machine import ComputeMachine
from spheron_api_client.models.marketplace_app import MarketplaceApp
from spheron_api_client.models.marketplace_category import MarketplaceCategory

from ..._pagination import DEFAULT_PAGE_SIZE
from ..._request_options import RequestOptions, Unpack
from .._pagination import AsyncPager
from .._raw import async_raw, async_raw_pager
from ._base import AsyncResource, as_call_options, deprecated_alias, optional_enum, unset_if_none

__all__ = ["AsyncMachineImages", "AsyncMarketplace"]


class AsyncMarketplace(AsyncResource):
    """Ready-made apps (templates) to start compute instances from."""

    async def list(
        self,
        *,
        category: MarketplaceCategory | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> list[MarketplaceApp]:
        """Marketplace apps, optionally of one category.

        Args:
            category: only apps of this category (``None``: every app).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[MarketplaceApp]: marketplace apps, optionally of one category.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        apps = await self._call(
            list_marketplace_apps.asyncio_detailed,
            category=optional_enum(MarketplaceCategory, category),
            options=options,
        )
        return apps.templates

    async def get(
        self, marketplace_app_id: str, **options: Unpack[RequestOptions]
    ) -> MarketplaceApp:
        """One marketplace app.

        Args:
            marketplace_app_id: the marketplace app's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            MarketplaceApp: one marketplace app.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            get_marketplace_app.asyncio_detailed, marketplace_app_id, options=options
        )

    async def list_categories(self, **options: Unpack[RequestOptions]) -> builtins.list[str]:
        """The category names in use.

        Args:
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[str]: the category names in use.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(list_marketplace_categories.asyncio_detailed, options=options)
        ).categories

    categories = deprecated_alias(
        list_categories,
        old="client.compute.marketplace.categories",
        new="client.compute.marketplace.list_categories",
    )

    @cached_property
    def with_raw_response(self) -> AsyncMarketplaceWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncMarketplaceWithRawResponse(self)


class AsyncMarketplaceWithRawResponse:
    """``AsyncMarketplace.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncMarketplace) -> None:
        self.list = async_raw(namespace.list)
        self.get = async_raw(namespace.get)
        self.list_categories = async_raw(namespace.list_categories)


class AsyncMachineImages(AsyncResource):
    """Machine plans (CPU, memory, GPU, price) and the regions offering them."""

    def list(
        self,
        *,
        search: str | None = None,
        region: str | None = None,
        provider: str | None = None,
        scaling_mode: str | None = None,
        machine_image_type: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ComputeMachine]:
        """Machine plans, fetched lazily page by page.

        Args:
            search: text to search plan names for.
            region: only plans offered in this region.
            provider: only plans of this provider.
            scaling_mode: only plans of this scaling mode.
            machine_image_type: only plans of this machine type.
            page_size: items requested per page (default 20).
            limit: the most items yielded in all (``None``: every item).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            AsyncPager[ComputeMachine]: a lazy pager of ``ComputeMachine``: nothing is fetched until
                it is iterated.

        Raises:
            InvalidArgumentError: a bad option, at once.
            APIError: while iterating, a non-2xx answer or none in time.
            ResponseValidationError: while iterating, a page off the API document.
            PaginationError: while iterating, a page repeating the last one or too many pages.
        """

        call = as_call_options(options)

        async def fetch(skip: int, size: int) -> list[ComputeMachine]:
            page = await self._call(
                list_compute_machines.asyncio_detailed,
                skip=skip,
                limit=size,
                search_string=unset_if_none(search),
                region=unset_if_none(region),
                provider=unset_if_none(provider),
                scaling_mode=unset_if_none(scaling_mode),
                machine_image_type=unset_if_none(machine_image_type),
                options=call,
            )
            return page.akash_machine_images

        return AsyncPager(fetch, page_size=page_size, limit=limit)

    async def list_regions(self, **options: Unpack[RequestOptions]) -> builtins.list[str]:
        """Regions that machines can run in.

        Args:
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[str]: regions that machines can run in.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (await self._call(list_compute_regions.asyncio_detailed, options=options)).regions

    regions = deprecated_alias(
        list_regions,
        old="client.compute.machine_images.regions",
        new="client.compute.machine_images.list_regions",
    )

    @cached_property
    def with_raw_response(self) -> AsyncMachineImagesWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncMachineImagesWithRawResponse(self)


class AsyncMachineImagesWithRawResponse:
    """``AsyncMachineImages.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncMachineImages) -> None:
        self.list = async_raw_pager(namespace.list)
        self.list_regions = async_raw(namespace.list_regions)
