"""``compute instances`` and ``compute marketplace`` against the embedded server."""

from __future__ import annotations

import json
from pathlib import Path

from spheron.testing import FakeSpheron
from tests.cli.conftest import Cli


def test_marketplace_and_machines(cli: Cli) -> None:
    apps = cli.json("compute", "marketplace", "list")
    assert "PostgreSQL" in [a["name"] for a in apps]
    databases = cli.json("compute", "marketplace", "list", "--category", "Database")
    assert {a["metadata"]["category"] for a in databases} == {"Database"}
    assert "Redis" in cli("compute", "marketplace", "list").stdout
    machines = cli.json("compute", "machines", "list")
    assert "Ventus Nano 1" in [m["name"] for m in machines]


def test_instance_lifecycle(cli: Cli, fake: FakeSpheron, tmp_path: Path) -> None:
    created = cli(
        "--json", "compute", "instances", "create", "--name", "web", "--image", "nginx",
        "--tag", "1.27", "--port", "80", "--port", "8443:443", "--env", "MODE=prod",
        "--secret-env", "PASSWORD=hunter22", "--wait", "--poll-interval", "0.05",
    )  # fmt: skip
    instance = created.json()
    assert instance["state"] == "Active" and instance["name"] == "nginx"
    assert "Starting -> Active" in created.stderr
    assert "hunter22" not in created.stdout + created.stderr
    ident = instance["_id"]
    with fake.state.lock:
        services = fake.state.compute_deployments[
            fake.state.instances[ident].deployments[-1]
        ].services
    assert services[0]["ports"] == [
        {"containerPort": 80, "exposedPort": 80},
        {"containerPort": 8443, "exposedPort": 443},
    ]
    assert services[0]["env"][1] == {"value": "PASSWORD=hunter22", "isSecret": True}

    listed = cli.json("compute", "instances", "list")
    assert ident in [i["_id"] for i in listed]
    assert cli.json("compute", "instances", "get", "nginx")["_id"] == ident  # by name
    assert "Active" in cli("compute", "instances", "list", "--state", "Active").stdout
    logs = cli("compute", "instances", "logs", ident).stdout.splitlines()
    assert logs == ["[nginx] pulling nginx:1.27", "[nginx] container started"]
    events = cli.json("compute", "instances", "logs", ident, "--type", "instanceEvents")
    assert events["logs"] == ["Scheduled service nginx"]

    service_file = tmp_path / "services.json"
    service_file.write_text(
        json.dumps(
            {
                "name": "nginx",
                "image": "nginx",
                "tag": "1.28",
                "serviceCount": 1,
                "buildImage": False,
                "ports": [],
                "env": [],
                "command": [],
                "args": [],
                "akashMachineImageName": "Ventus Small 1",
            }
        )
    )
    updated = cli.json("compute", "instances", "update", ident, "--service-file", str(service_file))
    assert updated["computeInstanceId"] == ident
    assert (
        cli.json("compute", "instances", "get", ident)["activeDeployment"]
        == (updated["computeDeploymentId"])
    )
    assert "1.28" in cli("compute", "instances", "logs", ident).stdout

    assert cli.json("compute", "instances", "close", ident)["success"] is True
    closed = cli("compute", "instances", "wait", ident, code=1)
    assert "it is Closed" in closed.stderr
    assert "409" in cli("compute", "instances", "close", ident, code=1).stderr


def test_an_instance_that_fails_to_start_exits_1(cli: Cli, fake: FakeSpheron) -> None:
    fake.queue_instance_outcome("Failed-start")
    result = cli.json(
        "compute", "instances", "create", "--name", "broken", "--image", "redis",
        "--wait", "--poll-interval", "0.05", code=1,
    )  # fmt: skip
    assert result["error"]["status"] == "Failed-start"


def test_compute_usage_errors(cli: Cli, tmp_path: Path) -> None:
    assert "--image" in cli("compute", "instances", "create", "--name", "x", code=2).stderr
    bad = cli(
        "compute", "instances", "create", "--name", "x", "--image", "a", "--port", "http", code=2
    )
    assert "CONTAINER[:EXPOSED]" in bad.stderr
    (tmp_path / "bad.json").write_text("{not json")
    cli(
        "compute",
        "instances",
        "update",
        "x" * 24,
        "--service-file",
        str(tmp_path / "bad.json"),
        code=2,
    )
    assert "no compute instance named" in cli("compute", "instances", "get", "ghost", code=4).stderr
