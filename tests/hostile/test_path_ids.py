"""Finding 1: a path id must never walk out of its endpoint.

``""`` drops the segment and ``.``/``..`` are resolved by URL normalisation, so
``domains.delete("inst123", "..")`` used to send ``DELETE /v1/compute-instance/inst123`` and
delete the instance. Every such id is refused before anything is sent, by the generated
functions (template) and so by every friendly method, with an error that is both a
``SpheronError`` and a ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from spheron import (
    AsyncSpheron,
    InvalidArgumentError,
    Spheron,
    SpheronConfigError,
    SpheronError,
)
from tests.fuzz._operations import Operation, _python_name, document, operations

from .._complete import project_json

TOKEN = "spheron_test_token_path_ids_4b1e"
BASE_URL = "https://api.test.example"
HOSTILE_IDS = ["", " ", ".", "..", "...", " .. "]


class Counter:
    """A transport handler that answers 200 with a minimal entity and counts what reached it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, content=project_json("x"))


def _path_parameters(op: Operation) -> list[str]:
    doc = document()
    item = doc.raw["paths"][op.path]
    params = [*item.get("parameters", []), *item[op.method.lower()].get("parameters", [])]
    return [_python_name(p["name"]) for p in (doc.resolve(p) for p in params) if p["in"] == "path"]


WITH_PATH_IDS = [
    pytest.param(op, name, id=f"{op.operation_id}-{name}")
    for op in operations()
    for name in _path_parameters(op)
]


def test_the_document_has_operations_with_path_ids() -> None:
    assert len(WITH_PATH_IDS) > 80


@pytest.fixture
def counter() -> Counter:
    return Counter()


@pytest.fixture
def sync_client(counter: Counter) -> Iterator[Spheron]:
    pool = httpx.Client(transport=httpx.MockTransport(counter))
    with Spheron(token=TOKEN, base_url=BASE_URL, http_client=pool, organization_id="org1") as c:
        yield c
    pool.close()


@pytest.fixture
async def async_client(counter: Counter) -> Any:
    pool = httpx.AsyncClient(transport=httpx.MockTransport(counter))
    async with AsyncSpheron(
        token=TOKEN, base_url=BASE_URL, http_client=pool, organization_id="org1"
    ) as c:
        yield c
    await pool.aclose()


@pytest.mark.parametrize(("op", "name"), WITH_PATH_IDS)
@pytest.mark.parametrize("bad", ["", ".."])
async def test_every_generated_operation_refuses_a_hostile_path_id(
    op: Operation,
    name: str,
    bad: str,
    sync_client: Spheron,
    async_client: AsyncSpheron,
    counter: Counter,
) -> None:
    kwargs = op.arguments()
    kwargs[name] = bad
    with pytest.raises(InvalidArgumentError, match=name):
        op.module.sync_detailed(client=sync_client.api, **kwargs)
    kwargs = op.arguments()
    kwargs[name] = bad
    with pytest.raises(InvalidArgumentError, match=name):
        await op.module.asyncio_detailed(client=async_client.api, **kwargs)
    assert counter.requests == []


@pytest.mark.parametrize("bad", HOSTILE_IDS)
def test_the_error_is_a_spheron_error_and_a_value_error(bad: str, sync_client: Spheron) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        sync_client.projects.get(bad)
    assert isinstance(caught.value, SpheronError)
    assert isinstance(caught.value, ValueError)
    assert "project_id" in str(caught.value)


@pytest.mark.parametrize("good", ["a.b", "..a", "a..", ".hidden", "a/b", "%2e%2e", "42"])
def test_ids_with_dots_inside_are_sent_encoded_as_one_segment(
    good: str, sync_client: Spheron, counter: Counter
) -> None:
    from spheron_api_client.api.project import get_project

    get_project.sync_detailed(good, client=sync_client.api)
    (sent,) = counter.requests
    segment = sent.url.raw_path.decode().rsplit("/", 1)[1]
    assert sent.url.raw_path.decode().startswith("/v1/project/")
    assert httpx.URL("/x/" + segment).path == "/x/" + good  # decodes back to exactly the id


# The calls the hostile-servers issue reproduced, through the friendly layer, in both modes.
FRIENDLY_CALLS = [
    ("compute.instances.domains.delete", ("inst123", "..")),
    ("compute.instances.domains.delete", ("..", "dom1")),
    ("projects.env_vars.delete", ("proj1", "..")),
    ("projects.domains.delete", ("proj1", ".")),
    ("projects.get", ("",)),
    ("deployments.cancel", ("..",)),
    ("compute.instances.delete", ("...",)),
    ("storage.buckets.get", ("..",)),
    ("organizations.get", ("",)),
]


def _method(client: Any, dotted: str) -> Any:
    target = client
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


@pytest.mark.parametrize(("dotted", "args"), FRIENDLY_CALLS, ids=[c[0] for c in FRIENDLY_CALLS])
async def test_friendly_methods_send_nothing_for_a_hostile_id(
    dotted: str,
    args: tuple[str, ...],
    sync_client: Spheron,
    async_client: AsyncSpheron,
    counter: Counter,
) -> None:
    with pytest.raises(InvalidArgumentError):
        _method(sync_client, dotted)(*args)
    with pytest.raises(InvalidArgumentError):
        await _method(async_client, dotted)(*args)
    assert counter.requests == []


async def test_an_explicit_empty_organization_is_not_the_default(
    sync_client: Spheron, async_client: AsyncSpheron, counter: Counter
) -> None:
    with pytest.raises(InvalidArgumentError, match="organization_id"):
        sync_client.organizations.get(organization_id="")
    with pytest.raises(InvalidArgumentError, match="organization_id"):
        await async_client.organizations.get(organization_id="")
    assert counter.requests == []


@pytest.mark.parametrize("bad", ["", "..", " "])
@pytest.mark.parametrize("cls", [Spheron, AsyncSpheron])
def test_an_empty_default_organization_is_refused_at_construction(
    bad: str, cls: type[Spheron] | type[AsyncSpheron]
) -> None:
    with pytest.raises(SpheronConfigError, match="organization_id"):
        cls(token=TOKEN, base_url=BASE_URL, organization_id=bad)
