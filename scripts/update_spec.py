"""CLI: update the pinned API document from the published one, in one reviewed step.

``python -m scripts.update_spec [--url URL] [--yes] [--skip-tests] [--root DIR]``
(``make update-spec [SPEC_URL=...] [YES=1]``)

1. fetch the published document and stage it in ``openapi/fetched/`` (``scripts.fetch_spec``);
2. print the change report (``scripts.spec_diff``); when the fetched document means the same as
   the pinned one, say so and stop without changing anything;
3. ask for confirmation on stdin unless ``--yes`` (refuse when stdin is not a terminal);
4. pin the normalized OpenAPI 3 document as ``openapi/spheron-api.yaml``;
5. bump ``pyproject.toml``'s version by the rule ``<document major>.<document minor>.<client
   patch>``: a new document major.minor gives ``<major>.<minor>.0``, the same one bumps the patch;
6. regenerate ``spheron_api_client/`` (``scripts.generate``, in process);
7. add the Markdown change report to ``CHANGELOG.md`` under the new version's section;
8. run ``pytest -q`` unless ``--skip-tests`` (first reinstalling the root in editable mode when it
   is the installed distribution, so ``spheron.__version__`` follows pyproject.toml).

Steps 4 to 8 are one transaction: on any failure (a tests failure included) the document,
``pyproject.toml``, ``CHANGELOG.md`` and the package are restored exactly, so the tree is either
fully updated or untouched. Nothing is committed: review with ``git diff``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from scripts import fetch_spec, generate
from scripts.spec_diff import Change, diff_documents, render_markdown, render_text
from scripts.spec_io import Document, SpecError, dump_yaml, load_openapi3, parse_document

DOCUMENT = Path("openapi") / "spheron-api.yaml"
FETCHED_DIR = Path("openapi") / "fetched"
TEMPLATES = Path("openapi") / "templates"
CONFIG = Path("generator-config.yaml")
PYPROJECT = Path("pyproject.toml")
CHANGELOG = Path("CHANGELOG.md")
DISTRIBUTION = "spheron-api-client"
PROVENANCE_PREFIX = "# Fetched from "
_VERSION_LINE = re.compile(r'^(version\s*=\s*")([^"]+)(")', re.MULTILINE)
_DOC_VERSION = re.compile(r"(\d+)\.(\d+)(?:[.+-].*)?")
_PKG_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


class UpdateError(Exception):
    """A failure reported as one ``update-spec: error:`` line (nothing was left changed)."""


@dataclass(frozen=True)
class Tree:
    """The files ``update-spec`` reads and writes, under one root."""

    root: Path

    @property
    def document(self) -> Path:
        return self.root / DOCUMENT

    @property
    def pyproject(self) -> Path:
        return self.root / PYPROJECT

    @property
    def changelog(self) -> Path:
        return self.root / CHANGELOG

    @property
    def package(self) -> Path:
        return self.root / generate.PACKAGE


@dataclass(frozen=True)
class Plan:
    """Everything decided before the tree is touched."""

    url: str
    old_doc_version: str
    new_doc_version: str
    old_pkg_version: str
    new_pkg_version: str
    document_text: str
    changes: list[Change]


# --- pure helpers -----------------------------------------------------------------------


def next_version(package_version: str, document_version: str) -> str:
    """The package version after pinning a document of ``document_version``.

    ``<major>.<minor>.0`` when the document's major.minor differs from the package's, else the
    package version with its patch bumped. Refuses versions the rule cannot apply to and a
    document older than the package.
    """
    doc = _DOC_VERSION.fullmatch(document_version)
    if doc is None:
        raise UpdateError(
            f"the fetched document's info.version {document_version!r} does not start with "
            "<major>.<minor>, so the versioning rule cannot be applied; pin it by hand"
        )
    pkg = _PKG_VERSION.fullmatch(package_version)
    if pkg is None:
        raise UpdateError(
            f"pyproject.toml's version {package_version!r} is not <major>.<minor>.<patch>"
        )
    doc_mm = (int(doc.group(1)), int(doc.group(2)))
    pkg_mm = (int(pkg.group(1)), int(pkg.group(2)))
    if doc_mm < pkg_mm:
        raise UpdateError(
            f"the fetched document is version {document_version}, older than the package "
            f"({package_version}); refusing to go backwards, pin it by hand if intended"
        )
    if doc_mm > pkg_mm:
        return f"{doc.group(1)}.{doc.group(2)}.0"
    return f"{pkg.group(1)}.{pkg.group(2)}.{int(pkg.group(3)) + 1}"


def set_package_version(pyproject_text: str, version: str) -> str:
    """``pyproject.toml`` text with its (first) ``version = "..."`` line set to ``version``."""
    new, count = _VERSION_LINE.subn(lambda m: m.group(1) + version + m.group(3), pyproject_text, 1)
    if count != 1:
        raise UpdateError("no version line in pyproject.toml")
    return new


def pinned_text(old_text: str, new_doc: Document, url: str, digest: str) -> str:
    """The document to pin: the old file's leading comment header, a provenance line, YAML."""
    header: list[str] = []
    for line in old_text.splitlines():
        if not line.startswith("#"):
            break
        if not line.startswith(PROVENANCE_PREFIX):
            header.append(line)
    header.append(
        f"{PROVENANCE_PREFIX}{url} by `make update-spec` (sha256 of the served bytes: {digest})."
    )
    return "\n".join(header) + "\n" + dump_yaml(new_doc)


