"""Bearer-token authentication and organization scoping, as the real API does it.

- no ``Authorization`` header, or not a ``Bearer`` one: 401
- unknown, expired or out-of-scope token: 403 (the API answers failed authentication with 403)
- unknown id: 404; an id that exists in another organization: 403
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TypeVar

from ._http import ApiError, AuthMode, Ctx, not_found
from ._state import (
    Bucket,
    ComputeInstance,
    ComputeProject,
    Deployment,
    Organization,
    Project,
    SpheronState,
    Token,
    Upload,
)


def authenticate(
    state: SpheronState, authorization: str | None, mode: AuthMode, upload_id: str | None
) -> Token | None:
    """The token behind ``authorization`` (raises :class:`ApiError` 401/403)."""
    if mode == "none":
        return None
    if not authorization:
        raise ApiError(401, "Unauthorized: send an Authorization: Bearer <token> header")
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise ApiError(401, "Unauthorized: the Authorization header must be 'Bearer <token>'")
    token = state.tokens.get(value)
    if token is None:
        raise ApiError(403, "Invalid token")
    if token.expired(state.now()):
        raise ApiError(403, "Token has expired")
    if token.upload_id is not None and (mode != "upload" or token.upload_id != upload_id):
        raise ApiError(403, "This single-use token is only valid for its own upload")
    return token


def organization(ctx: Ctx, org_id: str) -> Organization:
    """The organization ``org_id`` if the caller's token is scoped to it."""
    if org_id not in ctx.token.organizations:
        raise ApiError(403, f"Token is not authorized for organization {org_id}")
    return _find(ctx.state.organizations, "Organization", org_id)


class _Owned(Protocol):
    organization_id: str


T = TypeVar("T")
OwnedT = TypeVar("OwnedT", bound=_Owned)


def _find(table: Mapping[str, T], kind: str, ref: str) -> T:
    found = table.get(ref)
    if found is None:
        raise not_found(kind, ref)
    return found


def _owned(ctx: Ctx, table: Mapping[str, OwnedT], kind: str, ref: str) -> OwnedT:
    """The record ``ref`` of ``table``, if it belongs to an organization of the caller's token."""
    found = _find(table, kind, ref)
    if found.organization_id not in ctx.token.organizations:
        raise ApiError(403, "Token is not authorized for this resource")
    return found


def project(ctx: Ctx, project_id: str) -> Project:
    return _owned(ctx, ctx.state.projects, "Project", project_id)


def deployment(ctx: Ctx, deployment_id: str) -> tuple[Deployment, Project]:
    found = _find(ctx.state.deployments, "Deployment", deployment_id)
    return found, project(ctx, found.project_id)


def bucket(ctx: Ctx, bucket_id: str) -> Bucket:
    return _owned(ctx, ctx.state.buckets, "Bucket", bucket_id)


def upload(ctx: Ctx, upload_id: str) -> tuple[Upload, Bucket]:
    found = _find(ctx.state.uploads, "Upload", upload_id)
    return found, bucket(ctx, found.bucket_id)


def compute_project(ctx: Ctx, compute_project_id: str) -> ComputeProject:
    return _owned(ctx, ctx.state.compute_projects, "Compute project", compute_project_id)


def instance(ctx: Ctx, instance_id: str) -> tuple[ComputeInstance, ComputeProject]:
    found = _find(ctx.state.instances, "Compute instance", instance_id)
    return found, compute_project(ctx, found.compute_project_id)
