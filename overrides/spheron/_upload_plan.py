"""What to upload and how: scan, check names, snapshot files, bound the server's settings, plan.

Everything here is mode-independent (no threads, no asyncio); the sync and async engines in
``_upload`` call it at a few clearly marked places:

- :func:`collect_files` walks the path *before anything is sent*: every entry that cannot be
  uploaded (broken/looping symlinks, links out of the folder, FIFOs, sockets, devices,
  unreadable files and folders, names the server would not receive exactly) is reported in one
  :class:`UploadEntryError`; each file's size, mtime, ctime and inode are recorded.
- :func:`read_part` reads a slice of a file between two ``fstat`` checks against that snapshot,
  so a file that changes, grows, shrinks or is replaced raises :class:`UploadFileChangedError`
  instead of sending a torn mix; :func:`verify_unchanged` checks every file once more before
  ``finish``.
- :func:`session_settings` clamps ``payloadSize`` and ``parallelUploadCount`` to sane bounds
  and to the connection pool.
- :func:`plan_parts` returns a lazy :class:`PartPlan`: its memory grows with the number of
  files, never with the number of parts.
"""

from __future__ import annotations

import bisect
import logging
import math
import os
import re
import stat
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from spheron_api_client.errors import InvalidArgumentError
from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse

from ._logs import logger
from ._upload_errors import (
    EntryProblem,
    UploadEntryError,
    UploadFileChangedError,
    UploadPathNotFoundError,
)

__all__ = [
    "MAX_BYTES_IN_FLIGHT",
    "MAX_FILES_PER_REQUEST",
    "MAX_PARALLEL",
    "MAX_PART_SIZE",
    "MIN_PART_SIZE",
    "ChunkPart",
    "FilesPart",
    "LocalFile",
    "Part",
    "PartPlan",
    "Snapshot",
    "collect_files",
    "name_problem",
    "plan_parts",
    "read_part",
    "session_settings",
    "set_upload_id",
    "verify_unchanged",
]

KIB = 1024
MIB = 1024 * KIB

MIN_PART_SIZE = 64 * KIB
"""A smaller ``payloadSize`` from the server is raised to this (``payloadSize=1`` would mean one
request per byte)."""
MAX_PART_SIZE = 64 * MIB
"""A larger ``payloadSize`` is lowered to this: each part in flight is held in memory."""
MAX_PARALLEL = 16
"""At most this many parts in flight, whatever ``parallelUploadCount`` says."""
MAX_BYTES_IN_FLIGHT = 256 * MIB
"""Parallelism is lowered so that ``parallel * part size`` stays within this."""
MAX_FILES_PER_REQUEST = 1000
"""A request of whole small files carries at most this many files (empty files weigh 0 bytes)."""


# -- files and snapshots ----------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What a file looked like when it was scanned; any difference means it changed."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> Snapshot:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def differences(self, now: Snapshot) -> str:
        """What changed, in words (empty when nothing did)."""
        changed = []
        if (now.device, now.inode) != (self.device, self.inode):
            changed.append("it was replaced by another file")
        if now.size != self.size:
            verb = "grew" if now.size > self.size else "shrank"
            changed.append(f"it {verb} from {self.size} to {now.size} bytes")
        if now.mtime_ns != self.mtime_ns or now.ctime_ns != self.ctime_ns:
            changed.append("it was modified")
        return "; ".join(changed)


@dataclass(frozen=True)
class LocalFile:
    """A file to upload: where it is, the name it gets (POSIX, relative) and its size.

    ``snapshot`` is recorded by :func:`collect_files`; without one (hand-built files) only the
    length of each read is checked.
    """

    path: Path
    name: str
    size: int
    snapshot: Snapshot | None = None


def _changed(file: LocalFile, why: str) -> UploadFileChangedError:
    return UploadFileChangedError(
        f"{file.name!r} changed during the upload ({why}); the upload was cancelled and nothing "
        "was committed. Upload again once the file is stable.",
        path=str(file.path),
        name=file.name,
    )


def _check(file: LocalFile, st: os.stat_result) -> None:
    if file.snapshot is None:
        return
    why = file.snapshot.differences(Snapshot.of(st))
    if why:
        raise _changed(file, why)


