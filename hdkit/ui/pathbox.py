"""The path box: a GJSON path evaluated live against the last response.

Type a path and see at once what the PBX would read with it (Go's string of the value, or the
JSON pretty-printed), "no value" when it finds nothing (missing is not null), or the error with
a caret under the column. The evaluation is :func:`hdkit.responses.evaluate_path`, the engine's
own GJSON; this widget only shows it.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from hdkit.responses import PathAnswer, ResponseView, evaluate_path
from hdkit.ui.render import pre

__all__ = ["PathBox"]


class PathBox:
    """A path box following one response (set by :meth:`follow`, e.g. the exchange picked)."""

    def __init__(self) -> None:
        self.body = ""
        self.answer: PathAnswer | None = None
        self.path = widgets.Text(description="GJSON path", placeholder="type a path, e.g. data.#.id",
                                 layout=widgets.Layout(width="100%"), style={"description_width": "90px"})
        self.source = widgets.HTML("<i>no response yet: try a request first</i>")
        self.result = widgets.HTML()
        self.path.observe(lambda _: self.evaluate(), "value")
        self.box = widgets.VBox([self.source, self.path, self.result])

    def follow(self, response: ResponseView | None) -> None:
        """Evaluate against ``response`` from now on (None: nothing to read yet)."""
        self.body = response.body if response is not None else ""
        self.source.value = (f"<i>against the response of {html.escape(response.step)} ({html.escape(response.status_line)})</i>"
                             if response is not None else "<i>no response yet: try a request first</i>")
        self.evaluate()

    def evaluate(self) -> PathAnswer | None:
        text = self.path.value.strip()
        if not text:
            self.answer, self.result.value = None, ""
            return None
        self.answer = answer = evaluate_path(text, self.body)
        if not answer.ok:
            where = f" (column {answer.column})" if answer.column else ""
            caret = pre(answer.snippet) if answer.snippet else ""
            self.result.value = (f"<span style='color:#b00020'>&#9888; {html.escape(answer.error)}{where}</span>"
                                 f"{caret}")
        elif not answer.exists:
            self.result.value = "<i>no value: the path finds nothing here (missing, not null)</i>"
        else:
            self.result.value = f"<small>{html.escape(answer.kind)}</small>{pre(answer.pretty)}"
        return answer
