"""The CLI stays out of the core package: only ``spheron.cli`` imports Click, Rich or dotenv."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "overrides" / "spheron"
CLI_ONLY = {"click", "rich", "dotenv"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_cli_subpackage_imports_the_cli_libraries() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_roots(path) & CLI_ONLY)
        for path in PACKAGE.rglob("*.py")
        if "cli" not in path.relative_to(PACKAGE).parts[:1] and imported_roots(path) & CLI_ONLY
    }
    assert offenders == {}
    assert imported_roots(PACKAGE / "cli" / "_app.py") & {"click"}


def test_python_dash_m_spheron_is_the_cli() -> None:
    main = (PACKAGE / "__main__.py").read_text(encoding="utf-8")
    assert "from .cli import main" in main
