"""The path from a friendly method to httpx's transport is short: at most five frames of our code
(``overrides/spheron`` and ``spheron_api_client``), as the README's "How a request flows" says."""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

import spheron
import spheron_api_client
from spheron import AsyncSpheron, Spheron
from spheron_api_client.api.organization import get_organization

from .helpers import BASE_URL, ORG, TOKEN

OURS = (
    str(Path(spheron.__file__).resolve().parent),
    str(Path(spheron_api_client.__file__).resolve().parent),
)
MAX_FRAMES = 5


def our_frames(frame: FrameType | None) -> list[str]:
    """``file:function`` of each frame of our code on the stack, innermost first."""
    found = []
    while frame is not None:
        path = str(Path(frame.f_code.co_filename).resolve())
        if path.startswith(OURS):
            found.append(f"{Path(path).name}:{frame.f_code.co_name}")
        frame = frame.f_back
    return found


class StackTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers like the API and records our frames above it at the moment it is called."""

    def __init__(self) -> None:
        self.stacks: list[list[str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.stacks.append(our_frames(sys._getframe(1)))
        return httpx.Response(200, json=ORG)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.stacks.append(our_frames(sys._getframe(1)))
        return httpx.Response(200, json=ORG)


def make(mode: str, transport: StackTransport) -> Any:
    cls = Spheron if mode == "sync" else AsyncSpheron
    return cls(TOKEN, base_url=BASE_URL, transport=transport)


async def test_a_friendly_method_is_at_most_five_frames_from_the_transport(mode: str) -> None:
    transport = StackTransport()
    client = make(mode, transport)
    result = client.organizations.get("org_1")
    if mode == "async":
        result = await result
    assert result.id == "org_1"
    (stack,) = transport.stacks
    assert len(stack) <= MAX_FRAMES, stack
    # The hops the README names, innermost first.
    assert [hop.split(":")[1] for hop in stack] == [
        "handle_async_request" if mode == "async" else "handle_request",
        "send",
        "asyncio_detailed" if mode == "async" else "sync_detailed",
        "_call",
        "get",
    ]


async def test_a_generated_function_with_client_api_is_three_frames(mode: str) -> None:
    transport = StackTransport()
    client = make(mode, transport)
    if mode == "sync":
        get_organization.sync("org_1", client=client.api)
    else:
        await get_organization.asyncio("org_1", client=client.api)
    (stack,) = transport.stacks
    assert len(stack) <= 4, stack  # transport, send, *_detailed, sync()/asyncio()


def test_the_count_sees_every_frame_of_ours() -> None:
    """A pager adds its own hops; the counter sees them (so the limit above can fail)."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"projects": []})

    transport = StackTransport()
    transport.handle_request = answer_and_record(transport, answer)  # type: ignore[method-assign]
    client = Spheron(TOKEN, base_url=BASE_URL, transport=transport, organization_id="org_1")
    client.organizations.list_projects().first_page()
    (stack,) = transport.stacks
    assert len(stack) > MAX_FRAMES, stack
    assert any(hop.startswith("_pagination.py:") for hop in stack)
    assert our_frames(sys._getframe()) == []  # test code is not ours


def answer_and_record(transport: StackTransport, answer: Any) -> Any:
    def handle_request(request: httpx.Request) -> httpx.Response:
        transport.stacks.append(our_frames(sys._getframe(1)))
        return answer(request)  # type: ignore[no-any-return]

    return handle_request
