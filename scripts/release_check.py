"""Install the built wheel into a fresh venv outside the source tree and smoke-test it.

Usage: python -m scripts.release_check DIST_DIR

Checks that both import packages (``spheron_api_client`` and ``spheron``) import from the
installed wheel (with its ``testing`` extra), that the wheel ships no top-level ``overrides``
package, that the recorded document version and hash agree, and makes one call through
``spheron.Spheron`` against the embedded server.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

SMOKE = """
import pathlib, spheron, spheron_api_client
from spheron_api_client import AuthenticatedClient
from spheron_api_client._document import API_VERSION, API_DOCUMENT_SHA256
for mod in (spheron, spheron_api_client):
    assert "site-packages" in str(pathlib.Path(mod.__file__)), mod.__file__
try:
    import overrides
except ImportError:
    pass
else:
    raise SystemExit("a top-level 'overrides' module is installed")
assert spheron.__api_version__ == API_VERSION
assert spheron.__api_document_sha256__ == API_DOCUMENT_SHA256
client = AuthenticatedClient(base_url="https://api-v2.spheron.network", token="t")
import httpx
from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, FakeSpheron
fake = FakeSpheron()
http = httpx.Client(transport=fake.transport())
with spheron.Spheron(DEFAULT_TOKEN, base_url="https://spheron.test", http_client=http) as api:
    org = api.organizations.get(DEFAULT_ORGANIZATION_ID)
assert org.field_id == DEFAULT_ORGANIZATION_ID, org
fake.close()
print("release-check: imported spheron", spheron.__version__,
      "generated from API document", API_VERSION, API_DOCUMENT_SHA256[:12],
      "- one call against spheron.testing:", org.profile.name)
"""


def wheel_top_levels(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return {name.split("/", 1)[0] for name in zf.namelist() if "/" in name}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    dist = Path(args[0] if args else "dist")
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        print(
            f"release-check: error: expected one wheel in {dist}, found {len(wheels)}",
            file=sys.stderr,
        )
        return 1
    wheel = wheels[0].resolve()
    tops = {t for t in wheel_top_levels(wheel) if not t.endswith(".dist-info")}
    if tops != {"spheron", "spheron_api_client"}:
        print(f"release-check: error: wheel top-level packages are {sorted(tops)}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        env_dir = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        py = env_dir / "bin" / "python"
        subprocess.run(
            # The testing extra brings the embedded server for the smoke test's one call.
            [str(py), "-m", "pip", "install", "--quiet", f"{wheel}[testing]"],
            check=True,
            cwd=tmp,
        )
        result = subprocess.run([str(py), "-c", SMOKE], cwd=tmp, capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            print("release-check: error: smoke test failed in a fresh venv", file=sys.stderr)
            return 1
        if not cli_smoke_test(py, wheel, cwd=tmp):
            return 1
    print(f"release-check: ok ({wheel.name})")
    return 0


def cli_smoke_test(py: Path, wheel: Path, *, cwd: str) -> bool:
    """The ``cli`` extra installs the ``spheron`` console script, and it runs."""
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", f"{wheel}[cli]"], check=True, cwd=cwd
    )
    script = py.parent / "spheron"
    result = subprocess.run(
        [str(script), "--version"], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not result.stdout.startswith("spheron "):
        sys.stderr.write(result.stdout + result.stderr)
        print("release-check: error: the spheron console script failed", file=sys.stderr)
        return False
    sys.stdout.write(result.stdout)
    return True


if __name__ == "__main__":
    raise SystemExit(main())
