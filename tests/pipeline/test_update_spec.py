"""End-to-end tests for scripts.update_spec: a copy of the repository as the root, a local server
serving the published document, and the real generator (once; the other cases stop earlier or
replace it)."""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scripts import generate, update_spec
from scripts.spec_io import dump_yaml, load_openapi3

ROOT = Path(__file__).resolve().parents[2]
PINNED = ROOT / "openapi" / "spheron-api.yaml"
YAML = "application/yaml; charset=utf-8"
JSON = "application/json; charset=utf-8"
MEMBERS_PATH = "/v1/organization/{organizationId}/members"

ADDED_OP = f"  [operation-added] GET {MEMBERS_PATH}: operation added"
REMOVED_FIELD = "  [field-removed] schemas.Project.name: field removed"
ADDED_ENUM = '  [enum-value-added] schemas.DeploymentStatus: enum value `"Archived"` added'


# --- fixtures ---------------------------------------------------------------------------


class Server:
    """A threaded HTTP server on 127.0.0.1 serving ``routes`` (path -> content type, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.base = ""

    def serve(self, path: str, body: bytes, ctype: str = YAML) -> str:
        self.routes[path] = (ctype, body)
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ctype, body = state.routes.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in state.routes else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The parts of the repository update-spec reads and writes (scripts come from the repo)."""
    tree = tmp_path / "repo"
    tree.mkdir()
    for name in ("pyproject.toml", "generator-config.yaml", "CHANGELOG.md"):
        shutil.copy2(ROOT / name, tree / name)
    ignore = shutil.ignore_patterns("__pycache__", "fetched")
    shutil.copytree(ROOT / "openapi", tree / "openapi", ignore=ignore)
    shutil.copytree(ROOT / generate.PACKAGE, tree / generate.PACKAGE, ignore=ignore)
    return tree


@pytest.fixture(scope="module")
def pinned_doc() -> dict[str, Any]:
    return load_openapi3(PINNED)


def published(pinned: dict[str, Any]) -> dict[str, Any]:
    """The pinned document with one operation added, one response field removed, one enum
    value added, and info.version 1.1.0."""
    doc = copy.deepcopy(pinned)
    doc["info"]["version"] = "1.1.0"
    error_responses = doc["paths"]["/v1/organization/{organizationId}"]["get"]["responses"]
    doc["paths"][MEMBERS_PATH] = {
        "get": {
            "operationId": "listOrganizationMembers",
            "tags": ["Organization"],
            "summary": "List the members of an organization",
            "parameters": [
                {
                    "name": "organizationId",
                    "in": "path",
                    "required": True,
                    "description": "Organization id.",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {
                    "description": "Success.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/OrganizationMember"},
                            }
                        }
                    },
                },
                **{code: ref for code, ref in error_responses.items() if code != "200"},
            },
        }
    }
    schemas = doc["components"]["schemas"]
    del schemas["Project"]["properties"]["name"]
    schemas["DeploymentStatus"]["enum"].append("Archived")
    return doc


def snapshot(tree: Path) -> dict[str, bytes]:
    """Every file of the tree except the (git-ignored) staging directory."""
    staging = tree / "openapi" / "fetched"
    return {
        p.relative_to(tree).as_posix(): p.read_bytes()
        for p in sorted(tree.rglob("*"))
        if p.is_file() and staging not in p.parents and "__pycache__" not in p.parts
    }


def report_groups(out: str) -> dict[str, list[str]]:
    """The text report's change lines by group (``Breaking`` / ``Non-breaking``)."""
    groups: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if line in ("Breaking:", "Non-breaking:"):
            current = groups.setdefault(line[:-1], [])
        elif line.startswith("  [") and current is not None:
            current.append(line)
    return groups


def argv(tree: Path, url: str, *extra: str) -> list[str]:
    return ["--root", str(tree), "--url", url, *extra]


