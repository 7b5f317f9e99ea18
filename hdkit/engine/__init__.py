"""Run a template's scenarios against a helpdesk, exactly as the PBX would.

:class:`Engine` is an async core over httpx with sync twins: users (paged), contact search
(with ``Next`` follow-ups and pop-up URLs), the match matrix, contact creation, simulated call
events (:func:`simulate`, :func:`queue_call`) and event follow-ups. Results
(``hdkit.results``) turn into pandas DataFrames, already redacted.
"""

from hdkit.engine.events import CallEvent, CallKind, queue_call, simulate
from hdkit.engine.runner import Engine

__all__ = ["CallEvent", "CallKind", "Engine", "queue_call", "simulate"]
