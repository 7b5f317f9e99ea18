"""A user sync you can watch: a progress bar while pages arrive, then the summary and a plot.

The paging engine calls :meth:`SyncView.progress` after every page (on the worker loop's
thread; ipywidgets sends the change from there), so the bar moves while the sync runs and the
kernel stays free. When it ends, the summary is the same sentence the CLI prints
(:func:`hdkit.results.sync_summary`) and the plot shows records and latency per page
(:func:`hdkit.plots.sync_plot`, a PNG: it shows in JupyterLab and Voila alike).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from hdkit.engine.paging import SyncProgress
from hdkit.plots import sync_plot
from hdkit.results import UsersResult

__all__ = ["SyncView"]


class SyncView:
    """Progress bar, summary and plot of the last user sync (hidden until a sync runs)."""

    def __init__(self) -> None:
        self.last: SyncProgress | None = None
        self.bar = widgets.IntProgress(value=0, min=0, max=1, description="Pages", bar_style="info",
                                       style={"description_width": "60px"}, layout=widgets.Layout(width="320px"))
        self.counts = widgets.HTML()
        self.summary = widgets.HTML()
        self.plot = widgets.Image(format="png", layout=widgets.Layout(max_width="640px", display="none"))
        self.box = widgets.VBox([widgets.HBox([self.bar, self.counts], layout=widgets.Layout(align_items="center")),
                                 self.summary, self.plot], layout=widgets.Layout(display="none"))

    def start(self) -> None:
        self.last = None
        self.box.layout.display = None
        self.bar.value, self.bar.max, self.bar.bar_style = 0, 1, "info"
        self.counts.value = "<i>starting...</i>"
        self.summary.value = ""
        self.plot.layout.display = "none"

    def progress(self, report: SyncProgress) -> None:
        """One more page (called by the paging engine)."""
        self.last = report
        # the bar counts requests against what is known: the pages so far plus those in flight
        self.bar.max = max(1, min(report.max_requests, report.requests + report.in_flight + (0 if report.done else 1)))
        self.bar.value = min(report.requests, self.bar.max)
        wait = f" · {html.escape(report.note)}" if report.note else ""
        self.counts.value = (f"{report.pages} page(s) · {report.records} record(s) · {report.requests} request(s)"
                             f" · {report.in_flight} in flight{wait}")

    def finish(self, result: UsersResult) -> None:
        """The sync in words and as a plot."""
        self.box.layout.display = None
        complete = result.stop is None or result.stop.complete
        self.bar.bar_style = "success" if complete else "warning"
        self.bar.value = self.bar.max
        color = "#2e7d32" if complete else "#b00020"
        self.summary.value = f"<span style='color:{color}'>{html.escape(result.summary())}</span>"
        pages = result.pages()
        if len(pages):
            self.plot.value = sync_plot(list(pages["records"]), list(pages["latency_ms"]))
            self.plot.layout.display = None

    def clear(self) -> None:
        self.last = None
        self.box.layout.display = "none"
        self.summary.value = self.counts.value = ""
        self.plot.value = b""
