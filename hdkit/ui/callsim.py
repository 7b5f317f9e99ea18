"""The call simulator: pick a call, see each step the PBX would take, as a table and a timeline.

A call is the only way journals, tickets and contact creation run, so this is where they are
tried: the event (with the words a person uses, not the CLI's codes), the caller's number, and
after the run one row per step (match, create contact, ticket, journal, follow-ups: phase,
request, status, when it ran, what variables it set) from :func:`hdkit.timeline.call_steps`,
and the same steps as bars on one time axis.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from hdkit.engine.events import CallKind
from hdkit.results import CallTrace
from hdkit.timeline import call_steps
from hdkit.ui.render import frame_html, timeline_html

__all__ = ["CALL_LABELS", "CallSimulator"]

CALL_LABELS: dict[CallKind, str] = {
    CallKind.INBOUND_ANSWERED: "Inbound call, answered",
    CallKind.INBOUND_MISSED: "Inbound call, missed",
    CallKind.OUTBOUND_ANSWERED: "Outbound call, answered",
    CallKind.OUTBOUND_UNANSWERED: "Outbound call, not answered",
    CallKind.QUEUE: "Queue call (several agents ring, one answers)",
}


# Headings over nothing read as a failure: before a call, say what will show there.
_WAITING = "<i>pick a call event and click Simulate call: its steps show here, as a table and a timeline</i>"


class CallSimulator:
    """Event picker, Simulate call button, and the steps of the last simulated call."""

    def __init__(self) -> None:
        self.kind = widgets.Dropdown(options=[(label, kind.value) for kind, label in CALL_LABELS.items()],
                                     value=CallKind.INBOUND_ANSWERED.value, description="Call event",
                                     style={"description_width": "90px"}, layout=widgets.Layout(width="auto"))
        self.button = widgets.Button(description="Simulate call", icon="phone", layout=widgets.Layout(width="auto"))
        self.steps = pd.DataFrame()
        self.table = widgets.HTML(_WAITING)
        self.timeline = widgets.HTML()
        self.box = widgets.VBox([widgets.HBox([self.kind, self.button]), self.table, self.timeline])

    def show(self, trace: CallTrace, template: object = None) -> pd.DataFrame:
        """Show the steps of ``trace`` (``template``: the one that ran, to tell follow-ups apart)."""
        self.steps = call_steps(trace, template)
        self.table.value = "<b>Steps</b>" + frame_html(self.steps.drop(columns=["url"]), max_rows=50)
        self.timeline.value = "<b>Timeline</b>" + timeline_html(self.steps)
        return self.steps

    def clear(self) -> None:
        self.steps = pd.DataFrame()
        self.table.value, self.timeline.value = _WAITING, ""

