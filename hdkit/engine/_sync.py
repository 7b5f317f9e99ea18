"""One way to call the async engine from sync code, even inside a running event loop.

Notebooks (Jupyter, IPython) already run an asyncio loop in the main thread, so
``asyncio.run`` refuses to start there. :func:`run_sync` uses ``asyncio.run`` when it can and
otherwise runs the coroutine on a fresh loop in a worker thread, blocking until it is done.
Every sync wrapper in :mod:`hdkit.engine` goes through it, so there is exactly one such trick.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["run_sync"]

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion and return its result (or raise its exception)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hdkit-run-sync") as pool:
        return pool.submit(context.run, asyncio.run, coro).result()
