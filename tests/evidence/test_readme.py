"""The README's "Porting an existing integration" example runs and sends what it says."""

from __future__ import annotations

import json
import re
import types
from pathlib import Path
from typing import Any

import httpx
import pytest

import spheron
from tests.evidence._records import same_json

from .._complete import complete

README = Path(__file__).resolve().parents[2] / "README.md"


def example(index: int = 0) -> str:
    text = README.read_text()
    section = text.split("## Porting an existing integration", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2  # the lenient body; another token or none
    return str(blocks[index])


def test_lenient_body_example_sends_what_the_readme_says() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(
            200, json=complete("InstanceResponse", {"computeInstanceId": "i", "success": True})
        )

    def client() -> spheron.Spheron:
        http = httpx.Client(transport=httpx.MockTransport(handle))
        return spheron.Spheron("readme-token", http_client=http)

    shim = types.SimpleNamespace(Spheron=client)
    code = example().replace("import spheron\n", "")
    scope: dict[str, Any] = {"spheron": shim}
    exec(compile(code, str(README), "exec"), scope)

    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/v1/compute-instance/create")
    sent = json.loads(request.content)
    expected = {
        "organizationId": "65a000000000000000000002",
        "computeProjectId": "65a000000000000000000005",
        "computeProjectName": "web",
        "computeProjectDescription": "",
        "computeProvider": "akash",
        "uniqueTopicId": "6f1c1f7e-7c1a-4c53-9a55-1f0c2a4b8e61",
        "region": "us-west",
        "services": [
            {
                "name": "web",
                "image": "nginx",
                "tag": "latest",
                "serviceCount": 1,
                "akashMachineImageName": "Ventus Nano 1",
                "buildImage": False,
                "env": [],
                "command": [],
                "args": [],
                "ports": [{"containerPort": "80", "exposedPort": "80"}],
                "autoscalingRules": None,
            }
        ],
        "scalable": False,
    }
    assert same_json(sent, expected), sent
    assert scope["answer"] is not None


@pytest.mark.parametrize("phrase", ["additional_properties", "null", "left out"])
def test_section_states_the_rules(phrase: str) -> None:
    text = README.read_text().split("## Porting an existing integration", 1)[1]
    assert phrase in text.split("\n## ", 1)[0]


def test_token_example_sends_the_other_token_then_none() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/upload/initiate":
            return httpx.Response(
                200,
                json={
                    "uploadId": "u1",
                    "parallelUploadCount": 1,
                    "payloadSize": 1024,
                    "singleUseToken": "single-use-4f2a",
                },
            )
        if request.url.path.endswith("/finish"):
            return httpx.Response(
                200,
                json={
                    "success": True,
                    "message": "ok",
                    "uploadId": "u1",
                    "bucketId": "b1",
                    "protocolLink": "https://x",
                    "dynamicLinks": [],
                    "cid": "bafy",
                },
            )
        return httpx.Response(200)  # GET /status: an empty page

    def client() -> spheron.Spheron:
        http = httpx.Client(transport=httpx.MockTransport(handle))
        return spheron.Spheron("readme-main-token", http_client=http)

    scope: dict[str, Any] = {"spheron": types.SimpleNamespace(Spheron=client)}
    code = example(1).replace("import spheron\n", "")
    exec(compile(code, str(README), "exec"), scope)

    initiate, finish, status = seen
    assert initiate.headers["authorization"] == "Bearer readme-main-token"
    assert initiate.url.params["create_single_use_token"] == "true"
    assert finish.url.path == "/v1/upload/u1/finish"
    assert finish.headers["authorization"] == "Bearer single-use-4f2a"
    assert "authorization" not in status.headers
