"""Site deployments: start, read, authorize, cancel, redeploy, and framework detection.

A deployment's status follows the fake clock: ``Queued`` for ``deploy_queue_seconds``, then
``Pending`` (building) for ``deploy_build_seconds``, then its outcome (``Deployed`` unless a test
queued ``Failed`` or ``AuthorizationNeeded`` with ``FakeSpheron.queue_deployment_outcome``).
"""

from __future__ import annotations

from . import _auth as auth
from . import _render as render
from ._http import (
    ApiError,
    Ctx,
    Routes,
    bad_request,
    conflict,
    opt_str,
    req_bool,
    req_enum,
    req_obj,
    req_str,
)
from ._routes_projects import NODE_VERSIONS, PROTOCOLS
from ._state import FINAL_DEPLOYMENT_STATUSES, JSON, Deployment, Project, fake_hex

routes = Routes()

PROVIDERS = ("GITHUB", "GITLAB", "BITBUCKET", "DOCKERHUB")
_FRAMEWORK_HINTS = (
    ("next", "next"), ("nuxt", "nuxt2"), ("gatsby", "gatsby"), ("docusaurus", "docusaurus"),
    ("svelte", "svelte"), ("angular", "angular"), ("preact", "preact"), ("vue", "vue"),
    ("vite", "vite"), ("hugo", "hugo"), ("eleventy", "eleventy"), ("react", "react"),
)  # fmt: skip


def _new_deployment(
    ctx: Ctx,
    project: Project,
    *,
    branch: str,
    protocol: str,
    configuration: JSON,
    env: dict[str, str],
    topic: str | None,
    dep_id: str | None = None,
) -> Deployment:
    state = ctx.state
    outcome, message = state.next_deployment_outcome()
    environments = state.project_environments(project.id)
    matched = next((e for e in environments if branch in e.branches), None)
    dep_id = dep_id or state.new_id()
    dep = Deployment(
        id=dep_id,
        project_id=project.id,
        branch=branch,
        protocol=protocol,
        environment_name=matched.name if matched else "Preview",
        configuration=configuration,
        env=env,
        commit_id=fake_hex(f"{project.url}@{branch}#{dep_id}"),
        commit_message=f"Update {project.name}",
        topic=topic or fake_hex(f"topic:{dep_id}", 32),
        initiator=ctx.token.user_id,
        created_at=ctx.now,
        started_at=ctx.now,
        queue_seconds=state.deploy_queue_seconds,
        build_seconds=state.deploy_build_seconds,
        outcome="Deployed" if outcome == "AuthorizationNeeded" else outcome,
        failed_message=message or ("Build failed" if outcome == "Failed" else ""),
        needs_authorization=outcome == "AuthorizationNeeded",
    )
    state.deployments[dep.id] = dep
    project.updated_at = ctx.now
    return dep


def _start_result(ctx: Ctx, dep: Deployment, message: str) -> JSON:
    return {
        "success": True,
        "message": message,
        "topic": dep.topic,
        "deploymentId": dep.id,
        "projectId": dep.project_id,
        "deployment": render.deployment(ctx.state, dep, ctx.now),
    }


def _check_active(project: Project) -> None:
    if project.state == "ARCHIVED":
        raise conflict(f"Project {project.name} is archived")


