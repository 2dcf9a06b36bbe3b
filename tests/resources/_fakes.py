"""A scripted HTTP fake, and real ``Spheron``/``AsyncSpheron`` clients whose transport it is."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from spheron import AsyncSpheron, Spheron
from tests._modes import client_class, collect, resolve

__all__ = ["FakeApi", "FakeClient", "Sent", "collect", "make_client", "namespace", "resolve"]

from .._complete import complete_answer

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
    repeats). An answer is a JSON value, an ``httpx.Response`` or a handler function. A JSON
    value is completed with the keys the document requires in that operation's answer
    (``tests/_complete.py``); an ``httpx.Response`` is sent exactly as built.
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
        return httpx.Response(200, json=complete_answer(request.method, request.url.path, answer))

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


TOKEN = "resources-test-token-5b1e7c0d9a"


class FakeClient:
    """Real ``Spheron``/``AsyncSpheron`` clients (the production path: auth, transport, typed
    errors) whose transport is the fake; ``of(mode)`` builds the client of one mode on first use.

    Retries are off so that each scripted answer is seen once.
    """

    def __init__(self, handler: Handler, organization_id: str | None) -> None:
        self.handler = handler
        self.organization_id = organization_id
        self._clients: dict[str, Spheron | AsyncSpheron] = {}

    def of(self, mode: str) -> Any:
        if mode not in self._clients:
            self._clients[mode] = client_class(mode)(
                TOKEN,
                base_url=BASE_URL,
                transport=httpx.MockTransport(self.handler),
                organization_id=self.organization_id,
                max_retries=0,
            )
        return self._clients[mode]


def make_client(fake: Handler, organization_id: str | None = "org-1") -> FakeClient:
    return FakeClient(fake, organization_id)


def namespace(client: FakeClient, mode: str, dotted: str) -> Any:
    """``organizations``, ``projects.domains``, ... of the client of ``mode``."""
    target: Any = client.of(mode)
    for name in dotted.split("."):
        target = getattr(target, name)
    return target
