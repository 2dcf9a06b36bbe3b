"""``login``, ``logout``, ``whoami`` and ``organizations``."""

from __future__ import annotations

import sys
from typing import Any

import click

from .._constants import TOKEN_ENV
from ._app import EXIT_USAGE, AppState, fail, pass_state
from ._auth_store import AuthStore
from ._output import text


def _scope_document(state: AppState, scope: Any) -> dict[str, Any]:
    document: dict[str, Any] = scope.to_dict()
    document["baseUrl"] = state.base_url
    document["tokenSource"] = state.token_source
    return document


def _show_scope(state: AppState, scope: Any) -> None:
    out = state.output
    user = scope.user
    orgs = [] if isinstance(scope.organizations, type(None)) else scope.organizations or []
    name = text(getattr(user, "username", "")) or text(getattr(user, "id", ""))
    out.fields(
        [
            ("user", name),
            ("email", getattr(user, "email", "")),
            ("api", state.base_url),
            ("token from", state.token_source),
        ]
    )
    out.table(
        ["ORGANIZATION", "NAME", "USERNAME", "TYPE"],
        [(o.id, o.name, o.username, o.app_type) for o in orgs],
        empty="the token reaches no organization",
    )


@click.command()
@click.option("--token-stdin", is_flag=True, help="Read the token from stdin (for scripts).")
@click.option("--no-keyring", is_flag=True, help="Store the token in the config file.")
@pass_state
def login(state: AppState, token_stdin: bool, no_keyring: bool) -> None:
    """Check a token against the API and store it for this base URL.

    The token is read from a hidden prompt, or from stdin when it is piped or with
    --token-stdin (or taken from --token). It is stored in the system keyring when one is
    available, else in the config directory's credentials.json (mode 0600).
    """
    from .. import Spheron

    token = state._token_option
    if not token:
        if token_stdin or not sys.stdin.isatty():
            token = sys.stdin.readline().strip()
        else:
            token = click.prompt("Spheron API token", hide_input=True, err=True).strip()
    if not token:
        fail("no token given", EXIT_USAGE)
    state.output.add_secret(token)
    with Spheron(token=token, base_url=state.base_url) as client:
        scope = client.token_scope()
    where = AuthStore().save(state.base_url, token, use_keyring=not no_keyring)
    state.token_source = "keyring" if where == "keyring" else f"file {where}"
    user = scope.user
    name = text(getattr(user, "username", "")) or text(getattr(user, "id", ""))
    orgs = scope.organizations or []
    document = {**_scope_document(state, scope), "storedIn": where}
    state.output.result(
        document,
        lambda: state.output.line(
            f"Logged in to {state.base_url} as {name} ({len(orgs)} organization(s)); "
            f"token stored in {where}."
        ),
    )


@click.command()
@pass_state
def logout(state: AppState) -> None:
    """Forget the stored token for this base URL."""
    removed = AuthStore().delete(state.base_url)
    state.output.result(
        {"baseUrl": state.base_url, "loggedOut": removed},
        lambda: state.output.line(
            f"Logged out of {state.base_url}."
            if removed
            else f"No stored login for {state.base_url}."
        ),
    )


@click.command()
@pass_state
def whoami(state: AppState) -> None:
    """The token's user and the organizations it reaches."""
    scope = state.client().token_scope()
    state.output.result(_scope_document(state, scope), lambda: _show_scope(state, scope))


@click.group()
def organizations() -> None:
    """Organizations the token reaches."""


@organizations.command("list")
@pass_state
def organizations_list(state: AppState) -> None:
    """Organizations of the token's scope."""
    scope = state.client().token_scope()
    orgs = scope.organizations or []
    state.output.result(
        orgs,
        lambda: state.output.table(
            ["ID", "NAME", "USERNAME", "TYPE"],
            [(o.id, o.name, o.username, o.app_type) for o in orgs],
            empty="the token reaches no organization",
        ),
    )


@organizations.command("get")
@click.argument("organization_id", required=False)
@pass_state
def organizations_get(state: AppState, organization_id: str | None) -> None:
    """One organization (default: --organization, else the token's only one)."""
    org = state.client().organizations.get(organization_id)
    profile = org.profile

    def human() -> None:
        state.output.fields(
            [
                ("id", org.id),
                ("name", getattr(profile, "name", "")),
                ("username", getattr(profile, "username", "")),
                ("type", org.app_type),
                ("members", len(org.users or [])),
                ("overdue", org.overdue),
                ("created", org.created_at),
            ]
        )

    state.output.result(org, human)


@organizations.command("usage")
@click.argument("organization_id", required=False)
@click.option(
    "--specialization",
    default="wa-global",
    show_default=True,
    help="Product line: wa-global (sites), storage or c-akash (compute).",
)
@pass_state
def organizations_usage(state: AppState, organization_id: str | None, specialization: str) -> None:
    """Plan usage and limits."""
    usage = state.client().organizations.usage(organization_id, specialization=specialization)
    document = usage.to_dict()
    state.output.result(
        document,
        lambda: state.output.table(
            ["COUNTER", "VALUE"],
            sorted(document.items()),
            empty="the API reported no counters",
        ),
    )


def register(group: click.Group) -> None:
    for command in (login, logout, whoami, organizations):
        group.add_command(command)


__all__ = ["TOKEN_ENV", "register"]
