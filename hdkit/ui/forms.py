"""One form per template section, built from the model's own fields.

A :class:`Form` walks the dataclass of its section: plain fields become :class:`FieldRow`\\ s,
nested sections become sub-forms, lists of sections (custom fields, headers, contact types,
follow-up requests, outputs) become a :class:`ListForm` with Add and Remove buttons, and the
on/off-plus-value pairs of the Yeastar page (a contact field mapping, a call option) become one
row. Every view carries the ``(section, field)`` key validate's problems are located by, so
:meth:`SectionTab.show` can put each problem beside its field; what no view claims shows at the
top of the tab. Counts are limited by the model, not here: an Add the model refuses (a 6th custom
field, a 21st header) shows the refusal and disables the button.
"""

from __future__ import annotations

import dataclasses
import html
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any, Union

import ipywidgets as widgets

from hdkit import model, vocabulary
from hdkit.model import field_info
from hdkit.problems import Problem
from hdkit.ui.fields import FieldRow, Key, hints, input_for, message_html, note_html
from hdkit.ui.lifecycle import close_tree
from hdkit.ui.state import Path, Store

__all__ = ["Actions", "Form", "ListForm", "SectionTab", "TABS", "TAB_TITLES"]

# Template field -> the section it is (validate locates problems by these names), in the order of
# the product's template form.
TABS: dict[str, str] = {
    "general": vocabulary.GENERAL,
    "user_association": vocabulary.USER_ASSOCIATION,
    "auth": vocabulary.AUTHENTICATION,
    "headers": vocabulary.HEADERS,
    "follow_ups": vocabulary.FOLLOW_UPS,
    "contact_search": vocabulary.CONTACT_SEARCH,
    "contact_creation": vocabulary.CONTACT_CREATION,
    "call_journal": vocabulary.CALL_JOURNAL,
    "new_ticket": vocabulary.NEW_TICKET,
}
# What the product's form titles each section (where it differs from the section's name).
TAB_TITLES: dict[str, str] = {**TABS, "contact_creation": "Create New Contact"}
# A section the product form does not show but a file may hold (Linkus keyword search): a tab
# of its own only when the template has it.
OPTIONAL_TABS: dict[str, str] = {"keyword_search": vocabulary.KEYWORD_SEARCH}

# An on/off switch and one value, shown as one row keyed by the field that holds them.
_PAIRS: dict[type, str] = {model.FieldMapping: "path", model.CallOption: "default"}

# (tab name, path of the part, its class) -> widgets shown at the top of that part's form
# (the workbench's Try buttons beside each request).
Actions = Callable[[str, "Path", type], list[widgets.Widget]]


def _choice(attribute: str, *choices: Any) -> Callable[[Any], bool]:
    """True when the part's ``attribute`` (a method, a mode, a type) is one of ``choices``."""
    return lambda part: getattr(part, attribute) in choices


_PAGE, _OFFSET = model.PaginationMode.PAGE, model.PaginationMode.OFFSET
# Fields that only matter for one choice of their part's method, mode or type (hidden otherwise).
SHOWN_WHEN: dict[tuple[type, str], Callable[[Any], bool]] = {
    (model.Auth, "basic"): _choice("method", model.AuthMethod.BASIC),
    (model.Auth, "oauth2"): _choice("method", model.AuthMethod.OAUTH2, model.AuthMethod.BEARER),
    **{(model.Pagination, n): _choice("mode", _PAGE) for n in ("page_param", "page_start", "size_param", "size")},
    **{(model.Pagination, n): _choice("mode", _OFFSET)
       for n in ("offset_param", "offset_start", "limit_param", "limit")},
    (model.Pagination, "next_link_path"): _choice("mode", model.PaginationMode.NEXT_LINK),
    (model.Popup, "url_format"): _choice("mode", model.PopupMode.URL_FORMAT),
    (model.Popup, "contact_field_path"): _choice("mode", model.PopupMode.CONTACT_FIELD),
    (model.CustomField, "options"): _choice("type", model.FieldType.DROPDOWN),
}


def _logo(upload: tuple[Mapping[str, Any], ...]) -> model.Logo | None:
    """The uploaded file as a Logo (the model refuses a wrong format or size)."""
    if not upload:
        return None
    file = upload[-1]
    return model.Logo(file["name"], bytes(file["content"]))


def _logo_preview(logo: model.Logo | None) -> widgets.Image:
    """The logo as the Helpdesk list shows it (75 px, half its suggested size)."""
    image = widgets.Image(width=75, height=75, layout=widgets.Layout(margin="0 0 0 8px"))
    _preview(image, logo)
    return image


def _preview(image: widgets.Image, logo: model.Logo | None) -> None:
    if logo is not None and logo.data:
        image.format = "png" if logo.data.startswith(b"\x89PNG") else "jpeg"
        image.value = logo.data
        image.layout.display = None
    else:
        image.value = b""
        image.layout.display = "none"


