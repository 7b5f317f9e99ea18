"""Real-browser helpers for tests/browser: a server and headless Chromium, both always stopped.

The browser is Debian's ``chromium`` (``.ci/run`` installs it with apt), driven by Playwright
for Python through ``executable_path``; nothing is ever downloaded. Every host but 127.0.0.1
fails at once (``--host-resolver-rules``), so a page that reaches for the internet shows it
quickly instead of hanging.

Widgets are found the way a person finds them, by role and text (``get_by_role("button",
name=...)``), never by position, so the tests survive a rework of the workbench's layout.

What reaches the page's kernel connection is read from its websocket frames
(:class:`KernelWatch`): an exception raised in a button callback never shows in the page, it
only travels to the front end as an ``error`` message on that connection.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import support

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SCREENSHOTS = support.ROOT / "tests" / "browser" / "screenshots"  # gitignored
TAKEN: list[Path] = []  # this run's screenshots, listed at the end of the run (tests/browser/conftest.py)
RETRIED: list[str] = []  # front-end races met and retried, said at the end of the run too
START_TIMEOUT_S = 120  # a cold JupyterLab on a busy 2-core machine
STOP_TIMEOUT_S = 10
STEP_TIMEOUT_MS = 60_000  # one wait in the page (a run of all cells, a sync of 25 pages)

# How a widget looks when its front end is missing or broken.
LOADING = "Loading widget..."
DISPLAY_ERROR = "Error displaying widget"
# JupyterLab's widget manager says this when a view's model is missing or failed to build in the
# page, while the kernel holds it: a front-end race seen about once in twenty CI runs under load
# (never alone; upstream reports: jupyter-widgets/ipywidgets#3823). A person re-runs the cell.
MODEL_NOT_FOUND = "model not found"
# The plain-text repr ipywidgets sends beside the widget view: "VBox(children=(HTML(value=..."
PLAIN_WIDGET = re.compile(r"^(VBox|HBox|Box|Tab|Accordion|GridBox|Button|HTML|Label|Output)\(", re.M)


def require_chromium() -> str:
    """The Chromium binary, or a failure that says how to install it (never a skip)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y chromium); "
                    ".ci/run does this when it is missing")
    return CHROMIUM


# -- servers -----------------------------------------------------------------------------------


