"""``client.organizations.invites``: the public import path of this namespace.

:class:`Invites` (sync) and :class:`AsyncInvites` (async); the code is in
``spheron._async.resources.organizations`` (the sync class is generated from it).
"""

from ..._async.resources.organizations import AsyncInvites, AsyncInvitesWithRawResponse
from ..._sync.resources.organizations import Invites, InvitesWithRawResponse

__all__ = ["AsyncInvites", "AsyncInvitesWithRawResponse", "Invites", "InvitesWithRawResponse"]
