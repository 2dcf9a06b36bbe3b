"""Requests are as lenient as the server (issue 11): walked over every request model and operation.

* every JSON request model keeps unknown keys (``from_dict`` -> ``to_dict``), sends an explicit
  ``None`` as ``null`` and leaves an unset field out;
* numbers callers send as strings (ports, counts, sizes) are sent exactly as given;
* operations whose body is optional send no body and no ``Content-Type`` when it is left out,
  and ``{}`` when an empty model is given;
* optional query parameters given as an empty string are sent as ``key=``;
* every multipart operation sends every part with its field name, filename, content type and
  exact bytes, repeated names included (checked on the wire, part by part, by SHA-256).

Requests are built by the generated functions and recorded by an ``httpx.MockTransport``.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openapi_python_client.utils import ClassName, PythonIdentifier

from scripts.relax_requests import ESSENTIAL, QUERY_ID_SUFFIXES, QUERY_REQUIRED
from spheron_api_client import Client
from spheron_api_client.types import UNSET, File
from tests.contract._operations import MINIMAL, Operation, build_call, operations

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "openapi" / "spheron-api.yaml"
REF = "#/components/schemas/"
BASE_URL = "https://spheron.test"


@cache
def document() -> dict[str, Any]:
    return yaml.safe_load(DOCUMENT.read_text())


def schemas() -> dict[str, Any]:
    return document()["components"]["schemas"]  # type: ignore[no-any-return]


def _refs(node: Any, acc: set[str]) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF) and ref[len(REF) :] not in acc:
            acc.add(ref[len(REF) :])
            _refs(schemas()[ref[len(REF) :]], acc)
        for value in node.values():
            _refs(value, acc)
    elif isinstance(node, list):
        for value in node:
            _refs(value, acc)
    return acc


def _operations_raw() -> Iterator[dict[str, Any]]:
    for item in document()["paths"].values():
        for method in ("get", "put", "post", "delete", "patch"):
            if method in item:
                yield item[method]


@cache
def request_side() -> tuple[set[str], set[str]]:
    """Object schemas reached from JSON request bodies, and from multipart ones."""
    json_side: set[str] = set()
    multipart: set[str] = set()
    for op in _operations_raw():
        for media, content in op.get("requestBody", {}).get("content", {}).items():
            target = multipart if media.startswith("multipart/") else json_side
            _refs(content["schema"], target)
    is_object = {n for n, s in schemas().items() if "enum" not in s}
    return json_side & is_object, multipart & is_object


@cache
def response_side() -> set[str]:
    acc: set[str] = set()
    _refs(document()["components"].get("responses", {}), acc)
    for op in _operations_raw():
        _refs(op.get("responses", {}), acc)
        _refs(op.get("parameters", []), acc)
    return acc


JSON_MODELS = sorted(request_side()[0])
MULTIPART_MODELS = sorted(request_side()[1])


def model(schema_name: str) -> Any:
    return getattr(importlib.import_module("spheron_api_client.models"), ClassName(schema_name, ""))


def accepts_null(schema: Mapping[str, Any]) -> bool:
    if schema.get("nullable") is True and "type" in schema:
        return True
    return any(b.get("enum") == [None] for b in schema.get("anyOf", []))


def number_or_string(schema: Mapping[str, Any]) -> bool:
    kinds = {b.get("type") for b in schema.get("anyOf", [])}
    return bool(kinds & {"integer", "number"}) and "string" in kinds


# -- the document --------------------------------------------------------------------------------


def test_requests_and_responses_share_no_object_schema() -> None:
    json_side, multipart = request_side()
    assert len(json_side) > 60
    assert (json_side | multipart) & response_side() == set()
    for name in ("PortInput", "EnvInput", "PersistentStorageInput", "CustomServiceSpecsInput"):
        assert name in json_side
        assert name.removesuffix("Input") in response_side()


@pytest.mark.parametrize("name", JSON_MODELS)
def test_request_schema_is_lenient(name: str) -> None:
    schema = schemas()[name]
    assert schema.get("additionalProperties") is True or isinstance(
        schema.get("additionalProperties"), dict
    ), name
    assert set(schema.get("required", [])) <= ESSENTIAL.get(name, set()), name
    for prop, value in schema.get("properties", {}).items():
        assert accepts_null(value), f"{name}.{prop} is not nullable"
        assert value.get("type") not in ("integer", "number"), f"{name}.{prop} refuses strings"


def test_the_document_is_relaxed() -> None:
    from scripts import relax_requests

    assert relax_requests.main(["--check"]) == 0


def test_only_identifier_query_parameters_are_required() -> None:
    for op in _operations_raw():
        keep = QUERY_REQUIRED.get(op["operationId"], set())
        for param in op.get("parameters", []):
            if param["in"] == "query" and param.get("required"):
                name = param["name"]
                assert name in keep or name.endswith(QUERY_ID_SUFFIXES), (op["operationId"], name)


# -- models --------------------------------------------------------------------------------------

EXTRA = {"zzUnknown": {"nested": [1, "2", None, {"deep": True}]}, "anotherKey": "kept"}


@pytest.mark.parametrize("name", JSON_MODELS)
def test_request_model_passes_unknown_keys_and_nulls_through(name: str) -> None:
    cls = model(name)
    props = schemas()[name].get("properties", {})
    payload = {prop: None for prop in props} | EXTRA
    decoded = cls.from_dict(payload)
    for prop in props:
        python_name = str(PythonIdentifier(value=prop, prefix="field_"))
        assert getattr(decoded, python_name) is None, (name, prop)
    assert decoded.additional_properties == EXTRA
    encoded = decoded.to_dict()
    assert encoded == payload
    assert json.loads(json.dumps(encoded)) == payload


@pytest.mark.parametrize("name", JSON_MODELS)
def test_request_model_leaves_unset_fields_out(name: str) -> None:
    cls = model(name)
    required = schemas()[name].get("required", [])
    payload = {prop: "id-1" for prop in required}
    decoded = cls.from_dict(payload)
    for prop in set(schemas()[name].get("properties", {})) - set(required):
        python_name = str(PythonIdentifier(value=prop, prefix="field_"))
        assert getattr(decoded, python_name) is UNSET, (name, prop)
    assert decoded.to_dict() == payload
    if not required:
        assert cls().to_dict() == {}


NUMBER_FIELDS = sorted(
    (name, prop)
    for name in JSON_MODELS
    for prop, value in schemas()[name].get("properties", {}).items()
    if number_or_string(value)
)


def test_ports_counts_and_amounts_accept_strings() -> None:
    props = {prop for _, prop in NUMBER_FIELDS}
    for expected in (
        "containerPort",
        "exposedPort",
        "healthCheckPort",
        "serviceCount",
        "instanceCount",
        "cpu",
    ):
        assert expected in props, expected
    assert len(NUMBER_FIELDS) >= 20


@pytest.mark.parametrize(("name", "prop"), NUMBER_FIELDS)
def test_numbers_are_sent_as_the_caller_gave_them(name: str, prop: str) -> None:
    cls = model(name)
    required = {p: "id-1" for p in schemas()[name].get("required", [])}
    for value in ("80", 80, "0080", " 80"):
        encoded = cls.from_dict(required | {prop: value}).to_dict()
        assert encoded[prop] == value and type(encoded[prop]) is type(value)
    python_name = str(PythonIdentifier(value=prop, prefix="field_"))
    built = cls.from_dict(required)
    setattr(built, python_name, "443")
    assert built.to_dict()[prop] == "443"


# -- on the wire ---------------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return httpx.Response(404, json={"message": "recorded"})

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(recorder: Recorder) -> Iterator[Client]:
    with Client(base_url=BASE_URL, httpx_args={"transport": httpx.MockTransport(recorder)}) as c:
        yield c


def httpx_json(value: Any) -> bytes:
    """How httpx 0.28 encodes ``json=``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def test_string_ports_go_out_byte_exact(client: Client, recorder: Recorder) -> None:
    from spheron_api_client.api.compute_instance import create_compute_instance
    from spheron_api_client.models import CreateComputeInstanceBody

    body = {
        "organizationId": "org-1",
        "services": [
            {
                "name": "web",
                "serviceCount": "2",
                "ports": [{"containerPort": "80", "exposedPort": 80, "global": True}],
                "customServiceSpecs": {"cpu": "1.5", "memory": "512Mi", "storage": "1Gi"},
                "vendorKey": {"kept": [1, "1"]},
            }
        ],
        "scalable": None,
        "extra": "as given",
    }
    create_compute_instance.sync_detailed(
        client=client, body=CreateComputeInstanceBody.from_dict(body)
    )
    sent = recorder.last.content
    assert json.loads(sent) == body
    assert b'"containerPort":"80"' in sent and b'"exposedPort":80' in sent
    assert b'"serviceCount":"2"' in sent and b'"scalable":null' in sent
    assert sent == httpx_json(CreateComputeInstanceBody.from_dict(body).to_dict())


