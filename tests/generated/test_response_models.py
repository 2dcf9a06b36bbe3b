"""Response models: required fields are plain, optional ones read None, `.id`, short reprs.

The rule (document `required` + `x-spheron-response`, see openapi/templates/README.md): a field
the API always returns is required and typed plainly; any other field of a response model is
`T | None` and reads None when absent. Request models keep `Unset` to tell "leave out" from
"send null".
"""

from __future__ import annotations

import datetime
import json
import warnings

import httpx
import pytest

from spheron_api_client import AuthenticatedClient
from spheron_api_client.api.project import get_project
from spheron_api_client.errors import ResponseValidationError
from spheron_api_client.models import (
    Credentials,
    Deployment,
    DeploymentStatus,
    EnvironmentVariable,
    PinStatus,
    Project,
    ProjectState,
    UpdateOrganizationBody,
    VerifiedTokenResponse,
)
from spheron_api_client.types import UNSET

from .._complete import complete

FULL_PROJECT = {
    "_id": "p1",
    "name": "site",
    "organization": "o1",
    "state": "MAINTAINED",
    "createdAt": "2024-05-01T10:00:00+00:00",
    "updatedAt": "2024-05-02T10:00:00+00:00",
    "url": "https://github.com/a/b",
    "provider": "GITHUB",
    "configuration": {"buildCommand": "npm run build", "framework": "react"},
    "domains": [{"_id": "dom-1", "name": "a.example", "type": "domain", "verified": True}],
    "brandNewKey": {"x": [1, 2]},
}


def client_for(status: int, body: object) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url="https://api.test",
        token="response-models-token-91c",
        httpx_args={"transport": httpx.MockTransport(lambda _r: httpx.Response(status, json=body))},
    )


def test_required_fields_are_plain_and_optional_ones_read_none() -> None:
    project = Project.from_dict({k: v for k, v in FULL_PROJECT.items() if k != "url"})
    assert project.id == "p1" and project.name == "site"
    assert project.state is ProjectState.MAINTAINED
    assert project.created_at == datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.timezone.utc)
    assert project.url is None  # absent: None, not Unset
    assert project.hook_id is None
    assert project.latest_deployment is None


def test_an_explicit_null_reads_none_like_an_absent_key() -> None:
    status = PinStatus.from_dict({"cid": "bafy", "metadata": None, "name": None})
    assert status.metadata is None and status.name is None
    # to_dict writes back an explicit null where the document allows null (`metadata`), and
    # leaves out a None it does not (`name`, and every absent key).
    assert status.to_dict() == {"cid": "bafy", "metadata": None}
    assert PinStatus.from_dict({"cid": "bafy"}).to_dict() == {"cid": "bafy"}


def test_to_dict_round_trips_and_keeps_absent_fields_absent() -> None:
    body = FULL_PROJECT
    assert Project.from_dict(body).to_dict() == body
    times = {k: FULL_PROJECT[k] for k in ("createdAt", "updatedAt")}
    minimal = complete("Project", {"_id": "p2", **times})
    out = Project.from_dict(minimal).to_dict()
    assert out == minimal
    assert "url" not in out and "latestDeployment" not in out


@pytest.mark.parametrize("missing", ["_id", "name", "organization", "state", "createdAt"])
def test_a_2xx_body_without_a_required_key_raises(missing: str) -> None:
    body = {k: v for k, v in FULL_PROJECT.items() if k != missing}
    with pytest.raises(ResponseValidationError, match=f"a required key is missing: '{missing}'"):
        get_project.sync("p1", client=client_for(200, body))


def test_unknown_keys_and_enum_values_still_decode() -> None:
    body = {**FULL_PROJECT, "state": "FROZEN", "provider": "SOURCEHUT"}
    project = get_project.sync("p1", client=client_for(200, body))
    assert isinstance(project, Project)
    assert project.state.value == "FROZEN" and not project.state.is_known
    assert project.provider is not None and project.provider.value == "SOURCEHUT"
    assert project.additional_properties == {"brandNewKey": {"x": [1, 2]}}
    assert project.to_dict()["state"] == "FROZEN"


