"""Site projects and what hangs off them: domains, environment variables and environments."""

from __future__ import annotations

from . import _auth as auth
from . import _render as render
from ._domains import claim_name, named_in_path, new_domain, patch_name_and_link, verify
from ._http import (
    Ctx,
    Routes,
    bad_request,
    conflict,
    not_found,
    obj_list,
    opt_bool,
    opt_str,
    paginate,
    req_enum,
    req_str,
    str_list,
)
from ._state import (
    JSON,
    DeploymentEnvironment,
    Domain,
    EnvironmentVariable,
    Project,
)

routes = Routes()

FRAMEWORKS = (
    "static", "vue", "react", "next", "angular", "preact", "nuxt2", "svelte", "gatsby",
    "eleventy", "docusaurus", "sanity", "hugo", "ionicreact", "vite", "scully", "stencil",
    "brunch", "ionicangular",
)  # fmt: skip
NODE_VERSIONS = ("V_12", "V_14", "V_16")
PROTOCOLS = ("arweave", "ipfs-filecoin", "ipfs")
DEPLOYMENT_STATUSES = (
    "PreQueue", "Queued", "Pending", "Canceled", "Deployed", "Failed", "AuthorizationNeeded",
    "Killing", "TimedOut",
)  # fmt: skip
CDN_RECORDS = {"recordIpv4V2": "203.0.113.10", "recordCnameV2": "cname.spheron-test.invalid"}


@routes.get("/v1/project/{projectId}")
def get_project(ctx: Ctx) -> JSON:
    return render.project(ctx.state, auth.project(ctx, ctx.path("projectId")), ctx.now)


