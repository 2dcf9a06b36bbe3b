"""``client.compute``: decentralized compute (projects, instances, marketplace, machines)."""

from __future__ import annotations

from functools import cached_property

from spheron_api_client.api.price import get_live_token_price

from ..._request_options import RequestOptions, Unpack
from .._raw import async_raw
from ._base import AsyncResource, ClientLike
from .compute_catalog import AsyncMachineImages, AsyncMarketplace
from .compute_instances import AsyncComputeInstances
from .compute_projects import AsyncComputeProjects

__all__ = ["AsyncCompute"]


class AsyncCompute(AsyncResource):
    """``.projects``, ``.instances``, ``.marketplace`` and ``.machine_images``."""

    def __init__(self, client: ClientLike) -> None:
        super().__init__(client)
        self.projects = AsyncComputeProjects(client)
        self.instances = AsyncComputeInstances(client)
        self.marketplace = AsyncMarketplace(client)
        self.machine_images = AsyncMachineImages(client)

    async def token_price(self, token_id: int, **options: Unpack[RequestOptions]) -> float:
        """The live market price of a payment token (numeric ``token_id``).

        Args:
            token_id: the payment token's numeric id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            float: the live market price of a payment token (numeric ``token_id``).

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(get_live_token_price.asyncio_detailed, token_id, options=options)
        ).price

    @cached_property
    def with_raw_response(self) -> AsyncComputeWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncComputeWithRawResponse(self)


class AsyncComputeWithRawResponse:
    """``AsyncCompute.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncCompute) -> None:
        self.token_price = async_raw(namespace.token_price)
