"""A scripted HTTP fake behind a real generated ``AuthenticatedClient``, and a client double."""

from __future__ import annotations

import inspect
import json
import threading
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from spheron_api_client import AuthenticatedClient

T = TypeVar("T")
Handler = Callable[[httpx.Request], Any]  # returns a Response, or an awaitable of one

BASE_URL = "https://api.test"


@dataclass(frozen=True)
class Sent:
    """What one request carried, decoded for assertions."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    request: httpx.Request

    @property
    def call(self) -> tuple[str, str, dict[str, str], Any]:
        return self.method, self.path, self.query, self.json


class FakeApi:
    """Answers requests from routes; records every request (thread-safe).

    A route is ``(METHOD, path)`` mapped to a list of answers used in turn (the last one
    repeats). An answer is a JSON value, an ``httpx.Response`` or a handler function.
    """

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], list[Any]] = {}
        self._lock = threading.Lock()
        self.sent: list[Sent] = []

    def route(self, method: str, path: str, *answers: Any) -> None:
        self._routes[(method.upper(), path)] = list(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        with self._lock:
            self.sent.append(_decode(request))
            answers = self._routes.get((request.method, request.url.path))
            if not answers:
                return httpx.Response(599, json={"message": f"no route for {request.url.path}"})
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, httpx.Response):
            return answer
        if callable(answer):
            result: httpx.Response = answer(request)
            return result
        return httpx.Response(200, json=answer)

    @property
    def last(self) -> Sent:
        return self.sent[-1]

    def calls(self) -> list[tuple[str, str, dict[str, str], Any]]:
        return [s.call for s in self.sent]


def _decode(request: httpx.Request) -> Sent:
    body: Any = None
    kind = request.headers.get("content-type", "")
    if request.content and kind.startswith("application/json"):
        body = json.loads(request.content)
    return Sent(
        method=request.method,
        path=request.url.path,
        query=dict(request.url.params),
        json=body,
        request=request,
    )


@dataclass
class FakeClient:
    """Satisfies ``spheron.resources.ClientLike``."""

    api: AuthenticatedClient
    organization_id: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def make_client(fake: Handler, organization_id: str | None = "org-1") -> FakeClient:
    transport = httpx.MockTransport(fake)
    api = AuthenticatedClient(base_url=BASE_URL, token="t", httpx_args={"transport": transport})
    return FakeClient(api=api, organization_id=organization_id)


async def resolve(value: Any) -> Any:
    """Await ``value`` if the async namespace returned a coroutine."""
    return await value if inspect.isawaitable(value) else value


async def collect(items: Iterable[T] | AsyncIterable[T]) -> list[T]:
    """Every item of a sync or async iterator."""
    if isinstance(items, AsyncIterable):
        return [item async for item in items]
    return list(items)


def namespace(client: Any, mode: str, dotted: str) -> Any:
    """``organizations``, ``projects.domains``, ... built the sync or the async way."""
    from spheron import resources

    classes: dict[str, tuple[type[Any], type[Any]]] = {
        "organizations": (resources.Organizations, resources.AsyncOrganizations),
        "projects": (resources.Projects, resources.AsyncProjects),
        "deployments": (resources.Deployments, resources.AsyncDeployments),
        "storage": (resources.Storage, resources.AsyncStorage),
        "compute": (resources.Compute, resources.AsyncCompute),
    }
    head, *rest = dotted.split(".")
    sync_class, async_class = classes[head]
    target = (sync_class if mode == "sync" else async_class)(client)
    for name in rest:
        target = getattr(target, name)
    return target
