"""Mapping suggestions with one click to apply: which path of the last response fills each field.

The candidates are :func:`hdkit.suggest.suggest_paths` on the response picked (contact fields
for a contact search, user fields for a user sync); each row shows the field, what the template
maps it to now, and the ranked candidates with the values each yields. "Use for ..." hands the
path to ``apply`` (the workbench's one edit function), whose refusal, if any, shows on the row.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from hdkit.errors import HdkitError
from hdkit.suggest import CONTACT_TARGETS, USER_TARGETS, Suggestion, Target, suggest_paths
from hdkit.ui.lifecycle import close_tree

__all__ = ["Apply", "SuggestionRow", "SuggestionsView"]

# (kind, target key, path) -> the refusal, or "" when the template now maps the field to that path
Apply = Callable[[str, str, str], str]
# (kind, target key) -> the path the template maps it to now
Current = Callable[[str, str], str]
KINDS: dict[str, Sequence[Target]] = {"contact": CONTACT_TARGETS, "user": USER_TARGETS}


def _option(s: Suggestion) -> str:
    shown = ", ".join(v or '""' for v in s.values[:3]) + (f" (+{len(s.values) - 3})" if len(s.values) > 3 else "")
    return f"{s.path}  ->  {shown}   [{s.why}]"


@dataclass
class SuggestionRow:
    """One PBX field: its candidates and the button that applies the one picked."""

    target: Target
    suggestions: list[Suggestion]
    pick: widgets.Dropdown
    use: widgets.Button
    message: widgets.HTML
    box: widgets.Box


class SuggestionsView:
    """Suggestions for the fields of one kind (``contact`` or ``user``) from one response body."""

    def __init__(self, apply: Apply, current: Current) -> None:
        self.apply, self.current = apply, current
        self.rows: dict[str, SuggestionRow] = {}
        self.kind = ""
        self.head = widgets.HTML()
        self.rows_box = widgets.VBox()
        self.box = widgets.VBox([self.head, self.rows_box])

    def show(self, body: str, kind: str, phone: str = "") -> None:
        """Suggest for ``kind`` fields from ``body`` (a JSON response); a body that is not JSON says so."""
        self.close_rows()
        self.kind = kind
        if not body.strip():
            self.head.value = "<i>no response to suggest from</i>"
            return
        try:
            found = suggest_paths(body, KINDS[kind], phone=phone)
        except HdkitError as err:
            self.head.value = f"<i>no suggestions: {html.escape(err.message)}</i>"
            return
        targets = {t.key: t for t in KINDS[kind]}
        self.rows = {key: self._row(targets[key], ranked) for key, ranked in found.items() if ranked}
        self.rows_box.children = [r.box for r in self.rows.values()]
        self.head.value = (f"<i>paths found in this response for {len(self.rows)} {kind} field(s); "
                           "pick one and click Use</i>" if self.rows else
                           f"<i>no {kind} field found in this response</i>")

    def _row(self, target: Target, ranked: list[Suggestion]) -> SuggestionRow:
        label = widgets.HTML(layout=widgets.Layout(width="180px"))
        pick = widgets.Dropdown(options=[(_option(s), s.path) for s in ranked], layout=widgets.Layout(width="auto", flex="1"))
        use = widgets.Button(description=f"Use for {target.title}", layout=widgets.Layout(width="auto"),
                             tooltip=f"map {target.title} to the path picked")
        message = widgets.HTML()
        row = SuggestionRow(target, ranked, pick, use, message,
                            widgets.VBox([widgets.HBox([label, pick, use]), message]))
        use.on_click(lambda _: self._use(row))
        self._label(row, label)
        return row

    def _label(self, row: SuggestionRow, label: widgets.HTML) -> None:
        now = self.current(self.kind, row.target.key)
        label.value = (f"<b>{html.escape(row.target.title)}</b><br><small>now: "
                       f"{html.escape(now) if now else '<i>not mapped</i>'}</small>")

    def _use(self, row: SuggestionRow) -> None:
        refusal = self.apply(self.kind, row.target.key, row.pick.value)
        if refusal:
            row.message.value = f"<span style='color:#b00020'>&#9888; {html.escape(refusal)}</span>"
        else:
            row.message.value = f"<span style='color:#2e7d32'>&#10003; {html.escape(row.target.title)} now reads {html.escape(row.pick.value)}</span>"
            self._label(row, row.box.children[0].children[0])

    def close_rows(self) -> None:
        """Close the widgets of the rows shown (a new response replaces them)."""
        close_tree(*(row.box for row in self.rows.values()))
        self.rows = {}
        self.rows_box.children = []
