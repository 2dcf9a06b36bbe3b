"""What the client logs, and that the token never shows up in logs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx
import pytest

from spheron import APIConnectionError, PermissionDeniedError, Spheron
from spheron import _logs as logs_module
from spheron_api_client.api.organization import get_organization

from .conftest import Sleeps
from .helpers import ORG, TOKEN, AnyClient, Recorder, call, json_response


async def test_requests_and_retries_are_logged_without_secrets(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    handler = Recorder(
        json_response(503, {}, **{"x-request-id": "req-a"}),
        httpx.ConnectError("refused"),
        json_response(200, ORG, **{"x-request-id": "req-b"}),
        json_response(403, {"message": f"bad token {TOKEN}"}),
        httpx.ConnectError("refused"),
    )
    client = make_client(handler)

    await call(client, get_organization, "org_1")
    with pytest.raises(PermissionDeniedError):
        await call(client, get_organization, "org_1")
    with pytest.raises(APIConnectionError):
        await call(client, get_organization, "org_1")

    spheron_lines = [r.getMessage() for r in caplog.records if r.name == "spheron"]
    assert "GET /v1/organization/org_1: sending (attempt 1)" in spheron_lines
    assert (
        "GET /v1/organization/org_1: status 503, request id req-a; retrying in 0.50s (retry 1 of 2)"
        in spheron_lines
    )
    assert "GET /v1/organization/org_1: ConnectError; retrying in 1.00s (retry 2 of 2)" in (
        spheron_lines
    )
    assert any(
        line.startswith("GET /v1/organization/org_1 -> 200 in ")
        and line.endswith(", 2 retries, request id req-b")
        for line in spheron_lines
    )
    assert any(line.startswith("GET /v1/organization/org_1 -> 403 in ") for line in spheron_lines)
    assert any("failed in" in line and "ConnectError" in line for line in spheron_lines)
    everything = caplog.text + "".join(repr(r.args) + str(r.msg) for r in caplog.records)
    assert TOKEN not in everything
    assert "authorization" not in everything.lower()


@pytest.fixture
def restore_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("spheron")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.mark.parametrize(("value", "level"), [("debug", logging.DEBUG), ("INFO", logging.INFO)])
def test_spheron_log_env_installs_one_stderr_handler(
    monkeypatch: pytest.MonkeyPatch, restore_logger: logging.Logger, value: str, level: int
) -> None:
    monkeypatch.setenv("SPHERON_LOG", value)
    Spheron(TOKEN)
    Spheron(TOKEN)
    installed = [h for h in restore_logger.handlers if isinstance(h, logs_module._EnvHandler)]
    assert len(installed) == 1
    assert restore_logger.level == level


def test_no_handler_without_spheron_log(restore_logger: logging.Logger) -> None:
    Spheron(TOKEN)
    assert not any(isinstance(h, logs_module._EnvHandler) for h in restore_logger.handlers)


def test_spheron_log_output_goes_to_stderr(
    monkeypatch: pytest.MonkeyPatch,
    restore_logger: logging.Logger,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SPHERON_LOG", "info")
    handler = Recorder(json_response(200, ORG))
    client = Spheron(TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    get_organization.sync("org_1", client=client.api)
    err = capsys.readouterr().err
    assert "spheron INFO] GET /v1/organization/org_1 -> 200 in " in err
    assert TOKEN not in err


def test_hpack_debug_records_naming_secret_headers_are_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    Spheron(TOKEN)  # installs the filter
    caplog.set_level(logging.DEBUG)
    hpack = logging.getLogger("hpack.hpack")
    hpack.debug("Adding %s=%s to the header table", b"authorization", f"Bearer {TOKEN}".encode())
    hpack.debug("Decoded %s, consumed %d", (b"cookie", b"session=abc"), 3)
    hpack.debug("Adding %s=%s to the header table", b":path", b"/v1/profile")
    messages = [r.getMessage() for r in caplog.records if r.name == "hpack.hpack"]
    assert messages[0] == messages[1]
    assert "redacted" in messages[0]
    assert messages[2] == "Adding b':path'=b'/v1/profile' to the header table"
    assert TOKEN not in caplog.text
