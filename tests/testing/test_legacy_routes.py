"""The routes only callers outside the SDKs use: public pages, the deprecated cluster-instance and
upload-deployment routes (``openapi/evidence/``). Every answer is validated against the document
by the ``http``/``make_client`` fixtures."""

from __future__ import annotations

from typing import Any

import httpx

from spheron.testing import DEFAULT_COMPUTE_PROJECT_ID, DEFAULT_ORGANIZATION_ID, FakeSpheron
from tests.testing.test_compute import create_body, service

FILES = [
    ("files", ("./index.html", b"<h1>hi</h1>", "text/html")),
    ("files", ("./js/app.js", b"run()", "text/javascript")),
]


def test_status_needs_no_token_and_profile_needs_one(make_client: Any) -> None:
    anonymous: httpx.Client = make_client(token=None)
    assert anonymous.get("/status").status_code == 200
    assert anonymous.get("/v2/profile").status_code == 401
    assert anonymous.post("/v1/auth/web3/nonce").json()["nonce"]
    assert anonymous.get("/v1/auth/web3/callback", params={"address": "0x1"}).status_code == 400


def test_single_shot_upload_deployment(fake: FakeSpheron, http: httpx.Client) -> None:
    query = (("project", "docs"), ("project", "ignored"), ("protocol", "ipfs"))
    answer = http.post("/v1/deployment/upload", params=query, files=FILES).json()
    assert fake.upload_files(answer["deploymentId"]) == {
        "index.html": b"<h1>hi</h1>",
        "js/app.js": b"run()",
    }
    project = http.get(f"/v1/project/{answer['projectId']}").json()
    assert (project["name"], project["type"]) == ("docs", "UPLOAD")
    deployment = http.get(f"/v1/deployment/{answer['deploymentId']}").json()["deployment"]
    assert deployment["status"] == "Queued"


def test_chunked_upload_deployment_with_a_single_use_token(
    fake: FakeSpheron, http: httpx.Client, make_client: Any
) -> None:
    params = {"project": "docs", "create_single_deployment_token": "true"}
    opened = http.post("/v1/upload-deployment", params=params).json()
    browser: httpx.Client = make_client(token=opened["singleDeploymentToken"])
    url = f"/v1/upload-deployment/{opened['deploymentId']}"
    assert browser.get(f"/v1/deployment/{opened['deploymentId']}").status_code == 403
    assert http.get(f"/v1/deployment/{opened['deploymentId']}").status_code == 404  # not yet
    assert browser.post(f"{url}/data", files=FILES).json() == {"uploadSize": 16}
    finished = browser.post(f"{url}/finish", params={"action": "UPLOAD"}).json()
    assert finished["deploymentId"] == opened["deploymentId"] and finished["cid"]
    assert set(fake.upload_files(opened["deploymentId"])) == {"index.html", "js/app.js"}
    assert http.get(f"/v1/deployment/{opened['deploymentId']}").status_code == 200
    # The single-use token is spent.
    assert browser.post(f"{url}/finish", params={"action": "CANCEL"}).status_code == 403


def test_cluster_update_changes_only_what_it_sends(fake: FakeSpheron, http: httpx.Client) -> None:
    created = http.post("/v1/compute-instance/create", json=create_body()).json()
    url = f"/v1/cluster-instance/{created['computeInstanceId']}"
    answer = http.patch(f"{url}/update", json={"tag": "2.0", "env": []}).json()
    assert answer["clusterInstanceId"] == created["computeInstanceId"]
    assert answer["clusterId"] == created["computeProjectId"]
    (updated,) = fake.state.compute_deployments[answer["clusterInstanceOrderId"]].services
    (before,) = fake.state.compute_deployments[created["computeDeploymentId"]].services
    assert (updated["tag"], updated["env"]) == ("2.0", [])
    for key in ("image", "ports", "command", "healthCheck", "agreedMachineImage"):
        assert updated[key] == before[key], key
    assert http.post(f"{url}/close", json={}).json()["success"] is True


def test_cluster_create_needs_an_image(http: httpx.Client) -> None:
    body = {"organizationId": DEFAULT_ORGANIZATION_ID, "configuration": {"tag": "1"}}
    response = http.post("/v1/cluster-instance/create", json=body)
    assert response.status_code == 400 and "image" in response.json()["message"]


def test_create_instance_into_an_existing_project(fake: FakeSpheron, http: httpx.Client) -> None:
    body = create_body(computeProjectId=DEFAULT_COMPUTE_PROJECT_ID, services=[service()])
    for key in ("computeProvider", "computeProjectName", "computeProjectDescription"):
        del body[key]
    del body["services"][0]["buildImage"]
    created = http.post("/v1/compute-instance/create", json=body).json()
    assert created["computeProjectId"] == DEFAULT_COMPUTE_PROJECT_ID
    other = fake.add_organization()
    elsewhere = fake.add_compute_project(other)
    body["computeProjectId"] = elsewhere
    assert http.post("/v1/compute-instance/create", json=body).status_code == 403