@routes.put("/v1/project/{projectId}/configuration")
def update_configuration(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    body = ctx.optional_json()  # a partial update keeps the settings it leaves out
    update = {
        key: req_str(body, key, allow_empty=True)
        for key in ("buildCommand", "installCommand", "workspace", "publishDir")
        if body.get(key) is not None
    }
    if body.get("framework") is not None:
        update["framework"] = req_enum(body, "framework", FRAMEWORKS)
    if body.get("nodeVersion") is not None:
        update["nodeVersion"] = req_enum(body, "nodeVersion", NODE_VERSIONS)
    project.configuration.update(update)
    project.updated_at = ctx.now
    return {"configuration": dict(project.configuration)}


@routes.patch("/v1/project/{projectId}/state")
def update_state(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    project.state = req_enum(ctx.json(), "state", ("MAINTAINED", "ARCHIVED"))
    project.updated_at = ctx.now
    verb = "archived" if project.state == "ARCHIVED" else "restored"
    return {"message": f"Project {verb}"}


@routes.get("/v1/project/{projectId}/deployments")
def list_deployments(ctx: Ctx) -> list[JSON]:
    project = auth.project(ctx, ctx.path("projectId"))
    status = ctx.query_enum("status", DEPLOYMENT_STATUSES)
    skip, limit = ctx.page()
    found = [
        d
        for d in ctx.state.project_deployments(project.id)
        if status is None or d.status(ctx.now) == status
    ]
    return [render.deployment(ctx.state, d, ctx.now) for d in paginate(found, skip, limit)]


@routes.get("/v1/project/{projectId}/deployments/count")
def count_deployments(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    statuses = [d.status(ctx.now) for d in ctx.state.project_deployments(project.id)]
    return {
        "total": len(statuses),
        "successful": statuses.count("Deployed"),
        "failed": statuses.count("Failed") + statuses.count("TimedOut"),
        "pending": sum(
            1 for s in statuses if s in ("PreQueue", "Queued", "Pending", "AuthorizationNeeded")
        ),
    }


# -- domains ---------------------------------------------------------------------------------


def _environment_ids(ctx: Ctx, project: Project, refs: list[str]) -> list[str]:
    """Resolve environment ids or names of ``project`` (400 on unknown ones)."""
    envs = ctx.state.project_environments(project.id)
    ids: list[str] = []
    for ref in refs:
        match = next((e for e in envs if ref in (e.id, e.name)), None)
        if match is None:
            raise bad_request(f"Deployment environment {ref} does not belong to this project")
        ids.append(match.id)
    return ids


def _domains(ctx: Ctx, project: Project) -> list[Domain]:
    return [d for d in ctx.state.domains.values() if d.project_id == project.id]


def _project_domain(ctx: Ctx, project: Project) -> Domain:
    return named_in_path(ctx, _domains(ctx, project))


@routes.get("/v1/project/{projectId}/domains")
def list_domains(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    return {"domains": [render.domain(d) for d in _domains(ctx, project)]}


@routes.post("/v1/project/{projectId}/domains")
def add_domain(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    body = ctx.json()
    name = req_str(body, "name")
    kind = req_str(body, "type")  # an open set: unknown types are passed through
    refs = str_list(body, "deploymentEnvironments", required=False)
    env_ids = (
        _environment_ids(ctx, project, refs)
        if refs is not None
        else [e.id for e in ctx.state.project_environments(project.id)]
    )
    claim_name(ctx, name)
    dom = new_domain(
        ctx,
        name,
        opt_str(body, "link") or "",
        kind,
        project_id=project.id,
        environment_ids=env_ids,
        is_latest=opt_bool(body, "isLatest"),
    )
    return {"domain": render.domain(dom)}


@routes.get("/v1/project/{projectId}/domains/cdn-records")
def cdn_records(ctx: Ctx) -> JSON:
    # The route needs a project id but ignores it (the SDK sends "1").
    return {"records": dict(CDN_RECORDS)}


@routes.get("/v1/project/{projectId}/domains/{domainId}")
def get_domain(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    return {"domain": render.domain(_project_domain(ctx, project))}


@routes.patch("/v1/project/{projectId}/domains/{domainId}")
def update_domain(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    dom = _project_domain(ctx, project)
    body = ctx.optional_json()  # a partial update keeps the fields it leaves out
    refs = str_list(body, "deploymentEnvironments", required=False)
    env_ids = None if refs is None else _environment_ids(ctx, project, refs)
    patch_name_and_link(ctx, dom, body)  # after every check that may refuse the update
    if env_ids is not None:
        dom.environment_ids = env_ids
    dom.is_latest = opt_bool(body, "isLatest", dom.is_latest)
    dom.updated_at = ctx.now
    return {"domain": render.domain(dom)}


@routes.delete("/v1/project/{projectId}/domains/{domainId}")
def delete_domain(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    dom = _project_domain(ctx, project)
    del ctx.state.domains[dom.id]
    return {"domain": {"success": True}}


@routes.patch("/v1/project/{projectId}/domains/{domainId}/verify")
def verify_domain(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    dom = _project_domain(ctx, project)
    ctx.optional_json()
    verified = verify(ctx, dom)
    dom.updated_at = ctx.now
    return {"success": verified, "domain": render.domain(dom)}


# -- environment variables -------------------------------------------------------------------


def _variable_environments(ctx: Ctx, project: Project, item: JSON) -> list[str]:
    # The SDK sends `environments`, 2022 clients `deploymentEnvironments`: accept both.
    key = "environments" if "environments" in item else "deploymentEnvironments"
    if key not in item:
        raise bad_request("environments is required (a list of deployment environment ids)")
    refs = str_list(item, key)
    return _environment_ids(ctx, project, refs or [])


def _check_variable(ctx: Ctx, project: Project, name: str, envs: list[str], skip: str) -> None:
    for var in ctx.state.env_vars.values():
        same = var.project_id == project.id and var.name == name and var.id != skip
        if same and set(var.environment_ids) & set(envs):
            raise conflict(f"Environment variable {name} already exists in that environment")


@routes.post("/v1/project/{projectId}/environment-variables")
def add_variables(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    items = obj_list(ctx.json(), "environmentVariables")
    created: list[EnvironmentVariable] = []
    pending: list[tuple[str, str, list[str]]] = []
    for item in items:
        name = req_str(item, "name")
        value = req_str(item, "value", allow_empty=True)
        envs = _variable_environments(ctx, project, item)
        _check_variable(ctx, project, name, envs, skip="")
        if any(n == name and set(e) & set(envs) for n, _, e in pending):
            raise conflict(f"Environment variable {name} is given twice")
        pending.append((name, value, envs))
    for name, value, envs in pending:
        var = EnvironmentVariable(ctx.state.new_id(), project.id, name, value, envs)
        ctx.state.env_vars[var.id] = var
        created.append(var)
    return {"environmentVariables": [render.env_var(ctx.state, v) for v in created]}


def _variable(ctx: Ctx, project: Project) -> EnvironmentVariable:
    ref = ctx.path("environmentVariableId")
    var = ctx.state.env_vars.get(ref)
    if var is None or var.project_id != project.id:
        raise not_found("Environment variable", ref)
    return var


@routes.put("/v1/project/{projectId}/environment-variables/{environmentVariableId}")
def update_variable(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    var = _variable(ctx, project)
    body = ctx.optional_json()  # a partial update keeps the fields it leaves out
    name = req_str(body, "name") if body.get("name") is not None else var.name
    value = req_str(body, "value", allow_empty=True) if body.get("value") is not None else var.value
    envs = (
        _variable_environments(ctx, project, body)
        if body.get("environments") is not None or body.get("deploymentEnvironments") is not None
        else var.environment_ids
    )
    _check_variable(ctx, project, name, envs, skip=var.id)
    var.name, var.value, var.environment_ids = name, value, envs
    return {"updated": render.env_var(ctx.state, var)}


@routes.delete("/v1/project/{projectId}/environment-variables/{environmentVariableId}")
def delete_variable(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    del ctx.state.env_vars[_variable(ctx, project).id]
    return {"success": True}


# -- deployment environments -----------------------------------------------------------------


def _environment(ctx: Ctx, project: Project) -> DeploymentEnvironment:
    ref = ctx.path("deploymentEnvironmentId")
    env = ctx.state.environments.get(ref)
    if env is None or env.project_id != project.id:
        raise not_found("Deployment environment", ref)
    return env


def _environment_body(ctx: Ctx, project: Project, skip: str) -> tuple[str, list[str], str]:
    body = ctx.json()
    name = req_str(body, "name")
    branches = str_list(body, "branches") or []
    protocol = req_enum(body, "protocol", PROTOCOLS)
    for env in ctx.state.project_environments(project.id):
        if env.name.lower() == name.lower() and env.id != skip:
            raise conflict(f"Deployment environment {name} already exists")
    return name, branches, protocol


@routes.get("/v1/project/{projectId}/deployment-environments")
def list_environments(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    envs = ctx.state.project_environments(project.id)
    return {"result": [render.environment(e) for e in envs]}


@routes.post("/v1/project/{projectId}/deployment-environments")
def create_environment(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    name, branches, protocol = _environment_body(ctx, project, skip="")
    env = DeploymentEnvironment(
        id=ctx.state.new_id(),
        project_id=project.id,
        name=name,
        branches=branches,
        protocol=protocol,
        created_at=ctx.now,
        updated_at=ctx.now,
        is_free=False,
    )
    ctx.state.environments[env.id] = env
    return {"newEnvironment": render.environment(env)}


@routes.put("/v1/project/{projectId}/deployment-environments/{deploymentEnvironmentId}")
def update_environment(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    env = _environment(ctx, project)
    env.name, env.branches, env.protocol = _environment_body(ctx, project, skip=env.id)
    env.updated_at = ctx.now
    return {"deploymentEnvironment": render.environment(env)}


@routes.delete("/v1/project/{projectId}/deployment-environments/{deploymentEnvironmentId}")
def delete_environment(ctx: Ctx) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    env = _environment(ctx, project)
    del ctx.state.environments[env.id]
    for var in ctx.state.env_vars.values():
        if env.id in var.environment_ids:
            var.environment_ids.remove(env.id)
    for dom in ctx.state.domains.values():
        if env.id in dom.environment_ids:
            dom.environment_ids.remove(env.id)
    return {"message": f"Deployment environment {env.name} deleted"}


def _set_status(ctx: Ctx, status: str) -> JSON:
    project = auth.project(ctx, ctx.path("projectId"))
    env = _environment(ctx, project)
    env.status, env.updated_at = status, ctx.now
    return {"deploymentEnvironment": render.environment(env)}


@routes.patch("/v1/project/{projectId}/deployment-environments/{deploymentEnvironmentId}/activate")
def activate_environment(ctx: Ctx) -> JSON:
    return _set_status(ctx, "ACTIVE")


@routes.patch(
    "/v1/project/{projectId}/deployment-environments/{deploymentEnvironmentId}/deactivate"
)
def deactivate_environment(ctx: Ctx) -> JSON:
    return _set_status(ctx, "INACTIVE")
