"""The user's files: read only what is a regular file and small, replace only regular files.

Every file hdkit opens on a user's behalf (a template, its logo, a token file, an inputs file)
or writes (an export, the template library, a token file) follows the same two rules, so they
live here once: a named pipe, a device or ``/dev/zero`` must never hang or fill memory, and a
write must never replace a symbolic link or a device node (``-o /dev/null`` as root would
replace the system's node).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["kind", "read_limited", "write_atomic"]

_KINDS = {
    stat.S_IFLNK: "a symbolic link", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory",
}


def kind(mode: int) -> str:
    """What a file of ``mode`` is, in words (``"a named pipe"``)."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_limited(path: Path, limit: int, what: str, fail: Callable[[str], Exception],
                 too_big: Callable[[], Exception]) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else and anything over ``limit``.

    The file is opened without blocking (a named pipe nobody writes would hang ``open``) and
    checked to be a regular file before a byte is read; then at most ``limit + 1`` bytes are
    read, so ``/dev/zero`` or a 1 GB file costs nothing. ``fail`` makes the caller's error from
    a message (``cannot read token file: it is a directory, not a file``); ``too_big`` makes
    the one for a file over ``limit`` (a logo over its limit is a LimitError, say).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise fail(f"cannot read {what}: {err.strerror}") from err
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise fail(f"cannot read {what}: it is {kind(mode)}, not a file")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as err:
        raise fail(f"cannot read {what}: {err.strerror}") from err
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise too_big()
    return data


def write_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so a reader never
    sees half a file and a failed write leaves the old one.

    Only a regular file (or nothing) is replaced; anything else is refused with an
    :class:`OSError` that says what ``path`` is. The file gets ``mode`` when given (a token
    file: 0600), else keeps the mode of the file it replaces, else gets the mode a new file
    gets under the umask (``0o666 & ~umask``); never the temporary file's 0600 by accident.
    """
    try:
        existing = path.lstat()
    except FileNotFoundError:
        kept = 0o666 & ~_umask()
    else:
        if not stat.S_ISREG(existing.st_mode):
            code = errno.EISDIR if stat.S_ISDIR(existing.st_mode) else errno.EEXIST
            raise OSError(code, f"it is {kind(existing.st_mode)}; hdkit only replaces regular files", str(path))
        kept = stat.S_IMODE(existing.st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, kept if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