def test_explicit_none_is_null_and_unset_is_left_out(client: Client, recorder: Recorder) -> None:
    from spheron_api_client.api.organization import update_organization
    from spheron_api_client.models import UpdateOrganizationBody

    update_organization.sync_detailed(
        "org-1", client=client, body=UpdateOrganizationBody(name=None)
    )
    assert recorder.last.content == b'{"name":null}'
    update_organization.sync_detailed("org-1", client=client, body=UpdateOrganizationBody(image=""))
    assert recorder.last.content == b'{"image":""}'


OPTIONAL_BODIES = [op for op in operations() if op.body_schema is not None and not op.body_required]


def test_bodies_without_an_essential_field_are_optional() -> None:
    ids = {op.operation_id for op in OPTIONAL_BODIES}
    assert {"finishUpload", "finishUploadDeployment", "updateOrganization"} <= ids
    assert len(ids) >= 35


@pytest.mark.parametrize("operation", OPTIONAL_BODIES, ids=lambda op: op.operation_id)
def test_an_unset_body_sends_nothing_and_an_empty_one_sends_braces(
    operation: Operation, client: Client, recorder: Recorder
) -> None:
    call = build_call(operation, MINIMAL)
    call.kwargs.pop("body", None)
    function = operation.module().sync_detailed
    assert inspect.signature(function).parameters["body"].default is UNSET

    function(client=client, **call.kwargs)
    sent = recorder.last
    assert sent.method == operation.method.upper()
    assert sent.content == b""
    assert "content-type" not in sent.headers

    body_model = model(operation.body_schema["$ref"][len(REF) :])  # type: ignore[index]
    function(client=client, body=body_model(), **call.kwargs)
    assert recorder.last.content == b"{}"
    assert recorder.last.headers["content-type"] == "application/json"


def _string_accepting(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "string" or any(
        b.get("type") == "string" for b in schema.get("anyOf", [])
    )


EMPTY_QUERY = [
    (op, param.name)
    for op in operations()
    for param in op.parameters
    if param.location == "query" and not param.required and _string_accepting(param.schema)
]


def test_filters_callers_send_empty_accept_an_empty_string() -> None:
    names = {(op.operation_id, name) for op, name in EMPTY_QUERY}
    for expected in (
        ("listOrganizationBuckets", "name"),
        ("listOrganizationBuckets", "state"),
        ("listOrganizationProjects", "state"),
        ("initiateUpload", "maxSize"),
    ):
        assert expected in names, expected


@pytest.mark.parametrize(
    ("operation", "name"), EMPTY_QUERY, ids=lambda v: v if isinstance(v, str) else v.operation_id
)
def test_an_empty_query_value_is_sent_as_key_equals(
    operation: Operation, name: str, client: Client, recorder: Recorder
) -> None:
    call = build_call(operation, MINIMAL)
    python_name = str(PythonIdentifier(value=name, prefix="field_"))
    operation.module().sync_detailed(client=client, **(call.kwargs | {python_name: ""}))
    pairs = recorder.last.url.query.decode().split("&")
    assert f"{name}=" in pairs, pairs


def test_bucket_filters_go_out_empty(client: Client, recorder: Recorder) -> None:
    from spheron_api_client.api.storage_buckets import list_organization_buckets

    list_organization_buckets.sync_detailed("org-1", client=client, name="", state="", skip="0")
    assert recorder.last.url.query == b"name=&state=&skip=0"
    list_organization_buckets.sync_detailed("org-1", client=client)
    assert recorder.last.url.query == b""


# -- multipart -----------------------------------------------------------------------------------

MULTIPART_OPERATIONS = [op for op in operations() if op.body_media_type == "multipart/form-data"]
_DISPOSITION = re.compile(rb'^form-data; name="([^"]*)"(?:; filename="([^"]*)")?$')


def parse_multipart(request: httpx.Request) -> list[tuple[str, str | None, str | None, str]]:
    """(field name, filename, content type, sha256 of the bytes) of every part, in order."""
    match = re.search(r"boundary=([^;]+)", request.headers["content-type"])
    assert match is not None and request.headers["content-type"].startswith("multipart/form-data")
    delimiter = b"--" + match.group(1).encode()
    content = request.content
    assert content.startswith(delimiter + b"\r\n") and content.endswith(delimiter + b"--\r\n")
    parts = []
    for chunk in content.split(delimiter)[1:-1]:
        assert chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n")
        head, sep, data = chunk[2:-2].partition(b"\r\n\r\n")
        assert sep
        headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        disposition = _DISPOSITION.match(headers[b"Content-Disposition"])
        assert disposition is not None, headers
        name, filename = disposition.groups()
        ctype = headers.get(b"Content-Type")
        parts.append(
            (
                name.decode(),
                filename.decode() if filename is not None else None,
                ctype.decode() if ctype is not None else None,
                hashlib.sha256(data).hexdigest(),
            )
        )
    return parts


def _payload(seed: int, size: int) -> bytes:
    # Bytes that look like a multipart body inside the file: CRLFs, dashes, NULs.
    return bytes((seed * 7919 + i * 31) % 256 for i in range(size)) + b"\r\n--x\r\n\x00" * seed


@pytest.mark.parametrize("operation", MULTIPART_OPERATIONS, ids=lambda op: op.operation_id)
def test_every_multipart_part_goes_out_byte_exact(
    operation: Operation, client: Client, recorder: Recorder
) -> None:
    files = [
        ("./index.html", "text/html", _payload(1, 300)),
        ("./static/js/main.js", "application/javascript", _payload(2, 5000)),
        ("./img/a b.png", "image/png", _payload(3, 70_000)),
    ]
    extras: list[tuple[str, str, str, bytes]] = [
        ("index.html", "index.html", "text/html", _payload(4, 10)),
        ("image", "logo.png", "image/png", _payload(5, 2048)),
        ("filekey", "pack-0123abcd.pack", "application/octet-stream", _payload(6, 4096)),
    ]
    chunks = [
        ("chunk-0-2", "filename", "application/octet-stream", _payload(7, 1000)),
        ("chunk-0-2", "filename", "application/octet-stream", _payload(8, 1001)),
    ]
    body_model = model(operation.body_schema["$ref"][len(REF) :])  # type: ignore[index]
    body = body_model(files=[File(BytesIO(d), name, ctype) for name, ctype, d in files])
    for field, name, ctype, data in extras:
        body[field] = File(BytesIO(data), name, ctype)
    body["chunk-0-2"] = [File(BytesIO(d), name, ctype) for _, name, ctype, d in chunks]

    call = build_call(operation, MINIMAL)
    call.kwargs["body"] = body
    operation.module().sync_detailed(client=client, **call.kwargs)

    expected = [("files", n, c, hashlib.sha256(d).hexdigest()) for n, c, d in files]
    expected += [(f, n, c, hashlib.sha256(d).hexdigest()) for f, n, c, d in extras + chunks]
    assert parse_multipart(recorder.last) == expected
    assert b"File(payload=" not in recorder.last.content


@pytest.mark.parametrize("operation", MULTIPART_OPERATIONS, ids=lambda op: op.operation_id)
def test_multipart_extras_of_other_kinds(
    operation: Operation, client: Client, recorder: Recorder
) -> None:
    body_model = model(operation.body_schema["$ref"][len(REF) :])  # type: ignore[index]
    body = body_model(files=[File(BytesIO(b"a"), "a.txt", "text/plain")])
    body.additional_properties["raw"] = b"\x00\xff raw"  # type: ignore[assignment]
    body.additional_properties["note"] = "text part"  # type: ignore[assignment]
    call = build_call(operation, MINIMAL)
    call.kwargs["body"] = body
    operation.module().sync_detailed(client=client, **call.kwargs)
    parts = parse_multipart(recorder.last)
    assert parts[1:] == [
        ("raw", None, "application/octet-stream", hashlib.sha256(b"\x00\xff raw").hexdigest()),
        ("note", None, "text/plain", hashlib.sha256(b"text part").hexdigest()),
    ]


def test_every_multipart_model_is_tested() -> None:
    bodies = {op.body_schema["$ref"][len(REF) :] for op in MULTIPART_OPERATIONS}  # type: ignore[index]
    assert bodies == set(MULTIPART_MODELS)
    assert len(MULTIPART_OPERATIONS) == 4  # + uploadFiles (single-shot, from the evidence)


@pytest.mark.parametrize("operation", MULTIPART_OPERATIONS, ids=lambda op: op.operation_id)
def test_no_multipart_part_is_required(
    operation: Operation, client: Client, recorder: Recorder
) -> None:
    # Real callers upload without a `files` part (openapi/evidence: nftystore, the NFT generator):
    # a body with only an extra part sends exactly that part.
    name = operation.body_schema["$ref"][len(REF) :]  # type: ignore[index]
    assert "required" not in schemas()[name], name
    body = model(name)()
    body["image"] = File(BytesIO(b"\x89PNG"), "logo.png", "image/png")
    call = build_call(operation, MINIMAL)
    call.kwargs["body"] = body
    operation.module().sync_detailed(client=client, **call.kwargs)
    assert parse_multipart(recorder.last) == [
        ("image", "logo.png", "image/png", hashlib.sha256(b"\x89PNG").hexdigest())
    ]
