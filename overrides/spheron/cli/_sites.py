"""Sites: ``projects``, ``deployments``, ``deploy`` and ``env``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from spheron_api_client.models.deployment import Deployment
from spheron_api_client.models.deployment_environment import DeploymentEnvironment
from spheron_api_client.models.environment_variable import EnvironmentVariable
from spheron_api_client.models.project import Project
from spheron_api_client.models.upload import Upload

from .._sync._wait import poll
from ._app import EXIT_API_ERROR, EXIT_USAGE, AppState, fail, pass_state
from ._dotenv import read_env, write_env
from ._live import live_status, print_upload, upload, upload_document
from ._options import interval_option, progress_option, protocol_option, timeout_option
from ._output import MASK, text
from ._refs import project_id

UPLOAD_DONE = {"Uploaded", "Pinned"}
UPLOAD_FAILED = {"Failed", "Canceled", "TimedOut", "Unpinned"}


def _log_lines(deployment: Deployment) -> list[str]:
    return [entry.log for entry in deployment.logs or [] if isinstance(entry.log, str)]


# -- projects --------------------------------------------------------------------------------


@click.group()
def projects() -> None:
    """Site projects."""


@projects.command("list")
@click.option("--state", "project_state", type=click.Choice(["MAINTAINED", "ARCHIVED"]))
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@pass_state
def projects_list(state: AppState, project_state: str | None, limit: int | None) -> None:
    """The organization's site projects."""
    found = list(state.client().organizations.list_projects(state=project_state, limit=limit))
    state.output.result(
        found,
        lambda: state.output.table(
            ["ID", "NAME", "STATE", "PROVIDER", "URL"],
            [(p.id, p.name, p.state, p.provider, p.url) for p in found],
            empty="no projects",
        ),
    )


@projects.command("get")
@click.argument("project")
@pass_state
def projects_get(state: AppState, project: str) -> None:
    """One project, by id or name."""
    found = state.client().projects.get(project_id(state, project))

    def human() -> None:
        latest = found.latest_deployment
        state.output.fields(
            [
                ("id", found.id),
                ("name", found.name),
                ("state", found.state),
                ("repository", found.url),
                ("provider", found.provider),
                (
                    "environments",
                    ", ".join(text(e.name) for e in found.deployment_environments or []),
                ),
                ("variables", len(found.environment_variables or [])),
                ("domains", ", ".join(text(d.name) for d in found.domains or [])),
                ("latest deployment", "" if latest is None else latest.id),
                ("latest status", "" if latest is None else latest.status),
                ("created", found.created_at),
            ]
        )

    state.output.result(found, human)


# -- deployments -----------------------------------------------------------------------------


@click.group()
def deployments() -> None:
    """Site deployments."""


