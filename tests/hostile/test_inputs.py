"""Hostile or careless inputs that used to fail deep inside httpx or build the wrong URL."""

from __future__ import annotations

import httpx
import pytest

from spheron import AsyncSpheron, InvalidArgumentError, Spheron

from .._complete import project_json

TOKEN = "spheron_inputs_token_1f9b2c"


def _recording_pool(seen: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=project_json("p1"))

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    "headers",
    [{"X-Note": "café"}, {"X-Note": "line\r\nInjected: 1"}, {"Bad Name": "x"}, {"X-N": "\x00"}],
)
def test_bad_extra_headers_are_refused_before_sending(headers: dict[str, str]) -> None:
    seen: list[httpx.Request] = []
    with (
        _recording_pool(seen) as pool,
        Spheron(token=TOKEN, base_url="https://api.test", http_client=pool) as client,
    ):
        with pytest.raises(InvalidArgumentError) as caught:
            client.with_options(headers=headers)
        assert isinstance(caught.value, ValueError)
        assert seen == []


async def test_bad_extra_headers_are_refused_by_the_async_client_too() -> None:
    async with AsyncSpheron(token=TOKEN, base_url="https://api.test") as client:
        with pytest.raises(InvalidArgumentError, match="X-Note"):
            client.with_options(headers={"X-Note": "naïve"})


def test_good_extra_headers_are_sent() -> None:
    seen: list[httpx.Request] = []
    with (
        _recording_pool(seen) as pool,
        Spheron(token=TOKEN, base_url="https://api.test", http_client=pool) as client,
    ):
        client.with_options(headers={"X-Trace": "abc-123"}).projects.get("p1")
    assert seen[0].headers["x-trace"] == "abc-123"


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://api.test/v1", "https://api.test/v1/project/p1"),
        ("https://api.test/v1/", "https://api.test/v1/project/p1"),
        ("https://api.test/v2", "https://api.test/v1/project/p1"),
        ("https://api.test/proxy/spheron/v1/", "https://api.test/proxy/spheron/v1/project/p1"),
        ("https://api.test/proxy/", "https://api.test/proxy/v1/project/p1"),
        ("https://api.test", "https://api.test/v1/project/p1"),
    ],
)
def test_a_base_url_ending_in_a_version_does_not_double_it(base_url: str, expected: str) -> None:
    seen: list[httpx.Request] = []
    with (
        _recording_pool(seen) as pool,
        Spheron(token=TOKEN, base_url=base_url, http_client=pool) as client,
    ):
        client.projects.get("p1")
    assert str(seen[0].url) == expected
