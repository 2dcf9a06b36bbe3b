"""Compute: ``compute instances`` and ``compute marketplace``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ._app import EXIT_USAGE, AppState, fail, pass_state
from ._live import live_status
from ._options import interval_option, timeout_option
from ._output import text
from ._refs import instance_id

DEFAULT_MACHINE = "Ventus Nano 1"


@click.group()
def compute() -> None:
    """Compute instances and the marketplace."""


@compute.group()
def instances() -> None:
    """Compute instances."""


def _port(value: str) -> dict[str, Any]:
    container, _, exposed = value.partition(":")
    try:
        return {"containerPort": int(container), "exposedPort": int(exposed or container)}
    except ValueError:
        fail(f"--port takes CONTAINER[:EXPOSED] numbers, got {value!r}", EXIT_USAGE)


def _services(
    *,
    service_file: Path | None,
    image: str | None,
    tag: str,
    service_name: str | None,
    machine: str,
    ports: tuple[str, ...],
    env: tuple[str, ...],
    secret_env: tuple[str, ...],
    command: tuple[str, ...],
    replicas: int,
) -> list[dict[str, Any]]:
    if service_file is not None:
        try:
            loaded = json.loads(service_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            fail(f"{service_file} is not JSON: {exc}", EXIT_USAGE)
        services = loaded if isinstance(loaded, list) else [loaded]
        if not all(isinstance(s, dict) for s in services):
            fail(f"{service_file} must hold a service object or a list of them", EXIT_USAGE)
        return services
    if not image:
        fail("give --image (or --service-file with the services as JSON)", EXIT_USAGE)
    for pair in (*env, *secret_env):
        if "=" not in pair:
            fail(f"--env takes NAME=VALUE, got {pair.split('=')[0]!r}", EXIT_USAGE)
    return [
        {
            "name": service_name or image.rsplit("/", 1)[-1],
            "image": image,
            "tag": tag,
            "serviceCount": replicas,
            "buildImage": False,
            "ports": [_port(p) for p in ports],
            "env": [{"value": v, "isSecret": False} for v in env]
            + [{"value": v, "isSecret": True} for v in secret_env],
            "command": list(command),
            "args": [],
            "akashMachineImageName": machine,
        }
    ]


def service_options(func: Any) -> Any:
    options = [
        click.option(
            "--service-file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Services as JSON (the API's ComputeServiceConfigurationDTO, one or a list).",
        ),
        click.option("--image", help="Container image, e.g. nginx."),
        click.option("--tag", default="latest", show_default=True),
        click.option("--service-name", help="Service name (default: the image's name)."),
        click.option(
            "--machine", default=DEFAULT_MACHINE, show_default=True, help="Machine plan name."
        ),
        click.option("--port", "ports", multiple=True, help="CONTAINER[:EXPOSED]; repeatable."),
        click.option("--env", "env", multiple=True, help="NAME=VALUE; repeatable."),
        click.option("--secret-env", multiple=True, help="NAME=VALUE marked secret; repeatable."),
        click.option("--command", "command", multiple=True, help="Container command; repeatable."),
        click.option("--replicas", type=click.IntRange(min=1), default=1, show_default=True),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _instance_rows(found: list[Any]) -> list[tuple[object, ...]]:
    return [(i.id, i.name, i.state, i.region, i.type_, i.compute_project) for i in found]


@instances.command("list")
@click.option("--state", "instance_state", default=None, help="Only instances in this state.")
@click.option("--compute-project", default=None, help="Only this compute project's instances.")
@click.option("--limit", type=click.IntRange(min=1), default=None)
@pass_state
def instances_list(
    state: AppState, instance_state: str | None, compute_project: str | None, limit: int | None
) -> None:
    """The organization's compute instances."""
    found = list(
        state.client().compute.instances.list(
            state=instance_state, compute_project_id=compute_project, limit=limit
        )
    )
    state.output.result(
        found,
        lambda: state.output.table(
            ["ID", "NAME", "STATE", "REGION", "TYPE", "COMPUTE PROJECT"],
            _instance_rows(found),
            empty="no compute instances",
        ),
    )


@instances.command("get")
@click.argument("instance")
@pass_state
def instances_get(state: AppState, instance: str) -> None:
    """One instance, by id or name."""
    found = state.client().compute.instances.get(instance_id(state, instance))
    state.output.result(
        found,
        lambda: state.output.fields(
            [
                ("id", found.id),
                ("name", found.name),
                ("state", found.state),
                ("region", found.region),
                ("type", found.type_),
                ("compute project", found.compute_project),
                ("active deployment", found.active_deployment),
                ("created", found.created_at),
            ]
        ),
    )


def _wait_ready(state: AppState, ident: str, timeout: float, poll_interval: float) -> Any:
    with live_status(state, f"compute instance {ident}") as on_update:
        return state.client().compute.instances.wait(
            ident, timeout=timeout, poll_interval=poll_interval, on_update=on_update
        )


