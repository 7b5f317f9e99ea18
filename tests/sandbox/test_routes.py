"""Every vendor route of the sandbox over real HTTP: paging to the end, phone matching,
create-and-read-back, vendor-shaped errors and the call pop-up pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.routing import Mount
from support.sandbox_api import (FD, FD_AUTH, HS, HS_AUTH, KD, KD_AUTH, ZD, ZD_AUTH, ZM, ZM_AUTH, ZO, login,
                                 zoho_headers)

from hdkit.sandbox import AGENT_COUNT, DEMO, Sandbox, create_app

MAX_PAGES = 200  # every paging loop below is bounded


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        yield c


@pytest.fixture
def zoho(client: httpx.Client) -> dict[str, str]:
    return zoho_headers(login(client, ZO)["access_token"])


# -- pagination, every mode, to the last page ----------------------------------------------------

def _follow(client: httpx.Client, url: str | None, next_of: Any, items_of: Any,
            **kwargs: Any) -> tuple[list[Any], int]:
    items, pages = [], 0
    while url and pages < MAX_PAGES:
        response = client.get(url, **kwargs)
        assert response.status_code == 200, response.text
        items += items_of(response)
        url, pages = next_of(response), pages + 1
    return items, pages


def test_zendesk_next_page_offset_paging(client: httpx.Client) -> None:
    users, pages = _follow(client, "/zendesk/api/v2/users.json?role=agent&per_page=100",
                           lambda r: r.json()["next_page"], lambda r: r.json()["users"],
                           headers=ZD_AUTH)
    assert pages == AGENT_COUNT // 100
    assert len({u["id"] for u in users}) == AGENT_COUNT and {u["role"] for u in users} == {"agent"}
    first = client.get("/zendesk/api/v2/users.json?per_page=100", headers=ZD_AUTH).json()
    assert first["count"] == AGENT_COUNT + 200 and first["previous_page"] is None


def test_zendesk_links_next_cursor_paging(client: httpx.Client) -> None:
    users, pages = _follow(client, "/zendesk/api/v2/users.json?role=agent&page[size]=100",
                           lambda r: r.json()["links"]["next"], lambda r: r.json()["users"],
                           headers=ZD_AUTH)
    assert pages == AGENT_COUNT // 100 and len({u["id"] for u in users}) == AGENT_COUNT
    last = client.get(f"/zendesk/api/v2/users.json?role=agent&page[size]=100", headers=ZD_AUTH)
    assert last.json()["meta"]["has_more"] is True


def test_freshdesk_page_number_paging_with_link_header(client: httpx.Client) -> None:
    def next_of(r: httpx.Response) -> str | None:
        return r.links.get("next", {}).get("url")

    agents, pages = _follow(client, "/freshdesk/api/v2/agents?per_page=100", next_of,
                            lambda r: r.json(), auth=FD_AUTH)
    assert pages == AGENT_COUNT // 100 and len({a["id"] for a in agents}) == AGENT_COUNT
    assert agents[0]["contact"]["email"].endswith("@agents.example.com")
    past = client.get("/freshdesk/api/v2/agents?page=26&per_page=100", auth=FD_AUTH)
    assert past.json() == [] and "link" not in past.headers
    default = client.get("/freshdesk/api/v2/agents", auth=FD_AUTH).json()
    assert len(default) == 30


def test_zoho_offset_paging_ends_with_204(client: httpx.Client, zoho: dict[str, str]) -> None:
    seen, start = [], 0
    for _ in range(MAX_PAGES):
        response = client.get("/zoho/api/v1/agents", params={"from": start, "limit": 200}, headers=zoho)
        if response.status_code == 204:
            assert response.content == b""
            break
        seen += response.json()["data"]
        start += 200
    assert len({a["id"] for a in seen}) == AGENT_COUNT and all(isinstance(a["id"], str) for a in seen)
    second = client.get("/zoho/api/v1/agents", params={"from": 1, "limit": 1}, headers=zoho).json()
    assert second["data"] == seen[1:2]  # from is a 0-based offset


def test_keydesk_page_number_paging_with_totals(client: httpx.Client) -> None:
    first = client.get("/keydesk/api/users", params={"page_size": 100}, headers=KD_AUTH).json()
    assert (first["total"], first["total_pages"], first["page"]) == (AGENT_COUNT, 25, 1)
    users = first["data"]
    for number in range(2, first["total_pages"] + 1):
        users += client.get("/keydesk/api/users", params={"page": number, "page_size": 100},
                            headers=KD_AUTH).json()["data"]
    assert len({u["id"] for u in users}) == AGENT_COUNT


def test_agents_are_the_same_on_every_start() -> None:
    with Sandbox() as a, Sandbox() as b:
        url = "/keydesk/api/users?page=7&page_size=5"
        one = httpx.get(a.url + url, headers=KD_AUTH).json()
        two = httpx.get(b.url + url, headers=KD_AUTH).json()
    assert one == two and len(one["data"]) == 5


@pytest.mark.parametrize("path, params, auth, code", [
    pytest.param("/freshdesk/api/v2/agents", {"per_page": 101}, "fd", 400, id="fd-per-page"),
    pytest.param("/freshdesk/api/v2/agents", {"page": 0}, "fd", 400, id="fd-page-0"),
    pytest.param("/keydesk/api/users", {"page_size": 0}, "kd", 422, id="kd-size"),
    pytest.param("/zendesk/api/v2/users.json", {"page": "x"}, "zd", 422, id="zd-page"),
    pytest.param("/zendesk/api/v2/users.json", {"page[size]": 10, "page[after]": "!!"}, "zd", 400,
                 id="zd-cursor"),
    pytest.param("/zendesk/api/v2/users.json", {"role": "boss"}, "zd", 422, id="zd-role"),
])
def test_bad_paging_parameters(client: httpx.Client, path: str, params: dict, auth: str,
                               code: int) -> None:
    kwargs = {"fd": {"auth": FD_AUTH}, "kd": {"headers": KD_AUTH}, "zd": {"headers": ZD_AUTH}}[auth]
    assert client.get(path, params=params, **kwargs).status_code == code


@pytest.mark.parametrize("path, params, message", [
    pytest.param("/zoho/api/v1/agents", {"limit": 201},
                 "The value passed for field 'limit' exceeds the range of '1-200'.", id="agents-limit"),
    pytest.param("/zoho/api/v1/contacts/search", {"phone": "1", "limit": 101},
                 "The value passed for field 'limit' exceeds the range of '1-100'.", id="search-limit"),
    pytest.param("/zoho/api/v1/agents", {"limit": 0},
                 "The value passed for field 'limit' exceeds the range of '1-200'.", id="limit-zero"),
    pytest.param("/zoho/api/v1/agents", {"from": -1},
                 "The value passed for field 'from' exceeds the range of '0-2147483647'.",
                 id="from-negative"),
])
def test_zoho_bad_window(client: httpx.Client, zoho: dict[str, str], path: str, params: dict,
                         message: str) -> None:
    response = client.get(path, params=params, headers=zoho)
    assert response.status_code == 422
    assert response.json() == {"errorCode": "UNPROCESSABLE_ENTITY", "message": message}


# -- phone matching: the match matrix ----------------------------------------------------------

def _zendesk(client: httpx.Client, _: dict, query: str) -> set[str]:
    r = client.get("/zendesk/api/v2/users/search.json", params={"query": query}, headers=ZD_AUTH)
    return {u["name"] for u in r.json()["users"]}


def _freshdesk(client: httpx.Client, _: dict, query: str) -> set[str]:
    r = client.get("/freshdesk/api/v2/contacts", params={"phone": query}, auth=FD_AUTH)
    return {c["name"] for c in r.json()}


def _zoho(client: httpx.Client, zoho: dict, query: str) -> set[str]:
    r = client.get("/zoho/api/v1/contacts/search", params={"phone": query}, headers=zoho)
    return set() if r.status_code == 204 else {f"{c['firstName']} {c['lastName']}" for c in r.json()["data"]}


def _keydesk(client: httpx.Client, _: dict, query: str) -> set[str]:
    r = client.get("/keydesk/api/contacts", params={"phone": query}, headers=KD_AUTH)
    return {c["name"] for c in r.json()["data"]}


ADA, ALAN, TIM, KAREN = "Ada Lovelace", "Alan Turing", "Tim Berners-Lee", "Karen Jones"


@pytest.mark.parametrize("search, query, expected", [
    # Zendesk: equal digits (formatting ignored, 00 = +), phone, mobile and identities.
    pytest.param(_zendesk, "+14155550123", {ADA}, id="zd-e164"),
    pytest.param(_zendesk, "+1 (415) 555-0123", {ADA}, id="zd-formatted"),
    pytest.param(_zendesk, "4155550123", set(), id="zd-national-misses-e164"),
    pytest.param(_zendesk, "4155550124", {ALAN}, id="zd-national-hits-national"),
    pytest.param(_zendesk, "+44 20 7946 0958", {TIM}, id="zd-00-prefix-is-plus"),
    pytest.param(_zendesk, "415-555-0151", {ADA}, id="zd-identity"),
    pytest.param(_zendesk, "phone:+14155550199", {ADA}, id="zd-mobile-field-prefix"),
    # Freshdesk: the exact string.
    pytest.param(_freshdesk, "+14155550123", {ADA}, id="fd-exact"),
    pytest.param(_freshdesk, "+1 415 555 0123", set(), id="fd-spaces-miss"),
    pytest.param(_freshdesk, "(415) 555-0124", {ALAN}, id="fd-exact-national"),
    pytest.param(_freshdesk, "4155550124", set(), id="fd-digits-miss"),
    # Zoho: last digits, both ways, phone and mobile.
    pytest.param(_zoho, "4155550123", {ADA}, id="zo-national-hits-e164"),
    pytest.param(_zoho, "+14155550124", {ALAN}, id="zo-e164-hits-national"),
    pytest.param(_zoho, "7700 900959", {KAREN}, id="zo-mobile"),
    pytest.param(_zoho, "+44 7700 900959", set(), id="zo-trunk-0-misses"),
    pytest.param(_zoho, "0123", set(), id="zo-too-short"),
    # KeyDesk: the query's digits contained in the stored digits.
    pytest.param(_keydesk, "555-0123", {ADA}, id="kd-contains"),
    pytest.param(_keydesk, "2079460958", {TIM}, id="kd-uk"),
    pytest.param(_keydesk, "0123", {ADA}, id="kd-four-digits"),
    pytest.param(_keydesk, "123", set(), id="kd-too-short"),
])
def test_phone_match_rules(client: httpx.Client, zoho: dict[str, str], search: Any, query: str,
                           expected: set[str]) -> None:
    assert search(client, zoho, query) == expected


@pytest.mark.parametrize("params, names", [
    pytest.param({"email": "ADA.LOVELACE@example.com"}, {ADA}, id="email"),
    pytest.param({"name": "berners"}, {TIM}, id="name"),
    pytest.param({"name": "ada lov", "email": "nobody@example.com"}, set(), id="both"),
])
def test_keydesk_other_criteria(client: httpx.Client, params: dict, names: set[str]) -> None:
    data = client.get("/keydesk/api/contacts", params=params, headers=KD_AUTH).json()["data"]
    assert {c["name"] for c in data} == names


def test_zendesk_search_by_email_and_name(client: httpx.Client) -> None:
    assert _zendesk(client, {}, "ada.lovelace@example.com") == {ADA}
    assert ADA in _zendesk(client, {}, "Lovelace")
    blank = client.get("/zendesk/api/v2/users/search.json?query=", headers=ZD_AUTH)
    assert blank.status_code == 422 and blank.json()["error"] == "RecordInvalid"


def test_freshdesk_search_query_language(client: httpx.Client) -> None:
    found = client.get("/freshdesk/api/v2/search/contacts", auth=FD_AUTH,
                       params={"query": "\"phone:'+14155550123' OR mobile:'07700 900959'\""}).json()
    assert {c["name"] for c in found["results"]} == {ADA, KAREN} and found["total"] == 2
    unquoted = client.get("/freshdesk/api/v2/search/contacts", auth=FD_AUTH,
                          params={"query": "phone:'+14155550123'"})
    assert unquoted.status_code == 400 and unquoted.json()["description"] == "Validation failed"
    other = client.get("/freshdesk/api/v2/search/contacts", auth=FD_AUTH,
                       params={"query": "\"phone:'1' AND x:'2'\""})
    assert other.status_code == 400


def test_zoho_accounts_search_and_no_hit_is_204(client: httpx.Client, zoho: dict[str, str]) -> None:
    hit = client.get("/zoho/api/v1/accounts/search", params={"phone": "4155550100"}, headers=zoho)
    assert [a["accountName"] for a in hit.json()["data"]] == ["Bletchley Systems"]
    account = client.get(f"/zoho/api/v1/accounts/{hit.json()['data'][0]['id']}", headers=zoho)
    assert account.json()["phone"] == "(415) 555-0100"
    miss = client.get("/zoho/api/v1/contacts/search", params={"phone": "+19999999999"}, headers=zoho)
    assert miss.status_code == 204 and miss.content == b""
    by_all = client.get("/zoho/api/v1/contacts/search", params={"_all": "ada.lovelace@"},
                        headers=zoho)
    assert [c["lastName"] for c in by_all.json()["data"]] == ["Lovelace"]
    nothing = client.get("/zoho/api/v1/contacts/search", headers=zoho)
    assert nothing.status_code == 422


def test_zendesk_identities_list_every_number(client: httpx.Client) -> None:
    uid = client.get("/zendesk/api/v2/users/search.json", params={"query": "+14155550123"},
                     headers=ZD_AUTH).json()["users"][0]["id"]
    identities = client.get(f"/zendesk/api/v2/users/{uid}/identities.json", headers=ZD_AUTH).json()
    phones = [i["value"] for i in identities["identities"] if i["type"] == "phone_number"]
    assert phones == ["+14155550123", "+14155550199", "+1 415 555 0150", "415-555-0151"]
    assert identities["count"] == 5 and identities["next_page"] is None
    assert client.get(f"/zendesk/api/v2/users/{uid}.json", headers=ZD_AUTH).json()["user"]["id"] == uid
    missing = client.get("/zendesk/api/v2/users/1/identities.json", headers=ZD_AUTH)
    assert missing.status_code == 404
    assert missing.json() == {"error": "RecordNotFound", "description": "Not found"}


# -- create, update, read back ----------------------------------------------------------------

def test_zendesk_user_ticket_and_voice_comment(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    created = client.post("/zendesk/api/v2/users.json", headers=ZD_AUTH,
                          json={"user": {"name": "New Caller", "phone": "+15550001111"}})
    assert created.status_code == 201
    uid = created.json()["user"]["id"]
    assert _zendesk(client, {}, "+1 555 000 1111") == {"New Caller"}
    ticket = client.post("/zendesk/api/v2/tickets.json", headers=ZD_AUTH, json={"ticket": {
        "subject": "Missed call", "comment": {"body": "from +15550001111"},
        "requester_id": str(uid), "tags": ["auto-ticket-created-by-pbx"]}})
    assert ticket.status_code == 201 and ticket.json()["ticket"]["status"] == "new"
    tid = ticket.json()["ticket"]["id"]
    voice = {"from": "+15550001111", "to": "1001", "recording_url": "https://pbx/rec.wav",
             "started_at": "2024-05-01 10:00:00 +0000", "call_duration": 42}
    updated = client.put(f"/zendesk/api/v2/tickets/{tid}.json", headers=ZD_AUTH,
                         json={"ticket": {"voice_comment": voice, "status": "open"}})
    assert updated.status_code == 200 and updated.json()["ticket"]["status"] == "open"
    patched = client.patch(f"/zendesk/api/v2/tickets/{tid}.json", headers=ZD_AUTH,
                           json={"ticket": {"comment": {"body": "called back"}}})
    assert patched.status_code == 200
    shown = client.get(f"/zendesk/api/v2/tickets/{tid}.json", headers=ZD_AUTH).json()["ticket"]
    assert shown["requester_id"] == uid and shown["tags"] == ["auto-ticket-created-by-pbx"]
    comments = client.get(f"/zendesk/api/v2/tickets/{tid}/comments.json", headers=ZD_AUTH).json()
    assert [c["type"] for c in comments["comments"]] == ["Comment", "VoiceComment", "Comment"]
    assert comments["comments"][1]["data"] == voice
    state = fresh_sandbox.state["zendesk"]
    assert [u["name"] for u in state["users"]] == ["New Caller"]
    assert state["tickets"][0]["status"] == "open" and len(state["comments"]) == 3
    assert client.get("/_sandbox/state").json() == fresh_sandbox.state


@pytest.mark.parametrize("method, path, body, status, field", [
    pytest.param("POST", "/zendesk/api/v2/users.json", {"user": {"email": "x@y.z"}}, 422, "name",
                 id="user-no-name"),
    pytest.param("POST", "/zendesk/api/v2/users.json",
                 {"user": {"name": "Dup", "email": "ada.lovelace@example.com"}}, 422, "email",
                 id="user-duplicate-email"),
    pytest.param("POST", "/zendesk/api/v2/tickets.json", {"ticket": {"subject": "s"}}, 422, "base",
                 id="ticket-no-body"),
    pytest.param("POST", "/zendesk/api/v2/tickets.json",
                 {"ticket": {"comment": {"body": "b"}, "requester_id": "42"}}, 422, "requester",
                 id="ticket-bad-requester"),
])
def test_zendesk_validation_errors(client: httpx.Client, method: str, path: str, body: dict,
                                   status: int, field: str) -> None:
    response = client.request(method, path, json=body, headers=ZD_AUTH)
    assert response.status_code == status
    assert response.json()["error"] == "RecordInvalid" and field in response.json()["details"]


def test_zendesk_update_errors(client: httpx.Client) -> None:
    missing = client.put("/zendesk/api/v2/tickets/999999.json", headers=ZD_AUTH, json={"ticket": {}})
    assert missing.status_code == 404
    tid = client.post("/zendesk/api/v2/tickets.json", headers=ZD_AUTH,
                      json={"ticket": {"comment": {"body": "b"}}}).json()["ticket"]["id"]
    partial = client.put(f"/zendesk/api/v2/tickets/{tid}.json", headers=ZD_AUTH,
                         json={"ticket": {"voice_comment": {"from": "1"}}})
    assert partial.status_code == 422 and "recording_url" in partial.text
    not_json = client.post("/zendesk/api/v2/tickets.json", headers=ZD_AUTH, content=b"{oops")
    assert not_json.status_code == 400
    for path in ("/zendesk/api/v2/tickets/999999.json", "/zendesk/api/v2/tickets/999999/comments.json",
                 "/zendesk/api/v2/users/1.json"):
        assert client.get(path, headers=ZD_AUTH).json() == {"error": "RecordNotFound",
                                                            "description": "Not found"}


def test_freshdesk_contact_ticket_and_note(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    contact = client.post("/freshdesk/api/v2/contacts", auth=FD_AUTH,
                          json={"name": "New Caller", "phone": "+15550002222"})
    assert contact.status_code == 201
    cid = contact.json()["id"]
    assert client.get(f"/freshdesk/api/v2/contacts/{cid}", auth=FD_AUTH).json()["name"] == "New Caller"
    assert _freshdesk(client, {}, "+15550002222") == {"New Caller"}
    ticket = client.post("/freshdesk/api/v2/tickets", auth=FD_AUTH, json={
        "subject": "Call", "description": "Inbound", "requester_id": cid, "status": 2, "priority": 1})
    assert ticket.status_code == 201
    tid = ticket.json()["id"]
    note = client.post(f"/freshdesk/api/v2/tickets/{tid}/notes", auth=FD_AUTH,
                       json={"body": "Call log: 42 s", "private": True})
    assert note.status_code == 201 and note.json()["ticket_id"] == tid
    updated = client.put(f"/freshdesk/api/v2/tickets/{tid}", auth=FD_AUTH, json={"status": 4})
    assert updated.json()["status"] == 4
    assert client.get(f"/freshdesk/api/v2/tickets/{tid}", auth=FD_AUTH).json()["status"] == 4
    state = fresh_sandbox.state["freshdesk"]
    assert (len(state["contacts"]), len(state["tickets"]), len(state["notes"])) == (1, 1, 1)
    agent = client.get("/freshdesk/api/v2/agents?per_page=1", auth=FD_AUTH).json()[0]
    assert client.get(f"/freshdesk/api/v2/agents/{agent['id']}", auth=FD_AUTH).json() == agent


@pytest.mark.parametrize("method, path, body, status, field", [
    pytest.param("POST", "/freshdesk/api/v2/contacts", {"phone": "1"}, 400, "name", id="no-name"),
    pytest.param("POST", "/freshdesk/api/v2/contacts", {"name": "N"}, 400, "requester_id",
                 id="no-channel"),
    pytest.param("POST", "/freshdesk/api/v2/contacts",
                 {"name": "N", "email": "ada.lovelace@example.com"}, 409, "email", id="duplicate"),
    pytest.param("POST", "/freshdesk/api/v2/tickets", {"subject": "s", "email": "a@b.c"}, 400,
                 "description", id="ticket-no-description"),
    pytest.param("POST", "/freshdesk/api/v2/tickets", {"subject": "s", "description": "d"}, 400,
                 "requester_id", id="ticket-no-requester"),
    pytest.param("POST", "/freshdesk/api/v2/tickets",
                 {"subject": "s", "description": "d", "requester_id": 7}, 400, "requester_id",
                 id="ticket-unknown-requester"),
])
def test_freshdesk_validation_errors(client: httpx.Client, method: str, path: str, body: dict,
                                     status: int, field: str) -> None:
    response = client.request(method, path, json=body, auth=FD_AUTH)
    assert response.status_code == status
    assert response.json()["description"] == "Validation failed"
    assert response.json()["errors"][0]["field"] == field


def test_freshdesk_not_found_has_empty_body(client: httpx.Client) -> None:
    for path in ("/freshdesk/api/v2/contacts/1", "/freshdesk/api/v2/tickets/1",
                 "/freshdesk/api/v2/agents/1"):
        response = client.get(path, auth=FD_AUTH)
        assert (response.status_code, response.content) == (404, b"")
    note = client.post("/freshdesk/api/v2/tickets/1/notes", auth=FD_AUTH, json={"body": "x"})
    assert note.status_code == 404


def test_zoho_contact_ticket_call_and_activities(fresh_sandbox: Sandbox, client: httpx.Client,
                                                 zoho: dict[str, str]) -> None:
    assert client.get("/zoho/api/v1/activities", headers=zoho).status_code == 204
    contact = client.post("/zoho/api/v1/contacts", headers=zoho,
                          json={"lastName": "Caller", "firstName": "New", "phone": "+15550003333"})
    assert contact.status_code == 200
    cid = contact.json()["id"]
    assert _zoho(client, zoho, "5550003333") == {"New Caller"}
    assert client.get(f"/zoho/api/v1/contacts/{cid}", headers=zoho).json()["lastName"] == "Caller"
    base = {"departmentId": ZO["department_id"], "contactId": cid}
    ticket = client.post("/zoho/api/v1/tickets", headers=zoho, json={"subject": "Call", **base})
    assert ticket.status_code == 200 and ticket.json()["status"] == "Open"
    tid = ticket.json()["id"]
    patched = client.patch(f"/zoho/api/v1/tickets/{tid}", headers=zoho, json={"status": "Closed"})
    assert patched.json()["status"] == "Closed"
    assert client.get(f"/zoho/api/v1/tickets/{tid}", headers=zoho).json()["status"] == "Closed"
    call = client.post("/zoho/api/v1/calls", headers=zoho, json={
        "subject": "Inbound call", "direction": "inbound", "startTime": "2024-05-01T10:00:00.000Z",
        "duration": "42", "ticketId": tid, **base})
    assert call.status_code == 200
    activities = client.get("/zoho/api/v1/activities", headers=zoho).json()["data"]
    assert [a["id"] for a in activities] == [call.json()["id"]]
    state = fresh_sandbox.state["zoho"]
    assert (len(state["contacts"]), len(state["tickets"]), len(state["calls"])) == (1, 1, 1)


@pytest.mark.parametrize("path, body, field, kind", [
    pytest.param("/zoho/api/v1/contacts", {"firstName": "x"}, "/lastName", "missing", id="contact"),
    pytest.param("/zoho/api/v1/tickets", {"subject": "s", "contactId": "1"}, "/departmentId",
                 "missing", id="ticket-no-department"),
    pytest.param("/zoho/api/v1/tickets", {"subject": "s", "departmentId": "9", "contactId": "1"},
                 "/departmentId", "invalid", id="ticket-wrong-department"),
    pytest.param("/zoho/api/v1/tickets", {"subject": "s", "departmentId": ZO["department_id"],
                                          "contactId": "1"}, "/contactId", "invalid",
                 id="ticket-unknown-contact"),
    pytest.param("/zoho/api/v1/calls", {"subject": "s"}, "/departmentId", "missing", id="call"),
    pytest.param("/zoho/api/v1/calls", {"subject": "s", "departmentId": "d", "contactId": "c",
                                        "direction": "sideways", "startTime": "t", "duration": 1},
                 "/direction", "invalid", id="call-direction"),
])
def test_zoho_validation_errors(client: httpx.Client, zoho: dict[str, str], path: str, body: dict,
                                field: str, kind: str) -> None:
    response = client.post(path, json=body, headers=zoho)
    assert response.status_code == 422 and response.json()["errorCode"] == "INVALID_DATA"
    assert response.json()["errors"][0] == {"fieldName": field, "errorType": kind, "errorMessage": ""}


def test_zoho_not_found(client: httpx.Client, zoho: dict[str, str]) -> None:
    for path in ("/zoho/api/v1/contacts/1", "/zoho/api/v1/accounts/1", "/zoho/api/v1/tickets/1"):
        response = client.get(path, headers=zoho)
        assert response.status_code == 404 and response.json()["errorCode"] == "RESOURCE_NOT_FOUND"
    assert client.patch("/zoho/api/v1/tickets/1", headers=zoho, json={}).status_code == 404


def test_keydesk_contact_and_call_log(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    contact = client.post("/keydesk/api/contacts", headers=KD_AUTH,
                          json={"name": "New Caller", "phone": "+1 555 000 4444"})
    assert contact.status_code == 201 and contact.json()["ok"] is True
    cid = contact.json()["data"]["id"]
    assert client.get(f"/keydesk/api/contacts/{cid}", headers=KD_AUTH).json()["data"]["name"] == "New Caller"
    call = client.post("/keydesk/api/calls", params={"api_key": KD_AUTH["X-API-Key"]}, json={
        "contact_id": cid, "phone": "+15550004444", "direction": "inbound",
        "started_at": "2024-05-01T10:00:00Z", "duration": 42})
    assert call.status_code == 201
    assert fresh_sandbox.state["keydesk"]["calls"][0]["contact_id"] == cid


@pytest.mark.parametrize("path, body, field", [
    pytest.param("/keydesk/api/contacts", {"phone": "1"}, "name", id="contact-name"),
    pytest.param("/keydesk/api/contacts", {"name": "n"}, "phone", id="contact-phone"),
    pytest.param("/keydesk/api/calls", {"phone": "1", "started_at": "t"}, "direction", id="call"),
    pytest.param("/keydesk/api/calls", {"phone": "1", "started_at": "t", "direction": "up"},
                 "direction", id="call-direction"),
    pytest.param("/keydesk/api/calls", {"phone": "1", "started_at": "t", "direction": "inbound",
                                        "contact_id": "c0"}, "contact_id", id="call-contact"),
])
def test_keydesk_validation_errors(client: httpx.Client, path: str, body: dict, field: str) -> None:
    response = client.post(path, json=body, headers=KD_AUTH)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"
    assert field in response.json()["error"]["fields"]


def test_keydesk_not_found_and_bad_json(client: httpx.Client) -> None:
    missing = client.get("/keydesk/api/contacts/nope", headers=KD_AUTH)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad = client.post("/keydesk/api/contacts", headers=KD_AUTH, content=b"[1,")
    assert bad.status_code == 400


# -- call pop-up pages -------------------------------------------------------------------------

def test_contact_pages_for_call_popup(client: httpx.Client, zoho: dict[str, str]) -> None:
    zd = client.get("/zendesk/api/v2/users/search.json?query=4155550124", headers=ZD_AUTH).json()
    fd = client.get("/freshdesk/api/v2/contacts", params={"phone": "(415) 555-0124"}, auth=FD_AUTH).json()
    zo = client.get("/zoho/api/v1/contacts/search?phone=4155550124", headers=zoho).json()
    kd = client.get("/keydesk/api/contacts?phone=4155550124", headers=KD_AUTH).json()
    pages = [f"/zendesk/agent/users/{zd['users'][0]['id']}", f"/freshdesk/a/contacts/{fd[0]['id']}",
             f"/zoho/support/contacts/{zo['data'][0]['id']}", f"/keydesk/contacts/{kd['data'][0]['id']}"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "text/html" in response.headers["content-type"] and "Turing" in response.text
    for path in ("/zendesk/agent/users/1", "/freshdesk/a/contacts/1", "/zoho/support/contacts/1",
                 "/keydesk/contacts/nope"):
        assert client.get(path).status_code == 404


@pytest.mark.parametrize("path, status, body", [
    pytest.param("/zendesk/api/v2/nope.json", 404, b'{"error":"InvalidEndpoint","description":"Not found"}',
                 id="zendesk"),
    pytest.param("/freshdesk/api/v2/nope", 404, b"", id="freshdesk"),
    pytest.param("/zoho/api/v1/nope", 404,
                 b'{"errorCode":"URL_NOT_FOUND","message":"The URL you requested could not be found"}',
                 id="zoho"),
    pytest.param("/keydesk/nope", 404,
                 b'{"ok":false,"error":{"code":"no_route","message":"No such endpoint"}}', id="keydesk"),
])
def test_unknown_paths_answer_in_the_vendor_shape(client: httpx.Client, path: str, status: int,
                                                  body: bytes) -> None:
    response = client.get(path)
    assert (response.status_code, response.content) == (status, body)


def test_demo_contact_page_patterns_resolve(client: httpx.Client) -> None:
    ids = {"zendesk": 362000000000, "freshdesk": 44000000000, "zoho": "1892000000200000",
           "keydesk": "c00001"}
    for vendor, cid in ids.items():
        response = client.get(DEMO[vendor]["contact_page"].format(id=cid))
        assert response.status_code == 200 and "Lovelace" in response.text, vendor


@pytest.mark.parametrize("method, path, auth, body", [
    pytest.param("POST", "/zendesk/api/v2/users.json", "zd",
                 {"error": "InvalidEndpoint", "description": 'Body must be JSON with a "user" object'},
                 id="zendesk-user"),
    pytest.param("PUT", "/zendesk/api/v2/tickets/1.json", "zd",
                 {"error": "InvalidEndpoint", "description": 'Body must be JSON with a "ticket" object'},
                 id="zendesk-ticket-update"),
    pytest.param("POST", "/freshdesk/api/v2/contacts", "fd",
                 {"description": "Validation failed", "errors": [{
                     "field": "body", "message": "The request body must be a JSON object",
                     "code": "invalid_json"}]}, id="freshdesk-contact"),
    pytest.param("PUT", "/freshdesk/api/v2/tickets/1", "fd",
                 {"description": "Validation failed", "errors": [{
                     "field": "body", "message": "The request body must be a JSON object",
                     "code": "invalid_json"}]}, id="freshdesk-ticket-update"),
    pytest.param("POST", "/zoho/api/v1/calls", "zo",
                 {"errorCode": "INVALID_DATA", "message": "The request body must be a JSON object"},
                 id="zoho-call"),
    pytest.param("POST", "/keydesk/api/calls", "kd",
                 {"ok": False, "error": {"code": "bad_json", "message": "The body must be a JSON object"}},
                 id="keydesk-call"),
])
def test_a_write_that_is_not_a_json_object_is_400_in_the_vendor_shape(
        client: httpx.Client, zoho: dict[str, str], method: str, path: str, auth: str,
        body: dict) -> None:
    kwargs = {"fd": {"auth": FD_AUTH}, "kd": {"headers": KD_AUTH}, "zd": {"headers": ZD_AUTH},
              "zo": {"headers": zoho}}[auth]
    for sent in (b"[1, 2]", b"{not json", b""):
        response = client.request(method, path, content=sent, **kwargs)
        assert (response.status_code, response.json()) == (400, body), sent


# -- the route inventory: every route of the app answers over HTTP ------------------------------

def _app_routes() -> set[tuple[str, str]]:
    """(method, path template) of every route the sandbox app serves."""
    found = set()
    for route in create_app().app.routes:
        mounted = route.routes if isinstance(route, Mount) else [route]
        prefix = route.path if isinstance(route, Mount) else ""
        found |= {(m, prefix + r.path) for r in mounted for m in r.methods - {"HEAD"}}
    return found


def test_every_route_answers_over_http(fresh_sandbox: Sandbox, client: httpx.Client,
                                       zoho: dict[str, str]) -> None:
    zd = {"headers": ZD_AUTH}
    fd = {"auth": FD_AUTH}
    zo = {"headers": zoho}
    kd = {"headers": KD_AUTH}
    zd_ticket = client.post("/zendesk/api/v2/tickets.json", json={"ticket": {"comment": {"body": "b"}}},
                            **zd).json()["ticket"]["id"]
    zd_user = 362000000000
    fd_contact = client.post("/freshdesk/api/v2/contacts", json={"name": "N", "phone": "+1555"},
                             **fd).json()["id"]
    fd_ticket = client.post("/freshdesk/api/v2/tickets", json={"subject": "s", "description": "d",
                                                               "requester_id": fd_contact}, **fd).json()["id"]
    zo_contact = client.post("/zoho/api/v1/contacts", json={"lastName": "N"}, **zo).json()["id"]
    zo_refs = {"departmentId": ZO["department_id"], "contactId": zo_contact}
    zo_ticket = client.post("/zoho/api/v1/tickets", json={"subject": "s", **zo_refs}, **zo).json()["id"]
    kd_contact = client.post("/keydesk/api/contacts", json={"name": "N", "phone": "1"}, **kd).json()["data"]["id"]
    hs, zm = {"headers": HS_AUTH}, {"headers": ZM_AUTH}
    hs_link = {"associations": [{"to": {"id": "1001"}, "types": [
        {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 194}]}]}
    hs_call = client.post("/hubspot/crm/v3/objects/calls", json={
        "properties": {"hs_timestamp": "1700000000000"}, **hs_link}, **hs).json()["id"]
    hs_ticket = client.post("/hubspot/crm/v3/objects/tickets", json={
        "properties": {"subject": "s", "hs_pipeline_stage": "1"}}, **hs).json()["id"]
    zm_ticket = client.post("/zammad/api/v1/tickets", json={"title": "t", "group": ZM["group"],
                                                            "customer_id": 5001}, **zm).json()["id"]
    authorize = {"response_type": "code", "client_id": "", "redirect_uri": ZD["redirect_uri"], "state": "s"}
    zd_code = {"client_id": ZD["client_id"], "client_secret": ZD["client_secret"],
               "grant_type": "authorization_code", "redirect_uri": ZD["redirect_uri"]}
    zo_code = {"client_id": ZO["client_id"], "client_secret": ZO["client_secret"],
               "grant_type": "authorization_code", "redirect_uri": ZO["redirect_uri"]}

    def code(vendor: dict) -> str:
        params = {**authorize, "client_id": vendor["client_id"], "approve": "1"}
        location = client.get(vendor["authorize"], params=params).headers["location"]
        return httpx.URL(location).params["code"]

    calls: dict[tuple[str, str], tuple[str, dict, int]] = {
        ("GET", "/_sandbox"): ("/_sandbox", {}, 200),
        ("GET", "/_sandbox/state"): ("/_sandbox/state", {}, 200),
        ("GET", "/_sandbox/requests"): ("/_sandbox/requests", {}, 200),
        ("GET", "/_sandbox/faults"): ("/_sandbox/faults", {}, 200),
        ("POST", "/_sandbox/faults"): ("/_sandbox/faults", {"json": {}}, 200),
        ("GET", "/zendesk/oauth/authorizations/new"):
            (ZD["authorize"], {"params": {**authorize, "client_id": ZD["client_id"]}}, 200),
        ("POST", "/zendesk/oauth/authorizations/new"):
            (ZD["authorize"], {"data": {**authorize, "client_id": ZD["client_id"], "approve": "1"}}, 302),
        ("POST", "/zendesk/oauth/tokens"): (ZD["token"], {"json": {**zd_code, "code": code(ZD)}}, 200),
        ("GET", "/zoho/oauth/v2/auth"): (ZO["authorize"], {"params": {**authorize, "client_id": ZO["client_id"]}}, 200),
        ("POST", "/zoho/oauth/v2/auth"):
            (ZO["authorize"], {"data": {**authorize, "client_id": ZO["client_id"], "approve": "0"}}, 302),
        ("POST", "/zoho/oauth/v2/token"): (ZO["token"], {"data": {**zo_code, "code": code(ZO)}}, 200),
        ("GET", "/hubspot/oauth/authorize"):
            (HS["authorize"], {"params": {**authorize, "client_id": HS["client_id"]}}, 200),
        ("POST", "/hubspot/oauth/authorize"):
            (HS["authorize"], {"data": {**authorize, "client_id": HS["client_id"], "approve": "1"}}, 302),
        ("POST", "/hubspot/oauth/v1/token"): (HS["token"], {"data": {
            "client_id": HS["client_id"], "client_secret": HS["client_secret"], "grant_type": "authorization_code",
            "redirect_uri": HS["redirect_uri"], "code": code(HS)}}, 200),
        ("GET", "/hubspot/crm/v3/owners"): ("/hubspot/crm/v3/owners", hs, 200),
        ("GET", "/hubspot/crm/v3/owners/{oid}"): ("/hubspot/crm/v3/owners/70000001", hs, 200),
        ("GET", "/hubspot/crm/v3/objects/contacts"): ("/hubspot/crm/v3/objects/contacts", hs, 200),
        ("POST", "/hubspot/crm/v3/objects/contacts"):
            ("/hubspot/crm/v3/objects/contacts", {**hs, "json": {"properties": {"lastname": "M"}}}, 201),
        ("POST", "/hubspot/crm/v3/objects/contacts/search"):
            ("/hubspot/crm/v3/objects/contacts/search", {**hs, "json": {}}, 200),
        ("GET", "/hubspot/crm/v3/objects/contacts/{cid}"): ("/hubspot/crm/v3/objects/contacts/1001", hs, 200),
        ("POST", "/hubspot/crm/v3/objects/calls"): ("/hubspot/crm/v3/objects/calls", {**hs, "json": {
            "properties": {"hs_timestamp": "2024-05-01T10:00:00Z"}}}, 201),
        ("GET", "/hubspot/crm/v3/objects/calls/{oid}"): (f"/hubspot/crm/v3/objects/calls/{hs_call}", hs, 200),
        ("POST", "/hubspot/crm/v3/objects/tickets"): ("/hubspot/crm/v3/objects/tickets", {**hs, "json": {
            "properties": {"subject": "t", "hs_pipeline_stage": "2"}, **hs_link}}, 201),
        ("GET", "/hubspot/crm/v3/objects/tickets/{tid}"): (f"/hubspot/crm/v3/objects/tickets/{hs_ticket}", hs, 200),
        ("PATCH", "/hubspot/crm/v3/objects/tickets/{tid}"): (f"/hubspot/crm/v3/objects/tickets/{hs_ticket}", {
            **hs, "json": {"properties": {"hs_pipeline_stage": "4"}}}, 200),
        ("GET", "/hubspot/contacts/{portal}/record/0-1/{cid}"):
            (HS["contact_page"].format(id="1001"), {}, 200),
        ("GET", "/zammad/"): ("/zammad/", {}, 200),
        ("GET", "/zammad/api/v1/users"): ("/zammad/api/v1/users", zm, 200),
        ("POST", "/zammad/api/v1/users"): ("/zammad/api/v1/users", {**zm, "json": {"lastname": "M"}}, 201),
        ("GET", "/zammad/api/v1/users/search"): ("/zammad/api/v1/users/search", {**zm, "params": {"query": "Ada"}}, 200),
        ("GET", "/zammad/api/v1/users/{uid}"): ("/zammad/api/v1/users/5001", zm, 200),
        ("POST", "/zammad/api/v1/tickets"): ("/zammad/api/v1/tickets", {**zm, "json": {
            "title": "t", "group_id": 1, "customer_id": "5002"}}, 201),
        ("GET", "/zammad/api/v1/tickets/{tid}"): (f"/zammad/api/v1/tickets/{zm_ticket}", zm, 200),
        ("PUT", "/zammad/api/v1/tickets/{tid}"):
            (f"/zammad/api/v1/tickets/{zm_ticket}", {**zm, "json": {"state": "closed"}}, 200),
        ("POST", "/zammad/api/v1/ticket_articles"): ("/zammad/api/v1/ticket_articles", {**zm, "json": {
            "ticket_id": zm_ticket, "body": "b", "type": "phone"}}, 201),
        ("GET", "/zammad/api/v1/ticket_articles/by_ticket/{tid}"):
            (f"/zammad/api/v1/ticket_articles/by_ticket/{zm_ticket}", zm, 200),
        ("POST", "/keydesk/api/auth/login"):
            ("/keydesk/api/auth/login", {"json": {"username": KD["username"], "password": KD["password"]}}, 200),
        ("GET", "/pbx/oauth/callback"): ("/pbx/oauth/callback", {"params": {"code": "c", "state": "s"}}, 200),
        ("GET", "/zendesk/agent/users/{uid:int}"): (f"/zendesk/agent/users/{zd_user}", {}, 200),
        ("GET", "/freshdesk/a/contacts/{cid:int}"): (f"/freshdesk/a/contacts/{fd_contact}", {}, 200),
        ("GET", "/zoho/support/contacts/{cid}"): (f"/zoho/support/contacts/{zo_contact}", {}, 200),
        ("GET", "/keydesk/contacts/{cid}"): (f"/keydesk/contacts/{kd_contact}", {}, 200),
        ("GET", "/freshdesk/api/v2/agents"): ("/freshdesk/api/v2/agents", fd, 200),
        ("GET", "/freshdesk/api/v2/agents/{aid:int}"): ("/freshdesk/api/v2/agents/43000000000", fd, 200),
        ("GET", "/freshdesk/api/v2/contacts"): ("/freshdesk/api/v2/contacts", fd, 200),
        ("POST", "/freshdesk/api/v2/contacts"):
            ("/freshdesk/api/v2/contacts", {**fd, "json": {"name": "M", "mobile": "1"}}, 201),
        ("GET", "/freshdesk/api/v2/contacts/{cid:int}"): (f"/freshdesk/api/v2/contacts/{fd_contact}", fd, 200),
        ("GET", "/freshdesk/api/v2/search/contacts"):
            ("/freshdesk/api/v2/search/contacts", {**fd, "params": {"query": "\"phone:'+1555'\""}}, 200),
        ("POST", "/freshdesk/api/v2/tickets"): ("/freshdesk/api/v2/tickets", {**fd, "json": {
            "subject": "s", "description": "d", "email": "a@example.com"}}, 201),
        ("GET", "/freshdesk/api/v2/tickets/{tid:int}"): (f"/freshdesk/api/v2/tickets/{fd_ticket}", fd, 200),
        ("PUT", "/freshdesk/api/v2/tickets/{tid:int}"):
            (f"/freshdesk/api/v2/tickets/{fd_ticket}", {**fd, "json": {"status": 3}}, 200),
        ("POST", "/freshdesk/api/v2/tickets/{tid:int}/notes"):
            (f"/freshdesk/api/v2/tickets/{fd_ticket}/notes", {**fd, "json": {"body": "n"}}, 201),
        ("GET", "/zoho/api/v1/agents"): ("/zoho/api/v1/agents", zo, 200),
        ("GET", "/zoho/api/v1/contacts/search"): ("/zoho/api/v1/contacts/search", {**zo, "params": {"_all": "N"}}, 200),
        ("POST", "/zoho/api/v1/contacts"): ("/zoho/api/v1/contacts", {**zo, "json": {"lastName": "M"}}, 200),
        ("GET", "/zoho/api/v1/contacts/{cid}"): (f"/zoho/api/v1/contacts/{zo_contact}", zo, 200),
        ("GET", "/zoho/api/v1/accounts/search"):
            ("/zoho/api/v1/accounts/search", {**zo, "params": {"_all": "Acme"}}, 200),
        ("GET", "/zoho/api/v1/accounts/{aid}"): ("/zoho/api/v1/accounts/1892000000300000", zo, 200),
        ("POST", "/zoho/api/v1/tickets"): ("/zoho/api/v1/tickets", {**zo, "json": {"subject": "t", **zo_refs}}, 200),
        ("GET", "/zoho/api/v1/tickets/{tid}"): (f"/zoho/api/v1/tickets/{zo_ticket}", zo, 200),
        ("PATCH", "/zoho/api/v1/tickets/{tid}"):
            (f"/zoho/api/v1/tickets/{zo_ticket}", {**zo, "json": {"status": "Closed"}}, 200),
        ("POST", "/zoho/api/v1/calls"): ("/zoho/api/v1/calls", {**zo, "json": {
            "subject": "c", "direction": "inbound", "startTime": "t", "duration": 1, **zo_refs}}, 200),
        ("GET", "/zoho/api/v1/activities"): ("/zoho/api/v1/activities", zo, 200),
        ("GET", "/keydesk/api/users"): ("/keydesk/api/users", {"params": {"api_key": KD["api_key"]}}, 200),
        ("GET", "/keydesk/api/contacts"): ("/keydesk/api/contacts", kd, 200),
        ("POST", "/keydesk/api/contacts"): ("/keydesk/api/contacts", {**kd, "json": {"name": "M", "phone": "2"}}, 201),
        ("GET", "/keydesk/api/contacts/{cid}"): (f"/keydesk/api/contacts/{kd_contact}", kd, 200),
        ("POST", "/keydesk/api/calls"): ("/keydesk/api/calls", {**kd, "json": {
            "phone": "1", "direction": "inbound", "started_at": "t"}}, 201),
    }
    zendesk_api = {
        ("GET", "users"): ("users", {}, 200),
        ("POST", "users"): ("users", {"json": {"user": {"name": "M"}}}, 201),
        ("GET", "users/search"): ("users/search", {"params": {"query": "Lovelace"}}, 200),
        ("GET", "users/{uid:int}"): (f"users/{zd_user}", {}, 200),
        ("GET", "users/{uid:int}/identities"): (f"users/{zd_user}/identities", {}, 200),
        ("POST", "tickets"): ("tickets", {"json": {"ticket": {"comment": {"body": "b"}}}}, 201),
        ("GET", "tickets/{tid:int}"): (f"tickets/{zd_ticket}", {}, 200),
        ("PUT", "tickets/{tid:int}"): (f"tickets/{zd_ticket}", {"json": {"ticket": {"status": "open"}}}, 200),
        ("PATCH", "tickets/{tid:int}"): (f"tickets/{zd_ticket}", {"json": {"ticket": {"status": "open"}}}, 200),
        ("GET", "tickets/{tid:int}/comments"): (f"tickets/{zd_ticket}/comments", {}, 200),
    }
    for (method, template), (path, kwargs, status) in zendesk_api.items():
        for suffix in (".json", ""):
            calls[(method, f"/zendesk/api/v2/{template}{suffix}")] = (
                f"/zendesk/api/v2/{path}{suffix}", {**zd, **kwargs}, status)
    calls[("POST", "/_sandbox/reset")] = ("/_sandbox/reset", {}, 200)  # last: it forgets the rest

    assert set(calls) == _app_routes()
    for (method, _), (path, kwargs, status) in calls.items():
        response = client.request(method, path, **kwargs)
        assert response.status_code == status, (method, path, response.text)


SUPERSCRIPT_TWO = "\u00b2"  # str.isdigit() says yes, int() says no


@pytest.mark.parametrize("method, path, kwargs, status, shape", [
    pytest.param("GET", "/zendesk/api/v2/users.json", {"params": {"page": SUPERSCRIPT_TWO}}, 422, "error",
                 id="zd-page"),
    pytest.param("GET", "/zendesk/api/v2/users.json", {"params": {"page[size]": SUPERSCRIPT_TWO}}, 400,
                 "error", id="zd-cursor-size"),
    pytest.param("POST", "/zendesk/api/v2/tickets.json", {"json": {"ticket": {
        "comment": {"body": "b"}, "requester_id": SUPERSCRIPT_TWO}}}, 422, "error", id="zd-requester"),
    pytest.param("POST", "/zendesk/api/v2/tickets.json", {"json": {"ticket": {
        "comment": {"body": "b"}, "tags": 5}}}, 422, "error", id="zd-tags-not-a-list"),
    pytest.param("GET", "/freshdesk/api/v2/agents", {"params": {"per_page": SUPERSCRIPT_TWO}}, 400,
                 "description", id="fd-per-page"),
    pytest.param("POST", "/freshdesk/api/v2/tickets", {"json": {
        "subject": "s", "description": "d", "requester_id": SUPERSCRIPT_TWO}}, 400, "description",
                 id="fd-requester"),
    pytest.param("GET", "/zoho/api/v1/agents", {"params": {"from": SUPERSCRIPT_TWO}}, 422, "errorCode",
                 id="zo-from"),
    pytest.param("GET", f"/zoho/api/v1/contacts/{SUPERSCRIPT_TWO}", {}, 404, "errorCode", id="zo-contact"),
    pytest.param("GET", "/keydesk/api/users", {"params": {"page_size": SUPERSCRIPT_TWO}}, 422, "error",
                 id="kd-page-size"),
])
def test_hostile_numbers_get_the_vendor_error_not_a_500(
        client: httpx.Client, zoho: dict[str, str], method: str, path: str, kwargs: dict,
        status: int, shape: str) -> None:
    vendor = path.split("/")[1]
    auth = {"zendesk": {"headers": ZD_AUTH}, "freshdesk": {"auth": FD_AUTH}, "zoho": {"headers": zoho},
            "keydesk": {"headers": KD_AUTH}}[vendor]
    response = client.request(method, path, **auth, **kwargs)
    assert response.status_code == status, response.text
    assert shape in response.json()


def test_unicode_digits_do_not_count_as_phone_digits(client: httpx.Client) -> None:
    arabic_indic = "\u0664\u0661\u0665\u0665\u0665\u0665\u0660\u0661\u0662\u0663"  # 4155550123
    assert _keydesk(client, {}, arabic_indic) == set()


@pytest.mark.parametrize("path, body, field, detail", [
    pytest.param("/zendesk/api/v2/users.json", {"user": {"name": ["Ada"]}}, "name", "InvalidValue",
                 id="zendesk-user-name"),
    pytest.param("/zendesk/api/v2/tickets.json", {"ticket": {"subject": 7, "comment": {"body": "b"}}},
                 "subject", "InvalidValue", id="zendesk-ticket-subject"),
    pytest.param("/freshdesk/api/v2/contacts", {"name": "N", "phone": 4155550123}, "phone",
                 "datatype_mismatch", id="freshdesk-contact-phone"),
    pytest.param("/freshdesk/api/v2/tickets", {"subject": {"s": 1}, "description": "d", "email": "a@b.c"},
                 "subject", "datatype_mismatch", id="freshdesk-ticket-subject"),
    pytest.param("/zoho/api/v1/contacts", {"lastName": "N", "phone": 4155550123}, "/phone", "invalid",
                 id="zoho-contact-phone"),
    pytest.param("/zoho/api/v1/calls", {"subject": "s", "direction": ["inbound"]}, "/direction", "invalid",
                 id="zoho-call-direction"),
    pytest.param("/keydesk/api/contacts", {"name": "N", "phone": 4155550123}, "phone", "must be a string",
                 id="keydesk-contact-phone"),
    pytest.param("/keydesk/api/calls", {"phone": "1", "direction": {"in": True}, "started_at": "t"},
                 "direction", "must be a string", id="keydesk-call-direction"),
])
def test_a_field_of_the_wrong_type_is_a_validation_error_naming_it(
        fresh_sandbox: Sandbox, client: httpx.Client, zoho: dict[str, str], path: str, body: dict,
        field: str, detail: str) -> None:
    vendor = path.split("/")[1]
    auth = {"zendesk": {"headers": ZD_AUTH}, "freshdesk": {"auth": FD_AUTH}, "zoho": {"headers": zoho},
            "keydesk": {"headers": KD_AUTH}}[vendor]
    response = client.post(path, json=body, **auth)
    assert response.status_code == (400 if vendor == "freshdesk" else 422)
    answer = response.json()
    named = {"zendesk": lambda: answer["details"][field][0]["error"],
             "freshdesk": lambda: next(e["code"] for e in answer["errors"] if e["field"] == field),
             "zoho": lambda: next(e["errorType"] for e in answer["errors"] if e["fieldName"] == field),
             "keydesk": lambda: answer["error"]["fields"][field]}[vendor]()
    assert named == detail
    assert fresh_sandbox.state == {}  # nothing was stored


HOSTILE_BODIES = [
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-100k"),
    pytest.param(b'{"duration": NaN, "properties": {"phone": NaN}, "body": NaN}', id="nan"),
    pytest.param(b'{"properties": {"hs_call_duration": Infinity}, "ticket_id": -Infinity}', id="infinity"),
    pytest.param(b'\xff\xfe{"a": 1}', id="not-utf8"),
    pytest.param(b'{"a": ' + b"9" * 5000 + b"}", id="5000-digit-number"),
    pytest.param(b'{"title": {"$gt": ""}, "properties": {"subject": {"$gt": ""}}, "username": ["a"]}', id="objects"),
]
NEW_WRITES = [
    ("POST", "/hubspot/crm/v3/objects/contacts/search"), ("POST", "/hubspot/crm/v3/objects/contacts"),
    ("POST", "/hubspot/crm/v3/objects/calls"), ("POST", "/hubspot/crm/v3/objects/tickets"),
    ("PATCH", "/hubspot/crm/v3/objects/tickets/1"), ("POST", "/hubspot/oauth/v1/token"),
    ("POST", "/zammad/api/v1/users"), ("POST", "/zammad/api/v1/tickets"), ("PUT", "/zammad/api/v1/tickets/1"),
    ("POST", "/zammad/api/v1/ticket_articles"), ("POST", "/keydesk/api/auth/login"),
    ("POST", "/keydesk/api/calls"), ("POST", "/keydesk/api/contacts"),
]


@pytest.mark.parametrize("raw", HOSTILE_BODIES)
def test_hostile_bodies_get_the_vendor_4xx_on_every_new_write(fresh_sandbox: Sandbox, client: httpx.Client,
                                                              raw: bytes) -> None:
    auth = {"hubspot": HS_AUTH, "zammad": ZM_AUTH, "keydesk": KD_AUTH}
    for method, path in NEW_WRITES:
        headers = {"Content-Type": "application/json", **auth[path.split("/")[1]]}
        response = client.request(method, path, content=raw, headers=headers)
        assert 400 <= response.status_code < 500, (method, path, response.status_code, response.text[:200])
        assert response.json(), (method, path)  # the vendor's error body, not an empty 4xx
    assert [e["error"] for e in fresh_sandbox.requests] == [None] * len(NEW_WRITES)
    assert fresh_sandbox.state == {}
