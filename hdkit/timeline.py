"""A simulated call, step by step: what each request was for, when it ran, what it set.

:class:`~hdkit.results.CallTrace` lists a call's steps; a person debugging a journal wants to
see them as the PBX lives them: the contact match, then creation, the ticket, the journal, the
follow-ups each event fired, one after the other on a time axis, each with the variables it
set for the steps after it. :func:`call_steps` gives that as a DataFrame (the workbench's
table and timeline, ``hdkit run ... call`` and notebooks show the same data).

Steps of a call run one after another (calls.py), so each starts where the previous ended;
``start_ms`` is that running sum of the requests' elapsed times.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import pandas as pd

from hdkit.results import CallTrace, Step

__all__ = ["PHASES", "call_steps", "phase_of"]

# What a step of a call is for, in the order a call runs them (calls.py).
PHASES = ("follow-up", "match", "create contact", "ticket", "journal")
STEP_COLUMNS = ("step", "phase", "method", "url", "status", "outcome", "start_ms", "elapsed_ms", "outputs", "note")


def phase_of(step: Step, follow_ups: Collection[str] = ()) -> str:
    """The phase of one step, from how the engine names and notes it (``follow_ups``: the
    template's follow-up request names, which a ``Next`` chain runs under their own name)."""
    name = step.name
    if step.note.startswith("on ") or name in follow_ups:
        return "follow-up"
    if name.startswith("CallJournal"):
        return "journal"
    if name.startswith(("CreateNewTicket", "Ticket", "UpdateTicket")):
        return "ticket"
    if name.startswith("Search"):
        return "match"
    if name.startswith("Create"):
        return "create contact"
    return "follow-up"


def _sets(outputs: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={_short(v)}" for k, v in outputs.items())


def _short(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def call_steps(trace: CallTrace | Iterable[Step], template: Any = None) -> pd.DataFrame:
    """One row per step: phase, request, status, start and duration (ms), the variables it set
    (``outputs``, as :meth:`CallTrace.trace` names them).

    ``template`` (the one that ran) tells follow-ups reached through ``Next`` from the rest.
    Steps that sent nothing (skipped, refused before sending) take no time and have no status;
    their cells are empty strings, never ``None``.
    """
    follow_ups = {f.name for f in getattr(template, "follow_ups", ())}
    steps = trace.steps if isinstance(trace, CallTrace) else tuple(trace)
    rows: dict[str, list[object]] = {c: [] for c in STEP_COLUMNS}
    clock = 0.0
    for s in steps:
        e = s.exchange
        elapsed = float(getattr(e, "elapsed_ms", 0.0) or 0.0)
        status = getattr(e, "status", None)
        for column, value in (
            ("step", s.name), ("phase", phase_of(s, follow_ups)), ("method", getattr(e, "method", "")),
            ("url", getattr(e, "url", "")), ("status", "" if status is None else str(status)),
            ("outcome", str(getattr(e, "outcome", "") or "")), ("start_ms", round(clock, 1)),
            ("elapsed_ms", round(elapsed, 1)), ("outputs", _sets(s.outputs)), ("note", s.note),
        ):
            rows[column].append(value)
        clock += elapsed
    return pd.DataFrame(rows, columns=list(STEP_COLUMNS))
