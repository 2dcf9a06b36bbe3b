"""2xx bodies that do not match the API document raise ResponseValidationError."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from spheron import ResponseValidationError
from spheron_api_client.api.organization import get_organization

from .helpers import ORG, AnyClient, Recorder, call

PATH = "/v1/organization/org_1"


async def test_valid_body_decodes(make_client: Callable[..., AnyClient]) -> None:
    client = make_client(Recorder(httpx.Response(200, json=ORG)))

    response = await call(client, get_organization, "org_1")

    assert response.parsed.profile.username == "acme"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the body is empty"),
        (b'{"_id": "org_1", "profile": {"na', "the body is not valid JSON"),
        (b"<html>oops</html>", "the body is not valid JSON"),
        (b'{"profile": {"name": "A", "username": "a"}}', "a required key is missing: '_id'"),
    ],
    ids=["empty", "truncated", "html", "missing-key"],
)
async def test_bad_2xx_bodies_raise_response_validation_error(
    make_client: Callable[..., AnyClient], content: bytes, reason: str
) -> None:
    client = make_client(Recorder(httpx.Response(200, content=content)))

    with pytest.raises(ResponseValidationError) as info:
        await call(client, get_organization, "org_1")

    err = info.value
    assert err.status_code == 200
    assert err.body == content.decode()
    assert str(err).startswith(f"GET {PATH} answered 200")
    assert reason in str(err)
    assert err.cause is not None
