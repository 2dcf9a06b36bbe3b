"""The ``pytest11`` plugin: a downstream project's tests get the fixtures by installing us."""

from __future__ import annotations

import pytest

DOWNSTREAM = """
import asyncio

from spheron import Spheron, AsyncSpheron, NotFoundError
from spheron.testing import DEFAULT_ORGANIZATION_ID


def test_my_code_lists_projects(spheron_client: Spheron) -> None:
    names = [p.name for p in spheron_client.organizations.list_projects()]
    assert names


def test_my_code_sees_errors(spheron_client: Spheron) -> None:
    try:
        spheron_client.projects.get("missing")
    except NotFoundError as exc:
        assert exc.status_code == 404
    else:
        raise AssertionError("expected NotFoundError")


def test_async(spheron_async_client: AsyncSpheron) -> None:
    async def run() -> str:
        org = await spheron_async_client.organizations.get()
        return org.id

    assert asyncio.run(run()) == DEFAULT_ORGANIZATION_ID


def test_code_that_builds_its_own_client(spheron_env: str) -> None:
    with Spheron() as client:  # reads SPHERON_BASE_URL / SPHERON_TOKEN
        assert client.organizations.get().id == DEFAULT_ORGANIZATION_ID
    assert spheron_env.startswith("http://127.0.0.1:")


def test_waits_finish_at_the_first_poll(spheron_client: Spheron, spheron_fake) -> None:
    started = spheron_client.deployments.create(
        git_url="https://github.com/acme/site", repo_name="site", branch="main",
        protocol="ipfs", provider="GITHUB",
        configuration={"buildCommand": "b", "installCommand": "i", "workspace": "",
                       "publishDir": "build", "framework": "react", "nodeVersion": "V_16"},
    )
    before = len(spheron_fake.requests)
    done = spheron_client.deployments.wait(started.deployment_id, timeout=5, poll_interval=60)
    assert str(done.status) == "Deployed"
    assert len(spheron_fake.requests) - before == 1
"""


def test_downstream_tests_get_the_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream=DOWNSTREAM)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=5)


def test_the_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream="def test_x(spheron_fake):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:spheron", "-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'spheron_fake' not found*"])
