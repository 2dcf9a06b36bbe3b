"""The namespaces are reachable from Spheron/AsyncSpheron and share the client's transport."""

from __future__ import annotations

import httpx

import spheron
from spheron import AsyncSpheron, Spheron
from spheron.resources import (
    AsyncCompute,
    AsyncDeployments,
    AsyncOrganizations,
    AsyncProjects,
    AsyncStorage,
    Compute,
    Deployments,
    Organizations,
    Projects,
    Storage,
)
from spheron_api_client.types import Unset

SCOPE = {
    "user": {"id": "u1", "username": "ada", "name": "Ada", "email": "ada@example.com"},
    "organizations": [{"id": "o1", "name": "Acme", "username": "acme"}],
}


def handler(request: httpx.Request) -> httpx.Response:
    assert request.headers["authorization"] == "Bearer wiring-token"
    if request.url.path == "/v1/api-keys/scope":
        return httpx.Response(200, json=SCOPE)
    return httpx.Response(404, json={"message": "no such thing"})


def test_sync_namespaces_are_typed_and_cached() -> None:
    with Spheron(
        token="wiring-token",
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as client:
        expected = {
            "organizations": Organizations,
            "projects": Projects,
            "deployments": Deployments,
            "storage": Storage,
            "compute": Compute,
        }
        for name, cls in expected.items():
            assert isinstance(getattr(client, name), cls)
            assert getattr(client, name) is getattr(client, name)
        scope = client.token_scope()
        assert scope.organizations[0].id == "o1"  # type: ignore[index]
        try:
            client.projects.get("missing")
        except spheron.NotFoundError as exc:
            assert exc.message.endswith("no such thing")
        else:
            raise AssertionError("expected NotFoundError")


async def test_async_namespaces_are_typed() -> None:
    async with AsyncSpheron(
        token="wiring-token",
        base_url="https://api.test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    ) as client:
        expected = {
            "organizations": AsyncOrganizations,
            "projects": AsyncProjects,
            "deployments": AsyncDeployments,
            "storage": AsyncStorage,
            "compute": AsyncCompute,
        }
        for name, cls in expected.items():
            assert isinstance(getattr(client, name), cls)
        scope = await client.token_scope()
        assert not isinstance(scope.user, Unset)
        assert scope.user.username == "ada"


def test_with_options_copy_gets_its_own_namespaces() -> None:
    client = Spheron(
        token="wiring-token",
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    copy = client.with_options(max_retries=0)
    assert copy.projects is not client.projects
    assert copy.projects._client is copy
    client.close()
