"""See what the PBX would send, then what came back: one exchange of the last result.

A dropdown picks the request (in the order the run made them); beside it the request as it was
rendered (method, URL, each header, the body: :func:`hdkit.responses.request_parts`) with each
rendering problem next to the part it concerns, then the status line, and the body: pretty
JSON in collapsible blocks, or a tree (top levels open) when it is large. All of it is the
redacted exchange the engine recorded: the view never sees a secret.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from hdkit.problems import Problem
from hdkit.responses import ResponseView, json_tree, request_parts
from hdkit.ui.render import frame_html, pre, request_html, tree_html

__all__ = ["Entry", "ExchangeView"]


@dataclass(frozen=True)
class Entry:
    """One request of a result: its label, the recorded exchange, the problems rendering found."""

    label: str
    exchange: Any
    problems: tuple[Problem, ...] = ()


_RENDERED = "<b>Request (as the PBX renders it, not sent)</b>"
# A sent request is shown as it left: hdkit's HTTP client adds headers of its own (Host,
# User-Agent, Accept-Encoding, ...), as the PBX's client adds its own.
_SENT = ("<b>Request (as sent)</b> <small>the template's headers, and those every HTTP client adds "
         "(Host, User-Agent, ...: the PBX sends its own)</small>")


class ExchangeView:
    """The request and the response of the exchange picked; ``on_pick`` hears of a new pick."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.response: ResponseView | None = None
        self._listeners: list[Callable[[ResponseView | None], None]] = []
        self.pick = widgets.Dropdown(options=[], description="Request", layout=widgets.Layout(width="100%"),
                                     style={"description_width": "70px"})
        self.request_view = widgets.HTML()
        self.status = widgets.HTML()
        self.body_view = widgets.HTML()
        self.extracted = widgets.HTML()
        self._quiet = False
        self.request_head = widgets.HTML(_RENDERED)
        self.pick.observe(self._picked, "value")
        self.box = widgets.VBox([
            self.pick,
            self.request_head, self.request_view,
            widgets.HTML("<b>Response</b>"), self.status, self.extracted, self.body_view,
        ])

    def on_pick(self, listener: Callable[[ResponseView | None], None]) -> None:
        self._listeners.append(listener)

    def show(self, entries: Sequence[Entry]) -> None:
        """Show these requests (in the order they were made); the first failed one is picked."""
        self.entries = list(entries)
        options = [(f"{i + 1}. {e.label}: {e.exchange.method} {_status(e.exchange)}", i)
                   for i, e in enumerate(self.entries)]
        failed = next((i for i, e in enumerate(self.entries) if not _ok(e.exchange)), 0)
        self._quiet = True  # one _show for the new options and the pick, not one per trait change
        try:
            self.pick.options = options
            self.pick.value = failed if options else None
        finally:
            self._quiet = False
        self._show()

    def _picked(self, _: Any) -> None:
        if not self._quiet:
            self._show()

    def _show(self) -> None:
        index = self.pick.value
        if index is None or index >= len(self.entries):
            self.response = None
            self.request_view.value = self.status.value = self.body_view.value = self.extracted.value = ""
        else:
            entry = self.entries[index]
            self.response = ResponseView.of(entry.exchange)
            self.request_head.value = _RENDERED if str(entry.exchange.outcome) == "dry_run" else _SENT
            self.request_view.value = request_html(request_parts(entry.exchange, entry.problems))
            self.status.value = f"<b>{html.escape(self.response.status_line)}</b>"
            self.extracted.value = _extracted_html(getattr(entry.exchange, "extracted", {}) or {})
            self.body_view.value = _body_html(self.response)
        for listener in self._listeners:
            listener(self.response)


def _extracted_html(values: Mapping[str, object]) -> str:
    """What this request's outputs read from the response, as a small table (empty cells empty)."""
    if not values:
        return ""
    frame = pd.DataFrame({"variable": list(values), "value": [_cell(v) for v in values.values()]})
    return "<small>extracted from this response:</small>" + frame_html(frame)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _ok(exchange: Any) -> bool:
    return str(exchange.outcome) in ("ok", "dry_run", "skipped")


def _status(exchange: Any) -> str:
    return str(exchange.status) if exchange.status is not None else str(exchange.outcome).replace("_", " ")


def _body_html(view: ResponseView) -> str:
    if not view.body:
        return "<i>no body</i>"
    if not view.is_json:
        return pre(view.body)
    tree = view.tree()
    assert tree is not None
    if view.large:
        return tree_html(tree, open_depth=1)
    return tree_html(json_tree(view.parsed, max_nodes=10**9, max_children=10**9), open_depth=99)