class Terminal(io.StringIO):
    """stdin that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


# --- end to end -------------------------------------------------------------------------


def test_update_pins_bumps_regenerates_and_records(
    root: Path, server: Server, pinned_doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    repo_before = {p: p.read_bytes() for p in (PINNED, ROOT / "pyproject.toml")}
    # A changelog whose newest section is the released 1.0.0: the update opens a new section
    # (the repository's own CHANGELOG may already have a 1.1.0 section in progress).
    intro, _, released = (root / "CHANGELOG.md").read_text().partition("## 1.0.0")
    intro = intro.partition("## ")[0]
    (root / "CHANGELOG.md").write_text(intro + "## 1.0.0" + released)
    old_changelog = (root / "CHANGELOG.md").read_text()
    old_pyproject = (root / "pyproject.toml").read_text()
    new_doc = published(pinned_doc)
    url = server.serve("/docs/rest-api-yaml", dump_yaml(new_doc).encode())

    code = update_spec.main(argv(root, url, "--yes", "--skip-tests"))
    out, err = capsys.readouterr()
    assert code == 0, err

    # The report: exactly the three changes, with the right breaking flags.
    assert "3 changes (1 breaking, 2 non-breaking)" in out
    assert report_groups(out) == {
        "Breaking": [REMOVED_FIELD],
        "Non-breaking": [ADDED_OP, ADDED_ENUM],
    }
    assert "package version 1.0.0 -> 1.1.0" in out
    assert out.rstrip().endswith("update-spec: ready to review: git diff")

    # The pinned document is the published one, with the header kept and provenance added.
    pinned = root / "openapi" / "spheron-api.yaml"
    assert load_openapi3(pinned) == new_doc
    first, second = pinned.read_text().splitlines()[:2]
    assert first == PINNED.read_text().splitlines()[0]
    assert second.startswith(f"# Fetched from {url} by `make update-spec` (sha256 ")
    assert (root / "openapi" / "fetched" / "spheron-api.fetched.normalized.yaml").is_file()

    # pyproject: only the version line changed.
    assert generate.package_version(root / "pyproject.toml") == "1.1.0"
    new_pyproject = (root / "pyproject.toml").read_text()
    assert new_pyproject == old_pyproject.replace('version = "1.0.0"', 'version = "1.1.0"', 1)

    # CHANGELOG: a new section at the top (below the intro) with the Markdown report.
    changelog = (root / "CHANGELOG.md").read_text()
    intro, _, rest = old_changelog.partition("## 1.0.0")
    assert changelog.startswith(intro + "## 1.1.0 — unreleased\n\n### API document\n\n")
    assert changelog.endswith("## 1.0.0" + rest)
    section = changelog[len(intro) : len(changelog) - len("## 1.0.0" + rest)]
    assert f"version 1.1.0 (was 1.0.0), fetched from {url}" in section
    assert "#### Breaking\n\n- `schemas.Project.name`: field removed\n" in section
    assert (
        "#### Non-breaking\n\n"
        f"- `GET {MEMBERS_PATH}`: operation added\n"
        '- `schemas.DeploymentStatus`: enum value `"Archived"` added\n'
    ) in section

    # The regenerated client: the new operation (sync and async), the enum member, no `name`.
    package = root / generate.PACKAGE
    module = package / "api" / "organization" / "list_organization_members.py"
    assert module.is_file()
    assert module.read_text().startswith("# Generated by openapi-python-client")
    _, _, sha = generate.document_info(pinned)
    check = f"""
import inspect, attrs, {generate.PACKAGE} as pkg
from {generate.PACKAGE} import _document
from {generate.PACKAGE}.api.organization import list_organization_members as op
from {generate.PACKAGE}.models import DeploymentStatus, Project
assert pkg.__file__.startswith({str(package)!r}), pkg.__file__
for name in ("sync", "sync_detailed"):
    assert callable(getattr(op, name)) and not inspect.iscoroutinefunction(getattr(op, name))
for name in ("asyncio", "asyncio_detailed"):
    assert inspect.iscoroutinefunction(getattr(op, name))
