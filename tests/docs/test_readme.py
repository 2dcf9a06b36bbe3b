"""Every Python block of README.md runs against the embedded server and passes ``mypy --strict``
as written: no ``isinstance``, ``cast``, ``is None`` checks or ``# type: ignore`` to get there.

Blocks are complete programs: they build their own client, which reads ``SPHERON_TOKEN`` and
``SPHERON_BASE_URL``; here those point at a fresh ``spheron.testing`` server per block (its clock
moves a fake minute per request, like the pytest plugin's). The ids in the README are the
embedded server's own (``DEFAULT_PROJECT_ID``, ...). A block that defines ``test_*`` functions and
runs nothing is a downstream test file: it is run by pytest, with our pytest plugin, and all its
tests must pass. Each block runs in an empty folder holding ``dist/`` and ``build/`` (the folders
the upload examples name). A block may be excluded only with a ``<!-- not-tested: reason -->``
line right before it, and the list of those is pinned below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import mypy.api
import pytest

from spheron.testing import DEFAULT_TOKEN, Clock, FakeSpheron

from ._readme import ROOT, Block, not_tested_marks, readme_blocks

BLOCKS = readme_blocks()
TESTED = [block for block in BLOCKS if block.not_tested is None]

# (line of the block, reason): keep this short. Each entry is a block nobody can run here.
NOT_TESTED: list[tuple[int, str]] = []

# What a reader would have to add because a type is wider than the value it holds.
NARROWINGS = {
    "isinstance()": re.compile(r"\bisinstance\s*\("),
    "cast()": re.compile(r"\bcast\s*\("),
    "# type: ignore": re.compile(r"#\s*type:\s*ignore"),
    "is None / is not None": re.compile(r"\bis\s+(not\s+)?None\b"),
    "assert on a value's type": re.compile(r"^\s*assert\s+\w[\w.]*\s*$", re.MULTILINE),
    "Unset": re.compile(r"\b(Unset|UNSET)\b"),
}


def _ids(block: Block) -> str:
    return block.name


def test_the_readme_has_python_blocks() -> None:
    assert len(TESTED) >= 10
    assert len({block.name for block in BLOCKS}) == len(BLOCKS)


def test_every_not_tested_mark_is_pinned_and_precedes_a_block() -> None:
    marked = [(block.line, block.not_tested) for block in BLOCKS if block.not_tested]
    assert marked == NOT_TESTED
    # A mark that is not right before a Python block excuses nothing: it must not linger.
    assert [line + 1 for line, _ in not_tested_marks()] == [line for line, _ in marked]


@pytest.mark.parametrize("block", TESTED, ids=_ids)
def test_no_narrowing(block: Block) -> None:
    found = [what for what, pattern in NARROWINGS.items() if pattern.search(block.code)]
    assert found == [], f"README.md:{block.line} narrows a type: {found}"


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One ``mypy --strict`` run (the repository's settings) over every block as its own module."""
    folder = tmp_path_factory.mktemp("readme_blocks")
    files = []
    for block in TESTED:
        path = folder / f"{block.name}.py"
        path.write_text(block.code, encoding="utf-8")
        files.append(str(path))
    stdout, stderr, status = mypy.api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--cache-dir",
            str(folder / ".mypy_cache"),
            "--no-error-summary",
            "--hide-error-context",
            *files,
        ]
    )
    assert status in (0, 1), f"mypy did not run: {stderr}{stdout}"
    errors: dict[str, list[str]] = {}
    for line in stdout.splitlines():
        where, _, message = line.partition(": ")
        stem = Path(where.split(":")[0]).stem
        if message.startswith(("error", "note")):
            errors.setdefault(stem, []).append(f"{where.split(':', 1)[-1]}: {message}")
    unknown = set(errors) - {block.name for block in TESTED}
    assert not unknown, f"mypy reported on something else: {unknown}\n{stdout}"
    return errors


@pytest.mark.parametrize("block", TESTED, ids=_ids)
def test_block_passes_mypy_strict(block: Block, mypy_errors: dict[str, list[str]]) -> None:
    # mypy counts lines from the opening fence: README line = block.line + mypy's line.
    errors = mypy_errors.get(block.name, [])
    assert not errors, f"README.md:{block.line}: mypy --strict:\n" + "\n".join(errors)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("dist", "build"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.html").write_text("<h1>hello</h1>\n")
        (tmp_path / folder / "app.js").write_text("console.log('hi')\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSpheron]:
    for name in ("SPHERON_ORGANIZATION", "SPHERON_LOG", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    with FakeSpheron(clock=Clock(step=60.0)) as fake, fake.serve() as url:
        monkeypatch.setenv("SPHERON_BASE_URL", url)
        monkeypatch.setenv("SPHERON_TOKEN", DEFAULT_TOKEN)
        yield fake


@pytest.mark.parametrize("block", [b for b in TESTED if not b.is_pytest_module], ids=_ids)
def test_block_runs(block: Block, workdir: Path, server: FakeSpheron) -> None:
    code = compile(block.code, f"README.md:{block.line}", "exec")
    exec(code, {"__name__": "__main__"})  # our own README, run on purpose
    assert server.count() > 0, "the block never called the API"


@pytest.mark.parametrize("block", [b for b in TESTED if b.is_pytest_module], ids=_ids)
def test_downstream_test_block_passes(block: Block, pytester: pytest.Pytester) -> None:
    pytester.makepyfile(**{f"test_{block.name}": block.code})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    tests = block.code.count("\ndef test_") + block.code.startswith("def test_")
    result.assert_outcomes(passed=tests)
