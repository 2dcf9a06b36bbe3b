"""Clients wired to a scripted mock server, the outcome check, and the case counter."""

from __future__ import annotations

import asyncio
import enum
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import attrs
import httpx

import spheron
from spheron import AsyncSpheron, Spheron
from spheron._errors import error_class_for_status

from ._operations import Operation, conforms
from ._strategies import TOKEN, FakeResponse

BASE_URL = "https://api.fuzz.test"
COMPRESSIONS = {"gzip", "deflate", "br", "zstd"}
MESSAGE_LIMIT = 5_000
"""Longest acceptable error message: bodies of megabytes must not end up in messages and logs."""


@dataclass
class Stats:
    """What the fuzz tests executed, for the final count."""

    cases: int = 0
    unexpected: int = 0
    """Exceptions that are not ``SpheronError``."""
    violations: int = 0
    """Values or errors that break the contract (wrong class, token in the message, ...)."""
    operations: set[str] = field(default_factory=set)
    modes: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    codings: Counter[str] = field(default_factory=Counter)
    tolerant_cases: int = 0
    tolerant_unknown_enums: int = 0
    tolerant_extra_keys: int = 0
    longest_message: int = 0

    def summary(self) -> str:
        line = (
            f"fuzz: {self.cases} cases over {len(self.operations)} operations, "
            f"{self.unexpected} unexpected exceptions"
        )
        if self.cases:
            malformed = self.cases - self.tolerant_cases
            line += f" [{malformed} malformed answers, {self.tolerant_cases} with additions]"
        if self.violations:
            line += f", {self.violations} contract violations"
        return line

    def details(self) -> str:
        def fmt(counter: Counter[str]) -> str:
            return ", ".join(f"{k} {v}" for k, v in counter.most_common())

        return (
            f"  modes: {fmt(self.modes)}\n"
            f"  outcomes: {fmt(self.outcomes)}\n"
            f"  bodies: {fmt(self.kinds)}\n"
            f"  content-encodings: {fmt(self.codings)}\n"
            f"  additions: {self.tolerant_cases} valid bodies with "
            f"{self.tolerant_unknown_enums} unknown enum values and "
            f"{self.tolerant_extra_keys} extra keys, all decoded and re-encoded unchanged\n"
            f"  longest error message: {self.longest_message} characters"
        )


STATS = Stats()


class MockServer:
    """Answers every request with ``answer`` after checking it is the operation's request."""

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.answer: FakeResponse | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        op = self.op
        assert request.method == op.method, (request.method, op)
        assert op.path_pattern.match(request.url.path), (request.url.path, op.path)
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        answer = self.answer
        assert answer is not None
        # A stream, not content=: the body is read later by the client, as from a socket.
        headers = [
            *((k.encode(), v) for k, v in answer.headers),
            (b"content-length", str(len(answer.content)).encode()),
        ]
        return httpx.Response(
            answer.status, headers=headers, stream=httpx.ByteStream(answer.content)
        )


@dataclass
class Clients:
    """A sync and an async client (no retries) that talk to one :class:`MockServer`."""

    server: MockServer
    sync: Spheron
    async_: AsyncSpheron
    loop: asyncio.AbstractEventLoop

    def call(self, answer: FakeResponse, *, use_async: bool) -> Any:
        self.server.answer = answer
        op = self.server.op
        if use_async:
            return self.loop.run_until_complete(
                op.module.asyncio(**op.arguments(), client=self.async_.api)
            )
        return op.module.sync(**op.arguments(), client=self.sync.api)


