"""The embedded server (``spheron.testing``) answers every evidence record (issue 11).

For each record of ``openapi/evidence/*.yaml`` with an ``operation``, a fresh ``FakeSpheron``
(frozen clock) gets the caller's request, made by the generated function through
``spheron.Spheron`` exactly as ``test_records.py`` proves it byte for byte, and must answer 2xx
with a body the generated model decodes (the call raises otherwise). Every exchange is also
validated against the pinned document with openapi-core (``tests/testing/openapi_check.py``).

What the test changes, and only that:

- **Ids.** Records carry ids of the caller's world: ``ev-<name>`` path values, foreign
  organization ids and usernames, placeholders such as ``"<organizations[0].id>"``, catalog ids
  and machine names of the real marketplace. The test seeds the fake (a deployment, a compute
  instance, an upload...) and a transport between the client and the fake replaces those values
  with the seeded ids: path segments, the ``organization``/``organizationId`` query values and
  the id-valued JSON keys in ``JSON_IDS``. Nothing else in the request is touched.
- **Partial bodies.** A record marked ``call: {partial_body: true}`` shows only some keys of
  its body (``openapi/evidence/README.md``); they are merged over ``BASES[operation]``.
- **Auth** (``auth:``): ``api-token`` sends ``DEFAULT_TOKEN``; ``user-jwt`` a token added with
  ``fake.add_token()`` (the fake does not tell session JWTs from API tokens); ``none`` and
  ``other`` no ``Authorization`` header; ``single-use-upload-token`` the single-use token the
  fake hands out when the test initiates an upload deployment first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import spheron
from spheron.testing import (
    DEFAULT_COMPUTE_PROJECT_ID,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_PROJECT_ID,
    DEFAULT_TOKEN,
    DEFAULT_USER_ID,
    FakeSpheron,
)
from spheron_api_client.api.uploads import initiate_upload_deployment
from tests.evidence._records import (
    EXPRESSED,
    OPERATIONS,
    Record,
    arguments,
    part_bytes,
    path_values,
)
from tests.testing.openapi_check import Validator, load_validator

BASE_URL = "https://spheron.test"
ID_QUERY = ("organization", "organizationId")

_START_CONFIGURATION = {
    "buildCommand": "npm run build",
    "installCommand": "npm ci",
    "workspace": "",
    "publishDir": "build",
    "framework": "react",
    "nodeVersion": "V_16",
}
# operationId -> the smallest body the fake accepts, under a record's partial body.
BASES: dict[str, dict[str, Any]] = {
    "startDeployment": {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "gitUrl": "https://github.com/acme/site",
        "repoName": "site",
        "branch": "main",
        "protocol": "ipfs",
        "provider": "GITHUB",
        "createDefaultWebhook": True,
        "configuration": _START_CONFIGURATION,
    }
}


@pytest.fixture(scope="module")
def validator() -> Validator:
    return load_validator()


# --- seeding ----------------------------------------------------------------------------------


def _ok(response: httpx.Response) -> Any:
    assert response.is_success, (response.request.url, response.text)
    return response.json()


def _catalog(fake: FakeSpheron) -> dict[str, str]:
    """Ids and names from the fake's catalog for the record's catalog references: a machine,
    and a marketplace app whose variables all have defaults (the records set none of ours)."""
    with fake.client() as http:
        machine = _ok(http.get("/v1/compute-machine-image"))["akashMachineImages"][0]
        apps = _ok(http.get("/v1/marketplace-app"))
    app = next(
        a
        for a in apps["templates"]
        if all(
            v["defaultValue"] or v["required"] in (False, "false")
            for s in a["services"]
            for v in s["variables"]
        )
    )
    return {"machine_id": machine["_id"], "machine": machine["name"], "app": app["_id"]}


def _started_deployment(http: httpx.Client) -> str:
    body = {**BASES["startDeployment"], "gitUrl": "https://github.com/acme/seeded"}
    return str(_ok(http.post("/v1/deployment", json=body))["deploymentId"])


def _instance(http: httpx.Client, machine: str) -> str:
    service = {
        "name": "web",
        "image": "nginx",
        "tag": "1",
        "serviceCount": 1,
        "ports": [{"containerPort": 80, "exposedPort": 80}],
        "env": [],
        "command": [],
        "args": [],
        "akashMachineImageName": machine,
    }
    body = {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "uniqueTopicId": "seed",
        "region": "us-east",
        "scalable": False,
        "computeProjectId": DEFAULT_COMPUTE_PROJECT_ID,
        "services": [service],
    }
    return str(_ok(http.post("/v1/compute-instance/create", json=body))["computeInstanceId"])


def _open_upload(http: httpx.Client) -> str:
    query = {"protocol": "ipfs", "bucket": "seeded-bucket"}
    upload = str(_ok(http.post("/v1/upload/initiate", params=query, json={}))["uploadId"])
    files = [("files", ("seeded.txt", b"seeded", "text/plain"))]
    _ok(http.post(f"/v1/upload/{upload}/data", files=files))
    return upload


def seeded_path_ids(fake: FakeSpheron, record: Record, catalog: dict[str, str]) -> dict[str, str]:
    """``ev-<name>`` path value -> the id of a resource seeded for it."""
    op = OPERATIONS[str(record.operation_id)]
    out: dict[str, str] = {}
    with fake.client() as http:
        for name, value in path_values(record, op).items():
            if name == "organizationId":
                out[value] = DEFAULT_ORGANIZATION_ID
            elif name == "projectId":
                out[value] = DEFAULT_PROJECT_ID
            elif name == "computeProjectId":
                out[value] = DEFAULT_COMPUTE_PROJECT_ID
            elif name == "deploymentId":
                out[value] = _started_deployment(http)
            elif name == "instanceId":
                out[value] = _instance(http, catalog["machine"])
            elif name == "uploadId":
                out[value] = _open_upload(http)
            else:  # pragma: no cover - a new record names a parameter this test cannot seed
                raise AssertionError(f"{record}: seed a resource for path parameter {name}")
    return out


# --- the translating transport ------------------------------------------------------------------


class Translating(httpx.BaseTransport):
    """Replaces the record's foreign ids with seeded ones, then hands the request to the fake
    and validates the exchange against the document."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        ids: dict[str, str],
        json_ids: dict[str, str],
        validator: Validator,
    ) -> None:
        self.inner = inner
        self.ids = ids
        self.json_ids = json_ids
        self.validator = validator
        self.seen: list[httpx.Response] = []

    def _json(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: self.json_ids[k] if k in self.json_ids else self._json(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._json(v) for v in value]
        return value

    def _translate(self, request: httpx.Request) -> httpx.Request:
        request.read()
        path = "/".join(self.ids.get(seg, seg) for seg in request.url.path.split("/"))
        query = [
            (k, DEFAULT_ORGANIZATION_ID if k in ID_QUERY and v else v)
            for k, v in request.url.params.multi_items()
        ]
        content = request.content
        headers = dict(request.headers)
        if request.headers.get("content-type") == "application/json":
            content = json.dumps(self._json(json.loads(content))).encode()
            headers["content-length"] = str(len(content))
        url = request.url.copy_with(path=path, query=None).copy_merge_params(tuple(query))
        return httpx.Request(request.method, url, headers=headers, content=content)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        sent = self._translate(request)
        answer = self.inner.handle_request(sent)
        answer.read()
        answer.request = sent
        self.validator.check(answer)
        self.seen.append(answer)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


def json_ids(catalog: dict[str, str]) -> dict[str, str]:
    """Id-valued JSON keys -> the seeded id or catalog entry that stands in for their value."""
    return {
        "organizationId": DEFAULT_ORGANIZATION_ID,
        "computeProjectId": DEFAULT_COMPUTE_PROJECT_ID,
        "templateId": catalog["app"],
        "akashImageId": catalog["machine_id"],
        "akashMachineImageName": catalog["machine"],
    }


# --- effects ----------------------------------------------------------------------------------


def _legacy_upload(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    files = {
        str(p.get("filename")).removeprefix("./"): part_bytes(p) for p in record.hints["parts"]
    }
    assert fake.upload_files(answer["deploymentId"]) == files
    project = fake.state.projects[answer["projectId"]]
    first = record.query["project"]
    assert project.name == (first[0] if isinstance(first, list) else first)
    assert fake.state.deployments[answer["deploymentId"]].project_id == project.id


def _cluster_created(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    inst = fake.state.instances[answer["clusterInstanceId"]]
    assert inst.compute_project_id == answer["clusterId"]
    assert inst.deployments == [answer["clusterInstanceOrderId"]]


def _cluster_updated(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    inst = fake.state.instances[answer["clusterInstanceId"]]
    assert len(inst.deployments) == 2 and inst.deployments[-1] == answer["clusterInstanceOrderId"]
    service = fake.state.compute_deployments[inst.deployments[-1]].services[0]
    assert service["env"] == record.call["body"]["env"]
    assert service["tag"] == record.call["body"]["tag"]


def _closed(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    assert answer["success"] is True
    assert [i.state(fake.clock.now()) for i in fake.state.instances.values()] == ["Closed"]


def _nonce(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    assert isinstance(answer["nonce"], str) and answer["nonce"]


def _profile(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    assert answer["user"]["_id"] == DEFAULT_USER_ID
    assert [o["_id"] for o in answer["user"]["organizations"]] == [DEFAULT_ORGANIZATION_ID]


def _canceled(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    assert fake.state.uploads[answer["deploymentId"]].status == "Canceled"
    assert answer["deploymentId"] not in fake.state.deployments


def _instance_in_project(fake: FakeSpheron, record: Record, answer: dict[str, Any]) -> None:
    inst = fake.state.instances[answer["computeInstanceId"]]
    assert inst.compute_project_id == DEFAULT_COMPUTE_PROJECT_ID


Effect = Callable[[FakeSpheron, Record, dict[str, Any]], None]
# operationId -> what the answered request changed (checked where it is cheap to see).
EFFECTS: dict[str, Effect] = {
    "uploadDeploymentLegacy": _legacy_upload,
    "createClusterInstanceLegacy": _cluster_created,
    "createClusterInstanceFromTemplateLegacy": _cluster_created,
    "updateClusterInstanceLegacy": _cluster_updated,
    "closeClusterInstanceLegacy": _closed,
    "createWeb3Nonce": _nonce,
    "getProfileV2": _profile,
    "finishUploadDeployment": _canceled,
    "createComputeInstance": _instance_in_project,
}


# --- the test ---------------------------------------------------------------------------------


def _client_for(
    record: Record, fake: FakeSpheron, client: spheron.Spheron, ids: dict[str, str]
) -> spheron.Spheron:
    """The client with the record's auth (see the module docstring)."""
    auth = record.call["auth"]
    if auth == "api-token":
        return client
    if auth == "user-jwt":
        return client.with_options(token=fake.add_token())
    if auth in ("none", "other"):
        return client.without_auth()
    assert auth == "single-use-upload-token", record
    opened = initiate_upload_deployment.sync(
        client=client.api, project="evidence-site", create_single_deployment_token=True
    )
    assert opened is not None and isinstance(opened.single_deployment_token, str)
    op = OPERATIONS[str(record.operation_id)]
    ids[path_values(record, op)["deploymentId"]] = opened.deployment_id
    return client.with_options(token=opened.single_deployment_token)


@pytest.mark.parametrize("record", EXPRESSED, ids=str)
def test_the_embedded_server_answers_the_record(record: Record, validator: Validator) -> None:
    op = OPERATIONS[str(record.operation_id)]
    kwargs = arguments(record, op)
    if record.hints.get("partial_body"):
        merged = {**BASES[op.operation_id], **record.call["body"]}
        kwargs["body"] = type(kwargs["body"]).from_dict(merged)
    with FakeSpheron() as fake:
        catalog = _catalog(fake)
        ids = seeded_path_ids(fake, record, catalog)
        transport = Translating(fake.transport(), ids, json_ids(catalog), validator)
        with spheron.Spheron(
            DEFAULT_TOKEN,
            base_url=BASE_URL,
            http_client=httpx.Client(transport=transport),
            max_retries=0,
        ) as client:
            caller = _client_for(record, fake, client, ids)
            transport.seen.clear()
            response = op.module().sync_detailed(client=caller.api, **kwargs)
        assert 200 <= response.status_code < 300, (record, response.content)
        (answer,) = transport.seen
        assert answer.status_code == response.status_code
        effect = EFFECTS.get(op.operation_id)
        if effect is not None:
            effect(fake, record, json.loads(answer.content))


def test_every_partial_record_has_a_base() -> None:
    partial = {str(r.operation_id) for r in EXPRESSED if r.hints.get("partial_body")}
    assert partial and partial <= set(BASES)
