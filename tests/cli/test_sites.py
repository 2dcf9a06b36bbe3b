"""``projects``, ``deployments``, ``deploy`` and ``env`` against the embedded server."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from spheron.testing import DEFAULT_PROJECT_ID, FakeSpheron
from tests.cli.conftest import Cli

CONFIGURATION = {
    "buildCommand": "npm run build",
    "installCommand": "npm ci",
    "workspace": "",
    "publishDir": "build",
    "framework": "react",
    "nodeVersion": "V_16",
}


def start_deployment(cli: Cli, repo: str = "test-site") -> str:
    with cli.client() as client:
        started = client.deployments.create(
            git_url=f"https://github.com/spheron-test/{repo}",
            repo_name=repo,
            branch="main",
            protocol="ipfs",
            provider="GITHUB",
            configuration=CONFIGURATION,
        )
    return str(started.deployment_id)


def test_projects_list_and_get_by_id_or_name(cli: Cli) -> None:
    listed = cli.json("projects", "list")
    assert [p["_id"] for p in listed][:1] == [DEFAULT_PROJECT_ID]
    by_name = cli.json("projects", "get", "test-site")
    assert by_name["_id"] == DEFAULT_PROJECT_ID
    assert by_name["deploymentEnvironments"][0]["name"] == "Production"
    human = cli("projects", "get", DEFAULT_PROJECT_ID).stdout
    assert "repository" in human and "https://github.com/spheron-test/test-site" in human
    assert "test-site" in cli("projects", "list").stdout


def test_deployment_lifecycle(cli: Cli) -> None:
    deployment_id = start_deployment(cli)
    waited = cli("--json", "deployments", "wait", deployment_id, "--poll-interval", "0.05")
    assert waited.json()["status"] == "Deployed"
    assert waited.json()["_id"] == deployment_id
    # live status on stderr, one line per change
    assert "- -> " in waited.stderr and "Pending -> Deployed" in waited.stderr

    got = cli.json("deployments", "get", deployment_id)
    assert got["status"] == "Deployed" and got["sitePreview"].startswith("https://")
    listed = cli.json("deployments", "list", "--project", "test-site", "--limit", "5")
    assert deployment_id in [d["_id"] for d in listed]
    assert deployment_id in cli("deployments", "list", "-p", DEFAULT_PROJECT_ID).stdout

    logs = cli("deployments", "logs", deployment_id).stdout.splitlines()
    assert logs[0] == "Deployment queued"
    assert "$ npm ci" in logs and logs[-1].startswith("Deployed to https://")
    assert cli.json("deployments", "logs", deployment_id)["logs"] == logs

    redeployed = cli.json(
        "deployments", "redeploy", deployment_id, "--wait", "--poll-interval", "0.05"
    )
    assert redeployed["status"] == "Deployed" and redeployed["_id"] != deployment_id

    # cancelling a finished deployment is an API error (409): exit 1, one line
    refused = cli("deployments", "cancel", deployment_id, code=1)
    assert "409" in refused.stderr and "cannot be canceled" in refused.stderr


def test_logs_follow_prints_until_the_end(cli: Cli) -> None:
    deployment_id = start_deployment(cli)
    lines = cli("deployments", "logs", deployment_id, "--follow", "--poll-interval", "0.05").stdout
    assert lines.splitlines()[-1].startswith("Deployed to https://")
    assert lines.count("Deployment queued") == 1  # no line twice


def test_a_failed_deployment_exits_1_with_its_status(cli: Cli, fake: FakeSpheron) -> None:
    fake.queue_deployment_outcome("Failed", "npm ERR! missing script: build")
    deployment_id = start_deployment(cli)
    result = cli("deployments", "wait", deployment_id, "--poll-interval", "0.05", code=1)
    assert f"deployment {deployment_id} ended with status Failed" in result.stderr
    assert "npm ERR! missing script: build" in result.stderr
    assert "| Build failed: npm ERR!" in result.stderr  # the build log's tail
    assert result.stdout == ""
    error = cli.json("deployments", "wait", deployment_id, code=1)["error"]
    assert error["status"] == "Failed" and error["deploymentId"] == deployment_id


def test_a_wait_that_runs_out_of_time_exits_5(cli: Cli, fake: FakeSpheron) -> None:
    fake.state.deploy_build_seconds = 10**6
    try:
        deployment_id = start_deployment(cli)
    finally:
        fake.state.deploy_build_seconds = 6
    result = cli(
        "deployments", "wait", deployment_id, "--timeout", "0.3", "--poll-interval", "0.05", code=5
    )
    assert "still 'Pending' after 0.3s" in result.stderr
    error = cli.json("deployments", "wait", deployment_id, "--timeout", "0", code=5)["error"]
    assert error["lastStatus"] == "Pending"
    canceled = cli.json("deployments", "cancel", deployment_id)
    assert canceled["killing"] is True


def make_site(root: Path) -> dict[str, bytes]:
    files = {
        "index.html": b"<h1>hello</h1>\n",
        "assets/app.js": b"console.log('hi');\n" * 500,
        "assets/logo.bin": os.urandom(200_000),
        "nested/deeper/empty.txt": b"",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def test_deploy_a_built_folder(cli: Cli, fake: FakeSpheron, tmp_path: Path) -> None:
    files = make_site(tmp_path / "build")
    fake.state.upload_payload_size = 64 * 1024  # the big file goes in chunks
    try:
        deployed = cli.json("deploy", str(tmp_path / "build"), "--project", "my-site", "--wait")
    finally:
        fake.state.upload_payload_size = 5 * 1024 * 1024
    assert deployed["status"] == "Uploaded"
    assert deployed["protocolLink"].startswith("https://") and deployed["cid"].startswith("bafy")
    assert fake.upload_files(deployed["uploadId"]) == files  # byte-exact on the server
    human = cli("deploy", str(tmp_path / "build"), "-p", "my-site").stdout.splitlines()
    assert human[0].startswith(f"Deployed {tmp_path / 'build'} to my-site: https://")
    assert human[1].startswith("cid: bafy")
    cli("deploy", str(tmp_path / "missing"), "--project", "x", code=2)


SECRETS = {
    "API_KEY": "sk_live_51H8x'quoted'\"double\"",
    "DATABASE_URL": "postgres://user:p@ss#word@db:5432/app?ssl=true",
    "MULTILINE": "line one\nline two\n  indented",
    "DOLLARS": "$HOME and ${PATH} stay literal",
    "BACKSLASH": "C:\\path\\to\\file \\n not a newline",
    "SPACES": "  padded  ",
    "UNICODE": "héllo wörld ✓",
    "EMPTY": "",
    "EQUALS": "a=b=c",
}


def server_variables(fake: FakeSpheron, project_id: str) -> dict[str, str]:
    with fake.state.lock:
        return {v.name: v.value for v in fake.state.env_vars.values() if v.project_id == project_id}


def test_env_pull_push_round_trip_preserves_secrets(
    cli: Cli, fake: FakeSpheron, tmp_path: Path
) -> None:
    source = fake.add_project(name="env-source")
    target = fake.add_project(name="env-target")
    first = tmp_path / "first.env"
    first.write_text("API_KEY=placeholder\n")
    pushed = cli.json("env", "push", "env-source", "--file", str(first))
    assert pushed["added"] == ["API_KEY"] and pushed["environments"] == ["Production"]
    with cli.client() as client:  # the secrets, set through the API
        variables = client.projects.env_vars.list(source)
        environments = [str(e.id) for e in client.projects.deployment_environments.list(source)]
        client.projects.env_vars.update(
            source, str(variables[0].id), name="API_KEY", value=SECRETS["API_KEY"],
            environments=environments,
        )  # fmt: skip
        rest = {k: v for k, v in SECRETS.items() if k != "API_KEY"}
        client.projects.env_vars.create(source, rest, environments=environments)

    pulled_file = tmp_path / "pulled.env"
    pulled = cli("env", "pull", "env-source", "--file", str(pulled_file))
    assert stat.S_IMODE(pulled_file.stat().st_mode) == 0o600
    for value in SECRETS.values():
        if len(value) > 3:
            assert value not in pulled.stdout and value not in pulled.stderr
            assert value.splitlines()[0] not in pulled.stdout
    assert "********" in pulled.stdout and "DATABASE_URL" in pulled.stdout
    masked = cli.json("env", "pull", "env-source", "--file", str(tmp_path / "again.env"))
    assert set(masked["variables"].values()) == {"********"}
    shown = cli.json(
        "env", "pull", "env-source", "-e", "Production", "--file", str(tmp_path / "x.env"),
        "--show-secrets",
    )  # fmt: skip
    assert shown["variables"] == SECRETS

    result = cli.json("env", "push", "env-target", "--file", str(pulled_file))
    assert sorted(result["added"]) == sorted(SECRETS)
    assert server_variables(fake, target) == SECRETS  # every value survived the round trip
    again = cli.json("env", "push", "env-target", "--file", str(pulled_file))
    assert (
        again["added"] == [] and again["updated"] == [] and len(again["unchanged"]) == len(SECRETS)
    )

    changed = tmp_path / "changed.env"
    changed.write_text("API_KEY='rotated'\nNEW_ONE=1\n")
    diff = cli.json("env", "push", "env-target", "-f", str(changed), "--prune")
    assert diff["updated"] == ["API_KEY"] and diff["added"] == ["NEW_ONE"]
    assert sorted(diff["deleted"]) == sorted(k for k in SECRETS if k != "API_KEY")
    assert server_variables(fake, target) == {"API_KEY": "rotated", "NEW_ONE": "1"}
    assert "1 added, 0 updated" not in cli("env", "push", "env-target", "-f", str(changed)).stderr


def test_env_usage_errors(cli: Cli, tmp_path: Path) -> None:
    env_file = tmp_path / "a.env"
    env_file.write_text("A=1\n")
    result = cli("env", "push", "test-site", "-f", str(env_file), "-e", "Staging", code=2)
    assert "no environment 'Staging'" in result.stderr and "Production" in result.stderr
    cli("env", "push", "test-site", "-f", str(tmp_path / "missing.env"), code=2)
    cli("env", "pull", "no-such-project", "-f", str(tmp_path / "b.env"), code=4)


@pytest.mark.parametrize("value", list(SECRETS.values()))
def test_dotenv_quoting_round_trips(tmp_path: Path, value: str) -> None:
    from spheron.cli._dotenv import read_env, write_env

    path = tmp_path / "one.env"
    write_env(path, {"NAME": value})
    assert read_env(path) == {"NAME": value}


def _unused(_: Any) -> None:  # keeps the Any import honest for type checkers
    return None
