"""The hand-written template corpus and its MANIFEST, checked against the sandbox.

The corpus (tests/data/templates/corpus/) is read here with xml.etree only: importing it with
hdkit is the model's tests' job. These tests make sure the MANIFEST can be trusted by them: every
entry names a file that exists and is well-formed, every feature it claims is in the file, its
inputs open the sandbox vendor it names, and the contacts, users and pop-up pages it expects are
what that vendor really has for those phone numbers.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import support
from support.sandbox_api import HS, KD, ZD, ZO, login, zoho_headers

from hdkit.sandbox import AGENT_COUNT, DEMO, Sandbox

CORPUS = support.DATA / "templates" / "corpus"
MANIFEST = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
ENTRIES = MANIFEST["templates"]
SANDBOXED = [e for e in ENTRIES if e["sandbox"]]
FILES = sorted(CORPUS.glob("*.xml"))
RUNS = {"users", "search", "create_contact", "call"}
CALL_EVENTS = {"inbound-answered", "inbound-missed", "outbound-answered", "outbound-unanswered", "queue"}
STORED_KINDS = {"zendesk": {"users", "tickets", "comments"}, "freshdesk": {"contacts", "tickets", "notes"},
                "zoho": {"contacts", "tickets", "calls"}, "keydesk": {"contacts", "calls"},
                "hubspot": {"contacts", "calls", "tickets"}, "zammad": {"users", "tickets", "ticket_articles"}}


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["file"].removesuffix(".xml") for e in entries]


@cache
def _root(name: str) -> ET.Element:
    return ET.parse(CORPUS / name).getroot()


# -- the files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_file_is_well_formed_with_an_information_root(path: Any) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == "Information" and root.get("Provider") in ("helpdesk", "crm")
    ids = [s.get("Id") for s in root.iter("Scenario")]
    assert ids[0] == "AuthMethod" and root.find("Scenarios/Scenario[@Id='AuthMethod']").get("Type") == "AUTH"
    assert "SyncContactAuto" in ids and len(ids) == len(set(ids))
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\s\w+='", text), "attributes are double-quoted, quotes inside written &quot;"


def test_the_manifest_lists_every_file_once() -> None:
    listed = [e["file"] for e in ENTRIES]
    assert sorted(listed) == [p.name for p in FILES] and len(listed) == len(set(listed)) >= 10
    assert sum(e["sandbox"] for e in ENTRIES) > len(ENTRIES) / 2  # most of them run on the sandbox


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_each_entry_says_what_it_models_and_how_to_run_it(entry: dict[str, Any]) -> None:
    assert entry["vendor"] and entry["docs"] and all(u.startswith("https://") for u in entry["docs"])
    variables = entry["variables"]
    text = (CORPUS / entry["file"]).read_text(encoding="utf-8")
    assert all(f"{{{{.{name}}}}}" in text for name in variables), "every variable is used by the file"
    if not entry["sandbox"]:
        assert entry["sandbox_vendor"] is None and entry["inputs"] is None and entry["run"] == []
        return
    vendor = entry["sandbox_vendor"]
    assert vendor in DEMO
    assert set(entry["inputs"]) == _custom_fields(entry["file"]), "inputs fill every custom field"
    for name, value in entry["inputs"].items():
        if value.startswith("{sandbox}"):
            assert value == "{sandbox}" + DEMO[vendor]["base"], name
    assert set(entry["run"]) <= RUNS and set(entry["run"]) <= set(entry["expect"]) | {"users"}
    expect = entry["expect"]
    if "call" in expect:
        assert expect["call"]["event"] in CALL_EVENTS
    for run in ("create_contact", "call"):
        if run in expect:
            assert set(expect[run]["stored"]) <= STORED_KINDS[vendor]


def _custom_fields(name: str) -> set[str]:
    return {p.get("Name") for p in _root(name).iter("Parameter") if p.get("Father") == "CustomFieldList"}


# -- what each file claims to cover ---------------------------------------------------------------

def _scenario(root: ET.Element, sid: str) -> ET.Element | None:
    return root.find(f"Scenarios/Scenario[@Id='{sid}']")


def _requests(root: ET.Element, sid: str) -> list[ET.Element]:
    found = _scenario(root, sid)
    return [] if found is None else found.findall("Requests/Request")


def _setting(root: ET.Element, sid: str, name: str, father: str | None = None) -> str | None:
    found = _scenario(root, sid)
    for p in [] if found is None else found.findall("Parameters/Parameter"):
        if p.get("Name") == name and p.get("Father") == father:
            return p.get("Value", "")
    return None


def _pagination(mode: str) -> Callable[[ET.Element], bool]:
    return lambda r: _setting(r, "UserAssociation", "Mode", "Pagination") == mode


def _popup(kind: str) -> Callable[[ET.Element], bool]:
    return lambda r: _setting(r, "SyncContactAuto", "ContactUrlType") == kind


def _refresh(father: str | None, name: str) -> Callable[[ET.Element], bool]:
    return lambda r: _setting(r, "AuthMethod", name, father) is not None


def _body(request: ET.Element) -> str:
    return next((p.get("Value", "") for p in request.iterfind("Parameters/Parameter") if p.get("Type") == "Body"), "")


def _next_into_common(r: ET.Element) -> bool:
    common = {q.get("Name") for q in _requests(r, "Common")}
    return any(o.get("Next") in common for o in r.iter("Outputs"))


def _login_follow_up(r: ET.Element) -> bool:
    return any(q.find("Parameters/Parameter[@Name='TriggerEvent']") is not None
               and any(o.get("Path", "").startswith("$.") for o in q.iter("Output"))
               for q in _requests(r, "Common"))


def _all_requests(r: ET.Element) -> Iterator[ET.Element]:
    return r.iter("Request")


FEATURES: dict[str, Callable[[ET.Element], bool]] = {
    "post_json_search": lambda r: any(q.get("Method") == "POST" and "{{.Phone}}" in _body(q)
                                      for q in _requests(r, "SyncContactAuto")),
    "static_bearer_token": lambda r: r.get("AuthType") == "bearer_token"
    and not _setting(r, "AuthMethod", "TokenEndPoint")
    and any(p.get("Editor") == "password" for p in r.iter("Parameter") if p.get("Father") == "CustomFieldList"),
    "basic_api_key": lambda r: r.get("AuthType") == "basic" and _setting(r, "AuthMethod", "CredentialType") == "api_key",
    "oauth2": lambda r: r.get("AuthType") == "oauth2",
    "oauth2_state": lambda r: r.get("AuthType") == "oauth2",  # the sandbox vendor checks state
    "refresh_authoption_refreshtokentime": _refresh("AuthOption", "RefreshTokenTime"),
    "refresh_authoption_refreshtokeninterval": _refresh("AuthOption", "RefreshTokenInterval"),
    "refresh_plain_refreshtokentime": _refresh(None, "RefreshTokenTime"),
    "refresh_plain_refreshtokeninterval": _refresh(None, "RefreshTokenInterval"),
    "pagination_disabled": _pagination("disabled"),
    "pagination_page": _pagination("page"),
    "pagination_offset": _pagination("offset"),
    "pagination_next_link": _pagination("next_link"),
    "pagination_next_link_cursor": lambda r: _pagination("next_link")(r)
    and any("page[size]" in q.get("URLFormat", "") for q in _requests(r, "UserAssociation")),
    "popup_specify_url_format": _popup("specify_url_format"),
    "popup_retrieve_from_contact": _popup("retrieve_from_contact"),
    "popup_contact_field": _popup("contact_field"),
    "follow_up_next_common": _next_into_common,
    "follow_up_login_token": _login_follow_up,
    "follow_up_outputs": lambda r: any(q.find("Outputs/Output") is not None for q in _requests(r, "Common")),
    "several_ticket_requests": lambda r: len(_requests(r, "CreateNewTicket")) >= 2,
    "several_contact_types": lambda r: len(_requests(r, "SyncContactAuto")) >= 2,
    "keyword_search": lambda r: bool(_requests(r, "SearchContact")),
    "custom_scenario_parameter": lambda r: any(p.get("Father") == "CustomScenarioParameter" for p in r.iter("Parameter")),
    "custom_fields_without_key": lambda r: any(p.get("Father") == "CustomFieldList" and p.get("Key") is None
                                               for p in r.iter("Parameter")),
    "no_top_level_parameters": lambda r: r.find("Parameters") is None,
    "no_responses": lambda r: _scenario(r, "AuthMethod").find("Responses") is None,
    "header_description": lambda r: any(p.get("Father") == "PopulateTemplateString" and p.get("Description")
                                        for p in r.iter("Parameter")),
    "request_header_parameter": lambda r: any(p.get("Type") == "Header" for q in _all_requests(r)
                                              for p in q.iterfind("Parameters/Parameter")),
    "request_weight": lambda r: any(q.get("Weight") is not None for q in _all_requests(r)),
    "request_encoding": lambda r: any(q.get("RequestEncoding") is not None for q in _all_requests(r)),
    "output_type_string": lambda r: any(o.get("Type") == "string" for o in r.iter("Output")),
}
#: What the corpus must cover between its files (issue 8 item 8 and the corpus brief).
REQUIRED = {"post_json_search", "static_bearer_token", "refresh_authoption_refreshtokentime",
            "refresh_plain_refreshtokeninterval", "refresh_authoption_refreshtokeninterval",
            "refresh_plain_refreshtokentime", "request_header_parameter", "request_weight", "request_encoding",
            "output_type_string", "custom_scenario_parameter", "follow_up_next_common", "follow_up_outputs",
            "follow_up_login_token", "several_ticket_requests", "popup_specify_url_format",
            "popup_retrieve_from_contact", "popup_contact_field", "pagination_disabled", "pagination_page",
            "pagination_offset", "pagination_next_link", "custom_fields_without_key", "no_top_level_parameters",
            "no_responses"}


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_every_claimed_feature_is_in_the_file(entry: dict[str, Any]) -> None:
    root = _root(entry["file"])
    unknown = set(entry["covers"]) - set(FEATURES)
    assert not unknown
    assert [c for c in entry["covers"] if not FEATURES[c](root)] == []


def test_the_corpus_covers_what_real_templates_need() -> None:
    covered = {c for e in ENTRIES for c in e["covers"]}
    assert REQUIRED - covered == set()
    sandboxed = {c for e in SANDBOXED for c in e["covers"]}
    assert {"post_json_search", "static_bearer_token", "popup_retrieve_from_contact", "popup_contact_field",
            "follow_up_login_token", "several_ticket_requests"} <= sandboxed  # these also run


# -- against the sandbox --------------------------------------------------------------------------

@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=10) as c:
        yield c


def _oauth(vendor: dict[str, Any]) -> Callable[[httpx.Client, dict[str, str]], dict[str, Any]]:
    def bearer(client: httpx.Client, inputs: dict[str, str]) -> dict[str, Any]:
        pair = login(client, vendor | {"client_id": inputs["client_id"], "client_secret": inputs["client_secret"]})
        return {"headers": {"Authorization": f"Bearer {pair['access_token']}"}}
    return bearer


def _keydesk_login(client: httpx.Client, inputs: dict[str, str]) -> dict[str, Any]:
    answer = client.post(KD["login"], json={"username": inputs["username"], "password": inputs["password"]})
    assert answer.status_code == 200, answer.text
    return {"headers": {"Authorization": f"Bearer {answer.json()['data']['access_token']}"}}


def _zoho(client: httpx.Client, inputs: dict[str, str]) -> dict[str, Any]:
    token = _oauth(ZO)(client, inputs)["headers"]["Authorization"].removeprefix("Bearer ")
    return {"headers": zoho_headers(token) | {"orgId": inputs["org_id"]}}


#: How the run authenticates with the entry's inputs, by (sandbox vendor, auth kind).
CREDENTIALS: dict[tuple[str, str], Callable[[httpx.Client, dict[str, str]], dict[str, Any]]] = {
    ("zendesk", "oauth2"): _oauth(ZD),
    ("zendesk", "basic"): lambda c, i: {"auth": (f"{i['email']}/token", i["api_token"])},
    ("zoho", "oauth2"): _zoho,
    ("freshdesk", "basic"): lambda c, i: {"auth": (i["api_key"], "X")},
    ("hubspot", "bearer_token"): lambda c, i: {"headers": {"Authorization": f"Bearer {i['api_token']}"}},
    ("hubspot", "oauth2"): _oauth(HS),
    ("zammad", "bearer_token"): lambda c, i: {"headers": {"Authorization": f"Bearer {i['api_token']}"}},
    ("keydesk", "none"): _keydesk_login,
}

#: The vendor's first user: (list path, how to read its id).
FIRST_USER: dict[str, tuple[str, Callable[[Any], object]]] = {
    "zendesk": ("/zendesk/api/v2/users.json?role=agent&per_page=1", lambda b: b["users"][0]["id"]),
    "zoho": ("/zoho/api/v1/agents?limit=1", lambda b: b["data"][0]["id"]),
    "freshdesk": ("/freshdesk/api/v2/agents?per_page=1", lambda b: b[0]["id"]),
    "hubspot": ("/hubspot/crm/v3/owners?limit=1", lambda b: b["results"][0]["id"]),
    "zammad": ("/zammad/api/v1/users/search?query=role_ids:2&per_page=1", lambda b: b[0]["id"]),
    "keydesk": ("/keydesk/api/users?page_size=1", lambda b: b["data"][0]["id"]),
}


def _credentials(client: httpx.Client, entry: dict[str, Any]) -> dict[str, Any]:
    return CREDENTIALS[(entry["sandbox_vendor"], entry["auth"]["kind"])](client, entry["inputs"])


@pytest.mark.parametrize("entry", SANDBOXED, ids=_ids(SANDBOXED))
def test_the_inputs_open_the_sandbox_and_the_first_user_is_right(client: httpx.Client,
                                                                 entry: dict[str, Any]) -> None:
    path, first_id = FIRST_USER[entry["sandbox_vendor"]]
    answer = client.get(path, **_credentials(client, entry))
    assert answer.status_code == 200, answer.text
    assert str(first_id(answer.json())) == entry["expect"]["users"]["first_id"]


@pytest.mark.parametrize("entry", SANDBOXED, ids=_ids(SANDBOXED))
def test_the_expected_user_count(client: httpx.Client, entry: dict[str, Any]) -> None:
    count = entry["expect"]["users"]["count"]
    if _setting(_root(entry["file"]), "UserAssociation", "Mode", "Pagination") != "disabled":
        assert count == AGENT_COUNT
        return
    [request] = _requests(_root(entry["file"]), "UserAssociation")  # one request: its page is the sync
    url = request.get("URLFormat").replace("{{.base_url}}", entry["inputs"]["base_url"])
    assert "{{" not in url
    listed, _, _ = request.find("Outputs/Output[@Name='UserUniqueId']").get("Path").partition(".#.")
    answer = client.get(urlsplit(url.replace("{sandbox}", "")).path + "?" + urlsplit(url).query,
                        **_credentials(client, entry))
    assert len(answer.json()[listed]) == count


def _hubspot_search(properties: list[str]) -> Callable[[httpx.Client, dict[str, Any], str], list[str]]:
    def search(client: httpx.Client, creds: dict[str, Any], phone: str) -> list[str]:
        groups = [{"filters": [{"propertyName": p, "operator": "EQ", "value": phone}]} for p in properties]
        return [r["id"] for r in client.post("/hubspot/crm/v3/objects/contacts/search",
                                             json={"filterGroups": groups}, **creds).json()["results"]]
    return search


def _get_ids(path: str, param: str, read: Callable[[Any], list[Any]]) -> Callable[..., list[str]]:
    def search(client: httpx.Client, creds: dict[str, Any], phone: str) -> list[str]:
        answer = client.get(path, params={param: phone}, **creds)
        assert answer.status_code in (200, 204), answer.text
        return [] if answer.status_code == 204 else [str(i) for i in read(answer.json())]
    return search


def _lookups(entry: dict[str, Any]) -> list[tuple[str, Callable[..., list[str]]]]:
    """The vendor's own answer for a phone, per contact type in the file's order."""
    vendor, root = entry["sandbox_vendor"], _root(entry["file"])
    names = [q.get("Name") for q in _requests(root, "SyncContactAuto")]
    by_vendor: dict[str, list[Callable[..., list[str]]]] = {
        "zendesk": [_get_ids("/zendesk/api/v2/users/search.json", "query", lambda b: [u["id"] for u in b["users"]])],
        "zoho": [_get_ids("/zoho/api/v1/contacts/search", "phone", lambda b: [c["id"] for c in b["data"]]),
                 _get_ids("/zoho/api/v1/accounts/search", "phone", lambda b: [a["id"] for a in b["data"]])],
        "freshdesk": [_get_ids("/freshdesk/api/v2/contacts", "phone", lambda b: [c["id"] for c in b]),
                      _get_ids("/freshdesk/api/v2/contacts", "mobile", lambda b: [c["id"] for c in b])],
        "keydesk": [_get_ids("/keydesk/api/contacts", "phone", lambda b: [c["id"] for c in b["data"]])],
        "zammad": [lambda c, k, p: [str(u["id"]) for u in c.get(
            "/zammad/api/v1/users/search", params={"query": f"phone:{p} OR mobile:{p}"}, **k).json()]],
        "hubspot": [_hubspot_search(re.findall(r'"propertyName":"(\w+)"', _body(q)))
                    for q in _requests(root, "SyncContactAuto")],
    }
    searches = by_vendor[vendor]
    assert len(searches) == len(names), "one lookup per contact type of the file"
    return list(zip(names, searches, strict=True))


@pytest.mark.parametrize("entry", SANDBOXED, ids=_ids(SANDBOXED))
def test_expected_contacts_are_what_the_vendor_finds(client: httpx.Client, entry: dict[str, Any]) -> None:
    creds = _credentials(client, entry)
    lookups = _lookups(entry)
    for expected in entry["expect"]["search"]:
        hits = [(name, ids[0]) for name, search in lookups if (ids := search(client, creds, expected["phone"]))]
        first = hits[0] if hits else (None, None)
        assert first[1] == expected["contact_id"], expected["phone"]
        if "contact_type" in expected:
            assert first[0] == expected["contact_type"], expected["phone"]


@pytest.mark.parametrize("entry", SANDBOXED, ids=_ids(SANDBOXED))
def test_expected_popup_urls_open_the_contact(fresh_sandbox: Sandbox, entry: dict[str, Any]) -> None:
    vendor = entry["sandbox_vendor"]
    urls = [(s["contact_id"], s["popup_url"]) for s in entry["expect"]["search"] if "popup_url" in s]
    assert urls, "at least one pop-up URL is expected"
    for cid, url in urls:
        assert url == "{sandbox}" + DEMO[vendor]["contact_page"].format(id=cid)
        page = httpx.get(url.replace("{sandbox}", fresh_sandbox.url), timeout=5)
        assert page.status_code == 200
        assert vendor == "zammad" or "Lovelace" in page.text or "Ada" in page.text
