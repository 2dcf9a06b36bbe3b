"""The release states which document it was generated from."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

import spheron

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "spheron-api.yaml"


def test_api_version_and_hash_match_the_pinned_document() -> None:
    raw = DOCUMENT.read_bytes()
    assert spheron.__api_version__ == yaml.safe_load(raw)["info"]["version"]
    assert spheron.__api_document_sha256__ == hashlib.sha256(raw).hexdigest()


def test_package_version_follows_the_document_major_minor() -> None:
    assert spheron.__version__.split(".")[:2] == spheron.__api_version__.split(".")[:2]