def changelog_section(plan: Plan) -> str:
    """The ``### API document`` block for the new version: provenance, then the changes."""
    body = render_markdown(plan.changes, title="API document", level=3)
    heading, _, rest = body.partition("\n\n")
    note = (
        f"Pinned the published document version {plan.new_doc_version} (was "
        f"{plan.old_doc_version}), fetched from {plan.url} by `make update-spec`."
    )
    if not plan.changes:
        rest = "No API changes (descriptions, examples or other details changed).\n"
    return f"{heading}\n\n{note}\n\n{rest.rstrip()}\n"


def add_to_changelog(text: str, version: str, block: str) -> str:
    """Put ``block`` under ``## <version>``: appended to that section when it exists, else in
    a new ``## <version> — unreleased`` section above the first ``## `` heading (below the
    intro)."""
    lines = text.splitlines(keepends=True)
    heading = re.compile(rf"## {re.escape(version)}(\s|$)")
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    for n, start in enumerate(starts):
        if heading.match(lines[start]):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            before = "".join(lines[:end]).rstrip("\n") + "\n\n"
            after = "".join(lines[end:])
            return before + block + ("\n" + after if after else "")
    section = f"## {version} — unreleased\n\n{block}\n"
    if not starts:
        base = text.rstrip("\n") + "\n\n" if text.strip() else "# Changelog\n\n"
        return base + section
    return "".join(lines[: starts[0]]) + section + "".join(lines[starts[0] :])


# --- steps ------------------------------------------------------------------------------


def fetch(tree: Tree, url: str, timeout: float) -> fetch_spec.Staged:
    """Download and stage the published document into ``openapi/fetched/``."""
    args = fetch_spec.build_parser().parse_args(
        [
            "--url",
            url,
            "--out-dir",
            str(tree.root / FETCHED_DIR),
            "--pinned",
            str(tree.document),
            "--timeout",
            str(timeout),
        ]
    )
    try:
        return fetch_spec.fetch_and_stage(args)
    except fetch_spec.FetchSpecError as exc:
        raise UpdateError(" ".join(str(exc).split())) from exc


def make_plan(tree: Tree, staged: fetch_spec.Staged) -> Plan | None:
    """Compare with the pinned document; None when the fetched one means the same."""
    try:
        old_text = tree.document.read_text(encoding="utf-8")
        old = load_openapi3(tree.document)
        old_pkg = generate.package_version(tree.pyproject)
    except (OSError, SpecError, generate.GenerateError) as exc:
        raise UpdateError(str(exc)) from exc
    digest = hashlib.sha256(staged.fetched.raw).hexdigest()
    text = pinned_text(old_text, staged.openapi3, staged.fetched.url, digest)
    new, _ = parse_document(text.encode("utf-8"))
    if new == old:
        return None
    new_doc_version = str(_info(new).get("version", ""))
    new_pkg = next_version(old_pkg, new_doc_version)
    try:
        generate.check_version_rule(new_doc_version, new_pkg)
    except generate.GenerateError as exc:
        raise UpdateError(str(exc)) from exc
    return Plan(
        url=staged.fetched.url,
        old_doc_version=str(_info(old).get("version", "")),
        new_doc_version=new_doc_version,
        old_pkg_version=old_pkg,
        new_pkg_version=new_pkg,
        document_text=text,
        changes=diff_documents(old, new),
    )


