"""Validate the fake's exchanges against the pinned OpenAPI document with openapi-core.

Every response goes through ``OpenAPI.validate_response``; requests the fake accepted (2xx) also
go through ``OpenAPI.validate_request``, so the fake can drift from the document neither in what
it answers nor in what it accepts. The adapters below implement openapi-core's request and
response protocols directly from httpx objects (no werkzeug/requests integration).

Statuses the document does not declare for an operation are not waved through: their body is
checked against ``ErrorResponse`` and the (method, path template, status) triple is recorded in
``Validator.undocumented`` so a test can pin the exact set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import httpx
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_schema_validator import OAS30Validator

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "spheron-api.yaml"
SERVER = "https://api-v2.spheron.network"
METHODS = ("get", "put", "post", "patch", "delete")


class _Query(Mapping[str, Any]):
    """A multi-valued query mapping with the ``getlist`` openapi-core expects."""

    def __init__(self, params: httpx.QueryParams) -> None:
        self._params = params

    def __getitem__(self, key: str) -> Any:
        return self._params[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params.keys())

    def __len__(self) -> int:
        return len(self._params.keys())

    def getlist(self, key: str) -> list[str]:
        return self._params.get_list(key)


class RawRequest:
    """openapi-core ``Request`` protocol over an ``httpx.Request``."""

    def __init__(self, request: httpx.Request) -> None:
        self.host_url = SERVER
        self.path = request.url.path
        self.method = request.method.lower()
        self.parameters = RequestParameters(
            query=_Query(request.url.params),
            header=request.headers,
            cookie={},
        )
        self.body: bytes | None = request.content or None
        self.content_type = request.headers.get("content-type", "").lower()


class RawResponse:
    """openapi-core ``Response`` protocol over an ``httpx.Response``."""

    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.data: bytes | None = response.content
        self.content_type = response.headers.get("content-type", "").lower()


@dataclass
class Validator:
    api: Any
    document: dict[str, Any]
    seen: set[tuple[str, str]] = field(default_factory=set)
    undocumented: set[tuple[str, str, int]] = field(default_factory=set)
    checked: int = 0

    def template(self, method: str, path: str) -> str | None:
        """The document path template matching ``path`` (literal segments win)."""
        best: tuple[int, str] | None = None
        for template, item in self.document["paths"].items():
            if method.lower() not in item:
                continue
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path):
                literal = sum(1 for seg in template.split("/") if not seg.startswith("{"))
                if best is None or literal > best[0]:
                    best = (literal, template)
        return best[1] if best else None

    def responses_of(self, method: str, template: str) -> dict[str, Any]:
        operation = self.document["paths"][template][method.lower()]
        return dict(operation["responses"])

    def check(self, response: httpx.Response) -> None:
        """Validate one exchange; raises with openapi-core's explanation on drift."""
        request = response.request
        template = self.template(request.method, request.url.path)
        if template is None:
            assert response.status_code in (404, 405), (
                f"{request.method} {request.url.path} is not in the document but answered "
                f"{response.status_code}"
            )
            self._error_body(response)
            return
        raw_request = RawRequest(request)
        declared = self.responses_of(request.method, template)
        status = str(response.status_code)
        if status not in declared and "default" not in declared:
            self._error_body(response)
            self.undocumented.add((request.method, template, response.status_code))
            return
        if response.is_success:
            self.api.validate_request(raw_request)
            self._multipart_part_names(request, template)
        self.api.validate_response(raw_request, RawResponse(response))
        if response.is_success:
            self.seen.add((request.method, template))
        self.checked += 1

    def _multipart_part_names(self, request: httpx.Request, template: str) -> None:
        """Check multipart part names against the body schema.

        openapi-core 0.23's multipart decoder only reads the schema's declared ``properties``;
        parts admitted by ``additionalProperties`` (``chunk-{index}-{total}`` in UploadChunkBody)
        are dropped before validation. Check their names here so that gap is covered.
        """
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return
        operation = self.document["paths"][template][request.method.lower()]
        schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
        if "$ref" in schema:
            schema = self.document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.content
        )
        names = [
            part.get_param("name", header="content-disposition") for part in message.iter_parts()
        ]
        declared = set(schema.get("properties", {}))
        extra = [n for n in names if n not in declared]
        assert names, "multipart body without parts"
        assert not extra or schema.get("additionalProperties"), f"undeclared parts {extra}"
        if template.endswith("/data"):
            assert all(re.fullmatch(r"chunk-\d+-\d+", str(n)) for n in extra), extra

    def _error_body(self, response: httpx.Response) -> None:
        schema = self.document["components"]["schemas"]["ErrorResponse"]
        body = json.loads(response.content)
        OAS30Validator(schema).validate(body)
        assert isinstance(body.get("message"), str), body


def load_validator() -> Validator:
    with DOCUMENT.open() as fh:
        document = yaml.safe_load(fh)
    return Validator(api=OpenAPI.from_file_path(str(DOCUMENT)), document=document)


def documented_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }
