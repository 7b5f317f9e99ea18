"""The Engine runs every scenario as the PBX would (against an httpx.MockTransport helpdesk)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hdkit.engine.events import queue_call, simulate
from hdkit.engine.runner import Engine
from hdkit.errors import EngineError, ValidationFailed
from hdkit.model import (
    Auth,
    AuthMethod,
    BasicAuth,
    CallJournal,
    CallOption,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactType,
    CreationType,
    CustomField,
    FieldMapping,
    FieldType,
    FollowUpEvent,
    FollowUpRequest,
    General,
    Header,
    NewTicket,
    Output,
    Pagination,
    PaginationMode,
    Popup,
    PopupMode,
    Template,
    UserAssociation,
    UserFields,
)
from hdkit.secrets import MASK
from hdkit.validate import validate

SENTINEL = "sentinel-KEY-93c1f"
BASE = "https://hd.test"
START = 1672531199
PHONE = "+1 415 555 0123"


class Desk:
    """A tiny helpdesk: contacts, users, tickets, journals; records every request."""

    def __init__(self, users: int = 250) -> None:
        self.requests: list[httpx.Request] = []
        self.contacts = [{"id": 7, "name": "Ada Lovelace", "email": "ada@x.io", "phone": "+14155550123"}]
        self.users = [{"id": f"u{i}", "first": f"F{i}", "last": f"L{i}", "mail": f"u{i}@x.io"} for i in range(users)]
        self.created: list[dict] = []
        self.tickets: list[dict] = []
        self.journals: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("X-API-Key") not in (SENTINEL, None) and "follow" not in request.url.path:
            return httpx.Response(401, json={"error": "bad key"})
        path, q = request.url.path, parse_qs(urlsplit(str(request.url)).query)
        try:
            body = json.loads(request.content) if request.content else None
        except ValueError:
            return httpx.Response(400, json={"error": "body is not JSON"})
        if path == "/contacts":
            digits = "".join(c for c in q.get("phone", [""])[0] if c.isdigit())
            hits = [c for c in self.contacts if digits and "".join(ch for ch in c["phone"] if ch.isdigit()) == digits]
            return httpx.Response(200, json={"data": hits})
        if path.startswith("/contacts/") and path.endswith("/extra"):
            return httpx.Response(200, json={"extra": {"mobile": "+14155550199", "vip": True}})
        if path == "/new-contact" and request.method == "POST":
            record = {"id": 100 + len(self.created), **body}
            self.created.append(record)
            self.contacts.append({"id": record["id"], "name": body["name"], "email": "", "phone": body["phone"]})
            return httpx.Response(201, json={"contact": record})
        if path == "/users":
            page, size = int(q["page"][0]), int(q["per_page"][0])
            return httpx.Response(200, json={"users": self.users[(page - 1) * size: page * size]})
        if path == "/tickets":
            self.tickets.append(body)
            return httpx.Response(201, json={"ticket": {"id": 555 + len(self.tickets)}})
        if path.startswith("/follow/"):
            return httpx.Response(200, json={"data": {"token": "tok-1", "owner": "agent-9"}, "n": [3, 4]})
        if path.startswith("/journal/"):
            self.journals.append({"path": path, **body})
            return httpx.Response(201, json={"ok": True, "id": f"j{len(self.journals)}"})
        return httpx.Response(404, json={"error": "no route"})


def template(**changes: object) -> Template:
    t = Template(
        general=General(name="Test Desk", key="test-desk", max_concurrent_requests=4),
        auth=Auth(method=AuthMethod.NONE, custom_fields=(
            CustomField("api_key", "API key", FieldType.PASSWORD), CustomField("region", "Region"))),
        headers=(Header("X-API-Key", "{{.api_key}}"), Header("X-Region", "{{.region}}")),
        user_association=UserAssociation(
            enabled=True, url=BASE + "/users",
            pagination=Pagination(mode=PaginationMode.PAGE, page_param="page", page_start=1,
                                  size_param="per_page", size=100),
            fields=UserFields("users.#.id", "users.#.first", "users.#.last", "users.#.mail")),
        follow_ups=(
            FollowUpRequest(name="Extra", method="GET", url=BASE + "/contacts/{{.ContactsId}}/extra",
                            response_paths="extra.mobile,extra.vip", target_variables="MobileNumber,Vip"),
            FollowUpRequest(name="OnTicket", event=FollowUpEvent.TICKET_CREATED, method="POST",
                            url=BASE + "/follow/{{.TicketId}}", headers='{"X-Follow": "{{.TicketId}}"}',
                            body='{"ticket": "{{.TicketId}}"}',
                            response_paths="$.data.token, $.data.owner", target_variables="Token,Owner"),
        ),
        contact_search=ContactSearch(
            contact_types=(ContactType("Contacts", BASE + "/contacts?phone={{UrlEncode .Phone}}", next="Extra"),),
            popup=Popup(PopupMode.URL_FORMAT, BASE + "/ui/contacts/{{.ContactId}}"),
            fields=ContactFields(contact_id=FieldMapping(True, "data.#.id"),
                                 first_name=FieldMapping(True, "data.#.name"),
                                 email=FieldMapping(True, "data.#.email"),
                                 business_number=FieldMapping(True, "data.#.phone"))),
        contact_creation=ContactCreation(True, (CreationType(
            "Contacts", BASE + "/new-contact", '{"name": "{{.DisplayName}}", "phone": "{{.BusinessNumber}}"}',
            outputs=(Output("ContactId", "contact.id"),)),)),
        new_ticket=NewTicket(
            enabled=True, url=BASE + "/tickets",
            body='{"subject": "{{.Subject}}", "contact": "{{.ContactId}}"}',
            subject=CallOption(True, "{{.Communication_Type}} {{.Call_Status}} from {{.Call_From}}"),
            outputs=(Output("TicketId", "ticket.id"),)),
        call_journal=CallJournal(
            enabled=True, url=BASE + "/journal/{{.TicketId}}/{{.CalleeNumber}}",
            body='{"text": "{{.Description}}", "owner": "{{.Owner}}", "token": "{{.Token}}", "rec": "{{.RecordPath}}"}',
            description=CallOption(True, "{{.Call_Log_Status}} {{.Talk_Duration}}"),
            hide_missed_for_unanswered=CallOption(True, "1")),
    )
    return replace(t, **changes)


INPUTS = {"api_key": SENTINEL, "region": "eu"}


def engine(desk: Desk, t: Template | None = None, **options: object) -> Engine:
    return Engine(t or template(), INPUTS, transport=httpx.MockTransport(desk), **options)


# --------------------------------------------------------------------------- search


def test_search_maps_contacts_runs_next_once_per_record_and_builds_popup() -> None:
    desk = Desk()
    result = engine(desk).search(PHONE)
    assert len(result) == 1
    match = result.matches[0]
    assert match.fields["ContactsId"] == 7 and match.fields["ContactId"] == 7
    assert match.fields["MobileNumber"] == "+14155550199" and match.fields["Vip"] is True
    assert match.popup_url == BASE + "/ui/contacts/7"
    first = desk.requests[0]
    assert first.url.params["phone"] == PHONE  # UrlEncode %20 decoded back by the server
    assert "%2B1%20415%20555%200123" in str(first.url)
    assert first.headers["X-API-Key"] == SENTINEL and first.headers["X-Region"] == "eu"
    follow = desk.requests[1]
    assert follow.url.path == "/contacts/7/extra" and "X-Region" not in follow.headers
    df = result.records()
    assert df.loc[0, "ContactType"] == "Contacts" and df.loc[0, "PopupUrl"].endswith("/7")


def test_search_for_an_unknown_contact_type_names_the_known_ones() -> None:
    with pytest.raises(EngineError, match="no contact type 'Leads'.*Contacts"):
        engine(Desk()).search(PHONE, "Leads")


def test_no_match_gives_no_records_and_no_follow_up() -> None:
    desk = Desk()
    result = engine(desk).search("+49 30 1234567")
    assert len(result) == 0 and len(desk.requests) == 1


# --------------------------------------------------------------------------- dry run = real run


def test_dry_run_renders_the_same_requests_without_sending() -> None:
    desk = Desk()
    real = engine(desk).search(PHONE).log[0]
    sent_before = len(desk.requests)
    preview = engine(desk, dry_run=True).search(PHONE).log[0]
    assert len(desk.requests) == sent_before
    assert preview.outcome == "dry_run"
    assert (preview.method, preview.url, dict(preview.request_headers)) == (
        real.method, real.url, dict(real.request_headers))


def test_dry_run_call_shows_every_enabled_request() -> None:
    desk = Desk()
    trace = engine(desk, dry_run=True).call(simulate("inbound-missed", PHONE, start=START))
    assert desk.requests == []
    # nothing comes back in a dry run, so the flow takes the "no match" path: create, ticket, journal
    names = [s.name for s in trace.steps]
    assert names == ["Search Contacts", "Create Contacts", "CreateNewTicket", "OnTicket", "CallJournal"]
    assert {str(e.outcome) for e in trace.log} <= {"dry_run", "skipped"}


# --------------------------------------------------------------------------- inputs and headers


def test_missing_input_is_an_error_naming_step_and_variable() -> None:
    t = template()
    eng = Engine(t, {"api_key": SENTINEL}, transport=httpx.MockTransport(Desk()))
    with pytest.raises(EngineError) as info:
        eng.search(PHONE)
    text = str(info.value)
    assert "Contacts" in text and "'region'" in text and "--input region=" in text


def test_template_authorization_header_never_overrides_basic_auth() -> None:
    desk = Desk()
    t = template(
        auth=Auth(method=AuthMethod.BASIC, custom_fields=template().auth.custom_fields,
                  basic=BasicAuth(credential_format="{{.api_key}}:X")),
        headers=(Header("X-API-Key", "{{.api_key}}"), Header("X-Region", "{{.region}}"),
                 Header("Authorization", "Token abc")),
    )
    result = engine(desk, t).search(PHONE)
    assert desk.requests[0].headers["Authorization"].startswith("Basic ")
    (ran,) = [p for p in result.problems if p.code == "authorization-header-ignored"]
    (said,) = [p for p in validate(t) if p.code == "authorization-header"]
    assert said.message == ran.message  # validation says what the engine then does (issue 8 item 5)


# --------------------------------------------------------------------------- calls


def test_missed_inbound_call_creates_contact_ticket_journal_and_fires_follow_up() -> None:
    desk = Desk()
    trace = engine(desk).call(simulate("inbound-missed", "+1 212 555 0000", start=START, contact_name="Jo Bloggs"))
    names = [s.name for s in trace.steps]
    assert names == ["Search Contacts", "Create Contacts", "CreateNewTicket", "OnTicket", "CallJournal"]
    assert desk.created == [{"id": 100, "name": "Jo Bloggs", "phone": "+1 212 555 0000"}]
    assert desk.tickets == [{"subject": "Inbound NO ANSWER from Jo Bloggs<+1 212 555 0000>", "contact": "100"}]
    on_ticket = next(r for r in desk.requests if r.url.path.startswith("/follow/"))
    assert on_ticket.url.path == "/follow/556" and on_ticket.headers["X-Follow"] == "556"
    assert "X-API-Key" not in on_ticket.headers  # template headers are not sent on follow-ups
    journal = desk.journals[0]
    assert journal["path"] == "/journal/556/1001"
    assert (journal["owner"], journal["token"], journal["rec"]) == ("agent-9", "tok-1", "")
    assert journal["text"] == "Missed 00:00:00"
    assert trace.variables["TicketId"] == 556 and trace.variables["ContactId"] == 100
    assert trace.ok


def test_queue_call_hides_missed_legs_when_the_option_is_on() -> None:
    desk = Desk()
    legs = queue_call(PHONE, answered_by="1002", start=START, seed=2)
    trace = engine(desk).call(legs)
    assert [j["path"].rsplit("/", 1)[1] for j in desk.journals] == ["1002"]
    notes = [s.note for s in trace.steps if s.name.startswith("CallJournal")]
    assert sum("skipped: missed queue leg" in n for n in notes) == 2
    shown = Desk()
    engine(shown).call(legs, hide_missed=False)
    assert [j["path"].rsplit("/", 1)[1] for j in shown.journals] == ["1001", "1002", "1003"]


def test_a_request_whose_url_renders_empty_is_skipped() -> None:
    desk = Desk()
    t = template(call_journal=replace(template().call_journal, url="{{if .RecordPath}}" + BASE + "/journal/x{{end}}"))
    trace = engine(desk, t).call(simulate("inbound-missed", PHONE, start=START))
    journal = next(s for s in trace.steps if s.name == "CallJournal")
    assert str(journal.exchange.outcome) == "skipped" and desk.journals == []


def test_followup_fires_the_event_requests_with_given_variables() -> None:
    desk = Desk()
    trace = engine(desk).followup("ticket_created", {"TicketId": "42"})
    assert [s.name for s in trace.steps] == ["OnTicket"]
    # a token a follow-up obtained is a secret from the moment it is extracted (issue 12, item 5)
    assert trace.variables["Token"] == MASK and trace.variables["Owner"] == "agent-9"
    assert desk.requests[0].url.path == "/follow/42"


def test_create_contact_returns_the_new_id() -> None:
    desk = Desk()
    trace = engine(desk).create_contact("+44 20 7946 0000", first_name="Tim", last_name="Lee")
    assert trace.variables["ContactId"] == 100 and desk.created[0]["name"] == "Tim Lee"


# --------------------------------------------------------------------------- users and matrix


def test_users_page_through_and_associate_by_email() -> None:
    desk = Desk(users=250)
    users = engine(desk).users({"1001": "U3@X.IO"})
    assert len(users) == 250 and users.stop.reason == "short_page"
    assert 3 <= users.stop.requests <= 3 + 4  # pages fetched ahead within Max Concurrent Request (4)
    df = users.records()
    assert list(df.columns[:4]) == ["UserUniqueId", "FirstName", "LastName", "Email"]
    assert df.loc[3, "Extension"] == "1001" and df.loc[249, "UserUniqueId"] == "u249"
    pages = {r.url.params["page"] for r in desk.requests}
    assert {"1", "2", "3"} <= pages


def test_match_matrix_shows_which_formats_hit() -> None:
    matrix = engine(Desk()).match_matrix("+14155550123")
    assert matrix.hits() == {"Contacts": ["e164", "digits"]}  # the desk compares all digits
    assert matrix.matrix().shape == (5, 1)


# --------------------------------------------------------------------------- secrets and loops


def test_sentinel_secret_reaches_no_frame_repr_or_curl() -> None:
    desk = Desk()
    eng = engine(desk)
    results = [eng.search(PHONE), eng.users(), eng.call(simulate("inbound-answered", PHONE, start=START))]
    texts = [repr(eng)]
    for r in results:
        texts.append(repr(r))
        texts.append(r.exchanges().to_csv())
        texts += [e.to_curl() for e in r.log]
    texts += [results[0].records().to_csv(), results[1].records().to_csv(), results[2].trace().to_csv()]
    texts.append(repr(results[2].variables))
    assert all(SENTINEL not in t for t in texts)
    assert any(r.headers.get("X-API-Key") == SENTINEL for r in desk.requests)  # it was really sent


def test_sync_wrappers_work_inside_a_running_loop() -> None:
    async def inside() -> int:
        return len(engine(Desk()).search(PHONE))

    assert asyncio.run(inside()) == 1


def test_popup_url_from_a_contact_field() -> None:
    class WithUrl(Desk):
        def __call__(self, request: httpx.Request) -> httpx.Response:
            response = super().__call__(request)
            if request.url.path == "/contacts":
                data = json.loads(response.content)
                for c in data["data"]:
                    c["url"] = f"{BASE}/people/{c['id']}"
                return httpx.Response(200, json=data)
            return response

    cs = template().contact_search
    t = template(contact_search=replace(cs, popup=Popup(PopupMode.CONTACT_FIELD, contact_field_path="data.#.url")))
    match = engine(WithUrl(), t).search(PHONE).matches[0]
    assert match.popup_url == BASE + "/people/7" and "\x00popup" not in match.fields


def test_a_value_that_breaks_a_json_body_is_a_problem_on_its_step() -> None:
    desk = Desk()
    trace = engine(desk).call(simulate("inbound-missed", "+1 212 555 0000", start=START, contact_name='Jo "JB" Bloggs'))
    creation = next(s for s in trace.steps if s.name == "Create Contacts")
    assert creation.exchange.status == 400 and desk.created == []
    assert any("DisplayName" in p.message for p in creation.problems)


def test_async_methods_can_be_awaited() -> None:
    async def both() -> tuple[int, int]:
        eng = engine(Desk(users=120))
        users, found = await asyncio.gather(eng.ausers(), eng.asearch(PHONE))
        return len(users), len(found)

    assert asyncio.run(both()) == (120, 1)


@pytest.mark.parametrize(
    "kind, options, message",
    [
        pytest.param("ringing", {}, "unknown call event 'ringing'; choose one of inbound-answered", id="unknown-kind"),
        pytest.param("queue", {"agents": (("1001", "A"),), "answered_by": "1009"},
                     "answered_by='1009' is not one of the agents ['1001']", id="answering-agent-not-queued"),
    ],
)
def test_a_bad_call_event_is_an_engine_error_naming_it(kind: str, options: dict, message: str) -> None:
    with pytest.raises(EngineError, match="Call event > event: ") as caught:
        engine(Desk()).event(kind, PHONE, **options)
    assert message in str(caught.value)


def test_a_queue_answered_by_an_extension_outside_the_default_agents_puts_it_first() -> None:
    legs = engine(Desk()).event("queue", PHONE, extension="2001", start=START)
    assert [(leg.extension, leg.answered) for leg in legs] == [("2001", True), ("1002", False), ("1003", False)]


def test_match_matrix_with_zero_last_digits_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="Contact Search > Phone: the last-digits format needs at least 1 digit"):
        engine(Desk()).match_matrix(PHONE, last_digits=0)


def test_an_engine_refuses_a_template_with_errors_as_export_does() -> None:
    """The README's entry point asks the same gate as export: one message shape, nothing sent."""
    broken = template(general=General(name="Test Desk"))  # no Key
    desk = Desk()
    with pytest.raises(ValidationFailed) as info:
        Engine(broken, INPUTS, transport=httpx.MockTransport(desk))
    assert info.value.message == "1 error(s); not run"
    assert str(info.value).splitlines()[1] == "  error: General > Key: Key is required"
    assert not desk.requests


def test_an_engine_keeps_the_warnings_of_a_template_it_runs() -> None:
    assert [p.code for p in engine(Desk()).problems] == [p.code for p in validate(template())]


def test_a_call_trace_lists_contact_searches_in_contact_type_order_not_arrival_order() -> None:
    """The first contact type's answer is held until the second one has been answered; the
    trace still reads in the order the template declares the contact types."""
    second_answered = asyncio.Event()

    async def desk(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/first":
            await asyncio.wait_for(second_answered.wait(), 5)
            return httpx.Response(200, json={"data": [{"id": 1, "name": "Ada", "phone": "1"}]})
        second_answered.set()
        return httpx.Response(200, json={"data": [{"id": 2, "name": "Bob", "phone": "2"}]})

    t = template()
    first, = t.contact_search.contact_types
    types = (replace(first, name="First", url=BASE + "/first", next=""),
             replace(first, name="Second", url=BASE + "/second", next=""))
    t = replace(t, contact_search=replace(t.contact_search, contact_types=types))
    found = Engine(t, INPUTS, transport=httpx.MockTransport(desk)).search(PHONE)
    assert [m.contact_type for m in found.matches] == ["First", "Second"]
    assert [e.step for e in found.log] == ["Search First", "Search Second"]