@routes.post("/v1/deployment")
def start_deployment(ctx: Ctx) -> JSON:
    body = ctx.json()
    org = auth.organization(ctx, req_str(body, "organizationId"))
    git_url = req_str(body, "gitUrl")
    repo_name = req_str(body, "repoName")
    branch = req_str(body, "branch")
    protocol = req_enum(body, "protocol", PROTOCOLS)
    provider = req_enum(body, "provider", PROVIDERS)
    req_bool(body, "createDefaultWebhook")
    raw_config = req_obj(body, "configuration")
    configuration = {
        "buildCommand": req_str(raw_config, "buildCommand", allow_empty=True),
        "installCommand": req_str(raw_config, "installCommand", allow_empty=True),
        "workspace": req_str(raw_config, "workspace", allow_empty=True),
        "publishDir": req_str(raw_config, "publishDir", allow_empty=True),
        # An open set: frameworks the document does not list are accepted as they are.
        "framework": req_str(raw_config, "framework"),
        "nodeVersion": req_enum(raw_config, "nodeVersion", NODE_VERSIONS),
    }
    env = body.get("env") or {}
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise bad_request("env must be an object of string values")
    project = next(
        (
            p
            for p in ctx.state.projects.values()
            if p.organization_id == org.id and p.url == git_url
        ),
        None,
    )
    if project is None:
        project = ctx.state.create_project(
            org.id,
            repo_name,
            url=git_url,
            provider=provider,
            branch=branch,
            protocol=protocol,
            configuration=configuration,
            created_by=ctx.token.user_id,
        )
    _check_active(project)
    project.configuration.update(configuration)
    dep = _new_deployment(
        ctx,
        project,
        branch=branch,
        protocol=protocol,
        configuration={"_id": project.configuration["_id"], **configuration},
        env=dict(env),
        topic=opt_str(body, "uniqueTopicId"),
    )
    return _start_result(ctx, dep, "Deployment started")


@routes.get("/v1/deployment/framework/suggestion")
def suggest_framework(ctx: Ctx) -> JSON:
    owner = ctx.required_query("owner")
    repo = ctx.required_query("repo")
    ctx.required_query("branch")
    provider = ctx.query("provider") or ctx.query("providerName")
    if provider is None:
        raise bad_request("query parameter provider is required")
    if provider.upper() not in PROVIDERS:
        raise bad_request(f"query parameter provider must be one of {', '.join(PROVIDERS)}")
    overrides = ctx.state.framework_suggestions
    framework = overrides.get(f"{owner}/{repo}") or overrides.get(repo)
    if framework is None:
        lowered = repo.lower()
        framework = next((fw for hint, fw in _FRAMEWORK_HINTS if hint in lowered), "static")
    return {"suggestedFramework": framework}


@routes.get("/v1/deployment/{deploymentId}")
def get_deployment(ctx: Ctx) -> JSON:
    dep, _ = auth.deployment(ctx, ctx.path("deploymentId"))
    return {
        "deployment": render.deployment(ctx.state, dep, ctx.now),
        "liveLogs": render.live_logs(ctx.state, dep, ctx.now),
    }


@routes.post("/v1/deployment/{deploymentId}/authorize")
def authorize_deployment(ctx: Ctx) -> JSON:
    dep, _ = auth.deployment(ctx, ctx.path("deploymentId"))
    status = dep.status(ctx.now)
    if status != "AuthorizationNeeded":
        raise conflict(f"Deployment does not need authorization (status {status})")
    dep.needs_authorization = False
    dep.authorized_at = dep.started_at = ctx.now
    return _start_result(ctx, dep, "Deployment authorized")


@routes.post("/v1/deployment/{deploymentId}/cancel")
def cancel_deployment(ctx: Ctx) -> JSON:
    dep, _ = auth.deployment(ctx, ctx.path("deploymentId"))
    status = dep.status(ctx.now)
    if status in FINAL_DEPLOYMENT_STATUSES or status == "Killing":
        raise conflict(f"Deployment cannot be canceled (status {status})")
    dep.canceled_at = ctx.now
    dep.killed = status == "Pending"
    if dep.killed:
        return {"message": "Deployment is being killed", "canceled": False, "killing": True}
    return {"message": "Deployment canceled", "canceled": True, "killing": False}


@routes.post("/v1/deployment/{deploymentId}/redeploy")
def redeploy(ctx: Ctx) -> JSON:
    original, project = auth.deployment(ctx, ctx.path("deploymentId"))
    _check_active(project)
    if original.status(ctx.now) == "AuthorizationNeeded":
        raise ApiError(409, "Authorize the deployment before redeploying it")
    dep = _new_deployment(
        ctx,
        project,
        branch=original.branch,
        protocol=original.protocol,
        configuration=dict(original.configuration),
        env=dict(original.env),
        topic=None,
    )
    return _start_result(ctx, dep, "Redeployment started")