View = Union[FieldRow, "Form", "ListForm"]


def _item_type(hint: Any) -> type[model.Part] | None:
    """The model part a ``tuple[Section, ...]`` holds, else None."""
    args = getattr(hint, "__args__", ())
    if getattr(hint, "__origin__", None) is tuple and args and isinstance(args[0], type) \
            and issubclass(args[0], model.Part):
        return args[0]
    return None


def blank(cls: type) -> Any:
    """A new item of ``cls`` with its required text fields empty (validate then asks for them)."""
    required = [f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    return cls(**dict.fromkeys(required, ""))


def _heading(title: str) -> widgets.HTML:
    return widgets.HTML(f"<h4 style='margin:6px 0 2px 0'>{html.escape(title)}</h4>")


class Form:
    """The section of class ``cls`` at ``path``: a row or sub-view per field."""

    def __init__(self, store: Store, path: Path, cls: type, section: str, *, prefix: str = "",
                 title: str = "", on_remove: Callable[[], None] | None = None,
                 actions: Actions | None = None, tab: str = "", info: model.FieldInfo | None = None) -> None:
        self.store, self.path, self.cls = store, path, cls
        self.actions, self.tab = actions, tab or str(path[0])
        self.section = getattr(cls, "SECTION", "") or section
        self.key: Key = (self.section, prefix + title)
        self.message = widgets.HTML()
        names = model.form_fields(cls)
        self.children: list[View] = [self._view(name, prefix) for name in names]
        self._conditional = [(child, SHOWN_WHEN[(cls, name)])
                             for name, child in zip(names, self.children, strict=True) if (cls, name) in SHOWN_WHEN]
        head: list[widgets.Widget] = [_heading(title)] if title else []
        if on_remove is not None:
            self.remove = widgets.Button(description=f"Remove {title}", icon="trash",
                                         button_style="warning", layout=widgets.Layout(width="auto"))
            self.remove.on_click(lambda _: on_remove())
            head.append(self.remove)
        tools = actions(self.tab, path, cls) if actions is not None else []
        top = [widgets.HBox(head, layout=widgets.Layout(align_items="center"))] if head else []
        note = note_html(info) if info is not None else ""  # a group explained as a whole (Contact Field Mapping)
        top += [widgets.HTML(note)] if note else []
        self.box: widgets.VBox = widgets.VBox([*top, *tools, self.message, *(c.box for c in self.children)],
                                layout=widgets.Layout(margin="0 0 0 12px" if title else "0"))
        self.toggle()

    def toggle(self) -> None:
        """Show only the fields the current method, mode or type uses."""
        if self._conditional:
            value = self.store.get(self.path)
            for child, shown in self._conditional:
                child.box.layout.display = None if shown(value) else "none"

    def _view(self, name: str, prefix: str) -> View:
        hint = hints(self.cls)[name]
        info = field_info(self.cls, name)
        path = (*self.path, name)
        key: Key = (self.section, prefix + info.title)
        if (self.cls, name) == (model.General, "logo"):
            return self._logo_row(path, key, info)
        if hint in _PAIRS:
            value_name = _PAIRS[hint]
            switch = widgets.Checkbox(value=self.store.get((*path, "enabled")), description="enabled",
                                      indent=False, layout=widgets.Layout(width="90px"))
            text, convert = input_for(str, dataclasses.replace(field_info(hint, value_name), example=info.example,
                                                               help=info.help), value_name,
                                      self.store.get((*path, value_name)))
            return FieldRow(key, [((*path, "enabled"), switch, bool), ((*path, value_name), text, convert)],
                            self.store, info=info)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return Form(self.store, path, hint, self.section, prefix=prefix, title=info.title,
                        actions=self.actions, tab=self.tab, info=info)
        item = _item_type(hint)
        if item is not None:
            return ListForm(self.store, path, item, self.section, key, actions=self.actions, tab=self.tab,
                            info=info)
        return FieldRow.simple(self.store, path, self.cls, name, key)

    def _logo_row(self, path: Path, key: Key, info: model.FieldInfo) -> FieldRow:
        upload = widgets.FileUpload(accept=".png,.jpg,.jpeg", multiple=False, description="Upload logo",
                                    layout=widgets.Layout(width="auto"))
        current = self.store.get(path)
        name = widgets.HTML(html.escape(current.filename) if current else "<i>no logo</i>",
                            layout=widgets.Layout(margin="0 0 0 8px"))
        preview = _logo_preview(current)
        row = FieldRow(key, [(path, upload, _logo)], self.store, info=info, extra=[name, preview])

        def follow(_: Any) -> None:
            logo = self.store.get(path)
            name.value = html.escape(logo.filename) if logo else "<i>no logo</i>"
            _preview(preview, logo)
        upload.observe(follow, "value")
        return row

    def views(self) -> Iterator[View]:
        """This form and every view below it."""
        yield self
        for child in self.children:
            yield from child.views() if not isinstance(child, FieldRow) else (child,)

    def show(self, problems: list[Problem]) -> None:
        self.message.value = message_html(problems)


class ListForm:
    """A list of sections (``tuple[cls, ...]``) at ``path``, with Add and Remove."""

    def __init__(self, store: Store, path: Path, cls: type[model.Part], section: str, key: Key, *,
                 actions: Actions | None = None, tab: str = "", info: model.FieldInfo | None = None) -> None:
        self.store, self.path, self.cls, self.section, self.key = store, path, cls, section, key
        self.actions, self.tab = actions, tab or str(path[0])
        self.label = cls.ITEM or cls.__name__  # as validate numbers them: "Header 2 > Name"
        self.add = widgets.Button(description=f"Add {self.label}", icon="plus", layout=widgets.Layout(width="auto"))
        self.add.on_click(lambda _: self._add())
        self.message = widgets.HTML()
        self.refusal = ""
        self.items_box = widgets.VBox()
        self.items: list[Form] = []
        note = note_html(info) if info is not None else ""
        self.box = widgets.VBox([_heading(key[1] or self.label), *([widgets.HTML(note)] if note else []),
                                 self.items_box, widgets.HBox([self.add, self.message])])
        self._build()

    def _build(self) -> None:
        old = [f.box for f in self.items]
        self.items = [
            Form(self.store, (*self.path, i), self.cls, self.section, prefix=f"{self.cls.label(i + 1)} > ",
                 title=self.cls.label(i + 1), on_remove=partial(self._remove, i),
                 actions=self.actions, tab=self.tab)
            for i in range(len(self.store.get(self.path)))
        ]
        self.items_box.children = [f.box for f in self.items]
        close_tree(*old)

    def _edit(self, items: tuple[Any, ...]) -> None:
        """Change the list and rebuild the items before anyone hears of it (see Store)."""
        with self.store.hold_trait_notifications():
            refusal = self.store.edit(self.path, items)
            if refusal is None:
                self._build()
        self.refusal = refusal.message if refusal else ""
        self.add.disabled = refusal is not None
        distribute(iter([self]), self.store.all_problems)

    def _add(self) -> None:
        self._edit((*self.store.get(self.path), blank(self.cls)))

    def _remove(self, index: int) -> None:
        items = self.store.get(self.path)
        self._edit(items[:index] + items[index + 1:])

    def views(self) -> Iterator[View]:
        yield self
        for item in self.items:
            yield from item.views()

    def show(self, problems: list[Problem]) -> None:
        self.message.value = message_html(problems, self.refusal)


def distribute(views: Iterator[View], problems: list[Problem]) -> list[Problem]:
    """Show each problem on the view its location names; return the ones no view claimed."""
    by_key: dict[Key, list[Problem]] = defaultdict(list)
    for p in problems:
        by_key[(p.location.section or "", p.location.field or "")].append(p)
    claimed: set[Key] = set()
    for view in views:
        view.show(by_key.get(view.key, []))
        claimed.add(view.key)
    return [p for key, ps in by_key.items() if key not in claimed for p in ps]


class SectionTab:
    """One tab of the workbench: the form of template field ``name``, kept in step with problems.

    ``actions`` puts widgets (the Try buttons) at the top of the forms of the parts it knows.
    """

    def __init__(self, store: Store, name: str, actions: Actions | None = None) -> None:
        self.store, self.name = store, name
        self.section = TABS.get(name) or OPTIONAL_TABS[name]
        self.title = TAB_TITLES.get(name, self.section)
        hint = hints(model.Template)[name]
        item = _item_type(hint)
        self.root: Form | ListForm = (
            ListForm(store, (name,), item, self.section, (self.section, field_info(model.Template, name).title),
                     actions=actions, tab=name)
            if item is not None else Form(store, (name,), hint, self.section, actions=actions, tab=name)
        )
        self.message = widgets.HTML()
        self.box = widgets.VBox([self.message, self.root.box])
        store.observe(self._on_revision, "revision")
        self.show(store.all_problems)

    def _on_revision(self, change: dict[str, Any]) -> None:
        self.show(self.store.all_problems)

    def show(self, problems: list[Problem]) -> None:
        for view in self.root.views():
            if isinstance(view, Form):
                view.toggle()
        mine = [p for p in problems if p.location.section == self.section]
        self.message.value = message_html(distribute(self.root.views(), mine))

    def close(self) -> None:
        """Stop following the store (the workbench drops this tab when it loads a template)."""
        self.store.unobserve(self._on_revision, "revision")
