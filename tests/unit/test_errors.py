"""Every failure surfaces as a typed spheron error with a useful, token-free message."""

from __future__ import annotations

import socket
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import spheron
from spheron import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncSpheron,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    Spheron,
    SpheronError,
    UnprocessableEntityError,
)
from spheron._errors import error_class_for_status, make_status_error
from spheron_api_client import errors as generated_errors
from spheron_api_client.api.organization import create_organization, get_organization
from spheron_api_client.models.app_type import AppType
from spheron_api_client.models.create_organization_body import CreateOrganizationBody

from .conftest import Sleeps
from .helpers import TOKEN, AnyClient, Recorder, call, json_response, request

PATH = "/v1/organization/org_1"

STATUS_CLASSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (504, InternalServerError),
    (599, InternalServerError),
    (402, APIStatusError),
    (418, APIStatusError),
    (302, APIStatusError),
]


def test_hierarchy_roots_in_the_generated_package() -> None:
    assert spheron.SpheronError is generated_errors.SpheronError
    assert spheron.ResponseValidationError is generated_errors.ResponseValidationError
    assert issubclass(APITimeoutError, APIConnectionError)
    for _, cls in STATUS_CLASSES:
        assert issubclass(cls, APIStatusError)
        assert issubclass(cls, SpheronError)
    assert issubclass(spheron.SpheronConfigError, SpheronError)


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_status_table(status: int, cls: type[APIStatusError]) -> None:
    assert error_class_for_status(status) is cls


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
async def test_each_status_raises_its_class(
    make_client: Callable[..., AnyClient], status: int, cls: type[APIStatusError]
) -> None:
    body = {"statusCode": status, "message": f"server says {status}", "error": "Nope"}
    headers = {"x-request-id": f"req-{status}"}
    if status == 302:
        headers["location"] = "https://elsewhere.example/"
    handler = Recorder(json_response(status, body, **headers))
    client = make_client(handler, max_retries=0)

    with pytest.raises(APIStatusError) as info:
        await call(client, get_organization, "org_1")

    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.body == body
    assert err.request_id == f"req-{status}"
    assert err.method == "GET"
    assert err.url == f"https://api.test.example{PATH}"
    assert err.response.status_code == status
    assert err.message == f"server says {status}"
    assert err.error == "Nope"
    assert err.code is None
    assert str(err).startswith(f"GET {PATH} returned {status}")
    assert f"server says {status}" in str(err)
    assert f"(request id: req-{status})" in str(err)
    assert handler.count == 1


async def test_403_says_plainly_that_authentication_failed(
    make_client: Callable[..., AnyClient],
) -> None:
    body = {"statusCode": 403, "message": "Forbidden resource", "error": "Forbidden"}
    client = make_client(Recorder(json_response(403, body)))

    with pytest.raises(PermissionDeniedError) as info:
        await call(client, get_organization, "org_1")

    assert str(info.value) == (
        f"GET {PATH} returned 403 Forbidden: authentication failed: the token is invalid, "
        "expired, or not scoped to this organization (server said: Forbidden resource)"
    )


async def test_message_falls_back_to_the_reason_phrase(
    make_client: Callable[..., AnyClient],
) -> None:
    client = make_client(Recorder(httpx.Response(404)))

    with pytest.raises(NotFoundError) as info:
        await call(client, get_organization, "org_1")

    assert str(info.value) == f"GET {PATH} returned 404 Not Found"
    assert info.value.message == "Not Found"
    assert info.value.body is None
    assert info.value.code is None
    assert info.value.error is None
    assert info.value.request_id is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"message": ["name must be a string", "name is too short"]}, "name must be a string; "),
        ({"error": "Bad Request"}, "Bad Request"),
        ({"error": True, "message": "Invalid organization"}, "Invalid organization"),
        ({"error": {"message": "nested detail"}}, "nested detail"),
        ("just a string", "just a string"),
    ],
)
async def test_server_message_shapes(
    make_client: Callable[..., AnyClient], body: object, expected: str
) -> None:
    client = make_client(Recorder(json_response(400, body)))

    with pytest.raises(BadRequestError) as info:
        await call(client, get_organization, "org_1")

    assert expected in str(info.value)
    assert info.value.message.startswith(expected)
    assert info.value.body == body


