"""The pinned document: valid, complete, and shaped the way the generator and users need."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "spheron-api.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
UNAUTHENTICATED = {
    ("get", "/auth/{provider}/cli/login"),
    ("get", "/auth/{provider}/cli/verify-token/{code}"),
    ("get", "/v2/ipfs/pins/{cid}/status"),
    ("get", "/v1/ipfs/pins/{cid}/status"),
    # Added from the evidence of callers outside the SDKs (openapi/evidence/): a health check and
    # the wallet sign-in, both called before any login.
    ("get", "/status"),
    ("post", "/v1/auth/web3/nonce"),
    ("get", "/v1/auth/web3/callback"),
}
# 149 operations from the inventory plus 6 from the evidence (openapi/evidence/): uploadFiles,
# initiateUploadViaGet, getProfileV2, getApiStatus, createWeb3Nonce, verifyWeb3Login.
OPERATION_COUNT = 155


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return yaml.safe_load(DOCUMENT.read_text())


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_document_validates(doc: dict[str, Any]) -> None:
    validate(doc)
    assert doc["openapi"].startswith("3.0")


def test_document_has_all_155_operations_with_unique_verb_first_ids(doc: dict[str, Any]) -> None:
    ops = operations(doc)
    assert len(ops) == OPERATION_COUNT
    ids = [op["operationId"] for _, _, op in ops]
    assert len(set(ids)) == len(ids)
    bad = [i for i in ids if not re.fullmatch(r"[a-z]+(?:[A-Z0-9][a-z0-9]*)*", i)]
    assert bad == []
    verbs = {i.split("_")[0] for i in ids}
    assert verbs  # ids are camelCase; the first word must be a verb
    first_words = {re.match(r"[a-z]+", i).group(0) for i in ids}  # type: ignore[union-attr]
    assert first_words <= {
        "get",
        "list",
        "count",
        "create",
        "update",
        "delete",
        "add",
        "remove",
        "set",
        "verify",
        "activate",
        "deactivate",
        "start",
        "suggest",
        "authorize",
        "cancel",
        "redeploy",
        "publish",
        "initiate",
        "upload",
        "finish",
        "pin",
        "unpin",
        "migrate",
        "close",
        "exec",
        "trigger",
        "open",
        "query",
        "check",
        "subscribe",
    }, first_words


def test_every_operation_is_tagged_summarised_and_typed(doc: dict[str, Any]) -> None:
    tag_names = {t["name"] for t in doc["tags"]}
    for method, path, op in operations(doc):
        where = f"{method.upper()} {path}"
        assert len(op["tags"]) == 1 and op["tags"][0] in tag_names, where
        assert op["summary"] and len(op["summary"]) <= 80, where
        ok = [c for c in op["responses"] if c.startswith("2")]
        if path == "/auth/{provider}/cli/login":
            assert "302" in op["responses"], where  # browser-only redirect
            continue
        assert ok, where
        if path == "/status":
            # The old docs: "an empty page without any JSON response"; nothing to decode.
            assert "content" not in op["responses"][ok[0]], where
            continue
        content = op["responses"][ok[0]]["content"]
        schema = next(iter(content.values()))["schema"]
        assert schema, where
        for code in ("400", "401", "403", "404", "429", "500"):
            assert code in op["responses"], (where, code)
        for param in op.get("parameters", []):
            assert "schema" in param and param["in"] in ("path", "query"), where


def test_security_is_global_bearer_except_unauthenticated_operations(doc: dict[str, Any]) -> None:
    scheme = doc["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert doc["security"] == [{"bearerAuth": []}]
    open_ops = {(m, p) for m, p, op in operations(doc) if op.get("security") == []}
    assert open_ops == UNAUTHENTICATED


def test_renamed_historical_operations_are_deprecated_and_name_their_successor(
    doc: dict[str, Any],
) -> None:
    deprecated = [(m, p, op) for m, p, op in operations(doc) if op.get("deprecated")]
    assert len(deprecated) >= 36
    for method, path, op in deprecated:
        text = op.get("description", "")
        if "Superseded by" in text:
            successor = re.search(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`]+)`", text)
            assert successor, (method, path)
    cluster = [p for m, p, op in operations(doc) if p.startswith("/v1/cluster")]
    assert cluster and all(
        doc["paths"][p][m]["deprecated"] for m, p, _ in operations(doc) if p in cluster
    )
    # Never renamed: documented normally.
    for path in (
        "/v1/organization/{organizationId}/invites",
        "/v1/organization/{organizationId}/coupons",
    ):
        assert not doc["paths"][path]["get"].get("deprecated")


def test_shared_entities_and_enums_are_named_schemas(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    for name in (
        "Organization",
        "Project",
        "Deployment",
        "Domain",
        "EnvironmentVariable",
        "DeploymentEnvironment",
        "Coupon",
        "Invite",
        "Bucket",
        "Upload",
        "ComputeInstance",
        "ErrorResponse",
        "DeploymentStatus",
        "Protocol",
        "UploadStatus",
        "InstanceState",
    ):
        assert name in schemas, name
    assert set(schemas["ErrorResponse"]["properties"]) == {"message", "error"}
    enums = [n for n, s in schemas.items() if "enum" in s]
    assert len(enums) >= 30


def test_transport_oddities_are_documented(doc: dict[str, Any]) -> None:
    upload = doc["paths"]["/v1/upload/{uploadId}/data"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    body_ref = upload["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    files = doc["components"]["schemas"][body_ref]["properties"]["files"]
    assert files["items"]["format"] == "binary"
    events = doc["paths"]["/v1/subscribe"]["get"]["responses"]["200"]["content"]
    assert "text/event-stream" in events
    ipns = doc["paths"]["/v1/ipns/names"]["get"]
    assert "requestBody" in ipns and "body" in ipns["description"].lower()


def test_info_states_version_and_provenance(doc: dict[str, Any]) -> None:
    info = doc["info"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", info["version"])
    assert "supersede" in info["description"]
