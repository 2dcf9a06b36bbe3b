"""``client.projects.deployment_environments``: the public import path of this namespace.

:class:`DeploymentEnvironments` (sync) and :class:`AsyncDeploymentEnvironments` (async);
the code is in
``spheron._async.resources.deployment_environments`` (the sync class is generated from it).
"""

from ..._async.resources.deployment_environments import (
    AsyncDeploymentEnvironments,
    AsyncDeploymentEnvironmentsWithRawResponse,
)
from ..._sync.resources.deployment_environments import (
    DeploymentEnvironments,
    DeploymentEnvironmentsWithRawResponse,
)

__all__ = [
    "AsyncDeploymentEnvironments",
    "AsyncDeploymentEnvironmentsWithRawResponse",
    "DeploymentEnvironments",
    "DeploymentEnvironmentsWithRawResponse",
]
