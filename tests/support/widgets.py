"""Finding widgets the way a person does: by description, role or text, never by position."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets


def walk(w: widgets.Widget) -> Iterator[widgets.Widget]:
    yield w
    for child in getattr(w, "children", ()):
        yield from walk(child)


def button(root: widgets.Widget, description: str) -> widgets.Button:
    """The one button called ``description`` under ``root``."""
    (found,) = [w for w in walk(root) if isinstance(w, widgets.Button) and w.description == description]
    return found


def buttons(root: widgets.Widget, prefix: str = "") -> list[widgets.Button]:
    return [w for w in walk(root) if isinstance(w, widgets.Button) and w.description.startswith(prefix)]


def shown(w: widgets.Widget) -> bool:
    return w.layout.display != "none"
