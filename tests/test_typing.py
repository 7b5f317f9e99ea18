"""The type checker passes on hdkit/: a wrong type is found here before a user finds it.

mypy is configured in pyproject.toml ([tool.mypy]: the files, and the third-party packages
that ship no types, each named). This runs it as the command line does and shows what it found.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_error_in_hdkit() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found in ")
