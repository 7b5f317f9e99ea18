"""One model field -> one labelled input, its help and example, and a message line under it.

The widget kind follows the field's type hint (text, number, checkbox, a dropdown for an enum
showing the product's words, comma separated text for a list of strings, a sized monospace
editor for a JSON body) and its label, help, example and placeholder come from
:func:`hdkit.model.field_info`, the one home of what the product form says about a field.
The help and the example are printed under the field (a tooltip nobody finds is no help); a
placeholder says "e.g." so it never looks like a value.

An input owns no state: on every ``value`` change it converts the text and hands it to the
:class:`Store`. What the model refuses stays in the box, tinted, and is recorded in the store
(:meth:`Store.refuse`) so the row's message line, the tab's count and the Problems panel say so
until it is fixed. Every validation problem located at this field shows on the message line,
never as a traceback.
"""

from __future__ import annotations

import enum
import html
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as widgets

from hdkit import limits, model
from hdkit.errors import HdkitError, Location, ModelError
from hdkit.model import field_info, split_list
from hdkit.problems import Problem
from hdkit.ui.state import Path, Store

__all__ = ["FieldRow", "Input", "Key", "LABEL_WIDTH", "hints", "input_for", "label_html", "message_html", "note_html"]

Key = tuple[str, str]  # (section, field) exactly as validate's Locations spell them
Convert = Callable[[Any], Any]

LABEL_WIDTH = "190px"
MONO_CLASS = "hdkit-mono"  # the workbench's stylesheet sets these editors in a monospace font
_REFUSED = "#fdecea"  # the tint of a box holding a value the template does not hold
_CODE_EDITORS = {"body", "headers", "refresh_body"}  # JSON bodies and header objects: several lines


def hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a model class (its annotations are strings); a view's hint is
    the type it reads and writes."""
    return model.type_hints(cls)


def _optional(hint: Any) -> tuple[Any, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a not in (type(None), model.Unrecognized)]
        return args[0], type(None) in typing.get_args(hint)
    return hint, False


def _whole_number(optional: bool) -> Convert:
    def convert(text: str) -> int | None:
        text = text.strip()
        if not text and optional:
            return None
        try:
            return int(text)
        except ValueError:
            raise ModelError(f"expected a whole number, got {text!r}") from None
    return convert


def _tooltip(info: model.FieldInfo) -> str:
    parts = [info.help]
    if info.example:
        parts.append(f"e.g. {info.example}")
    if info.limit:
        parts.append(f"limit: {info.limit}")
    return " ".join(p for p in parts if p)


def _placeholder(info: model.FieldInfo) -> str:
    return f"e.g. {info.example}" if info.example else ""


def _choice_label(member: Any) -> str:
    return str(getattr(member, "label", getattr(member, "value", member)))


def _flex() -> widgets.Layout:
    return widgets.Layout(flex="1 1 auto", width="auto", max_width="720px")


def input_for(hint: Any, info: model.FieldInfo, name: str, value: Any) -> tuple[widgets.ValueWidget, Convert]:
    """A widget showing ``value`` and the function turning its ``value`` back into model data.

    The widget carries no label of its own (the row prints it, wrapping long titles); its
    tooltip holds the help and example too.
    """
    inner, optional = _optional(hint)
    tip = _tooltip(info)
    if inner is bool:
        return widgets.Checkbox(value=value, indent=False, tooltip=tip, layout=widgets.Layout(width="auto")), bool
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        options: list[tuple[str, Any]] = [("(none)", None)] if optional else []
        options += [(_choice_label(m), m) for m in inner]
        if isinstance(value, model.Unrecognized):  # a file's value hdkit does not know: kept, shown
            options.append((f"{value} (kept as read)", value))
        return widgets.Dropdown(options=options, value=value, tooltip=tip, layout=_flex()), lambda v: v
    if inner is int:
        return widgets.Text(value="" if value is None else str(value), placeholder=_placeholder(info), tooltip=tip,
                            layout=_flex()), _whole_number(optional)
    if typing.get_origin(inner) is tuple:
        placeholder = f"comma separated, e.g. {info.example}" if info.example else "comma separated"
        return widgets.Text(value=", ".join(value), placeholder=placeholder, tooltip=tip, layout=_flex()), split_list
    if name in ("method", "refresh_method"):
        return widgets.Combobox(value=value, options=list(limits.HTTP_METHODS), ensure_option=False,
                                placeholder=_placeholder(info), tooltip=tip,
                                layout=widgets.Layout(width="120px")), lambda v: v.strip().upper()
    if name in _CODE_EDITORS:
        lines = max(4, min(14, value.count("\n") + 2))
        editor = widgets.Textarea(value=value, placeholder=_placeholder(info), tooltip=tip, rows=lines,
                                  layout=widgets.Layout(flex="1 1 auto", width="auto", max_width="720px"))
        editor.add_class(MONO_CLASS)
        return editor, lambda v: v
    return widgets.Text(value=value, placeholder=_placeholder(info), tooltip=tip, layout=_flex()), lambda v: v


def _position(p: Problem) -> str:
    line, column = p.location.line, p.location.column
    if line is None:
        return ""
    return f" (line {line}" + (f", column {column})" if column is not None else ")")


def message_html(problems: Iterable[Problem], refusal: str = "") -> str:
    """The message line: the model's refusal first, then each problem with its position and fix."""
    lines = [f'<span style="color:#b00020">&#9888; {html.escape(refusal)}</span>'] if refusal else []
    for p in problems:
        color = "#b00020" if p.is_error else "#8a6d00"
        where = _position(p)
        fix = f" <i>fix: {html.escape(p.fix)}</i>" if p.fix else ""
        lines.append(f'<span style="color:{color}">{p.severity}: {html.escape(p.message)}{where}</span>{fix}')
    return "<br>".join(lines)