async def test_request_id_from_request_id_header(make_client: Callable[..., AnyClient]) -> None:
    client = make_client(Recorder(json_response(409, {"message": "taken"}, **{"request-id": "r9"})))

    with pytest.raises(ConflictError) as info:
        await call(client, get_organization, "org_1")

    assert info.value.request_id == "r9"


HTML_502 = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>"
    + "<center><h1>502 Bad Gateway</h1></center>" * 100
    + "</body></html>"
)


async def test_html_502_page(make_client: Callable[..., AnyClient]) -> None:
    page = httpx.Response(502, text=HTML_502, headers={"content-type": "text/html"})
    client = make_client(Recorder(page), max_retries=0)

    with pytest.raises(InternalServerError) as info:
        await call(client, get_organization, "org_1")

    err = info.value
    assert str(err) == (
        f"GET {PATH} returned 502 Bad Gateway: non-JSON response (text/html), "
        "HTML page: '502 Bad Gateway'"
    )
    assert isinstance(err.body, str)
    assert err.body == HTML_502[:1000]
    assert err.message == "Bad Gateway"  # the page is not the server's message


async def test_plain_text_body_is_previewed_and_truncated(
    make_client: Callable[..., AnyClient],
) -> None:
    text = "upstream   connect error " + "x" * 500
    client = make_client(Recorder(httpx.Response(503, text=text)), max_retries=0)

    with pytest.raises(InternalServerError) as info:
        await call(client, get_organization, "org_1")

    message = str(info.value)
    assert "non-JSON response (text/plain), body: 'upstream connect error xxx" in message
    preview = message.split("body: '", 1)[1][:-1]
    assert preview.endswith("…")
    assert len(preview) == 200


async def test_post_error_names_method_and_path(make_client: Callable[..., AnyClient]) -> None:
    client = make_client(Recorder(json_response(422, {"message": "username taken"})))
    body = CreateOrganizationBody(username="acme", name="Acme", app_type=AppType.COMPUTE)

    with pytest.raises(UnprocessableEntityError) as info:
        await call(client, create_organization, body=body)

    assert str(info.value) == (
        "POST /v1/organization returned 422 Unprocessable Entity: username taken"
    )
    assert info.value.method == "POST"


async def test_token_echoed_by_the_server_is_redacted(
    make_client: Callable[..., AnyClient],
) -> None:
    echo = {"message": f"token Bearer {TOKEN} is not valid here"}
    client = make_client(Recorder(json_response(401, echo)))

    with pytest.raises(AuthenticationError) as info:
        await call(client, get_organization, "org_1")

    assert TOKEN not in str(info.value)
    assert "token Bearer *** is not valid here" in str(info.value)
    assert info.value.body == {"message": "token Bearer *** is not valid here"}
    assert info.value.message == "token Bearer *** is not valid here"


async def test_timeout_surfaces_as_api_timeout_error(
    make_client: Callable[..., AnyClient],
) -> None:
    client = make_client(Recorder(httpx.ReadTimeout("timed out")), max_retries=0)

    with pytest.raises(APITimeoutError) as info:
        await call(client, get_organization, "org_1")

    assert str(info.value) == (
        f"GET https://api.test.example{PATH} timed out (ReadTimeout: timed out)"
    )
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


async def test_connection_failure_surfaces_as_api_connection_error(
    make_client: Callable[..., AnyClient],
) -> None:
    client = make_client(Recorder(httpx.ConnectError("connection refused")), max_retries=0)

    with pytest.raises(APIConnectionError) as info:
        await call(client, get_organization, "org_1")

    assert type(info.value) is APIConnectionError
    assert "connection refused" in str(info.value)
    assert info.value.method == "GET"


