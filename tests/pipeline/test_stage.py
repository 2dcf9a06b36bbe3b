"""``scripts.stage``: quiet on success, the whole log on failure."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scripts import stage


def test_success_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = "print('noise'); print('3 passed in 0.1s')"
    assert stage.main(["tests", "--summary", "--", sys.executable, "-c", code]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[0].startswith("tests") and " ok " in out[0]
    assert out[1] == "3 passed in 0.1s"
    assert "noise" in (tmp_path / ".logs" / "tests.log").read_text()


def test_failure_prints_the_log_and_keeps_the_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = "import sys; print('what went wrong'); sys.exit(3)"
    assert stage.main(["lint", "--", sys.executable, "-c", code]) == 3
    out = capsys.readouterr().out
    assert "what went wrong" in out and "lint             FAILED (3)" in out


def test_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert stage.main(["only-a-name"]) == 2
    assert "usage" in capsys.readouterr().err
