"""The fake against the pinned document, route by route, with openapi-core.

- every route the fake serves is an operation of openapi/spheron-api.yaml;
- a scripted tour gets a 2xx answer from every one of them, and each request and response is
  validated by openapi-core (``OpenAPI.validate_request`` / ``validate_response``);
- error answers (400/401/403/404) are validated against the document's error responses;
- 409 is not declared by any operation of the document; the fake uses it for conflicts, so the
  exact set of (operation, 409) pairs the tour provokes is pinned here instead of being ignored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from spheron.testing import (
    DEFAULT_BUCKET_ID,
    DEFAULT_COMPUTE_PROJECT_ID,
    DEFAULT_ENVIRONMENT_ID,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_PROJECT_ID,
    DEFAULT_TOKEN,
    FakeSpheron,
)
from tests.testing.openapi_check import (
    Validator,
    documented_operations,
    load_validator,
)

ORG = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"
PROJECT = f"/v1/project/{DEFAULT_PROJECT_ID}"
BUCKET = f"/v1/bucket/{DEFAULT_BUCKET_ID}"
CP = f"/v1/compute-project/{DEFAULT_COMPUTE_PROJECT_ID}"


@pytest.fixture(scope="module")
def fresh_validator() -> Validator:
    return load_validator()


def fake_operations(fake: FakeSpheron) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in fake.routes
        for method in (route.methods or set())
        if method != "HEAD"
    }


def test_every_route_is_documented(fresh_validator: Validator) -> None:
    served = fake_operations(FakeSpheron())
    documented = documented_operations(fresh_validator.document)
    assert served - documented == set()
    # 87 + the single-shot upload and GET initiate + subscription usage + the 13 routes the
    # evidence records call (status, profile v1/v2, wallet sign-in, cluster-instance and
    # upload-deployment legacy routes; tests/evidence/test_embedded_server.py)
    assert len(served) == 103


def test_the_document_declares_no_409(fresh_validator: Validator) -> None:
    # If this fails, the document gained 409 answers: drop the special case in openapi_check.
    declared = {
        (method, path)
        for path, item in fresh_validator.document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "409" in operation.get("responses", {})
    }
    assert declared == set()


@pytest.fixture
def tour_client(fresh_validator: Validator) -> Iterator[tuple[FakeSpheron, httpx.Client]]:
    fake = FakeSpheron()

    def check(response: httpx.Response) -> None:
        response.read()
        response.request.read()
        fresh_validator.check(response)

    with httpx.Client(
        transport=fake.transport(),
        base_url="http://spheron.test",
        headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"},
        event_hooks={"response": [check]},
    ) as client:
        yield fake, client


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def _tour_organizations(http: httpx.Client) -> None:
    ok(http.get("/v1/api-keys/scope"))
    created = ok(
        http.post("/v1/organization", json={"username": "n", "name": "N", "appType": "app"})
    )
    ok(http.get(f"/v1/organization/{created['organization']['_id']}"))
    ok(http.put(ORG, json={"name": "T", "username": "t", "image": "https://i.example.com/x.png"}))
    ok(http.get(f"{ORG}/projects", params={"skip": 0, "limit": 5, "state": "MAINTAINED"}))
    ok(http.get(f"{ORG}/projects/count", params={"state": "MAINTAINED"}))
    ok(http.get(f"{ORG}/buckets", params={"name": "test", "state": "MAINTAINED"}))
    ok(http.get(f"{ORG}/buckets/count"))
    ok(http.get(f"{ORG}/compute-projects", params={"skip": 0, "limit": 5}))
    ok(http.get(f"{ORG}/compute-projects/count"))
    ok(http.get(f"{ORG}/subscription-usage/specialization/wa-global"))


def _tour_projects(http: httpx.Client) -> None:
    ok(http.get(PROJECT))
    config = {
        "buildCommand": "b",
        "installCommand": "i",
        "workspace": "",
        "publishDir": "dist",
        "framework": "vue",
        "nodeVersion": "V_14",
    }
    ok(http.put(f"{PROJECT}/configuration", json=config))
    domain = ok(
        http.post(
            f"{PROJECT}/domains",
            json={"name": "t.example.com", "type": "domain", "link": "x", "isLatest": True},
        )
    )["domain"]
    ok(http.get(f"{PROJECT}/domains"))
    ok(http.get("/v1/project/1/domains/cdn-records"))
    ok(http.get(f"{PROJECT}/domains/{domain['_id']}"))
    ok(http.patch(f"{PROJECT}/domains/{domain['_id']}", json={"name": "u.example.com"}))
    ok(http.patch(f"{PROJECT}/domains/{domain['_id']}/verify", json={}))
    ok(http.delete(f"{PROJECT}/domains/{domain['_id']}"))
    variables = ok(
        http.post(
            f"{PROJECT}/environment-variables",
            json={"environmentVariables": [{"name": "K", "value": "v", "environments": []}]},
        )
    )["environmentVariables"]
    var_url = f"{PROJECT}/environment-variables/{variables[0]['_id']}"
    ok(
        http.put(
            var_url, json={"name": "K", "value": "w", "environments": [DEFAULT_ENVIRONMENT_ID]}
        )
    )
    ok(http.get(PROJECT))  # a project with variables, environments and domains
    ok(http.delete(var_url))
    envs = f"{PROJECT}/deployment-environments"
    ok(http.get(envs))
    env = ok(http.post(envs, json={"name": "S", "branches": ["s"], "protocol": "ipfs"}))
    env_url = f"{envs}/{env['newEnvironment']['_id']}"
    ok(http.put(env_url, json={"name": "S", "branches": ["t"], "protocol": "arweave"}))
    ok(http.patch(f"{env_url}/deactivate"))
    ok(http.patch(f"{env_url}/activate"))
    ok(http.delete(env_url))


def _tour_deployments(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.queue_deployment_outcome("AuthorizationNeeded")
    body = {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "gitUrl": "https://github.com/spheron-test/test-site",
        "repoName": "test-site",
        "branch": "main",
        "protocol": "ipfs",
        "provider": "GITHUB",
        "createDefaultWebhook": False,
        "configuration": {
            "buildCommand": "b",
            "installCommand": "i",
            "workspace": "",
            "publishDir": "dist",
            "framework": "react",
            "nodeVersion": "V_16",
        },
    }
    held = ok(http.post("/v1/deployment", json=body))["deploymentId"]
    ok(http.get(f"/v1/deployment/{held}"))
    ok(http.post(f"/v1/deployment/{held}/authorize"))
    fake.advance(3600)
    ok(http.get(f"/v1/deployment/{held}"))
    ok(http.post(f"/v1/deployment/{held}/redeploy"))
    fake.queue_deployment_outcome("Failed", "boom")
    failing = ok(http.post("/v1/deployment", json=body))["deploymentId"]
    fake.advance(3600)
    ok(http.get(f"/v1/deployment/{failing}"))
    running = ok(http.post("/v1/deployment", json=body))["deploymentId"]
    fake.advance(fake.state.deploy_queue_seconds)
    ok(http.post(f"/v1/deployment/{running}/cancel"))
    ok(http.get(f"/v1/deployment/{running}"))
    queued = ok(http.post("/v1/deployment", json=body))["deploymentId"]
    ok(http.post(f"/v1/deployment/{queued}/cancel"))
    ok(http.get(f"{PROJECT}/deployments", params={"skip": 0, "limit": 10, "status": "Deployed"}))
    ok(http.get(f"{PROJECT}/deployments"))
    ok(http.get(f"{PROJECT}/deployments/count"))
    ok(http.get(PROJECT))  # with latestDeployment
    ok(http.get(f"{ORG}/projects"))
    params = {"owner": "o", "repo": "vue-app", "branch": "main", "provider": "GITHUB", "root": "/"}
    ok(http.get("/v1/deployment/framework/suggestion", params=params))
    ok(http.patch(f"{PROJECT}/state", json={"state": "ARCHIVED"}))


def _tour_storage(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.state.upload_payload_size = 4
    query = {"protocol": "ipfs", "bucket": "test-bucket", "organization": DEFAULT_ORGANIZATION_ID}
    opened = ok(
        http.post(
            "/v1/upload/initiate",
            params={**query, "maxSize": 10_000, "create_single_use_token": "true"},
            json={},
        )
    )
    url = f"/v1/upload/{opened['uploadId']}"
    ok(http.post(f"{url}/data", files=[("files", ("./a.txt", b"aaa", "text/plain"))]))
    chunks = [
        ("chunk-0-2", ("./big.bin", b"1234", "application/octet-stream")),
        ("chunk-1-2", ("./big.bin", b"56", "application/octet-stream")),
    ]
    ok(http.post(f"{url}/data", files=chunks))
    ok(http.get(url))
    ok(http.post(f"{url}/finish", params={"action": "UPLOAD"}, json={}))
    ok(http.patch(f"{url}/unpin"))
    ok(http.patch(f"{url}/pin"))
    cancel = ok(http.post("/v1/upload/initiate", params=query, json={}))["uploadId"]
    ok(http.post(f"/v1/upload/{cancel}/finish", params={"action": "CANCEL"}, json={}))
    # From the evidence: initiate with GET and no body; the single-shot upload.
    by_get = ok(http.get("/v1/upload/initiate", params=query))
    ok(http.post(f"/v1/upload/{by_get['uploadId']}/finish", params={"action": "CANCEL"}))
    single = [("filekey", ("pack-1.pack", b"PACK", "application/octet-stream"))]
    ok(http.post("/v1/upload", params=query, files=single))
    ok(http.get(BUCKET))
    ok(http.get(f"{BUCKET}/uploads", params={"skip": 0, "limit": 10}))
    ok(http.get(f"{BUCKET}/uploads"))
    ok(http.get(f"{BUCKET}/uploads/count"))
    domain = ok(
        http.post(
            f"{BUCKET}/domains", json={"name": "b.example.com", "type": "domain", "link": "x"}
        )
    )["domain"]
    ok(http.get(f"{BUCKET}/domains"))
    ok(http.get(f"{BUCKET}/domains/{domain['_id']}"))
    ok(http.patch(f"{BUCKET}/domains/{domain['_id']}", json={"name": "c.example.com", "link": "y"}))
    ok(http.patch(f"{BUCKET}/domains/{domain['_id']}/verify", json={}))
    ok(http.delete(f"{BUCKET}/domains/{domain['_id']}"))
    record = ok(http.post(f"{BUCKET}/ipns-records", json={"uploadId": opened["uploadId"]}))
    record_url = f"{BUCKET}/ipns-records/{record['ipnsRecord']['_id']}"
    ok(http.get(f"{BUCKET}/ipns-records"))
    ok(http.get(record_url))
    ok(http.patch(record_url, json={"uploadId": opened["uploadId"]}))
    ok(http.delete(record_url))
    ok(http.patch(f"{BUCKET}/state", json={"state": "ARCHIVED"}))


def _service() -> dict[str, Any]:
    return {
        "name": "web",
        "image": "nginx",
        "tag": "1",
        "serviceCount": 1,
        "buildImage": False,
        "ports": [{"containerPort": 80, "exposedPort": 80, "global": True}],
        "env": [{"value": "A=1", "isSecret": True}],
        "command": ["nginx"],
        "args": ["-g", "daemon off;"],
        "akashMachineImageName": "Ventus Small 1",
        "customServiceSpecs": {"cpu": 2, "memory": "4Gi", "storage": "20Gi"},
        "healthCheck": {"path": "/", "port": 80},
    }


def _tour_compute(fake: FakeSpheron, http: httpx.Client) -> None:
    body = {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "uniqueTopicId": "t",
        "services": [_service()],
        "computeProvider": "akash",
        "computeProjectName": "test-compute",
        "computeProjectDescription": "d",
        "scalable": True,
        "region": "us-east",
    }
    created = ok(http.post("/v1/compute-instance/create", json=body))
    inst = f"/v1/compute-instance/{created['computeInstanceId']}"
    dep = f"/v1/compute-instance/deployment/{created['computeDeploymentId']}"
    ok(http.get(inst))
    fake.advance(3600)
    ok(http.get(inst, params={"topupReport": "y"}))
    ok(http.get(dep))
    ok(http.get(f"{dep}/logs", params={"from": 0, "to": 10, "logType": "logs", "search": "web"}))
    ok(http.post(f"{inst}/exec-command", json={"command": "echo hi"}))
    ok(http.get(f"{inst}/metrics", params={"service": "web"}))
    ok(http.post(f"{inst}/trigger/container-health-check", params={"topicId": "h"}))
    ok(http.post(f"{inst}/trigger/fetch-logs", params={"topicId": "l"}))
    ok(
        http.patch(
            f"{inst}/update/health-check", json={"healthCheckUrl": "/h", "healthCheckPort": 80}
        )
    )
    update = {
        "services": [_service()],
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "uniqueTopicId": "u",
    }
    ok(http.patch(f"{inst}/update", json=update))
    ok(http.get(dep))  # superseded deployment
    domain = ok(
        http.post(f"{inst}/domains", json={"name": "i.example.com", "link": "l", "type": "domain"})
    )["domain"]
    ok(http.get(f"{inst}/domains"))
    ok(
        http.patch(
            f"{inst}/domains/{domain['_id']}",
            json={"name": "j.example.com", "link": "l", "type": "subdomain"},
        )
    )
    ok(http.patch(f"{inst}/domains/{domain['_id']}/verify"))
    ok(http.delete(f"{inst}/domains/{domain['_id']}"))
    ok(http.get(CP))
    ok(http.get(f"{CP}/funds-usage"))
    ok(http.get(f"{CP}/instances", params={"skip": 0, "limit": 10, "topupReport": "y"}))
    ok(http.get(f"{CP}/instances/count"))
    ok(
        http.get(
            "/v1/compute-instance",
            params={"organizationId": DEFAULT_ORGANIZATION_ID, "state": "Active"},
        )
    )
    apps = ok(http.get("/v1/marketplace-app", params={"category": "AI"}))["templates"]
    ok(http.get("/v1/marketplace-app"))
    ok(http.get("/v1/marketplace-app/categories"))
    ok(http.get(f"/v1/marketplace-app/{apps[0]['_id']}"))
    machines = ok(
        http.get("/v1/compute-machine-image", params={"skip": 0, "limit": 10, "region": "us-west"})
    )
    ok(http.get("/v1/compute-machine-image/regions"))
    template = {
        "templateId": apps[0]["_id"],
        "environmentVariables": [{"label": "Model", "value": "mistral"}],
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "akashImageId": machines["akashMachineImages"][0]["_id"],
        "uniqueTopicId": "tpl",
        "region": "us-west",
        "scalable": False,
        "instanceCount": 1,
    }
    from_template = ok(http.post("/v1/compute-instance/template", json=template))
    ok(http.post(f"{inst}/close"))
    ok(http.get(f"{CP}/instances"))
    ok(http.delete(inst))
    other = f"/v1/compute-instance/{from_template['computeInstanceId']}"
    ok(http.post(f"{other}/close"))
    ok(http.delete(f"/v1/compute-project/{from_template['computeProjectId']}"))


def _tour_evidence_routes(http: httpx.Client) -> None:
    """Routes only callers outside the SDKs use (openapi/evidence/)."""
    status = http.get("/status", headers={"Authorization": ""})
    assert status.status_code == 200 and status.content == b""
    ok(http.get("/v1/profile/"))
    ok(http.get("/v2/profile"))
    ok(http.post("/v1/auth/web3/nonce", headers={"Authorization": ""}))
    siwe = {"state": "SIGNUP", "address": "0xabc", "message": "m", "signature": "0x1"}
    ok(http.get("/v1/auth/web3/callback", params=siwe, headers={"Authorization": ""}))
    cluster = {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "clusterName": "legacy",
        "clusterUrl": "nginx",
        "clusterProvider": "DOCKERHUB",
        "healthCheckUrl": "/",
        "healthCheckPort": "80",
        "uniqueTopicId": "c",
        "configuration": {
            "image": "nginx",
            "tag": "1",
            "instanceCount": 1,
            "akashMachineImageName": "Ventus Small 1",
            "ports": [{"containerPort": "80", "exposedPort": "80"}],
            "env": [],
            "command": [],
            "args": [],
            "region": "us-east",
        },
    }
    created = ok(http.post("/v1/cluster-instance/create", json=cluster))
    inst = f"/v1/cluster-instance/{created['clusterInstanceId']}"
    ok(http.patch(f"{inst}/update", json={"tag": "2", "env": [{"value": "A=", "isSecret": True}]}))
    ok(http.post(f"{inst}/close", json={}))
    apps = ok(http.get("/v1/marketplace-app"))["templates"]
    machines = ok(http.get("/v1/compute-machine-image"))["akashMachineImages"]
    template = {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "templateId": apps[0]["_id"],
        "akashImageId": machines[0]["_id"],
        "region": "us-east",
        "environmentVariables": [
            {"label": "Password", "value": "secret"},
            {"name": "POSTGRES_DB", "label": "Database", "defaultValue": "app", "required": False},
        ],
    }
    ok(http.post("/v1/cluster-instance/template", json=template))
    files = [("files", ("./index.html", b"<h1>up</h1>", "text/html"))]
    query = {"project": "site", "protocol": "ipfs", "organization": DEFAULT_ORGANIZATION_ID}
    ok(http.post("/v1/deployment/upload", params=query, files=files))
    opened = ok(
        http.post(
            "/v1/upload-deployment",
            params={**query, "create_single_deployment_token": "true"},
            json={},
        )
    )
    url = f"/v1/upload-deployment/{opened['deploymentId']}"
    ok(http.post(f"{url}/data", files=files))
    finished = ok(http.post(f"{url}/finish", params={"action": "UPLOAD"}, json={}))
    ok(http.get(f"/v1/deployment/{finished['deploymentId']}"))
    canceled = ok(http.post("/v1/upload-deployment", params=query))["deploymentId"]
    ok(http.post(f"/v1/upload-deployment/{canceled}/finish", params={"action": "CANCEL"}))


def test_tour_covers_every_route(
    tour_client: tuple[FakeSpheron, httpx.Client], fresh_validator: Validator
) -> None:
    fake, http = tour_client
    fresh_validator.seen.clear()
    _tour_organizations(http)
    _tour_projects(http)
    _tour_deployments(fake, http)
    _tour_storage(fake, http)
    _tour_compute(fake, http)
    _tour_evidence_routes(http)
    missing = fake_operations(fake) - fresh_validator.seen
    assert missing == set(), f"routes without a validated 2xx answer: {sorted(missing)}"


def test_error_answers_match_the_document(
    tour_client: tuple[FakeSpheron, httpx.Client], fresh_validator: Validator
) -> None:
    fake, http = tour_client
    other = fake.add_organization()
    outsider = fake.add_token(orgs=[other])
    assert http.get(ORG, headers={"Authorization": ""}).status_code == 401
    assert http.get(ORG, headers={"Authorization": f"Bearer {outsider}"}).status_code == 403
    assert http.get("/v1/upload/65a0ffffffffffffffffffff").status_code == 404
    assert http.post("/v1/organization", json={}).status_code == 400
    assert http.get(f"{BUCKET}/uploads", params={"limit": -1}).status_code == 400
    assert (
        http.get(
            "/v1/compute-instance/65a0ffffffffffffffffffff/metrics", params={"service": "x"}
        ).status_code
        == 404
    )


def test_conflicts_are_the_only_undocumented_status(
    tour_client: tuple[FakeSpheron, httpx.Client], fresh_validator: Validator
) -> None:
    _, http = tour_client
    fresh_validator.undocumented.clear()
    taken = {"username": "test-org", "name": "x", "appType": "app"}
    assert http.post("/v1/organization", json=taken).status_code == 409
    env = {"name": "Production", "branches": [], "protocol": "ipfs"}
    assert http.post(f"{PROJECT}/deployment-environments", json=env).status_code == 409
    query = {"protocol": "ipfs", "bucket": "test-bucket"}
    upload = ok(http.post("/v1/upload/initiate", params=query, json={}))["uploadId"]
    ok(http.post(f"/v1/upload/{upload}/finish", params={"action": "CANCEL"}, json={}))
    files = [("files", ("a", os.urandom(3), "application/octet-stream"))]
    assert http.post(f"/v1/upload/{upload}/data", files=files).status_code == 409
    assert fresh_validator.undocumented == {
        ("POST", "/v1/organization", 409),
        ("POST", "/v1/project/{projectId}/deployment-environments", 409),
        ("POST", "/v1/upload/{uploadId}/data", 409),
    }
