"""Typed namespaces over the generated API: one sync and one async class per namespace.

Each class is built with a client (``Spheron``/``AsyncSpheron`` or anything with ``api`` and
``organization_id``) and returns the generated models, envelopes unwrapped.
"""

from ._base import ClientLike
from .account import (
    async_profile,
    async_resolve_organization_id,
    async_token_scope,
    profile,
    resolve_organization_id,
    token_scope,
)
from .compute import AsyncCompute, Compute
from .deployments import AsyncDeployments, Deployments
from .organizations import AsyncOrganizations, Organizations
from .projects import AsyncProjects, Projects
from .storage import AsyncStorage, Storage

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
