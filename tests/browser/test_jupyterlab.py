"""The workbench notebook in JupyterLab, in headless Chromium, as a person uses it.

JupyterLab runs on a copy of ``notebooks/01-workbench.ipynb`` (the original is never touched),
with runtime, config, settings and workspace folders of its own, as root when CI is root. The
test runs all cells, waits for the kernel to be idle, checks that every widget view rendered,
clicks Sync users and Search contact in the workbench and checks the tables against what the
engine maps from the same sandbox data. A second run with the widget manager's labextension
disabled shows that a broken widget front end fails the check with a message that says so.

One failure is retried, once, on a fresh JupyterLab: every widget output showing only "model not
found" (the kernel holds the model, the page lost it), a JupyterLab front-end race met about once
in twenty loaded CI runs. The retry is printed at the end of the run; anything else fails at once.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import browser

import support

NOTEBOOK = support.NOTEBOOKS / "01-workbench.ipynb"
WIDGET_MANAGER = "@jupyter-widgets/jupyterlab-manager"
# Announcements would fetch news from the internet and pop a toast over the page.
QUIET = {"@jupyterlab/apputils-extension:announcements": True}


def _lab(tmp: Path, disabled: dict[str, bool]) -> tuple[list[str], dict[str, str], str]:
    """The JupyterLab command, environment and token for a server of the test's own."""
    env = browser.jupyter_env(tmp / "jupyter")
    labconfig = Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig"
    labconfig.mkdir()
    (labconfig / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}), encoding="utf-8")
    token = secrets.token_hex(16)
    from hdkit.ui.app import free_port

    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={free_port()}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp / 'work'}",
               "--LabApp.expose_app_in_browser=True",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    return command, env, token


def _url(token: str) -> Any:
    def find(output: str) -> str | None:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/lab", output)
        return f"http://127.0.0.1:{match.group(1)}/api/status?token={token}" if match else None
    return find


def _kernels_idle(base: str, token: str) -> bool:
    kernels = httpx.get(f"{base}/api/kernels", params={"token": token}, timeout=10).json()
    return bool(kernels) and all(k["execution_state"] == "idle" for k in kernels)


KERNEL_READY = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  return !!kernel && panel.sessionContext.isReady && kernel.connectionStatus === 'connected'
         && kernel.status === 'idle';
}"""


# The execution count of every code cell of the open notebook (null: not run, or queued).
COUNTS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  return Array.from({length: cells.length}, (_, i) => cells.get(i))
    .filter(cell => cell.type === 'code').map(cell => cell.executionCount);
}"""


def run_all(page: Any, watch: browser.KernelWatch, base: str, token: str, name: str) -> None:
    """Open the notebook, Run All, and wait until every cell ran and the kernel is idle.

    A cell ran when the page shows its execution count, or when the kernel's reply to it
    reached the page: JupyterLab now and then leaves one count blank although the cell ran.
    """
    page.goto(f"{base}/lab/tree/{name}?token={token}", timeout=browser.STEP_TIMEOUT_MS)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    # Run All only once the notebook's kernel is connected and idle, or it runs nothing.
    page.wait_for_function(KERNEL_READY)
    # The stored outputs go first, so a count on every code cell means this run set it.
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(f"() => ({COUNTS})().every(n => n === null)")
    replied = watch.replies.copy()
    # Not awaited: the command's promise settles only when every cell ran; the loop below waits.
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    deadline = time.monotonic() + browser.STEP_TIMEOUT_MS / 1000
    while True:
        counts = page.evaluate(COUNTS)
        ran = all(counts) or (watch.replies - replied)["ok"] >= len(counts)
        if counts and ran and _kernels_idle(base, token):
            return
        if time.monotonic() > deadline:
            browser.screenshot(page, "jupyterlab-run-all-timeout")
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            raise AssertionError(f"Run All did not finish in time; execution counts: {counts}; kernel replies: "
                                 f"{dict(watch.replies - replied)}; "
                                 f"errors shown: {errors.all_inner_texts()}")
        time.sleep(0.5)


@pytest.fixture
def lab(tmp_path: Path) -> Any:
    """``lab(disabled)``: a JupyterLab on a copy of the notebook, and the page that Ran All.

    Each call starts afresh (its own folders, server and browser) and stops the previous one.
    """
    stack: list[Any] = []
    original = NOTEBOOK.read_bytes()

    def stop() -> None:
        while stack:  # the browser first, then the server; also after a failure
            stack.pop().__exit__(None, None, None)

    def start(disabled: dict[str, bool]) -> tuple[Any, browser.KernelWatch]:
        stop()
        home = Path(tempfile.mkdtemp(prefix="lab-", dir=tmp_path))
        work = home / "work"
        work.mkdir()
        shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
        command, env, token = _lab(home, disabled)
        server = browser.serve(command, env=env, cwd=work, log=home / "jupyterlab.log", url=_url(token))
        running = server.__enter__()
        stack.append(server)
        base = running.url.split("/api/")[0]
        chrome = browser.chromium(1280, 1000)
        page, watch = chrome.__enter__()
        stack.append(chrome)
        run_all(page, watch, base, token, NOTEBOOK.name)
        return page, watch

    yield start
    stop()
    assert NOTEBOOK.read_bytes() == original, "the notebook under test was modified"


@pytest.fixture(scope="module")
def expected() -> browser.Expected:
    return browser.expected("freshdesk")


def test_workbench_notebook_runs_and_tries_in_jupyterlab(lab: Any, expected: browser.Expected) -> None:
    page, watch = lab(QUIET)
    try:
        browser.wait_widgets_rendered(page, watch=watch)
    except browser.WidgetsNotRendered as failure:
        if not failure.race:
            raise
        # The kernel holds the model, the page lost it: once, on a fresh JupyterLab, said at the end.
        browser.screenshot(page, "jupyterlab-model-not-found")
        browser.RETRIED.append(f"{str(failure)[:400]} -> Run All again on a fresh JupyterLab")
        page, watch = lab(QUIET)
        browser.wait_widgets_rendered(page, watch=watch)
    root = browser.workbench(page)
    root.scroll_into_view_if_needed()
    browser.screenshot(page, "jupyterlab-run-all")

    browser.try_users_and_search(page, root, expected, "jupyterlab")

    page_text = page.locator(".jp-Notebook").inner_text()
    assert "Traceback" not in page_text
    assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
    watch.check()


def test_broken_widget_front_end_fails_saying_so(lab: Any) -> None:
    page, _ = lab({**QUIET, WIDGET_MANAGER: True})
    with pytest.raises(AssertionError, match=r"jupyterlab_widgets.*enabled") as failure:
        browser.wait_widgets_rendered(page, timeout_s=20)
    assert "plain text" in str(failure.value) or "no widget view" in str(failure.value)
    page.locator(".jp-OutputArea-output").first.scroll_into_view_if_needed()
    browser.screenshot(page, "jupyterlab-without-widget-manager")
