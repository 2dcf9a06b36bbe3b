"""`make demo` (examples/demo.py) runs end to end against the embedded server with no token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_runs_against_the_embedded_server_without_a_token() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPHERON_")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "embedded Spheron-compatible server at http://127.0.0.1:" in out
    assert "1. token scope: user" in out
    assert "Pending -> Deployed" in out
    assert "deployed: https://" in out
    assert "upload " in out and "(cid " in out
    assert "Deployed  main" in out  # the deployment list shows the new deployment
    assert "NotFoundError (status 404)" in out
    # the CLI against the same server: a whoami table and the projects as JSON
    assert "$ spheron whoami" in out and "spheron-test" in out
    assert "$ spheron projects list --json" in out and '"name": "test-site"' in out
    assert out.rstrip().endswith("done.")


def test_demo_with_a_token_but_no_network_prints_one_line() -> None:
    token = "demo-offline-token-5b8e21"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPHERON_")}
    # Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
    env.update(SPHERON_TOKEN=token, SPHERON_BASE_URL="http://127.0.0.1:9")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("demo: APIConnectionError: ")
    assert "Traceback" not in proc.stderr
    assert token not in proc.stdout + proc.stderr
