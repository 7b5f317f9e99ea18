"""The README is the front door: its commands and its Python example must stay true."""

from __future__ import annotations

import re
from pathlib import Path

import support

ROOT = support.ROOT
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    first = _blocks("sh")[0]
    commands = [line for line in first.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[0].endswith(".venv/bin/hdkit workbench")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_readme_python_example_runs(capsys):
    (example,) = _blocks("python")
    exec(compile(example, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "empty_page" in out and "2500" in out  # the users sync and why it stopped
    assert "<Information" in out  # the XML export
    assert "fd-demo-api-key" not in out  # the API key input never shows
