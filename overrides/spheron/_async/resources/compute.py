"""``client.compute``: decentralized compute (projects, instances, marketplace, machines)."""

from __future__ import annotations

from spheron_api_client.api.price import get_live_token_price

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

    async def token_price(self, token_id: int) -> float:
        """The live market price of a payment token (numeric ``token_id``)."""
        return (await self._call(get_live_token_price.asyncio_detailed, token_id)).price
