"""Token scope, organizations and the per-organization lists."""

from __future__ import annotations

from typing import Any

from . import _auth as auth
from . import _render as render
from ._clock import isoformat
from ._http import Ctx, Routes, bad_request, conflict, paginate, req_enum, req_str
from ._state import JSON, Organization

routes = Routes()

APP_TYPES = ("app", "compute", "storage")
STATES = ("MAINTAINED", "ARCHIVED")
SPECIALIZATIONS = ("wa-global", "c-akash", "storage")
DAY = 86_400.0
# The limits of the plan every fake organization is on.
USAGE_LIMITS: JSON = {
    "membersLimit": 5,
    "bandwidthLimit": 100 * 1024**3,
    "buildExecutionLimit": 6_000 * 60,
    "concurrentBuildLimit": 1,
    "storageIPFSLimit": 10 * 1024**3,
    "storageArweaveLimit": 1024**3,
    "storageFilecoinLimit": 1024**3,
    "deploymentsPerDayLimit": 100,
    "domainsLimit": 10,
    "hnsDomainsLimit": 10,
    "ensDomainsLimit": 10,
    "environmentsLimit": 5,
    "clusterAktLimit": 0,
    "clusterBuildExecutionLimit": 0,
    "passwordProtectionLimit": 0,
    "parallelUploadsLimit": 5,
}


@routes.get("/v1/api-keys/scope")
def token_scope(ctx: Ctx) -> JSON:
    user = ctx.state.users[ctx.token.user_id]
    orgs = [ctx.state.organizations[i] for i in ctx.token.organizations]
    return {
        "user": {"id": user.id, "username": user.username, "name": user.name, "email": user.email},
        "organizations": [
            {"id": o.id, "name": o.name, "username": o.username, "appType": o.app_type}
            for o in orgs
        ],
    }


def _username_taken(ctx: Ctx, username: str, except_id: str | None = None) -> bool:
    return any(
        o.username == username and o.id != except_id for o in ctx.state.organizations.values()
    )


@routes.post("/v1/organization")
def create_organization(ctx: Ctx) -> JSON:
    body = ctx.json()
    username = req_str(body, "username")
    name = req_str(body, "name")
    app_type = req_enum(body, "appType", APP_TYPES)
    if _username_taken(ctx, username):
        raise conflict(f"Organization username {username} is already taken")
    org = ctx.state.create_organization(name, username, app_type, ctx.token.user_id)
    # The creator's token can use the new organization right away.
    ctx.token.organizations.append(org.id)
    return {"organization": render.organization(org), "success": True}


routes.get_one("/v1/organization/{organizationId}", auth.organization, render.organization)


@routes.put("/v1/organization/{organizationId}")
def update_organization(ctx: Ctx) -> JSON:
    org = auth.organization(ctx, ctx.path("organizationId"))
    body = ctx.optional_json()  # a partial update keeps the fields it leaves out
    name = req_str(body, "name") if body.get("name") is not None else org.name
    username = req_str(body, "username") if body.get("username") is not None else org.username
    image = req_str(body, "image", allow_empty=True) if body.get("image") is not None else org.image
    if _username_taken(ctx, username, except_id=org.id):
        raise conflict(f"Organization username {username} is already taken")
    org.name, org.username, org.image = name, username, image
    org.updated_at = ctx.now
    return render.organization(org)


@routes.get("/v1/organization/{organizationId}/projects")
def list_projects(ctx: Ctx) -> JSON:
    org = auth.organization(ctx, ctx.path("organizationId"))
    state = ctx.query_enum("state", STATES)
    skip, limit = ctx.page()
    found = [
        p
        for p in ctx.state.projects.values()
        if p.organization_id == org.id and (state is None or p.state == state)
    ]
    page = paginate(found, skip, limit)
    return {"projects": [render.project(ctx.state, p, ctx.now) for p in page]}


@routes.get("/v1/organization/{organizationId}/projects/count")
def count_projects(ctx: Ctx) -> JSON:
    org = auth.organization(ctx, ctx.path("organizationId"))
    state = ctx.query_enum("state", STATES)
    count = sum(
        1
        for p in ctx.state.projects.values()
        if p.organization_id == org.id and (state is None or p.state == state)
    )
    return {"count": count}


