"""The HubSpot-like CRM over real HTTP: the POST search with a JSON filter body, owners paged by
next link, a static private-app token beside OAuth2 (state required), and writes with
associations, each refusal in HubSpot's shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from support.sandbox_api import HS, HS_AUTH, authorize, login, token

from hdkit.sandbox import AGENT_COUNT, Sandbox

SEARCH = "/hubspot/crm/v3/objects/contacts/search"
OWNERS = "/hubspot/crm/v3/owners"
ADA, ADA_MOBILE = "+14155550123", "+14155550199"
MAX_PAGES = 100
CALL_LINK = [{"to": {"id": "1001"}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 194}]}]


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5, headers=HS_AUTH) as c:
        yield c


def _eq(name: str, value: str) -> dict[str, Any]:
    return {"propertyName": name, "operator": "EQ", "value": value}


def _search(client: httpx.Client, body: object) -> httpx.Response:
    return client.post(SEARCH, json=body)


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["results"]]


# -- the search ---------------------------------------------------------------------------------

def test_search_by_phone_finds_the_contact_with_its_url(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    found = _search(client, {"filterGroups": [{"filters": [_eq("phone", ADA)]}],
                             "properties": ["firstname", "phone"]})
    body = found.json()
    assert body["total"] == 1 and _ids(found) == ["1001"]
    ada = body["results"][0]
    assert ada["properties"] == {"firstname": "Ada", "phone": ADA, "hs_object_id": "1001",
                                 "createdate": "2024-01-15T09:30:00.000Z",
                                 "lastmodifieddate": "2024-01-15T09:30:00.000Z"}
    assert ada["url"] == f"{fresh_sandbox.url}/hubspot/contacts/{HS['portal_id']}/record/0-1/1001"
    assert httpx.get(ada["url"]).status_code == 200  # the pop-up target resolves
    assert fresh_sandbox.requests[0]["body"] == found.request.content.decode()  # logged as sent


def test_filter_groups_are_ored_and_filters_anded(client: httpx.Client) -> None:
    either = {"filterGroups": [{"filters": [_eq("phone", ADA_MOBILE)]}, {"filters": [_eq("mobilephone", ADA_MOBILE)]}]}
    assert _ids(_search(client, either)) == ["1001"]
    both = {"filterGroups": [{"filters": [_eq("phone", ADA), _eq("lastname", "Turing")]}]}
    assert _ids(_search(client, both)) == []
    only_phone = {"filterGroups": [{"filters": [_eq("phone", ADA_MOBILE)]}]}
    assert _ids(_search(client, only_phone)) == []  # the mobile is not the phone


@pytest.mark.parametrize("flt, ids", [
    pytest.param(_eq("PHONE", ADA), [], id="property-names-are-exact"),
    pytest.param(_eq("email", "ADA.Lovelace@example.com"), ["1001"], id="eq-ignores-case"),
    pytest.param({"propertyName": "phone", "operator": "EQ", "value": "(415) 555-0124"}, ["1002"],
                 id="eq-compares-the-stored-string"),
    pytest.param({"propertyName": "phone", "operator": "IN", "values": [ADA, "415-555-0126"]}, ["1001", "1004"],
                 id="in"),
    pytest.param({"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "*@example.com"}, None,
                 id="contains-token-wildcard"),
    pytest.param({"propertyName": "phone", "operator": "CONTAINS_TOKEN", "value": "0124"}, ["1002"],
                 id="contains-token-word"),
    pytest.param({"propertyName": "mobilephone", "operator": "HAS_PROPERTY"}, ["1001", "1003", "1007"],
                 id="has-property"),
])
def test_filter_operators(client: httpx.Client, flt: dict[str, Any], ids: list[str] | None) -> None:
    found = _search(client, {"filterGroups": [{"filters": [flt]}], "limit": 200})
    if ids is None:  # the ten phone-book contacts all have an @example.com address
        assert set(_ids(found)) >= {str(1001 + i) for i in range(10)}
    else:
        assert _ids(found) == ids


def test_an_empty_object_lists_the_first_page_of_everything(client: httpx.Client) -> None:
    """What a search with its filter dropped gets: every contact, not the caller."""
    first = _search(client, {})
    body = first.json()
    assert body["total"] == 200 and len(body["results"]) == 10
    assert body["paging"] == {"next": {"after": "10"}}
    assert set(body["results"][0]["properties"]) == {"createdate", "email", "firstname", "hs_object_id",
                                                      "lastmodifieddate", "lastname"}  # HubSpot's defaults
    second = _search(client, {"after": body["paging"]["next"]["after"], "limit": 10})
    assert _ids(second)[0] == "1011"


def test_search_pages_to_the_end(client: httpx.Client) -> None:
    seen, after = [], "0"
    for _ in range(MAX_PAGES):
        body = _search(client, {"limit": 200, "after": after}).json()
        seen += [r["id"] for r in body["results"]]
        if "paging" not in body:
            break
        after = body["paging"]["next"]["after"]
    assert len(set(seen)) == 200


def test_query_searches_names_emails_and_numbers(client: httpx.Client) -> None:
    assert _ids(_search(client, {"query": "ada.lovelace@"})) == ["1001"]
    assert _ids(_search(client, {"query": "555-0126"})) == ["1004"]


@pytest.mark.parametrize("raw, message", [
    pytest.param(b"", "Invalid input JSON on line 1, column 1: No content to map due to end-of-input", id="empty"),
    pytest.param(b'{"filterGroups": [', "Invalid input JSON on line 1, column 19", id="cut"),
    pytest.param(b"[]", "the search body must be a JSON object", id="array"),
    pytest.param(b'{"filterGroups": {}}', "filterGroups: must be a list", id="groups-object"),
    pytest.param(b'{"filterGroups": [{"filters": []}]}', "filterGroups[0].filters: must be a non-empty list",
                 id="no-filters"),
    pytest.param(b'{"filterGroups": [{"filters": [{"propertyName": "phone", "operator": "LIKE", "value": "1"}]}]}',
                 "filterGroups[0].filters[0].operator: 'LIKE' is not a valid operator", id="bad-operator"),
    pytest.param(b'{"filterGroups": [{"filters": [{"propertyName": "phone", "operator": "EQ"}]}]}',
                 "filterGroups[0].filters[0].value: EQ needs a string or number value", id="no-value"),
    pytest.param(b'{"filterGroups": [{"filters": [{"operator": "EQ", "value": "1"}]}]}',
                 "filterGroups[0].filters[0].propertyName: must be a property name", id="no-property"),
    pytest.param(b'{"filterGroups": [{"filters": [{"propertyName": "phone", "operator": "IN", "values": "x"}]}]}',
                 "filterGroups[0].filters[0].values: IN needs a non-empty list", id="in-not-a-list"),
    pytest.param(b'{"filterGroups": [{"filters": [{"propertyName": "n", "operator": "GT", "value": 1}]}]}',
                 "GT is a HubSpot operator the sandbox does not implement", id="unsupported"),
    pytest.param(b'{"limit": 201}', "limit: must be from 1 to 200, got 201", id="limit"),
    pytest.param(b'{"limit": "ten"}', "limit: must be a whole number >= 0, got 'ten'", id="limit-text"),
    pytest.param(b'{"after": -1}', "after: must be a whole number >= 0, got -1", id="after"),
    pytest.param(b'{"after": "' + b"9" * 5000 + b'"}', "after: must be a whole number", id="after-huge"),
    pytest.param(b'{"properties": "phone"}', "properties: must be a list of property names", id="properties"),
    pytest.param(b'{"query": 5}', "query: must be a string", id="query"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested too deeply", id="deep"),
    pytest.param(b'{"a": "\xff"}', "not UTF-8", id="not-utf8"),
    pytest.param(b'{"filterGroups": [' + b'{"filters": [{"propertyName": "a", "operator": "HAS_PROPERTY"}]},' * 5
                 + b'{"filters": [{"propertyName": "a", "operator": "HAS_PROPERTY"}]}]}',
                 "filterGroups: at most 5 filter groups, got 6", id="too-many-groups"),
])
def test_a_bad_search_body_is_a_400_naming_the_problem(fresh_sandbox: Sandbox, client: httpx.Client,
                                                       raw: bytes, message: str) -> None:
    response = client.post(SEARCH, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == "error" and body["category"] == "VALIDATION_ERROR"
    assert message in body["message"] and body["correlationId"]
    assert fresh_sandbox.requests[-1]["error"] is None


# -- owners --------------------------------------------------------------------------------------

def test_owners_page_by_next_link_to_the_end(client: httpx.Client) -> None:
    url: str | None = f"{OWNERS}?limit=500&archived=false"
    owners, pages = [], 0
    while url and pages < MAX_PAGES:
        body = client.get(url).json()
        owners += body["results"]
        url = body.get("paging", {}).get("next", {}).get("link")
        pages += 1
    assert pages == AGENT_COUNT // 500 and len({o["id"] for o in owners}) == AGENT_COUNT
    assert owners[0]["id"] == "70000001" and owners[0]["email"].endswith("@agents.example.com")
    assert "archived=false" in client.get(f"{OWNERS}?limit=1&archived=false").json()["paging"]["next"]["link"]


def test_owner_filters(client: httpx.Client) -> None:
    first = client.get(OWNERS, params={"limit": 1}).json()["results"][0]
    assert client.get(OWNERS, params={"email": first["email"].upper()}).json()["results"] == [first]
    assert client.get(OWNERS, params={"archived": "true"}).json() == {"results": []}
    assert client.get(f"{OWNERS}/{first['id']}").json() == first
    assert client.get(f"{OWNERS}/1").status_code == 404


def test_looping_next_links_on_request(client: httpx.Client) -> None:
    body = client.get(OWNERS, params={"limit": 5, "after": 10, "_fault": "loop_pagination"}).json()
    assert body["paging"]["next"]["after"] == "0" and "_fault" not in body["paging"]["next"]["link"]


@pytest.mark.parametrize("params, message", [
    pytest.param({"limit": 501}, "limit: must be a whole number from 1 to 500", id="limit"),
    pytest.param({"limit": "\u00b2"}, "limit: must be a whole number", id="unicode-digit"),
    pytest.param({"after": "abc"}, "after: must be a paging cursor", id="after"),
    pytest.param({"archived": "maybe"}, "archived: 'maybe' is not a boolean", id="archived"),
])
def test_bad_owner_parameters(client: httpx.Client, params: dict[str, Any], message: str) -> None:
    response = client.get(OWNERS, params=params)
    assert response.status_code == 400 and message in response.json()["message"]


# -- auth ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers, status, category", [
    pytest.param({}, 401, "INVALID_AUTHENTICATION", id="none"),
    pytest.param({"Authorization": "Bearer pat-na1-wrong"}, 401, "INVALID_AUTHENTICATION", id="wrong"),
    pytest.param({"Authorization": f"Basic {HS['private_app_token']}"}, 401, "INVALID_AUTHENTICATION", id="not-bearer"),
])
def test_requests_without_a_valid_token(fresh_sandbox: Sandbox, headers: dict[str, str], status: int,
                                        category: str) -> None:
    response = httpx.post(fresh_sandbox.url + SEARCH, json={}, headers=headers)
    assert response.status_code == status and response.json()["category"] == category


def test_the_readonly_private_app_reads_but_cannot_write(fresh_sandbox: Sandbox) -> None:
    headers = {"Authorization": f"Bearer {HS['readonly_private_app_token']}"}
    assert httpx.post(fresh_sandbox.url + SEARCH, json={}, headers=headers).status_code == 200
    refused = httpx.post(fresh_sandbox.url + "/hubspot/crm/v3/objects/contacts",
                         json={"properties": {"lastname": "X"}}, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["context"] == {"requiredGranularScopes": ["crm.objects.contacts.write"]}
    assert fresh_sandbox.state == {}


def test_oauth2_code_flow_refresh_keeps_the_refresh_token(fresh_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        pair = login(c, HS)
        assert pair["token_type"] == "bearer" and pair["scope"] == HS["scope"]
        bearer = {"Authorization": f"Bearer {pair['access_token']}"}
        assert c.get(OWNERS, headers=bearer).status_code == 200
        fresh_sandbox.expire_tokens()
        expired = c.get(OWNERS, headers=bearer)
        assert expired.status_code == 401 and expired.json()["category"] == "EXPIRED_AUTHENTICATION"
        again = token(c, HS, grant_type="refresh_token", refresh_token=pair["refresh_token"])
        assert again.json()["refresh_token"] == pair["refresh_token"]  # kept, returned again
        renewed = {"Authorization": f"Bearer {again.json()['access_token']}"}
        assert c.get(OWNERS, headers=renewed).status_code == 200


def test_oauth2_scopes_limit_what_a_token_may_do(fresh_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        bearer = {"Authorization": f"Bearer {login(c, HS, scope=HS['readonly_scope'])['access_token']}"}
        assert c.post(SEARCH, json={}, headers=bearer).status_code == 200
        refused = c.post("/hubspot/crm/v3/objects/tickets", headers=bearer,
                         json={"properties": {"subject": "s", "hs_pipeline_stage": "1"}})
        assert refused.status_code == 403 and refused.json()["category"] == "MISSING_SCOPES"


def test_authorize_requires_state_and_echoes_it(fresh_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        params = {"client_id": HS["client_id"], "redirect_uri": HS["redirect_uri"], "approve": "1"}
        refused = c.get(HS["authorize"], params=params)
        assert refused.status_code == 400 and "state is required" in refused.text
        redirected = authorize(c, HS, state="pbx-state-1")  # no response_type needed by HubSpot
        assert redirected["state"] == "pbx-state-1" and redirected["code"].startswith("hs_code_")


@pytest.mark.parametrize("data, status", [
    pytest.param({"grant_type": "authorization_code", "code": "nope"}, "BAD_AUTH_CODE", id="code"),
    pytest.param({"grant_type": "refresh_token", "refresh_token": "nope"}, "BAD_REFRESH_TOKEN", id="refresh"),
    pytest.param({"grant_type": "password"}, "BAD_GRANT_TYPE", id="grant"),
    pytest.param({"grant_type": "refresh_token", "client_secret": "wrong"}, "BAD_CLIENT_ID", id="client"),
])
def test_token_endpoint_refusals(fresh_sandbox: Sandbox, data: dict[str, str], status: str) -> None:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        response = token(c, HS, **data)
    assert response.status_code == 400 and response.json()["status"] == status


def test_token_endpoint_takes_form_bodies_only(fresh_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5) as c:
        code = authorize(c, HS, state="s")["code"]
        refused = token(c, HS, as_json=True, grant_type="authorization_code", code=code,
                        redirect_uri=HS["redirect_uri"])
    assert refused.status_code == 400 and "form-encoded" in refused.json()["message"]


# -- writes --------------------------------------------------------------------------------------

def test_create_contact_then_find_it(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    created = client.post("/hubspot/crm/v3/objects/contacts", json={"properties": {
        "firstname": "Jane", "lastname": "Doe", "phone": "+15550100999", "lifecyclestage": "lead"}})
    assert created.status_code == 201
    cid = created.json()["id"]
    assert created.json()["properties"]["phone"] == "+15550100999"
    assert _ids(_search(client, {"filterGroups": [{"filters": [_eq("phone", "+15550100999")]}]})) == [cid]
    assert client.get(f"/hubspot/crm/v3/objects/contacts/{cid}").json()["properties"]["lastname"] == "Doe"
    stored = fresh_sandbox.state["hubspot"]["contacts"]
    assert [c["properties"]["lifecyclestage"] for c in stored] == ["lead"]
    duplicate = client.post("/hubspot/crm/v3/objects/contacts",
                            json={"properties": {"email": "ADA.lovelace@example.com"}})
    assert duplicate.status_code == 409 and duplicate.json()["message"] == "Contact already exists. Existing ID: 1001"


def test_log_a_call_associated_with_the_contact(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    logged = client.post("/hubspot/crm/v3/objects/calls", json={"properties": {
        "hs_timestamp": "1714557600000", "hs_call_direction": "INBOUND", "hs_call_status": "COMPLETED",
        "hs_call_duration": "61000", "hs_call_title": 'A "quoted" title'}, "associations": CALL_LINK})
    assert logged.status_code == 201, logged.text
    call = fresh_sandbox.state["hubspot"]["calls"][0]
    assert call["associations"][0]["to"] == {"id": "1001"}
    assert call["properties"]["hs_call_title"] == 'A "quoted" title'
    assert client.get(f"/hubspot/crm/v3/objects/calls/{call['id']}").json() == call


def test_create_a_ticket_then_move_it(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    link = [{**CALL_LINK[0], "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 16}]}]
    created = client.post("/hubspot/crm/v3/objects/tickets", json={"properties": {
        "subject": "Call", "content": "c", "hs_pipeline_stage": "1", "hs_ticket_priority": "MEDIUM"},
        "associations": link}).json()
    assert created["properties"]["hs_pipeline"] == "0"  # the default pipeline
    moved = client.patch(f"/hubspot/crm/v3/objects/tickets/{created['id']}",
                         json={"properties": {"hs_pipeline_stage": "4"}})
    assert moved.status_code == 200 and moved.json()["properties"]["hs_pipeline_stage"] == "4"
    assert fresh_sandbox.state["hubspot"]["tickets"][0]["properties"]["subject"] == "Call"
    assert client.patch("/hubspot/crm/v3/objects/tickets/999", json={"properties": {}}).status_code == 404


@pytest.mark.parametrize("path, body, message", [
    pytest.param("contacts", {"properties": {"nickname": "x"}}, "Property 'nickname' does not exist",
                 id="unknown-property"),
    pytest.param("contacts", {"properties": ["phone"]}, "properties: must be an object", id="properties-list"),
    pytest.param("contacts", {"properties": {"phone": {"a": 1}}}, "properties.phone: must be a string",
                 id="nested-value"),
    pytest.param("calls", {"properties": {}}, "properties.hs_timestamp: is required", id="no-timestamp"),
    pytest.param("calls", {"properties": {"hs_timestamp": "yesterday"}}, "neither epoch milliseconds",
                 id="bad-timestamp"),
    pytest.param("calls", {"properties": {"hs_timestamp": "1", "hs_call_direction": "SIDEWAYS"}},
                 "'SIDEWAYS' is not one of INBOUND, OUTBOUND", id="direction"),
    pytest.param("calls", {"properties": {"hs_timestamp": "1", "hs_call_duration": "1m"}},
                 "not a number of milliseconds", id="duration"),
    pytest.param("calls", {"properties": {"hs_timestamp": "1"}, "associations": [{"to": {"id": "42"}, "types": []}]},
                 "associations[0].to.id: no contact has the id '42'", id="no-such-contact"),
    pytest.param("calls", {"properties": {"hs_timestamp": "1"}, "associations": [{"to": {"id": "1001"}}]},
                 "associations[0].types: must be a non-empty list", id="no-types"),
    pytest.param("calls", {"properties": {"hs_timestamp": "1"}, "associations": {"to": "1001"}},
                 "associations: must be a list", id="associations-object"),
    pytest.param("calls", {"properties": {"hs_timestamp": "1"}, "associations": [{"to": {"id": True}}]},
                 "associations[0].to.id: must be the id of a contact", id="id-bool"),
    pytest.param("tickets", {"properties": {"subject": "s"}}, "properties.hs_pipeline_stage: is required",
                 id="no-stage"),
    pytest.param("tickets", {"properties": {"subject": "s", "hs_pipeline_stage": "9"}},
                 "'9' is not one of 1, 2, 3, 4", id="bad-stage"),
])
def test_a_bad_write_is_a_400_naming_the_field(fresh_sandbox: Sandbox, client: httpx.Client, path: str,
                                               body: dict[str, Any], message: str) -> None:
    response = client.post(f"/hubspot/crm/v3/objects/{path}", json=body)
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]
    assert fresh_sandbox.state == {}


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"", b"[" * 50_000])
def test_a_write_that_is_not_a_json_object(client: httpx.Client, raw: bytes) -> None:
    response = client.post("/hubspot/crm/v3/objects/contacts", content=raw,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["category"] == "VALIDATION_ERROR"


def test_records_and_pages_that_do_not_exist(client: httpx.Client) -> None:
    assert client.get("/hubspot/crm/v3/objects/contacts/abc").json()["category"] == "OBJECT_NOT_FOUND"
    assert client.get("/hubspot/crm/v3/objects/contacts/" + "9" * 5000).status_code == 404
    assert httpx.get(str(client.base_url) + "/hubspot/contacts/1/record/0-1/1001").status_code == 404
    unknown = client.get("/hubspot/crm/v3/nothing")
    assert unknown.status_code == 404 and unknown.json()["category"] == "NOT_FOUND"


def test_rate_limit_in_hubspot_shape(client: httpx.Client) -> None:
    limited = client.post(SEARCH, json={}, headers={"X-Sandbox-Fault": "rate_limit"})
    assert limited.status_code == 429 and limited.json()["errorType"] == "RATE_LIMIT"
    assert limited.headers["Retry-After"] == "1"
