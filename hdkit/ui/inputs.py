"""What the integrating user types into the template's custom fields, kept apart from it.

Inputs are not part of the template: they are never validated into it, exported or shown in a
result. A Password Input is a masked :class:`ipywidgets.Password`. Values handed in from code
(``Workbench(inputs=...)``, e.g. the sandbox's demo credentials) stay in this object: a secret
given that way is never copied into any widget, so it cannot reach the browser or a saved
notebook's widget state; typing into its box replaces it. The form follows the template's
custom fields as they are edited, keeping what was typed by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from hdkit.model import CustomField, FieldType, Inputs
from hdkit.secrets import Secret
from hdkit.ui.lifecycle import close_tree
from hdkit.ui.state import Store

__all__ = ["InputsForm"]

_STYLE = {"description_width": "230px"}
_GIVEN = "(given in code, hidden)"


def _shown(given: Any) -> str:
    """What a non-password widget may show of a value given in code (never a Secret)."""
    return "" if given is None or isinstance(given, Secret) else str(given)


class InputsForm:
    """One widget per custom field of the current template; :meth:`inputs` checks them."""

    def __init__(self, store: Store, given: Mapping[str, Any] | None = None) -> None:
        self.store = store
        self._given: dict[str, Any] = dict(given or {})
        self._fields: tuple[CustomField, ...] = ()
        self.widgets: dict[str, widgets.ValueWidget] = {}
        self.box = widgets.VBox()
        store.observe(self._follow, "template")
        self._build()

    def _follow(self, change: dict[str, Any]) -> None:
        self._build()

    def reset(self, given: Mapping[str, Any] | None = None, *, keep: bool = False) -> None:
        """Start over for a template just opened: what was typed or given no longer applies.

        ``given`` are the values known for it (a sample's sandbox credentials); with ``keep``
        what was typed (or given before) is kept for the fields of the same name, as asked.
        """
        typed = {name: w.value for name, w in self.widgets.items() if w.value} if keep else {}
        kept = {name: v for name, v in self._given.items() if name not in typed} if keep else {}
        self._given = {**dict(given or {}), **kept}
        self._build(typed, force=True)

    def _build(self, typed: Mapping[str, Any] | None = None, *, force: bool = False) -> None:
        fields = self.store.template.auth.custom_fields
        if fields == self._fields and not force:
            return
        if typed is None:
            typed = {name: w.value for name, w in self.widgets.items() if w.value}
        old = list(self.box.children)
        self._fields = fields
        self.widgets = {f.name: self._widget(f, typed.get(f.name)) for f in fields if f.name}
        note = widgets.HTML("<i>Custom field values: used by Try it, never saved in the template "
                            "or shown in results.</i>")
        self.box.children = [note, *self.widgets.values()]
        close_tree(*old)

    def _widget(self, spec: CustomField, typed: Any) -> widgets.ValueWidget:
        label = spec.title or spec.name
        given = self._given.get(spec.name)
        hidden = _GIVEN if given is not None and not _shown(given) else ""
        if spec.type is FieldType.PASSWORD:
            return widgets.Password(value=typed or "", description=label, style=_STYLE,
                                    placeholder=_GIVEN if given is not None else "",
                                    layout=widgets.Layout(width="62%"))
        if spec.type is FieldType.DROPDOWN:
            value = typed if typed in spec.options else _shown(given)
            return widgets.Dropdown(options=list(spec.options), description=label, style=_STYLE,
                                    value=value if value in spec.options else None)
        return widgets.Text(value=typed or _shown(given), description=label, placeholder=hidden,
                            style=_STYLE, layout=widgets.Layout(width="62%"))

    def values(self) -> dict[str, Any]:
        """Name -> value: what was typed, else what was given in code; blanks left out."""
        out: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            value = widget.value if widget.value not in ("", None) else self._given.get(name)
            if value not in ("", None):
                out[name] = value
        return out

    def inputs(self) -> Inputs:
        """The values as :class:`~hdkit.model.Inputs` (a ModelError names a bad one)."""
        return Inputs.for_template(self.store.template, self.values())
