"""What commands print: one JSON document with ``--json``, Rich tables and lines otherwise.

Results go to stdout; notes, progress and live status go to stderr, so ``--json`` output and
piped output stay clean. Every string printed passes :meth:`Output.redact`, which blanks the
token in case some message ever carried it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table

from spheron_api_client.types import Unset

MASK = "********"
REDACTED = "***"


def _width(stream: Any) -> int | None:
    """Rich wraps at 80 columns off a terminal; piped tables get room instead."""
    if os.environ.get("COLUMNS"):
        return None
    isatty = getattr(stream, "isatty", None)
    return None if isatty is not None and isatty() else 200


def plain(value: object) -> Any:
    """A JSON-ready copy of ``value`` (generated models through ``to_dict()``)."""
    if isinstance(value, Unset) or value is None:
        return None
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def text(value: object) -> str:
    """A table cell: empty for missing values, enum values as their string."""
    if isinstance(value, Unset) or value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Output:
    """Printing for one command run."""

    def __init__(self, *, json_mode: bool, secrets: Sequence[str] = ()) -> None:
        self.json_mode = json_mode
        self._secrets = [s for s in secrets if s]
        self.out = Console(file=sys.stdout, width=_width(sys.stdout), highlight=False)
        self.err = Console(file=sys.stderr, width=_width(sys.stderr), highlight=False)
        self._emitted = False

    def add_secret(self, value: str | None) -> None:
        if value and value not in self._secrets:
            self._secrets.append(value)

    def redact(self, message: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            message = message.replace(secret, REDACTED)
        return message

    @property
    def emitted(self) -> bool:
        """Whether the JSON document was printed."""
        return self._emitted

    @property
    def stdout_is_tty(self) -> bool:
        return sys.stdout.isatty()

    # -- results (stdout) ------------------------------------------------------------------

    def result(self, document: object, human: Callable[[], None] | None = None) -> None:
        """The command's result: ``document`` as JSON with ``--json``, else ``human()``."""
        if self.json_mode:
            if self._emitted:
                raise RuntimeError("a command emitted two JSON documents")
            self._emitted = True
            rendered = json.dumps(plain(document), indent=2, ensure_ascii=False, default=str)
            sys.stdout.write(self.redact(rendered) + "\n")
            sys.stdout.flush()
        elif human is not None:
            human()

    def line(self, message: str = "") -> None:
        """A plain result line on stdout (not in JSON mode)."""
        if not self.json_mode:
            self.out.print(self.redact(message), markup=False, soft_wrap=True)

    def table(
        self,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        title: str | None = None,
        empty: str = "nothing to show",
    ) -> None:
        rows = list(rows)
        if not rows:
            self.note(empty)
            return
        table = Table(
            title=title, box=box.SIMPLE_HEAD, show_edge=False, header_style="bold", pad_edge=False
        )
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(self.redact(text(cell)) for cell in row))
        self._print(table)

    def fields(self, pairs: Iterable[tuple[str, object]]) -> None:
        """``key  value`` lines for one object."""
        table = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for key, value in pairs:
            table.add_row(key, self.redact(text(value)))
        self._print(table)

    def _print(self, renderable: RenderableType) -> None:
        """Print without the padding Rich leaves at the end of table lines."""
        with self.out.capture() as captured:
            self.out.print(renderable)
        for line in captured.get().splitlines():
            sys.stdout.write(line.rstrip() + "\n")
        sys.stdout.flush()

    # -- notes (stderr) --------------------------------------------------------------------

    def note(self, message: str) -> None:
        """Information for the person at the terminal, on stderr."""
        self.err.print(self.redact(message), markup=False, soft_wrap=True)

    def error(self, message: str) -> None:
        self.err.print(f"spheron: error: {self.redact(message)}", markup=False, soft_wrap=True)
