"""Renamed namespace methods: the old names still work for one minor version, warn with
``DeprecationWarning`` naming the new one, and every rename is listed in CHANGELOG.md."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from spheron import AsyncSpheron, Spheron
from spheron._resource_base import DEPRECATED_ALIAS

from ._fakes import FakeApi, FakeClient, collect, namespace, resolve

ROOT = Path(__file__).resolve().parents[2]
RENAMES = {
    "organizations.projects": "organizations.list_projects",
    "organizations.buckets": "organizations.list_buckets",
    "organizations.compute_projects": "organizations.list_compute_projects",
    "organizations.coupons": "organizations.list_coupons",
    "projects.deployments": "projects.list_deployments",
    "projects.domains.add": "projects.domains.create",
    "projects.env_vars.add": "projects.env_vars.create",
    "storage.buckets.uploads": "storage.buckets.list_uploads",
    "storage.buckets.domains.add": "storage.buckets.domains.create",
    "storage.buckets.ipns_records.add": "storage.buckets.ipns_records.create",
    "compute.projects.instances": "compute.projects.list_instances",
    "compute.instances.deployment": "compute.instances.get_deployment",
    "compute.instances.wait_until_ready": "compute.instances.wait",
    "compute.instances.domains.add": "compute.instances.domains.create",
    "compute.marketplace.categories": "compute.marketplace.list_categories",
    "compute.machine_images.regions": "compute.machine_images.list_regions",
}


def _attr(client: object, dotted: str) -> Any:
    target: Any = client
    for name in dotted.split("."):
        target = getattr(target, name)
    return target


def _aliases(obj: object, path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in dir(obj):
        if name.startswith("_") or name.startswith("with_"):
            continue
        value = getattr(obj, name)
        if hasattr(value, DEPRECATED_ALIAS):
            found[f"{path}{name}"] = getattr(value, DEPRECATED_ALIAS).removeprefix("client.")
        elif type(value).__module__.startswith(
            ("spheron._sync.resources", "spheron._async.resources")
        ):
            found.update(_aliases(value, f"{path}{name}."))
    return found


@pytest.mark.parametrize("cls", [Spheron, AsyncSpheron])
def test_every_alias_is_a_listed_rename_with_the_same_signature(cls: type) -> None:
    client = cls("rename-token-1", organization_id="o")
    assert _aliases(client, "") == RENAMES
    for old, new in RENAMES.items():
        alias, method = _attr(client, old), _attr(client, new)
        assert inspect.signature(alias) == inspect.signature(method), old
        assert "Deprecated alias" in (alias.__doc__ or "")


def test_every_rename_is_in_the_changelog() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    section = changelog.split("## 1.1.0", 1)[1].split("\n## ", 1)[0]
    for old, new in RENAMES.items():
        assert f"`{old}` → `{new}`" in section, old


async def test_old_names_warn_and_still_work(mode: str, fake: FakeApi, client: FakeClient) -> None:
    fake.route("GET", "/v1/project/p1/deployments", [{"_id": "d1"}])
    fake.route("GET", "/v1/organization/org-1/coupons", {"coupons": []})
    fake.route("GET", "/v1/marketplace-app/categories", {"categories": ["AI"]})

    with pytest.warns(DeprecationWarning, match=r"projects\.list_deployments"):
        pager = namespace(client, mode, "projects").deployments("p1")
    assert [d.id for d in await collect(pager)] == ["d1"]
    with pytest.warns(DeprecationWarning, match=r"organizations\.list_coupons"):
        assert await resolve(namespace(client, mode, "organizations").coupons()) == []
    with pytest.warns(DeprecationWarning, match=r"marketplace\.list_categories"):
        assert await resolve(namespace(client, mode, "compute.marketplace").categories()) == ["AI"]


def _namespaces(obj: object, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], type]]:
    found = []
    for name in sorted(dir(obj)):
        if name.startswith(("_", "with_")):
            continue
        value = getattr(obj, name)
        if type(value).__module__.startswith(
            ("spheron._sync.resources", "spheron._async.resources")
        ):
            found.append(((*path, name), type(value)))
            found += _namespaces(value, (*path, name))
    return found


@pytest.mark.parametrize("cls", [Spheron, AsyncSpheron])
def test_every_namespace_is_importable_from_its_attribute_path(cls: type) -> None:
    """``client.storage.buckets`` is ``spheron.resources.storage.buckets.Buckets``, and so on."""
    import importlib

    spaces = _namespaces(cls("path-token-1", organization_id="o"), ())
    assert len(spaces) >= 20
    for path, namespace_class in spaces:
        module = importlib.import_module("spheron.resources." + ".".join(path))
        assert getattr(module, namespace_class.__name__) is namespace_class, path
        assert namespace_class.__name__ in module.__all__
