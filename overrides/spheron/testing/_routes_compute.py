"""Compute projects and instances, the marketplace and the machine catalog.

An instance is ``Starting`` for ``instance_start_seconds`` of fake time, then ``Active`` (or
``Failed-start`` when a test queued that with ``FakeSpheron.queue_instance_outcome``); ``close``
makes it ``Closed``, and only closed instances may be deleted.
"""

from __future__ import annotations

from . import _auth as auth
from . import _catalog as catalog
from . import _render as render
from ._clock import isoformat
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
    req_bool,
    req_int,
    req_obj,
    req_str,
    str_list,
)
from ._state import JSON, ComputeDeployment, ComputeInstance, ComputeProject, fake_hex

routes = Routes()

INSTANCE_STATES = ("Starting", "Failed-start", "Active", "Closed")


# -- compute projects ------------------------------------------------------------------------


routes.get_one(
    "/v1/compute-project/{computeProjectId}", auth.compute_project, render.compute_project
)


@routes.delete("/v1/compute-project/{computeProjectId}")
def delete_compute_project(ctx: Ctx) -> JSON:
    project = auth.compute_project(ctx, ctx.path("computeProjectId"))
    running = [i for i in ctx.state.project_instances(project.id) if i.state(ctx.now) != "Closed"]
    if running:
        raise conflict(f"Compute project {project.name} still has {len(running)} open instance(s)")
    for inst in ctx.state.project_instances(project.id):
        forget_instance(ctx, inst)
    del ctx.state.compute_projects[project.id]
    return {}


def forget_instance(ctx: Ctx, inst: ComputeInstance) -> None:
    del ctx.state.instances[inst.id]
    for dep_id in inst.deployments:
        ctx.state.compute_deployments.pop(dep_id, None)
    for dom in [d for d in ctx.state.domains.values() if d.instance_id == inst.id]:
        del ctx.state.domains[dom.id]


@routes.get("/v1/compute-project/{computeProjectId}/funds-usage")
def funds_usage(ctx: Ctx) -> JSON:
    project = auth.compute_project(ctx, ctx.path("computeProjectId"))
    return render.funds_usage(ctx.state.project_instances(project.id), ctx.now)


def wants_report(ctx: Ctx) -> bool:
    return (ctx.query("topupReport") or "").lower() in ("y", "yes", "true")


@routes.get("/v1/compute-project/{computeProjectId}/instances")
def list_project_instances(ctx: Ctx) -> JSON:
    project = auth.compute_project(ctx, ctx.path("computeProjectId"))
    skip, limit = ctx.page()
    page = paginate(ctx.state.project_instances(project.id), skip, limit)
    report = wants_report(ctx)
    return {
        "extendedInstances": [render.extended_instance(i, ctx.now, report=report) for i in page]
    }


@routes.get("/v1/compute-project/{computeProjectId}/instances/count")
def count_project_instances(ctx: Ctx) -> JSON:
    project = auth.compute_project(ctx, ctx.path("computeProjectId"))
    states = [i.state(ctx.now) for i in ctx.state.project_instances(project.id)]
    return {
        "active": states.count("Active"),
        "starting": states.count("Starting"),
        "failedToStart": states.count("Failed-start"),
        "closed": states.count("Closed"),
        "total": len(states),
    }


# -- instances -------------------------------------------------------------------------------


@routes.get("/v1/compute-instance")
def list_instances(ctx: Ctx) -> JSON:
    org = auth.organization(ctx, ctx.required_query("organizationId"))
    state = ctx.query_enum("state", INSTANCE_STATES)
    project_id = ctx.query("computeProjectId")
    skip, limit = ctx.page()
    found = [
        i
        for i in ctx.state.instances.values()
        if ctx.state.compute_projects[i.compute_project_id].organization_id == org.id
        and (project_id is None or i.compute_project_id == project_id)
        and (state is None or i.state(ctx.now) == state)
    ]
    page = paginate(found, skip, limit)
    return {"instances": [render.extended_instance(i, ctx.now, report=False) for i in page]}


