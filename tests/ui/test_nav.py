"""Section titles with their error counts stay whole: one button per section as wide as its
words, in a row that wraps; a click shows that section."""

from __future__ import annotations

from support.widgets import button

from hdkit.ui import Workbench


def test_every_title_is_a_whole_button_and_the_row_wraps() -> None:
    wb = Workbench("freshdesk")
    nav = wb.tabs
    assert nav.bar.layout.flex_flow == "row wrap"
    assert [b.description for b in nav.buttons] == list(nav.titles)
    assert all(b.layout.width == "auto" for b in nav.buttons)


def test_an_error_count_is_in_the_title_and_flagged() -> None:
    wb = Workbench("freshdesk")
    wb.field("General", "Helpdesk Name").widgets[0].value = ""
    general = button(wb.tabs.bar, "General (1)")
    assert general.icon == "exclamation-triangle"
    wb.field("General", "Helpdesk Name").widgets[0].value = "Back"
    assert button(wb.tabs.bar, "General").icon == ""


def test_a_click_shows_that_section() -> None:
    wb = Workbench("freshdesk")
    button(wb.tabs.bar, "Contact Search").click()
    index = list(wb.sections).index("contact_search")
    assert wb.tabs.selected_index == index and wb.tabs.stack.children[index] is wb.sections["contact_search"].box
    assert wb.tabs.buttons[index].button_style == "primary" and wb.tabs.buttons[0].button_style == ""
    wb.tabs.select("Export")
    assert wb.tabs.stack.children[wb.tabs.selected_index] is wb.export_panel.box
