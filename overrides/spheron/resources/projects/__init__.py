"""``client.projects``: the public import path of this namespace.

:class:`Projects` (sync) and :class:`AsyncProjects` (async); the code is in
``spheron._async.resources.projects`` (the sync class is generated from it).
"""

from ..._async.resources.projects import AsyncProjects, AsyncProjectsWithRawResponse
from ..._sync.resources.projects import Projects, ProjectsWithRawResponse

__all__ = ["AsyncProjects", "AsyncProjectsWithRawResponse", "Projects", "ProjectsWithRawResponse"]