def _info(doc: Document) -> dict[str, object]:
    info = doc.get("info")
    return info if isinstance(info, dict) else {}


def confirm(plan: Plan) -> bool:
    """Ask on stdin; refuse (UpdateError) when stdin is not a terminal."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise UpdateError(
            "stdin is not a terminal, so the update cannot be confirmed; nothing was changed. "
            "Rerun with --yes (make update-spec YES=1) to apply it"
        )
    prompt = (
        f"Pin this document as {DOCUMENT.as_posix()}, set the package version to "
        f"{plan.new_pkg_version} and regenerate? [y/N] "
    )
    print(prompt, end="", flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def run_tests(root: Path) -> bool:
    """``pytest -q`` in ``root`` with this interpreter; True when it passes."""
    print(f"update-spec: running pytest -q in {root}", flush=True)
    return subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=root).returncode == 0


def installed_editable_version(root: Path) -> str | None:
    """The installed distribution's version when it is an editable install of ``root``.

    Its metadata (``spheron.__version__``) only follows pyproject.toml after a reinstall.
    """
    try:
        dist = metadata.distribution(DISTRIBUTION)
        direct = json.loads(dist.read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return None
    url = direct.get("url") if isinstance(direct, dict) else None
    dir_info = direct.get("dir_info") if isinstance(direct, dict) else None
    if not isinstance(url, str) or not url.startswith("file:") or not isinstance(dir_info, dict):
        return None
    if dir_info.get("editable") is not True:
        return None
    if Path(url2pathname(urlsplit(url).path)).resolve() != root.resolve():
        return None
    return dist.version


def refresh_install(root: Path) -> None:
    """Reinstall ``root`` in editable mode (no dependencies) so its metadata is current."""
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(root)]
    print(f"update-spec: refreshing the installed metadata: {' '.join(cmd[1:])}", flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise UpdateError(f"pip could not reinstall {root} in editable mode:\n{tail}")


@contextmanager
def rollback_on_failure(tree: Tree) -> Iterator[list[Callable[[], None]]]:
    """Snapshot the document, pyproject, changelog and package; restore them on any failure,
    then run the undo actions appended to the yielded list (best effort)."""
    files = {p: p.read_bytes() if p.exists() else None for p in (tree.document, tree.pyproject)}
    files[tree.changelog] = tree.changelog.read_bytes() if tree.changelog.exists() else None
    with tempfile.TemporaryDirectory(prefix="update-spec-backup-") as tmp:
        backup: Path | None = None
        if tree.package.exists():
            backup = Path(tmp) / generate.PACKAGE
            shutil.copytree(tree.package, backup, ignore=shutil.ignore_patterns("__pycache__"))
        undo: list[Callable[[], None]] = []
        try:
            yield undo
        except BaseException as exc:
            for path, data in files.items():
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_bytes(data)
            if tree.package.exists():
                shutil.rmtree(tree.package)
            if backup is not None:
                shutil.copytree(backup, tree.package)
            for action in reversed(undo):
                try:
                    action()
                except Exception as problem:
                    print(f"update-spec: warning: {problem} (run `make install`)", file=sys.stderr)
            restored = (
                f"rolled back {DOCUMENT.as_posix()}, {PYPROJECT}, {CHANGELOG} and "
                f"{generate.PACKAGE}/ to their previous state"
            )
            if isinstance(exc, (UpdateError, OSError)):
                raise UpdateError(f"{exc}\nupdate-spec: {restored}") from exc
            print(f"update-spec: {restored}", file=sys.stderr)
            raise


def regenerate(tree: Tree) -> None:
    """``make generate`` for ``tree``, in process: version rule, render, replace the package."""
    _, doc_version, _ = generate.document_info(tree.document)
    generate.check_version_rule(doc_version, generate.package_version(tree.pyproject))
    with tempfile.TemporaryDirectory(prefix="update-spec-generate-") as tmp:
        fresh = generate.render(
            Path(tmp),
            tree.document,
            config=tree.root / CONFIG,
            templates=tree.root / TEMPLATES,
        )
        if tree.package.exists():
            shutil.rmtree(tree.package)
        shutil.copytree(fresh, tree.package)


def apply(tree: Tree, plan: Plan, skip_tests: bool) -> list[str]:
    """Steps 4 to 8 as one transaction; return the summary lines."""
    summary: list[str] = []
    with rollback_on_failure(tree) as undo:
        tree.document.write_text(plan.document_text, encoding="utf-8")
        summary.append(
            f"pinned {DOCUMENT.as_posix()}: document {plan.old_doc_version} -> "
            f"{plan.new_doc_version}"
        )
        pyproject = tree.pyproject.read_text(encoding="utf-8")
        tree.pyproject.write_text(
            set_package_version(pyproject, plan.new_pkg_version), encoding="utf-8"
        )
        summary.append(f"{PYPROJECT}: version {plan.old_pkg_version} -> {plan.new_pkg_version}")
        try:
            regenerate(tree)
        except generate.GenerateError as exc:
            raise UpdateError(f"generation failed: {exc}") from exc
        summary.append(f"regenerated {generate.PACKAGE}/")
        old_log = tree.changelog.read_text(encoding="utf-8") if tree.changelog.exists() else ""
        new_log = add_to_changelog(old_log, plan.new_pkg_version, changelog_section(plan))
        tree.changelog.write_text(new_log, encoding="utf-8")
        summary.append(f"{CHANGELOG}: API changes added under {plan.new_pkg_version}")
        if skip_tests:
            summary.append("tests skipped (--skip-tests); run `make test` before committing")
            return summary
        installed = installed_editable_version(tree.root)
        if installed is not None and installed != plan.new_pkg_version:
            refresh_install(tree.root)
            undo.append(lambda: refresh_install(tree.root))
            summary.append(f"reinstalled {DISTRIBUTION} (editable) as {plan.new_pkg_version}")
        if not run_tests(tree.root):
            raise UpdateError(
                "the tests failed against the regenerated client. Rerun with --skip-tests "
                "to keep the update and fix the hand-written layer, then `make test`"
            )
        summary.append("tests passed")
    return summary


# --- CLI --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface definition."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.update_spec",
        description="Fetch the published API document, show what changed, and (once confirmed) "
        "pin it, bump the version, regenerate, update CHANGELOG.md and run the tests.",
    )
    parser.add_argument(
        "--url",
        default=fetch_spec.DEFAULT_URL,
        help=f"document or Swagger UI page URL (default {fetch_spec.DEFAULT_URL})",
    )
    parser.add_argument("--yes", action="store_true", help="apply without asking")
    parser.add_argument("--skip-tests", action="store_true", help="do not run pytest at the end")
    parser.add_argument(
        "--root",
        type=Path,
        default=generate.ROOT,
        help="repository tree to update (default: this repository)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout in seconds")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: 0 when updated or already up to date, 1 otherwise (nothing left changed)."""
    args = build_parser().parse_args(argv)
    tree = Tree(args.root.resolve())
    try:
        staged = fetch(tree, args.url, args.timeout)
        print("\n".join(staged.lines))
        plan = make_plan(tree, staged)
        if plan is None:
            print(
                f"update-spec: the fetched document is the same as {DOCUMENT.as_posix()}; "
                "no changes, nothing to do"
            )
            return 0
        print(
            f"update-spec: changes from {DOCUMENT.as_posix()} (version {plan.old_doc_version}) "
            f"to the fetched document (version {plan.new_doc_version}):"
        )
        report = render_text(plan.changes)
        if not plan.changes:
            report = report.rstrip("\n") + " (descriptions, examples or other details differ)\n"
        sys.stdout.write(report)
        print(f"update-spec: package version {plan.old_pkg_version} -> {plan.new_pkg_version}")
        if not args.yes and not confirm(plan):
            print("update-spec: not confirmed; nothing was changed", file=sys.stderr)
            return 1
        summary = apply(tree, plan, args.skip_tests)
    except UpdateError as exc:
        print(f"update-spec: error: {exc}", file=sys.stderr)
        return 1
    for line in summary:
        print(f"update-spec: {line}")
    print("update-spec: ready to review: git diff")
    return 0


if __name__ == "__main__":
    sys.exit(main())
