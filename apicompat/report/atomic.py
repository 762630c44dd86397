"""Atomic file writes: a reader sees the old file or the new one, never a part of either."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from apicompat.records import ApicompatError


class WriteError(ApicompatError, OSError):
    """A file could not be written (disk full, read-only, no permission); what was there is intact."""


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text to path via a temp file in the same directory, fsync and os.replace.

    Raises WriteError (an OSError the CLI shows as one line) when the file system refuses.
    """
    path = Path(path)
    try:
        _write_atomic(path, text)
    except OSError as exc:
        raise WriteError(
            f"cannot write {path}: {exc.strerror or exc} (it, and every file written before it, is intact)"
        ) from exc


def check_writable_dir(directory: Path) -> None:
    """Create `directory` if needed and prove a file can be written there; WriteError if not.

    Run before any case: a read-only or full output directory is refused at once, not
    after an hour of measuring.
    """
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, no permission
        raise WriteError(f"cannot create the output directory {directory}: {exc.strerror or exc}") from exc
    try:
        probe = _create_temp(directory / "apicompat-write-check", 0o666)
        try:
            fd = os.open(probe, os.O_WRONLY)
            try:
                _write_all(fd, b"apicompat")
            finally:
                os.close(fd)
        finally:
            os.unlink(probe)
    except OSError as exc:
        raise WriteError(
            f"cannot write into the output directory {directory}: {exc.strerror or exc} "
            "(choose a writable directory with --out)"
        ) from exc


def _write_atomic(path: Path, text: str) -> None:
    data = text.encode("utf-8")  # bytes: no newline translation, identical on every OS
    mode = _mode_for(path)
    tmp = _create_temp(path, mode)
    try:
        fd = os.open(tmp, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        # Whatever failed (disk full, interrupt), the target is untouched and no temp file is left.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; new files get 0o666 less the umask (os.open applies it)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return 0o666


def _create_temp(path: Path, mode: int) -> Path:
    """An exclusive, hidden temp file next to path, so os.replace stays on one file system."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        os.close(fd)
        if mode != 0o666:
            os.chmod(tmp, mode)  # an existing file's mode, exactly, not filtered by the umask
        return tmp
    raise FileExistsError(f"could not create a temporary file next to {path}")


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; directories cannot be opened for fsync on Windows."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
