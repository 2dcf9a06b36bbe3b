"""Behaviour that our generator templates put into the generated package."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from spheron_api_client import AuthenticatedClient
from spheron_api_client.api.project import get_project, list_project_deployments
from spheron_api_client.errors import ResponseValidationError, SpheronError, UnexpectedStatus
from spheron_api_client.models import DeploymentStatus, DomainApplicationType, Project

from .._complete import complete

PROJECT = {
    "_id": "p1",
    "name": "site",
    "type": "STANDARD",
    "url": "https://github.com/a/b",
    "organization": "o1",
    "state": "MAINTAINED",
    "createdAt": "2024-05-01T10:00:00Z",
    "updatedAt": "2024-05-02T10:00:00Z",
}


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url="https://api.test",
        token="decoding-test-token-7c1a",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )


def answer(status: int, body: bytes, ctype: str = "application/json") -> AuthenticatedClient:
    return client_for(
        lambda _req: httpx.Response(status, content=body, headers={"content-type": ctype})
    )


def test_unknown_keys_are_kept_in_additional_properties() -> None:
    body = json.dumps({**PROJECT, "brandNewKey": {"x": 1}}).encode()
    project = get_project.sync("p1", client=answer(200, body))
    assert isinstance(project, Project)
    assert project.name == "site"
    assert project.additional_properties["brandNewKey"] == {"x": 1}


def test_unknown_enum_values_decode_and_keep_the_raw_value() -> None:
    body = json.dumps([complete("Deployment", {"_id": "d1", "status": "Hibernating"})]).encode()
    deployments = list_project_deployments.sync("p1", client=answer(200, body))
    assert deployments is not None
    status = deployments[0].status
    assert isinstance(status, DeploymentStatus)
    assert status.value == "Hibernating" and str(status) == "Hibernating"
    assert status.is_known is False
    assert DeploymentStatus("Deployed") is DeploymentStatus.DEPLOYED
    assert DeploymentStatus.DEPLOYED.is_known is True
    assert DomainApplicationType(7).value == 7 and not DomainApplicationType(7).is_known
    with pytest.raises(ValueError):
        DeploymentStatus(42)  # type: ignore[arg-type]  # not a string: still rejected


def test_a_201_is_decoded_like_the_documented_200() -> None:
    project = get_project.sync("p1", client=answer(201, json.dumps(PROJECT).encode()))
    assert isinstance(project, Project) and project.id == "p1"


@pytest.mark.parametrize(
    ("body", "ctype", "reason"),
    [
        (b"", "application/json", "the body is empty"),
        (b'{"_id": "p1", "na', "application/json", "not valid JSON"),
        (b"<html><body>Bad gateway</body></html>", "text/html", "not valid JSON (text/html)"),
        (json.dumps({"name": "no id"}).encode(), "application/json", "required key is missing"),
        (json.dumps([1, 2]).encode(), "application/json", "does not match"),
        (json.dumps({**PROJECT, "state": 5}).encode(), "application/json", "does not match"),
    ],
)
def test_bad_2xx_bodies_raise_response_validation_error(
    body: bytes, ctype: str, reason: str
) -> None:
    with pytest.raises(ResponseValidationError) as info:
        get_project.sync("p1", client=answer(200, body, ctype))
    err = info.value
    assert isinstance(err, SpheronError)
    assert reason in str(err)
    assert "GET /v1/project/p1" in str(err)
    assert err.status_code == 200
    assert err.body == body.decode()[:1000]
    assert err.cause is not None


async def test_async_functions_raise_the_same_error() -> None:
    with pytest.raises(ResponseValidationError):
        await get_project.asyncio("p1", client=answer(200, b"<html>"))


def test_response_validation_error_truncates_huge_bodies() -> None:
    with pytest.raises(ResponseValidationError) as info:
        get_project.sync("p1", client=answer(200, b"x" * 50_000, "text/plain"))
    assert len(info.value.body) == 1000


def test_undocumented_status_raises_from_sync_and_is_returned_by_detailed() -> None:
    # `sync`/`asyncio` are typed `T` (no `| None` for a typed user to narrow): an answer that was
    # not decoded raises; `sync_detailed` still returns it as it is.
    client = client_for(lambda _r: httpx.Response(404, json={"message": "nope"}))
    with pytest.raises(UnexpectedStatus) as plain:
        get_project.sync("p1", client=client)
    assert plain.value.status_code == 404
    detailed = get_project.sync_detailed("p1", client=client)
    assert detailed.status_code == 404
    assert detailed.parsed is None
    assert asyncio.run(_async_get(client)) == 404
    strict = AuthenticatedClient(
        base_url="https://api.test",
        token="decoding-test-token-7c1a",
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.MockTransport(lambda _r: httpx.Response(404, json={}))},
    )
    with pytest.raises(UnexpectedStatus) as info:
        get_project.sync("p1", client=strict)
    assert info.value.status_code == 404


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"name": 5}, "name: expected a string, got int"),
        ({"_id": None}, "_id: expected a string, got NoneType"),
        ({"url": ["x"]}, "url: expected a string, got list"),
        ({"hookId": True}, "hookId: expected a string, got bool"),
    ],
)
def test_wrong_scalar_types_raise_response_validation_error(
    patch: dict[str, object], field: str
) -> None:
    body = json.dumps({**PROJECT, **patch}).encode()
    with pytest.raises(ResponseValidationError) as info:
        get_project.sync("p1", client=answer(200, body))
    assert field in str(info.value)


@pytest.mark.parametrize("project", [42, {}, [], True])
def test_a_union_rejects_values_that_fit_none_of_its_members(project: object) -> None:
    # an id or a Project
    body = json.dumps([{**complete("Deployment", {"_id": "d1"}), "project": project}]).encode()
    with pytest.raises(ResponseValidationError):
        list_project_deployments.sync("p1", client=answer(200, body))


def test_numbers_booleans_and_string_lists_are_checked() -> None:
    from spheron_api_client.api.project import count_project_deployments
    from spheron_api_client.models import Organization

    ok = {"total": 3, "successful": 1, "failed": 1, "pending": 1}
    counts = count_project_deployments.sync("p1", client=answer(200, json.dumps(ok).encode()))
    assert counts is not None and counts.total == 3
    bad = {**ok, "total": "3"}
    with pytest.raises(ResponseValidationError, match="total: expected an integer, got str"):
        count_project_deployments.sync("p1", client=answer(200, json.dumps(bad).encode()))
    org = {"_id": "o1", "profile": {"name": "n", "username": "u"}, "registries": ["a", 2]}
    with pytest.raises(TypeError, match="registries_item: expected a string, got int"):
        Organization.from_dict(org)
    with pytest.raises(TypeError, match="overdue: expected a boolean, got str"):
        Organization.from_dict({**org, "registries": [], "overdue": "no"})
    assert Organization.from_dict({**org, "registries": [], "overdue": False}).overdue is False


async def _async_get(client: AuthenticatedClient) -> int:
    with pytest.raises(UnexpectedStatus) as info:
        await get_project.asyncio("p1", client=client)
    return info.value.status_code
