"""Run a template's scenarios against a helpdesk, exactly as the PBX would.

:class:`Engine` is an async core over httpx with sync twins: users (paged), contact search
(with ``Next`` follow-ups and pop-up URLs), the match matrix, contact creation, simulated call
events (:func:`simulate`, :func:`queue_call`) and event follow-ups. Results
(``hdkit.results``) turn into pandas DataFrames, already redacted.

The lower layers are public too, for scripts that need one piece: :class:`Client` (the run's
HTTP client: concurrency cap, retries, redacted :class:`Exchange` log), :class:`Paged` and
:class:`StopReason` (user-sync paging, with :class:`SyncOptions` and the :class:`SyncProgress`
a watcher gets), :class:`OAuth2Session`, :class:`Consent` (an OAuth2 consent driven without
blocking, from ``Engine.aconsent()``), :class:`TokenStore` and :class:`Tokens` (auth), and
:func:`run_sync` (async code from sync code, even in Jupyter).

Names load on first use (PEP 562): the engine pulls in httpx, authlib and pandas, and the
``hdkit`` command should not pay for them just to print its help or validate a file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hdkit.engine._sync import run_sync
    from hdkit.engine.auth import OAuth2Session, Tokens, TokenStore
    from hdkit.engine.client import Client, Exchange, Outcome, Response
    from hdkit.engine.events import CallEvent, CallKind, queue_call, simulate
    from hdkit.engine.oauth2 import Consent, ConsentState
    from hdkit.engine.paging import Paged, StopReason, SyncOptions, SyncProgress
    from hdkit.engine.runner import Engine

__all__ = [
    "CallEvent",
    "CallKind",
    "Client",
    "Consent",
    "ConsentState",
    "Engine",
    "Exchange",
    "OAuth2Session",
    "Outcome",
    "Paged",
    "Response",
    "StopReason",
    "SyncOptions",
    "SyncProgress",
    "TokenStore",
    "Tokens",
    "queue_call",
    "run_sync",
    "simulate",
]

_HOME = {
    "CallEvent": "events", "CallKind": "events", "queue_call": "events", "simulate": "events",
    "Client": "client", "Exchange": "client", "Outcome": "client", "Response": "client",
    "OAuth2Session": "auth", "TokenStore": "auth", "Tokens": "auth",
    "Paged": "paging", "StopReason": "paging", "SyncOptions": "paging", "SyncProgress": "paging",
    "Consent": "oauth2", "ConsentState": "oauth2",
    "Engine": "runner",
    "run_sync": "_sync",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'hdkit.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"hdkit.engine.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
