"""``client.compute.marketplace``: the public import path of this namespace.

:class:`Marketplace` (sync) and :class:`AsyncMarketplace` (async); the code is in
``spheron._async.resources.compute_catalog`` (the sync class is generated from it).
"""

from ..._async.resources.compute_catalog import AsyncMarketplace, AsyncMarketplaceWithRawResponse
from ..._sync.resources.compute_catalog import Marketplace, MarketplaceWithRawResponse

__all__ = [
    "AsyncMarketplace",
    "AsyncMarketplaceWithRawResponse",
    "Marketplace",
    "MarketplaceWithRawResponse",
]