assert DeploymentStatus.ARCHIVED.value == "Archived" and DeploymentStatus("Archived").is_known
assert "name" not in attrs.fields_dict(Project)
assert (_document.API_VERSION, _document.API_DOCUMENT_SHA256) == ("1.1.0", {sha!r})
"""
    proc = subprocess.run(
        [sys.executable, "-c", check], cwd=root, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr

    # The real repository was not touched.
    assert {p: p.read_bytes() for p in repo_before} == repo_before


# --- nothing changes --------------------------------------------------------------------


def test_without_yes_on_a_non_tty_stdin_it_refuses_and_changes_nothing(
    root: Path,
    server: Server,
    pinned_doc: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(root)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    url = server.serve("/spec.yaml", dump_yaml(published(pinned_doc)).encode())

    assert update_spec.main(argv(root, url, "--skip-tests")) == 1
    out, err = capsys.readouterr()
    assert report_groups(out) == {
        "Breaking": [REMOVED_FIELD],
        "Non-breaking": [ADDED_OP, ADDED_ENUM],
    }
    assert "update-spec: error: stdin is not a terminal" in err
    assert "--yes" in err and "nothing was changed" in err
    assert snapshot(root) == before


def test_declining_at_the_prompt_changes_nothing(
    root: Path,
    server: Server,
    pinned_doc: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(root)
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    url = server.serve("/spec.yaml", dump_yaml(published(pinned_doc)).encode())

    assert update_spec.main(argv(root, url)) == 1
    out, err = capsys.readouterr()
    assert "set the package version to 1.1.0 and regenerate? [y/N]" in out
    assert "not confirmed; nothing was changed" in err
    assert snapshot(root) == before


@pytest.mark.parametrize("form", ["same bytes", "same meaning as JSON"])
def test_an_unchanged_document_changes_nothing(
    root: Path,
    server: Server,
    pinned_doc: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    form: str,
) -> None:
    before = snapshot(root)
    if form == "same bytes":
        url = server.serve("/spec.yaml", PINNED.read_bytes())
    else:
        url = server.serve("/spec.json", json.dumps(pinned_doc, indent=1).encode(), JSON)

    assert update_spec.main(argv(root, url)) == 0  # no --yes needed: nothing to confirm
    out, _ = capsys.readouterr()
    assert "the fetched document is the same as openapi/spheron-api.yaml; no changes" in out
    assert "ready to review" not in out
    assert snapshot(root) == before


# --- failures roll back -----------------------------------------------------------------


def test_a_generation_failure_rolls_everything_back(
    root: Path,
    server: Server,
    pinned_doc: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(root)
    seen: list[tuple[str, str]] = []

    def failing_render(out_dir: Path, document: Path, **_: Path) -> Path:
        # By now the document and pyproject are already updated in the tree.
        seen.append(
            (generate.document_info(document)[1], generate.package_version(root / "pyproject.toml"))
        )
        raise generate.GenerateError("openapi-python-client generate failed:\nWarning(s) ...")

    monkeypatch.setattr(generate, "render", failing_render)
    url = server.serve("/spec.yaml", dump_yaml(published(pinned_doc)).encode())

    assert update_spec.main(argv(root, url, "--yes")) == 1
    _, err = capsys.readouterr()
    assert seen == [("1.1.0", "1.1.0")]
    assert "update-spec: error: generation failed: openapi-python-client generate failed" in err
    assert "rolled back openapi/spheron-api.yaml, pyproject.toml, CHANGELOG.md" in err
    assert snapshot(root) == before


def test_a_generator_warning_fails_the_update_and_rolls_back(
    root: Path, server: Server, pinned_doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The real generator (--fail-on-warning) rejects a parameter with a dangling $ref."""
    before = snapshot(root)
    doc = published(pinned_doc)
    doc["paths"][MEMBERS_PATH]["get"]["parameters"].append(
        {"name": "role", "in": "query", "schema": {"$ref": "#/components/schemas/NoSuchRole"}}
    )
    url = server.serve("/spec.yaml", dump_yaml(doc).encode())

    assert update_spec.main(argv(root, url, "--yes")) == 1
    _, err = capsys.readouterr()
    assert "update-spec: error: generation failed:" in err
    assert "listOrganizationMembers" in err and "NoSuchRole" in err
    assert "rolled back" in err
    assert snapshot(root) == before


