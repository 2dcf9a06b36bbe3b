"""One call of a generated function against Prism, and what came of it.

Prism reports what it found wrong in an ``sl-violations`` response header (a JSON list of
``{location, severity, code, message}``). In mock mode an invalid request is answered with the
operation's documented 422, else its 400 (every operation here documents 400), else a 422 of
Prism's own; a valid one with a mocked 2xx built from the document. Prism also checks the mocked
response against the document and lists what does not match under ``location[0] == "response"``.

The raw response is captured with an httpx event hook on the connection-pool client, below our
retry/error transport, so the header is seen whether the call returned or raised.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx

from spheron import APIStatusError, AsyncSpheron, Spheron
from spheron_api_client.errors import ResponseValidationError

from ._operations import Call, Operation, Variant, build_call, example, operations, resolve
from ._prism import Mode

TOKEN = "contract-test-token"
JSON_TYPES = ("application/json",)
PRISM_MULTIPART_ARRAYS = (
    "Prism 5.x keeps only the last multipart part of a repeated name, so an array property of "
    "a multipart/form-data body always fails its `type: array` check (stoplightio/prism#2654)"
)

ACCEPT_ISSUE = (
    "the generated function sends Accept: application/json to an operation that only answers "
    "{media}, and Prism answers 406. Fix: openapi/templates/endpoint_module.py.jinja should "
    "send the documented 2xx media types as the Accept header"
)

REJECTED_MOCK = "rejected a mock that Prism reports as not matching the document"

_CAPTURED: ContextVar[list[httpx.Response] | None] = ContextVar("contract_captured", default=None)


def _capture(response: httpx.Response) -> None:
    box = _CAPTURED.get()
    if box is not None:
        response.read()  # keep the raw body: the client reads its own decoded copy
        box.append(response)


async def _capture_async(response: httpx.Response) -> None:
    box = _CAPTURED.get()
    if box is not None:
        await response.aread()
        box.append(response)


def sync_client(base_url: str) -> tuple[Spheron, httpx.Client]:
    """A ``Spheron`` on Prism whose connection pool records every raw response."""
    pool = httpx.Client(follow_redirects=False, event_hooks={"response": [_capture]})
    client = Spheron(token=TOKEN, base_url=base_url, max_retries=0, timeout=30, http_client=pool)
    return client, pool


def async_client(base_url: str) -> tuple[AsyncSpheron, httpx.AsyncClient]:
    pool = httpx.AsyncClient(follow_redirects=False, event_hooks={"response": [_capture_async]})
    client = AsyncSpheron(
        token=TOKEN, base_url=base_url, max_retries=0, timeout=30, http_client=pool
    )
    return client, pool


def success_media_types(operation: Operation) -> tuple[str, ...]:
    found: list[str] = []
    for status in sorted(operation.success_statuses):
        for media_type in operation.media_types(status):
            if media_type not in found:
                found.append(media_type)
    return tuple(found)


def accept_mismatch(operation: Operation) -> bool:
    """The operation answers only non-JSON media types, yet its generated function does not ask
    for them: ``Spheron`` sends ``Accept: application/json`` on every request, so a server that
    negotiates (Prism does) answers 406. Read from the generated ``_get_kwargs``, so a template
    that sends the right ``Accept`` makes this False without touching the tests."""
    return _accept_mismatch(operation.operation_id)


@cache
def _accept_mismatch(operation_id: str) -> bool:
    operation = next(op for op in operations() if op.operation_id == operation_id)
    media_types = success_media_types(operation)
    if not media_types or any(m in JSON_TYPES for m in media_types):
        return False
    kwargs = operation.module()._get_kwargs(**build_call(operation).kwargs)
    headers = {str(k).lower(): str(v) for k, v in kwargs.get("headers", {}).items()}
    return not any(m in headers.get("accept", "") for m in media_types)


@dataclass
class Outcome:
    """What one call produced; ``ok`` means it honours the contract."""

    mode: str
    flavour: str  # "sync" or "async"
    operation: Operation
    variant: str
    status: int | None = None
    request_violations: list[dict[str, Any]] = field(default_factory=list)
    prism_limitations: list[dict[str, Any]] = field(default_factory=list)
    response_violations: list[dict[str, Any]] = field(default_factory=list)
    mock_artifacts: list[dict[str, Any]] = field(default_factory=list)
    decode_error: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    known_issue: str | None = None
    sent: dict[str, Any] = field(default_factory=dict)

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    @property
    def ok(self) -> bool:
        return not (
            self.request_violations
            or self.response_violations
            or self.decode_error
            or self.problems
            or self.status is None
        )

    def describe(self) -> str:
        lines = [
            f"{self.operation_id} ({self.operation.route}) [{self.mode}, {self.flavour}, "
            f"{self.variant} arguments] -> {self.status}"
        ]
        if self.request_violations:
            lines.append(f"  sent: {self.sent!r}"[:2000])
        lines += [f"  request violation: {_violation(v)}" for v in self.request_violations]
        lines += [f"  response violation: {_violation(v)}" for v in self.response_violations]
        if self.decode_error:
            lines.append(f"  decode failure: {self.decode_error}")
        lines += [f"  problem: {p}" for p in self.problems]
        lines += [
            f"  tolerated ({PRISM_MULTIPART_ARRAYS}): {_violation(v)}"
            for v in self.prism_limitations
        ]
        if self.known_issue:
            lines.append(f"  known issue: {self.known_issue}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _violation(v: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in v.get("location", []))
    return f"{v.get('severity')} {v.get('code')} at {where}: {v.get('message')}"


def call_sync(client: Spheron, call: Call, mode: Mode) -> Outcome:
    captured: list[httpx.Response] = []
    token = _CAPTURED.set(captured)
    result: Any = None
    error: Exception | None = None
    try:
        result = call.sync(client.api)
    except Exception as exc:
        error = exc
    finally:
        _CAPTURED.reset(token)
    return assess(call, mode, "sync", captured, result, error, client.api)


async def call_async(client: AsyncSpheron, call: Call, mode: Mode) -> Outcome:
    captured: list[httpx.Response] = []
    _CAPTURED.set(captured)  # each call runs in its own task, with its own context
    result: Any = None
    error: Exception | None = None
    try:
        result = await call.asyncio(client.api)
    except Exception as exc:
        error = exc
    return assess(call, mode, "async", captured, result, error, client.api)


async def call_all_async(
    client: AsyncSpheron, calls: list[Call], mode: Mode, concurrency: int = 8
) -> list[Outcome]:
    gate = asyncio.Semaphore(concurrency)

    async def one(call: Call) -> Outcome:
        async with gate:
            return await call_async(client, call, mode)

    return list(await asyncio.gather(*(one(call) for call in calls)))


def assess(
    call: Call,
    mode: Mode,
    flavour: str,
    captured: list[httpx.Response],
    result: Any,
    error: Exception | None,
    api: Any,
) -> Outcome:
    operation = call.operation
    outcome = Outcome(mode.name, flavour, operation, call.variant.label, sent=call.wire)
    if not captured:
        outcome.problems.append(f"no response from Prism: {type(error).__name__}: {error}")
        return outcome
    raw = captured[-1]
    outcome.status = raw.status_code
    body = _body_of(raw, result, error)
    _sort_violations(outcome, raw, body)

    if error is None:
        if raw.status_code not in operation.success_statuses:
            outcome.problems.append(f"undocumented status {raw.status_code} was returned")
        _check_decoded(outcome, result, body, raw.status_code)
    elif isinstance(error, ResponseValidationError):
        if outcome.mock_artifacts and not outcome.response_violations:
            # Prism itself reports this mock as not matching the document: rejecting it is right.
            outcome.notes.append(f"{REJECTED_MOCK}: {error}")
        else:
            outcome.decode_error = str(error)
    elif isinstance(error, APIStatusError):
        _assess_status_error(outcome, error, raw, api)
    else:
        outcome.problems.append(f"{type(error).__name__}: {error}")
    return outcome


def _body_of(raw: httpx.Response, result: Any, error: Exception | None) -> bytes:
    try:
        return raw.content  # the same response object the client read, unless it raised early
    except httpx.ResponseNotRead:
        pass
    if isinstance(error, APIStatusError):
        return error.response.content
    if isinstance(error, ResponseValidationError):
        return error.body.encode()
    return bytes(getattr(result, "content", b"") or b"")


def _sort_violations(outcome: Outcome, raw: httpx.Response, body: bytes) -> None:
    header = raw.headers.get("sl-violations")
    if not header:
        return
    violations: list[dict[str, Any]] = json.loads(header)
    response_side: list[dict[str, Any]] = []
    for violation in violations:
        location = violation.get("location") or []
        if location[:1] == ["request"]:
            if _prism_multipart_array(outcome.operation, violation):
                outcome.prism_limitations.append(violation)
            else:
                outcome.request_violations.append(violation)
        else:
            response_side.append(violation)
    cut_short = _recursion_cut_offs(response_side, body)
    for violation in response_side:
        path = tuple(violation.get("location", [])[2:])
        if any(stub[: len(path)] == path for stub in cut_short):
            outcome.mock_artifacts.append(violation)
        else:
            outcome.response_violations.append(violation)


def _prism_multipart_array(operation: Operation, violation: Mapping[str, Any]) -> bool:
    """The violation is Prism's multipart array limitation and nothing else."""
    location = violation.get("location") or []
    if operation.body_media_type != "multipart/form-data" or operation.body_schema is None:
        return False
    if len(location) != 3 or location[:2] != ["request", "body"]:
        return False
    if violation.get("code") != "type" or not str(violation.get("message", "")).endswith(
        "must be array"
    ):
        return False
    prop = resolve(operation.body_schema).get("properties", {}).get(location[2])
    return prop is not None and resolve(prop).get("type") == "array"