@dataclass
class Server:
    """A server process started by a test, and where its output goes."""

    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def jupyter_env(home: Path) -> dict[str, str]:
    """Environment for a Jupyter server of the test's own: every folder it writes is under ``home``.

    ``JUPYTER_PATH`` leads to the kernel spec of this interpreter (support.notebooks), so the
    kernel is the venv's Python whatever else is installed on the machine.
    """
    from support import notebooks

    dirs = {name: home / name for name in ("config", "data", "runtime", "settings", "workspaces")}
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "JUPYTER_PATH": str(notebooks.kernels_dir()),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONUNBUFFERED": "1",
    }


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (kernels run in sessions of their own):
    SIGTERM, then SIGKILL what is left after STOP_TIMEOUT_S; bounded."""
    import psutil

    try:
        family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    for proc in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    _, alive = psutil.wait_procs(family, timeout=STOP_TIMEOUT_S)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(alive, timeout=STOP_TIMEOUT_S)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(STOP_TIMEOUT_S)


@contextmanager
def serve(command: list[str], *, env: dict[str, str], cwd: Path, log: Path,
          url: Callable[[str], str | None]) -> Iterator[Server]:
    """Start ``command``; yield once ``url(output)`` names a URL that answers. Always stopped."""
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   cwd=cwd, env=env, start_new_session=True)
    server = Server(process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"{command[2:4]} exited with {process.returncode} before serving:\n{server.output()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{command[2:4]} did not answer within {START_TIMEOUT_S}s:\n{server.output()[-3000:]}")
            found = url(server.output())
            if found and _answers(found):
                server.url = found
                break
            time.sleep(0.3)
        yield server
    finally:
        _stop(process)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code < 500
    except httpx.HTTPError:
        return False


# -- kernel messages -----------------------------------------------------------------------------


def decode_frame(payload: str | bytes) -> dict[str, Any] | None:
    """A kernel websocket frame as ``{channel, header, content}``, in either wire protocol.

    Text frames are the legacy JSON protocol; binary frames are
    ``v1.kernel.websocket.jupyter.org``: a count n, n little-endian offsets, then the parts
    channel, header, parent header, metadata, content and buffers.
    """
    if isinstance(payload, str):
        try:
            return json.loads(payload)
        except ValueError:
            return None
    count = int.from_bytes(payload[:8], "little")
    if count < 5 or len(payload) < 8 * (count + 1):
        return None
    offsets = [int.from_bytes(payload[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)] + [len(payload)]
    parts = [payload[offsets[i]:offsets[i + 1]] for i in range(count)]
    try:
        return {"channel": parts[0].decode(), "header": json.loads(parts[1]), "content": json.loads(parts[4])}
    except (UnicodeDecodeError, ValueError):
        return None


@dataclass
class KernelWatch:
    """Errors and stderr that reached the page over its kernel connections, and page errors."""

    errors: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)  # message types decoded, e.g. comm_msg
    replies: Counter[str] = field(default_factory=Counter)  # execute_reply by status: ok, error, aborted

    def attach(self, page: Any) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self.frame))
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)

    def frame(self, payload: str | bytes) -> None:
        msg = decode_frame(payload)
        if not msg:
            return
        kind, content = msg.get("header", {}).get("msg_type"), msg.get("content", {})
        self.kinds[str(kind)] += 1
        if kind == "execute_reply":
            self.replies[str(content.get("status"))] += 1
        if kind == "error":
            self.errors.append(f"{content.get('ename')}: {content.get('evalue')}\n"
                               + "\n".join(content.get("traceback", [])))
        elif kind == "stream" and content.get("name") == "stderr":
            self.stderr.append(content.get("text", ""))

    def check(self) -> None:
        """Fail on any problem; and unless widget traffic was decoded, since then nothing was read."""
        assert self.kinds["comm_msg"], f"no widget message decoded from the kernel connection: {dict(self.kinds)}"
        assert not self.problems(), "\n".join(self.problems())

    def problems(self) -> list[str]:
        """What a test must not see: kernel errors, a traceback on stderr, widget errors in the page."""
        found = [f"kernel error: {e}" for e in self.errors]
        found += [f"kernel stderr: {s}" for s in self.stderr if re.search(r"Traceback|Error\b", s)]
        found += [f"page error: {e}" for e in self.page_errors]
        found += [f"console: {e}" for e in self.console_errors if re.search(r"widget|model not found", e, re.I)]
        return found


# -- the browser -----------------------------------------------------------------------------------


@contextmanager
def chromium(width: int, height: int = 900) -> Iterator[tuple[Any, KernelWatch]]:
    """A page in headless Debian Chromium and the watch on its kernel connections; always closed."""
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS, headless=True, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(STEP_TIMEOUT_MS)
            watch = KernelWatch()
            watch.attach(page)
            yield page, watch
        finally:
            browser.close()


def screenshot(page: Any, name: str, target: Any = None) -> Path:
    """Save what was just checked (the element ``target``, else the viewport) and say where."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    (target or page).screenshot(path=str(path))
    TAKEN.append(path)
    return path


# -- what the page shows ------------------------------------------------------------------------------


def widget_failures(page: Any) -> list[str]:
    """Widget outputs shown as anything but a widget: loading forever, an error, plain text."""
    texts: list[str] = page.locator(".jp-OutputArea-output").all_inner_texts()
    found = [f"{t.count(LOADING)} output(s) still show {LOADING!r}" for t in texts if LOADING in t][:1]
    found += [f"an output shows {DISPLAY_ERROR!r}: {t.strip()[:300]}" for t in texts if DISPLAY_ERROR in t]
    found += [f"a widget is shown as plain text: {t.strip()[:120]}..." for t in texts if PLAIN_WIDGET.search(t)]
    return found


class WidgetsNotRendered(AssertionError):
    """The widget front end did not render a widget output; ``race`` if only the model was missing."""

    def __init__(self, message: str, failures: list[str]) -> None:
        super().__init__(message)
        self.race = bool(failures) and all(MODEL_NOT_FOUND in f for f in failures)


def wait_widgets_rendered(page: Any, *, timeout_s: float = 60, watch: KernelWatch | None = None) -> None:
    """Fail, saying why, unless every widget view rendered (allowing ``timeout_s`` to load).

    The failure quotes the page's console errors about widgets (``watch``), where the cause is.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        failures = widget_failures(page)
        rendered = page.locator(".jupyter-widgets").count()
        if not failures and rendered:
            return
        if time.monotonic() > deadline or any(LOADING not in f for f in failures):
            break
        time.sleep(0.5)
    if not rendered and not failures:
        failures = ["no widget view rendered at all"]
    console = [e[:300] for e in (watch.console_errors if watch else []) if re.search(r"widget|model", e, re.I)]
    raise WidgetsNotRendered(
        "the widget front end did not render the workbench: " + "; ".join(failures)
        + ". Is jupyterlab_widgets installed and its labextension @jupyter-widgets/jupyterlab-manager "
        "enabled? (pip install jupyterlab_widgets; jupyter labextension list)"
        + (f" Page console: {' | '.join(console[:5])}" if console else ""), failures)


def table_rows(table: Any) -> list[list[str]]:
    """The body rows of an HTML table as text cells (index header cell first)."""
    return table.evaluate(
        "t => Array.from(t.querySelectorAll('tbody tr')).map("
        "tr => Array.from(tr.querySelectorAll('th,td')).map(c => c.innerText.trim()))")


def table_header(table: Any) -> list[str]:
    return table.evaluate("t => Array.from(t.querySelectorAll('thead tr:first-child th')).map(c => c.innerText.trim())")


# -- the workbench in a page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What the engine maps from the sandbox's seeded data: the rows the page must show."""

    users: Any  # UsersResult
    search: Any  # SearchResult
    phone: str
    sandbox_url: str


