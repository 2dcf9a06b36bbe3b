"""``client.compute.instances.domains``: the public import path of this namespace.

:class:`ComputeInstanceDomains` (sync) and :class:`AsyncComputeInstanceDomains` (async);
the code is in
``spheron._async.resources.compute_instance_domains`` (the sync class is generated from it).
"""

from ...._async.resources.compute_instance_domains import (
    AsyncComputeInstanceDomains,
    AsyncComputeInstanceDomainsWithRawResponse,
)
from ...._sync.resources.compute_instance_domains import (
    ComputeInstanceDomains,
    ComputeInstanceDomainsWithRawResponse,
)

__all__ = [
    "AsyncComputeInstanceDomains",
    "AsyncComputeInstanceDomainsWithRawResponse",
    "ComputeInstanceDomains",
    "ComputeInstanceDomainsWithRawResponse",
]
