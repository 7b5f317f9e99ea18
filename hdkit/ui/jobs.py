"""The one way a button drives work: a coroutine on a worker event loop, never in the kernel's.

A notebook kernel handles a click inside its own event loop; work awaited or blocked on there
freezes the kernel (no widget message, no other cell, no OAuth2 paste box) until it is done. So
every button of the workbench hands its work to :class:`Jobs`, which runs it on one asyncio
loop in one daemon thread shared by the process (the engine is async at its core, so the work
is ``engine.ausers()`` and friends, no thread per request). A click from the page returns at
once; the button is disabled and its status line says what runs; when the work ends, its
``done`` callback updates the views *before* the job counts as finished, so code that waits
(:meth:`Job.wait`, :meth:`Jobs.wait`: tests, scripts) sees the result on screen,
deterministically. A click made by code in a notebook cell (``button.click()``) waits for its
job before the cell goes on, so a notebook run top to bottom reads each result in the next
line, as it would after a call. ipywidgets sends trait changes from any thread.

User errors (:class:`~hdkit.errors.HdkitError`, ``ValueError``, ``OSError``) become a message
on the status line. Anything else is a bug: it shows as one line too (never a traceback in the
page), and :meth:`Job.wait` raises it, so a test cannot miss it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import ipywidgets as widgets

from hdkit.errors import HdkitError

__all__ = ["Job", "Jobs", "USER_ERRORS", "in_a_cell", "worker_loop"]

T = TypeVar("T")
USER_ERRORS = (HdkitError, ValueError, OSError)

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def worker_loop() -> asyncio.AbstractEventLoop:
    """The process's worker loop (started on first use, in a daemon thread)."""
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="hdkit-ui-worker", daemon=True).start()
            _loop = loop
        return _loop


def in_a_cell() -> bool:
    """Whether a notebook cell runs this code, rather than a widget message from the page.

    The kernel handles both on its own loop; the request it is serving tells them apart.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    kernel = getattr(shell, "kernel", None)
    get_parent = getattr(kernel, "get_parent", None)
    if get_parent is None:
        return False
    parent = get_parent() or {}
    return parent.get("header", {}).get("msg_type") == "execute_request"


class Job:
    """One piece of work started by a button; :meth:`wait` until its views are updated."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.bug: BaseException | None = None

    def __repr__(self) -> str:
        return f"<Job {self.name!r} {'done' if self.done else 'running'}>"

    @property
    def done(self) -> bool:
        return self.future.done()

    def wait(self, timeout: float = 60.0) -> Any:
        """The work's result once the views show it (None after a user error); a bug is raised."""
        result = self.future.result(timeout)
        if self.bug is not None:
            raise self.bug
        return result


class Jobs:
    """Starts button work on the worker loop and keeps the jobs still running."""

    def __init__(self) -> None:
        self._jobs: list[Job] = []

    @property
    def running(self) -> list[Job]:
        self._jobs = [j for j in self._jobs if not j.done]
        return list(self._jobs)

    def start(self, name: str, work: Callable[[], Awaitable[T]], done: Callable[[T], None], *,
              status: widgets.HTML, button: widgets.Button | None = None,
              failed: Callable[[BaseException], None] | None = None, cell_waits: bool = True,
              timeout: float = 600.0) -> Job:
        """Run ``work()`` on the worker loop, then ``done(result)``; ``button`` is disabled meanwhile.

        A user error goes to ``failed`` (default: its message on ``status``); the button comes
        back in every case. Started by a notebook cell, the job is waited for (up to
        ``timeout``) unless ``cell_waits`` is false (work that waits for a person).
        """
        if button is not None:
            button.disabled = True
        status.value = f"<i>{html.escape(name)}: running...</i>"
        job = Job(name)

        async def run() -> T | None:
            try:
                result = await work()
                done(result)
                return result
            except USER_ERRORS as err:
                (failed or _shower(status))(err)
            except Exception as err:  # a bug: one line on screen, raised by wait()
                job.bug = err
                status.value = (f"<span style='color:#b00020'>&#9888; {html.escape(name)} failed unexpectedly: "
                                f"{html.escape(type(err).__name__)}: {html.escape(str(err))}</span>")
            finally:
                if button is not None:
                    button.disabled = False
            return None

        job.future = asyncio.run_coroutine_threadsafe(run(), worker_loop())
        self._jobs.append(job)
        if cell_waits and in_a_cell():
            job.wait(timeout)
        return job

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for every job running now (and any they started) to finish and show its result."""
        while self.running:
            for job in self.running:
                job.wait(timeout)


def _shower(status: widgets.HTML) -> Callable[[BaseException], None]:
    def show(err: BaseException) -> None:
        status.value = f"<span style='color:#b00020'>&#9888; {html.escape(str(err))}</span>"
    return show
