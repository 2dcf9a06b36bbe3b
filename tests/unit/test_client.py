"""Client construction, configuration, auth, copies, lifecycle and redirects."""

from __future__ import annotations

import inspect
import subprocess
import sys
from collections.abc import Callable

import attrs
import httpx
import pytest

import spheron
from spheron import (
    APIStatusError,
    AsyncSpheron,
    InvalidArgumentError,
    OptionChanges,
    Spheron,
    SpheronConfigError,
)
from spheron._client import NO_TOKEN
from spheron_api_client.api.organization import get_organization

from .conftest import Sleeps
from .helpers import BASE_URL, ORG, TOKEN, AnyClient, Recorder, call, call_api, close, json_response

CLIENTS = [Spheron, AsyncSpheron]


def ok() -> httpx.Response:
    return json_response(200, ORG)


async def test_auth_user_agent_and_accept_headers(make_client: Callable[..., AnyClient]) -> None:
    handler = Recorder(ok())
    client = make_client(handler)

    response = await call(client, get_organization, "org_1")

    assert response.parsed.id == "org_1"
    sent = handler.requests[0]
    assert sent.url == f"{BASE_URL}/v1/organization/org_1"
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["user-agent"] == (
        f"spheron-api-client/{spheron.__version__} (api 1.1.0) python-httpx/{httpx.__version__}"
    )


def test_user_agent_without_the_document_module(monkeypatch: pytest.MonkeyPatch) -> None:
    from spheron._config import user_agent

    monkeypatch.setitem(sys.modules, "spheron_api_client._document", None)
    assert (
        user_agent() == f"spheron-api-client/{spheron.__version__} python-httpx/{httpx.__version__}"
    )


async def test_token_from_environment(
    monkeypatch: pytest.MonkeyPatch, make_client: Callable[..., AnyClient]
) -> None:
    monkeypatch.setenv("SPHERON_TOKEN", "env_token_123456789")
    handler = Recorder(ok())
    client = make_client(handler, token=None)

    await call(client, get_organization, "org_1")

    assert handler.requests[0].headers["authorization"] == "Bearer env_token_123456789"


async def test_explicit_token_beats_environment(
    monkeypatch: pytest.MonkeyPatch, make_client: Callable[..., AnyClient]
) -> None:
    monkeypatch.setenv("SPHERON_TOKEN", "env_token_123456789")
    handler = Recorder(ok())
    client = make_client(handler)

    await call(client, get_organization, "org_1")

    assert handler.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_token_explains_how_to_get_one(cls: type[AnyClient], token: str | None) -> None:
    with pytest.raises(SpheronConfigError) as info:
        cls(token)

    message = str(info.value)
    assert "Spheron dashboard (Settings → Tokens)" in message
    assert "SPHERON_TOKEN" in message


@pytest.mark.parametrize("cls", CLIENTS)
def test_malformed_token_is_refused_without_echoing_it(cls: type[AnyClient]) -> None:
    with pytest.raises(SpheronConfigError) as info:
        cls("abc def_secret_part")
    assert "secret_part" not in str(info.value)