def service_config(ctx: Ctx, raw: JSON, region: str, scalable: bool) -> JSON:
    """Validate one ``ComputeServiceConfigurationDTO`` and store it as a service configuration."""
    machine_name = req_str(raw, "akashMachineImageName")
    machine = catalog.machine_by(name=machine_name)
    if machine is None:
        raise bad_request(f"Unknown machine image {machine_name}")
    ports = [  # numbers sent as strings ("80") are stored as the numbers they name
        port
        | {
            "containerPort": req_int(port, "containerPort", minimum=1),
            "exposedPort": req_int(port, "exposedPort", minimum=0),
        }
        for port in obj_list(raw, "ports")
    ]
    env = obj_list(raw, "env")
    for item in env:
        req_str(item, "value", allow_empty=True)
        req_bool(item, "isSecret")
    service: JSON = {
        "name": req_str(raw, "name"),
        "image": req_str(raw, "image"),
        "tag": req_str(raw, "tag"),
        "serviceCount": req_int(raw, "serviceCount", minimum=1),
        "buildImage": opt_bool(raw, "buildImage"),  # callers copied from the dashboard omit it
        "ports": ports,
        "env": env,
        "command": str_list(raw, "command"),
        "args": str_list(raw, "args"),
        "region": region,
        "scalable": scalable,
        "agreedMachineImage": {
            "machineId": machine["_id"],
            "machineType": machine["name"],
            "agreementDate": int(ctx.now * 1000),
            "cpu": machine["cpu"],
            "memory": machine["memory"],
            "storage": machine["storage"],
            "maxPricePerBlock": machine["maxPricePerBlock"],
            "defaultDailyTopUp": machine["defaultDailyTopUp"],
        },
    }
    if isinstance(raw.get("customServiceSpecs"), dict):
        service["customServiceSpecs"] = raw["customServiceSpecs"]
    if raw.get("healthCheck") is not None:
        check = req_obj(raw, "healthCheck")
        service["healthCheck"] = health_check(
            ctx, req_str(check, "path"), req_int(check, "port", minimum=1)
        )
    if raw.get("templateId"):
        service["template"] = str(raw["templateId"])
    return service


def health_check(ctx: Ctx, path: str, port: int) -> JSON:
    return {
        "path": path,
        "port": {"containerPort": port, "exposedPort": port},
        "status": "Pending",
        "timestamp": isoformat(ctx.now),
    }


def _compute_project_named(ctx: Ctx, org_id: str, name: str, description: str) -> ComputeProject:
    for project in ctx.state.compute_projects.values():
        if project.organization_id == org_id and project.name == name:
            return project
    return ctx.state.create_compute_project(org_id, name, description)


def _launch(
    ctx: Ctx, project: ComputeProject, services: list[JSON], region: str, scalable: bool, topic: str
) -> JSON:
    machine = catalog.machine_by(name=services[0]["agreedMachineImage"]["machineType"])
    inst = ComputeInstance(
        id=ctx.state.new_id(),
        compute_project_id=project.id,
        name=services[0]["name"],
        region=region,
        type="ON_DEMAND" if scalable else "SPOT",
        created_at=ctx.now,
        updated_at=ctx.now,
        start_seconds=ctx.state.instance_start_seconds,
        outcome=ctx.state.next_instance_outcome(),
        daily_cost=float(machine["defaultDailyTopUp"]) if machine else 1.5,
    )
    ctx.state.instances[inst.id] = inst
    dep = deploy_services(ctx, inst, services, topic)
    project.updated_at = ctx.now
    return {
        "computeProjectId": project.id,
        "computeInstanceId": inst.id,
        "computeDeploymentId": dep.id,
        "topic": topic,
    }


def deploy_services(
    ctx: Ctx, inst: ComputeInstance, services: list[JSON], topic: str
) -> ComputeDeployment:
    dep = ComputeDeployment(
        ctx.state.new_id(), inst.id, services, topic, ctx.token.user_id, ctx.now
    )
    ctx.state.compute_deployments[dep.id] = dep
    inst.deployments.append(dep.id)
    inst.updated_at = ctx.now
    return dep


@routes.post("/v1/compute-instance/create")
def create_instance(ctx: Ctx) -> JSON:
    body = ctx.json()
    org = auth.organization(ctx, req_str(body, "organizationId"))
    topic = req_str(body, "uniqueTopicId")
    region = req_str(body, "region")
    scalable = req_bool(body, "scalable")
    opt_str(body, "computeProvider")  # optional in the document; the fake has one provider
    raw_services = obj_list(body, "services")
    if not raw_services:
        raise bad_request("services must not be empty")
    services = [service_config(ctx, raw, region, scalable) for raw in raw_services]
    existing = opt_str(body, "computeProjectId")  # the dashboard deploys into a project by id
    if existing:
        project = auth.compute_project(ctx, existing)
        if project.organization_id != org.id:
            raise bad_request(f"Compute project {existing} is not in organization {org.id}")
    else:
        name = opt_str(body, "computeProjectName") or services[0]["name"]
        description = opt_str(body, "computeProjectDescription") or ""
        project = _compute_project_named(ctx, org.id, name, description)
    return _launch(ctx, project, services, region, scalable, topic)


