"""Where the browser tests left their screenshots, said at the end of every run that took some."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from support import browser

    if browser.TAKEN:
        terminalreporter.write_line(f"browser screenshots ({len(browser.TAKEN)}) in {browser.SCREENSHOTS}: "
                                    + ", ".join(p.name for p in browser.TAKEN))
