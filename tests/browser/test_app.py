"""``hdkit app`` in headless Chromium at 1024 px, as a person who never sees code uses it.

The test starts the real command (``python -m hdkit.cli app --no-browser``, port chosen by the
app and read from the URL it prints), waits for the page and its kernel, checks that every
widget view rendered, that nothing is wider than the window, that the raw views are
monospace, clicks Sync users and Search contact and checks the tables against what the engine
maps from the same sandbox data, and that no error reached the page or its kernel connection.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from support import browser

from hdkit.ui.app import APP_CLASS

WIDTH = 1024


def _printed_url(output: str) -> str | None:
    match = re.search(r"hdkit app: (http://127\.0\.0\.1:\d+/)", output)
    return match.group(1) if match else None


@pytest.fixture
def app(tmp_path: Path) -> Any:
    """The app served from ``tmp_path`` (its working folder) and a page on it; both stopped after."""
    env = browser.jupyter_env(tmp_path / "jupyter")
    command = [sys.executable, "-m", "hdkit.cli", "app", "--no-browser"]
    with browser.serve(command, env=env, cwd=tmp_path, log=tmp_path / "app.log", url=_printed_url) as server, \
            browser.chromium(WIDTH, 900) as (page, watch):
        page.goto(server.url, timeout=browser.STEP_TIMEOUT_MS)
        yield page, watch, server


def test_app_page_builds_tries_and_fits_1024(app: Any) -> None:
    page, watch, server = app
    root = page.locator(f".{APP_CLASS}").first
    root.wait_for()
    assert server.url.startswith("http://127.0.0.1:")
    browser.wait_widgets_rendered(page)
    assert "Sandbox helpdesk" in root.inner_text() and "Open sample" in root.inner_text()
    assert not page.locator("pre code, .jp-InputArea, .jp-CodeMirrorEditor").count(), "code is shown"
    browser.screenshot(page, "app-opened")

    browser.try_users_and_search(page, root, browser.expected("freshdesk"), "app")

    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"
    raw = root.locator("pre").last
    raw.wait_for()
    font = raw.evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" in font.lower() or "menlo" in font.lower(), font

    text = root.inner_text()
    assert "Traceback" not in text and "Error displaying widget" not in text
    watch.check()
