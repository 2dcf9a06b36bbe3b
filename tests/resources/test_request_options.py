"""Per-call options (``timeout``, ``extra_headers``, ``extra_query``, ``extra_body``): every
public method takes them, and they reach the wire exactly, sync and async."""

from __future__ import annotations

import inspect
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from spheron import AsyncSpheron, InvalidArgumentError, Spheron
from spheron._resource_base import DEPRECATED_ALIAS
from spheron_api_client.types import File

from ._fakes import FakeApi, FakeClient, collect, namespace, resolve
from .test_namespaces import CASES, Case

TOKEN = "request-options-token-7e1d"
OPTION_TYPES = {"RequestOptions", "MultipartRequestOptions", "ExtraOptions"}


def public_methods(obj: object, path: str) -> Iterator[tuple[str, Any]]:
    """Every public method of every namespace below ``obj`` (``with_raw_response`` included)."""
    for name in sorted(n for n in dir(obj) if not n.startswith("_")):
        if name in ("api", "http_client"):
            continue
        value = getattr(obj, name)
        where = f"{path}.{name}"
        if inspect.ismethod(value) or (inspect.isfunction(value) and "with_" in path):
            if type(obj).__module__.startswith("spheron."):
                yield where, value
        elif type(value).__module__.startswith(("spheron._sync", "spheron._async")):
            yield from public_methods(value, where)


def _all_methods() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for cls in (Spheron, AsyncSpheron):
        client = cls(TOKEN, organization_id="org")
        found += list(public_methods(client, cls.__name__))
    return found


METHODS = [(where, fn) for where, fn in _all_methods() if not where.endswith(("close", "aclose"))]
NOT_CALLS = {"with_options", "without_auth"}
"""Client methods that make copies, not requests."""


def test_the_walk_reaches_every_namespace_and_both_modes() -> None:
    names = {where for where, _ in METHODS}
    assert "Spheron.storage.buckets.domains.list" in names
    assert "AsyncSpheron.compute.instances.domains.verify" in names
    assert "Spheron.projects.with_raw_response.get" in names
    assert len(names) > 250


@pytest.mark.parametrize(("where", "method"), METHODS, ids=[w for w, _ in METHODS])
def test_every_public_method_accepts_options(where: str, method: Any) -> None:
    if where.rpartition(".")[2] in NOT_CALLS:
        return
    if hasattr(method, DEPRECATED_ALIAS):  # the signature of the method it stands for
        method = inspect.unwrap(method)
    parameters = list(inspect.signature(method).parameters.values())
    last = parameters[-1]
    assert last.kind is inspect.Parameter.VAR_KEYWORD, where
    assert last.name == "options", where
    annotation = str(last.annotation)
    assert annotation.startswith("Unpack[") and annotation[7:-1] in OPTION_TYPES, where


def _options_for(spec: Case, mode: str, client: FakeClient) -> dict[str, Any]:
    target, _, name = spec.target.rpartition(".")
    method = getattr(namespace(client, mode, target), name)
    kind = str(inspect.signature(method).parameters["options"].annotation)
    options: dict[str, Any] = {
        "extra_headers": {"X-Trace": "trace-1", "Accept": "application/json, text/plain"},
        "extra_query": {"trace": "on"},
        "timeout": 7,
    }
    if kind == "Unpack[RequestOptions]":
        options["extra_body"] = {"traceId": "t-1"}
    return options


