"""Section tabs whose titles are never cut: a wrapping row of buttons over a Stack.

JupyterLab's Tab bar gives each of the workbench's twelve tabs a fixed share of the width and
cuts the rest of a title with an ellipsis, the error count first; at 1024 px most titles lose
it. Here each title is a button as wide as its words, and the row wraps onto a second line
when the page is narrow, so "Contact Search (2)" is always read whole. The API is the Tab's
(``children``, ``titles``, ``selected_index``), so callers do not care which it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from hdkit.ui.lifecycle import close_tree

__all__ = ["SectionNav"]


class SectionNav:
    """A tab bar that wraps: one button per page, the page shown below."""

    def __init__(self) -> None:
        self._titles: list[str] = []
        self.bar = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap", margin="0 0 4px 0"))
        self.stack = widgets.Stack(layout=widgets.Layout(border="1px solid #ddd", padding="6px"))
        self.box = widgets.VBox([self.bar, self.stack])
        self.buttons: list[widgets.Button] = []
        self.stack.observe(lambda _: self._style(), "selected_index")

    @property
    def children(self) -> tuple[widgets.Widget, ...]:
        return tuple(self.stack.children)

    @children.setter
    def children(self, pages: Sequence[widgets.Widget]) -> None:
        selected = self.stack.selected_index
        self.stack.children = list(pages)
        self.stack.selected_index = min(selected or 0, len(pages) - 1) if pages else None
        if len(self.buttons) != len(pages):
            self._build(len(pages))
        self._style()

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(self._titles)

    @titles.setter
    def titles(self, titles: Sequence[str]) -> None:
        self._titles = list(titles)
        if len(self.buttons) != len(self._titles):
            self._build(len(self._titles))
        self._style()

    @property
    def selected_index(self) -> int | None:
        return self.stack.selected_index

    @selected_index.setter
    def selected_index(self, index: int | None) -> None:
        self.stack.selected_index = index

    def select(self, title: str) -> None:
        """Show the page whose title starts with ``title`` (a section name, counts aside)."""
        for i, t in enumerate(self._titles):
            if t == title or t.startswith(f"{title} ("):
                self.stack.selected_index = i
                return
        raise KeyError(f"no page {title!r}")

    def _build(self, count: int) -> None:
        old = self.buttons
        self.buttons = []
        for i in range(count):
            b = widgets.Button(layout=widgets.Layout(width="auto", margin="1px 2px"))
            b.on_click(lambda _, i=i: setattr(self.stack, "selected_index", i))
            self.buttons.append(b)
        self.bar.children = self.buttons
        close_tree(*old)

    def _style(self) -> None:
        for i, b in enumerate(self.buttons):
            title = self._titles[i] if i < len(self._titles) else ""
            b.description = title
            b.tooltip = f"show {title}"
            b.button_style = "primary" if i == self.stack.selected_index else ""
            b.icon = "exclamation-triangle" if title.endswith(")") and "(" in title else ""
