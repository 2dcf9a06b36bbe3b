"""Fault injection, in process and over a real socket, and the request log."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, FakeSpheron

ORG = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"
SCOPE = "/v1/api-keys/scope"
RENAME = {"name": "Renamed", "username": "renamed", "image": ""}


def test_status_burst_then_success(fake: FakeSpheron, http: httpx.Client) -> None:
    fault = fake.faults.add("status", status=503, path=SCOPE, times=2)
    assert http.get(SCOPE).status_code == 503
    response = http.get(SCOPE)
    assert response.status_code == 503
    assert response.json() == {"message": "Injected fault: HTTP 503"}
    assert http.get(SCOPE).status_code == 200
    assert fault.hits == 2 and fault.exhausted and len(fake.faults) == 0
    assert [r.fault for r in fake.calls("GET", SCOPE)] == ["status", "status", None]
    assert [r.status for r in fake.calls("GET", SCOPE)] == [503, 503, 200]


def test_429_with_retry_after(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.faults.add("status", status=429, retry_after=2, times=3, message="Too many requests")
    responses = [http.get(ORG) for _ in range(4)]
    assert [r.status_code for r in responses] == [429, 429, 429, 200]
    assert responses[0].headers["retry-after"] == "2"
    assert responses[0].json() == {"message": "Too many requests"}
    fake.faults.add("status", status=429, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    assert http.get(ORG).headers["retry-after"] == "Wed, 21 Oct 2015 07:28:00 GMT"


def test_method_and_prefix_matching(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.faults.add("status", status=500, method="PUT", path="/v1/organization/", times=None)
    assert http.get(ORG).status_code == 200
    assert http.put(ORG, json=RENAME).status_code == 500
    assert http.put(ORG, json=RENAME).status_code == 500
    fake.faults.clear()
    assert http.put(ORG, json=RENAME).status_code == 200


def test_status_after_handler_applies_the_change(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.faults.add("status", status=502, method="PUT", phase="after")
    assert http.put(ORG, json=RENAME).status_code == 502
    assert http.get(ORG).json()["profile"]["username"] == "renamed"


def test_malformed_body(fake: FakeSpheron, make_client: Any) -> None:
    # The point is an invalid body, so this client does not validate against the document.
    client = make_client(validate=False)
    fake.faults.add("malformed", path=SCOPE)
    response = client.get(SCOPE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        response.json()


def test_reset_in_process_sync_and_post_never_resent(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.faults.add("reset", method="POST", path="/v1/organization")
    body = {"username": "acme", "name": "Acme", "appType": "app"}
    with pytest.raises(httpx.ReadError) as info:
        http.post("/v1/organization", json=body)
    assert info.value.request.url.path == "/v1/organization"
    # Plain httpx does not retry; the request reached the server exactly once.
    assert fake.count("POST", "/v1/organization") == 1
    last = fake.requests.last()
    assert last is not None and last.fault == "reset" and last.json() == body
    # phase="before": nothing was created.
    assert (
        http.get("/v1/api-keys/scope").json()["organizations"][-1]["id"] == DEFAULT_ORGANIZATION_ID
    )


async def test_reset_in_process_async(fake: FakeSpheron, ahttp: httpx.AsyncClient) -> None:
    fake.faults.add("reset", path=ORG, phase="after", method="PUT")
    with pytest.raises(httpx.ReadError):
        await ahttp.put(ORG, json=RENAME)
    # phase="after": the change was applied, the answer lost.
    assert (await ahttp.get(ORG)).json()["profile"]["username"] == "renamed"


def test_delay_times_out_in_process_sync(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.faults.add("delay", delay=5, path=ORG, method="PUT")
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        http.put(ORG, json=RENAME, timeout=0.2)
    assert time.monotonic() - started < 2
    # phase="before": the handler never ran.
    assert http.get(ORG).json()["profile"]["username"] == "test-org"
    fake.faults.add("delay", delay=0.05, path=ORG)
    assert http.get(ORG, timeout=5).status_code == 200


async def test_delay_after_in_process_async(fake: FakeSpheron, ahttp: httpx.AsyncClient) -> None:
    fake.faults.add("delay", delay=5, path=ORG, method="PUT", phase="after")
    with pytest.raises(httpx.ReadTimeout):
        await ahttp.put(ORG, json=RENAME, timeout=0.2)
    assert (await ahttp.get(ORG)).json()["profile"]["username"] == "renamed"


def test_fault_validation(fake: FakeSpheron) -> None:
    with pytest.raises(ValueError):
        fake.faults.add("explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fake.faults.add("status", times=0)
    with pytest.raises(ValueError):
        fake.faults.add("status", phase="during")  # type: ignore[arg-type]
    fault = fake.faults.add("status", times=None)
    assert list(fake.faults) == [fault]
    fake.faults.remove(fault)
    assert len(fake.faults) == 0


def test_request_log(fake: FakeSpheron, http: httpx.Client) -> None:
    http.get(ORG, params={"x": "1"})
    http.put(ORG, json=RENAME)
    entry = fake.calls("PUT")[0]
    assert entry.route == "/v1/organization/{organizationId}"
    assert entry.headers["authorization"] == f"Bearer {DEFAULT_TOKEN}"
    assert entry.json() == RENAME and entry.status == 200
    assert fake.calls("GET")[0].query == "x=1"
    assert fake.count(route="/v1/organization/{organizationId}") == 2
    assert fake.count("DELETE") == 0
    fake.requests.clear()
    assert len(fake.requests) == 0


# -- over a real socket ------------------------------------------------------------------------


@pytest.fixture
def live(fake: FakeSpheron, hooks: dict[str, list[Any]]) -> Any:
    with (
        fake.serve() as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}, event_hooks=hooks
        ) as client,
    ):
        yield client


def test_reset_over_loopback_is_econnreset(fake: FakeSpheron, live: httpx.Client) -> None:
    fake.faults.add("reset", path=SCOPE)
    with pytest.raises(httpx.ReadError, match="reset"):
        live.get(SCOPE)
    assert live.get(SCOPE).status_code == 200  # a new connection works
    assert fake.count("GET", SCOPE) == 2


def test_delay_over_loopback_times_out(fake: FakeSpheron, live: httpx.Client) -> None:
    fake.faults.add("delay", delay=5, method="PUT", phase="after")
    with pytest.raises(httpx.ReadTimeout):
        live.put(ORG, json=RENAME, timeout=0.3)
    assert live.get(ORG).json()["profile"]["username"] == "renamed"
    fake.faults.add("delay", delay=0.6, method="PUT")
    with pytest.raises(httpx.ReadTimeout):
        live.put(ORG, json={**RENAME, "username": "again"}, timeout=0.2)
    time.sleep(0.8)  # past the delay: the server saw the client leave and dropped the request
    assert live.get(ORG).json()["profile"]["username"] == "renamed"


def test_status_over_loopback(fake: FakeSpheron, live: httpx.Client) -> None:
    fake.faults.add("status", status=429, retry_after=1, times=2)
    assert [live.get(ORG).status_code for _ in range(3)] == [429, 429, 200]
