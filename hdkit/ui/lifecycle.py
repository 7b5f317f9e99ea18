"""Widgets that are replaced are closed: a workbench opened 5 times holds what one holds.

An ipywidgets model lives (in the kernel and in the browser) until ``close()``; dropping the
Python reference is not enough. Every view that rebuilds part of itself passes the old part to
:func:`close_tree`.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets

__all__ = ["close_tree", "walk"]


def walk(root: widgets.Widget) -> Iterator[widgets.Widget]:
    """``root`` and every widget below it (children of boxes and tabs), depth first."""
    todo = [root]
    while todo:
        w = todo.pop()
        yield w
        todo.extend(reversed(getattr(w, "children", ()) or ()))


def close_tree(*roots: widgets.Widget) -> None:
    """Close ``roots`` and everything below them (their layouts and styles too)."""
    for root in roots:
        for w in list(walk(root)):
            for part in (getattr(w, "layout", None), getattr(w, "style", None)):
                if isinstance(part, widgets.Widget):
                    part.close()
            w.close()
