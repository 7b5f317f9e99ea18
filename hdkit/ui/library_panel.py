"""The template library panel: the saved templates (at most 10, as on the PBX) and what to do with them.

A table lists each saved template with its name, key, version and problems count; a picker
chooses one to Open, Duplicate or Delete; Save stores the template being edited under its key
(replacing the saved one), Save as under a new key. What the library refuses (an 11th template,
a key already taken, a key with a slash) is shown with the library's own reason and nothing is
lost. The library is :class:`hdkit.library.TemplateLibrary` (in memory, or a folder of XML
files); this panel only shows it.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd

from hdkit import limits
from hdkit.errors import HdkitError
from hdkit.library import TemplateLibrary
from hdkit.model import Template
from hdkit.ui.render import frame_html
from hdkit.validate import validate

__all__ = ["LibraryPanel", "with_key"]


def with_key(template: Template, key: str, name: str | None = None) -> Template:
    """A copy of ``template`` under another key (and name): what Save as and Duplicate store."""
    general = dataclasses.replace(template.general, key=key, name=template.general.name if name is None else name)
    return dataclasses.replace(template, general=general)


def _free_key(library: TemplateLibrary, key: str) -> str:
    for n in range(2, limits.MAX_TEMPLATES + 3):
        candidate = f"{key}_copy" if n == 2 else f"{key}_copy{n}"
        if candidate not in library:
            return candidate
    return f"{key}_copy"


class LibraryPanel:
    """Lists ``library``; ``current()`` is the template being edited, ``open(template)`` edits one."""

    def __init__(self, library: TemplateLibrary, current: Callable[[], Template],
                 open: Callable[[Template], None]) -> None:
        self.library, self.current, self.open_template = library, current, open
        self.table = widgets.HTML()
        self.pick = widgets.Dropdown(description="Saved", options=[], style={"description_width": "60px"})
        self.open_button = widgets.Button(description="Open", icon="folder-open", layout=widgets.Layout(width="auto"))
        self.duplicate_button = widgets.Button(description="Duplicate", icon="copy", layout=widgets.Layout(width="auto"))
        self.delete_button = widgets.Button(description="Delete", icon="trash", button_style="warning",
                                            layout=widgets.Layout(width="auto"))
        self.save_button = widgets.Button(description="Save", icon="save", button_style="primary",
                                          layout=widgets.Layout(width="auto"),
                                          tooltip="store the template being edited under its key")
        self.new_key = widgets.Text(description="New key", placeholder="e.g. my_desk_v2",
                                    style={"description_width": "60px"})
        self.save_as_button = widgets.Button(description="Save as", icon="save", layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        self.open_button.on_click(lambda _: self._act(self._open))
        self.duplicate_button.on_click(lambda _: self._act(self._duplicate))
        self.delete_button.on_click(lambda _: self._act(self._delete))
        self.save_button.on_click(lambda _: self._act(self._save))
        self.save_as_button.on_click(lambda _: self._act(self._save_as))
        self.box = widgets.VBox([
            widgets.HTML(f"<i>Saved templates: at most {limits.MAX_TEMPLATES}, as on the PBX's Template "
                         "Management page.</i>"),
            self.table,
            widgets.HBox([self.pick, self.open_button, self.duplicate_button, self.delete_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.save_button, self.new_key, self.save_as_button], layout=widgets.Layout(flex_flow="row wrap")),
            self.message,
        ])
        self.refresh()

    def listing(self) -> pd.DataFrame:
        """One row per saved template: name, key, version, errors and warnings."""
        rows = []
        for t in self.library:
            problems = validate(t)
            errors = sum(p.is_error for p in problems)
            rows.append({"Name": t.general.name, "Key": t.key, "Version": t.general.version,
                         "Errors": errors, "Warnings": len(problems) - errors})
        return pd.DataFrame(rows, columns=["Name", "Key", "Version", "Errors", "Warnings"])

    def refresh(self) -> None:
        listing = self.listing()
        self.table.value = (frame_html(listing) if len(listing) else "<i>no saved template yet: Save the one "
                            "you are editing</i>") + f"<small>{len(listing)} of {limits.MAX_TEMPLATES}</small>"
        keys = self.library.keys()
        self.pick.options = [(f"{self.library.get(k).general.name or k} ({k})", k) for k in keys]
        for b in (self.open_button, self.duplicate_button, self.delete_button):
            b.disabled = not keys

    def _act(self, action: Callable[[], str]) -> None:
        try:
            done = action()
        except HdkitError as err:
            self.message.value = f"<span style='color:#b00020'>&#9888; {html.escape(err.message)}</span>"
            return
        self.refresh()
        self.message.value = f"<span style='color:#2e7d32'>&#10003; {html.escape(done)}</span>"

    def _picked(self) -> Template:
        return self.library.get(self.pick.value)

    def _open(self) -> str:
        template = self._picked()
        self.open_template(template)
        return f"opened {template.general.name or template.key}"

    def _save(self) -> str:
        template = self.current()
        if template.key in self.library:
            self.library.replace(template)
            return f"saved {template.key} (replaced the saved one)"
        self.library.add(template)
        return f"saved {template.key}"

    def _save_as(self) -> str:
        key = self.new_key.value.strip()
        self.library.add(with_key(self.current(), key))
        return f"saved as {key}"

    def _duplicate(self) -> str:
        template = self._picked()
        key = _free_key(self.library, template.key)
        self.library.add(with_key(template, key, f"{template.general.name} (copy)"))
        return f"duplicated {template.key} as {key}"

    def _delete(self) -> str:
        key = self.pick.value
        self.library.remove(key)
        return f"deleted {key}"