@deployments.command("list")
@click.option("--project", "-p", "project", required=True, help="Project id or name.")
@click.option("--status", default=None, help="Only deployments with this status.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@pass_state
def deployments_list(state: AppState, project: str, status: str | None, limit: int) -> None:
    """A project's deployments, newest first."""
    pid = project_id(state, project)
    found = list(state.client().projects.list_deployments(pid, status=status, limit=limit))
    state.output.result(
        found,
        lambda: state.output.table(
            ["ID", "STATUS", "BRANCH", "ENVIRONMENT", "CREATED", "PREVIEW"],
            [
                (
                    d.id,
                    d.status,
                    d.branch,
                    d.deployment_environment_name,
                    d.created_at,
                    d.site_preview,
                )
                for d in found
            ],
            empty="no deployments",
        ),
    )


@deployments.command("get")
@click.argument("deployment_id")
@pass_state
def deployments_get(state: AppState, deployment_id: str) -> None:
    """One deployment."""
    found = state.client().deployments.get(deployment_id)

    def human() -> None:
        project = found.project
        state.output.fields(
            [
                ("id", found.id),
                ("status", found.status),
                ("project", project if isinstance(project, str) else getattr(project, "name", "")),
                ("branch", found.branch),
                ("commit", found.commit_id),
                ("environment", found.deployment_environment_name),
                ("protocol", found.protocol),
                ("preview", found.site_preview),
                ("failure", found.failed_message),
                ("created", found.created_at),
            ]
        )

    state.output.result(found, human)


@deployments.command("logs")
@click.argument("deployment_id")
@click.option("--follow", "-f", is_flag=True, help="Keep printing until the deployment ends.")
@interval_option
@pass_state
def deployments_logs(
    state: AppState, deployment_id: str, follow: bool, poll_interval: float
) -> None:
    """A deployment's build log."""
    client = state.client()
    found = client.deployments.get(deployment_id)
    printed = _log_lines(found)
    for line in printed:
        state.output.line(line)
    if follow:
        from .._sync.resources.deployments import FAILED_STATUSES

        final = {"Deployed", *(s.value for s in FAILED_STATUSES)}
        while text(found.status) not in final:
            time.sleep(poll_interval)
            found = client.deployments.get(deployment_id)
            lines = _log_lines(found)
            for line in lines[len(printed) :]:
                state.output.line(line)
            printed = lines
    state.output.result({"deploymentId": deployment_id, "status": found.status, "logs": printed})


def _wait(state: AppState, deployment_id: str, timeout: float, poll_interval: float) -> Any:
    from .. import DeploymentFailedError

    client = state.client()
    with live_status(state, f"deployment {deployment_id}") as on_update:
        try:
            return client.deployments.wait(
                deployment_id, timeout=timeout, poll_interval=poll_interval, on_update=on_update
            )
        except DeploymentFailedError as exc:
            for line in exc.logs[-20:]:
                state.output.note(f"  | {line}")
            raise


@deployments.command("wait")
@click.argument("deployment_id")
@timeout_option
@interval_option
@pass_state
def deployments_wait(
    state: AppState, deployment_id: str, timeout: float, poll_interval: float
) -> None:
    """Follow a deployment's status until it ends; exit 1 if it did not deploy."""
    found = _wait(state, deployment_id, timeout, poll_interval)
    state.output.result(
        found,
        lambda: state.output.line(f"{found.id} {text(found.status)} {text(found.site_preview)}"),
    )


@deployments.command("cancel")
@click.argument("deployment_id")
@pass_state
def deployments_cancel(state: AppState, deployment_id: str) -> None:
    """Stop a running deployment."""
    answer = state.client().deployments.cancel(deployment_id)
    state.output.result(answer, lambda: state.output.line(text(answer.message) or "canceled"))


@deployments.command("redeploy")
@click.argument("deployment_id")
@click.option("--wait", "wait_", is_flag=True, help="Wait for the new deployment to end.")
@timeout_option
@interval_option
@pass_state
def deployments_redeploy(
    state: AppState, deployment_id: str, wait_: bool, timeout: float, poll_interval: float
) -> None:
    """Run a deployment again with the same settings."""
    started = state.client().deployments.redeploy(deployment_id)
    new_id = text(started.deployment_id)
    if not wait_:
        state.output.result(started, lambda: state.output.line(f"started deployment {new_id}"))
        return
    state.output.note(f"started deployment {new_id}")
    found = _wait(state, new_id, timeout, poll_interval)
    state.output.result(
        found,
        lambda: state.output.line(f"{new_id} {text(found.status)} {text(found.site_preview)}"),
    )


# -- deploy ----------------------------------------------------------------------------------


def _wait_upload(state: AppState, upload_id: str, timeout: float, poll_interval: float) -> Any:
    client = state.client()

    def classify(found: Upload) -> tuple[str | None, bool, Any]:
        status = found.status.value
        if status in UPLOAD_DONE:
            return status, True, "succeeded"
        if status in UPLOAD_FAILED:
            return status, True, "failed"
        return status, True, "pending"

    with live_status(state, f"upload {upload_id}") as on_update:
        found, verdict = poll(
            # Each poll gets at most the time the wait has left.
            lambda seconds: client.with_options(total_timeout=seconds).storage.uploads.get(
                upload_id
            ),
            classify,
            resource_id=upload_id,
            kind="upload",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
        )
    if verdict == "failed":
        fail(f"upload {upload_id} ended with status {text(found.status)}", EXIT_API_ERROR)
    return found


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--project", "-p", required=True, help="Project (bucket) name to deploy into.")
@protocol_option
@click.option("--wait", "wait_", is_flag=True, help="Wait until the upload is committed.")
@progress_option
@timeout_option
@interval_option
@pass_state
def deploy(
    state: AppState,
    directory: Path,
    project: str,
    protocol: str,
    wait_: bool,
    progress: bool | None,
    timeout: float,
    poll_interval: float,
) -> None:
    """Deploy a built folder (the upload deployment CI actions run) and print its link.

    The folder goes to the storage bucket named after the project with the chunked upload
    (POST /v1/upload/initiate, the successor of the deprecated /v1/upload-deployment).
    """
    result = upload(state, directory, bucket=project, protocol=protocol.lower(), progress=progress)
    status = None
    if wait_:
        status = text(_wait_upload(state, result.upload_id, timeout, poll_interval).status)
    document = {"project": project, **upload_document(result), "status": status}
    headline = f"Deployed {directory} to {project}: {result.protocol_link}"
    print_upload(state, document, result, result.dynamic_links, headline=headline)


# -- env -------------------------------------------------------------------------------------


@click.group()
def env() -> None:
    """A project's build environment variables as a .env file."""


def _environments(project: Project) -> list[DeploymentEnvironment]:
    return list(project.deployment_environments or [])


def _pick_environments(project: Any, names: tuple[str, ...]) -> list[Any]:
    available = _environments(project)
    if not names:
        return available
    picked = []
    for name in names:
        match = [e for e in available if name in (e.id, e.name)]
        if not match:
            known = ", ".join(text(e.name) for e in available) or "none"
            fail(f"project has no environment {name!r} (it has: {known})", EXIT_USAGE)
        picked.extend(match)
    return picked


def _variable_environment_ids(variable: EnvironmentVariable) -> set[str]:
    return {e.id for e in variable.deployment_environments or []}


@env.command("pull")
@click.argument("project")
@click.option("--environment", "-e", "environment", help="Environment name or id (default: all).")
@click.option(
    "--file",
    "-f",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".env"),
    show_default=True,
)
@click.option("--show-secrets", is_flag=True, help="Show values on screen and in --json.")
@pass_state
def env_pull(
    state: AppState, project: str, environment: str | None, path: Path, show_secrets: bool
) -> None:
    """Write a project's variables to a .env file (mode 0600); values stay masked on screen."""
    client = state.client()
    found = client.projects.get(project_id(state, project))
    wanted = {str(e.id) for e in _pick_environments(found, (environment,) if environment else ())}
    values: dict[str, str] = {}
    for variable in found.environment_variables or []:
        ids = _variable_environment_ids(variable)
        if environment and not ids & wanted:
            continue
        name, value = text(variable.name), text(variable.value)
        if name in values and values[name] != value:
            fail(
                f"variable {name} has different values in different environments; "
                "pick one with --environment",
                EXIT_USAGE,
            )
        values[name] = value
    write_env(
        path,
        values,
        header=f"spheron env pull {found.name}"
        + (f" --environment {environment}" if environment else ""),
    )
    shown = {k: (v if show_secrets else MASK) for k, v in values.items()}
    document = {"project": found.id, "file": str(path), "variables": shown}
    if not show_secrets:
        state.output.note("(values masked; --show-secrets prints them)")

    def human() -> None:
        state.output.line(f"Wrote {len(values)} variable(s) to {path}")
        state.output.table(["NAME", "VALUE"], sorted(shown.items()), empty="no variables")

    state.output.result(document, human)


