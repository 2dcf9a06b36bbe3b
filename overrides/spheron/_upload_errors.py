"""Errors raised by ``storage.upload``: one module, shared by the sync and async engines."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass

from spheron_api_client.errors import InvalidArgumentError, SpheronError

__all__ = [
    "EntryProblem",
    "UploadEntryError",
    "UploadFailedError",
    "UploadFileChangedError",
    "UploadPathNotFoundError",
]

# How many problems an error message lists; ``.problems`` always holds all of them.
_LISTED = 50


class UploadFailedError(SpheronError):
    """The upload was not committed: the server answered ``finish`` with ``success: false``,
    or (subclasses) the engine refused to commit it."""

    def __init__(self, message: str, *, upload_id: str) -> None:
        super().__init__(message)
        self.upload_id = upload_id


class UploadFileChangedError(UploadFailedError):
    """A file changed (content, size, mtime, inode), vanished or became unreadable while it was
    being uploaded. The upload was cancelled on the server; ``finish(UPLOAD)`` was never sent,
    so no mix of old and new bytes is committed. ``upload_id`` is the cancelled upload."""

    def __init__(self, message: str, *, path: str, name: str, upload_id: str = "") -> None:
        super().__init__(message, upload_id=upload_id)
        self.path = path
        self.name = name


class UploadPathNotFoundError(SpheronError, FileNotFoundError):
    """The path given to ``storage.upload`` does not exist (also a ``FileNotFoundError``)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        text = os.fspath(path)
        super().__init__(errno.ENOENT, f"nothing to upload: no such file or directory {text!r}")
        self.filename = text

    def __str__(self) -> str:
        return str(self.strerror)


@dataclass(frozen=True)
class EntryProblem:
    """One entry that cannot be uploaded: its path relative to the uploaded folder (or the
    path given, for a single file) and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name!r}: {self.reason}"


class UploadEntryError(InvalidArgumentError):
    """Entries that cannot be uploaded, found before anything is sent; all of them in one error.

    Broken or looping symlinks, symlinks leading out of the folder (unless
    ``follow_symlinks=True``), FIFOs, sockets and devices, unreadable files and folders, and names
    the server would not receive exactly (see the README, "Uploads"). ``problems`` lists every
    one; the message lists the first 50. Also a ``ValueError``.
    """

    def __init__(self, root: str, problems: list[EntryProblem]) -> None:
        self.root = root
        self.problems = tuple(problems)
        lines = [f"  {problem}" for problem in self.problems[:_LISTED]]
        if len(self.problems) > _LISTED:
            lines.append(f"  ... and {len(self.problems) - _LISTED} more")
        count = len(self.problems)
        noun = "entry" if count == 1 else "entries"
        super().__init__(
            f"nothing was uploaded: {count} {noun} under {root!r} cannot be uploaded\n"
            + "\n".join(lines)
        )