def _buckets(ctx: Ctx) -> list[Any]:
    org = auth.organization(ctx, ctx.path("organizationId"))
    name = ctx.query("name")
    state = ctx.query_enum("state", STATES)
    return [
        b
        for b in ctx.state.buckets.values()
        if b.organization_id == org.id
        and (name is None or name.lower() in b.name.lower())
        and (state is None or b.state == state)
    ]


@routes.get("/v1/organization/{organizationId}/buckets")
def list_buckets(ctx: Ctx) -> JSON:
    found = _buckets(ctx)
    skip, limit = ctx.page()
    return {"buckets": [render.bucket(b) for b in paginate(found, skip, limit)]}


@routes.get("/v1/organization/{organizationId}/buckets/count")
def count_buckets(ctx: Ctx) -> JSON:
    return {"count": len(_buckets(ctx))}


@routes.get("/v1/organization/{organizationId}/compute-projects")
def list_compute_projects(ctx: Ctx) -> JSON:
    org = auth.organization(ctx, ctx.path("organizationId"))
    skip, limit = ctx.page()
    found = [p for p in ctx.state.compute_projects.values() if p.organization_id == org.id]
    return {"computeProjects": [render.compute_project(p) for p in paginate(found, skip, limit)]}


@routes.get("/v1/organization/{organizationId}/compute-projects/count")
def count_compute_projects(ctx: Ctx) -> JSON:
    org = auth.organization(ctx, ctx.path("organizationId"))
    count = sum(1 for p in ctx.state.compute_projects.values() if p.organization_id == org.id)
    return {"count": count}


def _usage(ctx: Ctx, org: Organization) -> JSON:
    """Counters derived from what the organization holds, against ``USAGE_LIMITS``."""
    state, now = ctx.state, ctx.now
    project_ids = {p.id for p in state.projects.values() if p.organization_id == org.id}
    bucket_ids = {b.id for b in state.buckets.values() if b.organization_id == org.id}
    deployments = [d for d in state.deployments.values() if d.project_id in project_ids]
    built = [d for d in deployments if (d.finished_at() or now + 1) <= now]
    stored = {"ipfs": 0, "arweave": 0, "filecoin": 0}
    for upload in state.uploads.values():
        if upload.bucket_id in bucket_ids and upload.status in ("Uploaded", "Pinned"):
            stored[upload.protocol] = stored.get(upload.protocol, 0) + upload.size
    out: JSON = {
        "usedBandwidth": 0,
        "usedBuildExecution": sum(d.build_seconds for d in built),
        "usedConcurrentBuild": sum(1 for d in deployments if d.status(now) == "Pending"),
        "usedStorageIPFS": stored["ipfs"],
        "usedStorageArweave": stored["arweave"],
        "usedStorageFilecoin": stored["filecoin"],
        "usedDeploymentsPerDay": sum(1 for d in deployments if d.created_at > now - DAY),
        "usedDomains": sum(1 for d in state.domains.values() if d.project_id in project_ids),
        "usedHnsDomains": 0,
        "usedEnsDomains": 0,
        "usedEnvironments": sum(
            1 for e in state.environments.values() if e.project_id in project_ids
        ),
        "usedClusterAkt": 0,
        "usedClusterBuildExecution": 0,
        "usedNumberOfRequests": 0,
        "usedPasswordProtections": 0,
        "usedParallelUploads": sum(
            1
            for u in state.uploads.values()
            if u.bucket_id in bucket_ids and u.status == "InProgress"
        ),
        **USAGE_LIMITS,
    }
    if deployments:
        out["lastDeploymentDate"] = isoformat(max(d.created_at for d in deployments))
    return out


@routes.get("/v1/organization/{organizationId}/subscription-usage/specialization/{specialization}")
def organization_usage(ctx: Ctx) -> JSON:
    org = auth.organization(ctx, ctx.path("organizationId"))
    specialization = ctx.path("specialization")
    if specialization not in SPECIALIZATIONS:
        raise bad_request(f"specialization must be one of {', '.join(SPECIALIZATIONS)}")
    return {"usage": _usage(ctx, org)}
