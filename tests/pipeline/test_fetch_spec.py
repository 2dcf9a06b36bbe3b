"""End-to-end tests for scripts.fetch_spec against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import fetch_spec
from scripts.spec_convert import ROOT

Route = tuple[int, str, bytes]
JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
JS = "application/javascript; charset=UTF-8"
STEM = "spheron-api.fetched"


@dataclass
class LocalServer:
    """A threaded HTTP server on 127.0.0.1 serving ``routes`` (path -> status, type, body)."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    delays: dict[str, float] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[LocalServer]:
    state = LocalServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requested.append(self.path)
            time.sleep(state.delays.get(self.path, 0.0))
            status, ctype, body = state.routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", body.decode())
                body = b""
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
    """Keep requests to 127.0.0.1 direct, and the converter at its default location."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)
    monkeypatch.delenv("SWAGGER2OPENAPI", raising=False)


# --- documents --------------------------------------------------------------------------


def _op(summary: str) -> dict[str, Any]:
    return {"summary": summary, "responses": {"200": {"description": "ok"}}}


PINNED: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Spheron", "version": "1"},
    "paths": {"/v1/pets": {"get": _op("list")}, "/v1/pets/{id}": {"delete": _op("delete")}},
}

PUBLISHED: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Spheron", "version": "2", "contact": {"url": "https://example.invalid"}},
    "paths": {"/v1/pets": {"get": _op("list"), "post": _op("create")}},
    "components": {"schemas": {"Pet": {"type": "object", "properties": {}}}},
}

SWAGGER2: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Spheron", "version": "2"},
    "host": "api.example.invalid",
    "basePath": "/",
    "schemes": ["https"],
    "paths": {
        "/v1/pets": {
            "get": {
                "produces": ["application/json"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                    }
                },
            },
            "post": {
                "consumes": ["application/json"],
                "parameters": [
                    {"in": "body", "name": "body", "schema": {"$ref": "#/definitions/Pet"}}
                ],
                "responses": {"201": {"description": "created"}},
            },
        }
    },
    "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
}


def published_json() -> bytes:
    return json.dumps(PUBLISHED, indent=2).encode()


def nest_init_js(doc: dict[str, Any]) -> bytes:
    """What @nestjs/swagger serves as swagger-ui-init.js."""
    options = json.dumps({"swaggerDoc": doc, "customOptions": {}}, indent=2)
    return (
        "\nwindow.onload = function() {\n"
        "  let url = window.location.search.match(/url=([^&]+)/);\n"
        "  if (url && url.length > 1) { url = decodeURIComponent(url[1]); }\n"
        "  else { url = window.location.origin; }\n"
        f"  let options = {options};\n"
        "  url = options.swaggerUrl || url\n"
        "  let swaggerOptions = { spec: options.swaggerDoc, url: url, dom_id: '#swagger-ui' }\n"
        "  window.ui = SwaggerUIBundle(swaggerOptions)\n"
        "}\n"
    ).encode()


def swagger_page(body: str = "", scripts: tuple[str, ...] = ()) -> bytes:
    tags = "".join(f'<script src="{src}"> </script>\n' for src in scripts)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Swagger UI</title>'
        '<link rel="stylesheet" href="./swagger-ui.css"></head><body>'
        f'<div id="swagger-ui"></div>\n{tags}{body}</body></html>'
    ).encode()


# --- workspace helpers ------------------------------------------------------------------


@dataclass
class Workspace:
    root: Path
    out_dir: Path
    pinned: Path

    def snapshot(self) -> dict[str, bytes]:
        return {
            str(p.relative_to(self.root)): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
        }

    def argv(self, url: str, *extra: str) -> list[str]:
        return ["--url", url, "--out-dir", str(self.out_dir), "--pinned", str(self.pinned), *extra]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    root = tmp_path / "openapi"
    root.mkdir()
    pinned = root / "spheron-api.yaml"
    pinned.write_text(yaml.safe_dump(PINNED, sort_keys=False), encoding="utf-8")
    return Workspace(root=root, out_dir=root / "fetched", pinned=pinned)


def run_ok(ws: Workspace, url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    pinned_before = ws.pinned.read_bytes()
    code = fetch_spec.main(ws.argv(url, *extra))
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert ws.pinned.read_bytes() == pinned_before
    return out


def staged(ws: Workspace) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(ws.out_dir.iterdir())}


def assert_staged(ws: Workspace, raw: bytes, ext: str) -> dict[str, Any]:
    """Check the three staged files; return the normalized document."""
    files = staged(ws)
    assert {p.stat().st_mode & 0o777 for p in ws.out_dir.iterdir()} == {0o644}
    name = f"{STEM}.{ext}"
    assert sorted(files) == sorted([name, f"{STEM}.normalized.yaml", f"{STEM}.sha256"])
    assert files[name] == raw
    digest = hashlib.sha256(raw).hexdigest()
    assert files[f"{STEM}.sha256"] == f"{digest}  {name}\n".encode()
    normalized: dict[str, Any] = yaml.safe_load(files[f"{STEM}.normalized.yaml"])
    assert str(normalized["openapi"]).startswith("3.")
    return normalized


def assert_summary_against_pinned(out: str) -> None:
    assert "breaking); operations: 1 added, 1 removed\n" in out
    assert "[operation-added] POST /v1/pets: operation added" in out
    assert "[operation-removed] DELETE /v1/pets/{id}: operation removed" in out


# --- direct documents -------------------------------------------------------------------


def test_plain_json_document(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = published_json()
    server.routes["/docs/rest-api-json"] = (200, JSON, raw)
    out = run_ok(ws, server.url("/docs/rest-api-json"), capsys)
    assert assert_staged(ws, raw, "json") == PUBLISHED
    assert f"sha256 {hashlib.sha256(raw).hexdigest()}" in out
    assert f"from {server.url('/docs/rest-api-json')} (direct)" in out
    assert f"pinned {ws.pinned} -> fetched: 3 changes (1 breaking, 2 non-breaking);" in out
    assert "[schema-added] schemas.Pet: schema added" in out
    assert_summary_against_pinned(out)


def test_plain_yaml_document_replaces_a_previous_json_stage(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/spec.json"] = (200, JSON, published_json())
    run_ok(ws, server.url("/spec.json"), capsys)
    raw = ("# published\n" + yaml.safe_dump(PUBLISHED, sort_keys=False)).encode()
    server.routes["/spec.yaml"] = (200, "application/yaml", raw)
    out = run_ok(ws, server.url("/spec.yaml"), capsys)
    assert assert_staged(ws, raw, "yaml") == PUBLISHED  # the stale .json is gone
    assert_summary_against_pinned(out)


def test_redirects_are_followed(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/old"] = (301, "text/plain", b"/new/spec.json")
    server.routes["/new/spec.json"] = (200, JSON, published_json())
    out = run_ok(ws, server.url("/old"), capsys)
    assert f"from {server.url('/new/spec.json')} (direct)" in out
    assert_staged(ws, published_json(), "json")


def test_swagger2_is_converted_with_swagger2openapi(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (ROOT / "node_modules" / ".bin" / "swagger2openapi").is_file(), (
        "run `npm install --no-save swagger2openapi@7.0.8` in the repository root"
    )
    raw = json.dumps(SWAGGER2).encode()
    server.routes["/swagger.json"] = (200, JSON, raw)
    out = run_ok(ws, server.url("/swagger.json"), capsys)
    normalized = assert_staged(ws, raw, "json")
    assert normalized["openapi"] == "3.0.0"
    assert normalized["servers"] == [{"url": "https://api.example.invalid"}]
    assert normalized["components"]["schemas"]["Pet"]["properties"] == {"name": {"type": "string"}}
    body = normalized["paths"]["/v1/pets"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    assert "converted from Swagger 2.0 with swagger2openapi" in out
    assert "fetch-spec: fetched OpenAPI 3.0.0 document" in out
    assert_summary_against_pinned(out)


# --- Swagger UI pages -------------------------------------------------------------------


def test_nestjs_swagger_ui_with_embedded_document(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    init = nest_init_js(PUBLISHED)
    server.routes["/docs/rest-api/"] = (
        200,
        HTML,
        swagger_page(
            scripts=(
                "/docs/rest-api/swagger-ui-bundle.js",
                "/docs/rest-api/swagger-ui-standalone-preset.js",
                "/docs/rest-api/swagger-ui-init.js",
            )
        ),
    )
    server.routes["/docs/rest-api/swagger-ui-init.js"] = (200, JS, init)
    out = run_ok(ws, server.url("/docs/rest-api/"), capsys)
    raw = staged(ws)[f"{STEM}.json"]
    assert raw in init  # the document's own bytes, cut out of the script
    assert json.loads(raw) == PUBLISHED
    assert_staged(ws, raw, "json")
    assert f"(embedded in {server.url('/docs/rest-api/swagger-ui-init.js')})" in out
    assert "/docs/rest-api/swagger-ui-bundle.js" not in server.requested
    assert_summary_against_pinned(out)


def test_document_embedded_inline_in_the_page(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    inline = f"<script>SwaggerUIBundle({{ spec: {json.dumps(PUBLISHED)}, dom_id: '#ui' }})</script>"
    server.routes["/ui"] = (200, HTML, swagger_page(body=inline))
    out = run_ok(ws, server.url("/ui"), capsys)
    assert json.loads(staged(ws)[f"{STEM}.json"]) == PUBLISHED
    assert f"(embedded in {server.url('/ui')})" in out


@pytest.mark.parametrize(
    "doc_path", ["/docs/rest-api-json", "/docs/rest-api/json", "/docs/rest-api-yaml"]
)
def test_nestjs_conventions_next_to_a_bare_page(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str], doc_path: str
) -> None:
    server.routes["/docs/rest-api/"] = (200, HTML, swagger_page())
    raw = published_json() if "json" in doc_path else yaml.safe_dump(PUBLISHED).encode()
    server.routes[doc_path] = (200, "text/plain", raw)
    out = run_ok(ws, server.url("/docs/rest-api/"), capsys)
    assert_staged(ws, raw, "json" if "json" in doc_path else "yaml")
    assert f"from {server.url(doc_path)} (next to {server.url('/docs/rest-api/')})" in out
    assert_summary_against_pinned(out)


def test_unreferenced_swagger_ui_init_js_is_tried(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/docs/rest-api"] = (200, HTML, swagger_page())
    server.routes["/docs/rest-api/swagger-ui-init.js"] = (200, JS, nest_init_js(PUBLISHED))
    out = run_ok(ws, server.url("/docs/rest-api"), capsys)
    assert f"(embedded in {server.url('/docs/rest-api/swagger-ui-init.js')})" in out
    assert server.requested == ["/docs/rest-api", "/docs/rest-api/swagger-ui-init.js"]


def test_inline_bundle_url_is_resolved_against_the_redirected_page(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "<script>window.onload = () => { window.ui = SwaggerUIBundle({\n"
        '  url: "../specs/api.yaml", dom_id: "#swagger-ui", validatorUrl: "https://v.invalid"\n'
        "}) }</script>"
    )
    server.routes["/docs"] = (302, "text/plain", b"/docs/rest-api/")
    server.routes["/docs/rest-api/"] = (200, HTML, swagger_page(body=body))
    raw = yaml.safe_dump(PUBLISHED).encode()
    server.routes["/docs/specs/api.yaml"] = (200, "application/x-yaml", raw)
    out = run_ok(ws, server.url("/docs"), capsys)
    assert_staged(ws, raw, "yaml")
    assert f"(referenced by {server.url('/docs/rest-api/')})" in out
    assert server.requested == ["/docs", "/docs/rest-api/", "/docs/specs/api.yaml"]


def test_urls_list_in_an_initializer_script(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    script = (
        b"window.onload = function() {\n"
        b"  window.ui = SwaggerUIBundle({\n"
        b'    urls: [{url: "./v1.json", name: "v1"}, {url: "./v2.json", name: "v2"}],\n'
        b"    dom_id: '#swagger-ui',\n"
        b"  });\n"
        b"};\n"
    )
    server.routes["/api/index.html"] = (
        200,
        HTML,
        swagger_page(scripts=("swagger-initializer.js",)),
    )
    server.routes["/api/swagger-initializer.js"] = (200, JS, script)
    server.routes["/api/v1.json"] = (200, JSON, published_json())
    out = run_ok(ws, server.url("/api/index.html"), capsys)
    assert_staged(ws, published_json(), "json")
    assert f"(referenced by {server.url('/api/swagger-initializer.js')})" in out
    assert "/api/v2.json" not in server.requested


def test_missing_pinned_document_is_reported(
    server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.pinned.unlink()
    server.routes["/spec.json"] = (200, JSON, published_json())
    assert fetch_spec.main(ws.argv(server.url("/spec.json"))) == 0
    out = capsys.readouterr().out
    assert f"no pinned document at {ws.pinned}; nothing to compare" in out
    assert_staged(ws, published_json(), "json")
    assert not ws.pinned.exists()


# --- failures ---------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


FAILURES: list[tuple[str, dict[str, Route], str, str]] = [
    ("not found", {}, "/docs/rest-api-json", "HTTP 404 Not Found from "),
    ("server error", {"/s": (500, "text/plain", b"boom")}, "/s", "HTTP 500 Internal Server Error"),
    (
        "page without a document",
        {"/docs/rest-api/": (200, HTML, swagger_page(scripts=("./swagger-ui-init.js",)))},
        "/docs/rest-api/",
        "no OpenAPI document found in page ",
    ),
    (
        "invalid JSON",
        {"/s.json": (200, JSON, b'{"openapi": "3.0.3", "paths": {')},
        "/s.json",
        "invalid JSON",
    ),
    (
        "invalid YAML",
        {"/s.yaml": (200, "application/yaml", b"openapi: 3.0.3\npaths: [unclosed\n")},
        "/s.yaml",
        "invalid YAML",
    ),
    (
        "JSON that is not an API document",
        {"/s.json": (200, JSON, b'{"openapi": 3, "hello": "world"}')},
        "/s.json",
        "did not serve an OpenAPI 3 or Swagger 2.0 document",
    ),
    (
        "referenced document missing",
        {
            "/ui/": (
                200,
                HTML,
                swagger_page(body='<script>SwaggerUIBundle({url: "/x.json"})</script>'),
            )
        },
        "/ui/",
        "HTTP 404 Not Found from ",
    ),
    (
        "referenced URL is a page",
        {
            "/ui/": (200, HTML, swagger_page(body="<script>SwaggerUIBundle({url: '/'})</script>")),
            "/": (200, HTML, b"<html>home</html>"),
        },
        "/ui/",
        "served a page, not an OpenAPI document",
    ),
    (
        "invalid Swagger 2.0 document",
        {"/s.json": (200, JSON, b'{"swagger": "2.0", "info": "?", "paths": {}}')},
        "/s.json",
        "swagger2openapi could not convert the document: S2OError: info must be an object",
    ),
]


def _prepare_previous_stage(ws: Workspace) -> None:
    ws.out_dir.mkdir()
    (ws.out_dir / f"{STEM}.json").write_bytes(b'{"openapi": "3.0.3", "previous": true}')
    (ws.out_dir / f"{STEM}.sha256").write_bytes(b"0" * 64 + f"  {STEM}.json\n".encode())


def assert_failed_cleanly(
    ws: Workspace, before: dict[str, bytes], code: int, out: str, err: str, message: str
) -> None:
    assert code == 1
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith("fetch-spec: error: ")
    assert message in err
    assert ws.snapshot() == before  # pinned and staged files untouched, no temp files left


@pytest.mark.parametrize(
    ("routes", "path", "message"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
@pytest.mark.parametrize("previous_stage", [False, True], ids=["fresh", "previously-staged"])
def test_failures_leave_everything_untouched(
    server: LocalServer,
    ws: Workspace,
    capsys: pytest.CaptureFixture[str],
    routes: dict[str, Route],
    path: str,
    message: str,
    previous_stage: bool,
) -> None:
    if previous_stage:
        _prepare_previous_stage(ws)
    server.routes.update(routes)
    before = ws.snapshot()
    code = fetch_spec.main(ws.argv(server.url(path)))
    out, err = capsys.readouterr()
    assert_failed_cleanly(ws, before, code, out, err, message)
    assert ws.out_dir.exists() is previous_stage


def test_connection_refused(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    _prepare_previous_stage(ws)
    before = ws.snapshot()
    url = f"http://127.0.0.1:{_closed_port()}/docs/rest-api/"
    code = fetch_spec.main(ws.argv(url))
    out, err = capsys.readouterr()
    assert_failed_cleanly(ws, before, code, out, err, f"cannot reach {url}: ")


def test_timeout(server: LocalServer, ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    server.routes["/slow"] = (200, JSON, published_json())
    server.delays["/slow"] = 1.0
    before = ws.snapshot()
    code = fetch_spec.main(ws.argv(server.url("/slow"), "--timeout", "0.2"))
    out, err = capsys.readouterr()
    assert_failed_cleanly(ws, before, code, out, err, "timed out fetching")


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_missing_converter_is_refused_with_install_hint(
    server: LocalServer,
    ws: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    missing = ws.root.parent / "no-such-dir" / "swagger2openapi"
    extra: list[str] = []
    if how == "argument":
        extra = ["--converter", str(missing)]
    else:
        monkeypatch.setenv("SWAGGER2OPENAPI", str(missing))
    server.routes["/swagger.json"] = (200, JSON, json.dumps(SWAGGER2).encode())
    before = ws.snapshot()
    code = fetch_spec.main(ws.argv(server.url("/swagger.json"), *extra))
    out, err = capsys.readouterr()
    assert_failed_cleanly(ws, before, code, out, err, f"not found at {missing}")
    assert "npm install --no-save swagger2openapi@7.0.8" in err
    assert "SWAGGER2OPENAPI" in err


# --- the pinned project document --------------------------------------------------------


def test_pinned_project_document_round_trips(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Serving the project's own pinned document yields no changes against it."""
    pinned = ROOT / "openapi" / "spheron-api.yaml"
    raw = pinned.read_bytes()
    server.routes["/docs/rest-api-yaml"] = (200, "text/yaml", raw)
    out_dir = tmp_path / "fetched"
    argv = ["--url", server.url("/docs/rest-api-yaml"), "--out-dir", str(out_dir)]
    assert fetch_spec.main([*argv, "--pinned", str(pinned)]) == 0
    out = capsys.readouterr().out
    assert "-> fetched: 0 changes (0 breaking, 0 non-breaking); operations: 0 added, 0 removed" in (
        out
    )
    assert (out_dir / f"{STEM}.yaml").read_bytes() == raw
    assert pinned.read_bytes() == raw
    normalized = yaml.safe_load((out_dir / f"{STEM}.normalized.yaml").read_bytes())
    assert normalized == yaml.safe_load(raw)
