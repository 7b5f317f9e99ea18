"""``save`` writes atomically, replaces only regular files, and keeps the umask's mode (issue 12, item 8).

A device node is refused by the same rule as the named pipe here (anything but a regular file);
no test points save() at /dev/null, which a regression would replace when run as root.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hdkit import samples
from hdkit.yeastar_xml import save, to_xml

TEMPLATE = samples.load("keydesk")


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path: Path, umask_027: None) -> None:
    out = tmp_path / "t.xml"
    save(TEMPLATE, out)
    assert mode(out) == 0o640 and out.read_text(encoding="utf-8") == to_xml(TEMPLATE)
    assert [p.name for p in tmp_path.iterdir()] == ["t.xml"]  # no temporary file left


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "t.xml"
    out.write_text("old")
    out.chmod(0o604)
    save(TEMPLATE, out)
    assert mode(out) == 0o604 and out.read_text(encoding="utf-8") == to_xml(TEMPLATE)


def _symlink(tmp_path: Path) -> Path:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "out.xml"
    link.symlink_to(target)
    return link


def _fifo(tmp_path: Path) -> Path:
    fifo = tmp_path / "out.xml"
    os.mkfifo(fifo)
    return fifo


@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(_symlink, "a symbolic link", id="symlink"),
        pytest.param(_fifo, "a named pipe", id="fifo"),
        pytest.param(lambda p: (p / "out.xml").mkdir() or p / "out.xml", "a directory", id="directory"),
    ],
)
def test_anything_but_a_regular_file_is_refused_and_left_alone(tmp_path: Path, make, what: str) -> None:
    path = make(tmp_path)
    before = os.lstat(path)
    with pytest.raises(OSError) as caught:
        save(TEMPLATE, path)
    assert caught.value.strerror == f"it is {what}; hdkit only replaces regular files"
    assert caught.value.filename == str(path)
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if what == "a symbolic link":
        assert (tmp_path / "precious.txt").read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