def test_request_models_keep_unset_to_tell_omit_from_null() -> None:
    body = UpdateOrganizationBody(name=None)
    assert body.username is UNSET
    assert body.to_dict() == {"name": None}


def test_id_reads_the_wire_key_and_field_id_is_a_deprecated_alias() -> None:
    project = Project.from_dict(FULL_PROJECT)
    assert project.to_dict()["_id"] == "p1" and "id" not in project.to_dict()
    with pytest.warns(DeprecationWarning, match=r"Project\.field_id is deprecated; use \.id"):
        assert project.field_id == "p1"
    with pytest.warns(DeprecationWarning):
        project.field_id = "p9"
    assert project.id == "p9"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert project.id == "p9"  # the new name does not warn


def test_repr_is_short_and_shows_only_set_fields() -> None:
    project = Project.from_dict(FULL_PROJECT)
    text = repr(project)
    assert text.startswith("Project(id='p1', name='site', organization='o1', ")
    assert "state=<ProjectState.MAINTAINED>" in text
    assert "created_at=2024-05-01T10:00:00+00:00" in text
    assert "domains=[Domain(id='dom-1', name='a.example', " in text
    assert "+1 unknown key" in text and "brandNewKey" not in text
    assert "Unset" not in text and "None" not in text and " at 0x" not in text
    assert "hook_id" not in text
    assert "Unset" not in repr(UpdateOrganizationBody(name="n"))
    assert repr(UpdateOrganizationBody(name="n")) == "UpdateOrganizationBody(name='n')"


def test_repr_cuts_long_lists_and_text() -> None:
    deployments = [complete("Deployment", {"_id": f"d{i}"}) for i in range(5)]
    body = complete("Project", {"_id": "p1", "name": "x" * 200})
    project = Project.from_dict(body)
    project.latest_deployment = Deployment.from_dict(deployments[0])
    text = repr(project)
    assert "x" * 200 not in text and "…" in text
    env = EnvironmentVariable.from_dict(
        complete("EnvironmentVariable", {"_id": "e", "name": "N", "value": "v"})
    )
    env.deployment_environments = []
    assert "deployment_environments=[]" in repr(env)
    many = complete("Project", {"_id": "p", "domains": [{"_id": str(i)} for i in range(5)]})
    assert ", +2 more]" in repr(Project.from_dict(many))


@pytest.mark.parametrize(
    ("model", "secret"),
    [
        (VerifiedTokenResponse(jwt_token="eyJhbGciOi.secret-jwt-value"), "secret-jwt-value"),
        (Credentials(username="ada", password="hunter2-password"), "hunter2-password"),
        (EnvironmentVariable(id="e1", name="API_KEY", value="sk-live-123456"), "sk-live-123456"),
    ],
)
def test_repr_masks_secrets(model: object, secret: str) -> None:
    text = repr(model)
    assert secret not in text
    assert "'***'" in text


def test_decoded_deployments_status_is_a_plain_enum() -> None:
    deployment = Deployment.from_dict(complete("Deployment", {"_id": "d1", "status": "Deployed"}))
    assert deployment.status is DeploymentStatus.DEPLOYED
    assert json.loads(json.dumps(deployment.to_dict()))["status"] == "Deployed"


def test_the_document_marks_exactly_the_response_schemas() -> None:
    from scripts import mark_responses

    assert mark_responses.main(["--check"]) == 0


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_friendly_method_raises_on_a_missing_required_key(mode: str) -> None:
    import asyncio

    from spheron import AsyncSpheron, Spheron

    body = {k: v for k, v in FULL_PROJECT.items() if k != "name"}

    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    transport = httpx.MockTransport(answer)
    with pytest.raises(ResponseValidationError, match="a required key is missing: 'name'"):
        if mode == "sync":
            with Spheron("response-models-token-91c", transport=transport) as client:
                client.projects.get("p1")
        else:

            async def run() -> None:
                async with AsyncSpheron(
                    "response-models-token-91c", transport=transport
                ) as aclient:
                    await aclient.projects.get("p1")

            asyncio.run(run())
