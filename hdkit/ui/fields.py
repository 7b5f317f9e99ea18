"""One model field -> one labelled input with a message line beside it.

The widget kind follows the field's type hint (text, number, checkbox, dropdown for an enum,
comma separated text for a list of strings) and its label, tooltip and placeholder come from
:func:`hdkit.model.field_info`, so the form says what the Yeastar page says. An input owns no
state: on every ``value`` change it converts the text and hands it to the :class:`Store`; what
the model refuses, and every validation problem located at this field, shows on the row's
message line, never as a traceback.
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
from hdkit.errors import HdkitError, ModelError
from hdkit.model import field_info, split_list
from hdkit.problems import Problem
from hdkit.ui.state import Path, Store

__all__ = ["FieldRow", "Input", "Key", "hints", "input_for", "message_html"]

Key = tuple[str, str]  # (section, field) exactly as validate's Locations spell them
Convert = Callable[[Any], Any]

_STYLE = {"description_width": "230px"}
_MULTILINE = {"body", "headers", "refresh_body"}


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


def input_for(hint: Any, info: model.FieldInfo, name: str, value: Any) -> tuple[widgets.ValueWidget, Convert]:
    """A widget showing ``value`` and the function turning its ``value`` back into model data."""
    inner, optional = _optional(hint)
    if inner is bool:
        return widgets.Checkbox(value=value, indent=False, description=info.title, tooltip=_tooltip(info)), bool
    common: dict[str, Any] = {"description": info.title, "style": _STYLE, "layout": widgets.Layout(width="62%"),
                              "tooltip": _tooltip(info)}
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        options: list[tuple[str, Any]] = [("(none)", None)] if optional else []
        options += [(m.value, m) for m in inner]
        if isinstance(value, model.Unrecognized):  # a file's value hdkit does not know: kept, shown
            options.append((f"{value} (kept as read)", value))
        return widgets.Dropdown(options=options, value=value, **common), lambda v: v
    if inner is int:
        return widgets.Text(value="" if value is None else str(value), placeholder=info.example,
                            **common), _whole_number(optional)
    if typing.get_origin(inner) is tuple:
        return widgets.Text(value=", ".join(value), placeholder="comma separated", **common), split_list
    if name == "method":
        return widgets.Combobox(value=value, options=list(limits.HTTP_METHODS), ensure_option=False,
                                **common), lambda v: v.strip().upper()
    kind = widgets.Textarea if name in _MULTILINE else widgets.Text
    return kind(value=value, placeholder=info.example, **common), lambda v: v


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


class Input:
    """A widget bound to the model value at ``path``: every change is an edit of the store."""

    def __init__(self, store: Store, path: Path, widget: widgets.ValueWidget, convert: Convert,
                 on_result: Callable[[str], None]) -> None:
        self.store, self.path, self.widget, self.convert = store, path, widget, convert
        self._on_result = on_result
        widget.observe(self._changed, "value")

    def _changed(self, change: dict[str, Any]) -> None:
        try:
            refusal = self.store.edit(self.path, self.convert(change["new"]))
        except HdkitError as err:
            refusal = err
        self._on_result(refusal.message if refusal else "")


class FieldRow:
    """One row of a form: its inputs, and the message line for problems located at ``key``."""

    def __init__(self, key: Key, inputs: list[tuple[Path, widgets.ValueWidget, Convert]],
                 store: Store, label: str = "") -> None:
        self.key = key
        self.message = widgets.HTML(layout=widgets.Layout(margin="0 0 0 8px"))
        self.refusal = ""
        self.problems: list[Problem] = []
        self.inputs = [Input(store, path, w, convert, self._refused) for path, w, convert in inputs]
        head = [widgets.HTML(f"<b>{html.escape(label)}</b>", layout=widgets.Layout(width="230px"))] if label else []
        self.box = widgets.VBox([widgets.HBox(head + [i.widget for i in self.inputs]), self.message])

    @classmethod
    def simple(cls, store: Store, path: Path, owner: type, name: str, key: Key) -> FieldRow:
        """The row of plain field ``name`` of model class ``owner``, whose value sits at ``path``."""
        widget, convert = input_for(hints(owner)[name], field_info(owner, name), name, store.get(path))
        return cls(key, [(path, widget, convert)], store)

    @property
    def widgets(self) -> list[widgets.ValueWidget]:
        return [i.widget for i in self.inputs]

    def _refused(self, message: str) -> None:
        self.refusal = message
        self._render()

    def show(self, problems: list[Problem]) -> None:
        self.problems = problems
        self._render()

    def _render(self) -> None:
        self.message.value = message_html(self.problems, self.refusal)
