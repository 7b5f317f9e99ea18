"""Where the browser tests left their screenshots, and any front-end race they retried, said at the end."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from support import browser

    if browser.TAKEN:
        terminalreporter.write_line(f"browser screenshots ({len(browser.TAKEN)}) in {browser.SCREENSHOTS}: "
                                    + ", ".join(p.name for p in browser.TAKEN))
    for line in browser.RETRIED:
        terminalreporter.write_line(f"browser retry: {line}")
