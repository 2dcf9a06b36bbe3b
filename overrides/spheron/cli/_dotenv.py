"""Reading and writing ``.env`` files so that every value survives a round trip.

Reading uses python-dotenv without interpolation (``$VAR`` stays as written). Writing quotes
each value: single quotes (literal in dotenv) when the value has no ``'``, backslash or newline;
otherwise double quotes with ``\\``, ``"`` and newline escaped, which python-dotenv decodes back.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

from .._exceptions import SpheronError


class EnvFileError(SpheronError, ValueError):
    """A variable that cannot be written to a ``.env`` file as it is."""


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def read_env(path: Path) -> dict[str, str]:
    values = dotenv_values(path, interpolate=False, encoding="utf-8")
    out: dict[str, str] = {}
    for name, value in values.items():
        out[name] = "" if value is None else value
    return out


def quote(value: str) -> str:
    if "'" not in value and "\n" not in value and "\\" not in value and "\r" not in value:
        return f"'{value}'"
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def render_env(variables: Mapping[str, str], *, header: str = "") -> str:
    lines = [f"# {line}" for line in header.splitlines()]
    for name, value in variables.items():
        if not _NAME.match(name):
            raise EnvFileError(f"{name!r} cannot be written as a .env variable name")
        lines.append(f"{name}={quote(value)}")
    return "\n".join(lines) + "\n"


def write_env(path: Path, variables: Mapping[str, str], *, header: str = "") -> None:
    """Write the file readable by its owner only (it holds secrets)."""
    content = render_env(variables, header=header)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
