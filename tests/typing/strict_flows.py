"""A strict-typing user's common flows, written with zero narrowings.

No ``isinstance``, no ``assert x is not None``, no ``cast``: every value these flows read is
annotated with the plain type a caller expects, so ``mypy --strict`` fails here if a field the
API always returns regresses to ``str | Unset`` or ``str | None``
(``tests/typing/test_strict_flows.py`` type-checks this file and runs it against the embedded
server).
"""

from __future__ import annotations

from pathlib import Path

from spheron import AsyncSpheron, Spheron
from spheron_api_client.models import DeploymentStatus, InstanceState, ProjectState


def create_wait_read_status(client: Spheron) -> tuple[str, str, DeploymentStatus]:
    """create → wait → read status."""
    started = client.deployments.create(
        git_url="https://github.com/acme/site",
        repo_name="site",
        branch="main",
        protocol="ipfs",
        provider="GITHUB",
        configuration={
            "buildCommand": "npm run build",
            "installCommand": "npm ci",
            "workspace": "",
            "publishDir": "build",
            "framework": "react",
            "nodeVersion": "V_16",
        },
    )
    deployment_id: str = started.deployment_id
    project_id: str = started.project_id
    done = client.deployments.wait(deployment_id, timeout=600, poll_interval=5)
    status: DeploymentStatus = done.status
    return deployment_id, project_id, status


def list_projects(client: Spheron) -> list[tuple[str, str, ProjectState]]:
    """list projects → read name and id."""
    found: list[tuple[str, str, ProjectState]] = []
    for project in client.organizations.list_projects():
        project_id: str = project.id
        name: str = project.name
        state: ProjectState = project.state
        found.append((project_id, name, state))
    return found


def upload(client: Spheron, path: Path, bucket: str) -> tuple[str, str, str]:
    """upload → read cid and link."""
    result = client.storage.upload(path, bucket=bucket, protocol="ipfs")
    cid: str = result.cid
    link: str = result.protocol_link
    upload_id: str = result.upload_id
    return cid, link, upload_id


def instance_state(client: Spheron) -> tuple[str, InstanceState]:
    """start an instance, get it → read state."""
    created = client.compute.instances.create(
        services=[
            {
                "name": "web",
                "image": "nginx",
                "tag": "latest",
                "serviceCount": 1,
                "buildImage": False,
                "ports": [{"containerPort": 80, "exposedPort": 80}],
                "env": [],
                "command": [],
                "args": [],
                "akashMachineImageName": "Ventus Nano 1",
            }
        ],
        compute_project_name="typing-flow",
        region="any",
        scalable=False,
    )
    instance_id: str = created.compute_instance_id
    instance = client.compute.instances.get(instance_id)
    state: InstanceState = instance.state
    name: str = instance.name
    return name, state


async def bucket_names(client: AsyncSpheron) -> list[tuple[str, str]]:
    """async iteration of buckets → read id and name."""
    found: list[tuple[str, str]] = []
    async for bucket in client.organizations.list_buckets():
        bucket_id: str = bucket.id
        name: str = bucket.name
        found.append((bucket_id, name))
    return found
