"""The workbench: one tabbed widget to build, try and export a template in JupyterLab.

It holds the one :class:`~hdkit.ui.state.Store` every view reads and edits: a tab per template
section (:class:`~hdkit.ui.forms.SectionTab`), a Try it tab (custom field inputs and the engine
buttons, :class:`~hdkit.ui.tryit.TryPanel`), an Export tab, and the live list of problems under
the tabs. Opening a sample or an XML file replaces the template and rebuilds the section tabs;
the inputs already typed are kept by name. Nothing here parses, renders or sends: loading and
saving are :mod:`hdkit.yeastar_xml`, running is :mod:`hdkit.engine`.

    from hdkit.ui import Workbench
    Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", sandbox.url))
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from hdkit import samples
from hdkit.errors import HdkitError, ValidationFailed
from hdkit.model import Template
from hdkit.ui.fields import FieldRow, message_html
from hdkit.ui.forms import TABS, SectionTab
from hdkit.ui.inputs import InputsForm
from hdkit.ui.mapping import mapped_path, mapping_edit
from hdkit.ui.state import Store
from hdkit.ui.tryit import TryPanel
from hdkit.yeastar_xml import load, save, to_xml

__all__ = ["Workbench"]

TRY_TAB = "Try it"
EXPORT_TAB = "Export"


def _template(source: Template | str | None) -> Template:
    if isinstance(source, Template):
        return source
    return samples.load(source) if source else Template()


class Workbench:
    """Build, try and export one template. ``template`` is a Template, a sample name or None.

    ``inputs`` pre-fills the custom field values (secrets stay out of the widgets),
    ``engine_options`` go to every :class:`~hdkit.engine.Engine` (``timeout=...``),
    ``authorize_options`` to :meth:`Engine.authorize` (``redirect_uri``, ``paste``...).
    """

    def __init__(self, template: Template | str | None = None, *, inputs: Mapping[str, Any] | None = None,
                 phone: str = "", export_path: str | os.PathLike[str] = "template.xml",
                 engine_options: Mapping[str, Any] | None = None,
                 authorize_options: Mapping[str, Any] | None = None) -> None:
        self.store = Store(_template(template))
        self.inputs = InputsForm(self.store, inputs)
        self.try_panel = TryPanel(self.store, self.inputs, phone=phone, engine_options=engine_options,
                                  authorize_options=authorize_options, apply=self.apply_mapping,
                                  current=lambda kind, key: mapped_path(self.store.template, kind, key))

        self.sample_pick = widgets.Dropdown(options=samples.names(), description="Sample")
        self.load_sample_button = widgets.Button(description="Open sample", icon="folder-open")
        self.xml_path = widgets.Text(description="XML file", placeholder="path/to/template.xml")
        self.load_xml_button = widgets.Button(description="Open XML", icon="folder-open")
        self.load_message = widgets.HTML()
        self.load_sample_button.on_click(lambda _: self._open(lambda: samples.load(self.sample_pick.value)))
        self.load_xml_button.on_click(lambda _: self._open(lambda: load(self.xml_path.value.strip())))

        self.export_path = widgets.Text(value=str(export_path), description="Export to")
        self.export_button = widgets.Button(description="Export XML", icon="download", button_style="primary")
        self.export_button.on_click(lambda _: self.export())
        self.export_message = widgets.HTML()
        self.xml_view = widgets.HTML()
        export_box = widgets.VBox([widgets.HBox([self.export_path, self.export_button]),
                                   self.export_message, self.xml_view])

        self.problems_view = widgets.HTML()
        self.tabs = widgets.Tab()
        self.sections: dict[str, SectionTab] = {}
        self._extra_tabs = [(TRY_TAB, self.try_panel.box), (EXPORT_TAB, export_box)]
        self._build_sections()
        self.store.observe(lambda _: self._summarise(), "revision")
        self.box = widgets.VBox([
            widgets.HBox([self.sample_pick, self.load_sample_button, self.xml_path, self.load_xml_button]),
            self.load_message, self.tabs, widgets.HTML("<h4>Problems</h4>"), self.problems_view,
        ])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    @property
    def template(self) -> Template:
        """The template as edited so far."""
        return self.store.template

    def field(self, section: str, field: str) -> FieldRow:
        """The row of ``field`` in ``section``, named as problems locate it
        (``field("Headers", "Header 2 > Value")``)."""
        rows = [v for tab in self.sections.values() for v in tab.root.views()
                if isinstance(v, FieldRow) and v.key == (section, field)]
        if not rows:
            raise KeyError(f"no field {field!r} in section {section!r}")
        return rows[0]

    def wait(self, timeout: float = 60.0) -> None:
        """Wait until every Try started has finished and shows its result (scripts, tests)."""
        self.try_panel.wait(timeout)

    def apply_mapping(self, kind: str, key: str, path: str) -> str:
        """Map PBX field ``key`` (of ``contact`` or ``user``) to ``path``: the refusal, or ""."""
        refusal = self.store.edit(*mapping_edit(self.store.template, kind, key, path))
        if refusal is not None:
            return refusal.message
        name = "user_association" if kind == "user" else "contact_search"
        self._rebuild_section(name)
        return ""

    def _rebuild_section(self, name: str) -> None:
        """Build one section tab again from the store (its widgets show the template's values)."""
        old = self.sections[name]
        old.close()
        self.sections[name] = SectionTab(self.store, name)
        children = list(self.tabs.children)
        children[list(self.sections).index(name)] = self.sections[name].box
        self.tabs.children = children
        self._summarise()

    # -- opening ----------------------------------------------------------------------------

    def _open(self, read: Any) -> None:
        try:
            template = read()
        except HdkitError as err:
            self.load_message.value = message_html([], str(err))
            return
        self.load(template)
        self.load_message.value = html.escape(f"opened {template.general.name or 'a template'!s}")

    def load(self, template: Template) -> None:
        """Edit ``template`` from now on (the forms are rebuilt for it)."""
        for tab in self.sections.values():
            tab.close()
        self.store.load(template)
        self._build_sections()

    def _build_sections(self) -> None:
        selected = self.tabs.selected_index
        self.sections = {name: SectionTab(self.store, name) for name in TABS}
        self.tabs.children = [t.box for t in self.sections.values()] + [box for _, box in self._extra_tabs]
        self.tabs.selected_index = selected or 0
        self._summarise()

    def _summarise(self) -> None:
        problems = self.store.problems
        counts = {s: sum(p.is_error and p.location.section == s for p in problems) for s in TABS.values()}
        self.tabs.titles = [f"{s} ({counts[s]})" if counts[s] else s for s in TABS.values()] + [
            title for title, _ in self._extra_tabs]
        errors = sum(p.is_error for p in problems)
        head = f"{errors} error(s), {len(problems) - errors} warning(s)" if problems else "no problems"
        items = "".join(f"<li>{message_html([p])} <small>at {html.escape(str(p.location))}</small></li>"
                        for p in problems)
        self.problems_view.value = f"<b>{head}</b><ul>{items}</ul>"

    # -- export -----------------------------------------------------------------------------

    def export(self) -> bool:
        """Write the XML to ``export_path``; refused (problems listed) while errors remain."""
        path = self.export_path.value.strip()
        try:
            save(self.store.template, path)
        except ValidationFailed as err:
            self.export_message.value = message_html([p for p in err.problems if p.is_error], err.message)
            self.xml_view.value = ""
            return False
        except OSError as err:
            self.export_message.value = message_html([], f"cannot write {path}: {err.strerror}")
            return False
        self.export_message.value = html.escape(f"exported to {path}")
        xml = html.escape(to_xml(self.store.template))
        self.xml_view.value = f"<pre style='max-height:30em;overflow:auto'>{xml}</pre>"
        return True
