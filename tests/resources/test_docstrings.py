"""Every public method of the friendly namespaces (and the client's own calls) documents its
arguments, what it returns and what it raises, Google style; sync and async alike."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from spheron import AsyncSpheron, Spheron

SECTIONS = ("Args:", "Returns:", "Raises:")
NOT_CALLS = {"with_options", "without_auth", "close", "aclose"}


def _methods(obj: object, path: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name in sorted(n for n in dir(obj) if not n.startswith("_")):
        if name in ("api", "http_client") or name in NOT_CALLS:
            continue
        value = getattr(obj, name)
        where = f"{path}.{name}"
        if inspect.ismethod(value):
            found.append((where, value))
        elif type(value).__module__.startswith(("spheron._sync", "spheron._async")):
            found += _methods(value, where)
    return found


def _all() -> list[tuple[str, Any]]:
    found = []
    for cls in (Spheron, AsyncSpheron):
        found += _methods(cls("doc-token-1", organization_id="o"), cls.__name__)
    return found


METHODS = _all()


def problems(method: Any) -> list[str]:
    """What the docstring of ``method`` lacks: a section, or an argument under ``Args:``."""
    doc = inspect.getdoc(method) or ""
    missing = [s for s in SECTIONS if f"\n{s}\n" not in f"\n{doc}\n"]
    args = doc.split("Args:", 1)[1].split("Returns:", 1)[0] if "Args:" in doc else ""
    for parameter in inspect.signature(method).parameters.values():
        name = ("**" if parameter.kind is parameter.VAR_KEYWORD else "") + parameter.name
        if f"\n    {name}:" not in f"\n{args}":
            missing.append(f"argument {name}")
    return missing


def test_the_walk_reaches_every_namespace() -> None:
    names = {where for where, _ in METHODS}
    assert "Spheron.compute.instances.domains.create" in names
    assert "AsyncSpheron.deployments.with_streaming_response.events" in names
    assert "Spheron.token_scope" in names
    assert len(names) > 220


@pytest.mark.parametrize(("where", "method"), METHODS, ids=[w for w, _ in METHODS])
def test_every_public_method_has_args_returns_and_raises(where: str, method: Any) -> None:
    assert problems(method) == [], where


def test_the_check_fails_for_a_method_without_a_section() -> None:
    class Thing:
        def get(self, thing_id: str) -> str:
            """A thing.

            Args:
                thing_id: the thing.

            Returns:
                The thing.
            """
            return thing_id

        def put(self, thing_id: str, **options: Any) -> None:
            """Put it.

            Args:
                other: not the argument.

            Returns:
                Nothing.

            Raises:
                ValueError: never.
            """

    assert problems(Thing().get) == ["Raises:"]
    assert problems(Thing().put) == ["argument thing_id", "argument **options"]
