"""The workbench: one widget to build, try and export a template in JupyterLab or Voila.

It holds the one :class:`~hdkit.ui.state.Store` every view reads and edits: a tab per template
section (:class:`~hdkit.ui.forms.SectionTab`), a Try it tab (custom field inputs and the
engine buttons, :class:`~hdkit.ui.tryit.TryPanel`), the template Library and Export tabs, the
last result under the tabs and the live list of problems under that.

Opening a template (a sample, a file path, an uploaded file, a saved one) replaces it whole:
the section forms are rebuilt and the old ones closed, the results and OAuth2 tokens of the old
template are dropped, and the inputs start over (the sample's own demo inputs when the
workbench knows them), unless "keep inputs with the same names" is ticked. The bar above the
tabs says what is open. Nothing here parses, renders or sends: loading and saving are
:mod:`hdkit.yeastar_xml`, running is :mod:`hdkit.engine`.

    from hdkit.ui import Workbench
    Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", sandbox.url))
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from hdkit import samples
from hdkit.errors import HdkitError
from hdkit.library import TemplateLibrary
from hdkit.model import Template
from hdkit.ui.export import ExportPanel
from hdkit.ui.fields import MONO_CLASS, FieldRow, message_html
from hdkit.ui.forms import OPTIONAL_TABS, TABS, SectionTab
from hdkit.ui.inputs import InputsForm
from hdkit.ui.library_panel import LibraryPanel
from hdkit.ui.lifecycle import close_tree
from hdkit.ui.mapping import mapped_path, mapping_edit
from hdkit.ui.render import problem_line
from hdkit.ui.state import Store
from hdkit.ui.tryit import TryPanel
from hdkit.yeastar_xml import from_xml, load

__all__ = ["Workbench"]

TRY_TAB = "Try it"
LIBRARY_TAB = "Library"
EXPORT_TAB = "Export"
SampleInputs = Callable[[str], Mapping[str, Any]]
ROOT_CLASS = "hdkit-workbench"
# Presentation the widgets' own styles cannot say: code editors in a monospace font, and section
# tabs as wide as their titles, wrapping onto a second row, so "Contact Search (2)" is read whole
# at 1024 px (JupyterLab's tab bar otherwise cuts every title, the error count first).
STYLE = f"""<style>
.{MONO_CLASS} textarea {{ font-family: var(--jp-code-font-family, monospace); font-size: 12px; }}
.{ROOT_CLASS} .widget-tab > .lm-TabBar .lm-TabBar-content,
.{ROOT_CLASS} .widget-tab > .p-TabBar .p-TabBar-content {{ flex-wrap: wrap; }}
.{ROOT_CLASS} .widget-tab > .lm-TabBar .lm-TabBar-tab,
.{ROOT_CLASS} .widget-tab > .p-TabBar .p-TabBar-tab {{ flex: 0 0 auto !important; max-width: none !important; }}
.{ROOT_CLASS} .widget-tab > .lm-TabBar, .{ROOT_CLASS} .widget-tab > .p-TabBar {{ height: auto; min-height: fit-content; }}
</style>"""


def _template(source: Template | str | os.PathLike[str] | None) -> Template:
    if isinstance(source, Template):
        return source
    if not source:
        return Template()
    path = os.fspath(source)
    if path in samples.names() or not (os.path.exists(path) or path.lower().endswith(".xml")):
        return samples.load(path)  # a sample, or a name that is no file either: the refusal lists the samples
    return load(path)


class Workbench:
    """Build, try and export one template. ``template`` is a Template, a sample name, the path of
    an XML file, or None (a new template).

    ``inputs`` pre-fills the custom field values (secrets stay out of the widgets);
    ``sample_inputs(name)`` gives a sample's inputs whenever one is opened (the sandbox's demo
    credentials, for instance); ``library`` is a :class:`~hdkit.library.TemplateLibrary` or a
    folder for one (default: kept in memory); ``engine_options`` go to every
    :class:`~hdkit.engine.Engine` (``timeout=...``), ``consent_options`` to the OAuth2 Connect
    (``redirect_uri`` registered with the helpdesk, ``port`` of the loopback catch, ``timeout``).
    """

    def __init__(self, template: Template | str | os.PathLike[str] | None = None, *, inputs: Mapping[str, Any] | None = None,
                 phone: str = "", export_path: str | os.PathLike[str] = "template.xml",
                 sample_inputs: SampleInputs | None = None,
                 library: TemplateLibrary | str | os.PathLike[str] | None = None,
                 engine_options: Mapping[str, Any] | None = None,
                 consent_options: Mapping[str, Any] | None = None) -> None:
        self.sample_inputs = sample_inputs
        self.store = Store(_template(template))
        sample = template if isinstance(template, str) and template in samples.names() else None
        given = inputs if inputs is not None else (sample_inputs(sample) if sample and sample_inputs else None)
        self.inputs = InputsForm(self.store, given)
        self.try_panel = TryPanel(self.store, self.inputs, phone=phone, engine_options=engine_options,
                                  consent_options=consent_options, apply=self.apply_mapping,
                                  current=lambda kind, key: mapped_path(self.store.template, kind, key),
                                  go_to=self.go_to)

        self.sample_pick = widgets.Dropdown(options=samples.names(), value=sample, description="Sample",
                                            style={"description_width": "60px"}, layout=widgets.Layout(width="200px"))
        self.load_sample_button = widgets.Button(description="Open sample", icon="folder-open",
                                                 layout=widgets.Layout(width="auto"))
        self.xml_path = widgets.Text(description="XML file", placeholder="path/to/template.xml",
                                     style={"description_width": "60px"}, layout=widgets.Layout(width="260px"))
        self.load_xml_button = widgets.Button(description="Open XML", icon="folder-open",
                                              layout=widgets.Layout(width="auto"))
        self.upload = widgets.FileUpload(accept=".xml", multiple=False, description="Upload XML",
                                         layout=widgets.Layout(width="auto"))
        self.keep_inputs = widgets.Checkbox(value=False, description="keep inputs with the same names",
                                            indent=False, layout=widgets.Layout(width="auto"))
        self.open_label = widgets.HTML()
        self.load_message = widgets.HTML()
        self.load_sample_button.on_click(lambda _: self.open_sample(self.sample_pick.value))
        self.load_xml_button.on_click(lambda _: self._open(lambda: load(self.xml_path.value.strip()),
                                                           f"file {self.xml_path.value.strip()}"))
        self.upload.observe(lambda _: self._uploaded(), "value")

        self.export_panel = ExportPanel(lambda: self.store.template, export_path, lambda: self.store.all_problems)
        self.export_path, self.export_button = self.export_panel.path, self.export_panel.button
        self.export_message, self.xml_view = self.export_panel.message, self.export_panel.xml_view
        self.library = library if isinstance(library, TemplateLibrary) else TemplateLibrary(library)
        self.library_panel = LibraryPanel(self.library, lambda: self.store.template,
                                          lambda t: self.load(t, f"saved template {t.key}"))

        self.problems_view = widgets.HTML()
        self.tabs = widgets.Tab()
        self.sections: dict[str, SectionTab] = {}
        self._extra_tabs = [(TRY_TAB, self.try_panel.box), (LIBRARY_TAB, self.library_panel.box),
                            (EXPORT_TAB, self.export_panel.box)]
        self._build_sections()
        self._opened(f"sample {sample}" if sample else "a template given in code" if isinstance(template, Template)
                     else f"file {template}" if template else "a new template")
        self.store.observe(lambda _: self._summarise(), "revision")
        bar = widgets.HBox([self.sample_pick, self.load_sample_button, self.xml_path, self.load_xml_button,
                            self.upload, self.keep_inputs], layout=widgets.Layout(flex_flow="row wrap"))
        self.box = widgets.VBox([
            bar, self.open_label, self.load_message, self.tabs, self.try_panel.results_box,
            widgets.HTML("<h4 style='margin:6px 0 2px 0'>Problems</h4>"), self.problems_view,
            widgets.HTML(STYLE),
        ])
        self.box.add_class(ROOT_CLASS)

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

    def go_to(self, section: str, field: str) -> None:
        """Show the tab of ``section`` and put the cursor in ``field`` (a problem's location)."""
        if section == TRY_TAB:
            self.tabs.selected_index = len(self.sections) + [t for t, _ in self._extra_tabs].index(TRY_TAB)
            return
        tab = next((t for t in self.sections.values() if t.section == section), None)
        if tab is None:
            return
        self.tabs.selected_index = list(self.sections.values()).index(tab)
        try:
            row = self.field(section, field)
        except KeyError:
            return
        focus = getattr(row.widgets[-1], "focus", None) if row.widgets else None
        if focus is not None:
            focus()

    def apply_mapping(self, kind: str, key: str, path: str) -> str:
        """Map PBX field ``key`` (of ``contact`` or ``user``) to ``path``: the refusal, or ""."""
        refusal = self.store.edit(*mapping_edit(self.store.template, kind, key, path))
        if refusal is not None:
            return refusal.message
        self._rebuild_section("user_association" if kind == "user" else "contact_search")
        return ""

    # -- opening ----------------------------------------------------------------------------

    def open_sample(self, name: str) -> None:
        """Open sample ``name`` (its inputs from ``sample_inputs``, when given)."""
        given = self.sample_inputs(name) if self.sample_inputs and name else None
        self._open(lambda: samples.load(name), f"sample {name}", given, sample=name)

    def _uploaded(self) -> None:
        if not self.upload.value:
            return
        file = self.upload.value[-1]
        name = str(file["name"])
        self._open(lambda: from_xml(bytes(file["content"]), source=name), f"uploaded file {name}")

    def _open(self, read: Callable[[], Template], origin: str, given: Mapping[str, Any] | None = None,
              sample: str | None = None) -> None:
        try:
            template = read()
        except HdkitError as err:
            self.load_message.value = message_html([], str(err))
            return
        self.load(template, origin, given, sample=sample)

    def load(self, template: Template, origin: str = "a template given in code",
             given: Mapping[str, Any] | None = None, *, sample: str | None = None) -> None:
        """Edit ``template`` from now on: forms rebuilt, old results and tokens dropped, inputs
        reset to ``given`` (kept by name too when "keep inputs with the same names" is ticked)."""
        for tab in self.sections.values():
            tab.close()
        self.try_panel.clear()  # results and tokens belong to the old template's helpdesk
        self.export_panel.clear()
        self.store.load(template)
        self.inputs.reset(given, keep=self.keep_inputs.value)
        self._build_sections()
        self.sample_pick.value = sample
        self._opened(origin)

    def _opened(self, origin: str) -> None:
        name = self.store.template.general.name or "(no name yet)"
        self.open_label.value = f"<b>Open:</b> {html.escape(name)} <small>({html.escape(origin)})</small>"
        self.load_message.value = ""

    def _tab_names(self) -> list[str]:
        """The section tabs of the template open: the product's nine, and any other it holds."""
        optional = [name for name in OPTIONAL_TABS if getattr(self.store.template, name).contact_types]
        return [*TABS, *optional]

    def _build_sections(self) -> None:
        selected = self.tabs.selected_index
        old = [tab.box for tab in self.sections.values()]
        self.sections = {name: SectionTab(self.store, name, self.try_panel.actions) for name in self._tab_names()}
        self.tabs.children = [t.box for t in self.sections.values()] + [box for _, box in self._extra_tabs]
        self.tabs.selected_index = selected or 0
        close_tree(*old)
        self._summarise()

    def _rebuild_section(self, name: str) -> None:
        """Build one section tab again from the store (its widgets show the template's values)."""
        old = self.sections[name]
        old.close()
        self.sections[name] = SectionTab(self.store, name, self.try_panel.actions)
        children = list(self.tabs.children)
        children[list(self.sections).index(name)] = self.sections[name].box
        self.tabs.children = children
        close_tree(old.box)
        self._summarise()

    def _summarise(self) -> None:
        problems = self.store.all_problems
        tabs = self.sections.values()
        counts = {t.section: sum(p.is_error and p.location.section == t.section for p in problems) for t in tabs}
        self.tabs.titles = [f"{t.title} ({counts[t.section]})" if counts[t.section] else t.title for t in tabs] + [
            title for title, _ in self._extra_tabs]
        errors = sum(p.is_error for p in problems)
        head = f"{errors} error(s), {len(problems) - errors} warning(s)" if problems else "no problems"
        items = "".join(f"<li>{problem_line(p)}</li>" for p in problems)
        self.problems_view.value = f"<b>{head}</b><ul style='margin:2px 0'>{items}</ul>"

    # -- export -----------------------------------------------------------------------------

    def export(self) -> bool:
        """Write the XML to ``export_path`` and offer a download; refused while errors remain."""
        return self.export_panel.export()
