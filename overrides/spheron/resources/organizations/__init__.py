"""``client.organizations``: the public import path of this namespace.

:class:`Organizations` (sync) and :class:`AsyncOrganizations` (async); the code is in
``spheron._async.resources.organizations`` (the sync class is generated from it).
"""

from ..._async.resources.organizations import AsyncOrganizations, AsyncOrganizationsWithRawResponse
from ..._sync.resources.organizations import Organizations, OrganizationsWithRawResponse

__all__ = [
    "AsyncOrganizations",
    "AsyncOrganizationsWithRawResponse",
    "Organizations",
    "OrganizationsWithRawResponse",
]
