"""``Spheron`` and ``AsyncSpheron`` agree: every public namespace and method exists in both with the
same parameters and the same return type (the async spelling translated), so the generated sync
copy can never drift from the async source unnoticed."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import pytest

from spheron import AsyncPager, AsyncSpheron, Spheron, SyncPager

TOKEN = "parity-token-0c4f2b9e7a"
_ASYNC_NAME = re.compile(r"\b(_?)Async([A-Z]\w*)")
_KEEP_SYNC = {"Pager", "Resource", "Namespaces", "Api"}
SKIP = {"api", "http_client"}  # the generated client and the httpx client: mode-specific types


def to_sync(annotation: str) -> str:
    """The sync spelling of an async annotation (``AsyncPager[X]`` -> ``SyncPager[X]``)."""

    def sub(match: re.Match[str]) -> str:
        under, rest = match.groups()
        return f"{under}Sync{rest}" if rest in _KEEP_SYNC else f"{under}{rest}"

    return _ASYNC_NAME.sub(sub, annotation)


def describe(fn: Any, *, from_async: bool) -> tuple[object, ...]:
    """Name, parameters (name, kind, default, annotation) and return annotation of ``fn``."""
    signature = inspect.signature(fn)
    convert = to_sync if from_async else (lambda a: a)
    params = tuple(
        (p.name, p.kind, repr(p.default), convert(str(p.annotation)))
        for p in signature.parameters.values()
    )
    return fn.__name__, params, convert(str(signature.return_annotation))


def public_members(obj: object) -> dict[str, Any]:
    names = {n for n in dir(obj) if not n.startswith("_") and n not in SKIP}
    return {n: getattr(obj, n) for n in sorted(names)}


RENAMED = {"aclose": "close"}
"""Async method names whose sync twin is spelt differently."""


def differences(sync_obj: object, async_obj: object, path: str = "client") -> Iterator[str]:
    """Every way ``sync_obj``'s public surface differs from ``async_obj``'s."""
    sync_members = public_members(sync_obj)
    async_members = {RENAMED.get(n, n): v for n, v in public_members(async_obj).items()}
    for name in sorted(sync_members.keys() ^ async_members.keys()):
        side = "sync" if name in sync_members else "async"
        yield f"{path}.{name} exists only in the {side} client"
    for name in sorted(sync_members.keys() & async_members.keys()):
        s, a = sync_members[name], async_members[name]
        where = f"{path}.{name}"
        if inspect.ismethod(s) or inspect.ismethod(a):
            if not (inspect.ismethod(s) and inspect.ismethod(a)):
                yield f"{where} is a method in only one mode"
            elif (ds := describe(s, from_async=False)) != (da := describe(a, from_async=True)):
                if (ds[1], ds[2]) != (da[1], da[2]) or RENAMED.get(str(da[0]), da[0]) != ds[0]:
                    yield f"{where}: {ds} != {da}"
            elif inspect.iscoroutinefunction(s) or inspect.isasyncgenfunction(s):
                yield f"{where} is async in the sync client"
        elif hasattr(type(s), "_client") or type(s).__module__.startswith("spheron."):
            if to_sync(type(a).__name__) != type(s).__name__:
                yield f"{where}: {type(s).__name__} vs {type(a).__name__}"
            yield from differences(s, a, where)
        elif type(s) is not type(a) and not isinstance(s, (int, str, type(None))):
            yield f"{where}: {type(s).__name__} vs {type(a).__name__}"


def test_every_namespace_and_method_matches_between_the_modes() -> None:
    sync_client = Spheron(TOKEN, organization_id="org")
    async_client = AsyncSpheron(TOKEN, organization_id="org")
    assert list(differences(sync_client, async_client)) == []


def test_the_walk_reaches_every_namespace() -> None:
    seen: list[str] = []

    def walk(obj: object, path: str) -> None:
        for name, value in public_members(obj).items():
            if type(value).__module__.startswith("spheron._sync.resources"):
                seen.append(f"{path}.{name}")
                walk(value, f"{path}.{name}")

    walk(Spheron(TOKEN), "client")
    assert {"client.storage.buckets.domains", "client.compute.instances.domains"} <= set(seen)
    assert len(seen) >= 20


@pytest.mark.parametrize(
    ("sync_class", "async_class"), [(Spheron, AsyncSpheron), (SyncPager, AsyncPager)]
)
def test_public_classes_have_the_same_methods(sync_class: type, async_class: type) -> None:
    def methods(cls: type) -> dict[str, Any]:
        return {n: f for n, f in vars(cls).items() if callable(f) and not n.startswith("_")}

    s, a = methods(sync_class), methods(async_class)
    assert {to_sync(n) for n in a} | {"close"} >= set(s)
    for name in s.keys() & a.keys():
        assert describe(s[name], from_async=False) == describe(a[name], from_async=True), name


def test_the_comparison_catches_a_drifted_method() -> None:
    class SyncThing:
        def get(self, item_id: str, *, limit: int = 5) -> str:
            return item_id

        def only_sync(self) -> None: ...

    class AsyncThing:
        async def get(self, item_id: str, *, limit: int = 10) -> str:
            return item_id

    found = list(differences(SyncThing(), AsyncThing(), "thing"))
    assert any("only_sync exists only in the sync client" in f for f in found)
    assert any(f.startswith("thing.get:") for f in found)


def test_to_sync_translates_async_names() -> None:
    assert to_sync("AsyncPager[Deployment]") == "SyncPager[Deployment]"
    assert to_sync("AsyncIterator[ServerSentEvent]") == "Iterator[ServerSentEvent]"
    assert to_sync("AsyncProjectDomains") == "ProjectDomains"
