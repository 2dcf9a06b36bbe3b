"""``client.compute.instances``: the public import path of this namespace.

:class:`ComputeInstances` (sync) and :class:`AsyncComputeInstances` (async); the code is in
``spheron._async.resources.compute_instances`` (the sync class is generated from it).
"""

from ...._async.resources.compute_instances import (
    AsyncComputeInstances,
    AsyncComputeInstancesWithRawResponse,
)
from ...._sync.resources.compute_instances import ComputeInstances, ComputeInstancesWithRawResponse

__all__ = [
    "AsyncComputeInstances",
    "AsyncComputeInstancesWithRawResponse",
    "ComputeInstances",
    "ComputeInstancesWithRawResponse",
]