@pytest.mark.parametrize("spec", CASES, ids=str)
async def test_options_reach_the_wire(
    spec: Case, mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route(spec.method, spec.path, spec.answer)
    target, _, name = spec.target.rpartition(".")
    options = _options_for(spec, mode, client)

    await resolve(
        getattr(namespace(client, mode, target), name)(*spec.args, **spec.kwargs, **options)
    )

    sent = fake.last
    assert (sent.method, sent.path) == (spec.method, spec.path)
    assert sent.query == {**spec.query, "trace": "on"}
    if "extra_body" in options:
        base = spec.body if spec.body is not None else {}
        assert sent.json == {**base, "traceId": "t-1"}
    else:
        assert sent.json == spec.body
    assert sent.request.headers["x-trace"] == "trace-1"
    assert sent.request.headers["accept"] == "application/json, text/plain"  # replaced
    assert sent.request.headers["authorization"] == f"Bearer {client_token(client, mode)}"
    timeouts = sent.request.extensions["timeout"]
    assert {timeouts[k] for k in ("connect", "read", "write", "pool")} == {7}


def client_token(client: FakeClient, mode: str) -> str:
    from ._fakes import TOKEN as FAKE_TOKEN

    return FAKE_TOKEN


async def test_options_do_not_outlive_their_call(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1", {"_id": "p1"})
    projects = namespace(client, mode, "projects")

    await resolve(projects.get("p1", extra_headers={"X-Once": "1"}, extra_query={"q": "1"}))
    await resolve(projects.get("p1"))

    first, second = fake.sent
    assert first.request.headers["x-once"] == "1" and first.query == {"q": "1"}
    assert "x-once" not in second.request.headers and second.query == {}
    assert second.json is None and second.request.content == b""


async def test_extra_query_replaces_a_parameter_and_repeats_sequences(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1/deployments", [])
    pager = namespace(client, mode, "projects").list_deployments(
        "p1", status="Deployed", extra_query={"status": "Failed", "tag": ["a", "b"]}
    )

    await collect(pager)

    url = fake.last.request.url
    assert url.params.get_list("status") == ["Failed"]
    assert url.params.get_list("tag") == ["a", "b"]
    assert url.params["skip"] == "0"


async def test_options_reach_every_page_of_a_list(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1/deployments", [{"_id": "d1"}, {"_id": "d2"}], [])
    pager = namespace(client, mode, "projects").list_deployments(
        "p1", page_size=2, extra_headers={"X-Trace": "pages"}
    )

    assert len(await collect(pager)) == 2

    assert len(fake.sent) == 2
    assert all(s.request.headers["x-trace"] == "pages" for s in fake.sent)


async def test_extra_body_replaces_keys_of_the_json_body(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("PUT", "/v1/organization/org-1", {"_id": "org-1"})

    await resolve(
        namespace(client, mode, "organizations").update(
            "org-1", name="A", username="a", image="i", extra_body={"name": "B", "n": [1, None]}
        )
    )

    assert fake.last.json == {"name": "B", "username": "a", "image": "i", "n": [1, None]}
    assert fake.last.request.headers["content-length"] == str(len(fake.last.request.content))


async def test_extra_body_on_a_call_without_body_is_sent_as_its_json_body(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1", {"_id": "p1"})

    await resolve(namespace(client, mode, "projects").get("p1", extra_body={"why": "debug"}))

    assert fake.last.request.headers["content-type"] == "application/json"
    assert fake.last.json == {"why": "debug"}


async def test_multipart_methods_refuse_extra_body_before_sending(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    uploads = namespace(client, mode, "storage.uploads")
    parts = {"filekey": File(payload=io.BytesIO(b"x"), file_name="a.txt")}

    with pytest.raises(InvalidArgumentError, match="extra_body"):
        await resolve(uploads.upload_files(parts, bucket="b", extra_body={"a": 1}))

    assert fake.sent == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"extra_header": {"X": "1"}}, "unknown request option"),
        ({"extra_headers": {"X-Bad": "line\nbreak"}}, "printable ASCII"),
        ({"extra_headers": {"bad name": "v"}}, "header name"),
        ({"extra_headers": ["X", "1"]}, "must be a mapping"),
        ({"extra_query": {"q": object()}}, "extra_query"),
        ({"extra_body": {"when": object()}}, "JSON-serialisable"),
        ({"extra_body": {"nan": float("nan")}}, "JSON-serialisable"),
        ({"timeout": -1}, "positive"),
        ({"timeout": "10"}, "timeout"),
    ],
)
async def test_bad_options_raise_before_anything_is_sent(
    options: dict[str, Any], message: str, mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/project/p1", {"_id": "p1"})

    with pytest.raises(InvalidArgumentError, match=message):
        await resolve(namespace(client, mode, "projects").get("p1", **options))
    with pytest.raises(InvalidArgumentError, match=message):
        namespace(client, mode, "projects").list_deployments("p1", **options)  # lists: at once

    assert fake.sent == []


async def test_wait_takes_extra_options_on_every_poll_but_keeps_its_own_timeout(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route(
        "GET",
        "/v1/deployment/d1",
        {"deployment": {"_id": "d1", "status": "Pending"}},
        {"deployment": {"_id": "d1", "status": "Deployed"}},
    )
    deployments = namespace(client, mode, "deployments")
    deployments._sleep = _no_sleep(mode)

    found = await resolve(
        deployments.wait("d1", timeout=60, poll_interval=0.01, extra_headers={"X-Poll": "1"})
    )

    assert found.id == "d1"
    assert len(fake.sent) == 2
    assert all(s.request.headers["x-poll"] == "1" for s in fake.sent)
    with pytest.raises(InvalidArgumentError, match="unknown request option"):
        await resolve(deployments.wait("d1", extra_body={"a": 1}))


def _no_sleep(mode: str) -> Any:
    if mode == "sync":
        return lambda seconds: None

    async def sleep(seconds: float) -> None:
        return None

    return sleep


async def test_client_level_calls_take_options(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", "/v1/api-keys/scope", {"user": {"id": "u"}, "organizations": []})
    fake.route("GET", "/v1/profile/", {"user": {"_id": "u"}, "organizations": []})

    await resolve(client.of(mode).token_scope(extra_headers={"X-Who": "scope"}))
    await resolve(client.of(mode).profile(extra_query={"full": "1"}))

    assert fake.sent[0].request.headers["x-who"] == "scope"
    assert fake.sent[1].query == {"full": "1"}


def test_a_misspelt_option_is_a_type_error_for_mypy(tmp_path: Any) -> None:
    """``**options: Unpack[RequestOptions]``: mypy rejects an unknown option name, and sees
    the method's return type through ``with_raw_response``."""
    from mypy import api

    source = tmp_path / "caller.py"
    source.write_text(
        "from spheron import Spheron\n"
        "from spheron_api_client.models import Project\n"
        "def f(client: Spheron) -> None:\n"
        "    client.projects.get('p', extra_headers={'X': '1'}, timeout=3)\n"
        "    client.projects.get('p', extra_header={'X': '1'})\n"
        "    client.deployments.wait('d', timeout=5, extra_query={'a': '1'})\n"
        "    client.storage.uploads.upload_files({}, bucket='b', extra_body={})\n"
        "    project: Project = client.projects.with_raw_response.get('p').parse()\n"
        "    wrong: int = client.projects.with_raw_response.get('p').parse()\n"
    )
    out, _, status = api.run(
        [str(source), "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache")]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1
    assert len(errors) == 3, out
    assert 'caller.py:5: error: Unexpected keyword argument "extra_header"' in errors[0]
    assert 'caller.py:7: error: Unexpected keyword argument "extra_body"' in errors[1]
    wrong_type = (
        'caller.py:9: error: Incompatible types in assignment (expression has type "Project"'
    )
    assert wrong_type in errors[2]


def test_uploads_carry_the_options_on_every_request(tmp_path: Any) -> None:
    from spheron import testing

    server = testing.FakeSpheron()
    seen: list[httpx.Request] = []
    inner = server.transport()

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return inner.handle_request(request)

    (tmp_path / "a.txt").write_text("hello")
    http = httpx.Client(transport=httpx.MockTransport(record))
    client = Spheron(testing.DEFAULT_TOKEN, base_url="https://spheron.test", http_client=http)

    result = client.storage.upload(
        tmp_path, bucket="opts", extra_headers={"X-Trace": "up"}, extra_query={"trace": "1"}
    )

    assert result.upload_id
    assert len(seen) >= 3  # initiate, data, finish
    assert all(r.headers["x-trace"] == "up" and r.url.params["trace"] == "1" for r in seen)
