"""Every evidence record's request can be made, byte for byte (issue 11).

For each record of ``openapi/evidence/*.yaml`` with an ``operation``, the generated function (sync
and async) and, where one sends the same request, the friendly method are called through
``spheron.Spheron``/``AsyncSpheron`` on the record's base URL with a recording
``httpx.MockTransport``; the request must equal what the caller sends: method, path, query (empty
values kept, keys in any order, a repeated key's values in order), a JSON body as parsed JSON of
the same JSON types, multipart parts by name, filename, content type and SHA-256 of the bytes.
Records without an ``operation`` must say why (``excluded_because``). New records become new
test cases without code changes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from io import BytesIO
from typing import Any

import httpx
import pytest

import spheron
from spheron_api_client.types import File
from tests.evidence._records import (
    BODY_KINDS,
    CONFIDENCE,
    EXPRESSED,
    OPERATIONS,
    RECORDS,
    Record,
    arguments,
    expected_parts,
    expected_path,
    expected_query,
    part_bytes,
    path_values,
    same_json,
    sent_parts,
    template_shape,
)

TOKEN = "evidence-test-token"


class Sent(Exception):
    """Raised by the recording transport once the request is captured (no answer is needed)."""


def recorder() -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        raise Sent

    return seen, httpx.MockTransport(handle)


def run_sync(record: Record, call: Callable[[spheron.Spheron], object]) -> httpx.Request:
    seen, transport = recorder()
    with (
        spheron.Spheron(
            TOKEN,
            base_url=record.call["base_url"],
            http_client=httpx.Client(transport=transport),
            max_retries=0,
        ) as client,
        pytest.raises(Sent),
    ):
        call(client)
    assert len(seen) == 1, f"{record}: {len(seen)} requests"
    return seen[0]


def run_async(
    record: Record, call: Callable[[spheron.AsyncSpheron], Awaitable[object]]
) -> httpx.Request:
    seen, transport = recorder()

    async def main() -> None:
        async with spheron.AsyncSpheron(
            TOKEN,
            base_url=record.call["base_url"],
            http_client=httpx.AsyncClient(transport=transport),
            max_retries=0,
        ) as client:
            with pytest.raises(Sent):
                await call(client)

    asyncio.run(main())
    assert len(seen) == 1, f"{record}: {len(seen)} requests"
    return seen[0]


def grouped(pairs: list[tuple[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def assert_callers_request(record: Record, request: httpx.Request) -> None:
    op = OPERATIONS[str(record.operation_id)]
    assert request.method == record.call["method"], record
    assert request.url.path == expected_path(record, op), record
    assert grouped(request.url.params.multi_items()) == grouped(expected_query(record)), record
    ctype = request.headers.get("content-type", "")
    if record.body_kind == "none":
        assert request.content == b"" and "content-type" not in request.headers, record
    elif record.body_kind in ("json", "empty-json"):
        assert ctype == "application/json", record
        sent = json.loads(request.content)
        assert same_json(sent, record.call["body"]), (record, sent)
    elif record.body_kind == "multipart":
        assert ctype.startswith("multipart/form-data; boundary="), record
        sent = sent_parts(request)
        expected = expected_parts(record)
        assert grouped([(p[0], p[1:]) for p in sent]) == grouped([(p[0], p[1:]) for p in expected])
        assert len(sent) == len(expected), record
    else:  # pragma: no cover - arguments() refuses other kinds first
        raise AssertionError(record)


# --- the records themselves -------------------------------------------------------------------


def test_there_is_evidence() -> None:
    assert len(RECORDS) >= 40 and len(EXPRESSED) >= 30


@pytest.mark.parametrize("record", RECORDS, ids=str)
def test_record_is_well_formed(record: Record) -> None:
    source, call = record.source, record.call
    assert source["confidence"] in CONFIDENCE, record.file
    assert {"kind", "repo", "url", "path", "commit"} <= set(source), record.file
    assert source.get("provenance_note") or source.get("description"), record.file
    assert "operation" in call, f"{record}: say which operation, or null with excluded_because"
    assert call["body_kind"] in BODY_KINDS, record
    assert call["method"] in ("GET", "POST", "PUT", "PATCH", "DELETE"), record
    if record.operation_id is None:
        assert str(call.get("excluded_because", "")).strip(), f"{record}: why is it excluded?"
        return
    assert "excluded_because" not in call, record
    op = OPERATIONS.get(record.operation_id)
    assert op is not None, f"{record}: {record.operation_id} is not in the document"
    assert op.method.upper() == call["method"], (record, op.route)
    assert template_shape(op.path) == template_shape(call["path"]), (record, op.route)


def test_ids_are_unique() -> None:
    ids = [r.id for r in RECORDS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("record", EXPRESSED, ids=str)
def test_document_cites_the_record(record: Record) -> None:
    from tests.contract._operations import load_document

    for item in load_document()["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == record.operation_id:
                text = op.get("description", "")
                assert record.id in text and f"openapi/evidence/{record.file}" in text, record
                return
    raise AssertionError(record)


# --- generated functions ----------------------------------------------------------------------


@pytest.mark.parametrize("record", EXPRESSED, ids=str)
def test_generated_sync(record: Record) -> None:
    op = OPERATIONS[str(record.operation_id)]
    module = op.module()
    request = run_sync(
        record, lambda client: module.sync_detailed(client=client.api, **arguments(record, op))
    )
    assert_callers_request(record, request)


@pytest.mark.parametrize("record", EXPRESSED, ids=str)
def test_generated_async(record: Record) -> None:
    op = OPERATIONS[str(record.operation_id)]
    module = op.module()

    async def call(client: spheron.AsyncSpheron) -> object:
        return await module.asyncio_detailed(client=client.api, **arguments(record, op))

    assert_callers_request(record, run_async(record, call))


# --- friendly methods -------------------------------------------------------------------------


def _files(record: Record) -> dict[str, File | list[File]]:
    parts: dict[str, list[File]] = {}
    for p in record.hints["parts"]:
        parts.setdefault(p["name"], []).append(
            File(
                payload=BytesIO(part_bytes(p)),
                file_name=p.get("filename"),
                mime_type=p.get("content_type"),
            )
        )
    return {name: files[0] if len(files) == 1 else files for name, files in parts.items()}


def _upload_files(record: Record, client: Any) -> Any:
    q = record.query
    return client.storage.uploads.upload_files(
        _files(record),
        bucket=q["bucket"],
        protocol=q["protocol"],
        organization_id=q["organization"],
    )


def _project_domains(record: Record, client: Any) -> Any:
    op = OPERATIONS[str(record.operation_id)]
    return client.projects.domains.list(path_values(record, op)["projectId"])


# operationId -> the friendly call that sends the record's request (sync client or async client).
FRIENDLY: dict[str, Callable[[Record, Any], Any]] = {
    "getTokenScope": lambda record, client: client.token_scope(),
    "listProjectDomains": _project_domains,
    "uploadFiles": _upload_files,
}
# operationId -> why its records are only made through the generated function.
FRIENDLY_DIFFERS = {
    "listComputeProjectInstances": "compute.projects.instances pages with integer skip/limit and "
    "sends topupReport=y or nothing; the record sends topupReport=n and an empty state=",
    "listOrganizationProjects": "organizations.projects pages (always sends skip and limit); the "
    "record sends no paging query",
    "createComputeInstance": "compute.instances.create builds a new-project body from typed "
    "arguments; the record deploys into an existing project with undeclared keys and nulls",
    "createWeb3Nonce": "no friendly method (wallet sign-in, see tests/resources/test_coverage.py)",
    "verifyWeb3Login": "no friendly method (wallet sign-in, see tests/resources/test_coverage.py)",
    "getApiStatus": "no friendly method (health page, see tests/resources/test_coverage.py)",
    "getProfileV2": "no friendly method (unverified v2, see tests/resources/test_coverage.py)",
    "initiateUploadViaGet": "no friendly method; storage.upload initiates with POST",
    "createClusterInstanceFromTemplateLegacy": "deprecated: no friendly method",
    "createClusterInstanceLegacy": "deprecated: no friendly method",
    "updateClusterInstanceLegacy": "deprecated: no friendly method",
    "closeClusterInstanceLegacy": "deprecated: no friendly method",
    "finishUploadDeployment": "deprecated: no friendly method",
    "uploadDeploymentLegacy": "deprecated: no friendly method",
    "uploadChunk": "storage.upload runs the whole chunked flow (initiate, data, finish) and names "
    "its parts itself",
    "finishUpload": "storage.upload runs the whole chunked flow; finish alone is not a method",
    "cancelDeployment": "deployments.cancel sends no body; the record sends {}",
    "getDeployment": "deployments.get sends no body; the record sends {} on a GET",
    "startDeployment": "deployments.create sends the typed deployment fields; the record shows "
    "only the gitProviderPreferences key",
}


def test_every_operation_with_evidence_is_friendly_or_explained() -> None:
    with_records = {str(r.operation_id) for r in EXPRESSED}
    assert not set(FRIENDLY) & set(FRIENDLY_DIFFERS)
    assert with_records == set(FRIENDLY) | set(FRIENDLY_DIFFERS)
    assert all(reason.strip() for reason in FRIENDLY_DIFFERS.values())


FRIENDLY_RECORDS = [r for r in EXPRESSED if r.operation_id in FRIENDLY]


@pytest.mark.parametrize("record", FRIENDLY_RECORDS, ids=str)
def test_friendly_sync(record: Record) -> None:
    call = FRIENDLY[str(record.operation_id)]
    assert_callers_request(record, run_sync(record, lambda client: call(record, client)))


@pytest.mark.parametrize("record", FRIENDLY_RECORDS, ids=str)
def test_friendly_async(record: Record) -> None:
    call = FRIENDLY[str(record.operation_id)]

    async def run(client: spheron.AsyncSpheron) -> object:
        return await call(record, client)

    assert_callers_request(record, run_async(record, run))


AUTH_WORDS = {"user-jwt": "session", "single-use-upload-token": "single-use"}


def _declared(operation_id: str) -> dict[str, Any]:
    from tests.contract._operations import load_document

    for item in load_document()["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise AssertionError(operation_id)


@pytest.mark.parametrize("record", EXPRESSED, ids=str)
def test_the_document_states_the_auth_the_caller_used(record: Record) -> None:
    """No token: the operation needs none (``security: []``); a user session JWT or a
    single-use upload token: its description says such a token works there."""
    auth = record.call["auth"]
    declared = _declared(str(record.operation_id))
    if auth == "none":
        assert declared.get("security") == [], f"{record.operation_id} should need no token"
    elif auth in AUTH_WORDS:
        assert AUTH_WORDS[auth] in declared.get("description", "").lower(), record


@pytest.mark.parametrize("record", [r for r in EXPRESSED if r.call["auth"] == "none"], ids=str)
def test_calls_without_a_token_send_none(record: Record) -> None:
    op = OPERATIONS[str(record.operation_id)]
    module = op.module()
    request = run_sync(
        record,
        lambda client: module.sync_detailed(
            client=client.without_auth().api, **arguments(record, op)
        ),
    )
    assert "authorization" not in request.headers
    assert_callers_request(record, request)
