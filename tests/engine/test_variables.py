"""Variables set by hand (``variables=`` on every scenario, ``--var`` in the CLI): what a template
refers to, how names are checked, and which layer wins (over inputs and the call simulator; a
request's output set later in the run still replaces them, as on the PBX)."""

from __future__ import annotations

import pytest

from hdkit import samples
from hdkit.engine import Engine, simulate
from hdkit.engine.variables import check_names, parse_pair, unused, used_variables
from hdkit.errors import EngineError
from hdkit.sandbox import DEMO, Sandbox

PHONE = "+14155550123"


def engine(hd: Sandbox, sample: str = "freshdesk", **options) -> Engine:
    return Engine(samples.load(sample), samples.demo_inputs(sample, hd.url), **options)


def test_the_variables_a_template_refers_to() -> None:
    used = used_variables(samples.load("freshdesk"))
    assert {"base_url", "api_key", "Phone", "TicketId", "Call_To", "Subject", "Description"} <= used
    assert "Owner" not in used and "CallerDisplayName" not in used
    assert unused(samples.load("freshdesk"), ["Owner", "TicketId", "Nope"]) == ["Owner", "Nope"]


@pytest.mark.parametrize(
    ("text", "pair"),
    [("TicketId=5", ("TicketId", "5")), ("Call_To=Bob<2002>", ("Call_To", "Bob<2002>")), ("X=", ("X", "")),
     (" Owner =a=b", ("Owner", "a=b"))],
)
def test_name_value_pairs(text, pair) -> None:
    assert parse_pair(text) == pair


@pytest.mark.parametrize(
    ("names", "message"),
    [
        pytest.param({"AccessToken": "x"}, "AccessToken is set by the template's authentication, not by hand",
                     id="auth-value"),
        pytest.param({"2fa": "x"}, "'2fa' is not a variable name (letters, digits and _, not starting with a digit)",
                     id="not-a-name"),
    ],
)
def test_names_a_template_cannot_take_by_hand_are_refused(names, message) -> None:
    with pytest.raises(EngineError) as refused:
        check_names(names)
    assert refused.value.message == message


def test_the_simulator_is_overridden_and_the_last_setting_wins() -> None:
    event = simulate("inbound-answered", PHONE, start=1_700_000_000, variables={"Call_To": "Bob<2002>", "Owner": "u1"})
    again = event.with_variables({"Owner": "u2"})
    assert event.variables()["Call_To"] == "Bob<2002>" and event.variables()["Owner"] == "u1"
    assert again.variables()["Owner"] == "u2" and again.variables()["Call_To"] == "Bob<2002>"
    assert simulate("inbound-answered", PHONE, start=1_700_000_000).variables()["Call_To"] == "Alice Agent<1001>"


def test_a_call_sends_what_was_set_and_an_output_still_names_the_ticket(fresh_sandbox: Sandbox) -> None:
    e = engine(fresh_sandbox)
    event = e.event("inbound-missed", PHONE, start=1_700_000_000, variables={"Call_From": "Ada<+1415>"})
    trace = e.call(event, variables={"Call_To": "Bob<2002>", "TicketId": "4711"})
    (ticket,) = fresh_sandbox.state["freshdesk"]["tickets"]
    assert ticket["subject"] == "Inbound NO ANSWER - from Ada<+1415> to Bob<2002>"
    journal = next(s for s in trace.steps if s.name == "CallJournal")
    assert journal.exchange.url.endswith(f"/tickets/{ticket['id']}/notes")  # the ticket's output, not 4711
    assert trace.variables["TicketId"] == ticket["id"]


def test_every_leg_of_a_queue_call_gets_the_variables(sandbox: Sandbox) -> None:
    legs = engine(sandbox).event("queue", PHONE, extension="2001", extension_name="Dana Agent",
                                 variables={"Owner": "u9"})
    assert [leg.variables()["Owner"] for leg in legs] == ["u9", "u9", "u9"]
    assert legs[0].variables()["Call_To"] == "Dana Agent<2001>"


def test_a_variable_wins_over_an_input_on_every_scenario(fresh_sandbox: Sandbox) -> None:
    e = Engine(samples.load("keydesk"), {"base_url": "http://127.0.0.1:9", "api_key": DEMO["keydesk"]["api_key"]})
    right = {"base_url": f"{fresh_sandbox.url}/keydesk"}
    assert len(e.users(sequential=True, variables=right)) == 2500
    assert len(e.search(PHONE, variables=right)) == 1
    assert e.match_matrix(PHONE, variables=right).hits()["Contacts"]
    assert e.create_contact("+15550100", first_name="New", variables=right).ok


def test_a_password_given_as_a_variable_stays_a_secret(sandbox: Sandbox) -> None:
    key = DEMO["freshdesk"]["api_key"]
    e = Engine(samples.load("freshdesk"), {"base_url": f"{sandbox.url}/freshdesk"}, dry_run=True)
    found = e.search(PHONE, variables={"api_key": key})
    curl = found.exchanges().iloc[0]["request_headers"]["Authorization"]
    assert curl == "Basic ********" and key not in repr(found.exchanges().to_dict())
