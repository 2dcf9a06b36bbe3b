"""``scripts/reexports.py``: the ``spheron.resources.<path>`` modules come from one table."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from scripts import reexports


def test_every_module_in_the_table_is_committed_as_generated() -> None:
    for file, text in reexports.expected().items():
        assert file.read_text(encoding="utf-8") == text, file


def test_every_reexport_module_under_resources_is_in_the_table() -> None:
    written = {p for p in reexports.TARGET.rglob("*.py") if "__pycache__" not in p.parts}
    assert written - set(reexports.expected()) == {reexports.TARGET / "__init__.py"}


@pytest.mark.parametrize("path", sorted(reexports.TREE))
def test_each_module_exports_the_sync_and_async_class(path: str) -> None:
    module = importlib.import_module("spheron.resources." + path)
    name = reexports.TREE[path][1]
    assert {name, "Async" + name, name + "WithRawResponse"} <= set(module.__all__)
    assert getattr(module, "Async" + name).__module__.startswith("spheron._async.resources.")
    assert getattr(module, name).__module__.startswith("spheron._sync.resources.")


def test_check_fails_on_a_hand_edit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(reexports, "TARGET", tmp_path)
    assert reexports.main([]) == 0
    assert reexports.main(["--check"]) == 0
    edited = tmp_path / "storage" / "pins.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "X = 1\n", encoding="utf-8")
    assert reexports.main(["--check"]) == 1
