"""hdkit.fileio: the two rules every file hdkit reads or writes for a user follows."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hdkit.fileio import read_limited, write_atomic


class Refused(Exception):
    pass


def _read(path: Path, limit: int = 8) -> bytes:
    return read_limited(path, limit, "test file", Refused, lambda: Refused("too big"))


def test_a_regular_file_within_its_limit_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"12345678")
    assert _read(tmp_path / "f") == b"12345678"


def test_one_byte_over_the_limit_is_refused_with_the_callers_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"123456789")
    with pytest.raises(Refused, match="too big"):
        _read(tmp_path / "f")


@pytest.mark.parametrize("make, words", [
    pytest.param(lambda p: os.mkfifo(p), "it is a named pipe, not a file", id="fifo-nobody-writes"),
    pytest.param(lambda p: p.mkdir(), "it is a directory, not a file", id="directory"),
    pytest.param(lambda p: None, "cannot read test file: No such file or directory", id="missing"),
])
def test_anything_but_a_regular_file_is_refused_unread_and_without_blocking(tmp_path: Path, make, words) -> None:
    path = tmp_path / "thing"
    make(path)
    with pytest.raises(Refused, match=words):
        _read(path)


def test_a_device_is_refused_before_a_byte_is_read() -> None:
    with pytest.raises(Refused, match="it is a character device"):
        _read(Path("/dev/zero"))


def test_a_new_file_gets_the_umask_mode_and_a_replaced_one_keeps_its_own(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new", b"a")
        (tmp_path / "old").write_bytes(b"x")
        (tmp_path / "old").chmod(0o604)
        write_atomic(tmp_path / "old", b"b")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "old").stat().st_mode) == 0o604 and (tmp_path / "old").read_bytes() == b"b"


def test_a_mode_given_wins_over_the_file_it_replaces(tmp_path: Path) -> None:
    (tmp_path / "tokens.json").write_bytes(b"{}")
    (tmp_path / "tokens.json").chmod(0o644)
    write_atomic(tmp_path / "tokens.json", b"{1}", mode=0o600)
    assert stat.S_IMODE((tmp_path / "tokens.json").stat().st_mode) == 0o600


def test_a_link_or_a_folder_is_never_replaced_and_no_temporary_file_stays(tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"keep me")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    (tmp_path / "folder").mkdir()
    with pytest.raises(OSError, match="it is a symbolic link; hdkit only replaces regular files"):
        write_atomic(tmp_path / "link", b"new")
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        write_atomic(tmp_path / "folder", b"new")
    assert (tmp_path / "target").read_bytes() == b"keep me" and (tmp_path / "link").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "link", "target"]
