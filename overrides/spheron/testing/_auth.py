"""Bearer-token authentication and organization scoping, as the real API does it.

- no ``Authorization`` header, or not a ``Bearer`` one: 401
- unknown, expired or out-of-scope token: 403 (the API answers failed authentication with 403)
- unknown id: 404; an id that exists in another organization: 403
"""

from __future__ import annotations

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
    org = ctx.state.organizations.get(org_id)
    if org is None:
        raise not_found("Organization", org_id)
    return org


def _check(ctx: Ctx, org_id: str) -> None:
    if org_id not in ctx.token.organizations:
        raise ApiError(403, "Token is not authorized for this resource")


def project(ctx: Ctx, project_id: str) -> Project:
    found = ctx.state.projects.get(project_id)
    if found is None:
        raise not_found("Project", project_id)
    _check(ctx, found.organization_id)
    return found


def deployment(ctx: Ctx, deployment_id: str) -> tuple[Deployment, Project]:
    found = ctx.state.deployments.get(deployment_id)
    if found is None:
        raise not_found("Deployment", deployment_id)
    return found, project(ctx, found.project_id)


def bucket(ctx: Ctx, bucket_id: str) -> Bucket:
    found = ctx.state.buckets.get(bucket_id)
    if found is None:
        raise not_found("Bucket", bucket_id)
    _check(ctx, found.organization_id)
    return found


def upload(ctx: Ctx, upload_id: str) -> tuple[Upload, Bucket]:
    found = ctx.state.uploads.get(upload_id)
    if found is None:
        raise not_found("Upload", upload_id)
    return found, bucket(ctx, found.bucket_id)


def compute_project(ctx: Ctx, compute_project_id: str) -> ComputeProject:
    found = ctx.state.compute_projects.get(compute_project_id)
    if found is None:
        raise not_found("Compute project", compute_project_id)
    _check(ctx, found.organization_id)
    return found


def instance(ctx: Ctx, instance_id: str) -> tuple[ComputeInstance, ComputeProject]:
    found = ctx.state.instances.get(instance_id)
    if found is None:
        raise not_found("Compute instance", instance_id)
    return found, compute_project(ctx, found.compute_project_id)
