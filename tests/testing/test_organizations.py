"""Organizations and the per-organization lists, with and without skip/limit."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from spheron.testing import (
    DEFAULT_BUCKET_ID,
    DEFAULT_COMPUTE_PROJECT_ID,
    DEFAULT_LIMIT,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_PROJECT_ID,
    DEFAULT_USER_ID,
    FakeSpheron,
)

ORG = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"


def test_get_organization(http: httpx.Client) -> None:
    org = http.get(ORG).json()
    assert org["_id"] == DEFAULT_ORGANIZATION_ID
    assert org["profile"] == {"name": "Test Organization", "image": "", "username": "test-org"}
    assert org["users"] == [DEFAULT_USER_ID]
    assert org["appType"] == "app"
    assert org["createdAt"] == "2024-06-01T12:00:00.000Z"


def test_create_organization(http: httpx.Client) -> None:
    body = {"username": "acme", "name": "Acme", "appType": "storage"}
    created = http.post("/v1/organization", json=body).json()
    assert created["success"] is True
    org = created["organization"]
    assert org["profile"]["username"] == "acme" and org["appType"] == "storage"
    # The creator's token reaches the new organization right away.
    assert http.get(f"/v1/organization/{org['_id']}").status_code == 200
    scope = http.get("/v1/api-keys/scope").json()
    assert org["_id"] in [o["id"] for o in scope["organizations"]]


def test_create_organization_conflict_and_validation(http: httpx.Client) -> None:
    taken = {"username": "test-org", "name": "Copy", "appType": "app"}
    assert http.post("/v1/organization", json=taken).status_code == 409
    assert http.post("/v1/organization", json={"name": "x"}).status_code == 400
    bad = {"username": "u", "name": "n", "appType": "nope"}
    assert http.post("/v1/organization", json=bad).status_code == 400
    assert http.post("/v1/organization", content=b"{not json").status_code == 400


def test_update_organization(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.advance(60)
    body = {"name": "Renamed", "username": "renamed", "image": "https://img.example.com/a.png"}
    org = http.put(ORG, json=body).json()
    assert org["profile"] == {"name": "Renamed", "username": "renamed", "image": body["image"]}
    assert org["updatedAt"] == "2024-06-01T12:01:00.000Z"
    fake.add_organization("Other", username="other")
    clash = {"name": "x", "username": "other", "image": ""}
    assert http.put(ORG, json=clash).status_code == 409
    # A partial update (issue 11) changes what it sends and keeps the rest; a wrong type is 400.
    partial = http.put(ORG, json={"name": "only"})
    assert partial.status_code == 200, partial.text
    assert partial.json()["profile"]["username"] == "renamed"
    assert http.put(ORG, json={"name": 5}).status_code == 400


def test_projects_list_and_count(fake: FakeSpheron, http: httpx.Client) -> None:
    ids = [DEFAULT_PROJECT_ID] + [fake.add_project(name=f"site-{i}") for i in range(12)]
    # Without skip/limit (early clients): the default page.
    page = http.get(f"{ORG}/projects").json()["projects"]
    assert [p["_id"] for p in page] == ids[:DEFAULT_LIMIT]
    # With skip/limit (the SDK).
    page = http.get(f"{ORG}/projects", params={"skip": 10, "limit": 5}).json()["projects"]
    assert [p["_id"] for p in page] == ids[10:]
    everything = http.get(f"{ORG}/projects", params={"limit": 0}).json()["projects"]
    assert len(everything) == 13
    assert http.get(f"{ORG}/projects/count").json() == {"count": 13}


def test_empty_filters_count_as_absent(make_client: Any) -> None:
    # The SDK sends unused filters empty (`state=`); the document's enum does not allow "", so
    # this request is outside the document on purpose and goes through an unvalidated client.
    lenient = make_client(validate=False)
    assert lenient.get(f"{ORG}/projects/count", params={"state": ""}).json() == {"count": 1}
    params = {"state": "", "name": ""}
    assert lenient.get(f"{ORG}/buckets/count", params=params).json() == {"count": 1}


def test_projects_state_filter(http: httpx.Client) -> None:
    http.patch(f"/v1/project/{DEFAULT_PROJECT_ID}/state", json={"state": "ARCHIVED"})
    archived = http.get(f"{ORG}/projects", params={"state": "ARCHIVED"}).json()["projects"]
    assert [p["_id"] for p in archived] == [DEFAULT_PROJECT_ID]
    maintained = http.get(f"{ORG}/projects/count", params={"state": "MAINTAINED"}).json()
    assert maintained == {"count": 0}


@pytest.mark.parametrize("params", [{"skip": -1}, {"limit": "ten"}, {"state": "GONE"}])
def test_bad_list_parameters_are_400(http: httpx.Client, params: dict[str, Any]) -> None:
    response = http.get(f"{ORG}/projects", params=params)
    assert response.status_code == 400
    assert response.json()["message"]


def test_buckets_list_and_count(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.add_bucket(name="photos")
    fake.add_bucket(name="photos-archive")
    buckets = http.get(f"{ORG}/buckets").json()["buckets"]
    assert [b["name"] for b in buckets] == ["test-bucket", "photos", "photos-archive"]
    assert buckets[0] == {
        "_id": DEFAULT_BUCKET_ID,
        "name": "test-bucket",
        "organization": DEFAULT_ORGANIZATION_ID,
        "createdBy": DEFAULT_USER_ID,
        "state": "MAINTAINED",
    }
    named = http.get(f"{ORG}/buckets", params={"name": "photos", "skip": 1, "limit": 1}).json()
    assert [b["name"] for b in named["buckets"]] == ["photos-archive"]
    assert http.get(f"{ORG}/buckets/count", params={"name": "photos"}).json() == {"count": 2}
    params = {"state": "ARCHIVED"}
    assert http.get(f"{ORG}/buckets/count", params=params).json() == {"count": 0}


def test_compute_projects_list_and_count(fake: FakeSpheron, http: httpx.Client) -> None:
    second = fake.add_compute_project(name="gpu")
    listed = http.get(f"{ORG}/compute-projects").json()["computeProjects"]
    assert [p["_id"] for p in listed] == [DEFAULT_COMPUTE_PROJECT_ID, second]
    paged = http.get(f"{ORG}/compute-projects", params={"skip": 1, "limit": 10}).json()
    assert [p["name"] for p in paged["computeProjects"]] == ["gpu"]
    assert http.get(f"{ORG}/compute-projects/count").json() == {"count": 2}


def test_subscription_usage_counts_what_the_organization_holds(
    fake: FakeSpheron, http: httpx.Client
) -> None:
    url = f"{ORG}/subscription-usage/specialization/wa-global"
    empty = http.get(url).json()["usage"]
    assert empty["usedStorageIPFS"] == 0
    assert empty["usedDeploymentsPerDay"] == 0
    assert empty["usedEnvironments"] == 1  # the seeded project's Production environment
    assert empty["storageIPFSLimit"] == 10 * 1024**3
    assert "lastDeploymentDate" not in empty

    fake.add_upload(files={"a.txt": b"12345", "b.txt": b"678"})
    fake.add_deployment(DEFAULT_PROJECT_ID)
    usage = http.get(url).json()["usage"]
    assert usage["usedStorageIPFS"] == 8
    assert usage["usedDeploymentsPerDay"] == 1
    assert usage["usedBuildExecution"] == 1  # the seeded deployment built for 1 second
    assert usage["lastDeploymentDate"] == "2024-06-01T12:00:00.000Z"
    assert http.get(f"{ORG}/subscription-usage/specialization/storage").status_code == 200


def test_subscription_usage_rejects_unknown_products_and_organizations(
    fake: FakeSpheron, http: httpx.Client
) -> None:
    assert http.get(f"{ORG}/subscription-usage/specialization/gpu").status_code == 400
    other = fake.add_organization()
    url = f"/v1/organization/{other}/subscription-usage/specialization/wa-global"
    assert http.get(url).status_code == 403