async def test_error_while_reading_a_2xx_body_is_typed(
    make_client: Callable[..., AnyClient], mode: str
) -> None:
    class Broken(httpx.SyncByteStream, httpx.AsyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield b'{"_id":'
            raise httpx.ReadTimeout("read stalled")

        async def __aiter__(self):  # type: ignore[no-untyped-def]
            yield b'{"_id":'
            raise httpx.ReadTimeout("read stalled")

    client = make_client(lambda request: httpx.Response(200, stream=Broken()))

    with pytest.raises(APITimeoutError, match="read stalled"):
        await call(client, get_organization, "org_1")


async def test_generated_functions_never_return_none_for_errors(
    make_client: Callable[..., AnyClient],
) -> None:
    client = make_client(Recorder(httpx.Response(404)))
    with pytest.raises(NotFoundError):
        if isinstance(client, spheron.AsyncSpheron):
            await get_organization.asyncio("org_1", client=client.api)
        else:
            get_organization.sync("org_1", client=client.api)


def _chain_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


@pytest.mark.parametrize(
    "answer",
    [
        json_response(403, {"message": "Forbidden resource"}),
        json_response(500, {"message": "boom"}),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, content=b'{"_id": "org_1", "prof'),
        httpx.Response(200),
    ],
    ids=["403", "500", "connect", "timeout", "truncated-200", "empty-200"],
)
async def test_token_never_in_error_text_or_chain(
    make_client: Callable[..., AnyClient], answer: httpx.Response | Exception
) -> None:
    client = make_client(Recorder(answer), max_retries=1)

    with pytest.raises(SpheronError) as info:
        await call(client, get_organization, "org_1")

    text = _chain_text(info.value)
    assert TOKEN not in text
    assert "GET" in text


async def test_raw_requests_are_typed_too(make_client: Callable[..., AnyClient]) -> None:
    client = make_client(Recorder(json_response(404, {"message": "no such thing"})))

    with pytest.raises(NotFoundError, match="no such thing"):
        await request(client, "GET", "/v1/anything")


def test_make_status_error_on_a_bare_response() -> None:
    req = httpx.Request("DELETE", "https://api.test.example/v1/project/p1")
    response = httpx.Response(409, json={"message": "busy"}, request=req)

    err = make_status_error(response)

    assert isinstance(err, ConflictError)
    assert str(err) == "DELETE /v1/project/p1 returned 409 Conflict: busy"


@pytest.mark.parametrize(
    ("body", "message", "code", "error"),
    [
        ({"message": "Deployment d1 not found"}, "Deployment d1 not found", None, None),
        ({"error": True, "message": "Invalid organization"}, "Invalid organization", None, True),
        ({"error": False}, "Conflict", None, False),
        (
            {"statusCode": 409, "message": "busy", "error": "Conflict", "code": "E_BUSY"},
            "busy",
            "E_BUSY",
            "Conflict",
        ),
        ({"message": "busy", "code": 1001}, "busy", "1001", None),
        ({"message": "busy", "code": True}, "busy", None, None),
        ({"error": {"code": "QUOTA", "message": "quota reached"}}, "quota reached", "QUOTA", None),
        ({"detail": "too late"}, "too late", None, None),
        ({"message": ["a", "b"]}, "a; b", None, None),
        ({"message": 42}, "Conflict", None, None),
        ([{"message": "in a list"}], "Conflict", None, None),
        ("just a string", "just a string", None, None),
        (None, "Conflict", None, None),
    ],
)
def test_message_code_and_error_come_from_the_envelope(
    body: object, message: str, code: str | None, error: str | bool | None
) -> None:
    req = httpx.Request("DELETE", "https://api.test.example/v1/project/p1")
    response = httpx.Response(409, json=body, request=req)

    err = make_status_error(response)

    assert (err.message, err.code, err.error) == (message, code, error)
    assert err.body == body
    assert str(err).startswith("DELETE /v1/project/p1 returned 409 Conflict")


