"""The embedded server accepts the lenient request shapes the document allows (issue 11).

Every exchange is validated against the pinned document with openapi-core (the ``http``
fixture), so these also check that the document admits the shapes: numbers sent as strings,
unknown keys, partial updates that send only what changes, explicit nulls, no body at all.
"""

from __future__ import annotations

from typing import Any

import httpx

from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_PROJECT_ID, FakeSpheron
from tests.testing.test_compute import create_body, service
from tests.testing.test_storage import initiate

ORG = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"
PROJECT = f"/v1/project/{DEFAULT_PROJECT_ID}"


def test_string_numbers_and_unknown_keys_create_an_instance(http: httpx.Client) -> None:
    raw = service(
        serviceCount="2",
        ports=[{"containerPort": "80", "exposedPort": "8080", "vendorPortKey": True}],
        healthCheck={"path": "/healthz", "port": "80"},
        vendorServiceKey={"nested": [1, "2"]},
    )
    body: dict[str, Any] = create_body(services=[raw]) | {"clientVersion": "porting-1.0"}
    response = http.post("/v1/compute-instance/create", json=body)
    assert response.status_code == 200, response.text
    instance = http.get(f"/v1/compute-instance/{response.json()['computeInstanceId']}")
    assert instance.status_code == 200, instance.text


def test_health_check_port_as_a_string(fake: FakeSpheron, http: httpx.Client) -> None:
    created = http.post("/v1/compute-instance/create", json=create_body()).json()
    fake.advance(fake.state.instance_start_seconds)
    url = f"/v1/compute-instance/{created['computeInstanceId']}/update/health-check"
    response = http.patch(url, json={"healthCheckUrl": "/ready", "healthCheckPort": "80"})
    assert response.status_code == 200, response.text


def test_an_update_sends_only_what_changes(http: httpx.Client) -> None:
    before = http.get(ORG).json()
    response = http.put(ORG, json={"name": "Renamed", "image": None, "vendorKey": 1})
    assert response.status_code == 200, response.text
    after = http.get(ORG).json()
    assert after["profile"]["name"] == "Renamed"
    assert after["profile"]["username"] == before["profile"]["username"]


def test_a_partial_project_configuration(http: httpx.Client) -> None:
    before = http.get(PROJECT).json()["configuration"]
    response = http.put(f"{PROJECT}/configuration", json={"buildCommand": "make site"})
    assert response.status_code == 200, response.text
    after = response.json()["configuration"]
    assert after["buildCommand"] == "make site"
    assert {k: v for k, v in after.items() if k != "buildCommand"} == {
        k: v for k, v in before.items() if k != "buildCommand"
    }


def test_finish_with_only_the_action_query(http: httpx.Client) -> None:
    upload = initiate(http)
    response = http.post(f"/v1/upload/{upload['uploadId']}/finish", params={"action": "CANCEL"})
    assert response.status_code == 200, response.text
    assert response.request.content == b""


def test_empty_filters_list_everything(http: httpx.Client) -> None:
    everything = http.get(f"{ORG}/buckets").json()
    response = http.get(f"{ORG}/buckets", params={"name": "", "state": "", "skip": "0"})
    assert response.status_code == 200, response.text
    assert response.json() == everything
