"""``deployments.wait`` and ``compute.instances.wait`` with a fake clock."""

from __future__ import annotations

from typing import Any

import pytest

from spheron._async.resources.compute_instances import AsyncComputeInstances
from spheron._async.resources.deployments import AsyncDeployments
from spheron._progress import StatusUpdate
from spheron._sync._wait import poll
from spheron._sync.resources.compute_instances import ComputeInstances
from spheron._sync.resources.deployments import Deployments
from spheron._wait import DeploymentFailedError, InstanceFailedError, WaitTimeoutError

from ._fakes import FakeApi, FakeClient, resolve


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def deployments(client: FakeClient, mode: str, time: FakeTime) -> Any:
    if mode == "sync":
        return Deployments(client.of(mode), clock=time.clock, sleep=time.sleep)
    return AsyncDeployments(client.of(mode), clock=time.clock, sleep=time.async_sleep)


def instances(client: FakeClient, mode: str, time: FakeTime) -> Any:
    if mode == "sync":
        return ComputeInstances(client.of(mode), clock=time.clock, sleep=time.sleep)
    return AsyncComputeInstances(client.of(mode), clock=time.clock, sleep=time.async_sleep)


def deployment(status: str | None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"_id": "d1", **extra}
    if status is not None:
        body["status"] = status
    return {"deployment": body}


def statuses(updates: list[StatusUpdate]) -> list[tuple[str | None, str | None, bool]]:
    return [(u.previous, u.status, u.is_known) for u in updates]


async def test_wait_returns_the_deployed_deployment(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route(
        "GET",
        "/v1/deployment/d1",
        deployment("Queued"),
        deployment("Queued"),
        deployment("Pending"),
        deployment("Deployed", sitePreview="https://d1.on.spheron"),
    )
    updates: list[StatusUpdate] = []

    done = await resolve(
        deployments(client, mode, time).wait("d1", poll_interval=3, on_update=updates.append)
    )

    assert done.site_preview == "https://d1.on.spheron"
    assert statuses(updates) == [
        (None, "Queued", True),
        ("Queued", "Pending", True),
        ("Pending", "Deployed", True),
    ]
    assert [u.elapsed for u in updates] == [0, 6, 9]
    assert time.sleeps == [3, 3, 3]
    assert len(fake.sent) == 4


@pytest.mark.parametrize("final", ["Failed", "Canceled", "TimedOut", "AuthorizationNeeded"])
async def test_wait_raises_on_terminal_failure(
    final: str, mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route(
        "GET",
        "/v1/deployment/d1",
        deployment("Queued"),
        deployment(
            final,
            failedMessage="build exited with 1",
            logs=[{"time": "t0", "log": "npm ci"}, {"time": "t1", "log": "npm ERR! missing"}],
        ),
    )

    with pytest.raises(DeploymentFailedError) as caught:
        await resolve(deployments(client, mode, time).wait("d1"))

    error = caught.value
    assert (error.deployment_id, error.status) == ("d1", final)
    assert error.logs == ["npm ci", "npm ERR! missing"]
    assert f"ended with status {final}: build exited with 1" in str(error)
    assert error.deployment.id == "d1"


async def test_authorization_needed_says_how_to_continue(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route("GET", "/v1/deployment/d1", deployment("AuthorizationNeeded"))

    with pytest.raises(DeploymentFailedError, match=r"deployments\.authorize"):
        await resolve(deployments(client, mode, time).wait("d1"))


async def test_failure_falls_back_to_live_logs(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route("GET", "/v1/deployment/d1", {**deployment("Failed"), "liveLogs": ["step 1", "boom"]})

    with pytest.raises(DeploymentFailedError) as caught:
        await resolve(deployments(client, mode, time).wait("d1"))

    assert caught.value.logs == ["step 1", "boom"]


async def test_wait_times_out(mode: str, fake: FakeApi, client: FakeClient, time: FakeTime) -> None:
    fake.route("GET", "/v1/deployment/d1", deployment("Queued"))

    with pytest.raises(WaitTimeoutError, match="still 'Queued' after 12s") as caught:
        await resolve(deployments(client, mode, time).wait("d1", timeout=12, poll_interval=5))

    assert (caught.value.last_status, caught.value.timeout) == ("Queued", 12)
    assert time.sleeps == [5, 5, 2]
    assert len(fake.sent) == 4


async def test_unknown_status_is_reported_and_polled_through(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route(
        "GET",
        "/v1/deployment/d1",
        deployment("Building"),
        deployment("Killing"),
        deployment("Deployed"),
    )
    updates: list[StatusUpdate] = []

    await resolve(deployments(client, mode, time).wait("d1", on_update=updates.append))

    assert statuses(updates) == [
        (None, "Building", False),
        ("Building", "Killing", True),
        ("Killing", "Deployed", True),
    ]


async def test_unknown_status_forever_times_out(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route("GET", "/v1/deployment/d1", deployment("Building"))

    with pytest.raises(WaitTimeoutError) as caught:
        await resolve(deployments(client, mode, time).wait("d1", timeout=10))

    assert caught.value.last_status == "Building"


async def test_zero_timeout_polls_once(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route("GET", "/v1/deployment/d1", deployment("Deployed"))

    await resolve(deployments(client, mode, time).wait("d1", timeout=0))

    assert time.sleeps == []


def instance(state: str) -> dict[str, Any]:
    return {"success": True, "instance": {"_id": "i1", "state": state}}


async def test_instance_becomes_ready(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route("GET", "/v1/compute-instance/i1", instance("Starting"), instance("Active"))
    updates: list[StatusUpdate] = []

    ready = await resolve(instances(client, mode, time).wait("i1", on_update=updates.append))

    assert ready.state.value == "Active"
    assert statuses(updates) == [(None, "Starting", True), ("Starting", "Active", True)]


@pytest.mark.parametrize("final", ["Failed-start", "Closed"])
async def test_instance_failure(
    final: str, mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route("GET", "/v1/compute-instance/i1", instance("Starting"), instance(final))

    with pytest.raises(InstanceFailedError) as caught:
        await resolve(instances(client, mode, time).wait("i1"))

    assert (caught.value.instance_id, caught.value.status) == ("i1", final)


async def test_instance_timeout_with_unknown_state(
    mode: str, fake: FakeApi, client: FakeClient, time: FakeTime
) -> None:
    fake.route("GET", "/v1/compute-instance/i1", instance("Provisioning"))

    with pytest.raises(WaitTimeoutError, match="compute instance i1"):
        await resolve(instances(client, mode, time).wait("i1", timeout=7))


@pytest.mark.parametrize("kwargs", [{"timeout": -1}, {"poll_interval": 0}])
def test_poll_rejects_bad_arguments(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        poll(lambda _: 1, lambda _: ("x", True, "succeeded"), resource_id="r", kind="k", **kwargs)