@pytest.mark.parametrize("cls", CLIENTS)
def test_base_url_from_environment_then_default(
    cls: type[AnyClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert str(cls(TOKEN).base_url) == "https://api-v2.spheron.network/"
    monkeypatch.setenv("SPHERON_BASE_URL", "https://staging.example/api/")
    assert str(cls(TOKEN).base_url) == "https://staging.example/api"
    assert str(cls(TOKEN, base_url="https://other.example").base_url) == "https://other.example/"


async def test_base_url_with_a_path_prefix(make_client: Callable[..., AnyClient]) -> None:
    handler = Recorder(ok())
    client = make_client(handler, base_url="https://gw.example/spheron/")

    await call(client, get_organization, "org_1")

    assert handler.requests[0].url == "https://gw.example/spheron/v1/organization/org_1"


@pytest.mark.parametrize("cls", CLIENTS)
def test_plain_http_to_a_remote_host_is_refused(cls: type[AnyClient]) -> None:
    with pytest.raises(SpheronConfigError, match=r"plain HTTP to api\.example\.com"):
        cls(TOKEN, base_url="http://api.example.com")
    client = cls(TOKEN, base_url="http://api.example.com", allow_insecure_http=True)
    assert client.base_url.scheme == "http"


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "url", ["http://localhost:8080", "http://127.0.0.1:3000/api", "http://[::1]:9000"]
)
def test_plain_http_to_loopback_is_allowed(cls: type[AnyClient], url: str) -> None:
    assert cls(TOKEN, base_url=url).base_url.scheme == "http"


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("url", ["ftp://files.example", "api-v2.spheron.network", "https://"])
def test_malformed_base_url_is_refused(cls: type[AnyClient], url: str) -> None:
    with pytest.raises(SpheronConfigError):
        cls(TOKEN, base_url=url)


@pytest.mark.parametrize("cls", CLIENTS)
def test_credentials_in_base_url_are_refused_without_echo(cls: type[AnyClient]) -> None:
    with pytest.raises(SpheronConfigError) as info:
        cls(TOKEN, base_url="https://user:hunter2@api.example")
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize("cls", CLIENTS)
def test_timeouts_are_finite_by_default(cls: type[AnyClient]) -> None:
    client = cls(TOKEN)
    assert client.timeout == httpx.Timeout(connect=5.0, read=60.0, write=60.0, pool=60.0)
    generated = (
        client.api.get_httpx_client() if cls is Spheron else client.api.get_async_httpx_client()
    )
    assert generated is client.http_client
    assert generated.timeout == client.timeout


async def test_timeout_reaches_every_request(make_client: Callable[..., AnyClient]) -> None:
    handler = Recorder(ok())
    default = make_client(handler)
    seconds = make_client(handler, timeout=2.5)
    custom = make_client(handler, timeout=httpx.Timeout(1.0, read=30.0))

    for client in (default, seconds, custom):
        await call(client, get_organization, "org_1")

    assert [r.extensions["timeout"] for r in handler.requests] == [
        {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0},
        {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5},
        {"connect": 1.0, "read": 30.0, "write": 1.0, "pool": 1.0},
    ]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("timeout", [0, -1, float("inf"), float("nan"), "5", True])
def test_invalid_timeout_is_refused(cls: type[AnyClient], timeout: object) -> None:
    with pytest.raises(SpheronConfigError, match="timeout"):
        cls(TOKEN, timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("retries", [-1, True, 1.5, "2"])
def test_invalid_max_retries_is_refused(cls: type[AnyClient], retries: object) -> None:
    with pytest.raises(SpheronConfigError, match="max_retries"):
        cls(TOKEN, max_retries=retries)  # type: ignore[arg-type]


def test_http_client_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(SpheronConfigError, match="AsyncSpheron"):
        Spheron(TOKEN, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(SpheronConfigError, match="use Spheron"):
        AsyncSpheron(TOKEN, http_client=httpx.Client())  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", CLIENTS)
def test_token_not_in_reprs(cls: type[AnyClient]) -> None:
    client = cls(TOKEN, organization_id="org_1")
    assert repr(client) == (
        f"{cls.__name__}(base_url='https://api-v2.spheron.network/', "
        "organization_id='org_1', max_retries=2)"
    )
    for text in (repr(client), str(client), repr(client.api), repr(vars(client))):
        assert TOKEN not in text
    # The generated client holds no copy of the token: it lives only in the auth object.
    assert client.api.token == NO_TOKEN
    assert all(
        TOKEN not in repr(getattr(client.api, f.name)) for f in attrs.fields(type(client.api))
    )
    # ...nor does the httpx client, except through the one auth object.
    assert TOKEN not in repr(client.http_client.headers) and TOKEN not in repr(
        client.http_client.auth
    )
    assert client.organization_id == "org_1"


async def test_wrong_mode_generated_call_fails_fast(mode: str) -> None:
    if mode == "sync":
        with pytest.raises(SpheronConfigError, match="AsyncSpheron"):
            await get_organization.asyncio("org_1", client=Spheron(TOKEN).api)
    else:
        with pytest.raises(SpheronConfigError, match="use Spheron"):
            get_organization.sync("org_1", client=AsyncSpheron(TOKEN).api)


# with_options and lifecycle


async def test_with_options_shares_pool_and_overrides(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    handler = Recorder(json_response(503, {}))
    client = make_client(handler)
    copy = client.with_options(timeout=3.0, max_retries=0, headers={"X-Trace": "t1"})

    assert copy.http_client.retry_transport.inner is client.http_client.retry_transport.inner
    assert copy.max_retries == 0 and client.max_retries == 2
    assert copy.timeout == httpx.Timeout(3.0)
    assert client.timeout == httpx.Timeout(60.0, connect=5.0)

    with pytest.raises(APIStatusError):
        await call(copy, get_organization, "org_1")
    assert handler.count == 1
    with pytest.raises(APIStatusError):
        await call(client, get_organization, "org_1")
    assert handler.count == 4

    first, *rest = handler.requests
    assert first.extensions["timeout"]["read"] == 3.0
    assert first.headers["x-trace"] == "t1"
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert all("x-trace" not in r.headers and r.extensions["timeout"]["read"] == 60.0 for r in rest)


async def test_with_options_keeps_unset_options(make_client: Callable[..., AnyClient]) -> None:
    client = make_client(Recorder(ok()), timeout=7.0, max_retries=4, organization_id="org_9")
    copy = client.with_options(headers={"X-A": "1"}).with_options(headers={"X-B": "2"})
    assert copy.timeout == httpx.Timeout(7.0)
    assert copy.max_retries == 4
    assert copy.organization_id == "org_9"
    assert copy._options.headers == {"X-A": "1", "X-B": "2"}


@pytest.mark.parametrize("wrong", ["max_retry", "cookies", "organization_id"])
def test_with_options_refuses_an_option_it_does_not_take(
    make_client: Callable[..., AnyClient], wrong: str
) -> None:
    client = make_client(Recorder(ok()))
    with pytest.raises(InvalidArgumentError, match=f"unknown option.*{wrong}.*known: headers"):
        client.with_options(**{wrong: 1})  # type: ignore[arg-type]


def test_options_are_named_once_in_a_typed_dict() -> None:
    assert OptionChanges.__optional_keys__ == frozenset(
        {"timeout", "max_retries", "headers", "total_timeout", "max_response_bytes", "token"}
    )
    for cls in (Spheron, AsyncSpheron):
        assert inspect.signature(cls.with_options).parameters["changes"].kind is (
            inspect.Parameter.VAR_KEYWORD
        )


class _Pool(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Stands in for the owned connection pool; answers through ``handler``, records closing."""

    def __init__(self, handler: Recorder) -> None:
        self.mock = httpx.MockTransport(handler)
        self.is_closed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.mock.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.mock.handle_async_request(request)

    def close(self) -> None:
        self.is_closed = True

    async def aclose(self) -> None:
        self.is_closed = True


async def test_closing_a_copy_leaves_the_pool_open(mode: str) -> None:
    handler = Recorder(ok())
    client = Spheron(TOKEN) if mode == "sync" else AsyncSpheron(TOKEN)
    assert client.http_client.retry_transport.owns_inner
    pool = client.http_client.retry_transport.inner = _Pool(handler)
    copy = client.with_options(max_retries=0)

    await close(copy)
    assert copy.is_closed and not client.is_closed and not pool.is_closed
    await call(client, get_organization, "org_1")

    await close(client)
    assert client.is_closed and pool.is_closed


async def test_one_httpx_client_per_client_and_derived_api_clients_keep_the_stack(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    handler = Recorder(json_response(503, {}), ok())
    client = make_client(handler)
    http = client.http_client
    api = client.api
    assert (
        api.get_httpx_client() if isinstance(client, Spheron) else api.get_async_httpx_client()
    ) is http
    derived = (
        api.with_headers({"X-Extra": "1"}).with_timeout(httpx.Timeout(4.0)).with_cookies({"c": "v"})
    )
    # The derived client retried the 503 and authenticated like the original.
    await call_api(derived, client, get_organization, "org_1")
    assert handler.count == 2
    last = handler.requests[-1]
    assert last.headers["x-extra"] == "1" and last.headers["authorization"] == f"Bearer {TOKEN}"
    assert last.extensions["timeout"]["read"] == 4.0 and "c=v" in last.headers["cookie"]
    # The original is unchanged.
    assert "X-Extra" not in http.headers and http.timeout.read == 60.0


def test_callers_http_client_is_left_open() -> None:
    own = httpx.Client()
    with Spheron(TOKEN, http_client=own) as client:
        pass
    assert client.is_closed and not own.is_closed
    own.close()


async def test_callers_async_http_client_is_left_open() -> None:
    own = httpx.AsyncClient()
    async with AsyncSpheron(TOKEN, http_client=own) as client:
        pass
    assert client.is_closed and not own.is_closed
    await own.aclose()


# Redirects


def redirect_handler(location: str) -> Recorder:
    return Recorder(
        httpx.Response(302, headers={"location": location}),
        json_response(200, ORG),
    )


async def test_redirects_are_not_followed_by_default(
    make_client: Callable[..., AnyClient],
) -> None:
    handler = redirect_handler("https://elsewhere.example/v1/organization/org_1")
    client = make_client(handler)

    with pytest.raises(APIStatusError) as info:
        await call(client, get_organization, "org_1")

    assert info.value.status_code == 302
    assert "redirect to https://elsewhere.example/v1/organization/org_1 not followed" in str(
        info.value
    )
    assert handler.count == 1


def following_client(mode: str, handler: Recorder) -> AnyClient:
    mock = httpx.MockTransport(handler)
    if mode == "sync":
        return Spheron(
            TOKEN,
            base_url=BASE_URL,
            http_client=httpx.Client(transport=mock, follow_redirects=True),
        )
    return AsyncSpheron(
        TOKEN,
        base_url=BASE_URL,
        http_client=httpx.AsyncClient(transport=mock, follow_redirects=True),
    )


async def test_followed_redirect_never_sends_the_token_to_another_origin(mode: str) -> None:
    handler = redirect_handler("https://evil.example/steal")
    client = following_client(mode, handler)

    response = await call(client, get_organization, "org_1")

    assert response.status_code == 200
    first, second = handler.requests
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert second.url == "https://evil.example/steal"
    assert "authorization" not in second.headers
    assert all(TOKEN not in value for value in second.headers.values())


async def test_followed_redirect_keeps_the_token_on_the_same_origin(mode: str) -> None:
    handler = redirect_handler(f"{BASE_URL}/v1/organization/org_1/")
    client = following_client(mode, handler)

    response = await call(client, get_organization, "org_1")

    assert response.status_code == 200
    assert handler.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


# Package surface


def test_public_surface() -> None:
    for name in spheron.__all__:
        assert hasattr(spheron, name), name
    assert spheron.__version__ == "1.0.0" or spheron.__version__


def test_import_is_light() -> None:
    code = (
        "import sys, spheron\n"
        "heavy = [m for m in sys.modules if m.startswith(('spheron_api_client.models', "
        "'spheron_api_client.api'))]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
