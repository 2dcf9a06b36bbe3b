"""The root command: global options, the client, and exit codes for every failure class.

Exit codes: 0 success; 1 API error (the typed error's one-line message); 2 usage error;
3 authentication failed (401/403, or no token at all); 4 not found; 5 timed out waiting;
130 interrupted. No traceback unless ``--debug``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from .. import InvalidArgumentError, __api_version__, __version__
from .._constants import BASE_URL_ENV, DEFAULT_BASE_URL, TOKEN_ENV
from .._errors import (
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    SpheronConfigError,
    SpheronError,
)
from .._wait import DeploymentFailedError, InstanceFailedError, WaitTimeoutError
from ._auth_store import AuthStore, normalize_url
from ._output import Output

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_TIMEOUT = 5
EXIT_INTERRUPTED = 130

ORGANIZATION_ENV = "SPHERON_ORGANIZATION"
PROG = "spheron"
COMPLETE_VAR = "_SPHERON_COMPLETE"


class CliError(click.ClickException):
    """A failure the CLI itself detects, with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_API_ERROR) -> None:
        super().__init__(message)
        self.code = exit_code


class NoTokenError(CliError):
    def __init__(self, base_url: str) -> None:
        super().__init__(
            f"no API token for {base_url}: pass --token, set {TOKEN_ENV}, or run `spheron login`",
            EXIT_AUTH,
        )


class AppState:
    """Global options and the lazily created client, shared by every command."""

    def __init__(
        self,
        *,
        token: str | None,
        base_url: str | None,
        organization: str | None,
        json_mode: bool,
        debug: bool,
    ) -> None:
        self._token_option = token
        self._base_url_option = base_url
        self.organization = organization or os.environ.get(ORGANIZATION_ENV) or None
        self.json_mode = json_mode
        self.debug = debug
        self.output = Output(json_mode=json_mode)
        self.output.add_secret(token)
        self.output.add_secret(os.environ.get(TOKEN_ENV))
        self._client: Any = None
        self.token_source = ""

    @property
    def base_url(self) -> str:
        return normalize_url(
            self._base_url_option or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        )

    def resolve_token(self) -> str:
        """``--token``, else ``SPHERON_TOKEN``, else the stored login for this base URL."""
        if self._token_option:
            self.token_source = "--token"
            return self._token_option.strip()
        env = os.environ.get(TOKEN_ENV, "").strip()
        if env:
            self.token_source = TOKEN_ENV
            return env
        stored = AuthStore().load(self.base_url)
        if stored is None:
            raise NoTokenError(self.base_url)
        self.output.add_secret(stored.token)
        self.token_source = "keyring" if stored.where == "keyring" else f"file {stored.where}"
        return stored.token

    def client(self) -> Any:
        """The :class:`spheron.Spheron` client (created on first use, closed at exit)."""
        if self._client is None:
            from .. import Spheron

            token = self.resolve_token()
            self._client = Spheron(
                token=token, base_url=self.base_url, organization_id=self.organization
            )
            click.get_current_context().call_on_close(self._client.close)
        return self._client


pass_state = click.make_pass_decorator(AppState)
_current: AppState | None = None
"""The state of the command being run (for the error document after its context is gone)."""


def _debug_logging(output: Output) -> None:
    class Redact(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.msg = output.redact(record.getMessage())
            record.args = ()
            return True

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    handler.addFilter(Redact())
    logger = logging.getLogger("spheron")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)


