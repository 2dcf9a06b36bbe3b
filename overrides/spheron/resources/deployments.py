"""``client.deployments``: the public import path of this namespace.

:class:`Deployments` (sync) and :class:`AsyncDeployments` (async); the code is in
``spheron._async.resources.deployments`` (the sync class is generated from it).
"""

from .._async.resources.deployments import (
    AsyncDeployments,
    AsyncDeploymentsWithRawResponse,
    AsyncDeploymentsWithStreamingResponse,
)
from .._sync.resources.deployments import (
    Deployments,
    DeploymentsWithRawResponse,
    DeploymentsWithStreamingResponse,
)

__all__ = [
    "AsyncDeployments",
    "AsyncDeploymentsWithRawResponse",
    "AsyncDeploymentsWithStreamingResponse",
    "Deployments",
    "DeploymentsWithRawResponse",
    "DeploymentsWithStreamingResponse",
]