@contextmanager
def clients(op: Operation) -> Iterator[Clients]:
    server = MockServer(op)
    transport = httpx.MockTransport(server)
    loop = asyncio.new_event_loop()
    sync = Spheron(
        TOKEN, base_url=BASE_URL, http_client=httpx.Client(transport=transport), max_retries=0
    )
    async_ = AsyncSpheron(
        TOKEN,
        base_url=BASE_URL,
        http_client=httpx.AsyncClient(transport=transport),
        max_retries=0,
    )
    try:
        yield Clients(server, sync, async_, loop)
    finally:
        sync.close()
        loop.run_until_complete(async_.aclose())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def check_error(op: Operation, answer: FakeResponse, exc: spheron.SpheronError) -> str:
    """Check a raised error against the answer; returns its outcome label."""
    message = str(exc)
    assert isinstance(message, str) and message, f"{type(exc).__name__} without a message"
    if TOKEN in message:
        shown = message.replace(TOKEN, "<TOKEN>")[:500]
        raise AssertionError(f"the token leaked into the message: {shown!r}")
    STATS.longest_message = max(STATS.longest_message, len(message))
    assert len(message) <= MESSAGE_LIMIT, f"message of {len(message)} characters"
    status = answer.status
    if 300 <= status < 400 and isinstance(exc, spheron.APIConnectionError):
        # httpx parses Location even when not following redirects; garbage there is a
        # protocol error.
        assert answer.header("location") is not None, f"{status}: {message}"
        assert "location header" in message, message
    elif 200 <= status < 300 and isinstance(exc, spheron.APIConnectionError):
        # httpx could not decompress a body that claims a content-coding it does not have.
        assert answer.header("content-encoding") in COMPRESSIONS, f"{status}: {message}"
        assert "DecodingError" in message, message
    elif 200 <= status < 300:
        assert isinstance(exc, spheron.ResponseValidationError), (
            f"a {status} answer raised {type(exc).__name__}, not ResponseValidationError"
        )
        assert exc.status_code == status
        assert isinstance(exc.body, str) and len(exc.body) <= 1000
    else:
        expected = error_class_for_status(status)
        assert type(exc) is expected, f"{status} raised {type(exc).__name__}, not {expected}"
        assert isinstance(exc, spheron.APIStatusError)
        assert exc.status_code == status
        assert isinstance(exc.message, str)
    return type(exc).__name__


def check_result(op: Operation, answer: FakeResponse, result: Any) -> str:
    """Check a returned value against the answer; returns its outcome label."""
    assert 200 <= answer.status < 300, f"a {answer.status} answer returned {result!r:.200}"
    if not op.decodes_success:
        assert result is None, f"{op} documents no 2xx body but decoded {result!r:.200}"
        return "None (no 2xx body documented)"
    assert result is not None, f"{op}: a {answer.status} answer decoded to None"
    assert conforms(result, op.returns), f"{op}: decoded {type(result)}, not {op.returns}"
    return "decoded"


def run_case(clients: Clients, answer: FakeResponse, *, use_async: bool) -> None:
    """One example: the property that every answer gives a value or a ``SpheronError``."""
    op = clients.server.op
    STATS.cases += 1
    STATS.operations.add(op.operation_id)
    STATS.modes["async" if use_async else "sync"] += 1
    STATS.kinds[answer.kind] += 1
    if answer.coding:
        STATS.codings[answer.coding] += 1
    try:
        result = clients.call(answer, use_async=use_async)
    except Exception as exc:
        if not isinstance(exc, spheron.SpheronError):
            STATS.unexpected += 1
            raise
        outcome = _checked(check_error, op, answer, exc)
    else:
        outcome = _checked(check_result, op, answer, result)
    STATS.outcomes[outcome] += 1


def _checked(check: Callable[[Operation, FakeResponse, Any], str], *args: Any) -> str:
    try:
        return check(*args)
    except AssertionError:
        STATS.violations += 1
        raise


def additions(value: Any) -> tuple[int, int]:
    """(unknown enum members, extra keys) found in a decoded value."""
    members = keys = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, enum.Enum):
            assert item.value is not None
            known: bool = item.is_known  # type: ignore[attr-defined]  # our tolerant enums
            members += not known
        elif isinstance(item, list):
            stack.extend(item)
        elif attrs.has(type(item)):
            keys += len(item.additional_properties)
            stack.extend(getattr(item, f.name) for f in attrs.fields(type(item)))
    return members, keys


def run_tolerant_case(clients: Clients, body: Any, *, use_async: bool) -> None:
    """One example of property 2: a valid body with additions decodes and re-encodes unchanged."""
    op = clients.server.op
    STATS.cases += 1
    STATS.tolerant_cases += 1
    STATS.operations.add(op.operation_id)
    STATS.modes["async" if use_async else "sync"] += 1
    answer = FakeResponse(
        200, json.dumps(body).encode(), (("content-type", b"application/json"),), "tolerant"
    )
    try:
        result = clients.call(answer, use_async=use_async)  # must not raise at all
        assert result is not None and conforms(result, op.returns), repr(result)[:300]
        encoded = [r.to_dict() for r in result] if isinstance(result, list) else result.to_dict()
        assert encoded == body, "decoding lost or changed part of the body"
    except BaseException:
        STATS.violations += 1
        raise
    members, keys = additions(result)
    STATS.outcomes["decoded (additions)"] += 1
    STATS.tolerant_unknown_enums += members
    STATS.tolerant_extra_keys += keys
