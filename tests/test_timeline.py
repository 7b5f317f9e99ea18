"""A simulated call as a steps table: phases in the order the PBX runs them, a running clock,
the variables each step set, and no None/<NA> cells."""

from __future__ import annotations

import hdkit
from hdkit import samples
from hdkit.results import CallTrace, Step
from hdkit.timeline import STEP_COLUMNS, call_steps, phase_of


def test_a_missed_call_from_a_stranger_runs_match_create_ticket_follow_up_journal(sandbox) -> None:
    template = samples.load("freshdesk")
    engine = hdkit.Engine(template, samples.demo_inputs("freshdesk", sandbox.url))
    trace = engine.call(engine.event("inbound-missed", "+16465550142"))
    table = call_steps(trace, template)
    assert list(table.columns) == list(STEP_COLUMNS)
    assert list(table["phase"]) == ["match", "create contact", "ticket", "follow-up", "journal"]
    assert list(table["step"]) == ["Search Contacts", "Create Contacts", "CreateNewTicket", "TagTicket", "CallJournal"]
    assert list(table["status"]) == ["200", "201", "201", "200", "201"]
    created = table.set_index("step").loc["Create Contacts", "outputs"]
    assert created.startswith("ContactId=") and "ContactsId=" in created
    starts, elapsed = list(table["start_ms"]), list(table["elapsed_ms"])
    assert starts[0] == 0 and all(b >= a for a, b in zip(starts, starts[1:], strict=False))
    assert abs(starts[-1] - round(sum(elapsed[:-1]), 1)) < 0.5
    assert not table.isna().any().any() and "None" not in table.to_string()


def test_steps_that_sent_nothing_have_empty_cells_not_none() -> None:
    trace = CallTrace("inbound-missed", (Step("CallJournal [1002]", None, note="skipped: missed queue leg"),))
    row = call_steps(trace).iloc[0]
    assert (row["phase"], row["method"], row["status"], row["elapsed_ms"], row["outputs"]) == ("journal", "", "", 0.0, "")


def test_a_next_request_is_a_follow_up_even_when_named_like_a_scenario() -> None:
    step = Step("CreateIdentity", None)
    assert phase_of(step) == "create contact"
    assert phase_of(step, {"CreateIdentity"}) == "follow-up"
