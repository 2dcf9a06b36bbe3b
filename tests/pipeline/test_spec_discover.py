"""Unit tests for scripts.spec_discover (Swagger UI page parsing, no network)."""

from __future__ import annotations

import json

import pytest

from scripts.spec_discover import (
    convention_urls,
    find_document_urls,
    find_embedded_document,
    script_sources,
)

DOC = {
    "openapi": "3.0.0",
    "info": {"title": 'a } tricky " title {', "version": "1"},
    "paths": {"/x": {"get": {"responses": {"200": {"description": "}{"}}}}},
}


def test_embedded_document_is_cut_out_exactly() -> None:
    doc_text = json.dumps(DOC, indent=2)
    text = f'let options = {{\n  "swaggerDoc": {doc_text},\n  "customOptions": {{}}\n}};'
    found = find_embedded_document(text)
    assert found is not None
    assert found.raw == doc_text.encode()
    assert found.value == DOC


def test_embedded_swagger2_and_unquoted_spec_key() -> None:
    swagger = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    found = find_embedded_document(f"SwaggerUIBundle({{spec: {json.dumps(swagger)}}})")
    assert found is not None
    assert found.value == swagger


@pytest.mark.parametrize(
    "text",
    [
        "let spec1 = options.swaggerDoc; SwaggerUIBundle({spec: spec1})",
        'let options = {"swaggerDoc": {"not": "an api document"}}',
        "let options = {swaggerDoc: {openapi: '3.0.0'}}",  # a JS literal, not JSON
        'let inspec = {"openapi": "3.0.0", "paths": {}}',
    ],
)
def test_no_embedded_document(text: str) -> None:
    assert find_embedded_document(text) is None


def test_document_urls_in_order_without_duplicates_or_variables() -> None:
    text = """
      url = options.swaggerUrl || url
      SwaggerUIBundle({ url: url, validatorUrl: "https://validator.invalid",
        oauth2RedirectUrl: 'https://x.invalid/cb',
        urls: [{url: "./v1.json", name: "v1"}, {"url": '/v2.yaml', "name": "v2"}],
        url: "./v1.json" })
      let options = {"swaggerUrl": "https://h.invalid/spec.json"}
    """
    assert find_document_urls(text) == ["./v1.json", "/v2.yaml", "https://h.invalid/spec.json"]


def test_script_sources_skip_swagger_ui_bundles() -> None:
    html = (
        '<script src="./swagger-ui-bundle.js"></script>'
        '<script src="/docs/swagger-ui-standalone-preset.js?v=5"></script>'
        '<script src="https://cdn.invalid/swagger-ui.js"></script>'
        "<script>inline()</script>"
        '<script src="./swagger-ui-init.js"> </script>'
        '<SCRIPT SRC="custom.js"></SCRIPT>'
    )
    assert script_sources(html) == ["./swagger-ui-init.js", "custom.js"]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "https://api.invalid/docs/rest-api/",
            [
                "https://api.invalid/docs/rest-api/swagger-ui-init.js",
                "https://api.invalid/docs/rest-api-json",
                "https://api.invalid/docs/rest-api/json",
                "https://api.invalid/docs/rest-api-yaml",
            ],
        ),
        (
            "http://127.0.0.1:8000/api/index.html?x=1",
            [
                "http://127.0.0.1:8000/api/swagger-ui-init.js",
                "http://127.0.0.1:8000/api-json",
                "http://127.0.0.1:8000/api/json",
                "http://127.0.0.1:8000/api-yaml",
            ],
        ),
        ("http://h.invalid/", ["http://h.invalid/swagger-ui-init.js", "http://h.invalid/json"]),
    ],
)
def test_convention_urls(page: str, expected: list[str]) -> None:
    assert convention_urls(page) == expected
