"""Convert Swagger 2.0 to OpenAPI 3 with the npm converter ``swagger2openapi`` (7.0.8)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from scripts.spec_io import Document, SpecError, document_kind, dump_json

ROOT = Path(__file__).resolve().parents[1]
ENV_VAR = "SWAGGER2OPENAPI"
INSTALL_HINT = (
    "install it with `npm install --no-save swagger2openapi@7.0.8` in the repository root "
    f"(or set {ENV_VAR} to its path)"
)


class ConversionError(SpecError):
    """The converter is missing or failed."""


def default_converter() -> Path:
    """``$SWAGGER2OPENAPI`` if set, else ``node_modules/.bin/swagger2openapi`` in the repo."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured) if configured else ROOT / "node_modules" / ".bin" / "swagger2openapi"


def convert_swagger2(doc: Document, converter: Path, timeout: float = 120.0) -> Document:
    """Return the OpenAPI 3 form of a Swagger 2.0 document (``--patch`` fixes small errors)."""
    if not converter.is_file():
        raise ConversionError(
            f"a Swagger 2.0 document needs swagger2openapi, not found at {converter}; "
            + INSTALL_HINT
        )
    with tempfile.TemporaryDirectory(prefix="swagger2openapi-") as tmp:
        source = Path(tmp) / "swagger.json"
        source.write_text(dump_json(doc), encoding="utf-8")
        try:
            proc = subprocess.run(
                [str(converter), "--patch", str(source)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"swagger2openapi timed out after {timeout:g}s") from exc
        except OSError as exc:
            raise ConversionError(f"cannot run {converter}: {exc.strerror or exc}") from exc
    if proc.returncode != 0:
        lines = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {proc.returncode}"
        raise ConversionError(f"swagger2openapi could not convert the document: {reason}")
    try:
        value = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ConversionError(f"swagger2openapi printed invalid JSON: {exc}") from exc
    if document_kind(value) != "openapi3" or not isinstance(value, dict):
        raise ConversionError("swagger2openapi did not produce an OpenAPI 3 document")
    return value