def test_the_auth_explanation_is_in_str_not_in_message() -> None:
    req = httpx.Request("GET", "https://api.test.example/v1/api-keys/scope")
    response = httpx.Response(403, json={"message": "Invalid token"}, request=req)

    err = make_status_error(response)

    assert err.message == "Invalid token"
    assert "authentication failed" in str(err)
    assert "(server said: Invalid token)" in str(err)


def test_an_unknown_status_without_a_body_still_has_a_message() -> None:
    req = httpx.Request("GET", "https://api.test.example/v1/x")
    err = make_status_error(httpx.Response(599, request=req))
    assert err.message == "HTTP 599"
    assert type(err) is InternalServerError


def test_message_code_and_error_never_hold_the_token() -> None:
    secret = "tok_" + "s3cr3t" * 4
    escaped = "".join(f"\\u{ord(c):04x}" for c in secret)  # JSON-escaped in the body
    req = httpx.Request(
        "GET", "https://api.test.example/v1/x", headers={"Authorization": f"Bearer {secret}"}
    )
    text = '{"message": "bad ' + escaped + '", "code": "' + secret + '", "error": "' + secret + '"}'
    response = httpx.Response(400, text=text, request=req)

    err = make_status_error(response)

    assert (err.message, err.code, err.error) == ("bad ***", "***", "***")
    assert secret not in str(err) + repr(err.body)


def test_a_hand_built_status_error_reads_its_body() -> None:
    req = httpx.Request("GET", "https://api.test.example/v1/x")
    response = httpx.Response(404, request=req)
    err = NotFoundError(
        "GET /v1/x returned 404",
        response=response,
        body={"message": "nothing here", "code": "E404"},
        request_id=None,
    )
    assert (str(err), err.message, err.code, err.error) == (
        "GET /v1/x returned 404",
        "nothing here",
        "E404",
        None,
    )


def test_body_is_typed_for_reading_without_casts() -> None:
    err = make_status_error(
        httpx.Response(
            400,
            json={"errors": [{"field": "name"}]},
            request=httpx.Request("POST", "https://api.test.example/v1/x"),
        )
    )
    body: spheron.JSONValue = err.body
    assert isinstance(body, dict)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert errors == [{"field": "name"}]


def test_response_validation_error_contract() -> None:
    err = ResponseValidationError("bad", status_code=200, body="x" * 5000, cause=None)
    assert str(err) == "bad"
    assert err.status_code == 200
    assert len(err.body) == 1000


# Real sockets on 127.0.0.1: httpx's own exceptions are mapped, not just mocked ones.


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections (backlog) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def real_call(mode: str, base_url: str, **kwargs: Any) -> None:
    if mode == "sync":
        with Spheron(TOKEN, base_url=base_url, **kwargs) as client:
            get_organization.sync("org_1", client=client.api)
    else:
        async with AsyncSpheron(TOKEN, base_url=base_url, **kwargs) as aclient:
            await get_organization.asyncio("org_1", client=aclient.api)


async def test_real_read_timeout(mode: str, silent_port: int) -> None:
    with pytest.raises(APITimeoutError) as info:
        await real_call(mode, f"http://127.0.0.1:{silent_port}", timeout=0.2, max_retries=0)

    assert "ReadTimeout" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert TOKEN not in _chain_text(info.value)


async def test_real_connection_refused(mode: str, closed_port: int, sleeps: Sleeps) -> None:
    with pytest.raises(APIConnectionError) as info:
        await real_call(mode, f"http://127.0.0.1:{closed_port}", timeout=2.0)

    assert type(info.value) is APIConnectionError
    assert f"GET http://127.0.0.1:{closed_port}/v1/organization/org_1 failed: ConnectError" in str(
        info.value
    )
    assert sleeps == [0.5, 1.0]
    assert TOKEN not in _chain_text(info.value)
