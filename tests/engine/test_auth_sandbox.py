"""Every auth method end to end against the sandbox helpdesk, over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from hdkit.engine.auth import BasicCredential, BearerToken, OAuth2Session, TokenStore, Tokens
from hdkit.engine.client import Client, Response
from hdkit.errors import AuthError
from hdkit.model import ContentType, OAuth2
from hdkit.sandbox import DEMO, Sandbox
from hdkit.secrets import Secret

Z, ZO, FD = DEMO["zendesk"], DEMO["zoho"], DEMO["freshdesk"]


def run(body: Callable[[Client], Awaitable[Any]], **client_kw: Any) -> tuple[Any, Client]:
    async def go() -> tuple[Any, Client]:
        async with Client(**client_kw) as client:
            return await body(client), client

    return asyncio.run(go())


def zendesk_config(hd: Sandbox, **kw: Any) -> OAuth2:
    return OAuth2(**{
        "authorization_endpoint": f"{hd.url}{Z['authorize']}?response_type=code&client_id={{{{.client_id}}}}"
                                  "&redirect_uri={{.redirect_uri}}&approve=1",
        "token_endpoint": f"{hd.url}{Z['token']}",
        "scope": Z["scope"],
        **kw,
    })


def zoho_config(hd: Sandbox, **kw: Any) -> OAuth2:
    return OAuth2(**{
        "authorization_endpoint": f"{hd.url}{ZO['authorize']}?response_type=code&client_id={{{{.client_id}}}}"
                                  "&access_type=offline&approve=1",
        "token_endpoint": f"{hd.url}{ZO['token']}",
        "scope": ZO["scope"],
        "token_invalid": ("INVALID_OAUTH",),
        **kw,
    })


def inputs(vendor: dict[str, Any]) -> dict[str, Any]:
    return {"client_id": vendor["client_id"], "client_secret": Secret(vendor["client_secret"])}


async def consent(session: OAuth2Session, redirect_uri: str) -> Tokens:
    """Play the browser: open the consent URL (auto-approved), hand the redirect back."""
    url = session.authorization_url(redirect_uri)
    async with httpx.AsyncClient() as browser:
        answer = await browser.get(url)
    assert answer.status_code == 302, answer.text
    return await session.complete(answer.headers["location"])


def secrets_hidden(client: Client, *values: str) -> None:
    for exchange in client.exchanges:
        shown = repr(exchange) + exchange.to_curl() + str(exchange.error)
        for value in values:
            assert value not in shown, (value, exchange.step)


@pytest.mark.parametrize("content_type", [ContentType.FORM, ContentType.JSON])
@pytest.mark.parametrize("pkce", [False, True], ids=["plain", "pkce"])
def test_zendesk_code_flow_then_api_calls(fresh_sandbox: Sandbox, content_type, pkce):
    hd = fresh_sandbox

    async def body(client: Client) -> tuple[Response, Tokens]:
        session = OAuth2Session(zendesk_config(hd, content_type=content_type), inputs(Z), client=client, pkce=pkce)
        tokens = await consent(session, Z["redirect_uri"])
        users = await client.send("Get users", "GET", f"{hd.url}{Z['api']}/users.json?per_page=2", auth=session)
        return users, tokens

    (users, tokens), client = run(body)
    assert users.ok and len(users.json()["users"]) == 2
    token_call = next(r for r in hd.requests if r["path"] == Z["token"])
    assert ("json" in token_call["headers"].get("content-type", "")) is (content_type is ContentType.JSON)
    secrets_hidden(client, Z["client_secret"], tokens.access_token.reveal(), tokens.refresh_token.reveal())


def test_zoho_pkce_required_and_json_token_body(fresh_sandbox: Sandbox):
    hd = fresh_sandbox
    hd.faults.update(require_pkce=True, token_body="json")

    async def body(client: Client) -> Tokens:
        session = OAuth2Session(zoho_config(hd, content_type=ContentType.JSON), inputs(ZO), client=client, pkce=True)
        return await consent(session, ZO["redirect_uri"])

    tokens, _ = run(body)
    assert tokens.access_token and tokens.refresh_token


def test_zoho_refusal_with_http_200_is_an_auth_error(fresh_sandbox: Sandbox):
    hd = fresh_sandbox
    hd.faults.update(token_body="json")  # the form body hdkit sends is refused

    async def body(client: Client) -> None:
        session = OAuth2Session(zoho_config(hd), inputs(ZO), client=client)
        with pytest.raises(AuthError) as err:
            await consent(session, ZO["redirect_uri"])
        assert "invalid_request" in str(err.value) and "Token Endpoint" in str(err.value)

    run(body)


def test_forged_state_is_refused(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(bad_state=True)

    async def body(client: Client) -> None:
        session = OAuth2Session(zendesk_config(fresh_sandbox), inputs(Z), client=client)
        with pytest.raises(AuthError, match="state does not match"):
            await consent(session, Z["redirect_uri"])

    run(body)


def test_loopback_redirect_with_a_following_browser(fresh_sandbox: Sandbox):
    hd = fresh_sandbox
    landed: list[httpx.Response] = []

    def browser(url: str) -> bool:  # consent page -> 302 -> the loopback catcher
        landed.append(httpx.get(url, follow_redirects=True))
        return True

    async def body(client: Client) -> Response:
        session = OAuth2Session(zendesk_config(hd), inputs(Z), client=client, pkce=True)
        await session.authorize(timeout=20, open_browser=browser)
        return await client.send("Get users", "GET", f"{hd.url}{Z['api']}/users.json?per_page=1", auth=session)

    response, _ = run(body)
    assert response.ok and "close this tab" in landed[0].text


def test_expired_token_is_refreshed_once_and_the_request_retried(fresh_sandbox: Sandbox):
    hd = fresh_sandbox

    async def body(client: Client) -> Response:
        session = OAuth2Session(zendesk_config(hd, refresh_minutes=0), inputs(Z), client=client)
        await consent(session, Z["redirect_uri"])
        hd.expire_tokens()
        return await client.send("Get users", "GET", f"{hd.url}{Z['api']}/users.json?per_page=1", auth=session)

    response, client = run(body)
    assert response.ok
    statuses = [(r["path"], r["status"]) for r in hd.requests]
    assert statuses[-3:] == [(f"{Z['api']}/users.json", 401), (Z["token"], 200), (f"{Z['api']}/users.json", 200)]
    assert [e.step for e in client.exchanges][-2:] == ["Authentication: refresh token", "Get users"]


def test_zendesk_rotation_keeps_only_the_newest_refresh_token(fresh_sandbox: Sandbox, tmp_path):
    hd = fresh_sandbox
    store = TokenStore(tmp_path / "tokens.json")

    async def body(client: Client) -> list[str]:
        session = OAuth2Session(zendesk_config(hd), inputs(Z), client=client, store=store, key="zendesk")
        first = await consent(session, Z["redirect_uri"])
        seen = [first.refresh_token.reveal()]
        for _ in range(2):
            seen.append((await session.refresh()).refresh_token.reveal())
        return seen

    seen, _ = run(body)
    assert len(set(seen)) == 3  # rotated each time
    assert TokenStore(tmp_path / "tokens.json").get("zendesk").refresh_token.reveal() == seen[-1]


def test_zoho_kept_refresh_token_survives_refreshes(fresh_sandbox: Sandbox, tmp_path):
    hd = fresh_sandbox
    store = TokenStore(tmp_path / "tokens.json")

    async def body(client: Client) -> list[str]:
        session = OAuth2Session(zoho_config(hd), inputs(ZO), client=client, store=store, key="zoho")
        first = await consent(session, ZO["redirect_uri"])
        seen = [first.refresh_token.reveal()]
        for _ in range(2):
            seen.append((await session.refresh()).refresh_token.reveal())
        return seen

    seen, _ = run(body)
    assert len(set(seen)) == 1  # Zoho answers a refresh without a new refresh token
    assert TokenStore(tmp_path / "tokens.json").get("zoho").refresh_token.reveal() == seen[0]


def test_interval_refresh_against_the_helpdesk(fresh_sandbox: Sandbox):
    hd = fresh_sandbox
    now = [0.0]

    async def body(client: Client) -> Response:
        session = OAuth2Session(zoho_config(hd), inputs(ZO), client=client, clock=lambda: now[0])
        await consent(session, ZO["redirect_uri"])
        now[0] += 25 * 60  # blank interval: 25 minutes
        return await client.send("Get users", "GET", f"{hd.url}{ZO['api']}/agents?limit=1",
                                 headers={"orgId": ZO["org_id"]}, auth=session)

    response, _ = run(body)
    assert response.ok
    assert [r["path"] for r in hd.requests].count(ZO["token"]) == 2
    assert not any(r["status"] == 401 for r in hd.requests)  # refreshed before, not after a failure


@pytest.mark.parametrize(
    ("fmt", "values", "status"),
    [
        pytest.param("{{.api_key}}:X", {"api_key": Secret(FD["api_key"])}, 200, id="api-key"),
        pytest.param("{{.username}}:{{.password}}", {"username": FD["username"], "password": Secret(FD["password"])},
                     200, id="user-password"),
        pytest.param("{{.api_key}}:X", {"api_key": Secret("wrong-key-1234")}, 401, id="wrong-key"),
    ],
)
def test_freshdesk_basic(sandbox: Sandbox, fmt, values, status):
    async def body(client: Client) -> Response:
        auth = BasicCredential(fmt, values, redactor=client.redactor)
        return await client.send("Get users", "GET", f"{sandbox.url}{FD['api']}/agents?per_page=1", auth=auth)

    response, client = run(body)
    assert response.status == status
    secrets_hidden(client, FD["api_key"], FD["password"])


def test_zendesk_bearer_token(sandbox: Sandbox):
    async def body(client: Client) -> Response:
        auth = BearerToken(Secret(Z["bearer_token"]), redactor=client.redactor)
        return await client.send("Get users", "GET", f"{sandbox.url}{Z['api']}/users.json?per_page=1", auth=auth)

    response, client = run(body)
    assert response.ok
    assert client.exchanges[0].request_headers["Authorization"] == "Bearer ********"
    secrets_hidden(client, Z["bearer_token"])
