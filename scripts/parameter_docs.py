"""Give the generator each parameter's description, so generated docstrings carry it.

openapi-python-client 0.28.4 documents a parameter with its *schema's* description and drops
the parameter's own ``description`` (where the document, like most, writes it) before the
templates run, so no template can print it. ``make generate`` therefore hands the generator a
copy of the pinned document in which every parameter's description is also its schema's (when
the schema has none of its own and is not a ``$ref``, whose siblings OpenAPI 3.0 ignores). The
pinned document is not changed, and the copy is made the same way every time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["with_parameter_descriptions"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _describe(parameter: dict[str, Any]) -> None:
    schema = parameter.get("schema")
    text = parameter.get("description")
    if isinstance(schema, dict) and text and "$ref" not in schema and not schema.get("description"):
        schema["description"] = " ".join(str(text).split())


def document_with_parameter_descriptions(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (changed in place) with parameter descriptions copied into their schemas."""
    for parameter in (document.get("components") or {}).get("parameters", {}).values():
        _describe(parameter)
    for item in (document.get("paths") or {}).values():
        operations = [item] + [item[m] for m in _METHODS if isinstance(item.get(m), dict)]
        for operation in operations:
            for parameter in operation.get("parameters") or []:
                if isinstance(parameter, dict) and "$ref" not in parameter:
                    _describe(parameter)
    return document


def with_parameter_descriptions(source: Path, target: Path) -> Path:
    """Write the generator's copy of ``source`` to ``target`` and return ``target``."""
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    target.write_text(
        yaml.safe_dump(
            document_with_parameter_descriptions(document),
            sort_keys=False,
            allow_unicode=True,
            width=100,
        ),
        encoding="utf-8",
    )
    return target