# What is left of a schema once its ``$ref``/``anyOf`` are dropped: no instance has only these.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "nullable"}
    | {"readOnly", "writeOnly"}
)


def _recursion_cut_offs(violations: list[dict[str, Any]], body: bytes) -> list[tuple[str, ...]]:
    """Body locations where Prism's example generator stopped a recursive schema with a stub.

    Both of Prism's generators end a ``$ref`` cycle (here ``Project.latestDeployment`` ->
    ``Deployment.project`` -> ``Project``) with a stub instead of a value: the static one with
    ``{}``, the dynamic one (json-schema-faker) with the property's annotations, e.g.
    ``{"description": "The project, ..."}``. A stub is an object whose keys are all annotation
    keywords; it is recognised when a violation is located exactly at one. The ``anyOf``/``type``
    violations Prism also reports for the stub's ancestors are part of the same cut.
    """
    if not violations:
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []
    stubs = set(_schema_stubs(document))
    return [
        path
        for v in violations
        if (v.get("location") or [])[:2] == ["response", "body"]
        and (path := tuple(str(p) for p in v["location"][2:])) in stubs
    ]


def _schema_stubs(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(value, dict):
        if all(key in _ANNOTATIONS or key.startswith("x-") for key in value):
            yield path
        for key, item in value.items():
            yield from _schema_stubs(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _schema_stubs(item, (*path, str(index)))


def _check_decoded(outcome: Outcome, result: Any, body: bytes, status: int) -> None:
    """A 2xx with a JSON body must come back as typed values that encode again."""
    media_types = outcome.operation.media_types(status)
    parsed = getattr(result, "parsed", None)
    if any(m in JSON_TYPES for m in media_types) and body.strip() and parsed is None:
        outcome.decode_error = "a JSON 2xx body was not decoded (parsed is None)"
        return
    try:
        _encode_again(parsed)
    except Exception as exc:
        outcome.decode_error = (
            f"the decoded value does not encode again: {type(exc).__name__}: {exc}"
        )


def _encode_again(value: Any) -> None:
    if hasattr(value, "to_dict"):
        json.dumps(value.to_dict(), default=str)
    elif isinstance(value, list):
        for item in value:
            _encode_again(item)


def _assess_status_error(
    outcome: Outcome, error: APIStatusError, raw: httpx.Response, api: Any
) -> None:
    operation = outcome.operation
    status = error.status_code
    if status in operation.success_statuses and 300 <= status < 400:
        # Documented redirect (the browser CLI login): Spheron does not follow redirects and
        # raises an APIStatusError that names the target.
        if "location" not in raw.headers:
            outcome.problems.append(f"documented redirect {status} came without a Location")
        else:
            outcome.notes.append(f"redirect {status} to {raw.headers['location']!r} not followed")
        return
    if outcome.prism_limitations and not outcome.request_violations:
        _decode_synthesized(outcome, raw, api)
        return
    if not outcome.request_violations:
        outcome.problems.append(f"{type(error).__name__}: {error}")
    if status == 406 and accept_mismatch(operation):
        media = ", ".join(success_media_types(operation))
        outcome.known_issue = ACCEPT_ISSUE.format(media=media)


def _decode_synthesized(outcome: Outcome, raw: httpx.Response, api: Any) -> None:
    """Prism cannot answer this request with a 2xx: decode a body synthesized from the schema."""
    operation = outcome.operation
    status = min(s for s in operation.success_statuses if 200 <= s < 300)
    schemas = [
        media["schema"]
        for media_type, media in resolve(operation.responses[str(status)])
        .get("content", {})
        .items()
        if media_type in JSON_TYPES and "schema" in media
    ]
    if not schemas:
        outcome.notes.append("no JSON 2xx schema to decode")
        return
    body = example(schemas[0], Variant(full=True))
    response = httpx.Response(status, json=body, request=raw.request)
    try:
        built = operation.module()._build_response(client=api, response=response)
    except ResponseValidationError as exc:
        outcome.decode_error = f"(synthesized {status} body) {exc}"
        return
    outcome.notes.append(f"Prism cannot answer 2xx here; a synthesized {status} body decoded")
    _check_decoded(outcome, built, built.content, status)
