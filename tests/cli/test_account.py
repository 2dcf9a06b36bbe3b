"""Global options, ``whoami``, ``organizations``, ``login``/``logout`` and the exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from spheron import __version__
from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, FakeSpheron
from tests.cli.conftest import Cli


def test_version_and_help(cli: Cli) -> None:
    assert cli("--version").stdout.startswith(f"spheron {__version__} (API document ")
    listed = cli("--help").stdout
    for command in ("login", "whoami", "organizations", "projects", "deployments", "deploy",
                    "upload", "env", "buckets", "compute", "serve", "completion"):  # fmt: skip
        assert f"  {command} " in listed
    assert "130 interrupted" in listed


def test_global_options_may_follow_the_command(cli: Cli) -> None:
    listed = cli("projects", "list", "--json", "--organization", DEFAULT_ORGANIZATION_ID).json()
    assert listed[0]["name"] == "test-site"
    assert cli("whoami", "--json", "--debug").json()["user"]["username"] == "spheron-test"
    assert cli("whoami", f"--base-url={cli.url}", "--json").json()["baseUrl"] == cli.url


def test_python_dash_m_runs_the_same_command(cli: Cli) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "spheron", "--json", "whoami"],
        env=cli.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["user"]["username"] == "spheron-test"


def test_whoami(cli: Cli) -> None:
    document = cli.json("whoami")
    assert document["user"]["username"] == "spheron-test"
    assert [o["id"] for o in document["organizations"]] == [DEFAULT_ORGANIZATION_ID]
    assert document["tokenSource"] == "SPHERON_TOKEN"
    assert document["baseUrl"] == cli.url
    human = cli("whoami").stdout
    assert "spheron-test" in human and "Test Organization" in human


def test_organizations(cli: Cli) -> None:
    listed = cli.json("organizations", "list")
    assert [(o["id"], o["name"]) for o in listed] == [
        (DEFAULT_ORGANIZATION_ID, "Test Organization")
    ]
    org = cli.json("organizations", "get")
    assert org["_id"] == DEFAULT_ORGANIZATION_ID
    assert org["profile"]["username"] == "test-org"
    assert (
        cli.json("organizations", "get", DEFAULT_ORGANIZATION_ID)["_id"] == DEFAULT_ORGANIZATION_ID
    )
    usage = cli.json("organizations", "usage", "--specialization", "storage")
    assert usage["storageIPFSLimit"] > 0 and "usedStorageIPFS" in usage
    assert "deploymentsPerDayLimit" in cli("organizations", "usage").stdout


def test_bad_token_exits_3_with_the_plain_message(cli: Cli, fake: FakeSpheron) -> None:
    bad = "spheron-not-a-real-token-1234"
    cli.tokens.add(bad)
    result = cli("whoami", code=3, env={"SPHERON_TOKEN": bad})
    assert "authentication failed" in result.stderr
    assert result.stdout == ""
    # --token wins over the environment; an expired token is refused the same way.
    expired = fake.add_token(expired=True)
    cli.tokens.add(expired)
    assert "authentication failed" in cli("--token", expired, "projects", "list", code=3).stderr
    error = cli.json("--token", bad, "whoami", code=3)["error"]
    assert error["exitCode"] == 3 and error["statusCode"] == 403


def test_no_token_at_all_exits_3(cli: Cli) -> None:
    result = cli("whoami", code=3, env={"SPHERON_TOKEN": None})
    assert "no API token" in result.stderr and "spheron login" in result.stderr


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert "No such command" in cli("frobnicate", code=2).stderr
    assert "No such option" in cli("whoami", "--frob", code=2).stderr
    assert "Missing argument" in cli("deployments", "get", code=2).stderr
    assert "Missing option" in cli("upload", ".", code=2).stderr
    assert cli.json("deployments", "get", code=2)["error"]["exitCode"] == 2
    # an id the client refuses before sending anything
    assert "InvalidArgument" in cli.json("deployments", "get", "..", code=2)["error"]["type"]


def test_unknown_ids_exit_4(cli: Cli) -> None:
    assert "404" in cli("deployments", "get", "65a0ffffffffffffffffffff", code=4).stderr
    assert "no project named" in cli("projects", "get", "no-such-site", code=4).stderr
    error = cli.json("organizations", "get", "65a0fffffffffffffffffffe", code=3)["error"]
    assert error["statusCode"] == 403  # another organization: the token is not scoped to it


def test_an_ambiguous_organization_is_a_usage_error(cli: Cli, fake: FakeSpheron) -> None:
    other = fake.add_organization("Second Org")
    token = fake.add_token([DEFAULT_ORGANIZATION_ID, other])
    cli.tokens.add(token)
    result = cli("projects", "list", code=2, env={"SPHERON_TOKEN": token})
    assert "2 organizations" in result.stderr
    listed = cli.json("--organization", other, "projects", "list", env={"SPHERON_TOKEN": token})
    assert listed == []
    env = {"SPHERON_TOKEN": token, "SPHERON_ORGANIZATION": DEFAULT_ORGANIZATION_ID}
    assert cli.json("projects", "list", env=env)[0]["name"] == "test-site"


def test_debug_logs_requests_and_tracebacks_without_the_token(cli: Cli) -> None:
    ok = cli("--debug", "--token", DEFAULT_TOKEN, "whoami", env={"SPHERON_TOKEN": None})
    assert "GET /v1/api-keys/scope" in ok.stderr
    failed = cli("--debug", "deployments", "get", "65a0ffffffffffffffffffff", code=4)
    assert "Traceback" in failed.stderr and "NotFoundError" in failed.stderr
    quiet = cli("deployments", "get", "65a0ffffffffffffffffffff", code=4)
    assert "Traceback" not in quiet.stderr and "GET /v1" in quiet.stderr
    assert quiet.stderr.count("\n") == 1  # one line


def test_login_whoami_logout_with_the_config_file(cli: Cli, tmp_path: os.PathLike[str]) -> None:
    config = os.fspath(tmp_path)
    env = {"SPHERON_TOKEN": None, "SPHERON_CONFIG_DIR": config}
    cli("whoami", code=3, env=env)
    # A wrong token is refused and nothing is stored.
    cli("login", input="spheron-wrong-token-000\n", code=3, env=env)
    assert not os.path.exists(os.path.join(config, "credentials.json"))
    logged = cli.json("login", input=f"{DEFAULT_TOKEN}\n", env=env)
    assert logged["user"]["username"] == "spheron-test"
    path = os.path.join(config, "credentials.json")
    assert logged["storedIn"] == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, encoding="utf-8") as handle:
        assert json.load(handle)["logins"][cli.url]["token"] == DEFAULT_TOKEN
    who = cli.json("whoami", env=env)
    assert who["tokenSource"] == f"file {path}"
    # The stored token belongs to this base URL only.
    other = cli("whoami", code=3, env={**env, "SPHERON_BASE_URL": "http://127.0.0.1:9"})
    assert "no API token for http://127.0.0.1:9" in other.stderr
    assert "Logged out" in cli("logout", env=env).stdout
    assert cli.json("logout", env=env) == {"baseUrl": cli.url, "loggedOut": False}
    cli("whoami", code=3, env=env)


def test_login_with_token_stdin_flag_and_human_output(cli: Cli, tmp_path: os.PathLike[str]) -> None:
    env = {"SPHERON_TOKEN": None, "SPHERON_CONFIG_DIR": os.fspath(tmp_path)}
    out = cli("login", "--token-stdin", input=f"  {DEFAULT_TOKEN}  \n", env=env).stdout
    assert out.startswith(f"Logged in to {cli.url} as spheron-test (1 organization(s))")


def test_completion_scripts_and_the_completion_protocol(cli: Cli) -> None:
    for shell in ("bash", "zsh", "fish"):
        assert "_SPHERON_COMPLETE" in cli("completion", shell).stdout
    cli("completion", "tcsh", code=2)
    assert "_SPHERON_COMPLETE" in cli.json("completion", "fish")["script"]
    proc = subprocess.run(
        [str(cli.script)],
        env={
            **cli.env(),
            "_SPHERON_COMPLETE": "bash_complete",
            "COMP_WORDS": "spheron dep",
            "COMP_CWORD": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    assert "plain,deploy" in proc.stdout and "plain,deployments" in proc.stdout


def test_serve_prints_the_environment_lines(cli: Cli) -> None:
    proc = subprocess.Popen(
        [str(cli.script), "serve", "--port", "0"],
        env=cli.env({"SPHERON_TOKEN": None, "SPHERON_BASE_URL": None}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        second = proc.stdout.readline().strip()
        assert first.startswith("export SPHERON_BASE_URL=http://127.0.0.1:")
        assert second == f"export SPHERON_TOKEN={DEFAULT_TOKEN}"
        served = first.partition("=")[2]
        env = {"SPHERON_BASE_URL": served, "SPHERON_TOKEN": DEFAULT_TOKEN}
        assert cli.json("projects", "list", env=env)[0]["name"] == "test-site"
    finally:
        proc.send_signal(2)  # SIGINT: the normal way to stop it
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped." in err
