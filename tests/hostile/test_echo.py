"""Finding 6: a hostile server echoes the token back; it must not survive anywhere we keep it.

Forms: raw, JSON-escaped (every character as ``\\uXXXX``, mixed case hex, ``\\/``),
percent-encoded and mixed; places: an error body (``exc.body``, ``exc.message``, ``str(exc)``),
the ``x-request-id`` header (``exc.request_id``), a 2xx body that does not decode, and the DEBUG
records of the ``spheron``, ``httpx`` and ``httpcore`` loggers; tokens of any length.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import anyio
import pytest

from spheron import APIStatusError, ResponseValidationError
from tests._modes import open_client, raised
from tests.hostile._servers import SeenRequest, Send, hostile_server, http_response

LONG = "spheron_echo_token_9d3f/2a+b=c"
SHORT = "k3y"


def raw(token: str) -> str:
    return token


def json_escaped(token: str) -> str:
    return "".join(f"\\u{ord(c):04X}" if i % 2 else f"\\u{ord(c):04x}" for i, c in enumerate(token))


def slash_escaped(token: str) -> str:
    return token.replace("/", "\\/")


def percent(token: str) -> str:
    return "".join(f"%{ord(c):02X}" for c in token)


def mixed(token: str) -> str:
    return "".join(
        c if i % 3 == 0 else (f"\\u{ord(c):04x}" if i % 3 == 1 else f"%{ord(c):02x}")
        for i, c in enumerate(token)
    )


FORMS: list[Callable[[str], str]] = [raw, json_escaped, slash_escaped, percent, mixed]


def _call(mode: str, url: str, token: str) -> BaseException:
    """Call ``projects.get`` against ``url`` and return what it raised."""

    async def run() -> BaseException:
        async with open_client(mode, token=token, base_url=url, max_retries=0) as client:
            return await raised(lambda: client.projects.get("p1"))

    return anyio.run(run)


def _everything(exc: BaseException) -> str:
    parts = [str(exc), repr(exc), repr(getattr(exc, "body", None))]
    parts += [str(getattr(exc, name, "")) for name in ("message", "request_id")]
    return "\n".join(parts)


@pytest.mark.parametrize("token", [LONG, SHORT])
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_an_error_body_echoing_the_token(mode: str, token: str, form: Callable[[str], str]) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        body = '{"message": "invalid token ' + form(token) + '", "echo": ["' + form(token) + '"]}'
        send(http_response(400, body.encode(), content_type="application/json"))

    with hostile_server(script) as server:
        exc = _call(mode, server.url, token)
        assert server.requests[0].headers["authorization"] == f"Bearer {token}"
    assert isinstance(exc, APIStatusError)
    assert exc.status_code == 400
    assert token not in _everything(exc)
    assert "***" in str(exc)
    body = exc.body
    assert isinstance(body, dict)
    assert token not in json.dumps(body)
    assert "invalid token ***" in exc.message


@pytest.mark.parametrize("token", [LONG, SHORT])
@pytest.mark.parametrize("form", [raw, percent, mixed], ids=lambda f: f.__name__)
def test_a_request_id_echoing_the_token(
    mode: str, token: str, form: Callable[[str], str], caplog: pytest.LogCaptureFixture
) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(404, b'{"message": "nope"}', x_request_id="rid-" + form(token)))

    with caplog.at_level(logging.DEBUG), hostile_server(script) as server:
        exc = _call(mode, server.url, token)
    assert isinstance(exc, APIStatusError)
    assert exc.request_id == "rid-***"
    assert token not in _everything(exc)
    # httpcore logs the response headers at DEBUG; the echo is masked there too.
    headers_logged = [r for r in caplog.records if r.name.startswith("httpcore")]
    assert any("rid-***" in r.getMessage() for r in headers_logged)
    for record in caplog.records:
        assert token not in record.getMessage(), record.name


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_a_2xx_body_that_does_not_decode_and_echoes_the_token(
    mode: str, form: Callable[[str], str]
) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        body = '{"oops": "' + form(SHORT) + '"'  # truncated JSON
        send(http_response(200, body.encode(), content_type="application/json"))

    with hostile_server(script) as server:
        exc = _call(mode, server.url, SHORT)
    assert isinstance(exc, ResponseValidationError)
    assert SHORT not in str(exc) + exc.body
