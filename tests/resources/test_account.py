"""Which organization helpers act on: explicit, the client's, or the token scope's only one."""

from __future__ import annotations

from typing import Any

import pytest

from spheron import SpheronConfigError
from spheron.resources import (
    async_profile,
    async_resolve_organization_id,
    async_token_scope,
    profile,
    resolve_organization_id,
    token_scope,
)

from ._fakes import FakeApi, FakeClient, make_client, namespace, resolve

SCOPE = "/v1/api-keys/scope"


def scope(*organizations: tuple[str, str]) -> dict[str, Any]:
    return {
        "user": {"id": "u1", "username": "ada"},
        "organizations": [{"id": i, "name": n, "appType": "app"} for i, n in organizations],
    }


def resolver(mode: str) -> Any:
    return resolve_organization_id if mode == "sync" else async_resolve_organization_id


@pytest.fixture
def anonymous(fake: FakeApi) -> FakeClient:
    return make_client(fake, organization_id=None)


async def test_explicit_wins(mode: str, fake: FakeApi, client: FakeClient) -> None:
    assert await resolve(resolver(mode)(client.of(mode), "org-2")) == "org-2"
    assert fake.sent == []


async def test_client_default(mode: str, fake: FakeApi, client: FakeClient) -> None:
    assert await resolve(resolver(mode)(client.of(mode), None)) == "org-1"
    assert fake.sent == []


async def test_single_organization_is_used_and_remembered(
    mode: str, fake: FakeApi, anonymous: FakeClient
) -> None:
    fake.route("GET", SCOPE, scope(("org-7", "Acme")))

    first = await resolve(resolver(mode)(anonymous.of(mode), None))
    second = await resolve(resolver(mode)(anonymous.of(mode), None))

    assert first == second == "org-7"
    assert [s.path for s in fake.sent] == [SCOPE]


async def test_several_organizations_raise_naming_them(
    mode: str, fake: FakeApi, anonymous: FakeClient
) -> None:
    fake.route("GET", SCOPE, scope(("org-7", "Acme"), ("org-8", "Beta")))

    with pytest.raises(SpheronConfigError) as caught:
        await resolve(resolver(mode)(anonymous.of(mode), None))

    message = str(caught.value)
    assert "2 organizations" in message
    assert "org-7 (Acme)" in message and "org-8 (Beta)" in message
    assert "organization_id=" in message


async def test_explicit_wins_even_with_several(
    mode: str, fake: FakeApi, anonymous: FakeClient
) -> None:
    fake.route("GET", SCOPE, scope(("org-7", "Acme"), ("org-8", "Beta")))

    assert await resolve(resolver(mode)(anonymous.of(mode), "org-8")) == "org-8"
    assert fake.sent == []


async def test_no_organization_raises(mode: str, fake: FakeApi, anonymous: FakeClient) -> None:
    fake.route("GET", SCOPE, {"user": {"id": "u1"}, "organizations": []})

    with pytest.raises(SpheronConfigError, match="no organization"):
        await resolve(resolver(mode)(anonymous.of(mode), None))


async def test_unnamed_organization_is_described_by_id(
    mode: str, fake: FakeApi, anonymous: FakeClient
) -> None:
    fake.route(
        "GET",
        SCOPE,
        {
            "organizations": [
                {"id": "org-1", "name": "", "username": ""},
                {"id": "org-2", "name": "", "username": "b"},
            ]
        },
    )

    with pytest.raises(SpheronConfigError, match=r"org-1, org-2 \(b\)"):
        await resolve(resolver(mode)(anonymous.of(mode), None))


async def test_namespaces_resolve_through_the_scope(
    mode: str, fake: FakeApi, anonymous: FakeClient
) -> None:
    fake.route("GET", SCOPE, scope(("org-7", "Acme")))
    fake.route("GET", "/v1/organization/org-7", {"_id": "org-7"})
    fake.route("GET", "/v1/organization/org-7/projects/count", {"count": 1})

    organizations = namespace(anonymous, mode, "organizations")
    await resolve(organizations.get())
    await resolve(organizations.count_projects())

    assert [s.path for s in fake.sent] == [
        SCOPE,
        "/v1/organization/org-7",
        "/v1/organization/org-7/projects/count",
    ]


async def test_token_scope_and_profile(mode: str, fake: FakeApi, client: FakeClient) -> None:
    fake.route("GET", SCOPE, scope(("org-1", "Acme")))
    fake.route("GET", "/v1/profile/", {"user": {"_id": "u1"}})

    found = await resolve((token_scope if mode == "sync" else async_token_scope)(client.of(mode)))
    me = await resolve((profile if mode == "sync" else async_profile)(client.of(mode)))

    assert [o.id for o in found.organizations] == ["org-1"]
    assert me.id == "u1"
    assert fake.calls() == [("GET", SCOPE, {}, None), ("GET", "/v1/profile/", {}, None)]


async def test_token_scope_and_profile_have_raw_responses(
    mode: str, fake: FakeApi, client: FakeClient
) -> None:
    fake.route("GET", SCOPE, scope(("org-1", "Acme")))
    fake.route("GET", "/v1/profile/", {"user": {"_id": "u1"}})
    raw = client.of(mode).with_raw_response

    scoped = await resolve(raw.token_scope())
    me = await resolve(raw.profile())

    assert scoped.status_code == 200 and me.status_code == 200
    assert [o.id for o in scoped.parse().organizations] == ["org-1"]
    assert me.parse().id == "u1"
    assert fake.calls() == [("GET", SCOPE, {}, None), ("GET", "/v1/profile/", {}, None)]
