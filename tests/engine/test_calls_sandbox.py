"""Simulated calls end to end: what the helpdesk stores for each call kind (sandbox, real HTTP).

The freshdesk sample creates a ticket (subject and description from the call variables), tags
it with a ``ticket_created`` follow-up, and journals the call as a note on that ticket, so the
sandbox's state shows exactly what each call event handed to the template.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from hdkit import samples
from hdkit.engine import Engine, queue_call
from hdkit.sandbox import Sandbox

PHONE = "+14155550123"  # Ada Lovelace
START = 1_700_000_000  # 2023-11-14 22:13:20 UTC
ADA, AGENT = f"Jane Doe<{PHONE}>", "Alice Agent<1001>"


def engine(hd: Sandbox, template: Any = None) -> Engine:
    return Engine(template or samples.load("freshdesk"), samples.demo_inputs("freshdesk", hd.url))


def stored(hd: Sandbox, table: str) -> list[dict[str, Any]]:
    return hd.state["freshdesk"][table]


@pytest.mark.parametrize(
    "kind, subject, talk",
    [
        pytest.param("inbound-answered", f"Inbound ANSWERED - from {ADA} to {AGENT}", "00:02:47", id="inbound-answered"),
        pytest.param("inbound-missed", f"Inbound NO ANSWER - from {ADA} to {AGENT}", "00:00:00", id="inbound-missed"),
        pytest.param("outbound-answered", f"Outbound ANSWERED - from {AGENT} to {ADA}", "00:02:47",
                     id="outbound-answered"),
        pytest.param("outbound-unanswered", f"Outbound NO ANSWER - from {AGENT} to {ADA}", "00:00:00",
                     id="outbound-unanswered"),
    ],
)
def test_each_call_kind_reaches_the_helpdesk_as_a_ticket_and_a_journal_note(
        fresh_sandbox: Sandbox, kind: str, subject: str, talk: str) -> None:
    e = engine(fresh_sandbox)
    trace = e.call(e.event(kind, PHONE, start=START, seed=1))
    assert [s.name for s in trace.steps] == ["Search Contacts", "CreateNewTicket", "TagTicket", "CallJournal"]
    assert trace.ok and trace.variables["ContactId"] == trace.variables["ContactsId"]
    (ticket,) = stored(fresh_sandbox, "tickets")
    assert ticket["subject"] == subject  # the Subject default, rendered from the event
    assert ticket["description"] == f"2023-11-14 22:13:20 {subject} {talk}"
    assert ticket["tags"] == ["hdkit", "ANSWERED" if "ANSWERED" in subject else "NO ANSWER"]  # TagTicket
    (note,) = stored(fresh_sandbox, "notes")
    assert note["ticket_id"] == trace.variables["TicketId"] == ticket["id"]  # TicketId passed on
    assert note["body"] == f"Call: 2023-11-14 22:13:20 {subject} {talk}"


@pytest.mark.parametrize("hide, journals", [pytest.param(None, ["1002"], id="template-default-hides"),
                                            pytest.param(False, ["1001", "1002", "1003"], id="shown")])
def test_a_queue_call_journals_the_missed_legs_only_when_not_hidden(
        fresh_sandbox: Sandbox, hide: bool | None, journals: list[str]) -> None:
    legs = queue_call(PHONE, answered_by="1002", start=START)
    trace = engine(fresh_sandbox).call(legs, hide_missed=hide)
    sent = [s.name for s in trace.steps if s.name.startswith("CallJournal") and s.exchange is not None]
    assert sent == [f"CallJournal [{ext}]" for ext in journals]
    notes = stored(fresh_sandbox, "notes")
    assert len(notes) == len(journals) and all("Inbound" in n["body"] for n in notes)
    assert sum("ANSWERED" in n["body"] for n in notes) == 1  # only Bob's leg was answered


def test_without_need_contact_match_the_call_sends_no_search(fresh_sandbox: Sandbox) -> None:
    t = samples.load("freshdesk")
    t = dataclasses.replace(
        t, call_journal=dataclasses.replace(t.call_journal, need_contact_match=False),
        new_ticket=dataclasses.replace(t.new_ticket, need_contact_match=False),
        contact_creation=dataclasses.replace(t.contact_creation, enabled=False))
    e = engine(fresh_sandbox, t)
    trace = e.call(e.event("inbound-missed", PHONE, start=START))
    assert [s.name for s in trace.steps] == ["CreateNewTicket", "TagTicket", "CallJournal"]
    assert not any(r["method"] == "GET" for r in fresh_sandbox.requests)
    assert "ContactId" not in trace.variables


def test_an_unknown_caller_is_created_once_and_its_id_kept_for_later_steps(fresh_sandbox: Sandbox) -> None:
    e = engine(fresh_sandbox)
    trace = e.call(e.event("inbound-missed", "+14155550777", start=START, contact_name="Grace Hopper"))
    assert [s.name for s in trace.steps] == [
        "Search Contacts", "Create Contacts", "CreateNewTicket", "TagTicket", "CallJournal"]
    created = next(s for s in trace.steps if s.name == "Create Contacts")
    assert created.outputs["ContactId"] == trace.variables["ContactId"]
    assert sum(r["method"] == "POST" and r["path"].endswith("/contacts") for r in fresh_sandbox.requests) == 1
