"""Simulated call events supply every predefined variable, deterministically."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from hdkit.engine.events import CallEvent, CallKind, queue_call, simulate

START = 1672531199  # 2022-12-31 23:59:59 UTC

# Format reference section 3.9: PBX call data plus the contact/user names a call provides.
PREDEFINED = {
    "Phone", "CallerNumber", "CallerDisplayName", "CalleeNumber", "StartTimeUnix", "Time",
    "Communication_Type", "Call_Status", "Call_From", "Call_To", "Talk_Duration",
    "Talk_Duration_Sec", "RecordPath", "Call_Log_Status", "DisplayName", "Owner", "WhoModule",
}


@pytest.mark.parametrize(
    "kind, caller, callee, comm, status, log, answered",
    [
        pytest.param("inbound-answered", "+15550100", "1001", "Inbound", "ANSWERED", "Answered", True, id="in-ok"),
        pytest.param("inbound-missed", "+15550100", "1001", "Inbound", "NO ANSWER", "Missed", False, id="in-missed"),
        pytest.param("outbound-answered", "1001", "+15550100", "Outbound", "ANSWERED", "Answered", True, id="out-ok"),
        pytest.param("outbound-unanswered", "1001", "+15550100", "Outbound", "NO ANSWER", "No Answer", False,
                     id="out-no"),
        pytest.param("queue", "+15550100", "1001", "Inbound", "ANSWERED", "Answered", True, id="queue"),
    ],
)
def test_each_kind_supplies_the_documented_variables(kind, caller, callee, comm, status, log, answered) -> None:
    v = simulate(kind, "+15550100", start=START, seed=7).variables()
    assert PREDEFINED <= v.keys()
    assert (v["Phone"], v["CallerNumber"], v["CalleeNumber"]) == ("+15550100", caller, callee)
    assert (v["Communication_Type"], v["Call_Status"], v["Call_Log_Status"]) == (comm, status, log)
    assert isinstance(v["StartTimeUnix"], int) and isinstance(v["Talk_Duration_Sec"], int)
    assert v["StartTimeUnix"] == START and v["Time"] == "2022-12-31 23:59:59"
    assert (v["Talk_Duration_Sec"] > 0) is answered
    assert bool(v["RecordPath"]) is answered
    h, m, s = map(int, str(v["Talk_Duration"]).split(":"))
    assert h * 3600 + m * 60 + s == v["Talk_Duration_Sec"]


def test_call_parties_carry_names() -> None:
    v = simulate("inbound-answered", "+15550100", start=START, contact_name="Jane Doe").variables()
    assert v["Call_From"] == "Jane Doe<+15550100>" and v["Call_To"] == "Alice Agent<1001>"
    assert v["DisplayName"] == "Jane Doe" and (v["FirstName"], v["LastName"]) == ("Jane", "Doe")
    anon = simulate("outbound-answered", "+15550100", start=START, contact_name="").variables()
    assert anon["Call_To"] == "+15550100" and anon["DisplayName"] == "+15550100"


def test_same_seed_and_clock_give_the_same_event() -> None:
    clock = lambda: START + 0.7  # noqa: E731
    a = simulate("inbound-answered", clock=clock, seed=3)
    b = simulate("inbound-answered", clock=clock, seed=3)
    assert a == b and a.start == START
    assert {simulate("inbound-answered", start=START, seed=n).talk_seconds for n in range(5)} <= set(range(30, 901))
    assert a.variables() == b.variables()


def test_time_is_rendered_in_the_pbx_zone() -> None:
    tz = timezone(timedelta(hours=8))
    assert simulate("inbound-missed", start=START, tz=tz).variables()["Time"] == "2023-01-01 07:59:59"


def test_not_recorded_gives_an_empty_record_path() -> None:
    assert simulate("inbound-answered", start=START, recorded=False).variables()["RecordPath"] == ""


def test_owner_is_attached_from_user_association() -> None:
    assert simulate("inbound-answered", start=START).with_owner("42").variables()["Owner"] == "42"


def test_queue_call_has_one_answered_leg_and_missed_legs() -> None:
    legs = queue_call("+15550100", answered_by="1002", start=START, seed=1)
    assert [leg.extension for leg in legs] == ["1001", "1002", "1003"]
    assert [leg.answered for leg in legs] == [False, True, False]
    assert [leg.missed_leg for leg in legs] == [True, False, True]
    assert all(isinstance(leg, CallEvent) and leg.kind is CallKind.QUEUE for leg in legs)
    missed = legs[0].variables()
    assert missed["Call_Status"] == "NO ANSWER" and missed["Call_To"] == "Alice Agent<1001>"
    assert legs[1].variables()["Call_To"] == "Bob Agent<1002>"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        pytest.param({"agents": ()}, "at least one agent", id="no-agents"),
        pytest.param({"answered_by": "9999"}, "not one of the agents", id="unknown-agent"),
    ],
)
def test_queue_call_rejects_bad_agents(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        queue_call(**kwargs)


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="inbound-missed"):
        simulate("sideways")
