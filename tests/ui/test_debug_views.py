"""The debug views headless, against the sandbox: requests and responses in order, the request as
rendered with its injection warnings beside the body, the path box live on the response picked,
suggestions applied through the store with one click, the call simulator's steps and timeline."""

from __future__ import annotations

import pytest
from support.widgets import button, walk

from hdkit import samples
from hdkit.model import PopupMode
from hdkit.ui import Workbench

PHONE = samples.demo_phone("freshdesk")


@pytest.fixture
def wb(fresh_sandbox) -> Workbench:
    return Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", fresh_sandbox.url), phone=PHONE)


def click(wb: Workbench, description: str) -> None:
    button(wb.box, description).click()
    wb.wait()


def test_the_path_box_follows_the_response_picked(wb: Workbench) -> None:
    box = wb.try_panel.debug.path_box
    box.path.value = "0.email"
    assert "no response yet" in box.source.value and "no response to read yet" in box.result.value
    click(wb, "Search contact")
    assert "Search Contacts" in box.source.value and "ada.lovelace@example.com" in box.result.value
    box.path.value = "0.nope"
    assert "no value: the path finds nothing" in box.result.value
    box.path.value = "$.x["
    assert "invalid JSONPath" in box.result.value and "(column " in box.result.value
    box.path.value = '#(name%"Ada*").phone'
    assert "+14155550123" in box.result.value


def test_a_suggestion_is_applied_with_one_click_through_the_store(wb: Workbench) -> None:
    wb.store.edit(("contact_search", "fields", "email", "enabled"), False)
    click(wb, "Search contact")
    suggestions = wb.try_panel.debug.suggestions
    row = suggestions.rows["email"]
    assert row.pick.value == "#.email" and "ada.lovelace@example.com" in row.pick.label
    assert "not mapped" in row.box.children[0].children[0].value
    before = wb.store.revision
    button(suggestions.box, "Use for Email").click()
    email = wb.template.contact_search.fields.email
    assert (email.enabled, email.path) == (True, "#.email") and wb.store.revision > before
    assert "Email now reads #.email" in row.message.value
    assert wb.field("Contact Search", "Email").widgets[1].value == "#.email"  # the form shows it too


def test_a_popup_url_suggestion_switches_the_popup_mode(fresh_sandbox) -> None:
    wb = Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", fresh_sandbox.url), phone=PHONE)
    assert wb.apply_mapping("contact", "popup_url", "#.url") == ""
    popup = wb.template.contact_search.popup
    assert (popup.mode, popup.contact_field_path) == (PopupMode.CONTACT_FIELD, "#.url")


def test_user_suggestions_come_from_a_user_sync(wb: Workbench) -> None:
    click(wb, "Sync users")
    rows = wb.try_panel.debug.suggestions.rows
    assert set(rows) >= {"user_id", "email"} and rows["email"].pick.value == "#.contact.email"
    button(wb.try_panel.debug.suggestions.box, "Use for User Unique ID").click()
    assert wb.template.user_association.fields.user_id == "#.id"


def test_the_requests_of_a_call_are_listed_in_order_with_what_came_back(wb: Workbench) -> None:
    wb.try_panel.call_kind.value = "inbound-missed"
    wb.try_panel.phone.value = "+1 646 555 0142"
    click(wb, "Simulate call")
    view = wb.try_panel.debug.exchanges
    labels = [label for label, _ in view.pick.options]
    assert [label.split(":")[0] for label in labels] == [
        "1. Search Contacts", "2. Create Contacts", "3. CreateNewTicket", "4. TagTicket", "5. CallJournal"]
    view.pick.value = 1
    assert "POST " in view.request_view.value and "Body" in view.request_view.value
    assert view.status.value.startswith("<b>201 Created · ")


def test_a_value_that_breaks_a_body_is_warned_about_beside_the_body(wb: Workbench) -> None:
    wb.try_panel.call_kind.value = "inbound-answered"
    wb.try_panel.engine_options["dry_run"] = True
    wb.try_panel.phone.value = '+1 "646" 555'
    click(wb, "Simulate call")
    view = wb.try_panel.debug.exchanges
    ticket = next(i for label, i in view.pick.options if "CreateNewTicket" in label)
    view.pick.value = ticket
    html = view.request_view.value
    body_row = html[html.index(">Body<"):]
    assert "&#9888;" in body_row and "not valid JSON" in body_row and "Phone" in body_row
    assert "dry run" in view.status.value


def test_the_call_simulator_shows_steps_and_a_timeline(wb: Workbench) -> None:
    sim = wb.try_panel.simulator
    assert "click Simulate call: its steps show here" in sim.table.value and not sim.timeline.value
    assert [label for label, _ in sim.kind.options][:2] == ["Inbound call, answered", "Inbound call, missed"]
    sim.kind.value = "inbound-missed"
    wb.try_panel.phone.value = "+1 646 555 0142"
    click(wb, "Simulate call")
    assert list(sim.steps["phase"]) == ["match", "create contact", "ticket", "follow-up", "journal"]
    assert "ContactId=" in sim.table.value and "<NA>" not in sim.table.value and "None" not in sim.table.value
    assert sim.timeline.value.count("<tr ") == 5 and "ms in all" in sim.timeline.value
    assert sim.table.value.startswith("<b>Steps</b>") and sim.timeline.value.startswith("<b>Timeline</b>")


def test_no_table_shows_none_or_na(wb: Workbench) -> None:
    for name in ("Search contact", "Match formats", "Simulate call", "Sync users"):
        click(wb, name)
        values = [getattr(w, "value", "") for w in walk(wb.box)]
        tables = [v for v in values if isinstance(v, str) and "<table" in v]
        assert len(tables) >= 2, name  # the mapped records under the tabs, and the request shown
        for value in tables:
            assert "&lt;NA&gt;" not in value and ">None<" not in value and ">nan<" not in value, name
            # headers sit over their cells (pandas right-aligns headers; JupyterLab left-aligns cells)
            assert "text-align: right" not in value, name
