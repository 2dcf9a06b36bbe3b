"""Authentication and organization scoping."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from spheron.testing import (
    DEFAULT_BUCKET_ID,
    DEFAULT_COMPUTE_PROJECT_ID,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_PROJECT_ID,
    DEFAULT_TOKEN,
    DEFAULT_USER_ID,
    FakeSpheron,
)

ORG = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"


def test_default_token_scope(http: httpx.Client) -> None:
    body = http.get("/v1/api-keys/scope").json()
    assert body["user"]["id"] == DEFAULT_USER_ID
    assert body["organizations"] == [
        {
            "id": DEFAULT_ORGANIZATION_ID,
            "name": "Test Organization",
            "username": "test-org",
            "appType": "app",
        }
    ]
    assert DEFAULT_TOKEN == "spheron-local-test-token"


def test_missing_header_is_401(make_client: Any) -> None:
    anonymous = make_client(token=None)
    response = anonymous.get(ORG)
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


def test_non_bearer_scheme_is_401(make_client: Any) -> None:
    client = make_client(token=None, headers={"Authorization": f"Basic {DEFAULT_TOKEN}"})
    assert client.get(ORG).status_code == 401
    client = make_client(token=None, headers={"Authorization": "Bearer "})
    assert client.get(ORG).status_code == 401


def test_wrong_token_is_403(make_client: Any) -> None:
    response = make_client(token="not-a-real-token").get(ORG)
    assert response.status_code == 403
    assert response.json() == {"message": "Invalid token"}


def test_expired_token_is_403(fake: FakeSpheron, make_client: Any) -> None:
    token = fake.add_token(expired=True)
    response = make_client(token=token).get(ORG)
    assert response.status_code == 403
    assert "expired" in response.json()["message"]


def test_token_expires_on_the_fake_clock(fake: FakeSpheron, make_client: Any) -> None:
    client = make_client(token=fake.add_token(expires_in=3600))
    assert client.get(ORG).status_code == 200
    fake.advance(3600)
    assert client.get(ORG).status_code == 403


def test_revoked_token_is_403(fake: FakeSpheron, make_client: Any) -> None:
    token = fake.add_token()
    client = make_client(token=token)
    assert client.get(ORG).status_code == 200
    fake.revoke_token(token)
    assert client.get(ORG).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        ORG,
        f"{ORG}/projects",
        f"{ORG}/projects/count",
        f"{ORG}/buckets",
        f"{ORG}/compute-projects",
        f"/v1/project/{DEFAULT_PROJECT_ID}",
        f"/v1/project/{DEFAULT_PROJECT_ID}/deployments",
        f"/v1/bucket/{DEFAULT_BUCKET_ID}",
        f"/v1/bucket/{DEFAULT_BUCKET_ID}/uploads",
        f"/v1/compute-project/{DEFAULT_COMPUTE_PROJECT_ID}",
        f"/v1/compute-instance?organizationId={DEFAULT_ORGANIZATION_ID}",
    ],
)
def test_out_of_scope_token_is_403(fake: FakeSpheron, make_client: Any, path: str) -> None:
    other_org = fake.add_organization("Elsewhere")
    client = make_client(token=fake.add_token(orgs=[other_org]))
    response = client.get(path)
    assert response.status_code == 403, response.text
    assert response.json()["message"]


def test_multi_org_token(fake: FakeSpheron, make_client: Any) -> None:
    other = fake.add_organization("Second", username="second")
    client = make_client(token=fake.add_token(orgs=[DEFAULT_ORGANIZATION_ID, other]))
    scope = client.get("/v1/api-keys/scope").json()
    assert [o["id"] for o in scope["organizations"]] == [DEFAULT_ORGANIZATION_ID, other]
    assert client.get(f"/v1/organization/{other}").json()["profile"]["username"] == "second"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/project/65a0ffffffffffffffffffff",
        "/v1/deployment/65a0ffffffffffffffffffff",
        "/v1/bucket/65a0ffffffffffffffffffff",
        "/v1/upload/65a0ffffffffffffffffffff",
        "/v1/compute-project/65a0ffffffffffffffffffff",
        "/v1/compute-instance/65a0ffffffffffffffffffff",
        "/v1/marketplace-app/65a0ffffffffffffffffffff",
    ],
)
def test_unknown_ids_are_404(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 404
    assert "not found" in response.json()["message"]


def test_unknown_route_is_404_json(http: httpx.Client) -> None:
    response = http.get("/v1/definitely/not/a/route")
    assert response.status_code == 404
    assert response.json() == {"message": "Cannot GET /v1/definitely/not/a/route"}


def test_wrong_method_is_405_json(http: httpx.Client) -> None:
    response = http.delete(f"/v1/project/{DEFAULT_PROJECT_ID}")
    assert response.status_code == 405
    assert response.json()["message"]


async def test_auth_over_async_transport(fake: FakeSpheron) -> None:
    async with httpx.AsyncClient(
        transport=fake.async_transport(), base_url="http://spheron.test"
    ) as client:
        assert (await client.get(ORG)).status_code == 401
        headers = {"Authorization": "Bearer nope"}
        assert (await client.get(ORG, headers=headers)).status_code == 403
        headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
        assert (await client.get(ORG, headers=headers)).json()["_id"] == DEFAULT_ORGANIZATION_ID