@env.command("push")
@click.argument("project")
@click.option(
    "--file",
    "-f",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path(".env"),
    show_default=True,
)
@click.option(
    "--environment",
    "-e",
    "environments",
    multiple=True,
    help="Environment name or id; repeatable (default: all of the project's).",
)
@click.option("--prune", is_flag=True, help="Also delete variables the file does not have.")
@pass_state
def env_push(
    state: AppState, project: str, path: Path, environments: tuple[str, ...], prune: bool
) -> None:
    """Set a project's variables from a .env file (added, or updated where they differ)."""
    client = state.client()
    pid = project_id(state, project)
    found = client.projects.get(pid)
    targets = _pick_environments(found, environments)
    if not targets:
        fail("the project has no deployment environment to set variables for", EXIT_USAGE)
    target_ids = [str(e.id) for e in targets]
    wanted = read_env(path)
    existing = [
        v
        for v in found.environment_variables or []
        if _variable_environment_ids(v) & set(target_ids)
    ]
    by_name = {text(v.name): v for v in existing}
    added, updated, unchanged, deleted = [], [], [], []
    to_add: dict[str, str] = {}
    for name, value in wanted.items():
        current = by_name.get(name)
        if current is None:
            to_add[name] = value
            added.append(name)
        elif text(current.value) == value and _variable_environment_ids(current) >= set(target_ids):
            unchanged.append(name)
        else:
            ids = sorted(_variable_environment_ids(current) | set(target_ids))
            client.projects.env_vars.update(
                pid, str(current.id), name=name, value=value, environments=ids
            )
            updated.append(name)
    if to_add:
        client.projects.env_vars.create(pid, to_add, environments=target_ids)
    if prune:
        for name, variable in by_name.items():
            if name not in wanted:
                client.projects.env_vars.delete(pid, str(variable.id))
                deleted.append(name)
    document = {
        "project": pid,
        "environments": [text(e.name) for e in targets],
        "added": added,
        "updated": updated,
        "unchanged": unchanged,
        "deleted": deleted,
    }

    def human() -> None:
        state.output.line(
            f"{len(added)} added, {len(updated)} updated, {len(unchanged)} unchanged, "
            f"{len(deleted)} deleted ({', '.join(text(e.name) for e in targets)})"
        )
        rows = [(n, "added") for n in added] + [(n, "updated") for n in updated]
        rows += [(n, "deleted") for n in deleted]
        if rows:
            state.output.table(["NAME", "CHANGE"], rows)

    state.output.result(document, human)


def register(group: click.Group) -> None:
    for command in (projects, deployments, deploy, env):
        group.add_command(command)
