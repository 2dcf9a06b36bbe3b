"""``client.projects.domains``: the public import path of this namespace.

:class:`ProjectDomains` (sync) and :class:`AsyncProjectDomains` (async); the code is in
``spheron._async.resources.project_domains`` (the sync class is generated from it).
"""

from ..._async.resources.project_domains import (
    AsyncProjectDomains,
    AsyncProjectDomainsWithRawResponse,
)
from ..._sync.resources.project_domains import ProjectDomains, ProjectDomainsWithRawResponse

__all__ = [
    "AsyncProjectDomains",
    "AsyncProjectDomainsWithRawResponse",
    "ProjectDomains",
    "ProjectDomainsWithRawResponse",
]
