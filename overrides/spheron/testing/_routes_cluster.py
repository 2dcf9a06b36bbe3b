"""The deprecated cluster-instance routes, served by the compute-instance handlers.

A cluster is a compute project and a cluster instance a compute instance. Each route translates
the cluster-era body (one container ``configuration``, ``clusterName``, numbers as strings,
``commands`` for ``command``, partial updates) into the compute-instance body, calls the
compute handler and renames the ids of its answer: ``computeProjectId`` is ``clusterId``,
``computeInstanceId`` is ``clusterInstanceId`` and ``computeDeploymentId`` is
``clusterInstanceOrderId``.
"""

from __future__ import annotations

from typing import Any

from . import _auth as auth
from ._http import Ctx, Routes, bad_request, obj_list, opt_str
from ._routes_compute import create_from_template, create_instance
from ._routes_instances import close_instance, update_instance
from ._state import JSON, fake_hex

routes = Routes()

routes.post("/v1/cluster-instance/{instanceId}/close")(close_instance)


def _cluster_ids(answer: JSON) -> JSON:
    out = dict(answer)
    return {
        "clusterId": out.pop("computeProjectId"),
        "clusterInstanceId": out.pop("computeInstanceId"),
        "clusterInstanceOrderId": out.pop("computeDeploymentId"),
        **out,
    }


def _topic(ctx: Ctx, body: JSON) -> str:
    return opt_str(body, "uniqueTopicId") or fake_hex(f"topic:{ctx.state.new_id()}", 32)


def _object(body: JSON, key: str) -> JSON:
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request(f"{key} must be an object")
    return value


def _given(body: JSON, key: str, default: Any) -> Any:
    value = body.get(key)
    return default if value is None else value


def _health_check(body: JSON) -> JSON | None:
    """``healthCheckUrl``/``healthCheckPort`` as a service health check; empty means none."""
    path, port = body.get("healthCheckUrl"), body.get("healthCheckPort")
    if not path or port in (None, ""):
        return None
    return {"path": path, "port": port}


def _translate_specs_and_check(service: JSON, config: JSON, body: JSON) -> None:
    """Set ``config``'s ``customInstanceSpecs`` and ``body``'s health check on the compute
    ``service`` where given (both routes read the specs from where their body holds them)."""
    if config.get("customInstanceSpecs") is not None:
        service["customServiceSpecs"] = _object(config, "customInstanceSpecs")
    check = _health_check(body)
    if check is not None:
        service["healthCheck"] = check


@routes.post("/v1/cluster-instance/create")
def create_cluster_instance(ctx: Ctx) -> JSON:
    body = ctx.optional_json()
    config = _object(body, "configuration")
    image = opt_str(config, "image")
    if not image:
        raise bad_request("configuration.image is required")
    name = opt_str(body, "clusterName") or opt_str(body, "instanceName") or image.split("/")[-1]
    service: JSON = {
        "name": name,
        "image": image,
        "tag": opt_str(config, "tag") or "latest",
        "serviceCount": _given(config, "instanceCount", 1),
        "buildImage": _given(config, "buildImage", False),
        "ports": _given(config, "ports", []),
        "env": _given(config, "env", []),
        # One published action sends `commands`; the API read `command`.
        "command": _given(config, "command", _given(config, "commands", [])),
        "args": _given(config, "args", []),
        "akashMachineImageName": config.get("akashMachineImageName"),
    }
    _translate_specs_and_check(service, config, body)
    translated = {
        "organizationId": body.get("organizationId"),
        "uniqueTopicId": _topic(ctx, body),
        "region": opt_str(config, "region") or "any",
        "scalable": _given(body, "scalable", _given(config, "scalable", False)),
        "computeProvider": opt_str(config, "protocol"),
        "computeProjectName": name,
        "services": [service],
    }
    return _cluster_ids(create_instance(ctx.derive(body=translated)))


@routes.post("/v1/cluster-instance/template")
def create_cluster_instance_from_template(ctx: Ctx) -> JSON:
    """Callers paste the template's own variable list: entries without a ``value`` keep the
    template's default; ``customConfiguration`` and ``customInstanceSpecs`` are ignored."""
    body = ctx.optional_json()
    variables = obj_list(body, "environmentVariables") if "environmentVariables" in body else []
    translated = {
        **body,
        "environmentVariables": [
            {"label": v.get("label") or v.get("name"), "value": v["value"]}
            for v in variables
            if v.get("value") is not None
        ],
        "uniqueTopicId": _topic(ctx, body),
        "scalable": _given(body, "scalable", False),
    }
    return _cluster_ids(create_from_template(ctx.derive(body=translated)))


def _service_input(service: JSON) -> JSON:
    """A stored service configuration as the input it was made from."""
    out: JSON = {
        key: service[key]
        for key in ("name", "image", "tag", "serviceCount", "buildImage", "ports", "env")
    }
    out |= {
        "command": service["command"],
        "args": service["args"],
        "akashMachineImageName": service["agreedMachineImage"]["machineType"],
    }
    if "customServiceSpecs" in service:
        out["customServiceSpecs"] = service["customServiceSpecs"]
    if "healthCheck" in service:
        check = service["healthCheck"]
        out["healthCheck"] = {"path": check["path"], "port": check["port"]["containerPort"]}
    return out


@routes.patch("/v1/cluster-instance/{instanceId}/update")
def update_cluster_instance(ctx: Ctx) -> JSON:
    """A partial update of the instance's (first) container: what the body leaves out stays."""
    inst, project = auth.instance(ctx, ctx.path("instanceId"))
    body = ctx.optional_json()
    latest = ctx.state.compute_deployments[inst.deployments[-1]]
    current = [_service_input(service) for service in latest.services]
    first = current[0]
    for key in ("tag", "env", "command", "args", "akashMachineImageName"):
        first[key] = _given(body, key, first[key])
    first["serviceCount"] = _given(body, "instanceCount", first["serviceCount"])
    _translate_specs_and_check(first, body, body)
    translated = {
        "organizationId": opt_str(body, "organizationId") or project.organization_id,
        "uniqueTopicId": _topic(ctx, body),
        "services": current,
    }
    return _cluster_ids(update_instance(ctx.derive(body=translated)))
