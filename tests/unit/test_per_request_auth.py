"""Another token, or none, for some calls, without a second client (issue 11, item 5)."""

from __future__ import annotations

import httpx
import pytest

from spheron import AsyncSpheron, Spheron, SpheronConfigError
from spheron_api_client.api.project import get_project

from .._complete import complete

TOKEN = "spheron_main_token_7e1b2c"
UPLOAD_TOKEN = "single-use-upload-token-55a"


def _recording() -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=complete("Project", {"_id": "p1"}))

    return seen, httpx.MockTransport(handler)


def test_with_options_token_sends_another_token_and_keeps_the_original() -> None:
    seen, transport = _recording()
    with Spheron(TOKEN, base_url="https://api.test", transport=transport) as client:
        other = client.with_options(token=UPLOAD_TOKEN)
        other.projects.get("p1")
        get_project.sync_detailed("p1", client=other.api)  # the generated functions too
        client.projects.get("p1")
        none = client.without_auth()
        none.projects.get("p1")
        # One pool for all of them.
        assert other.http_client.retry_transport.inner is client.http_client.retry_transport.inner
        assert none.http_client.retry_transport.inner is client.http_client.retry_transport.inner
        assert UPLOAD_TOKEN not in repr(other) + repr(other.api) + repr(other.http_client.auth)
    assert [r.headers.get("authorization") for r in seen] == [
        f"Bearer {UPLOAD_TOKEN}",
        f"Bearer {UPLOAD_TOKEN}",
        f"Bearer {TOKEN}",
        None,
    ]


async def test_the_async_client_too() -> None:
    seen, transport = _recording()
    async with AsyncSpheron(TOKEN, base_url="https://api.test", transport=transport) as client:
        await client.with_options(token=UPLOAD_TOKEN).projects.get("p1")
        await client.without_auth().projects.get("p1")
    assert [r.headers.get("authorization") for r in seen] == [f"Bearer {UPLOAD_TOKEN}", None]


@pytest.mark.parametrize("bad", ["", "   ", "two words", "naïve"])
def test_a_bad_replacement_token_is_refused(bad: str) -> None:
    with Spheron(TOKEN, base_url="https://api.test") as client, pytest.raises(SpheronConfigError):
        client.with_options(token=bad)
