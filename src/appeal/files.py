"""Writing files all or nothing: every file of a set is in place, or none is.

Every command that writes files (drafts, sheets, the mail-merge, the action page, importers,
``init``) goes through :func:`write_file_set`. The files are first written in full into a hidden
staging folder next to where they go (on the same disk, so they can be renamed into place), and
only then moved into place, with Ctrl-C and SIGTERM held back while they move. So:

- a full disk, an error or an interruption while writing leaves neither part of the set nor any
  hidden temporary file: the staging folder is removed;
- replacing files (``force``) keeps the old files until every new one is written; if a move fails
  part-way, the files already moved are put back;
- a folder that does not exist yet appears in one rename, with everything in it.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

from appeal.errors import OutputError
from appeal.records import WINDOWS_DEVICE_NAMES

#: What a file holds: text (written as UTF-8), bytes, or a function that streams into the file.
Content = str | bytes | Callable[[BinaryIO], None]

#: Signals held back while staged files move into place, so that a set is never half-moved.
_HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name)
)


def write_file_set(
    folder: Path,
    files: Mapping[str, Content],
    *,
    force: bool = False,
    empty_folder: bool = False,
) -> list[Path]:
    """Write ``files`` (relative name → content) into ``folder``, all of them or none.

    An existing file (or link) is replaced only with ``force``; ``empty_folder`` refuses a folder
    that already holds anything. Raises OutputError naming the place; on any error or
    interruption nothing new is left behind and replaced files keep their old content.
    """
    targets = {name: folder.joinpath(*_parts(name)) for name in files}
    try:
        existing = _check_targets(folder, targets, force, empty_folder)
        made_parents = _make_parents(folder.parent)
    except OSError as exc:
        raise _output_error(exc, folder) from None
    new_folder = not folder.exists()
    staging: Path | None = None
    try:
        staging = _staging_folder(folder, new_folder)
        for name, content in files.items():
            _write_one(staging.joinpath(*_parts(name)), content)
        with hold_signals():
            if new_folder:
                os.chmod(staging, 0o777 & ~_current_umask())
                os.rename(staging, folder)
                staging = None
            else:
                _move_into_place(staging, targets, existing)
    except BaseException as exc:
        with hold_signals():
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            for made in reversed(made_parents):
                with contextlib.suppress(OSError):
                    made.rmdir()
        if isinstance(exc, OSError):
            raise _output_error(exc, folder, staging) from None
        raise
    if staging is not None:
        with hold_signals():
            shutil.rmtree(staging, ignore_errors=True)
    return list(targets.values())


def _staging_folder(folder: Path, new_folder: bool) -> Path:
    """A new hidden folder inside ``folder``, or beside it when it does not exist yet."""
    try:
        return Path(
            tempfile.mkdtemp(
                prefix=f".{folder.name or 'appeal'}.",
                suffix=".tmp",
                dir=folder.parent if new_folder else folder,
            )
        )
    except OSError as exc:  # name the user's folder, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(folder)) from None


def check_file(target: Path, *, force: bool = False) -> None:
    """Refuse early (before slow work) what :func:`write_file` would refuse for ``target``."""
    _parts(target.name)
    try:
        _check_targets(target.parent, {target.name: target}, force, empty_folder=False)
    except OSError as exc:
        raise _output_error(exc, target.parent) from None


def write_file(target: Path, content: Content, *, force: bool = False) -> Path:
    """Write one file all or nothing (see :func:`write_file_set`)."""
    (written,) = write_file_set(target.parent, {target.name: content}, force=force)
    return written


#: Content of one kind, so that write_built returns what was built with its own type.
C = TypeVar("C", bound=Content)


def write_built(target: Path, build: Callable[[], C], *, force: bool = False) -> C:
    """Refuse what :func:`write_file` would refuse for ``target`` first (an existing file
    without ``force``, a folder, a device name), then build the content, which may be slow, and
    write it all or nothing. Returns the content written."""
    check_file(target, force=force)
    content = build()
    write_file(target, content, force=force)
    return content


@contextlib.contextmanager
def hold_signals() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM inside the block; they take effect as it ends."""
    if not hasattr(signal, "pthread_sigmask") or not _HELD_SIGNALS:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _parts(name: str) -> list[str]:
    parts = name.split("/")
    for part in parts:
        if not part or part.startswith(".") or "\\" in part or "\0" in part:
            raise OutputError(f"{name}: not a plain file name")
        if part.split(".")[0].lower() in WINDOWS_DEVICE_NAMES:
            raise OutputError(f"{name}: names a device on Windows; not used as a file name")
    return parts


def _check_targets(
    folder: Path, targets: Mapping[str, Path], force: bool, empty_folder: bool
) -> set[Path]:
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise OutputError(f"{folder}: exists and is not a folder")
        if empty_folder and any(folder.iterdir()):
            raise OutputError(f"{folder}: exists and is not an empty folder")
    for target in targets.values():
        if target.is_dir():
            raise OutputError(f"{target}: is a folder; choose another output folder")
    existing = {t for t in targets.values() if os.path.lexists(t)}
    if existing and not force:
        first = sorted(existing)[0]
        if len(targets) == 1:
            raise OutputError(f"{first}: already exists", code="exists")
        raise OutputError(
            f"{first}: already exists ({len(existing)} of {len(targets)} files would be replaced)",
            code="exist",
        )
    return existing


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    made = []
    try:
        for candidate in reversed(missing):
            candidate.mkdir()
            made.append(candidate)
    except OSError:
        for candidate in reversed(made):
            with contextlib.suppress(OSError):
                candidate.rmdir()
        raise
    return made


class _FileDescriptorWriter(io.RawIOBase):
    """A raw stream over a file descriptor whose writes go through ``os.write``."""

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        if self.descriptor < 0:  # the file was given up and closed: nothing more reaches it
            return memoryview(data).nbytes
        return os.write(self.descriptor, data)


def _write_one(path: Path, content: Content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    raw = _FileDescriptorWriter(descriptor)
    try:
        stream = io.BufferedWriter(raw)
        if callable(content):
            content(stream)
        else:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        stream.flush()
    finally:
        raw.descriptor = -1
        os.close(descriptor)


def _move_into_place(staging: Path, targets: Mapping[str, Path], existing: set[Path]) -> None:
    """Rename each staged file over its target; on failure put back what was there before."""
    old = staging / ".replaced"
    moved: list[tuple[Path, Path | None]] = []
    try:
        for index, (name, target) in enumerate(targets.items()):
            target.parent.mkdir(parents=True, exist_ok=True)
            kept: Path | None = None
            if target in existing:
                old.mkdir(exist_ok=True)
                kept = old / str(index)
                os.rename(target, kept)
            moved.append((target, kept))
            os.rename(staging.joinpath(*_parts(name)), target)
    except OSError:
        for target, kept in reversed(moved):
            with contextlib.suppress(OSError):
                if kept is None or os.path.lexists(target):
                    target.unlink()
                if kept is not None:
                    os.rename(kept, target)
        raise


def _output_error(exc: OSError, folder: Path, staging: Path | None = None) -> OutputError:
    """A one-line OutputError naming the user's path (never the staging folder's)."""
    where = Path(os.fsdecode(exc.filename)) if exc.filename else folder
    if staging is not None:
        with contextlib.suppress(ValueError):
            where = folder / where.relative_to(staging)
    return OutputError(f"{where}: cannot write ({exc.strerror or exc})")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
