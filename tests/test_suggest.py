"""Mapping suggestions on the sandbox vendors' real answers: the right path ranks first for each
PBX field, its values are what GJSON yields, and fields with no evidence get no guess."""

from __future__ import annotations

import json

import httpx
import pytest
from support.sandbox_api import FD_AUTH, HS_AUTH, ZM_AUTH

import hdkit
from hdkit import samples
from hdkit.errors import PathError
from hdkit.paths import compile_path
from hdkit.suggest import CONTACT_TARGETS, USER_TARGETS, suggest_paths

PHONE = "+14155550123"


def _get(sandbox, path: str, **kwargs) -> str:
    response = httpx.get(sandbox.url + path, timeout=10, **kwargs)
    assert response.status_code == 200, response.text
    return response.text


def _hubspot(sandbox) -> str:
    body = {"filterGroups": [{"filters": [{"propertyName": "phone", "operator": "EQ", "value": PHONE}]}],
            "properties": ["firstname", "lastname", "email", "phone", "mobilephone"]}
    response = httpx.post(sandbox.url + "/hubspot/crm/v3/objects/contacts/search", headers=HS_AUTH, json=body,
                          timeout=10)
    assert response.status_code == 200, response.text
    return response.text


def _searched(sandbox, sample: str) -> str:
    """What a sample template's contact search got back (through the engine, redacted)."""
    engine = hdkit.Engine(samples.load(sample), samples.demo_inputs(sample, sandbox.url))
    return engine.search(PHONE).log[0].response_body


def best(suggestions, key: str) -> tuple[str, tuple[str, ...]]:
    top = suggestions[key][0]
    return top.path, top.values


VENDORS = [
    pytest.param(lambda s: _searched(s, "freshdesk"),
                 {"contact_id": "#.id", "first_name": "#.name", "email": "#.email",
                  "business_number": "#.phone", "mobile_number": "#.mobile"}, id="freshdesk"),
    pytest.param(lambda s: _searched(s, "keydesk"),
                 {"contact_id": "data.#.id", "first_name": "data.#.name", "business_number": "data.#.phone",
                  "mobile_number": "data.#.mobile"}, id="keydesk"),
    pytest.param(_hubspot,
                 {"contact_id": "results.#.id", "first_name": "results.#.properties.firstname",
                  "last_name": "results.#.properties.lastname", "email": "results.#.properties.email",
                  "business_number": "results.#.properties.phone",
                  "mobile_number": "results.#.properties.mobilephone", "popup_url": "results.#.url"}, id="hubspot"),
    pytest.param(lambda s: _get(s, "/zammad/api/v1/users/search", params={"query": f"phone:{PHONE}"},
                                headers=ZM_AUTH),
                 {"contact_id": "#.id", "first_name": "#.firstname", "last_name": "#.lastname",
                  "email": "#.email", "business_number": "#.phone", "mobile_number": "#.mobile"}, id="zammad"),
]


@pytest.mark.parametrize(("fetch", "expected"), VENDORS)
def test_the_right_path_ranks_first_on_each_vendors_answer(sandbox, fetch, expected: dict[str, str]) -> None:
    body = fetch(sandbox)
    suggestions = suggest_paths(body, phone=PHONE)
    assert set(suggestions) == {t.key for t in CONTACT_TARGETS}
    for key, path in expected.items():
        assert suggestions[key], f"no suggestion for {key}"
        assert suggestions[key][0].path == path, (key, [str(s) for s in suggestions[key]])
    for ranked in suggestions.values():
        for s in ranked:  # the values shown are what the PBX's GJSON reads with that path
            yielded = compile_path(s.path).get(body).value()
            assert list(s.values) == [("" if v is None else str(v)) for v in
                                      (yielded if isinstance(yielded, list) else [yielded])]


def test_the_searched_number_wins_the_main_phone_field() -> None:
    body = json.dumps({"items": [{"uid": "k1", "tel_a": "+1 (415) 555-0123", "tel_b": "+1 212 555 0100"}]})
    suggestions = suggest_paths(body, phone=PHONE)
    assert best(suggestions, "business_number") == ("items.#.tel_a", ("+1 (415) 555-0123",))
    assert "number searched for" in suggestions["business_number"][0].why
    assert suggestions["mobile_number"] == []  # nothing named like a mobile: no guess


def test_users_are_suggested_from_a_nested_user_list(sandbox) -> None:
    body = _get(sandbox, "/freshdesk/api/v2/agents", params={"per_page": 5}, auth=FD_AUTH)
    suggestions = suggest_paths(body, USER_TARGETS)
    assert set(suggestions) == {"user_id", "first_name", "last_name", "email"}
    assert best(suggestions, "user_id")[0] == "#.id"
    path, values = best(suggestions, "email")
    assert path == "#.contact.email" and len(values) == 5 and all("@" in v for v in values)
    assert best(suggestions, "first_name")[0] == "#.contact.name"  # one name field: offered whole


def test_a_typed_phone_list_becomes_a_query_per_type() -> None:
    body = json.dumps({"contacts": [{"id": 9, "phones": [{"type": "mobile", "value": "+15550100"},
                                                         {"type": "home", "value": "+15550101"}]}]})
    suggestions = suggest_paths(body)
    assert best(suggestions, "mobile_number") == ('contacts.#.phones.#(type=="mobile").value', ("+15550100",))
    assert best(suggestions, "home_number") == ('contacts.#.phones.#(type=="home").value', ("+15550101",))


def test_one_object_answers_give_plain_paths() -> None:
    suggestions = suggest_paths(json.dumps({"contact": {"id": "c7", "email": "a@b.example", "first_name": "Al"}}))
    assert best(suggestions, "contact_id") == ("contact.id", ("c7",))
    assert best(suggestions, "first_name") == ("contact.first_name", ("Al",))


def test_an_empty_or_unrelated_answer_suggests_nothing() -> None:
    assert all(v == [] for v in suggest_paths('{"data": []}').values())
    assert all(v == [] for v in suggest_paths('{"total": 0, "ok": true}').values())


def test_a_body_that_is_not_json_is_a_located_error() -> None:
    with pytest.raises(PathError, match="line 1"):
        suggest_paths('{"data": [')
