"""A bad argument raises a ``SpheronError`` that is also the builtin it replaces, before any
request; and no hand-written module raises a bare builtin error at a caller."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import spheron
from spheron import InvalidArgumentError, Spheron, SpheronError
from spheron.cli._dotenv import EnvFileError, render_env
from spheron.testing import (
    DEFAULT_TOKEN,
    Clock,
    FakeServerError,
    FakeSpheron,
    UnknownIdError,
)
from spheron.testing._server import LiveServer

PACKAGE = Path(spheron.__file__).parent


@pytest.fixture
def fake() -> Iterator[FakeSpheron]:
    with FakeSpheron() as fake:
        yield fake


@pytest.fixture
def client(fake: FakeSpheron) -> Iterator[Spheron]:
    with (
        httpx.Client(transport=fake.transport()) as http,
        Spheron(DEFAULT_TOKEN, base_url="https://spheron.test", http_client=http) as client,
    ):
        yield client


CONFIGURATION = {
    "buildCommand": "b",
    "installCommand": "i",
    "workspace": "",
    "publishDir": "build",
    "framework": "react",
    "nodeVersion": "V_16",
}

# Each call gets the client; a bad argument in each place the friendly layer checks one.
CALLS: dict[str, Callable[[Spheron], Any]] = {
    "page_size 0": lambda c: c.organizations.list_projects(page_size=0),
    "negative limit": lambda c: c.organizations.list_projects(limit=-1),
    "negative wait timeout": lambda c: c.deployments.wait("d1", timeout=-1),
    "zero poll interval": lambda c: c.compute.instances.wait("i1", poll_interval=0),
    "protocol not a string": lambda c: c.deployments.create(
        git_url="https://github.com/acme/site",
        repo_name="site",
        branch="main",
        protocol=5,  # type: ignore[arg-type]
        provider="GITHUB",
        configuration=CONFIGURATION,
    ),
    "blank protocol": lambda c: c.deployments.create(
        git_url="https://github.com/acme/site",
        repo_name="site",
        branch="main",
        protocol=" ",
        provider="GITHUB",
        configuration=CONFIGURATION,
    ),
    "configuration not a mapping": lambda c: c.deployments.create(
        git_url="https://github.com/acme/site",
        repo_name="site",
        branch="main",
        protocol="ipfs",
        provider="GITHUB",
        configuration="npm run build",  # type: ignore[arg-type]
    ),
    "empty id": lambda c: c.projects.get(""),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_bad_argument_is_refused_before_any_request(
    fake: FakeSpheron, client: Spheron, call: Callable[[Spheron], Any]
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        result = call(client)
        next(iter(result))  # a pager checks its arguments when made; this never runs
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SpheronError)
    # Only the token's scope may have been read (to pick the default organization).
    assert {r.path for r in fake.requests.all()} <= {"/v1/api-keys/scope"}


def test_an_unknown_protocol_string_is_sent_as_given(client: Spheron, fake: FakeSpheron) -> None:
    # The API adds values without a version bump: an unknown string is the server's to judge.
    with pytest.raises(spheron.BadRequestError):
        client.projects.list_deployments(fake.add_project(), status="Nonsense").first_page()
    assert fake.count("GET") == 1


HELPERS: dict[str, Callable[[FakeSpheron], Any]] = {
    "add_project to an unknown organization": lambda f: f.add_project("nope"),
    "add_bucket to an unknown organization": lambda f: f.add_bucket("nope"),
    "add_compute_project to an unknown organization": lambda f: f.add_compute_project("nope"),
    "add_deployment to an unknown project": lambda f: f.add_deployment("nope"),
    "add_upload to an unknown bucket": lambda f: f.add_upload("nope"),
    "upload_files of an unknown upload": lambda f: f.upload_files("nope"),
    "deployment_status of an unknown deployment": lambda f: f.deployment_status("nope"),
}


@pytest.mark.parametrize("call", HELPERS.values(), ids=HELPERS.keys())
def test_fake_helpers_name_an_unknown_id(fake: FakeSpheron, call: Callable[..., Any]) -> None:
    with pytest.raises(UnknownIdError, match=r"the fake holds no \w+ 'nope'") as info:
        call(fake)
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, SpheronError)


FAKE_ARGUMENTS: dict[str, Callable[[FakeSpheron], Any]] = {
    "fault kind": lambda f: f.faults.add("explode"),  # type: ignore[arg-type]
    "fault phase": lambda f: f.faults.add("status", phase="during"),  # type: ignore[arg-type]
    "fault times": lambda f: f.faults.add("status", times=0),
    "clock backwards": lambda f: f.advance(-1),
    "negative clock speed": lambda f: setattr(f.clock, "speed", -1),
    "negative clock step": lambda f: Clock(step=-1),
    "HTTP/2 without TLS": lambda f: f.serve(http2=True, tls=False).__enter__(),
}


@pytest.mark.parametrize("call", FAKE_ARGUMENTS.values(), ids=FAKE_ARGUMENTS.keys())
def test_fake_arguments_are_typed_errors(fake: FakeSpheron, call: Callable[..., Any]) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        call(fake)
    assert isinstance(info.value, ValueError)


def test_a_server_that_cannot_start_is_a_typed_error(
    fake: FakeSpheron, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: LiveServer) -> None:
        self._error = OSError("no luck")
        self._started.set()

    monkeypatch.setattr(LiveServer, "_run_uvicorn", fail)
    with pytest.raises(FakeServerError, match="did not start") as info, fake.serve():
        pass
    assert isinstance(info.value, RuntimeError)


def test_a_variable_name_a_dotenv_file_cannot_hold() -> None:
    with pytest.raises(EnvFileError) as info:
        render_env({"NOT A NAME": "x"})
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SpheronError)


# Raising these at a caller is what the typed subclasses replace. Allowed: protocol methods
# (``__getattr__`` must raise AttributeError, ``__getitem__`` IndexError) and internal
# invariants that no argument can reach.
BARE = {"ValueError", "TypeError", "KeyError", "FileNotFoundError", "RuntimeError", "OSError"}
ALLOWED = {
    ("cli/_output.py", "RuntimeError"),  # a command emitting two JSON documents: a bug of ours
}


def _bare_raises(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in BARE:
                yield exc.id, node.lineno


def test_no_hand_written_module_raises_a_bare_builtin_error() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("_sync/"):  # generated from _async/, which is checked
            continue
        for name, line in _bare_raises(path):
            if (relative, name) not in ALLOWED:
                found.append(f"{relative}:{line}: raise {name}")
    assert found == []
