"""A large body is decoded with the cyclic garbage collector paused; its state is restored."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from spheron import ResponseValidationError
from spheron._gc_pause import PAUSE_MIN_BYTES, gc_paused_for
from spheron_api_client.api.project import list_project_deployments
from spheron_api_client.models import deployment as deployment_module

from .helpers import AnyClient, Recorder, call


def _deployment(index: int) -> dict[str, Any]:
    return {
        "_id": f"dep_{index:08d}",
        "status": "Deployed",
        "project": "prj_1",
        "createdAt": "2024-06-01T12:00:00.000Z",
        "updatedAt": "2024-06-01T12:00:00+00:00",
        "logs": [{"time": "2024-06-01T12:00:00.000Z", "log": "x" * 40}],
        "commitMessage": "m" * 60,
    }


def _page(size: int) -> bytes:
    return json.dumps([_deployment(i) for i in range(size)]).encode()


LARGE = _page(2_000)
SMALL = _page(3)


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    """Each test starts with the collector enabled and leaves it as the test found it."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """``gc.isenabled()`` at each ``Deployment.from_dict`` call of the test."""
    states: list[bool] = []
    original = deployment_module.Deployment.from_dict.__func__  # type: ignore[attr-defined]

    def spy(cls: Any, src_dict: Any) -> Any:
        states.append(gc.isenabled())
        return original(cls, src_dict)

    monkeypatch.setattr(deployment_module.Deployment, "from_dict", classmethod(spy))
    return states


def test_the_bodies_straddle_the_threshold() -> None:
    assert len(LARGE) >= PAUSE_MIN_BYTES > len(SMALL)


async def test_a_large_page_is_decoded_with_the_collector_paused(
    make_client: Callable[..., AnyClient], seen: list[bool]
) -> None:
    client = make_client(Recorder(httpx.Response(200, content=LARGE)))

    response = await call(client, list_project_deployments, "prj_1")

    assert len(response.parsed) == 2_000
    assert response.parsed[1].id == "dep_00000001"
    assert seen == [False] * 2_000
    assert gc.isenabled()


async def test_a_small_page_leaves_the_collector_alone(
    make_client: Callable[..., AnyClient], seen: list[bool]
) -> None:
    client = make_client(Recorder(httpx.Response(200, content=SMALL)))

    response = await call(client, list_project_deployments, "prj_1")

    assert len(response.parsed) == 3
    assert seen == [True] * 3
    assert gc.isenabled()


async def test_a_collector_the_application_disabled_stays_disabled(
    make_client: Callable[..., AnyClient], seen: list[bool]
) -> None:
    client = make_client(Recorder(httpx.Response(200, content=LARGE)))
    gc.disable()

    response = await call(client, list_project_deployments, "prj_1")

    assert len(response.parsed) == 2_000
    assert not any(seen)
    assert not gc.isenabled()


async def test_a_bad_large_body_raises_and_restores_the_collector(
    make_client: Callable[..., AnyClient],
) -> None:
    items = [_deployment(i) for i in range(2_000)]
    del items[1_500]["createdAt"]
    body = json.dumps(items).encode()
    assert len(body) >= PAUSE_MIN_BYTES
    client = make_client(Recorder(httpx.Response(200, content=body)))

    with pytest.raises(ResponseValidationError) as info:
        await call(client, list_project_deployments, "prj_1")

    assert "createdAt" in str(info.value)
    assert gc.isenabled()


def test_the_pause_restores_the_collector_after_an_exception() -> None:
    with pytest.raises(KeyError), gc_paused_for(LARGE):
        assert not gc.isenabled()
        raise KeyError("x")
    assert gc.isenabled()


def test_nested_pauses_resume_only_at_the_outermost_end() -> None:
    with gc_paused_for(LARGE):
        with gc_paused_for(LARGE):
            assert not gc.isenabled()
        assert not gc.isenabled()
        with gc_paused_for(SMALL):
            assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_share_one_pause() -> None:
    first_in = threading.Event()
    second_in = threading.Event()
    first_out = threading.Event()
    states: dict[str, bool] = {}

    def first() -> None:
        with gc_paused_for(LARGE):
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with gc_paused_for(LARGE):
            second_in.set()
            first_out.wait(5)
            states["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert states == {"after the first ended": False}
    assert gc.isenabled()