@routes.post("/v1/compute-instance/template")
def create_from_template(ctx: Ctx) -> JSON:
    body = ctx.json()
    org = auth.organization(ctx, req_str(body, "organizationId"))
    template_id = req_str(body, "templateId")
    app = catalog.app_by_id(template_id)
    if app is None:
        raise bad_request(f"Unknown marketplace app {template_id}")
    machine = catalog.machine_by(ident=req_str(body, "akashImageId"))
    if machine is None:
        raise bad_request(f"Unknown machine image {body['akashImageId']}")
    region = req_str(body, "region")
    scalable = req_bool(body, "scalable")
    given: dict[str, str] = {}
    for item in obj_list(body, "environmentVariables"):
        given[req_str(item, "label")] = req_str(item, "value", allow_empty=True)
    topic = opt_str(body, "uniqueTopicId") or fake_hex(f"topic:{ctx.state.new_id()}", 32)
    count = body.get("instanceCount", 1)
    services: list[JSON] = []
    for template in app["services"]:
        env: list[JSON] = []
        for var in template["variables"]:
            value = given.get(var["label"], given.get(var["name"], var["defaultValue"]))
            if not value and var["required"] in (True, "true"):
                raise bad_request(f"Marketplace variable {var['label']} is required")
            env.append({"value": f"{var['name']}={value}", "isSecret": False})
        raw = {
            "name": template["metadata"]["name"].lower().replace(" ", "-"),
            "image": template["dockerImage"],
            "tag": template["dockerImageTag"],
            "serviceCount": count if isinstance(count, int) and count > 0 else 1,
            "buildImage": False,
            "ports": [
                {"containerPort": p["containerPort"], "exposedPort": p["exposedPort"]}
                for p in template["ports"]
            ],
            "env": env,
            "command": list(template["commands"]),
            "args": list(template["args"]),
            "akashMachineImageName": machine["name"],
            "templateId": template_id,
        }
        services.append(service_config(ctx, raw, region, scalable))
    project = _compute_project_named(
        ctx, org.id, str(app["name"]), str(app["metadata"]["description"])
    )
    out = _launch(ctx, project, services, region, scalable, topic)
    return {**out, "template": app, "templateId": template_id}


def _compute_deployment(ctx: Ctx) -> ComputeDeployment:
    ref = ctx.path("computeDeploymentId")
    dep = ctx.state.compute_deployments.get(ref)
    if dep is None:
        raise not_found("Compute deployment", ref)
    auth.instance(ctx, dep.instance_id)
    return dep


@routes.get("/v1/compute-instance/deployment/{computeDeploymentId}")
def get_compute_deployment(ctx: Ctx) -> JSON:
    dep = _compute_deployment(ctx)
    return {
        "deployment": render.compute_deployment(ctx.state, dep, ctx.now),
        "liveLogs": render.instance_log_lines(dep),
    }


@routes.get("/v1/compute-instance/deployment/{computeDeploymentId}/logs")
def get_compute_deployment_logs(ctx: Ctx) -> JSON:
    dep = _compute_deployment(ctx)
    start = ctx.query_int("from", -1)
    end = ctx.query_int("to", -1)
    if start < 0 or end < 0:
        raise bad_request("query parameters from and to are required")
    kind = ctx.query_enum("logType", ("logs", "instanceLogs", "instanceEvents"), required=True)
    rendered = render.compute_deployment(ctx.state, dep, ctx.now)
    if kind == "logs":
        lines = [line for entry in rendered["logs"] for line in entry["log"]]
    else:
        lines = list(rendered[str(kind)])
    search = ctx.query("search")
    if search:
        lines = [line for line in lines if search.lower() in line.lower()]
    return {
        "success": True,
        "deployment": {"_id": dep.id, "logs": lines[start:end], "logsLength": len(lines)},
    }
