"""Generated functions carry the document's parameter descriptions (``scripts.parameter_docs``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.utils import snake_case

from scripts.parameter_docs import document_with_parameter_descriptions

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch")


def _operations() -> list[tuple[str, dict[str, Any]]]:
    document = yaml.safe_load((ROOT / "openapi" / "spheron-api.yaml").read_text())
    components = document.get("components", {}).get("parameters", {})
    found = []
    for item in document["paths"].values():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    parameter = components[parameter["$ref"].rsplit("/", 1)[1]]
                found.append((operation["operationId"], parameter))
    return found


def test_every_parameter_description_reaches_the_generated_docstring() -> None:
    missing = []
    checked = 0
    for operation_id, parameter in _operations():
        text = parameter.get("description")
        if not text or "$ref" in parameter.get("schema", {}):
            continue
        (module,) = (ROOT / "spheron_api_client" / "api").glob(f"*/{snake_case(operation_id)}.py")
        source = " ".join(module.read_text().split())
        words = " ".join(str(text).split()[:6])
        checked += 1
        if words not in source:
            missing.append(f"{operation_id}({parameter['name']})")
    assert checked > 150
    assert missing == []


def test_the_copy_keeps_a_schema_description_and_leaves_refs_alone() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/x": {
                "get": {
                    "parameters": [
                        {"name": "a", "description": "Param  a.", "schema": {"type": "string"}},
                        {"name": "b", "description": "Param b.", "schema": {"$ref": "#/c"}},
                        {
                            "name": "c",
                            "description": "Param c.",
                            "schema": {"type": "string", "description": "Schema c."},
                        },
                    ]
                }
            }
        }
    }

    parameters = document_with_parameter_descriptions(document)["paths"]["/x"]["get"]["parameters"]

    assert parameters[0]["schema"] == {"type": "string", "description": "Param a."}
    assert parameters[1]["schema"] == {"$ref": "#/c"}
    assert parameters[2]["schema"]["description"] == "Schema c."
