"""``client.compute``: the public import path of this namespace.

:class:`Compute` (sync) and :class:`AsyncCompute` (async); the code is in
``spheron._async.resources.compute`` (the sync class is generated from it).
"""

from ..._async.resources.compute import AsyncCompute, AsyncComputeWithRawResponse
from ..._sync.resources.compute import Compute, ComputeWithRawResponse

__all__ = ["AsyncCompute", "AsyncComputeWithRawResponse", "Compute", "ComputeWithRawResponse"]