def label_html(title: str, info: model.FieldInfo | None = None) -> widgets.HTML:
    """A field's label: wraps instead of being cut, marks a required field."""
    star = " <span style='color:#b00020' title='required'>*</span>" if info is not None and info.required else ""
    return widgets.HTML(f"<b>{html.escape(title)}</b>{star}",
                        layout=widgets.Layout(width=LABEL_WIDTH, min_width=LABEL_WIDTH, margin="0 8px 0 0"))


def note_html(info: model.FieldInfo) -> str:
    """The help and the example of a field, as printed under it."""
    parts = [html.escape(info.help)] if info.help else []
    if info.example:
        parts.append(f"e.g. <code>{html.escape(info.example)}</code>")
    return f"<small style='color:#666'>{' '.join(parts)}</small>" if parts else ""


def _typed(value: Any) -> str:
    """What a person typed or chose, as a refusal names it (an upload by its file name)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)) and value and isinstance(value[-1], dict) and "name" in value[-1]:
        return str(value[-1]["name"])
    return str(getattr(value, "label", value))


class Input:
    """A widget bound to the model value at ``path``: every change is an edit of the store."""

    def __init__(self, store: Store, path: Path, widget: widgets.ValueWidget, convert: Convert,
                 location: Location) -> None:
        self.store, self.path, self.widget, self.convert, self.location = store, path, widget, convert, location
        widget.observe(self._changed, "value")

    def _changed(self, change: dict[str, Any]) -> None:
        try:
            refusal: HdkitError | None = self.store.edit(self.path, self.convert(change["new"]))
        except HdkitError as err:
            refusal = err
        if refusal is not None:
            self.store.refuse(self.path, self.location, _typed(change["new"]), refusal.message)

    @property
    def refused(self) -> bool:
        return self.path in self.store.refusals

    def tint(self) -> None:
        """Tint the box while it holds a value the template does not."""
        style = getattr(self.widget, "style", None)
        if style is not None and hasattr(style, "background"):
            style.background = _REFUSED if self.refused else None


class FieldRow:
    """One row of a form: label, inputs, help and example, and the message line for ``key``."""

    def __init__(self, key: Key, inputs: list[tuple[Path, widgets.ValueWidget, Convert]],
                 store: Store, label: str = "", info: model.FieldInfo | None = None,
                 extra: list[widgets.Widget] | None = None) -> None:
        self.key, self.store = key, store
        self.message = widgets.HTML(layout=widgets.Layout(margin=f"0 0 0 {LABEL_WIDTH}"))
        self.problems: list[Problem] = []
        location = Location(key[0], key[1])
        self.inputs = [Input(store, path, w, convert, location) for path, w, convert in inputs]
        title = label or (info.title if info is not None else key[1].rpartition(" > ")[2])
        self.label = label_html(title, info)
        note = note_html(info) if info is not None else ""
        self.note = widgets.HTML(note, layout=widgets.Layout(margin=f"0 0 0 {LABEL_WIDTH}",
                                                             display=None if note else "none"))
        row = widgets.HBox([self.label, *(i.widget for i in self.inputs), *(extra or [])],
                           layout=widgets.Layout(align_items="center"))
        self.box = widgets.VBox([row, self.note, self.message], layout=widgets.Layout(margin="2px 0"))

    @classmethod
    def simple(cls, store: Store, path: Path, owner: type, name: str, key: Key) -> FieldRow:
        """The row of plain field ``name`` of model class ``owner``, whose value sits at ``path``."""
        info = field_info(owner, name)
        widget, convert = input_for(hints(owner)[name], info, name, store.get(path))
        return cls(key, [(path, widget, convert)], store, info=info)

    @property
    def widgets(self) -> list[widgets.ValueWidget]:
        return [i.widget for i in self.inputs]

    @property
    def refusal(self) -> str:
        """What the store says about a refused value in this row ("" when none)."""
        return "; ".join(self.store.refusals[i.path].message for i in self.inputs if i.refused)

    def show(self, problems: list[Problem]) -> None:
        self.problems = problems
        for i in self.inputs:
            i.tint()
        self.message.value = message_html(problems)
