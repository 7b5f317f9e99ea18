"""Pictures of a run, as PNG bytes: records and latency per page of a user sync.

Why matplotlib's static PNG: a PNG shows the same in JupyterLab, Voila, a saved notebook, a
file written by the CLI and a headless test, with no front-end extension and no JavaScript
(plotly's HTML needs its renderer in the page; an ipywidgets HTML widget never runs scripts).
The figure is built with the object API on the Agg canvas (no pyplot, no global state), so
plotting from the workbench's worker thread is safe. matplotlib loads on first use only.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

__all__ = ["sync_plot"]


def sync_plot(records: Sequence[int], latencies_ms: Sequence[float], *, title: str = "") -> bytes:
    """Records (bars) and latency (line, right axis) per page, as a PNG image.

    ``records`` and ``latencies_ms`` are per page consumed, in page order (what
    ``UsersResult.pages()`` and the sync progress report hold).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    pages = list(range(1, len(records) + 1))
    figure = Figure(figsize=(6.4, 2.6), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.bar(pages, list(records), color="#4c78a8", label="records")
    axes.set_xlabel("page")
    axes.set_ylabel("records", color="#4c78a8")
    axes.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))  # readable at any page count
    latency = axes.twinx()
    shown = list(latencies_ms)[: len(pages)]
    latency.plot(pages[: len(shown)], shown, color="#e45756", marker="o", label="latency (ms)")
    latency.set_ylabel("latency (ms)", color="#e45756")
    latency.set_ylim(bottom=0)
    axes.set_title(title or f"{sum(records)} records in {len(pages)} pages", fontsize=10)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
