"""Export: written to the path and offered as a download holding the same XML; refused while
errors remain, each error one short line."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from support.widgets import button

from hdkit.sandbox.accounts import DEMO
from hdkit.ui import Workbench


def _downloaded(link_html: str) -> tuple[str, str]:
    found = re.search(r"download='([^']+)' href='data:application/xml;base64,([^']+)'", link_html)
    assert found, link_html
    return found.group(1), base64.b64decode(found.group(2)).decode("utf-8")


def test_export_writes_the_file_and_offers_the_same_xml_as_a_download(tmp_path: Path) -> None:
    wb = Workbench("freshdesk", inputs={"api_key": DEMO["freshdesk"]["api_key"]})
    wb.export_path.value = str(tmp_path / "out.xml")
    button(wb.box, "Export XML").click()
    name, xml = _downloaded(wb.export_panel.download.value)
    assert name == "out.xml" and xml == (tmp_path / "out.xml").read_text(encoding="utf-8")
    assert DEMO["freshdesk"]["api_key"] not in xml


def test_a_download_needs_no_path(tmp_path: Path) -> None:
    wb = Workbench("freshdesk")
    wb.export_path.value = ""
    button(wb.box, "Export XML").click()
    name, xml = _downloaded(wb.export_panel.download.value)
    assert name == f"{wb.template.key}.xml" and xml.lstrip().startswith("<?xml")
    assert "ready to download" in wb.export_message.value and not list(tmp_path.iterdir())


def test_a_refusal_lists_each_error_on_its_own_line(tmp_path: Path) -> None:
    wb = Workbench("freshdesk")
    wb.field("General", "Helpdesk Name").widgets[0].value = ""
    wb.field("General", "Key").widgets[0].value = ""
    wb.export_path.value = str(tmp_path / "out.xml")
    button(wb.box, "Export XML").click()
    message = wb.export_message.value
    assert "2 error(s); not exported" in message and message.count("<li>") == 2
    assert "<b>General &gt; Helpdesk Name</b>" in message and wb.export_panel.download.value == ""
    assert not (tmp_path / "out.xml").exists()