def read_part(file: LocalFile, offset: int, size: int) -> bytes:
    """``size`` bytes of ``file`` at ``offset``, read between two checks against its snapshot.

    Raises :class:`UploadFileChangedError` if the file differs from its snapshot before or
    after the read, vanished, became unreadable, or yields fewer bytes than planned.
    """
    try:
        fd = os.open(file.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _changed(file, f"it can no longer be opened: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        _check(file, os.fstat(fd))
        handle.seek(offset)
        data = handle.read(size)
        _check(file, os.fstat(fd))
    if len(data) != size:
        raise _changed(file, f"expected {size} bytes at offset {offset}, read {len(data)}")
    return data


def verify_unchanged(files: Sequence[LocalFile]) -> None:
    """Check every file against its snapshot once more (before ``finish`` commits them)."""
    for file in files:
        try:
            st = os.stat(file.path)
        except OSError as exc:
            raise _changed(file, f"it is gone: {exc.strerror or exc}") from exc
        _check(file, st)


def set_upload_id(error: BaseException, upload_id: str) -> None:
    """Tell an :class:`UploadFileChangedError` raised by a worker which upload it cancelled."""
    if isinstance(error, UploadFileChangedError) and not error.upload_id:
        error.upload_id = upload_id
        error.args = (f"{error.args[0]} (upload {upload_id})", *error.args[1:])


# -- names ------------------------------------------------------------------------------------

# httpx (0.27 and 0.28 alike) writes a multipart filename as ``filename="..."`` after replacing
# '"' by %22, '\' by '\\' and every control character but ESC by %XX. So `a"b` and `a%22b` leave
# the client as the same bytes, and a server that undoes the escaping turns a real `a%22b` into
# `a"b`. A name is sent only if it contains none of the rewritten characters and none of their
# escapes: then its UTF-8 bytes are exactly what goes on the wire, under either reading.
_ESCAPE = re.compile(r"%(22|[01][0-9A-Fa-f])")


def name_problem(name: str) -> str | None:
    """Why the server would not receive ``name`` exactly (``None`` when it would)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the name is not valid UTF-8 (undecodable bytes in the file system name)"
    controls = sorted({f"U+{ord(c):04X}" for c in name if unicodedata.category(c) == "Cc"})
    if controls:
        return f"the name contains control characters ({', '.join(controls)})"
    if '"' in name:
        return "the name contains '\"', which the multipart encoder rewrites as %22"
    if "\\" in name:
        return "the name contains '\\', which the multipart encoder doubles and servers read as /"
    escape = _ESCAPE.search(name)
    if escape:
        return (
            f"the name contains {escape.group(0)!r}, which is how the multipart encoder writes "
            f"{chr(int(escape.group(1), 16))!r}: the server could not tell the two apart"
        )
    return None


def _name_problems(files: Sequence[LocalFile]) -> list[EntryProblem]:
    problems = []
    seen: dict[str, str] = {}
    for file in files:
        why = name_problem(file.name)
        if why is not None:
            problems.append(EntryProblem(file.name, why))
            continue
        normal = unicodedata.normalize("NFC", file.name)
        other = seen.setdefault(normal, file.name)
        if other != file.name:
            problems.append(
                EntryProblem(file.name, f"differs from {other!r} only in Unicode normalization")
            )
    return problems


# -- scanning ---------------------------------------------------------------------------------

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _kind(mode: int) -> str:
    return next((label for test, label in _KINDS if test(mode)), "not a regular file")


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _readable(path: str) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    os.close(fd)
    return None


class _Scan:
    def __init__(self, root: Path, real_root: str, follow_symlinks: bool) -> None:
        self.root = root
        self.real_root = real_root
        self.follow = follow_symlinks
        self.files: list[LocalFile] = []
        self.problems: list[EntryProblem] = []
        self.empty: list[str] = []

    def walk(self, directory: str, prefix: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self.problems.append(
                EntryProblem(prefix.rstrip("/") or ".", f"folder cannot be read: {exc.strerror}")
            )
            return
        if not entries and prefix:
            self.empty.append(prefix.rstrip("/"))
        folders = []  # a folder's files come before its subfolders (as os.walk lists them)
        for entry in entries:
            folder = self.entry(entry, prefix + entry.name, ancestors)
            if folder is not None:
                folders.append((entry.path, prefix + entry.name + "/", folder))
        for path, name, key in folders:
            self.walk(path, name, ancestors | {key})

    def entry(
        self, entry: os.DirEntry[str], name: str, ancestors: frozenset[tuple[int, int]]
    ) -> tuple[int, int] | None:
        """Record a file or a problem; a folder to walk is returned (its device and inode)."""
        try:
            if entry.is_symlink():
                st = self.link(entry, name)
                if st is None:
                    return None
            else:
                st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            self.problems.append(EntryProblem(name, f"cannot be inspected: {exc.strerror}"))
            return None
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                self.problems.append(
                    EntryProblem(name, "symlink loop: leads back to a folder that contains it")
                )
                return None
            return key
        if stat.S_ISREG(st.st_mode):
            problem = _readable(entry.path)
            if problem is None:
                self.files.append(LocalFile(Path(entry.path), name, st.st_size, Snapshot.of(st)))
            else:
                self.problems.append(EntryProblem(name, problem))
        else:
            self.problems.append(EntryProblem(name, f"{_kind(st.st_mode)}, not a file"))
        return None

    def link(self, entry: os.DirEntry[str], name: str) -> os.stat_result | None:
        target = os.readlink(entry.path)
        try:
            st = os.stat(entry.path)
        except FileNotFoundError:
            self.problems.append(EntryProblem(name, f"broken symlink to {target!r}"))
            return None
        except OSError as exc:
            self.problems.append(EntryProblem(name, f"symlink to {target!r}: {exc.strerror}"))
            return None
        if not self.follow and not _inside(os.path.realpath(entry.path), self.real_root):
            self.problems.append(
                EntryProblem(
                    name,
                    f"symlink to {target!r}, outside the uploaded folder (not followed; "
                    "pass follow_symlinks=True to upload what it points to)",
                )
            )
            return None
        return st


def collect_files(
    path: str | os.PathLike[str], *, follow_symlinks: bool = False
) -> list[LocalFile]:
    """The files under ``path`` (or ``path`` itself), sorted, with names relative to it.

    Nothing is sent yet; every entry that cannot be uploaded is reported together in one
    :class:`UploadEntryError`. ``path`` itself may be a symlink (it is what you named).
    Symlinks below it are followed when their target is inside ``path``; others only with
    ``follow_symlinks=True`` (files and folders alike); loops are always reported. Empty
    folders cannot be represented by the API: they are skipped and logged at INFO.
    """
    root = Path(path)
    try:
        st = os.stat(root)
    except FileNotFoundError:
        raise UploadPathNotFoundError(path) from None
    except OSError as exc:
        raise UploadEntryError(str(root), [EntryProblem(str(root), str(exc.strerror))]) from None
    if stat.S_ISREG(st.st_mode):
        problem = _readable(str(root))
        problems = [] if problem is None else [EntryProblem(root.name, problem)]
        files = [LocalFile(root, root.name, st.st_size, Snapshot.of(st))]
        problems += _name_problems(files)
        if problems:
            raise UploadEntryError(str(root), problems)
        return files
    if not stat.S_ISDIR(st.st_mode):
        reason = f"{_kind(st.st_mode)}, not a file or folder"
        raise UploadEntryError(str(root), [EntryProblem(str(root), reason)])
    scan = _Scan(root, os.path.realpath(root), follow_symlinks)
    scan.walk(str(root), "", frozenset({(st.st_dev, st.st_ino)}))
    problems = scan.problems + _name_problems(scan.files)
    if problems:
        raise UploadEntryError(str(root), problems)
    if scan.empty:
        listed = ", ".join(repr(name) for name in scan.empty[:20])
        more = f" and {len(scan.empty) - 20} more" if len(scan.empty) > 20 else ""
        logger.info(
            "upload of %r skips %d empty folder(s), which the API cannot store: %s%s",
            str(root),
            len(scan.empty),
            listed,
            more,
        )
    if not scan.files:
        raise InvalidArgumentError(f"nothing to upload: directory {str(root)!r} holds no files")
    return scan.files


# -- server settings --------------------------------------------------------------------------


def _bounded(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def session_settings(
    opened: InitiateUploadResponse, *, max_connections: int | None = None
) -> tuple[str, int, int]:
    """``(upload_id, part_size, parallel)`` from ``initiate``'s answer, within bounds.

    The part size is ``payloadSize`` clamped to [:data:`MIN_PART_SIZE`, :data:`MAX_PART_SIZE`];
    parallelism is ``parallelUploadCount`` clamped to at least 1 and at most
    :data:`MAX_PARALLEL`, the pool's ``max_connections`` and
    ``MAX_BYTES_IN_FLIGHT // part_size``. (Non-integer values never get here: the response
    model rejects them with ``ResponseValidationError``.) A clamped value is logged: at WARNING
    when the server's value is unusable (below 1), at INFO when it is only brought within bounds.
    """
    offered_size, offered_parallel = opened.payload_size, opened.parallel_upload_count
    part_size = _bounded(offered_size, MIN_PART_SIZE, MAX_PART_SIZE)
    ceiling = min(MAX_PARALLEL, max(1, MAX_BYTES_IN_FLIGHT // part_size))
    if max_connections is not None:
        ceiling = min(ceiling, max(1, max_connections))
    parallel = _bounded(offered_parallel, 1, ceiling)
    if (part_size, parallel) != (offered_size, offered_parallel):
        unusable = offered_size < 1 or offered_parallel < 1
        logger.log(
            logging.WARNING if unusable else logging.INFO,
            "upload %s: the server offered payloadSize=%d, parallelUploadCount=%d; using %d "
            "and %d (bounds: part size %d..%d bytes, at most %d parts in flight)",
            opened.upload_id,
            offered_size,
            offered_parallel,
            part_size,
            parallel,
            MIN_PART_SIZE,
            MAX_PART_SIZE,
            ceiling,
        )
    return opened.upload_id, part_size, parallel


# -- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilesPart:
    """Whole files sent in one request, each as a part named ``files``."""

    files: tuple[LocalFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class ChunkPart:
    """One slice of a large file, sent as the part ``chunk-{index}-{total}``."""

    file: LocalFile
    index: int
    total: int
    offset: int
    size: int

    @property
    def field_name(self) -> str:
        return f"chunk-{self.index}-{self.total}"


Part = FilesPart | ChunkPart


@dataclass(frozen=True)
class _Sliced:
    """A large file, sliced into ``total`` parts of ``part_size`` bytes (the last shorter)."""

    file: LocalFile
    total: int


class PartPlan(Sequence[Part]):
    """The requests of an upload, computed on demand.

    Holds one entry per batch of small files and one per large file, so ``payloadSize=1`` on a
    huge file costs no memory; ``len()`` and indexing are arithmetic. Iterators are safe to
    share between threads: workers can pull parts from one ``iter(plan)``.
    """

    def __init__(self, groups: list[FilesPart | _Sliced], part_size: int) -> None:
        self._groups = groups
        self._part_size = part_size
        self._starts: list[int] = []
        count = 0
        for group in groups:
            self._starts.append(count)
            count += group.total if isinstance(group, _Sliced) else 1
        self._count = count
        self.total_bytes = sum(
            g.file.size if isinstance(g, _Sliced) else g.size for g in self._groups
        )

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Part: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Part]: ...
    def __getitem__(self, index: int | slice) -> Part | Sequence[Part]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("part index out of range")
        at = bisect.bisect_right(self._starts, index) - 1
        group = self._groups[at]
        if isinstance(group, FilesPart):
            return group
        return self._chunk(group, index - self._starts[at])

    def _chunk(self, group: _Sliced, index: int) -> ChunkPart:
        offset = index * self._part_size
        size = min(self._part_size, group.file.size - offset)
        return ChunkPart(group.file, index, group.total, offset, size)

    def _parts(self) -> Iterator[Part]:
        for group in self._groups:
            if isinstance(group, FilesPart):
                yield group
            else:
                for index in range(group.total):
                    yield self._chunk(group, index)

    def __iter__(self) -> Iterator[Part]:
        return _SharedIterator(self._parts())


class _SharedIterator(Iterator[Part]):
    """An iterator several threads can pull from (a bare generator would raise)."""

    def __init__(self, parts: Iterator[Part]) -> None:
        self._parts = parts
        self._lock = threading.Lock()

    def __next__(self) -> Part:
        with self._lock:
            return next(self._parts)


def plan_parts(files: Sequence[LocalFile], payload_size: int) -> PartPlan:
    """Group small files into requests of at most ``payload_size`` bytes (and at most
    :data:`MAX_FILES_PER_REQUEST` files); slice large ones. Lazy: see :class:`PartPlan`."""
    if payload_size < 1:
        raise InvalidArgumentError(f"payload_size must be positive, got {payload_size}")
    groups: list[FilesPart | _Sliced] = []
    batch: list[LocalFile] = []
    batch_size = 0
    for file in files:
        if file.size > payload_size:
            groups.append(_Sliced(file, math.ceil(file.size / payload_size)))
            continue
        if batch and (batch_size + file.size > payload_size or len(batch) >= MAX_FILES_PER_REQUEST):
            groups.append(FilesPart(tuple(batch)))
            batch, batch_size = [], 0
        batch.append(file)
        batch_size += file.size
    if batch:
        groups.append(FilesPart(tuple(batch)))
    return PartPlan(groups, payload_size)
