"""``serve`` (the embedded Spheron-compatible server) and ``completion``."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

import click
from click.shell_completion import get_completion_class

from .._constants import BASE_URL_ENV, TOKEN_ENV
from ._app import COMPLETE_VAR, EXIT_USAGE, PROG, AppState, fail, pass_state
from ._options import number_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Default: a free port.")
@number_option(
    "--clock-speed",
    minimum=0,
    default=60.0,
    help="Fake seconds per real second (1 is real time, 0 freezes deployments).",
)
@number_option(
    "--clock-step",
    minimum=0,
    default=60.0,
    help="Fake seconds added by every request (a wait sees a deployment end at once).",
)
@pass_state
def serve(state: AppState, host: str, port: int, clock_speed: float, clock_step: float) -> None:
    """Run the embedded Spheron-compatible server (spheron.testing) until Ctrl+C.

    Prints `export SPHERON_BASE_URL=...` and `export SPHERON_TOKEN=...` lines; eval them to
    point this CLI, or any client, at the server. Needs the 'testing' extra.
    """
    try:
        from ..testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, Clock, FakeSpheron
        from ..testing._fake import is_loopback
    except ImportError:
        fail(
            "spheron serve needs the 'testing' extra: "
            "pip install 'spheron-api-client[cli,testing]'",
            EXIT_USAGE,
        )
    if not is_loopback(host):
        state.output.note(
            f"WARNING: serving on {host}, reachable from other machines, with the fixed public "
            "token printed below: anyone who reaches this port can use it."
        )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    clock = Clock(speed=clock_speed, step=clock_step)
    with FakeSpheron(clock=clock) as fake, fake.serve(host, port) as url:

        def human() -> None:
            click.echo(f"export {BASE_URL_ENV}={url}")
            click.echo(f"export {TOKEN_ENV}={DEFAULT_TOKEN}")

        state.output.result(
            {"baseUrl": url, "token": DEFAULT_TOKEN, "organizationId": DEFAULT_ORGANIZATION_ID},
            human,
        )
        sys.stdout.flush()
        state.output.note(
            f"Embedded Spheron API on {url} (organization {DEFAULT_ORGANIZATION_ID}); "
            "Ctrl+C stops it."
        )
        while not stop.wait(0.2):
            pass
    state.output.note("stopped.")


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script.

    \b
    bash:  eval "$(spheron completion bash)"   (or add it to ~/.bashrc)
    zsh:   eval "$(spheron completion zsh)"
    fish:  spheron completion fish > ~/.config/fish/completions/spheron.fish
    """
    cls = get_completion_class(shell)
    if cls is None:  # pragma: no cover - the choice above guards it
        fail(f"unsupported shell {shell}", EXIT_USAGE)
    root = ctx.find_root().command
    script = cls(root, {}, PROG, COMPLETE_VAR).source()
    state = ctx.find_object(AppState)
    if state is not None and state.json_mode:
        state.output.result({"shell": shell, "script": script})
    else:
        click.echo(script)


def register(group: click.Group) -> None:
    group.add_command(serve)
    group.add_command(completion)
