"""The bugs the fuzz tests found, one deterministic example each.

Fixed in ``overrides/spheron`` (these must pass):
- a 2xx body with a false ``Content-Encoding`` raised ``httpx.DecodingError``;
- the token came back in an error message through a response header (request id, Location) or a
  JSON-escaped body, which the raw-text redaction did not see;
- an error body nested deeper than the stack raised ``RecursionError``;
- an HTML error body with many unclosed ``<title`` tags took quadratic time (minutes for 1 MB);
- a megabyte ``message`` in an error body became a megabyte exception message.

Fixed in ``openapi/templates`` (endpoint and errors templates, then ``make generate``):
- a 2xx status ``http.HTTPStatus`` has no name for (209, 299) raised ``ValueError``;
- a 2xx body nested deeper than the stack, or a date out of range, escaped decoding;
- ``ResponseValidationError`` quoted a body value that echoed the token.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

import spheron
from spheron import AsyncSpheron, Spheron
from spheron_api_client.api.project import get_project
from spheron_api_client.models import Project

from .._complete import project_json
from ._strategies import ESCAPED_TOKEN, TOKEN

BASE_URL = "https://api.fuzz.test"
Answer = Callable[..., Spheron]


def _answer(
    status: int, content: bytes, headers: dict[str, str] | None = None
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent = {"content-type": "application/json", **(headers or {})}
        sent["content-length"] = str(len(content))
        return httpx.Response(status, headers=sent, stream=httpx.ByteStream(content))

    return httpx.MockTransport(handler)


@pytest.fixture
def answer() -> Iterator[Answer]:
    made: list[Spheron] = []

    def make(status: int, content: bytes, headers: dict[str, str] | None = None) -> Spheron:
        transport = _answer(status, content, headers)
        client = Spheron(
            TOKEN,
            base_url=BASE_URL,
            http_client=httpx.Client(transport=transport),
            max_retries=0,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def _error(client: Spheron) -> spheron.SpheronError:
    with pytest.raises(spheron.SpheronError) as info:
        get_project.sync("p1", client=client.api)
    return info.value


# --- fixed in overrides/spheron ---------------------------------------------------------------


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_false_content_encoding_on_2xx_is_a_connection_error(answer: Answer, coding: str) -> None:
    err = _error(answer(200, b'{"_id": "p1"}', {"content-encoding": coding}))
    assert isinstance(err, spheron.APIConnectionError)
    assert "DecodingError" in str(err) and "GET https://api.fuzz.test/v1/project/p1" in str(err)


async def test_false_content_encoding_async() -> None:
    transport = _answer(200, b'{"_id": "p1"}', {"content-encoding": "gzip"})
    async with AsyncSpheron(
        TOKEN, base_url=BASE_URL, http_client=httpx.AsyncClient(transport=transport)
    ) as client:
        with pytest.raises(spheron.APIConnectionError, match="DecodingError"):
            await get_project.asyncio("p1", client=client.api)


def test_true_content_encoding_still_decodes(answer: Answer) -> None:
    client = answer(200, gzip.compress(project_json("p1")), {"content-encoding": "gzip"})
    project = get_project.sync("p1", client=client.api)
    assert isinstance(project, Project) and project.id == "p1"


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (500, {"x-request-id": TOKEN}, b"{}"),
        (404, {"request-id": f"req {TOKEN}"}, b""),
        (302, {"location": f"https://evil.example/?t={TOKEN}"}, b""),
        (400, {}, json.dumps({"message": "x"}).replace("x", ESCAPED_TOKEN).encode()),
        (403, {}, f'{{"error": {{"message": "Bearer {ESCAPED_TOKEN}"}}}}'.encode()),
    ],
    ids=["request-id", "request-id-2", "location", "escaped-json", "escaped-json-403"],
)
def test_token_is_redacted_from_headers_and_escaped_json(
    answer: Answer, status: int, headers: dict[str, str], body: bytes
) -> None:
    err = _error(answer(status, body, headers))
    assert isinstance(err, spheron.APIStatusError) and err.status_code == status
    assert TOKEN not in str(err)


def test_token_in_an_invalid_location_is_redacted(answer: Answer) -> None:
    err = _error(answer(301, b"", {"location": f"\x01{TOKEN}"}))
    # A status error naming the redirect, or (when httpx parses Location first) a protocol error.
    assert isinstance(err, spheron.APIStatusError | spheron.APIConnectionError)
    assert TOKEN not in str(err)


@pytest.mark.parametrize("opener", ["[", '{"message":'])
def test_error_body_nested_beyond_the_stack(answer: Answer, opener: str) -> None:
    err = _error(answer(502, (opener * 50_000).encode()))
    assert isinstance(err, spheron.InternalServerError)
    assert "non-JSON response" in str(err)


def test_deeply_nested_error_messages_are_bounded(answer: Answer) -> None:
    body = '{"message":' * 900 + '"deep"' + "}" * 900
    err = _error(answer(400, body.encode()))
    assert isinstance(err, spheron.BadRequestError)  # no RecursionError from the message search


def test_many_unclosed_title_tags_are_summarized_fast(answer: Answer) -> None:
    client = answer(502, b"<title>" * 150_000, {"content-type": "text/html"})
    started = time.monotonic()
    err = _error(client)
    assert time.monotonic() - started < 5.0  # minutes before the fix
    assert isinstance(err, spheron.InternalServerError)


def test_huge_server_message_is_shortened(answer: Answer) -> None:
    err = _error(answer(422, json.dumps({"message": "m" * 10_000}).encode()))
    assert isinstance(err, spheron.UnprocessableEntityError)
    assert len(str(err)) < 1_200 and str(err).endswith("…")
    assert isinstance(err.body, dict) and err.body["message"] == "m" * 10_000
    assert len(err.message) == 1_000 and err.message.endswith("…")


def test_an_error_body_past_64_kib_is_cut_there(answer: Answer) -> None:
    # Only the first 64 KiB of an error body are read (issue 15): the message shows their start.
    err = _error(answer(422, json.dumps({"message": "m" * 1_000_000}).encode()))
    assert isinstance(err, spheron.UnprocessableEntityError)
    assert len(str(err)) < 1_200 and '{"message": "mmm' in str(err)
    assert isinstance(err.body, str) and len(err.body) <= 1_000


# --- fixed in the templates ---------------------------------------------------------------------


def test_unnamed_2xx_status_decodes(answer: Answer) -> None:
    project = get_project.sync("p1", client=answer(299, project_json("p1")).api)
    assert isinstance(project, Project)


def test_2xx_body_nested_beyond_the_stack(answer: Answer) -> None:
    with pytest.raises(spheron.ResponseValidationError):
        get_project.sync("p1", client=answer(200, b"[" * 50_000).api)


def test_2xx_date_out_of_range(answer: Answer) -> None:
    # ISO 8601's 24:00 is the next day's midnight: year 10000, past datetime.MAXYEAR.
    body = project_json("p1", createdAt="9999-12-31T24:00:00")
    with pytest.raises(spheron.ResponseValidationError):
        get_project.sync("p1", client=answer(200, body).api)


def test_token_not_in_validation_message(answer: Answer) -> None:
    body = project_json("p1", state=[TOKEN])
    err = _error(answer(200, body))
    assert isinstance(err, spheron.ResponseValidationError)
    leaked = TOKEN in str(err)  # not in the assert: the failure text must not show the token
    assert not leaked, "the token is in the message"
