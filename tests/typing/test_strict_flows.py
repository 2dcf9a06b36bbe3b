"""The five common flows type-check under ``mypy --strict`` with zero narrowings, and run.

``strict_flows.py`` reads every value as the plain type a caller expects (``str``, an enum, a
model). It is type-checked here with ``mypy --strict`` (``mypy.api.run``) and then run against
the embedded server (``spheron.testing``) so it is real code, not a typing exercise.
"""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import httpx
import pytest
from mypy import api as mypy_api

from spheron import AsyncSpheron, Spheron
from spheron.testing import DEFAULT_BUCKET_ID, DEFAULT_TOKEN, Clock, FakeSpheron
from spheron_api_client.models import DeploymentStatus, InstanceState

from . import strict_flows

FLOWS = Path(strict_flows.__file__)
ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://spheron.test"


def strict_mypy(path: Path) -> tuple[str, int]:
    out, err, status = mypy_api.run(
        [
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            "--python-version=3.10",
            "--config-file=",
            str(path),
        ]
    )
    return out + err, status


def test_the_flows_type_check_strictly() -> None:
    output, status = strict_mypy(FLOWS)
    assert status == 0, output


def test_the_flows_take_no_narrowing() -> None:
    tree = ast.parse(FLOWS.read_text())
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"isinstance", "cast", "Unset", "UNSET"}
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    compares = [n for n in ast.walk(tree) if isinstance(n, ast.Compare)]
    assert not compares, "no `is None` / `is not None` checks"


def test_the_check_fails_when_a_field_is_optional(tmp_path: Path) -> None:
    # The same kind of read on a field the document leaves optional must fail: this is what a
    # regression of a required field to `str | None` (or `str | Unset`) would look like.
    regressed = tmp_path / "regressed.py"
    regressed.write_text(
        "from spheron import Spheron\n\n\n"
        "def url(client: Spheron, project_id: str) -> str:\n"
        "    project = client.projects.get(project_id)\n"
        "    value: str = project.url\n"
        "    return value\n"
    )
    output, status = strict_mypy(regressed)
    assert status == 1
    assert 'Incompatible types in assignment (expression has type "str | None"' in output


@pytest.fixture
def fake() -> FakeSpheron:
    return FakeSpheron(clock=Clock(step=60.0))


def test_the_flows_run_against_the_embedded_server(fake: FakeSpheron, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>hi</h1>")
    with (
        fake,
        httpx.Client(transport=fake.transport()) as http,
        Spheron(DEFAULT_TOKEN, base_url=BASE_URL, http_client=http) as client,
    ):
        deployment_id, project_id, status = strict_flows.create_wait_read_status(client)
        assert deployment_id and project_id
        assert status is DeploymentStatus.DEPLOYED

        projects = strict_flows.list_projects(client)
        assert project_id in [p[0] for p in projects] and all(p[1] for p in projects)

        cid, link, upload_id = strict_flows.upload(client, site, DEFAULT_BUCKET_ID)
        assert cid and link and upload_id

        name, state = strict_flows.instance_state(client)
        assert name and isinstance(state, InstanceState)

    async def buckets() -> list[tuple[str, str]]:
        async with (
            httpx.AsyncClient(transport=fake.async_transport()) as http,
            AsyncSpheron(DEFAULT_TOKEN, base_url=BASE_URL, http_client=http) as client,
        ):
            return await strict_flows.bucket_names(client)

    found = asyncio.run(buckets())
    assert DEFAULT_BUCKET_ID in [b[0] for b in found] and all(b[1] for b in found)
