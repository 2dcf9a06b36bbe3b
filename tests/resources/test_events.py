"""``deployments.events``: the ``/v1/subscribe`` event stream."""

from __future__ import annotations

import httpx
import pytest

from spheron import APIStatusError
from spheron._events import ServerSentEvent, SseDecoder

from ._fakes import FakeApi, FakeClient, collect, namespace

STREAM = (
    ": keep-alive\n\n"
    'event: message\ndata: {"type": 1, "message": "building"}\n\n'
    'data: {"type": 2,\ndata:  "deploymentId": "d1"}\nid: 7\n\n'
    "retry: 3000\n\n"
)


async def test_events_follow_the_session(mode: str, fake: FakeApi, client: FakeClient) -> None:
    fake.route(
        "GET",
        "/v1/subscribe",
        httpx.Response(200, text=STREAM, headers={"content-type": "text/event-stream"}),
    )

    events = await collect(namespace(client, mode, "deployments").events("topic-1"))

    assert fake.calls() == [("GET", "/v1/subscribe", {"sessionId": "topic-1"}, None)]
    assert fake.last.request.headers["accept"] == "text/event-stream"
    assert events == [
        ServerSentEvent('{"type": 1, "message": "building"}'),
        ServerSentEvent('{"type": 2,\n "deploymentId": "d1"}', id="7"),
    ]
    assert [e.type for e in events] == [1, 2]
    assert events[1].json() == {"type": 2, "deploymentId": "d1"}


async def test_events_refuse_an_error_answer(mode: str, fake: FakeApi, client: FakeClient) -> None:
    fake.route("GET", "/v1/subscribe", httpx.Response(302))

    # Through the production path the transport types the answer before the stream is read.
    with pytest.raises(APIStatusError, match="returned 302"):
        await collect(namespace(client, mode, "deployments").events("topic-1"))


def test_decoder_rules() -> None:
    lines = ["event: log", "data", "data:x", "retry: soon", "retry: 10", "id: a\0b", "", "", "x: y"]

    events = list(SseDecoder().decode(lines))

    assert events == [ServerSentEvent("\nx", event="log", retry=10)]
    assert ServerSentEvent("not json").type is None
    assert ServerSentEvent("[1]").type is None
