"""``client.storage.ipns``: the public import path of this namespace.

:class:`IpnsNames` (sync) and :class:`AsyncIpnsNames` (async); the code is in
``spheron._async.resources.uploads`` (the sync class is generated from it).
"""

from ..._async.resources.uploads import AsyncIpnsNames, AsyncIpnsNamesWithRawResponse
from ..._sync.resources.uploads import IpnsNames, IpnsNamesWithRawResponse

__all__ = [
    "AsyncIpnsNames",
    "AsyncIpnsNamesWithRawResponse",
    "IpnsNames",
    "IpnsNamesWithRawResponse",
]
