"""Operations on one compute instance: read, close, delete, update, exec, metrics, triggers and
its domains."""

from __future__ import annotations

from . import _auth as auth
from . import _render as render
from ._clock import isoformat
from ._domains import DOMAIN_TYPES, claim_name, named_in_path, new_domain, verify
from ._http import (
    ApiError,
    Ctx,
    Routes,
    bad_request,
    conflict,
    obj_list,
    req_enum,
    req_int,
    req_str,
)
from ._routes_compute import (
    deploy_services,
    forget_instance,
    health_check,
    service_config,
    wants_report,
)
from ._state import JSON, ComputeInstance, Domain, fake_hex

routes = Routes()


@routes.get("/v1/compute-instance/{instanceId}")
def get_instance(ctx: Ctx) -> JSON:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    out: JSON = {"success": True, "instance": render.instance(inst, ctx.now)}
    if wants_report(ctx):
        out["topupReport"] = render.funds_usage([inst], ctx.now)
    return out


@routes.delete("/v1/compute-instance/{instanceId}")
def delete_instance(ctx: Ctx) -> JSON:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    if inst.state(ctx.now) != "Closed":
        raise conflict("Close the instance before deleting it")
    forget_instance(ctx, inst)
    return {}


def _open_instance(ctx: Ctx) -> ComputeInstance:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    state = inst.state(ctx.now)
    if state == "Closed":
        raise conflict(f"Instance {inst.id} is closed")
    return inst


@routes.post("/v1/compute-instance/{instanceId}/close")
def close_instance(ctx: Ctx) -> JSON:
    inst = _open_instance(ctx)
    inst.closed_at = inst.updated_at = ctx.now
    return {"message": "Instance closed", "success": True}


@routes.patch("/v1/compute-instance/{instanceId}/update")
def update_instance(ctx: Ctx) -> JSON:
    inst = _open_instance(ctx)
    body = ctx.json()
    auth.organization(ctx, req_str(body, "organizationId"))
    topic = req_str(body, "uniqueTopicId")
    raw_services = obj_list(body, "services")
    if not raw_services:
        raise bad_request("services must not be empty")
    scalable = inst.type == "ON_DEMAND"
    services = [service_config(ctx, raw, inst.region, scalable) for raw in raw_services]
    dep = deploy_services(ctx, inst, services, topic)
    return {
        "computeProjectId": inst.compute_project_id,
        "computeInstanceId": inst.id,
        "computeDeploymentId": dep.id,
        "topic": topic,
    }


@routes.patch("/v1/compute-instance/{instanceId}/update/health-check")
def update_health_check(ctx: Ctx) -> JSON:
    inst = _open_instance(ctx)
    body = ctx.json()
    check = health_check(
        ctx, req_str(body, "healthCheckUrl"), req_int(body, "healthCheckPort", minimum=1)
    )
    dep = ctx.state.compute_deployments[inst.deployments[-1]]
    for service in dep.services:
        service["healthCheck"] = dict(check)
    inst.health_check = check
    return {"message": "Health check updated", "updated": True}


def _running_instance(ctx: Ctx) -> ComputeInstance:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    state = inst.state(ctx.now)
    if state != "Active":
        raise conflict(f"Instance {inst.id} is not running (state {state})")
    return inst


def _default_exec(instance_name: str, command: str) -> list[str]:
    program, _, rest = command.strip().partition(" ")
    if program == "echo":
        return [rest]
    if program == "hostname":
        return [instance_name]
    if program == "pwd":
        return ["/"]
    return [f"{program}: executed"]


@routes.post("/v1/compute-instance/{instanceId}/exec-command")
def exec_command(ctx: Ctx) -> JSON:
    inst = _running_instance(ctx)
    command = req_str(ctx.json(), "command")
    handler = ctx.state.exec_handler
    logs = handler(inst.id, command) if handler else _default_exec(inst.name, command)
    return {"logs": list(logs)}


@routes.get("/v1/compute-instance/{instanceId}/metrics")
def get_metrics(ctx: Ctx) -> JSON:
    inst = _running_instance(ctx)
    service = ctx.required_query("service")
    dep = ctx.state.compute_deployments[inst.deployments[-1]]
    if service not in [s["name"] for s in dep.services]:
        raise bad_request(f"Instance {inst.id} has no service {service}")
    seed = int(fake_hex(f"{inst.id}:{service}:{int(ctx.now) // 60}", 4), 16)
    return {
        "metrics": {
            "cpu": round(5 + seed % 600 / 10, 1),
            "memory": 128 + seed % 384,
            "timestamp": isoformat(ctx.now),
        }
    }


@routes.post("/v1/compute-instance/{instanceId}/trigger/container-health-check")
def trigger_health_check(ctx: Ctx) -> JSON:
    inst = _open_instance(ctx)
    topic = ctx.required_query("topicId")
    return {"topicId": topic, "message": f"Health check requested for {inst.name}"}


@routes.post("/v1/compute-instance/{instanceId}/trigger/fetch-logs")
def trigger_fetch_logs(ctx: Ctx) -> JSON:
    inst = _open_instance(ctx)
    topic = ctx.required_query("topicId")
    return {"topicId": topic, "message": f"Log fetch requested for {inst.name}"}


# -- instance domains ------------------------------------------------------------------------


def _domains(ctx: Ctx, inst: ComputeInstance) -> list[Domain]:
    return [d for d in ctx.state.domains.values() if d.instance_id == inst.id]


def _instance_domain(ctx: Ctx, inst: ComputeInstance) -> Domain:
    return named_in_path(ctx, _domains(ctx, inst))


def _domain_body(ctx: Ctx, except_id: str | None = None) -> tuple[str, str, str]:
    body = ctx.json()
    name = req_str(body, "name")
    link = req_str(body, "link")
    kind = req_enum(body, "type", DOMAIN_TYPES)
    claim_name(ctx, name, except_id)
    return name, link, kind


@routes.get("/v1/compute-instance/{instanceId}/domains")
def list_instance_domains(ctx: Ctx) -> JSON:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    return {"domains": [render.domain(d) for d in _domains(ctx, inst)]}


@routes.post("/v1/compute-instance/{instanceId}/domains")
def add_instance_domain(ctx: Ctx) -> JSON:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    name, link, kind = _domain_body(ctx)
    dom = new_domain(ctx, name, link, kind, instance_id=inst.id)
    return {"domain": render.domain(dom)}


@routes.patch("/v1/compute-instance/{instanceId}/domains/{domainId}")
def update_instance_domain(ctx: Ctx) -> JSON:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    dom = _instance_domain(ctx, inst)
    name, link, kind = _domain_body(ctx, except_id=dom.id)
    if name != dom.name:
        dom.verified = False
    dom.name, dom.link, dom.type, dom.updated_at = name, link, kind, ctx.now
    return {"domain": render.domain(dom)}


@routes.delete("/v1/compute-instance/{instanceId}/domains/{domainId}")
def delete_instance_domain(ctx: Ctx) -> JSON:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    del ctx.state.domains[_instance_domain(ctx, inst).id]
    return {}


@routes.patch("/v1/compute-instance/{instanceId}/domains/{domainId}/verify")
def verify_instance_domain(ctx: Ctx) -> JSON:
    inst, _ = auth.instance(ctx, ctx.path("instanceId"))
    dom = _instance_domain(ctx, inst)
    verified = verify(ctx, dom)
    dom.updated_at = ctx.now
    if not verified:
        raise ApiError(400, f"Domain {dom.name} does not point at the instance yet")
    return {}
