"""``with_raw_response`` (every method of every namespace, sync and async) and
``with_streaming_response`` (the event stream, returned before its body)."""

from __future__ import annotations

import inspect
import time
from typing import Any

import anyio
import httpx
import pytest

from spheron import (
    AsyncPager,
    AsyncSpheron,
    AsyncStreamedResponse,
    NotFoundError,
    RawResponse,
    ResponseValidationError,
    Spheron,
    StreamedResponse,
    SyncPager,
)
from spheron._resource_base import DEPRECATED_ALIAS

from .._complete import complete, complete_answer
from ..hostile._servers import SeenRequest, Send, hostile_server
from ._fakes import FakeApi, FakeClient, namespace, resolve
from .test_namespaces import CASES, Case

TOKEN = "raw-response-token-3c9a"


@pytest.mark.parametrize("spec", CASES, ids=str)
async def test_raw_response_of_every_method(
    spec: Case, mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route(
        spec.method,
        spec.path,
        lambda request: httpx.Response(
            200,
            json=complete_answer(request.method, request.url.path, spec.answer),
            headers={"x-request-id": "req-7"},
        ),
    )
    target, _, name = spec.target.rpartition(".")
    raw_method = getattr(namespace(client, mode, target).with_raw_response, name)

    raw = await resolve(raw_method(*spec.args, **spec.kwargs))

    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.request_id == "req-7"
    assert raw.headers["x-request-id"] == "req-7"
    assert raw.http_version == "HTTP/1.1"
    assert (raw.method, raw.url.path) == (spec.method, spec.path)
    assert fake.calls() == [(spec.method, spec.path, spec.query, spec.body)]
    if spec.expected is not None:
        assert spec.pick(raw.parse()) == spec.expected
    fake.sent.clear()
    plain = await resolve(getattr(namespace(client, mode, target), name)(*spec.args, **spec.kwargs))
    assert type(raw.parse()) is type(plain)


def _namespaces(obj: object, path: str) -> list[tuple[str, Any]]:
    found = []
    for name in sorted(n for n in dir(obj) if not n.startswith(("_", "with_"))):
        value = getattr(obj, name)
        if type(value).__module__.startswith(
            ("spheron._sync.resources", "spheron._async.resources")
        ):
            found.append((f"{path}.{name}", value))
            found += _namespaces(value, f"{path}.{name}")
    return found


def test_every_method_of_every_namespace_has_a_raw_twin() -> None:
    missing = []
    for cls in (Spheron, AsyncSpheron):
        for where, space in _namespaces(cls(TOKEN, organization_id="o"), cls.__name__):
            raw = space.with_raw_response
            streaming = getattr(space, "with_streaming_response", None)
            for name, method in inspect.getmembers(space, inspect.ismethod):
                if name.startswith("_") or hasattr(method, DEPRECATED_ALIAS):
                    continue
                twin = getattr(raw, name, None) or getattr(streaming, name, None)
                if twin is None:
                    missing.append(f"{where}.{name}")
        client = cls(TOKEN, organization_id="o")
        for name in ("token_scope", "profile"):  # the client's own calls
            if getattr(client.with_raw_response, name, None) is None:
                missing.append(f"{cls.__name__}.{name}")
    assert missing == []


async def test_a_list_method_returns_its_first_page_response_and_the_pager(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1/deployments", [{"_id": "d1"}], [{"_id": "d1"}])

    raw = await resolve(
        namespace(client, mode, "projects").with_raw_response.list_deployments("p1")
    )

    assert raw.status_code == 200 and raw.url.params["skip"] == "0"
    pager = raw.parse()
    assert isinstance(pager, SyncPager if mode == "sync" else AsyncPager)
    page = await resolve(pager.first_page())
    assert [d.id for d in page.items] == ["d1"]


async def test_a_non_2xx_answer_still_raises_its_typed_error(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/gone", httpx.Response(404, json={"message": "no such"}))

    with pytest.raises(NotFoundError):
        await resolve(namespace(client, mode, "projects").with_raw_response.get("gone"))


async def test_a_body_that_does_not_decode_is_raised_by_parse(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    # Bytes given as they are: httpx's own JSON encoding differs between releases.
    body = b'{"deployment":"nope"}'
    answer = httpx.Response(200, content=body, headers={"content-type": "application/json"})
    fake.route("GET", "/v1/deployment/d1", answer)

    raw = await resolve(namespace(client, mode, "deployments").with_raw_response.get("d1"))

    assert raw.status_code == 200 and raw.content == body
    with pytest.raises(ResponseValidationError):
        raw.parse()


async def test_raw_calls_take_per_call_options(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1", {"_id": "p1"})

    raw = await resolve(
        namespace(client, mode, "projects").with_raw_response.get("p1", extra_query={"a": "1"})
    )

    assert raw.url.params["a"] == "1"
    assert raw.parse().id == "p1"


def test_the_request_id_is_masked_when_it_echoes_the_token() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = complete("Project", {"_id": "p1"})
        return httpx.Response(200, json=body, headers={"x-request-id": f"id-{TOKEN}"})

    with Spheron(TOKEN, base_url="https://api.test", transport=httpx.MockTransport(answer)) as c:
        raw = c.projects.with_raw_response.get("p1")

    assert raw.request_id == "id-***"
    assert TOKEN not in repr(raw)


STREAM_HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: sse-1\r\n\r\n"


def _stalling(request: SeenRequest, send: Send) -> None:
    send(STREAM_HEAD)
    time.sleep(5)  # headers sent, body stalls
    send(b'data: {"type": 1}\n\n')


def test_the_sync_streaming_response_returns_before_the_body() -> None:
    with hostile_server(_stalling) as server, Spheron(TOKEN, base_url=server.url) as client:
        began = time.monotonic()
        with client.deployments.with_streaming_response.events("topic") as response:
            took = time.monotonic() - began
            assert isinstance(response, StreamedResponse)
            assert response.status_code == 200 and response.request_id == "sse-1"
            assert not response.http_response.is_stream_consumed
            events = response.parse()
            first = next(events)
            assert first.type == 1
            assert time.monotonic() - began >= 4
    assert took < 2
    assert server.requests[0].target == "/v1/subscribe?sessionId=topic"


def test_the_async_streaming_response_returns_before_the_body() -> None:
    async def run(url: str) -> float:
        async with AsyncSpheron(TOKEN, base_url=url) as client:
            began = time.monotonic()
            stream = client.deployments.with_streaming_response.events(
                "topic", extra_headers={"X-Trace": "sse"}
            )
            async with stream as response:
                took = time.monotonic() - began
                assert isinstance(response, AsyncStreamedResponse)
                assert response.headers["content-type"] == "text/event-stream"
            return took

    with hostile_server(_stalling) as server:
        took = anyio.run(run, server.url)
    assert took < 2
    assert server.requests[0].headers["x-trace"] == "sse"


def test_the_streaming_response_raises_typed_errors() -> None:
    def missing(request: SeenRequest, send: Send) -> None:
        send(
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 21\r\n\r\n" + b'{"message": "no such"}'[:21]
        )

    with hostile_server(missing) as server, Spheron(TOKEN, base_url=server.url) as client:
        stream = client.deployments.with_streaming_response.events("topic")
        with pytest.raises(NotFoundError), stream:
            pass
