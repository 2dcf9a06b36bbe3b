"""Models load lazily (models_init template) without breaking imports or type checkers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[2]


def test_models_package_loads_nothing_until_a_model_is_used() -> None:
    code = (
        "import sys, spheron_api_client.models as m\n"
        "before = sorted(k for k in sys.modules if k.startswith('spheron_api_client.models.'))\n"
        "from spheron_api_client.models import Project\n"
        "after = [k for k in sys.modules if k.startswith('spheron_api_client.models.')]\n"
        "print(len(before), 'spheron_api_client.models.project' in after, Project.__name__)\n"
        "print('DeploymentStatus' in dir(m), len(m.__all__))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split("\n")
    assert out[0] == "0 True Project"
    count = len(list((ROOT / "spheron_api_client" / "models").glob("*.py"))) - 1
    assert out[1] == f"True {count}"


def test_unknown_model_name_is_an_attribute_error() -> None:
    import spheron_api_client.models as models

    try:
        models.NoSuchModel  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchModel" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_type_checkers_see_every_lazily_loaded_name(tmp_path: Path) -> None:
    snippet = tmp_path / "uses_models.py"
    snippet.write_text(
        "from spheron_api_client.models import DeploymentStatus, Project\n"
        "project = Project.from_dict({'_id': 'p'})\n"
        "reveal_type(project)\n"
        "reveal_type(DeploymentStatus.DEPLOYED)\n"
        "name: int = project.id\n"  # a deliberate error: field_id is a str
    )
    stdout, _stderr, status = mypy_api.run(
        [str(snippet), "--cache-dir", str(tmp_path / ".mypy_cache"), "--no-error-summary"]
    )
    assert status == 1, stdout
    assert 'Revealed type is "spheron_api_client.models.project.Project"' in stdout
    assert "DeploymentStatus" in stdout
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "incompatible types" in errors[0].lower(), stdout
