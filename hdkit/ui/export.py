"""Export: write the Yeastar XML to a file and offer it as a download, refused while errors remain.

The download is a link holding the XML (a ``data:`` URL with the ``download`` attribute): it
works in JupyterLab, Voila and a browser with no kernel round trip and no JavaScript. The XML
never holds a secret (the writer drops them). A refusal lists the errors one short line each.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable

import ipywidgets as widgets

from hdkit.errors import ValidationFailed
from hdkit.model import Template
from hdkit.problems import Problem
from hdkit.ui.render import pre, problem_line
from hdkit.validate import require_valid, validate
from hdkit.yeastar_xml import save, to_xml

__all__ = ["ExportPanel", "download_link"]


def download_link(xml: str, filename: str) -> str:
    """An HTML link that saves ``xml`` as ``filename`` when clicked."""
    data = base64.b64encode(xml.encode("utf-8")).decode("ascii")
    name = html.escape(filename, quote=True)
    return (f"<a download='{name}' href='data:application/xml;base64,{data}' "
            f"style='font-weight:bold'>&#11015; Download {html.escape(filename)}</a>")


def _file_name(template: Template) -> str:
    raw = template.key or template.general.name or "template"
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "_" for c in raw).strip("_.")
    return f"{stem or 'template'}.xml"


class ExportPanel:
    """``current()`` is the template to export and ``problems()`` what stands against it (default:
    its validation; the workbench adds the values it refused); the path may be left empty to
    only download."""

    def __init__(self, current: Callable[[], Template], path: str | os.PathLike[str] = "template.xml",
                 problems: Callable[[], list[Problem]] | None = None) -> None:
        self.current = current
        self.problems = problems or (lambda: validate(self.current()))
        self.path = widgets.Text(value=str(path), description="Export to", placeholder="file path (optional)",
                                 style={"description_width": "70px"})
        self.button = widgets.Button(description="Export XML", icon="download", button_style="primary")
        self.button.on_click(lambda _: self.export())
        self.message = widgets.HTML()
        self.download = widgets.HTML()
        self.xml_view = widgets.HTML()
        self.box = widgets.VBox([widgets.HBox([self.path, self.button]), self.message, self.download, self.xml_view])

    def export(self) -> bool:
        """Write the XML to the path (if any) and offer the download; refused while errors remain."""
        template = self.current()
        target = self.path.value.strip()
        try:
            require_valid(template, "exported", problems=self.problems())
        except ValidationFailed as refused:
            lines = "".join(f"<li>{problem_line(p)}</li>" for p in refused.errors)
            self.message.value = (f"<span style='color:#b00020'>&#9888; {html.escape(refused.message)}</span>"
                                  f"<ul style='margin:2px 0'>{lines}</ul>")
            self.download.value = self.xml_view.value = ""
            return False
        xml = to_xml(template)
        if target:
            try:
                save(template, target, check=False)  # the gate just judged it
            except OSError as err:
                self.message.value = f"<span style='color:#b00020'>&#9888; cannot write {html.escape(target)}: {html.escape(err.strerror or str(err))}</span>"
                return False
        self.message.value = html.escape(f"exported to {target}" if target else "ready to download")
        self.download.value = download_link(xml, os.path.basename(target) if target else _file_name(template))
        self.xml_view.value = pre(xml).replace("max-height:24em", "max-height:30em")
        return True

    def clear(self) -> None:
        self.message.value = self.download.value = self.xml_view.value = ""
