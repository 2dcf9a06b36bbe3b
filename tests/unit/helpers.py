"""Helpers shared by the unit tests: constants, mode-agnostic calls, scripted handlers."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx

from spheron import AsyncSpheron, Spheron

TOKEN = "spheron_test_token_5f2c9a7e1d"
BASE_URL = "https://api.test.example"
ORG = {"_id": "org_1", "profile": {"name": "Acme", "username": "acme"}}

Handler = Callable[[httpx.Request], httpx.Response]
AnyClient = Spheron | AsyncSpheron


async def call(client: AnyClient, module: ModuleType, *args: Any, **kwargs: Any) -> Any:
    """Call a generated operation's ``*_detailed`` function in the client's mode."""
    if isinstance(client, AsyncSpheron):
        return await module.asyncio_detailed(*args, client=client.api, **kwargs)
    return module.sync_detailed(*args, client=client.api, **kwargs)


async def call_api(api: Any, client: AnyClient, module: ModuleType, *args: Any) -> Any:
    """Call a generated operation with the generated client ``api`` in ``client``'s mode."""
    if isinstance(client, AsyncSpheron):
        return await module.asyncio_detailed(*args, client=api)
    return module.sync_detailed(*args, client=api)


async def request(client: AnyClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A raw request through the client's configured httpx client."""
    if isinstance(client, AsyncSpheron):
        return await client.api.get_async_httpx_client().request(method, url, **kwargs)
    return client.api.get_httpx_client().request(method, url, **kwargs)


async def close(client: AnyClient) -> None:
    if isinstance(client, AsyncSpheron):
        await client.aclose()
    else:
        client.close()


def json_response(status: int, body: Any = None, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


class Recorder:
    """A mock handler that answers from a script and records the requests it saw."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        # A fresh copy each time: a response object can be sent only once.
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    @property
    def count(self) -> int:
        return len(self.requests)