def expected(sample: str) -> Expected:
    """Run the sample in this process against a sandbox of its own (same seed, same data)."""
    from hdkit import Engine, samples
    from hdkit.sandbox import Sandbox

    phone = samples.demo_phone(sample)
    with Sandbox() as hd:
        engine = Engine(samples.load(sample), samples.demo_inputs(sample, hd.url))
        return Expected(engine.users(), engine.search(phone), phone, hd.url)


def workbench(page: Any) -> Any:
    """The output holding the workbench: the one with the Sync users button (shown or not)."""
    button = page.get_by_role("button", name=re.compile(r"sync users", re.I), include_hidden=True)
    return page.locator(".jp-OutputArea-output").filter(has=button).last


def click(root: Any, name: str) -> None:
    """Press a workbench button by its label, opening the Try tab first when it is hidden there."""
    button = root.get_by_role("button", name=re.compile(name, re.I), include_hidden=True).first
    if not button.is_visible():
        root.get_by_role("tab", name=re.compile("try", re.I)).first.click()
    button.click()


def records_table(root: Any, column: str) -> Any:
    """The HTML table in the workbench whose header has ``column``, once it shows."""
    table = root.locator("table").filter(has=root.page.locator(f"th:text-is('{column}')")).first
    table.wait_for()
    return table


def _cell(value: Any) -> str:
    """A frame value as the page's table shows it (empty for a missing value)."""
    text = "" if value is None else str(value)
    return "" if text in ("nan", "<NA>", "None") else text


def check_rows(table: Any, frame: Any, *, port_free: bool = False) -> int:
    """Every row the table shows is the frame's row at that index, cell for cell; returns how many.

    ``port_free`` compares URLs without their 127.0.0.1 port (the page's sandbox is not ours).
    """
    header = table_header(table)
    rows = [r for r in table_rows(table) if r and r[0] not in ("...", "…")]
    assert rows, "the table has no rows"
    for row in rows:
        want = frame.iloc[int(row[0])]
        for column, shown in zip(header[1:], row[1:], strict=True):
            value = _cell(want.get(column))
            if port_free:
                value, shown = (re.sub(r"http://127\.0\.0\.1:\d+", "", v) for v in (value, shown))
            assert shown == value, f"row {row[0]} column {column}: page shows {shown!r}, the engine {value!r}"
    return len(rows)


def try_users_and_search(page: Any, root: Any, want: Expected, name: str) -> None:
    """Click Sync users, then Search contact for ``want.phone``; check the tables and the summary."""
    click(root, "sync users")
    table = records_table(root, "UserUniqueId")
    count = f"{len(want.users):,}".replace(",", ",?")
    root.get_by_text(re.compile(rf"{count} (users|records)")).first.wait_for()
    summary = root.inner_text()
    assert re.search(r"empty[ _]page|page \d+ was empty", summary), f"no stop reason shown:\n{summary[:2000]}"
    assert check_rows(table, want.users.records()) >= 10
    assert "john.thompson.1@agents.example.com" in table.inner_text()
    table.scroll_into_view_if_needed()
    screenshot(page, f"{name}-sync-users")

    root.get_by_role("textbox", name=re.compile("phone", re.I)).fill(want.phone)
    click(root, "search contact")
    table = records_table(root, "PopupUrl")
    root.get_by_text(re.compile(r"contact\(s\) found for")).first.wait_for()  # the status line says it ended
    assert not root.get_by_text(re.compile(r"users from \d+ pages? of data")).first.is_visible(), \
        "the previous sync's summary still shows under the search's result"
    assert check_rows(table, want.search.records(), port_free=True) == len(want.search.records())
    assert "Ada" in table.inner_text() and "/freshdesk/a/contacts/" in table.inner_text()
    table.scroll_into_view_if_needed()
    screenshot(page, f"{name}-search-contact")
