"""``client.compute.projects``: the public import path of this namespace.

:class:`ComputeProjects` (sync) and :class:`AsyncComputeProjects` (async); the code is in
``spheron._async.resources.compute_projects`` (the sync class is generated from it).
"""

from ..._async.resources.compute_projects import (
    AsyncComputeProjects,
    AsyncComputeProjectsWithRawResponse,
)
from ..._sync.resources.compute_projects import ComputeProjects, ComputeProjectsWithRawResponse

__all__ = [
    "AsyncComputeProjects",
    "AsyncComputeProjectsWithRawResponse",
    "ComputeProjects",
    "ComputeProjectsWithRawResponse",
]
