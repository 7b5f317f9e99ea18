"""The Zammad-like API over real HTTP: a static access token in both of Zammad's header forms,
the users search and its paging, and a phone ticket with articles, refusals as Zammad words them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from support.sandbox_api import ZM, ZM_AUTH

from hdkit.sandbox import AGENT_COUNT, Sandbox

USERS = "/zammad/api/v1/users"
SEARCH = USERS + "/search"
TICKETS = "/zammad/api/v1/tickets"
ARTICLES = "/zammad/api/v1/ticket_articles"
ADA_ID = 5001
MAX_PAGES = 100


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.url, timeout=5, headers=ZM_AUTH) as c:
        yield c


def _ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [u["id"] for u in response.json()]


# -- auth ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, status", [
    pytest.param(f"Bearer {ZM['api_token']}", 200, id="bearer"),
    pytest.param(f"Token token={ZM['api_token']}", 200, id="token-token"),
    pytest.param(f'Token token="{ZM["api_token"]}"', 200, id="token-token-quoted"),
    pytest.param("Bearer zm-wrong", 401, id="wrong"),
    pytest.param("Token token=", 401, id="empty"),
    pytest.param(f"Basic {ZM['api_token']}", 401, id="basic"),
    pytest.param("", 401, id="none"),
])
def test_access_token_forms(fresh_sandbox: Sandbox, header: str, status: int) -> None:
    headers = {"Authorization": header} if header else {}
    response = httpx.get(fresh_sandbox.url + USERS, params={"per_page": 1}, headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response.json() == {"error": "Authentication failed", "error_human": "Authentication failed"}


def test_the_readonly_token_reads_but_cannot_write(fresh_sandbox: Sandbox) -> None:
    headers = {"Authorization": f"Bearer {ZM['readonly_api_token']}"}
    assert httpx.get(fresh_sandbox.url + f"{USERS}/{ADA_ID}", headers=headers).status_code == 200
    refused = httpx.post(fresh_sandbox.url + USERS, json={"lastname": "X"}, headers=headers)
    assert refused.status_code == 403 and "Not authorized" in refused.json()["error"]
    assert fresh_sandbox.state == {}


# -- users ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, ids", [
    pytest.param("phone:+14155550123", [ADA_ID], id="phone"),
    pytest.param("phone:+1 415-555-0123", [ADA_ID], id="phone-digits-rule"),
    pytest.param("phone:4155550124", [ADA_ID + 1], id="national"),
    pytest.param("phone:+14155550124", [], id="country-code-missing-in-store"),
    pytest.param("phone:+14155550199", [], id="the-mobile-is-not-the-phone"),
    pytest.param("phone:+14155550199 OR mobile:+14155550199", [ADA_ID], id="or"),
    pytest.param('email:"ADA.LOVELACE@example.com"', [ADA_ID], id="email-quoted"),
    pytest.param("ada.lovelace@example.com", [ADA_ID], id="free-text"),
    pytest.param("4155550126", [ADA_ID + 3], id="free-text-number"),
    pytest.param("nickname:ada", [], id="unknown-field-is-free-text"),
])
def test_users_search(client: httpx.Client, query: str, ids: list[int]) -> None:
    assert _ids(client.get(SEARCH, params={"query": query})) == ids


def test_agents_page_through_the_role_search(client: httpx.Client) -> None:
    agents, page = [], 1
    for page in range(1, MAX_PAGES):
        chunk = client.get(SEARCH, params={"query": "role_ids:2", "page": page, "per_page": 100}).json()
        if not chunk:
            break
        agents += chunk
    assert page == AGENT_COUNT // 100 + 1 and len({a["id"] for a in agents}) == AGENT_COUNT
    assert agents[0]["id"] == 3 and {tuple(a["role_ids"]) for a in agents} == {(2,)}


def test_search_limit_and_users_index(client: httpx.Client) -> None:
    assert len(_ids(client.get(SEARCH, params={"query": "role_ids:3"}))) == 10  # Zammad's default limit
    assert len(_ids(client.get(SEARCH, params={"query": "role_ids:3", "limit": 100}))) == 100
    everyone = client.get(USERS, params={"per_page": 500, "page": 6})
    assert len(everyone.json()) == AGENT_COUNT + 200 - 5 * 500
    assert client.get(USERS, params={"per_page": 500, "page": 7}).json() == []


@pytest.mark.parametrize("path, params, message", [
    pytest.param(SEARCH, {"query": " "}, "Need query param", id="blank-query"),
    pytest.param(SEARCH, {"query": "a", "limit": 101}, "limit must be a whole number from 1 to 100", id="limit"),
    pytest.param(USERS, {"per_page": 501}, "per_page must be a whole number from 1 to 500", id="per-page"),
    pytest.param(USERS, {"page": 0}, "page must be a whole number from 1", id="page-0"),
    pytest.param(USERS, {"page": "\u0663"}, "page must be a whole number from 1", id="arabic-digit"),
    pytest.param(USERS, {"page": "9" * 5000}, "page must be a whole number from 1", id="huge"),
])
def test_bad_search_and_paging_parameters(client: httpx.Client, path: str, params: dict[str, Any],
                                          message: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422 and message in response.json()["error"]


def test_create_a_customer(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    created = client.post(USERS, json={"firstname": "Jane", "lastname": "Doe", "phone": "+15550100999"})
    assert created.status_code == 201
    user = created.json()
    assert user["role_ids"] == [3] and user["phone"] == "+15550100999"
    assert _ids(client.get(SEARCH, params={"query": "phone:+15550100999"})) == [user["id"]]
    assert client.get(f"{USERS}/{user['id']}").json() == user
    assert fresh_sandbox.state["zammad"]["users"] == [user]


@pytest.mark.parametrize("body, message", [
    pytest.param({"note": "n"}, "Minimum one identifier (login, firstname, lastname, phone or email)", id="no-id"),
    pytest.param({"lastname": ["Doe"]}, "lastname must be a string", id="type"),
    pytest.param({"email": "ada.lovelace@example.com"}, "Email address 'ada.lovelace@example.com' is already used",
                 id="duplicate"),
    pytest.param({"lastname": "D", "role_ids": [9]}, "role_ids must be a list of role ids", id="role"),
    pytest.param({"lastname": "D", "role_ids": [True]}, "role_ids must be a list of role ids", id="role-bool"),
])
def test_bad_customers_are_422(fresh_sandbox: Sandbox, client: httpx.Client, body: dict[str, Any],
                               message: str) -> None:
    response = client.post(USERS, json=body)
    assert response.status_code == 422 and message in response.json()["error"]
    assert fresh_sandbox.state == {}


# -- tickets and articles ----------------------------------------------------------------------------

def test_phone_ticket_update_and_call_article(fresh_sandbox: Sandbox, client: httpx.Client) -> None:
    created = client.post(TICKETS, json={"title": "Inbound call", "group": ZM["group"], "customer_id": str(ADA_ID),
                                         "article": {"subject": "Inbound call", "body": "from Ada",
                                                     "type": "phone", "sender": "Customer", "internal": False}})
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert (ticket["state"], ticket["group"], ticket["customer_id"]) == ("new", "Users", ADA_ID)
    assert ticket["number"] == str(31000 + ticket["id"]) and ticket["article_count"] == 1
    updated = client.put(f"{TICKETS}/{ticket['id']}", json={"state": "open", "title": "Call with Ada"})
    assert updated.json()["state"] == "open" and updated.json()["state_id"] == 2
    logged = client.post(ARTICLES, json={"ticket_id": ticket["id"], "body": "Answered, 00:01:00",
                                         "type": "phone", "internal": True})
    assert logged.status_code == 201
    articles = client.get(f"{ARTICLES}/by_ticket/{ticket['id']}").json()
    assert [(a["type"], a["internal"]) for a in articles] == [("phone", False), ("phone", True)]
    state = fresh_sandbox.state["zammad"]
    assert state["tickets"][0]["state"] == "open" and len(state["ticket_articles"]) == 2
    assert client.get(f"{TICKETS}/{ticket['id']}").json()["article_ids"] == [a["id"] for a in articles]


@pytest.mark.parametrize("body, message", [
    pytest.param({"group": "Users", "customer_id": ADA_ID}, "title is required", id="no-title"),
    pytest.param({"title": "t", "customer_id": ADA_ID}, "group is required", id="no-group"),
    pytest.param({"title": "t", "group": "Sales", "customer_id": ADA_ID}, "No lookup value found for 'group': 'Sales'",
                 id="unknown-group"),
    pytest.param({"title": "t", "group_id": 7, "customer_id": ADA_ID}, "No lookup value found for 'group_id': 7",
                 id="unknown-group-id"),
    pytest.param({"title": "t", "group": "Users"}, "customer_id: no user has the id None", id="no-customer"),
    pytest.param({"title": "t", "group": "Users", "customer_id": "x5001"}, "customer_id: no user has the id 'x5001'",
                 id="bad-customer"),
    pytest.param({"title": "t", "group": "Users", "customer_id": ADA_ID, "state": "solved"},
                 "No lookup value found for 'state': 'solved'", id="state"),
    pytest.param({"title": "t", "group": ["Users"], "customer_id": ADA_ID}, "group must be a string",
                 id="group-list"),
    pytest.param({"title": "t", "group": "Users", "customer_id": ADA_ID, "article": {"type": "phone"}},
                 "article.body is required", id="article-body"),
    pytest.param({"title": "t", "group": "Users", "customer_id": ADA_ID, "article": {"body": "b", "type": "pigeon"}},
                 "article.type: No lookup value found for 'type': 'pigeon'", id="article-type"),
    pytest.param({"title": "t", "group": "Users", "customer_id": ADA_ID, "article": "b"}, "article. must be an object",
                 id="article-text"),
])
def test_bad_tickets_are_422(fresh_sandbox: Sandbox, client: httpx.Client, body: dict[str, Any],
                             message: str) -> None:
    response = client.post(TICKETS, json=body)
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]
    assert fresh_sandbox.state == {}


@pytest.mark.parametrize("body, message", [
    pytest.param({"ticket_id": 99, "body": "b"}, "ticket_id: no ticket has the id 99", id="no-ticket"),
    pytest.param({"ticket_id": "{ticket}", "body": ""}, "body is required", id="no-body"),
    pytest.param({"ticket_id": "{ticket}", "body": "b", "sender": "Robot"}, "No lookup value found for 'sender'",
                 id="sender"),
    pytest.param({"ticket_id": "{ticket}", "body": "b", "internal": "yes"}, "internal must be true or false",
                 id="internal"),
])
def test_bad_articles_are_422(client: httpx.Client, body: dict[str, Any], message: str) -> None:
    ticket = client.post(TICKETS, json={"title": "t", "group": "Users", "customer_id": ADA_ID}).json()["id"]
    sent = {k: (ticket if v == "{ticket}" else v) for k, v in body.items()}
    response = client.post(ARTICLES, json=sent)
    assert response.status_code == 422 and message in response.json()["error"]


def test_missing_records_and_routes(client: httpx.Client) -> None:
    assert client.get(f"{TICKETS}/42").json()["error"] == "Couldn't find Ticket with 'id'=42"
    assert client.put(f"{TICKETS}/42", json={}).status_code == 404
    assert client.get(f"{USERS}/abc").status_code == 404
    assert client.get(f"{ARTICLES}/by_ticket/abc").status_code == 404
    assert client.get("/zammad/api/v1/nothing").json()["error"] == "No route matches this request"
    assert client.post(TICKETS, content=b"{", headers={"Content-Type": "application/json"}).status_code == 422


def test_the_popup_page_is_the_app_shell(client: httpx.Client) -> None:
    page = httpx.get(str(client.base_url) + ZM["contact_page"].format(id=ADA_ID))  # the fragment stays local
    assert page.status_code == 200 and "<title>Zammad</title>" in page.text
