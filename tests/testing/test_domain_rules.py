"""The rules site, bucket and instance domains share (spheron.testing._domains): one name across
all of them, partial updates that keep what they leave out, renaming that un-verifies, and a
refused update that changes nothing."""

from __future__ import annotations

import httpx
import pytest

from spheron.testing import DEFAULT_BUCKET_ID, DEFAULT_PROJECT_ID, FakeSpheron

OWNERS = {
    "site": f"/v1/project/{DEFAULT_PROJECT_ID}/domains",
    "bucket": f"/v1/bucket/{DEFAULT_BUCKET_ID}/domains",
}


@pytest.mark.parametrize("owner", sorted(OWNERS))
def test_partial_update_keeps_and_renaming_unverifies(owner: str, http: httpx.Client) -> None:
    base = OWNERS[owner]
    body = {"name": f"{owner}.example.com", "type": "domain", "link": "first"}
    dom = http.post(base, json=body).json()["domain"]
    assert http.patch(f"{base}/{dom['_id']}/verify", json={}).json()["success"] is True
    # Only the link: the name and the verification stay.
    linked = http.patch(f"{base}/{dom['_id']}", json={"link": "second"}).json()["domain"]
    assert (linked["name"], linked["link"], linked["verified"]) == (body["name"], "second", True)
    # The same name again is no rename.
    same = http.patch(f"{base}/{dom['_id']}", json={"name": body["name"]}).json()["domain"]
    assert same["verified"] is True
    # A new name must be verified again; the link stays.
    renamed = http.patch(f"{base}/{dom['_id']}", json={"name": f"new-{owner}.example.com"})
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["domain"]["verified"], renamed.json()["domain"]["link"]) == (
        False,
        "second",
    )


@pytest.mark.parametrize("owner", sorted(OWNERS))
def test_a_name_is_used_once_across_sites_and_buckets(owner: str, http: httpx.Client) -> None:
    other = "bucket" if owner == "site" else "site"
    taken = {"name": "Shared.Example.com", "type": "domain"}
    assert http.post(OWNERS[other], json=taken).status_code == 200
    mine = http.post(OWNERS[owner], json={"name": "mine.example.com", "type": "domain"})
    dom_id = mine.json()["domain"]["_id"]
    again = http.post(OWNERS[owner], json={"name": "shared.example.com", "type": "domain"})
    assert again.status_code == 409
    refused = http.patch(
        f"{OWNERS[owner]}/{dom_id}", json={"name": "shared.example.com", "link": "changed"}
    )
    assert refused.status_code == 409
    kept = http.get(f"{OWNERS[owner]}/{dom_id}").json()["domain"]
    assert (kept["name"], kept["link"]) == ("mine.example.com", "")


def test_a_site_domain_update_with_an_unknown_environment_changes_nothing(
    http: httpx.Client,
) -> None:
    base = OWNERS["site"]
    dom = http.post(base, json={"name": "env.example.com", "type": "domain"}).json()["domain"]
    refused = http.patch(
        f"{base}/{dom['_id']}",
        json={"name": "moved.example.com", "link": "x", "deploymentEnvironments": ["nope"]},
    )
    assert refused.status_code == 400
    kept = http.get(f"{base}/{dom['_id']}").json()["domain"]
    assert (kept["name"], kept["link"]) == ("env.example.com", "")
    assert kept["deploymentEnvironmentIds"] == dom["deploymentEnvironmentIds"]


def test_verification_follows_unverifiable_domains(fake: FakeSpheron, http: httpx.Client) -> None:
    fake.state.unverifiable_domains.add("nope.example.com")
    for owner, base in OWNERS.items():
        name = "nope.example.com" if owner == "site" else "fine.example.com"
        dom = http.post(base, json={"name": name, "type": "domain"}).json()["domain"]
        answer = http.patch(f"{base}/{dom['_id']}/verify", json={}).json()
        assert answer["success"] is (owner == "bucket"), owner
        assert answer["domain"]["verified"] is (owner == "bucket"), owner
