"""``hdkit export -o PATH`` refuses what is not a regular file, in one line (issue 12, item 8)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hdkit import samples
from hdkit.cli import EXIT_OK, EXIT_TEMPLATE, main


def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "keydesk.xml"
    path.write_text(samples.text("keydesk"), encoding="utf-8")
    return path


def test_export_to_a_symlink_is_refused_in_one_line(tmp_path: Path, capsys) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    link = tmp_path / "out.xml"
    link.symlink_to(target)
    assert main(["export", str(sample_file(tmp_path)), "-o", str(link)]) == EXIT_TEMPLATE
    err = capsys.readouterr().err
    assert err == f"error: cannot write {link}: it is a symbolic link; hdkit only replaces regular files\n"
    assert link.is_symlink() and target.read_text() == "keep me"


def test_export_writes_with_the_umask_mode(tmp_path: Path, capsys) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "out.xml"
        assert main(["export", str(sample_file(tmp_path)), "-o", str(out)]) == EXIT_OK
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