@click.group(
    name=PROG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--token",
    metavar="TOKEN",
    help=f"API token (default: ${TOKEN_ENV}, then the stored login for the base URL).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help=f"API base URL (default: ${BASE_URL_ENV}, then {DEFAULT_BASE_URL}).",
)
@click.option(
    "--organization",
    "-o",
    metavar="ID",
    help=f"Organization to act on (default: ${ORGANIZATION_ENV}, then the token's only one).",
)
@click.option("--json", "json_mode", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--debug", is_flag=True, help="Request logs and tracebacks on stderr.")
@click.version_option(
    __version__,
    "--version",
    "-V",
    prog_name=PROG,
    message=f"%(prog)s %(version)s (API document {__api_version__})",
)
@click.pass_context
def cli(ctx: click.Context, /, **options: Any) -> None:
    """Spheron from the terminal and CI: sites, storage and compute.

    The options above may also follow the command (spheron projects list --json).

    \b
    Exit codes: 0 ok, 1 API error, 2 usage error, 3 authentication failed,
    4 not found, 5 timed out waiting, 130 interrupted.
    """
    state = AppState(**options)  # the options above, typed by AppState's parameters
    ctx.obj = state
    global _current
    _current = state
    if state.debug:
        _debug_logging(state.output)


def _register() -> None:
    from . import _account, _compute, _sites, _storage, _tools

    for module in (_account, _sites, _storage, _compute, _tools):
        module.register(cli)


# -- running and exit codes -----------------------------------------------------------------


def _exit_code(exc: BaseException) -> int:
    if isinstance(exc, (AuthenticationError, PermissionDeniedError)):
        return EXIT_AUTH
    if isinstance(exc, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(exc, WaitTimeoutError):
        return EXIT_TIMEOUT
    if isinstance(exc, InvalidArgumentError):
        return EXIT_USAGE
    if isinstance(exc, SpheronConfigError):
        return EXIT_AUTH if str(exc).startswith(_TOKEN_PROBLEMS) else EXIT_USAGE
    return EXIT_API_ERROR


# How the client's configuration errors about the token begin (see spheron._config).
_TOKEN_PROBLEMS = ("No Spheron API token", "The Spheron API token")


def _message(exc: BaseException) -> str:
    if isinstance(exc, SpheronConfigError) and "organization" in str(exc):
        first = str(exc).splitlines()[0]
        return f"{first} With the CLI: pass --organization ID or set {ORGANIZATION_ENV}."
    if isinstance(exc, (DeploymentFailedError, InstanceFailedError)):
        return str(exc)  # names the resource and its status
    if isinstance(exc, APIStatusError):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _state() -> AppState | None:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(AppState) if ctx is not None else None
    return obj if isinstance(obj, AppState) else None


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The console script ``spheron``."""
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    global _current
    _current = None
    try:
        return _run(argv)
    finally:
        _current = None


_GLOBAL_FLAGS = frozenset({"--json", "--debug"})
_GLOBAL_VALUES = frozenset({"--token", "--base-url", "--organization", "-o"})


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Move global options given after the command in front of it.

    ``spheron projects list --json`` then means ``spheron --json projects list``. Nothing after
    a ``--`` moves.
    """
    front: list[str] = []
    rest: list[str] = []
    items = list(args)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            rest.extend(items[i:])
            break
        joined = arg.startswith("--") and arg.partition("=")[0] in _GLOBAL_VALUES and "=" in arg
        if arg in _GLOBAL_FLAGS or joined:
            front.append(arg)
        elif arg in _GLOBAL_VALUES and i + 1 < len(items):
            front.extend(items[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def _run(argv: Sequence[str] | None) -> int:
    args = hoist_global_options(sys.argv[1:] if argv is None else argv)
    fallback = Output(json_mode=False, secrets=_secrets_in(args))
    debug = "--debug" in args
    try:
        result = cli.main(
            args=args, prog_name=PROG, complete_var=COMPLETE_VAR, standalone_mode=False
        )
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt) or isinstance(
            exc.__context__, KeyboardInterrupt
        ):
            return _interrupted(fallback, exc)
        fallback.error("aborted")
        return _error_document(exc, "aborted", EXIT_API_ERROR)
    except KeyboardInterrupt as exc:
        return _interrupted(fallback, exc)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except CliError as exc:
        _report(fallback, exc, exc.format_message(), debug)
        return _error_document(exc, exc.format_message(), exc.code)
    except click.ClickException as exc:
        # Usage errors: Click's own text (with the "Try --help" hint), exit 2.
        exc.show()
        return _error_document(exc, exc.format_message(), exc.exit_code)
    except SpheronError as exc:
        _report(fallback, exc, _message(exc), debug)
        return _error_document(exc, _message(exc), _exit_code(exc))
    except Exception as exc:
        # A local failure (a file that cannot be read, a bad value...), or a bug: one line,
        # the traceback only with --debug.
        message = f"{type(exc).__name__}: {_message(exc)}"
        _report(fallback, exc, message, debug)
        return _error_document(exc, message, EXIT_API_ERROR)
    return result if isinstance(result, int) else EXIT_OK


def _interrupted(output: Output, exc: BaseException) -> int:
    output.note("spheron: interrupted")
    return _error_document(exc, "interrupted", EXIT_INTERRUPTED)


def _error_document(exc: BaseException, message: str, code: int) -> int:
    """With --json, a failed command still prints one JSON document: ``{"error": {...}}``."""
    state = _current
    if state is None or not state.json_mode or state.output.emitted:
        return code
    error: dict[str, Any] = {"message": message, "exitCode": code, "type": type(exc).__name__}
    if isinstance(exc, APIStatusError):
        error["statusCode"] = exc.status_code
        error["requestId"] = exc.request_id
    for attribute, key in (
        ("status", "status"),
        ("last_status", "lastStatus"),
        ("deployment_id", "deploymentId"),
        ("instance_id", "instanceId"),
        ("resource_id", "resourceId"),
        ("upload_id", "uploadId"),
    ):
        value = getattr(exc, attribute, None)
        if isinstance(value, str):
            error[key] = value
    with contextlib.suppress(OSError):  # stdout already closed (e.g. a pipe to `head`)
        state.output.result({"error": error})
    return code


def _report(output: Output, exc: BaseException, message: str, debug: bool) -> None:
    if debug:
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        output.err.print(output.redact(trace), markup=False, soft_wrap=True, end="")
    output.error(message)


def _secrets_in(args: list[str]) -> list[str]:
    found = [os.environ.get(TOKEN_ENV, "")]
    for i, arg in enumerate(args):
        if arg == "--token" and i + 1 < len(args):
            found.append(args[i + 1])
        elif arg.startswith("--token="):
            found.append(arg.partition("=")[2])
    found.extend(AuthStore().file_tokens())
    return [f for f in found if f]


def fail(message: str, exit_code: int = EXIT_API_ERROR) -> NoReturn:
    raise CliError(message, exit_code)


_register()
