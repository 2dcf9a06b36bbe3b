"""Where the token may travel: never in clear text to a non-loopback host, never to another
origin on a redirect (issue 5.6)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from spheron import APIStatusError, AsyncSpheron, Spheron, SpheronConfigError

TOKEN = "transport-test-token-93b2f0"
SCOPE = "/v1/api-keys/scope"
AnyClient = Spheron | AsyncSpheron


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SPHERON_TOKEN", "SPHERON_BASE_URL", "SPHERON_LOG"):
        monkeypatch.delenv(name, raising=False)


class Recorder:
    """A MockTransport handler: records requests; answers by URL (default 200 ``{}``)."""

    def __init__(self, answers: dict[str, httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = answers or {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.get(str(request.url), httpx.Response(200, json={}))


def build(mode: str, recorder: Recorder, **kwargs: Any) -> AnyClient:
    """A client whose own ``http_client`` (redirects as given) sends into ``recorder``."""
    follow = kwargs.pop("follow_redirects", False)
    transport = httpx.MockTransport(recorder)
    if mode == "sync":
        http = httpx.Client(transport=transport, follow_redirects=follow)
        return Spheron(TOKEN, http_client=http, **kwargs)
    ahttp = httpx.AsyncClient(transport=transport, follow_redirects=follow)
    return AsyncSpheron(TOKEN, http_client=ahttp, **kwargs)


async def get(client: AnyClient, path: str) -> httpx.Response:
    """A raw GET through the client's configured httpx client (auth, retries, typed errors)."""
    if isinstance(client, AsyncSpheron):
        async with client:
            return await client.api.get_async_httpx_client().get(path)
    with client:
        return client.api.get_httpx_client().get(path)


def carries_token(request: httpx.Request) -> bool:
    return any(TOKEN in value for value in request.headers.values()) or TOKEN in str(request.url)


# -- clear text ------------------------------------------------------------------------------

CLEARTEXT = [
    "http://api.example.com",
    "http://api-v2.spheron.network",
    "HTTP://API.EXAMPLE.COM:443/v1",
    "http://10.0.0.7:8080",
    "http://localhost.example.com",
    "http://127.0.0.1.example.com",
    "http://[2001:db8::1]",
]


@pytest.mark.parametrize("base_url", CLEARTEXT)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_plain_http_to_a_non_loopback_host_is_refused_before_any_request(
    mode: str, base_url: str
) -> None:
    recorder = Recorder()
    with pytest.raises(SpheronConfigError, match="plain HTTP") as info:
        build(mode, recorder, base_url=base_url)
    assert recorder.requests == []
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_plain_http_from_the_environment_is_refused_too(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPHERON_BASE_URL", "http://api.example.com")
    recorder = Recorder()
    with pytest.raises(SpheronConfigError, match="plain HTTP"):
        build(mode, recorder)
    assert recorder.requests == []


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:9000"]
)
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_plain_http_to_loopback_is_allowed(mode: str, base_url: str) -> None:
    recorder = Recorder()
    response = await get(build(mode, recorder, base_url=base_url), SCOPE)
    assert response.status_code == 200
    [request] = recorder.requests
    assert request.url == httpx.URL(base_url + SCOPE)
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


async def test_plain_http_elsewhere_only_with_the_explicit_opt_in() -> None:
    recorder = Recorder()
    client = build("sync", recorder, base_url="http://api.example.com", allow_insecure_http=True)
    await get(client, SCOPE)
    assert [r.url.host for r in recorder.requests] == ["api.example.com"]


# -- redirects -------------------------------------------------------------------------------

API = "https://api.test"


def redirect(status: int, location: str) -> dict[str, httpx.Response]:
    return {API + SCOPE: httpx.Response(status, headers={"Location": location})}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(
    "location",
    [
        "https://evil.test/collect",  # another host
        "http://api.test/v1/api-keys/scope",  # same host, downgraded to clear text
        "https://api.test:8443/v1/api-keys/scope",  # same host, another port
        "https://sub.api.test/v1/api-keys/scope",  # a subdomain is another origin
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_redirect_to_another_origin_does_not_carry_the_token(
    mode: str, status: int, location: str
) -> None:
    recorder = Recorder(redirect(status, location))
    client = build(mode, recorder, base_url=API, follow_redirects=True)
    assert (await get(client, SCOPE)).status_code == 200
    first, second = recorder.requests
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert second.url == httpx.URL(location)
    assert "authorization" not in second.headers
    assert not carries_token(second)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_same_origin_redirect_keeps_the_token(mode: str) -> None:
    recorder = Recorder(redirect(302, "/v1/profile"))
    client = build(mode, recorder, base_url=API, follow_redirects=True)
    assert (await get(client, SCOPE)).status_code == 200
    assert [str(r.url) for r in recorder.requests] == [API + SCOPE, API + "/v1/profile"]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in recorder.requests)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_redirects_are_not_followed_by_default(mode: str) -> None:
    recorder = Recorder(redirect(302, "https://evil.test/collect"))
    client = build(mode, recorder, base_url=API)
    with pytest.raises(APIStatusError) as info:
        await get(client, SCOPE)
    assert info.value.status_code == 302
    assert [r.url.host for r in recorder.requests] == ["api.test"]
    assert TOKEN not in str(info.value)


async def test_the_clients_own_pools_do_not_follow_redirects() -> None:
    with Spheron(TOKEN) as client:
        assert client.http_client.follow_redirects is False
    async with AsyncSpheron(TOKEN) as aclient:
        assert aclient.http_client.follow_redirects is False
