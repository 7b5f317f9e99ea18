"""What the last Try did: mapped records, each request and its response, the path box, suggestions.

One panel shows any result object (users, search, match matrix, call, follow-up, contact
creation): the records it mapped as a table (empty cells empty), every request in the order it
was made with what came back (:class:`~hdkit.ui.exchange.ExchangeView`), a GJSON path box
following the response picked, and mapping suggestions from that response, for user fields
after a user sync, contact fields after a search. It only formats: the data come from
:mod:`hdkit.results`, :mod:`hdkit.responses` and :mod:`hdkit.suggest`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from hdkit.responses import ResponseView
from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult, frame_of
from hdkit.ui.exchange import Entry, ExchangeView
from hdkit.ui.pathbox import PathBox
from hdkit.ui.render import frame_html
from hdkit.ui.suggestions import Apply, Current, SuggestionsView

__all__ = ["DebugPanel", "entries_of"]


def entries_of(result: Any) -> list[Entry]:
    """Every request of a result, in the order it was made, with its rendering problems."""
    steps = getattr(result, "steps", None)
    if steps is not None:  # a call or a follow-up: steps are in order, each with its problems
        return [Entry(s.name, s.exchange, tuple(s.problems)) for s in steps if s.exchange is not None]
    problems = tuple(getattr(result, "problems", ()))
    log = list(getattr(result, "log", ()))
    return [Entry(e.step, e, tuple(p for p in problems if _concerns(p, e.step))) for e in log]


def _concerns(problem: Any, step: str) -> bool:
    return (problem.location.field or "").startswith(step)


def _kind(result: Any) -> str:
    """Which fields a result's response holds: users after a sync, contacts after a search."""
    if isinstance(result, UsersResult):
        return "user"
    return "contact" if isinstance(result, (SearchResult, MatrixResult)) else ""


class DebugPanel:
    """The last result: records, requests and responses, the path box and suggestions."""

    def __init__(self, apply: Apply, current: Current) -> None:
        self.result: Any = None
        self.records = pd.DataFrame()
        self.kind = ""
        self.phone = ""
        self.records_view = widgets.HTML()
        self.exchanges = ExchangeView()
        self.path_box = PathBox()
        self.suggestions = SuggestionsView(apply, current)
        self.exchanges.on_pick(self._picked)
        self.box = widgets.VBox([
            widgets.HTML("<h4 style='margin:4px 0'>Mapped records</h4>"), self.records_view,
            widgets.HTML("<h4 style='margin:4px 0'>Requests and responses</h4>"), self.exchanges.box,
            widgets.HTML("<h4 style='margin:4px 0'>Find the path</h4>"), self.path_box.box,
            widgets.HTML("<h4 style='margin:4px 0'>Mapping suggestions</h4>"), self.suggestions.box,
        ])

    def show(self, result: Any, *, phone: str = "", records: pd.DataFrame | None = None) -> None:
        """Show ``result``; ``records`` overrides its main table (a call shows its steps)."""
        self.result, self.kind, self.phone = result, _kind(result), phone
        self.records = records if records is not None else frame_of(result)
        self.records_view.value = frame_html(self.records) if len(self.records) else "<i>no records</i>"
        self.exchanges.show(entries_of(result))

    def clear(self) -> None:
        """Forget the last result (a template was opened that it no longer applies to)."""
        self.result, self.records, self.kind = None, pd.DataFrame(), ""
        self.records_view.value = ""
        self.exchanges.show([])
        self.suggestions.close_rows()
        self.suggestions.head.value = ""

    def _picked(self, response: ResponseView | None) -> None:
        self.path_box.follow(response)
        if response is not None and self.kind and response.is_json:
            self.suggestions.show(response.body, self.kind, self.phone)
        else:
            self.suggestions.close_rows()
            self.suggestions.head.value = ("<i>suggestions come from a user sync's or a contact search's "
                                           "response</i>" if response is not None else "")

    @property
    def entries(self) -> Sequence[Entry]:
        return self.exchanges.entries

    def status_of(self, result: Any) -> str:
        """A result in words for the status line (never a Python repr)."""
        return html.escape(describe(result))


def describe(result: Any) -> str:
    """One line saying what a result found; a preview says first that nothing was sent."""
    entries = entries_of(result)
    if entries and all(str(e.exchange.outcome) == "dry_run" for e in entries):
        return f"preview, nothing sent: {len(entries)} request(s) rendered as the PBX would send them"
    return _found(result)


def _found(result: Any) -> str:
    failures = len(result.failures()) if hasattr(result, "failures") else 0
    failed = f"; {failures} request(s) failed" if failures else ""
    if isinstance(result, UsersResult):
        stop = f"; stopped: {result.stop.detail or result.stop.reason}" if result.stop else ""
        return f"{len(result)} user(s) in {len(result.log)} request(s){stop}{failed}"
    if isinstance(result, SearchResult):
        return f"{len(result)} contact(s) found for {result.phone} in {len(result.log)} request(s){failed}"
    if isinstance(result, MatrixResult):
        hits = ", ".join(f"{t}: {len(f)} format(s) hit" for t, f in result.hits().items())
        return f"{result.phone} tried in several formats: {hits or 'no contact type'}{failed}"
    if isinstance(result, CallTrace):
        return f"{result.event}: {len(result.steps)} step(s), {'all ok' if result.ok else 'some failed'}"
    return str(result)
