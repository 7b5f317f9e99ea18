"""A terminal for CLI tests: a stderr the test can read while the CLI writes (optionally a TTY),
and a stdin played by a person who reads the consent URL there and answers."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable


class Terminal(io.StringIO):
    """stderr (or stdout) that says whether it is a terminal, safe to write from several threads."""

    def __init__(self, tty: bool = False) -> None:
        super().__init__()
        self.tty = tty
        self._lock = threading.Lock()

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        with self._lock:
            return super().write(text)

    def lines(self) -> list[str]:
        with self._lock:
            return self.getvalue().splitlines()


class User(io.StringIO):
    """stdin: each ``readline`` finds the consent URL the CLI printed and answers ``answers[i](url)``.

    An answer is the text typed (a newline is added); ``""`` closes stdin (end of file).
    """

    def __init__(self, screen: Terminal, *answers: Callable[[str], str]) -> None:
        super().__init__()
        self.screen = screen
        self.answers = list(answers)
        self.read: list[str] = []

    def consent_url(self) -> str:
        return next(line.strip() for line in self.screen.lines() if line.startswith("  http"))

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if not self.answers:
            return ""
        typed = self.answers.pop(0)(self.consent_url())
        self.read.append(typed)
        return typed + "\n" if typed else ""
