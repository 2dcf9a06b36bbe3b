"""A short, real session with spheron-api-client (``make demo``).

Without ``SPHERON_TOKEN``: starts the embedded Spheron-compatible server (``spheron.testing``) on
127.0.0.1 and runs an end-to-end session over real HTTP: token scope, organization and project,
a deployment followed to the end, a directory upload with a progress bar, the deployment list,
a typed error on purpose, and the ``spheron`` command line against the same server.

With ``SPHERON_TOKEN``: read-only calls against the real API (token scope, organization,
projects). Nothing is created or changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from spheron import NotFoundError, Spheron, SpheronError, StatusUpdate, UploadProgress

BAR_WIDTH = 30


def say(text: str) -> None:
    print(text, flush=True)


def progress_bar(event: UploadProgress) -> None:
    """A dependency-free progress bar fed by ``on_progress`` events."""
    done = int(event.fraction * BAR_WIDTH)
    bar = "#" * done + "-" * (BAR_WIDTH - done)
    end = "\n" if event.bytes_sent >= event.total_bytes else ""
    sys.stdout.write(f"\r    [{bar}] {event.bytes_sent:>9,} / {event.total_bytes:,} bytes{end}")
    sys.stdout.flush()


def show_status(update: StatusUpdate) -> None:
    note = "" if update.is_known else " (a status this client does not know yet)"
    say(f"    {update.elapsed:5.1f}s  {update.previous or '-'} -> {update.status}{note}")


def make_site(root: Path) -> Path:
    site = root / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Hello from spheron-api-client</h1>\n")
    (site / "assets" / "app.js").write_text("console.log('hi');\n" * 2000)
    (site / "assets" / "logo.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    return site


def local_session(client: Spheron) -> None:
    scope = client.token_scope()
    orgs = scope.organizations or []
    say(f"1. token scope: user {scope.user.username!r}, {len(orgs)} organization(s)")
    org = client.organizations.get()
    say(f"2. organization {org.id}: {org.profile.name!r}")
    project = next(iter(client.organizations.list_projects(limit=1)))
    say(f"3. project {project.id}: {project.name!r}")

    say("4. starting a deployment and waiting for it:")
    started = client.deployments.create(
        organization_id=org.id,
        git_url="https://github.com/acme/site",
        repo_name="site",
        branch="main",
        protocol="ipfs",
        provider="GITHUB",
        configuration={
            "buildCommand": "npm run build",
            "installCommand": "npm ci",
            "workspace": "",
            "publishDir": "build",
            "framework": "react",
            "nodeVersion": "V_16",
        },
    )
    deployment = client.deployments.wait(
        str(started.deployment_id), timeout=120, poll_interval=0.2, on_update=show_status
    )
    say(f"    deployed: {deployment.site_preview}")

    with tempfile.TemporaryDirectory() as tmp:
        site = make_site(Path(tmp))
        say(f"5. uploading {site.name}/ (3 files, in parallel parts) to bucket 'demo-site':")
        result = client.storage.upload(
            site, bucket="demo-site", protocol="ipfs", on_progress=progress_bar
        )
    say(f"    upload {result.upload_id}: {result.protocol_link} (cid {result.cid})")

    say("6. deployments of the deployed project, newest first:")
    for item in client.projects.list_deployments(str(started.project_id), limit=5):
        say(f"    {item.id}  {item.status}  {item.branch}")

    say("7. a typed error, on purpose:")
    try:
        client.projects.get("no-such-project")
    except NotFoundError as exc:
        say(f"    {type(exc).__name__} (status {exc.status_code}): {exc.message}")


def spheron_command() -> list[str]:
    """The ``spheron`` console script next to this Python, else ``python -m spheron``."""
    script = shutil.which("spheron", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "spheron"]


def command_line(url: str, token: str) -> None:
    """The same server from the command line (the ``cli`` extra)."""
    env = {**os.environ, "SPHERON_BASE_URL": url, "SPHERON_TOKEN": token}
    for args in (["whoami"], ["projects", "list", "--json"]):
        say(f"    $ spheron {' '.join(args)}")
        done = subprocess.run(
            [*spheron_command(), *args], env=env, capture_output=True, text=True, check=False
        )
        lines = (done.stdout + done.stderr).rstrip().splitlines()
        for line in lines[:16]:
            say(f"    {line}")
        if len(lines) > 16:
            say(f"    ... ({len(lines) - 16} more lines)")
        if done.returncode != 0:
            raise SystemExit(f"spheron {' '.join(args)} exited {done.returncode}")


def real_session(client: Spheron) -> None:
    scope = client.token_scope()
    orgs = scope.organizations or []
    say(f"token scope: user {scope.user.username!r}")
    for org_item in orgs:
        say(f"  organization {org_item.id}: {org_item.name!r}")
    if len(orgs) == 1:
        org = client.organizations.get()
        say(f"organization {org.id}: {org.profile.name!r}")
        for project in client.organizations.list_projects(limit=10):
            say(f"  project {project.id}: {project.name!r}")


def main() -> int:
    if os.environ.get("SPHERON_TOKEN"):
        say("SPHERON_TOKEN is set: read-only calls against the Spheron API.")
        try:
            with Spheron() as client:
                real_session(client)
        except SpheronError as exc:  # no network, bad token, ...: one line, no traceback
            first_line = str(exc).splitlines()[0]
            print(
                f"demo: {type(exc).__name__}: {first_line} "
                "(unset SPHERON_TOKEN to run against the embedded server)",
                file=sys.stderr,
            )
            return 1
        return 0

    from spheron.testing import DEFAULT_TOKEN, Clock, FakeSpheron

    # The fake's clock runs 30x: a deployment's queue and build take a few real seconds.
    with FakeSpheron(clock=Clock(speed=30)) as fake, fake.serve() as url:
        fake.state.upload_payload_size = 256 * 1024  # small parts, so the progress bar moves
        say(f"No SPHERON_TOKEN: using the embedded Spheron-compatible server at {url}")
        say(f"(token {DEFAULT_TOKEN!r}, spheron.testing.DEFAULT_TOKEN)\n")
        with Spheron(token=DEFAULT_TOKEN, base_url=url) as client:
            local_session(client)
        say("8. the same server from the command line:")
        command_line(url, DEFAULT_TOKEN)
    say("\ndone.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