@instances.command("create")
@click.option("--name", required=True, help="Compute project name (created if missing).")
@click.option("--region", default="any", show_default=True)
@click.option("--scalable/--spot", default=True, show_default=True, help="On-demand or spot.")
@service_options
@click.option("--wait", "wait_", is_flag=True, help="Wait until the instance is Active.")
@timeout_option
@interval_option
@pass_state
def instances_create(
    state: AppState,
    /,
    name: str,
    region: str,
    scalable: bool,
    wait_: bool,
    timeout: float,
    poll_interval: float,
    **service: Any,
) -> None:
    """Start an instance running one service (or the services of --service-file)."""
    services = _services(**service)
    started = state.client().compute.instances.create(
        services=services, compute_project_name=name, region=region, scalable=scalable
    )
    ident = text(started.compute_instance_id)
    if not wait_:
        state.output.result(started, lambda: state.output.line(f"started compute instance {ident}"))
        return
    state.output.note(f"started compute instance {ident}")
    found = _wait_ready(state, ident, timeout, poll_interval)
    state.output.result(found, lambda: state.output.line(f"{ident} {text(found.state)}"))


@instances.command("update")
@click.argument("instance")
@service_options
@pass_state
def instances_update(state: AppState, /, instance: str, **service: Any) -> None:
    """Redeploy an instance with new service settings."""
    services = _services(**service)  # usage errors before any request
    ident = instance_id(state, instance)
    answer = state.client().compute.instances.update(ident, services=services)
    state.output.result(
        answer,
        lambda: state.output.line(
            f"updated compute instance {ident} (deployment {text(answer.compute_deployment_id)})"
        ),
    )


@instances.command("close")
@click.argument("instance")
@pass_state
def instances_close(state: AppState, instance: str) -> None:
    """Stop an instance (its lease ends)."""
    ident = instance_id(state, instance)
    answer = state.client().compute.instances.close(ident)
    state.output.result(answer, lambda: state.output.line(f"closed compute instance {ident}"))


@instances.command("logs")
@click.argument("instance")
@click.option(
    "--type",
    "log_type",
    type=click.Choice(["logs", "instanceLogs", "instanceEvents"]),
    default="instanceLogs",
    show_default=True,
)
@click.option("--tail", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--search", default=None, help="Only lines containing this text.")
@pass_state
def instances_logs(
    state: AppState, instance: str, log_type: str, tail: int, search: str | None
) -> None:
    """The logs of an instance's active deployment."""
    client = state.client()
    found = client.compute.instances.get(instance_id(state, instance))
    deployment = found.active_deployment
    if not deployment:
        fail(f"compute instance {found.id} has no active deployment", EXIT_USAGE)
    logs = client.compute.instances.logs(
        deployment, log_type=log_type, start=0, end=tail, search=search
    )
    lines = [] if logs.logs is None else list(logs.logs)
    for line in lines:
        state.output.line(line)
    state.output.result({"instanceId": found.id, "deploymentId": deployment, "logs": lines})


@instances.command("wait")
@click.argument("instance")
@timeout_option
@interval_option
@pass_state
def instances_wait(state: AppState, instance: str, timeout: float, poll_interval: float) -> None:
    """Wait until an instance is Active; exit 1 if it fails to start."""
    ident = instance_id(state, instance)
    found = _wait_ready(state, ident, timeout, poll_interval)
    state.output.result(found, lambda: state.output.line(f"{ident} {text(found.state)}"))


@compute.group()
def marketplace() -> None:
    """Marketplace apps (templates) for compute instances."""


@marketplace.command("list")
@click.option("--category", default=None)
@pass_state
def marketplace_list(state: AppState, category: str | None) -> None:
    """Marketplace apps."""
    found = state.client().compute.marketplace.list(category=category)

    def category_of(app: Any) -> str:
        return text(getattr(app.metadata, "category", ""))

    state.output.result(
        found,
        lambda: state.output.table(
            ["ID", "NAME", "CATEGORY"],
            [(a.id, a.name, category_of(a)) for a in found],
            empty="no marketplace apps",
        ),
    )


@compute.group()
def machines() -> None:
    """Machine plans."""


@machines.command("list")
@click.option("--region", default=None)
@pass_state
def machines_list(state: AppState, region: str | None) -> None:
    """Machine plans and their prices."""
    found = list(state.client().compute.machine_images.list(region=region))
    state.output.result(
        found,
        lambda: state.output.table(
            ["ID", "NAME", "CPU", "MEMORY", "STORAGE", "DAILY"],
            [(m.id, m.name, m.cpu, m.memory, m.storage, m.default_daily_top_up) for m in found],
            empty="no machine plans",
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(compute)
