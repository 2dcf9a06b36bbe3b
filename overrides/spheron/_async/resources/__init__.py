"""The namespace classes: typed, thin wrappers over the generated operations."""

from .account import async_profile, async_resolve_organization_id, async_token_scope
from .compute import AsyncCompute
from .deployments import AsyncDeployments
from .organizations import AsyncOrganizations
from .projects import AsyncProjects
from .storage import AsyncStorage

__all__ = [
    "AsyncCompute",
    "AsyncDeployments",
    "AsyncOrganizations",
    "AsyncProjects",
    "AsyncStorage",
    "async_profile",
    "async_resolve_organization_id",
    "async_token_scope",
]
