"""CLI: stage the published Spheron API document next to the pinned one and report changes.

``python -m scripts.fetch_spec [--url URL] [--out-dir openapi/fetched]
[--pinned openapi/spheron-api.yaml] [--converter PATH]``

Writes ``spheron-api.fetched.{json,yaml}`` (the bytes as served), ``.normalized.yaml`` (OpenAPI 3,
converted from Swagger 2.0 when needed) and ``.sha256`` into the out dir, never touching the
pinned file. Every failure prints one ``fetch-spec: error: ...`` line and writes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from scripts.spec_convert import convert_swagger2, default_converter
from scripts.spec_diff import diff_documents, render_text, summary_line
from scripts.spec_discover import (
    convention_urls,
    find_document_urls,
    find_embedded_document,
    script_sources,
)
from scripts.spec_io import (
    DocFormat,
    DocKind,
    Document,
    SpecError,
    document_kind,
    dump_yaml,
    load_openapi3,
    parse_document,
)

DEFAULT_URL = "https://api-v2.spheron.network/docs/rest-api/"
DEFAULT_OUT_DIR = Path("openapi/fetched")
DEFAULT_PINNED = Path("openapi/spheron-api.yaml")
STEM = "spheron-api.fetched"
ACCEPT = "application/json, application/yaml;q=0.9, text/html;q=0.8, */*;q=0.5"


class FetchSpecError(Exception):
    """A failure reported as one ``fetch-spec: error:`` line."""


@dataclass(frozen=True)
class Fetched:
    """A located document: where it came from, its bytes as served, and its parsed form."""

    url: str
    via: str
    raw: bytes
    fmt: DocFormat
    value: Document
    kind: DocKind


# --- locating the document --------------------------------------------------------------


def _get(client: httpx.Client, url: str) -> httpx.Response:
    try:
        response = client.get(url)
    except httpx.TimeoutException as exc:
        raise FetchSpecError(f"timed out fetching {url}") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchSpecError(f"cannot reach {url}: {exc}") from exc
    if response.status_code >= 400:
        raise FetchSpecError(f"HTTP {response.status_code} {response.reason_phrase} from {url}")
    return response


def _try_get(client: httpx.Client, url: str) -> httpx.Response | None:
    try:
        return _get(client, url)
    except FetchSpecError:
        return None


def _page_kind(response: httpx.Response) -> Literal["html", "script"] | None:
    """``html`` / ``script`` for a Swagger UI page or init script, None for a document."""
    ctype = response.headers.get("content-type", "").lower()
    if "javascript" in ctype or urlsplit(str(response.url)).path.endswith(".js"):
        return "script"
    if "html" in ctype or response.content.lstrip()[:1] == b"<":
        return "html"
    return None


def _document(url: str, raw: bytes, via: str) -> Fetched:
    try:
        value, fmt = parse_document(raw)
    except SpecError as exc:
        raise FetchSpecError(f"{url}: {exc}") from exc
    kind = document_kind(value)
    if kind is None or not isinstance(value, dict):
        raise FetchSpecError(f"{url} did not serve an OpenAPI 3 or Swagger 2.0 document")
    return Fetched(url=url, via=via, raw=raw, fmt=fmt, value=value, kind=kind)


def _download(client: httpx.Client, url: str, via: str) -> Fetched:
    response = _get(client, url)
    if _page_kind(response) is not None:
        raise FetchSpecError(f"{url} served a page, not an OpenAPI document")
    return _document(str(response.url), response.content, via)


def _search(client: httpx.Client, page_url: str, texts: list[tuple[str, str]]) -> Fetched | None:
    """An embedded document in any text, else the first URL reference (relative to the page)."""
    for source, text in texts:
        found = find_embedded_document(text)
        if found is not None:
            via = f"embedded in {source}"
            return Fetched(source, via, found.raw, "json", found.value, found.kind)
    for source, text in texts:
        refs = find_document_urls(text)
        if refs:
            return _download(client, urljoin(page_url, refs[0]), f"referenced by {source}")
    return None


def _from_page(client: httpx.Client, page_url: str, text: str, is_html: bool) -> Fetched:
    texts = [(page_url, text)]
    for src in script_sources(text) if is_html else []:
        script_url = urljoin(page_url, src)
        response = _try_get(client, script_url)
        if response is not None:
            texts.append((script_url, response.text))
    found = _search(client, page_url, texts)
    if found is not None:
        return found
    tried: list[str] = []
    for candidate in convention_urls(page_url):
        if any(candidate == source for source, _ in texts):
            continue
        tried.append(candidate)
        response = _try_get(client, candidate)
        if response is None:
            continue
        if candidate.endswith(".js"):
            found = _search(client, page_url, [(candidate, response.text)])
            if found is not None:
                return found
            continue
        with contextlib.suppress(FetchSpecError):
            return _document(str(response.url), response.content, f"next to {page_url}")
    raise FetchSpecError(
        f"no OpenAPI document found in page {page_url}: nothing embedded or referenced, "
        f"and none at {', '.join(tried)}"
    )


def locate(client: httpx.Client, url: str) -> Fetched:
    """Fetch ``url`` and return the API document it is or leads to."""
    response = _get(client, url)
    final_url = str(response.url)
    page = _page_kind(response)
    if page is not None:
        return _from_page(client, final_url, response.text, is_html=page == "html")
    return _document(final_url, response.content, "direct")


# --- staging ----------------------------------------------------------------------------


def _write_all(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write every file to a temp file in ``out_dir`` first, then rename them into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            staged.append((Path(tmp), out_dir / name))
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o644)  # mkstemp creates files as 0600
                handle.write(data)
        for tmp_path, final in staged:
            os.replace(tmp_path, final)
    except OSError as exc:
        for tmp_path, _ in staged:
            tmp_path.unlink(missing_ok=True)
        raise FetchSpecError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc


def stage(out_dir: Path, fetched: Fetched, openapi3: Document) -> list[Path]:
    """Write the original bytes, their sha256 and the normalized YAML; return the paths."""
    raw_name = f"{STEM}.{fetched.fmt}"
    digest = hashlib.sha256(fetched.raw).hexdigest()
    header = f"# Staged by scripts.fetch_spec from {fetched.url} (sha256 of original: {digest})\n"
    files = {
        raw_name: fetched.raw,
        f"{STEM}.normalized.yaml": (header + dump_yaml(openapi3)).encode("utf-8"),
        f"{STEM}.sha256": f"{digest}  {raw_name}\n".encode(),
    }
    _write_all(out_dir, files)
    for other in ("json", "yaml"):
        if other != fetched.fmt:
            (out_dir / f"{STEM}.{other}").unlink(missing_ok=True)
    return [out_dir / name for name in files]


# --- CLI --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface definition."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.fetch_spec",
        description="Download the published API document, stage it without touching the pinned "
        "one, and summarize what differs.",
    )
    parser.add_argument(
        "--url",
        default=DEFAULT_URL,
        help=f"document or Swagger UI page URL (default {DEFAULT_URL})",
    )
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="staging directory")
    parser.add_argument("--pinned", type=Path, default=DEFAULT_PINNED, help="pinned document")
    parser.add_argument(
        "--converter",
        type=Path,
        default=None,
        help="swagger2openapi executable (default $SWAGGER2OPENAPI or node_modules/.bin/)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout in seconds")
    return parser


def _compare_with_pinned(pinned: Path, fetched: Document) -> list[str]:
    if not pinned.exists():
        return [f"fetch-spec: no pinned document at {pinned}; nothing to compare"]
    try:
        old = load_openapi3(pinned)
    except SpecError as exc:
        print(f"fetch-spec: warning: cannot compare with {pinned}: {exc}", file=sys.stderr)
        return []
    changes = diff_documents(old, fetched)
    added = sum(c.kind == "operation-added" for c in changes)
    removed = sum(c.kind == "operation-removed" for c in changes)
    head = (
        f"fetch-spec: pinned {pinned} -> fetched: {summary_line(changes)}; "
        f"operations: {added} added, {removed} removed"
    )
    return [head, render_text(changes).rstrip("\n")]


@dataclass(frozen=True)
class Staged:
    """A fetched document after staging: its source, its OpenAPI 3 form, the summary lines."""

    fetched: Fetched
    openapi3: Document
    lines: list[str]


def fetch_and_stage(args: argparse.Namespace) -> Staged:
    """Fetch, convert and stage (no comparison); ``args`` as parsed by ``build_parser``."""
    headers = {"Accept": ACCEPT, "User-Agent": "spheron-api-client fetch-spec"}
    with httpx.Client(
        timeout=httpx.Timeout(args.timeout), follow_redirects=True, headers=headers
    ) as client:
        fetched = locate(client, args.url)
    openapi3 = fetched.value
    if fetched.kind == "swagger2":
        try:
            openapi3 = convert_swagger2(fetched.value, args.converter or default_converter())
        except SpecError as exc:
            raise FetchSpecError(str(exc)) from exc
    version = openapi3.get("openapi")
    lines = [f"fetch-spec: fetched OpenAPI {version} document from {fetched.url} ({fetched.via})"]
    if fetched.kind == "swagger2":
        lines.append("fetch-spec: converted from Swagger 2.0 with swagger2openapi")
    written = stage(args.out_dir, fetched, openapi3)
    lines.append(f"fetch-spec: wrote {', '.join(str(p) for p in written)}")
    lines.append(f"fetch-spec: sha256 {hashlib.sha256(fetched.raw).hexdigest()}")
    return Staged(fetched=fetched, openapi3=openapi3, lines=lines)


def run(args: argparse.Namespace) -> list[str]:
    """Fetch, convert, stage and compare; return the summary lines."""
    staged = fetch_and_stage(args)
    return staged.lines + _compare_with_pinned(args.pinned, staged.openapi3)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: 0 on success, 1 on failure (one error line on stderr)."""
    args = build_parser().parse_args(argv)
    try:
        lines = run(args)
    except FetchSpecError as exc:
        print("fetch-spec: error: " + " ".join(str(exc).split()), file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