@pytest.mark.parametrize("tests_pass", [True, False], ids=["tests pass", "tests fail"])
def test_the_tests_run_last_and_a_failure_rolls_back_the_package_too(
    root: Path,
    server: Server,
    pinned_doc: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tests_pass: bool,
) -> None:
    before = snapshot(root)
    reinstalls: list[str] = []

    def fake_render(out_dir: Path, document: Path, **_: Path) -> Path:
        target = out_dir / generate.PACKAGE
        target.mkdir(parents=True)
        (target / "__init__.py").write_text("# regenerated\n")
        return target

    def run_tests(tree: Path) -> bool:
        assert tree == root.resolve()
        assert (tree / generate.PACKAGE / "__init__.py").read_text() == "# regenerated\n"
        assert "## 1.1.0 — unreleased" in (tree / "CHANGELOG.md").read_text()
        assert reinstalls == ["1.1.0"]
        return tests_pass

    def refresh_install(tree: Path) -> None:
        reinstalls.append(generate.package_version(tree / "pyproject.toml"))

    monkeypatch.setattr(generate, "render", fake_render)
    monkeypatch.setattr(update_spec, "run_tests", run_tests)
    # The root is (as far as update-spec can tell) installed in editable mode, as 1.0.0.
    monkeypatch.setattr(update_spec, "installed_editable_version", lambda tree: "1.0.0")
    monkeypatch.setattr(update_spec, "refresh_install", refresh_install)
    url = server.serve("/spec.yaml", dump_yaml(published(pinned_doc)).encode())

    code = update_spec.main(argv(root, url, "--yes"))
    out, err = capsys.readouterr()
    if tests_pass:
        assert code == 0, err
        assert "update-spec: tests passed" in out
        assert "update-spec: reinstalled spheron-api-client (editable) as 1.1.0" in out
        assert reinstalls == ["1.1.0"]
        assert generate.package_version(root / "pyproject.toml") == "1.1.0"
        assert sorted(p.name for p in (root / generate.PACKAGE).iterdir()) == ["__init__.py"]
    else:
        assert code == 1
        assert "the tests failed" in err and "--skip-tests" in err and "rolled back" in err
        assert reinstalls == ["1.1.0", "1.0.0"]  # metadata refreshed again after the rollback
        assert snapshot(root) == before


def test_an_unreachable_url_is_one_error_line(
    root: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(root)
    assert update_spec.main(argv(root, server.base + "/missing", "--yes")) == 1
    _, err = capsys.readouterr()
    assert err.startswith("update-spec: error: HTTP 404")
    assert snapshot(root) == before


# --- the rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("package", "document", "expected"),
    [
        ("1.0.0", "1.1.0", "1.1.0"),
        ("1.0.3", "1.0.0", "1.0.4"),
        ("1.0.3", "1.0.9", "1.0.4"),
        ("1.0.3", "1.0", "1.0.4"),
        ("1.4.2", "2.0.0-beta.1", "2.0.0"),
        ("1.9.0", "1.10.0", "1.10.0"),
    ],
)
def test_next_version_follows_the_rule(package: str, document: str, expected: str) -> None:
    assert update_spec.next_version(package, document) == expected
    generate.check_version_rule(document, expected)


@pytest.mark.parametrize(
    ("package", "document", "message"),
    [
        ("1.1.0", "1.0.5", "older than the package"),
        ("1.0.0", "v2", "does not start with <major>.<minor>"),
        ("1.0.0", "2", "does not start with <major>.<minor>"),
        ("1.0", "1.0.0", "is not <major>.<minor>.<patch>"),
    ],
)
def test_next_version_refuses(package: str, document: str, message: str) -> None:
    with pytest.raises(update_spec.UpdateError, match=message):
        update_spec.next_version(package, document)


def test_changelog_block_goes_into_an_existing_section_for_the_version() -> None:
    text = "# Changelog\n\nIntro.\n\n## 1.0.1 — unreleased\n\n### Client\n- x\n\n## 1.0.0\n\n- y\n"
    new = update_spec.add_to_changelog(text, "1.0.1", "### API document\n\n- z\n")
    assert new == (
        "# Changelog\n\nIntro.\n\n## 1.0.1 — unreleased\n\n### Client\n- x\n\n"
        "### API document\n\n- z\n\n## 1.0.0\n\n- y\n"
    )
    fresh = update_spec.add_to_changelog(text, "1.1.0", "### API document\n\n- z\n")
    assert fresh.startswith("# Changelog\n\nIntro.\n\n## 1.1.0 — unreleased\n\n### API document")
    assert fresh.endswith("- z\n\n## 1.0.1 — unreleased\n\n### Client\n- x\n\n## 1.0.0\n\n- y\n")
