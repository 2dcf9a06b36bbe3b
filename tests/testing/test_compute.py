"""Compute projects, instances, marketplace apps and the machine catalog."""

from __future__ import annotations

from typing import Any

import httpx

from spheron.testing import DEFAULT_COMPUTE_PROJECT_ID, DEFAULT_ORGANIZATION_ID, FakeSpheron

CP = f"/v1/compute-project/{DEFAULT_COMPUTE_PROJECT_ID}"


def service(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "web",
        "image": "nginx",
        "tag": "1.27",
        "serviceCount": 1,
        "buildImage": False,
        "ports": [{"containerPort": 80, "exposedPort": 80}],
        "env": [{"value": "MODE=prod", "isSecret": False}],
        "command": [],
        "args": [],
        "akashMachineImageName": "Ventus Nano 1",
        "healthCheck": {"path": "/healthz", "port": 80},
    }
    body.update(overrides)
    return body


def create_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "uniqueTopicId": "topic-compute",
        "services": [service()],
        "computeProvider": "akash",
        "computeProjectName": "test-compute",
        "computeProjectDescription": "",
        "scalable": False,
        "region": "us-east",
    }
    body.update(overrides)
    return body


def create(http: httpx.Client, **overrides: Any) -> dict[str, Any]:
    response = http.post("/v1/compute-instance/create", json=create_body(**overrides))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_instance_lifecycle(fake: FakeSpheron, http: httpx.Client) -> None:
    created = create(http)
    assert created["computeProjectId"] == DEFAULT_COMPUTE_PROJECT_ID  # reused by name
    assert created["topic"] == "topic-compute"
    url = f"/v1/compute-instance/{created['computeInstanceId']}"
    got = http.get(url).json()
    assert got["success"] is True and got["instance"]["state"] == "Starting"
    assert "topupReport" not in got
    assert http.post(f"{url}/exec-command", json={"command": "ls"}).status_code == 409
    fake.advance(fake.state.instance_start_seconds)
    instance = http.get(url, params={"topupReport": "y"}).json()
    assert instance["instance"]["state"] == "Active"
    assert instance["instance"]["activeDeployment"] == created["computeDeploymentId"]
    assert set(instance["topupReport"]) == {"dailyUsage", "usedTillNow"}
    assert "topupReport" not in http.get(url, params={"topupReport": "false"}).json()

    exec_result = http.post(f"{url}/exec-command", json={"command": "echo hello"}).json()
    assert exec_result == {"logs": ["hello"]}
    fake.state.exec_handler = lambda instance_id, command: [f"{instance_id}:{command}"]
    scripted = http.post(f"{url}/exec-command", json={"command": "uptime"}).json()
    assert scripted == {"logs": [f"{created['computeInstanceId']}:uptime"]}

    metrics = http.get(f"{url}/metrics", params={"service": "web"}).json()["metrics"]
    assert set(metrics) == {"cpu", "memory", "timestamp"}
    assert http.get(f"{url}/metrics", params={"service": "db"}).status_code == 400
    check = http.post(f"{url}/trigger/container-health-check", params={"topicId": "t1"}).json()
    assert check["topicId"] == "t1"
    logs = http.post(f"{url}/trigger/fetch-logs", params={"topicId": "t2"}).json()
    assert logs["topicId"] == "t2"
    health = {"healthCheckUrl": "/ready", "healthCheckPort": 8080}
    updated = http.patch(f"{url}/update/health-check", json=health).json()
    assert updated == {"message": "Health check updated", "updated": True}

    update = {
        "services": [service(tag="1.28")],
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "uniqueTopicId": "topic-update",
    }
    redeployed = http.patch(f"{url}/update", json=update).json()
    assert redeployed["computeDeploymentId"] != created["computeDeploymentId"]
    assert http.get(url).json()["instance"]["deployments"] == [
        created["computeDeploymentId"],
        redeployed["computeDeploymentId"],
    ]

    assert http.delete(url).status_code == 409  # still open
    assert http.post(f"{url}/close").json() == {"message": "Instance closed", "success": True}
    assert http.get(url).json()["instance"]["state"] == "Closed"
    assert http.post(f"{url}/close").status_code == 409
    assert http.patch(f"{url}/update", json=update).status_code == 409
    assert http.delete(url).json() == {}
    assert http.get(url).status_code == 404


