"""Site deployments on the fake clock."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from spheron.testing import (
    DEFAULT_LIMIT,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_PROJECT_ID,
    Clock,
    FakeSpheron,
)

CONFIG = {
    "buildCommand": "npm run build",
    "installCommand": "npm ci",
    "workspace": "",
    "publishDir": "build",
    "framework": "react",
    "nodeVersion": "V_16",
}


def start_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "gitUrl": "https://github.com/acme/shop",
        "repoName": "shop",
        "branch": "main",
        "protocol": "ipfs",
        "provider": "GITHUB",
        "createDefaultWebhook": True,
        "configuration": dict(CONFIG),
        "env": {"NODE_ENV": "production"},
        "uniqueTopicId": "topic-1",
    }
    body.update(overrides)
    return body


def test_start_and_follow_the_clock(fake: FakeSpheron, http: httpx.Client) -> None:
    started = http.post("/v1/deployment", json=start_body()).json()
    assert started["success"] is True and started["topic"] == "topic-1"
    dep_id, project_id = started["deploymentId"], started["projectId"]
    assert started["deployment"]["status"] == "Queued"
    assert started["deployment"]["project"]["_id"] == project_id  # populated project
    url = f"/v1/deployment/{dep_id}"

    fake.advance(fake.state.deploy_queue_seconds)
    body = http.get(url).json()
    assert body["deployment"]["status"] == "Pending"
    assert any("npm ci" in line for line in body["liveLogs"])

    fake.advance(fake.state.deploy_build_seconds)
    body = http.get(url).json()
    deployment = body["deployment"]
    assert deployment["status"] == "Deployed"
    assert deployment["sitePreview"].startswith("https://bafybei")
    assert deployment["contentHash"].startswith("bafybei")
    assert deployment["buildTime"] == fake.state.deploy_build_seconds
    assert deployment["env"] == {"NODE_ENV": "production"}
    assert [entry["log"] for entry in deployment["logs"]][-1].startswith("Deployed to https://")

    project = http.get(f"/v1/project/{project_id}").json()
    assert project["name"] == "shop" and project["url"] == "https://github.com/acme/shop"
    assert project["latestDeployment"]["_id"] == dep_id
    assert project["latestDeployment"]["project"] == project_id
    # A second start on the same repository reuses the project.
    again = http.post("/v1/deployment", json=start_body(uniqueTopicId="topic-2")).json()
    assert again["projectId"] == project_id


def test_failed_outcome(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.queue_deployment_outcome("Failed", "npm ERR! missing script: build")
    dep_id = http.post("/v1/deployment", json=start_body()).json()["deploymentId"]
    fake.advance(3600)
    deployment = http.get(f"/v1/deployment/{dep_id}").json()["deployment"]
    assert deployment["status"] == "Failed"
    assert deployment["failedMessage"] == "npm ERR! missing script: build"
    assert deployment["sitePreview"] == ""
    assert fake.deployment_status(dep_id) == "Failed"


def test_authorization_needed_then_authorize(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.queue_deployment_outcome("AuthorizationNeeded")
    dep_id = http.post("/v1/deployment", json=start_body()).json()["deploymentId"]
    fake.advance(3600)
    assert fake.deployment_status(dep_id) == "AuthorizationNeeded"
    authorized = http.post(f"/v1/deployment/{dep_id}/authorize").json()
    assert authorized["deploymentId"] == dep_id
    assert authorized["deployment"]["status"] == "Queued"
    fake.advance(3600)
    assert fake.deployment_status(dep_id) == "Deployed"
    assert http.post(f"/v1/deployment/{dep_id}/authorize").status_code == 409


def test_cancel_queued_and_running(fake: FakeSpheron, http: httpx.Client) -> None:
    queued = http.post("/v1/deployment", json=start_body()).json()["deploymentId"]
    assert http.post(f"/v1/deployment/{queued}/cancel").json() == {
        "message": "Deployment canceled",
        "canceled": True,
        "killing": False,
    }
    assert fake.deployment_status(queued) == "Canceled"

    running = http.post("/v1/deployment", json=start_body()).json()["deploymentId"]
    fake.advance(fake.state.deploy_queue_seconds + 1)
    killed = http.post(f"/v1/deployment/{running}/cancel").json()
    assert killed["killing"] is True and killed["canceled"] is False
    assert fake.deployment_status(running) == "Killing"
    assert http.post(f"/v1/deployment/{running}/cancel").status_code == 409
    fake.advance(10)
    assert fake.deployment_status(running) == "Canceled"
    assert http.post(f"/v1/deployment/{running}/cancel").status_code == 409


def test_redeploy(fake: FakeSpheron, http: httpx.Client) -> None:
    first = http.post("/v1/deployment", json=start_body()).json()
    fake.advance(3600)
    second = http.post(f"/v1/deployment/{first['deploymentId']}/redeploy").json()
    assert second["deploymentId"] != first["deploymentId"]
    assert second["projectId"] == first["projectId"]
    assert second["deployment"]["status"] == "Queued"
    assert second["deployment"]["branch"] == "main"


def test_archived_project_refuses_deployments(http: httpx.Client) -> None:
    first = http.post("/v1/deployment", json=start_body()).json()
    http.patch(f"/v1/project/{first['projectId']}/state", json={"state": "ARCHIVED"})
    assert http.post("/v1/deployment", json=start_body()).status_code == 409
    assert http.post(f"/v1/deployment/{first['deploymentId']}/redeploy").status_code == 409


@pytest.mark.parametrize(
    "change",
    [
        {"protocol": "ftp"},
        {"provider": "SVN"},
        {"createDefaultWebhook": "yes"},
        {"configuration": {"buildCommand": "x"}},
        {"gitUrl": None},
        {"env": {"A": 1}},
    ],
)
def test_start_validation(http: httpx.Client, change: dict[str, Any]) -> None:
    response = http.post("/v1/deployment", json=start_body(**change))
    assert response.status_code == 400
    assert response.json()["message"]


def test_start_in_another_organization_is_403(fake: FakeSpheron, http: httpx.Client) -> None:
    other = fake.add_organization()
    assert http.post("/v1/deployment", json=start_body(organizationId=other)).status_code == 403


def test_list_count_and_status_filter(fake: FakeSpheron, http: httpx.Client) -> None:
    for _ in range(11):
        fake.add_deployment(DEFAULT_PROJECT_ID)
        fake.advance(1)
    failed = fake.add_deployment(DEFAULT_PROJECT_ID, status="Failed")
    fake.advance(1)
    url = f"/v1/project/{DEFAULT_PROJECT_ID}/deployments"
    project_start = start_body(gitUrl="https://github.com/spheron-test/test-site")
    running = http.post("/v1/deployment", json=project_start).json()["deploymentId"]

    listed = http.get(url).json()
    assert isinstance(listed, list) and len(listed) == DEFAULT_LIMIT
    assert listed[0]["_id"] == running  # newest first
    assert listed[1]["_id"] == failed
    page = http.get(url, params={"skip": 10, "limit": 10}).json()
    assert len(page) == 3
    only_failed = http.get(url, params={"status": "Failed"}).json()
    assert [d["_id"] for d in only_failed] == [failed]
    queued = http.get(url, params={"status": "Queued", "skip": 0, "limit": 5}).json()
    assert [d["_id"] for d in queued] == [running]
    counts = http.get(f"{url}/count").json()
    assert counts == {"total": 13, "successful": 11, "failed": 1, "pending": 1}


def test_framework_suggestion(fake: FakeSpheron, http: httpx.Client) -> None:
    params = {"owner": "acme", "repo": "my-nextjs-blog", "branch": "main", "provider": "GITHUB"}
    url = "/v1/deployment/framework/suggestion"
    assert http.get(url, params=params).json() == {"suggestedFramework": "next"}
    fake.state.framework_suggestions["acme/my-nextjs-blog"] = "gatsby"
    assert http.get(url, params=params).json() == {"suggestedFramework": "gatsby"}
    plain = {**params, "repo": "landing", "root": "site"}
    assert http.get(url, params=plain).json() == {"suggestedFramework": "static"}
    assert http.get(url, params={"owner": "acme"}).status_code == 400


def test_polling_with_a_stepping_clock() -> None:
    # Clock(step=...) advances on every request, so a polling loop finishes without sleeping.
    fake = FakeSpheron(clock=Clock(step=2))
    with httpx.Client(
        transport=fake.transport(),
        base_url="http://spheron.test",
        headers={"Authorization": "Bearer spheron-local-test-token"},
    ) as client:
        dep_id = client.post("/v1/deployment", json=start_body()).json()["deploymentId"]
        statuses: list[str] = []
        while not statuses or statuses[-1] not in ("Deployed", "Failed"):
            statuses.append(client.get(f"/v1/deployment/{dep_id}").json()["deployment"]["status"])
        assert statuses[0] == "Queued" and statuses[-1] == "Deployed"
        assert "Pending" in statuses
        assert len(statuses) < 25


async def test_deployments_over_async_transport(
    fake: FakeSpheron, ahttp: httpx.AsyncClient
) -> None:
    started = (await ahttp.post("/v1/deployment", json=start_body())).json()
    fake.advance(3600)
    got = (await ahttp.get(f"/v1/deployment/{started['deploymentId']}")).json()
    assert got["deployment"]["status"] == "Deployed"


def test_framework_is_an_open_set(make_client: Any, validator: Any) -> None:
    lenient = make_client(validate=False)
    config = {**CONFIG, "framework": "remix"}
    response = lenient.post("/v1/deployment", json=start_body(configuration=config))
    assert response.status_code == 200
    assert response.json()["deployment"]["configuration"]["framework"] == "remix"
    if validator is not None:
        from tests.testing.openapi_check import RawRequest

        # The request is valid: StartDeploymentConfiguration.configuration.framework is any
        # string. The echo is not: Configuration.framework is the closed Framework enum. A
        # known document inconsistency, pinned here rather than hidden.
        validator.api.validate_request(RawRequest(response.request))
        with pytest.raises(Exception, match="'remix' is not one of"):
            validator.check(response)
