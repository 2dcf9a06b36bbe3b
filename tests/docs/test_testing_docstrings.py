"""The docstrings of ``spheron.testing`` and of the pytest plugin match their signatures.

- Every public function or method that takes parameters has a docstring naming each of them in
  double backticks (````name````, ````name=...````, ````**kwargs````).
- Every keyword a docstring shows (````name=...````) is a parameter of that callable, and every
  keyword of a call a docstring shows (``fake.faults.add(kind, status=...)``, in the module
  docstring, a class docstring or a method's) is a parameter of the method it calls.
- The plugin's module docstring lists exactly its fixtures, and each fixture has a docstring.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import spheron.pytest_plugin as plugin
import spheron.testing as testing

MENTION = re.compile(r"``(?:\*\*)?(?P<name>[A-Za-z_]\w*)(?P<kw>=[^`]*)?``")
CALL = re.compile(r"(?:\b|\.)(?P<func>[A-Za-z_]\w*)\((?P<args>[^()]*)\)")
KEYWORD = re.compile(r"(?:^|[,(]\s*)(?P<name>[A-Za-z_]\w*)\s*=")


def _classes() -> list[type]:
    return [obj for name in testing.__all__ if inspect.isclass(obj := getattr(testing, name))]


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    for cls in _classes():
        for name, member in vars(cls).items():
            if name.startswith("_") and name != "__init__":
                continue
            if name == "__init__" and dataclasses.is_dataclass(cls):
                continue  # generated from the fields, which the class docstring describes
            function = member.fget if isinstance(member, property) else member
            if isinstance(function, (staticmethod, classmethod)):
                function = function.__func__
            if inspect.isfunction(function):
                yield f"{cls.__name__}.{name}", function


def _parameters(function: Callable[..., Any]) -> list[str]:
    return [name for name in inspect.signature(function).parameters if name not in ("self", "cls")]


CALLABLES = dict(_public_callables())
WITH_PARAMETERS = {name: f for name, f in CALLABLES.items() if _parameters(f)}


def test_the_public_surface_is_covered() -> None:
    assert {"FakeSpheron.serve", "FakeSpheron.add_token", "Faults.add", "Clock.__init__"} <= set(
        WITH_PARAMETERS
    )


@pytest.mark.parametrize("name", sorted(WITH_PARAMETERS))
def test_every_parameter_is_documented(name: str) -> None:
    function = WITH_PARAMETERS[name]
    doc = inspect.getdoc(function) or ""
    if name.endswith(".__init__"):
        owner = getattr(testing, name.split(".")[0])
        doc += "\n" + (inspect.getdoc(owner) or "")
    mentioned = {m.group("name") for m in MENTION.finditer(doc)}
    missing = [p for p in _parameters(function) if p not in mentioned]
    assert missing == [], f"{name}: the docstring does not name {missing}"


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_documented_keywords_are_parameters(name: str) -> None:
    function = CALLABLES[name]
    shown = {m.group("name") for m in MENTION.finditer(inspect.getdoc(function) or "") if m["kw"]}
    unknown = shown - set(_parameters(function))
    assert unknown == set(), f"{name}: the docstring shows keywords it does not take: {unknown}"


def _method_parameters() -> dict[str, set[str]]:
    """Method name -> its parameters, for the names only one public callable has."""
    found: dict[str, list[set[str]]] = {}
    for qualified, function in CALLABLES.items():
        cls, method = qualified.split(".")
        key = cls if method == "__init__" else method
        found.setdefault(key, []).append(set(_parameters(function)))
    return {key: params[0] for key, params in found.items() if len(params) == 1}


def _docstrings() -> Iterator[tuple[str, str]]:
    yield "spheron.testing", testing.__doc__ or ""
    yield "spheron.pytest_plugin", plugin.__doc__ or ""
    for cls in _classes():
        yield cls.__name__, inspect.getdoc(cls) or ""
    for name, function in CALLABLES.items():
        yield name, inspect.getdoc(function) or ""


def test_calls_shown_in_docstrings_use_real_keywords() -> None:
    methods = _method_parameters()
    wrong = []
    for where, doc in _docstrings():
        for call in CALL.finditer(doc):
            params = methods.get(call.group("func"))
            if params is None:
                continue
            for keyword in KEYWORD.finditer(call.group("args")):
                if keyword.group("name") not in params:
                    wrong.append(f"{where}: {call.group(0)} ({keyword.group('name')}?)")
    assert wrong == []


def test_the_plugin_docstring_lists_its_fixtures() -> None:
    listed = set(re.findall(r"``(spheron_\w+)``", (plugin.__doc__ or "").split("\n\n", 2)[2]))
    assert listed == set(plugin.__all__)
    for name in plugin.__all__:
        assert getattr(plugin, name).__doc__, f"fixture {name} has no docstring"


def test_a_stale_keyword_would_be_caught() -> None:
    """The checks above can fail: a docstring showing a keyword the method lacks."""

    def add(kind: str, *, status: int = 503) -> None:
        """Inject ``kind``; ``retries=2`` is not a parameter."""

    shown = {m.group("name") for m in MENTION.finditer(add.__doc__ or "") if m["kw"]}
    assert shown - set(_parameters(add)) == {"retries"}
    call = CALL.search("fake.faults.add(kind, stauts=429)")
    assert call is not None
    assert [k.group("name") for k in KEYWORD.finditer(call.group("args"))] == ["stauts"]
