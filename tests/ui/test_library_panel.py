"""The template library panel: saved templates listed with their problems count; open, save,
save as, duplicate, delete; the 11th refused with the library's reason and nothing lost."""

from __future__ import annotations

from pathlib import Path

from support.widgets import button

from hdkit import samples
from hdkit.library import TemplateLibrary
from hdkit.ui import Workbench


def test_save_lists_the_template_with_its_problems_count(tmp_path: Path) -> None:
    wb = Workbench("freshdesk", library=tmp_path)
    panel = wb.library_panel
    assert "no saved template yet" in panel.table.value and panel.open_button.disabled
    button(panel.box, "Save").click()
    listing = panel.listing()
    name = wb.template.general.name
    assert listing.to_dict("records") == [{"Name": name, "Key": wb.template.key, "Version": "1.0.0",
                                          "Errors": 0, "Warnings": 0}]
    assert name in panel.table.value and "1 of 10" in panel.table.value
    assert (tmp_path / f"{wb.template.key}.xml").exists()
    wb.field("General", "Helpdesk Name").widgets[0].value = ""
    button(panel.box, "Save").click()
    assert panel.listing().loc[0, "Errors"] == 1 and "replaced the saved one" in panel.message.value


def test_open_duplicate_and_delete_act_on_the_template_picked() -> None:
    wb = Workbench("keydesk")
    panel = wb.library_panel
    button(panel.box, "Save").click()
    wb.open_sample("freshdesk")
    panel.pick.value = samples.load("keydesk").key
    button(panel.box, "Duplicate").click()
    copy = f"{samples.load('keydesk').key}_copy"
    assert panel.library.keys() == [samples.load("keydesk").key, copy]
    assert panel.library.get(copy).general.name == f"{samples.load('keydesk').general.name} (copy)"
    panel.pick.value = copy
    button(panel.box, "Open").click()
    assert wb.template.key == copy and "saved template" in wb.open_label.value
    button(panel.box, "Delete").click()
    assert panel.library.keys() == [samples.load("keydesk").key] and f"deleted {copy}" in panel.message.value


def test_save_as_needs_a_free_safe_key() -> None:
    wb = Workbench("freshdesk")
    panel = wb.library_panel
    panel.new_key.value = "my/desk"
    button(panel.box, "Save as").click()
    assert "must be letters, digits" in panel.message.value and len(panel.library) == 0
    panel.new_key.value = "my_desk"
    button(panel.box, "Save as").click()
    assert panel.library.keys() == ["my_desk"] and panel.library.get("my_desk").general.name == wb.template.general.name
    button(panel.box, "Save as").click()
    assert "already in the library" in panel.message.value


def test_the_eleventh_is_refused_with_the_reason_and_nothing_is_lost(tmp_path: Path) -> None:
    wb = Workbench("freshdesk", library=TemplateLibrary(tmp_path))
    panel = wb.library_panel
    for i in range(10):
        panel.new_key.value = f"desk_{i}"
        button(panel.box, "Save as").click()
    assert "10 of 10" in panel.table.value
    panel.new_key.value = "desk_10"
    button(panel.box, "Save as").click()
    assert "at most 10 custom templates" in panel.message.value and "desk_10" in panel.message.value
    assert len(panel.library) == 10 and len(list(tmp_path.glob("*.xml"))) == 10
    panel.pick.value = "desk_3"
    button(panel.box, "Duplicate").click()
    assert "at most 10" in panel.message.value and len(panel.library) == 10
