"""Try each request as soon as it is written: a Try beside every request of every section, refused
only by what stops that request (short lines that open the field), sent otherwise."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest
from support.widgets import button, buttons, walk

from hdkit import model, samples
from hdkit.ui import Workbench
from hdkit.ui.forms import Form

PHONE = samples.demo_phone("freshdesk")


@pytest.fixture
def wb(fresh_sandbox) -> Workbench:
    return Workbench("freshdesk", inputs=samples.demo_inputs("freshdesk", fresh_sandbox.url), phone=PHONE)


def form(wb: Workbench, tab: str, cls: type, index: int = 0) -> Form:
    forms = [v for v in wb.sections[tab].root.views() if isinstance(v, Form) and v.cls is cls]
    return forms[index]


def lines(root: widgets.Widget) -> list[str]:
    """The refusal lines (link buttons) under a Try button."""
    return [w.description for w in walk(root) if isinstance(w, widgets.Button) and w.icon == "arrow-right"]


def try_in(wb: Workbench, part: Form, words: str) -> None:
    button(part.box, words).click()
    wb.wait()


TRIES = [
    ("user_association", model.UserAssociation, "Try Get User"),
    ("contact_search", model.ContactType, "Try search"),
    ("contact_creation", model.CreationType, "Try create contact"),
    ("call_journal", model.CallJournal, "Try call journal"),
    ("new_ticket", model.NewTicket, "Try new ticket"),
    ("follow_ups", model.FollowUpRequest, "Try follow-up"),
]


@pytest.mark.parametrize(("tab", "cls", "words"), TRIES, ids=[t[0] for t in TRIES])
def test_every_request_has_its_try_beside_it(wb: Workbench, tab: str, cls: type, words: str) -> None:
    part = form(wb, tab, cls)
    assert button(part.box, words).description == words
    assert len(buttons(wb.sections[tab].box, words)) == len([v for v in wb.sections[tab].root.views()
                                                              if isinstance(v, Form) and v.cls is cls])


def test_each_contact_type_has_its_own_try(wb: Workbench) -> None:
    section = wb.template.contact_search
    second = model.replace(section.contact_types[0], name="Companies", url="{{.base_url}}/api/v2/companies?q={{.Phone}}")
    wb.store.edit(("contact_search", "contact_types"), (*section.contact_types, second))
    wb._rebuild_section("contact_search")
    assert len(buttons(wb.sections["contact_search"].box, "Try search")) == 2
    try_in(wb, form(wb, "contact_search", model.ContactType, 0), "Try search")
    assert [label for label, _ in wb.try_panel.debug.exchanges.pick.options] == ["1. Search Contacts: GET 200"]


def test_unrelated_errors_do_not_stop_a_try(wb: Workbench, fresh_sandbox) -> None:
    wb.field("General", "Helpdesk Name").widgets[0].value = ""          # an error elsewhere
    wb.field("Call Journal", "Call Journal Creation Request Data").widgets[0].value = '{"a": '
    headers = next(v for v in wb.sections["headers"].root.views() if getattr(v, "label", "") == "Header")
    headers.add.click()                                                 # a header still without a name
    assert len(wb.store.errors) >= 3
    try_in(wb, form(wb, "user_association", model.UserAssociation), "Try Get User")
    assert len(wb.try_panel.records) > 0 and wb.try_panel.result.stop.complete
    try_in(wb, form(wb, "contact_search", model.ContactType), "Try search")
    assert wb.try_panel.records["FirstName"].tolist() == ["Ada Lovelace"]


def test_a_try_is_refused_by_its_own_error_with_lines_that_open_the_field(wb: Workbench, fresh_sandbox) -> None:
    wb.field("Contact Search", "Contact Type 1 > Contact Match Query URL").widgets[0].value = ""
    part = form(wb, "contact_search", model.ContactType)
    try_in(wb, part, "Try search")
    assert lines(part.box) == ["Contact Search > Contact Type 1 > Contact Match Query URL: "
                               "Contact Type 1 > Contact Match Query URL is required"]
    assert fresh_sandbox.requests == [] and wb.try_panel.result is None
    wb.tabs.selected_index = 0
    (link,) = [w for w in walk(part.box) if isinstance(w, widgets.Button) and w.icon == "arrow-right"]
    link.click()
    assert wb.tabs.titles[wb.tabs.selected_index].startswith("Contact Search")
    try_in(wb, form(wb, "user_association", model.UserAssociation), "Try Get User")  # users still go
    assert len(wb.try_panel.records) > 0


def test_a_missing_input_names_the_input_and_opens_the_try_tab(fresh_sandbox) -> None:
    demo = samples.demo_inputs("freshdesk", fresh_sandbox.url)
    wb = Workbench("freshdesk", inputs={"base_url": demo["base_url"]}, phone=PHONE)
    part = form(wb, "user_association", model.UserAssociation)
    try_in(wb, part, "Try Get User")
    assert lines(part.box) == ["Try it > Inputs > api_key: needs a value for the input 'API key' ({{.api_key}})"]
    [w for w in walk(part.box) if isinstance(w, widgets.Button) and w.icon == "arrow-right"][0].click()
    assert wb.tabs.titles[wb.tabs.selected_index] == "Try it"
    wb.inputs.widgets["api_key"].value = demo["api_key"]
    try_in(wb, part, "Try Get User")
    assert lines(part.box) == [] and len(wb.try_panel.records) > 0


def test_create_ticket_journal_and_follow_up_each_run_alone(wb: Workbench, fresh_sandbox) -> None:
    wb.try_panel.phone.value = "+1 646 555 0199"
    try_in(wb, form(wb, "contact_creation", model.CreationType), "Try create contact")
    assert [s.name for s in wb.try_panel.result.steps] == ["Create Contacts"]
    assert wb.try_panel.result.steps[0].exchange.status == 201
    try_in(wb, form(wb, "new_ticket", model.NewTicket), "Try new ticket")
    assert [s.name for s in wb.try_panel.result.steps] == ["CreateNewTicket", "TagTicket"]
    ticket = wb.try_panel.result.steps[0].outputs["TicketId"]
    try_in(wb, form(wb, "call_journal", model.CallJournal), "Try call journal")
    journal = wb.try_panel.result.steps[0]
    assert journal.name == "CallJournal" and "TicketId not set" in str(journal.problems)  # no ticket in this run
    wb.try_panel.variables.value = f"TicketId={ticket}"
    try_in(wb, form(wb, "call_journal", model.CallJournal), "Try call journal")
    assert wb.try_panel.result.steps[0].exchange.status == 201
    assert fresh_sandbox.requests[-1]["path"].endswith(f"/tickets/{ticket}/notes")
    try_in(wb, form(wb, "follow_ups", model.FollowUpRequest), "Try follow-up")
    assert [(s.name, s.exchange.status) for s in wb.try_panel.result.steps] == [("TagTicket", 200)]


def test_variables_typed_by_hand_must_be_name_value(wb: Workbench) -> None:
    wb.try_panel.variables.value = "TicketId"
    try_in(wb, form(wb, "follow_ups", model.FollowUpRequest), "Try follow-up")
    assert "Try it &gt; Variables" in wb.try_panel.status.value and "NAME=VALUE" in wb.try_panel.status.value


def test_problems_of_the_follow_ups_a_search_chains_to_stop_it() -> None:
    from hdkit.readiness import Target, blocking

    template = samples.load("freshdesk")
    ct = model.replace(template.contact_search.contact_types[0], next="Lookup")
    follow = model.FollowUpRequest(name="Lookup", url="")
    template = model.replace(template, contact_search=model.replace(template.contact_search, contact_types=(ct,)),
                             follow_ups=(*template.follow_ups, follow))
    from hdkit.validate import validate
    stops = blocking(template, validate(template), Target("search", ct.name))
    assert [p.location.field for p in stops] == ["Request 2 > URL"]
    assert blocking(template, validate(template), Target("users")) == []
    assert [p.location.field for p in blocking(template, validate(template), Target("followup", "Lookup"))] == [
        "Request 2 > URL"]
    assert blocking(template, validate(template), Target("followup", "TagTicket")) == []


def _sandbox_inputs(url: str) -> Any:
    return samples.demo_inputs("freshdesk", url)


def test_preview_shows_the_rendered_request_and_sends_nothing(wb: Workbench, fresh_sandbox) -> None:
    part = form(wb, "new_ticket", model.NewTicket)
    wb.try_panel.phone.value = '+1 "646" 555'  # a value that breaks the JSON body as the PBX renders it
    button(part.box, "Preview").click()
    wb.wait()
    assert fresh_sandbox.requests == []
    view = wb.try_panel.debug.exchanges
    assert view.status.value.startswith("<b>dry run") and "CreateNewTicket" in view.pick.label
    assert wb.try_panel.status.value.startswith("preview, nothing sent: ")  # not "all ok"
    assert "as the PBX renders it, not sent" in view.request_head.value
    try_in(wb, part, "Try new ticket")
    assert "as sent" in view.request_head.value and "User-Agent" in view.request_head.value
    body = view.request_view.value[view.request_view.value.index(">Body<"):]
    assert "&quot;phone&quot;: &quot;+1 &quot;646&quot; 555&quot;" in body and "not valid JSON" in body


def test_preview_only_applies_to_the_scenario_buttons(wb: Workbench, fresh_sandbox) -> None:
    wb.try_panel.preview_only.value = True
    button(wb.box, "Sync users").click()
    wb.wait()
    assert fresh_sandbox.requests == [] and "dry run" in wb.try_panel.sync.summary.value


def test_values_a_request_extracted_are_shown_beside_its_response(wb: Workbench) -> None:
    try_in(wb, form(wb, "new_ticket", model.NewTicket), "Try new ticket")
    view = wb.try_panel.debug.exchanges
    view.pick.value = 0
    assert "extracted from this response" in view.extracted.value and "TicketId" in view.extracted.value