def test_failed_start(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.queue_instance_outcome("Failed-start")
    created = create(http)
    fake.advance(3600)
    url = f"/v1/compute-instance/{created['computeInstanceId']}"
    assert http.get(url).json()["instance"]["state"] == "Failed-start"
    counts = http.get(f"{CP}/instances/count").json()
    assert counts == {"active": 0, "starting": 0, "failedToStart": 1, "closed": 0, "total": 1}


def test_create_validation(http: httpx.Client) -> None:
    unknown_machine = create_body(services=[service(akashMachineImageName="Mainframe")])
    assert http.post("/v1/compute-instance/create", json=unknown_machine).status_code == 400
    no_services = create_body(services=[])
    assert http.post("/v1/compute-instance/create", json=no_services).status_code == 400
    missing = create_body()
    del missing["region"]
    assert http.post("/v1/compute-instance/create", json=missing).status_code == 400


def test_new_compute_project_by_name(http: httpx.Client) -> None:
    created = create(http, computeProjectName="fresh", computeProjectDescription="new one")
    assert created["computeProjectId"] != DEFAULT_COMPUTE_PROJECT_ID
    project = http.get(f"/v1/compute-project/{created['computeProjectId']}").json()
    assert project["name"] == "fresh" and project["description"] == "new one"


def test_compute_project_views(fake: FakeSpheron, http: httpx.Client) -> None:
    first = create(http)
    create(http)
    fake.advance(86_400)
    funds = http.get(f"{CP}/funds-usage").json()
    assert funds == {"dailyUsage": 3.0, "usedTillNow": 3.0}
    listed = http.get(f"{CP}/instances").json()["extendedInstances"]
    assert len(listed) == 2 and "topupReport" not in listed[0]
    assert listed[0]["defaultDailyTopup"] == 1.5
    paged = http.get(f"{CP}/instances", params={"skip": 1, "limit": 1, "topupReport": "y"}).json()
    assert len(paged["extendedInstances"]) == 1 and "topupReport" in paged["extendedInstances"][0]
    http.post(f"/v1/compute-instance/{first['computeInstanceId']}/close")
    counts = http.get(f"{CP}/instances/count").json()
    assert counts == {"active": 1, "starting": 0, "failedToStart": 0, "closed": 1, "total": 2}

    org = {"organizationId": DEFAULT_ORGANIZATION_ID}
    org_list = http.get("/v1/compute-instance", params=org)
    assert len(org_list.json()["instances"]) == 2
    active = http.get(
        "/v1/compute-instance",
        params={
            "organizationId": DEFAULT_ORGANIZATION_ID,
            "state": "Active",
            "computeProjectId": DEFAULT_COMPUTE_PROJECT_ID,
            "skip": 0,
            "limit": 10,
        },
    ).json()["instances"]
    assert len(active) == 1
    assert http.get("/v1/compute-instance").status_code == 400

    assert http.delete(CP).status_code == 409  # one instance still open
    second = (
        listed[1]["_id"] if listed[0]["_id"] == first["computeInstanceId"] else listed[0]["_id"]
    )
    http.post(f"/v1/compute-instance/{second}/close")
    assert http.delete(CP).json() == {}
    assert http.get(CP).status_code == 404
    # Its (closed) instances went with it.
    assert http.get("/v1/compute-instance", params=org).json() == {"instances": []}
    assert http.get(f"/v1/compute-instance/{second}").status_code == 404


def test_compute_deployment_and_logs(fake: FakeSpheron, http: httpx.Client) -> None:
    created = create(http)
    url = f"/v1/compute-instance/deployment/{created['computeDeploymentId']}"
    body = http.get(url).json()
    assert body["deployment"]["status"] == "Pending"
    assert body["liveLogs"] == ["[web] pulling nginx:1.27", "[web] container started"]
    fake.advance(3600)
    deployment = http.get(url).json()["deployment"]
    assert deployment["status"] == "Deployed"
    assert deployment["services"][0]["agreedMachineImage"]["machineType"] == "Ventus Nano 1"
    assert deployment["services"][0]["healthCheck"]["port"]["containerPort"] == 80
    params: dict[str, Any] = {"from": 0, "to": 1, "logType": "instanceLogs"}
    logs = http.get(f"{url}/logs", params=params).json()
    assert logs == {
        "success": True,
        "deployment": {
            "_id": created["computeDeploymentId"],
            "logs": ["[web] pulling nginx:1.27"],
            "logsLength": 2,
        },
    }
    search: dict[str, Any] = {"from": 0, "to": 10, "logType": "logs", "search": "started"}
    assert http.get(f"{url}/logs", params=search).json()["deployment"]["logs"] == [
        "[web] container started"
    ]
    events: dict[str, Any] = {"from": 0, "to": 10, "logType": "instanceEvents"}
    assert http.get(f"{url}/logs", params=events).json()["deployment"]["logsLength"] == 1
    assert http.get(f"{url}/logs", params={"from": 0, "to": 1}).status_code == 400


def test_instance_domains(fake: FakeSpheron, http: httpx.Client) -> None:
    created = create(http)
    url = f"/v1/compute-instance/{created['computeInstanceId']}/domains"
    body = {"name": "api.example.com", "link": "https://provider.example.com", "type": "domain"}
    domain = http.post(url, json=body).json()["domain"]
    assert domain["instanceId"] == created["computeInstanceId"]
    assert http.post(url, json=body).status_code == 409
    assert [d["_id"] for d in http.get(url).json()["domains"]] == [domain["_id"]]
    patched = http.patch(f"{url}/{domain['_id']}", json={**body, "name": "api2.example.com"})
    assert patched.json()["domain"]["name"] == "api2.example.com"
    assert http.patch(f"{url}/{domain['_id']}/verify").json() == {}
    fake.state.unverifiable_domains.add("api2.example.com")
    assert http.patch(f"{url}/{domain['_id']}/verify").status_code == 400
    assert http.delete(f"{url}/{domain['_id']}").json() == {}
    assert http.delete(f"{url}/{domain['_id']}").status_code == 404


def test_marketplace_and_template_instances(fake: FakeSpheron, http: httpx.Client) -> None:
    apps = http.get("/v1/marketplace-app").json()["templates"]
    assert {a["name"] for a in apps} >= {"PostgreSQL", "Redis", "Ollama"}
    databases = http.get("/v1/marketplace-app", params={"category": "Database"}).json()
    assert {a["name"] for a in databases["templates"]} == {"PostgreSQL", "Redis"}
    categories = http.get("/v1/marketplace-app/categories").json()["categories"]
    assert categories == ["Database", "Node", "Tools", "AI"]
    postgres = next(a for a in apps if a["name"] == "PostgreSQL")
    assert http.get(f"/v1/marketplace-app/{postgres['_id']}").json() == postgres

    machines = http.get("/v1/compute-machine-image").json()
    assert machines["totalCount"] == 4
    nano = machines["akashMachineImages"][0]
    body = {
        "templateId": postgres["_id"],
        "environmentVariables": [{"label": "Password", "value": "s3cret"}],
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "akashImageId": nano["_id"],
        "region": "us-east",
        "scalable": False,
    }
    created = http.post("/v1/compute-instance/template", json=body).json()
    assert created["templateId"] == postgres["_id"] and created["template"]["name"] == "PostgreSQL"
    deployment = http.get(f"/v1/compute-instance/deployment/{created['computeDeploymentId']}")
    env = deployment.json()["deployment"]["services"][0]["env"]
    assert {"value": "POSTGRES_PASSWORD=s3cret", "isSecret": False} in env
    missing = {**body, "environmentVariables": []}
    assert http.post("/v1/compute-instance/template", json=missing).status_code == 400
    unknown = {**body, "templateId": "65c0ffffffffffffffffffff"}
    assert http.post("/v1/compute-instance/template", json=unknown).status_code == 400


def test_machine_catalog_filters(http: httpx.Client) -> None:
    gpu = http.get("/v1/compute-machine-image", params={"searchString": "gpu"}).json()
    assert [m["name"] for m in gpu["akashMachineImages"]] == ["Ventus GPU 4090"]
    assert gpu["akashMachineImages"][0]["gpu"]["model"] == "rtx4090"
    page = http.get("/v1/compute-machine-image", params={"skip": 1, "limit": 2}).json()
    assert len(page["akashMachineImages"]) == 2 and page["totalCount"] == 4
    west = http.get("/v1/compute-machine-image", params={"region": "us-west"}).json()
    assert west["totalCount"] == 3
    regions = http.get("/v1/compute-machine-image/regions").json()
    assert regions["regions"][0] == "any" and regions["totalCount"] == len(regions["regions"])


async def test_compute_over_async_transport(fake: FakeSpheron, ahttp: httpx.AsyncClient) -> None:
    created = (await ahttp.post("/v1/compute-instance/create", json=create_body())).json()
    fake.advance(60)
    url = f"/v1/compute-instance/{created['computeInstanceId']}"
    assert (await ahttp.get(url)).json()["instance"]["state"] == "Active"
