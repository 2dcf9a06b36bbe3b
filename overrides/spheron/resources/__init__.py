"""Typed namespaces over the generated API: one sync and one async class per namespace.

The async classes are written in ``spheron/_async/resources/``; the sync ones are generated
from them into ``spheron/_sync/resources/`` (see the README, "Where things live").

Each class is built with a client (``Spheron``/``AsyncSpheron`` or anything with ``api`` and
``organization_id``) and returns the generated models, envelopes unwrapped.
"""

from .._async.resources import (
    AsyncCompute,
    AsyncDeployments,
    AsyncOrganizations,
    AsyncProjects,
    AsyncStorage,
    async_profile,
    async_resolve_organization_id,
    async_token_scope,
)
from .._resource_base import ClientLike
from .._sync.resources import (
    Compute,
    Deployments,
    Organizations,
    Projects,
    Storage,
    profile,
    resolve_organization_id,
    token_scope,
)

__all__ = [
    "AsyncCompute",
    "AsyncDeployments",
    "AsyncOrganizations",
    "AsyncProjects",
    "AsyncStorage",
    "ClientLike",
    "Compute",
    "Deployments",
    "Organizations",
    "Projects",
    "Storage",
    "async_profile",
    "async_resolve_organization_id",
    "async_token_scope",
    "profile",
    "resolve_organization_id",
    "token_scope",
]
