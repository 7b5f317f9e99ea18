"""User sync against the sandbox's four APIs: every mode to its last page, loops, the cap,
and faults mid-sync without losing or duplicating a user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hdkit.engine.auth import OAuth2Session, TokenStore
from hdkit.engine.client import Client, Response
from hdkit.engine.paging import Paged, StopReason, SyncOptions, fetch_pages
from hdkit.model import OAuth2, Pagination, PaginationMode
from hdkit.sandbox import AGENT_COUNT, DEMO, Sandbox

KEYDESK = {DEMO["keydesk"]["header"]: DEMO["keydesk"]["api_key"]}
ZENDESK = {"Authorization": f"Bearer {DEMO['zendesk']['bearer_token']}"}
FRESHDESK = httpx.BasicAuth(DEMO["freshdesk"]["api_key"], "X")


def page(param: str, size_param: str, size: int, start: int = 1) -> Pagination:
    return Pagination(mode=PaginationMode.PAGE, page_param=param, page_start=start,
                      size_param=size_param, size=size)


def offset(size: int) -> Pagination:
    return Pagination(mode=PaginationMode.OFFSET, offset_param="from", offset_start=0,
                      limit_param="limit", limit=size)


NEXT = Pagination(mode=PaginationMode.NEXT_LINK, next_link_path="next_page")


AuthFactory = Callable[[Client], httpx.Auth]


def zoho_auth(hd: Sandbox) -> AuthFactory:
    """Authorize once against the Zoho-like API (consent auto-approved); sessions share the tokens."""
    z = DEMO["zoho"]
    config = OAuth2(
        authorization_endpoint=f"{hd.url}{z['authorize']}?response_type=code&client_id={{{{.client_id}}}}"
                               "&access_type=offline&approve=1",
        token_endpoint=f"{hd.url}{z['token']}", scope=z["scope"],
    )
    inputs = {"client_id": z["client_id"], "client_secret": z["client_secret"]}
    store = TokenStore()

    def session(client: Client) -> OAuth2Session:
        return OAuth2Session(config, inputs, client=client, store=store, key="zoho", pkce=True)

    async def authorize() -> None:
        async with Client() as client:
            s = session(client)
            consent = s.authorization_url(z["redirect_uri"])
            async with httpx.AsyncClient() as browser:
                await s.complete((await browser.get(consent)).headers["location"])

    asyncio.run(authorize())
    return session


def sync(url: str, headers: dict[str, str], pagination: Pagination, extract: Callable[[Response], list],
         *, next_link: Callable[[Response], str | None] = lambda r: None,
         auth: httpx.Auth | AuthFactory | None = None, max_concurrent: int = 5, **client_kw: Any) -> Paged:
    async def sleep(_s: float) -> None:
        return None

    async def go() -> Paged:
        async with Client(max_concurrent=max_concurrent, sleep=sleep, **client_kw) as client:
            flow = auth if auth is None or isinstance(auth, httpx.Auth) else auth(client)
            return await fetch_pages(client, "Get users", lambda _v: (url, headers), pagination, extract,
                                     next_link, auth=flow, options=SyncOptions(sleep=sleep))

    return asyncio.run(go())


def data(r: Response) -> list:
    return (r.json() or {}).get("data") or []


def zendesk_users(r: Response) -> list:
    return r.json()["users"]


def unique_ids(paged: Paged) -> int:
    ids = [u["id"] for u in paged.records]
    assert len(ids) == len(set(ids)), "a user was duplicated"
    return len(ids)


def test_page_mode_keydesk_to_the_empty_page(sandbox: Sandbox):
    paged = sync(f"{sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 100), data)
    assert paged.stop_reason is StopReason.EMPTY_PAGE
    assert unique_ids(paged) == AGENT_COUNT
    assert paged.pages == AGENT_COUNT // 100 + 1


def test_page_mode_freshdesk_bare_array_with_basic_auth(sandbox: Sandbox):
    paged = sync(f"{sandbox.url}/freshdesk/api/v2/agents", {}, page("page", "per_page", 100),
                 lambda r: r.json(), auth=FRESHDESK)
    assert paged.stop_reason is StopReason.EMPTY_PAGE
    assert unique_ids(paged) == AGENT_COUNT


def test_page_mode_short_last_page(sandbox: Sandbox):
    paged = sync(f"{sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 90), data)
    assert paged.stop_reason is StopReason.SHORT_PAGE
    assert unique_ids(paged) == AGENT_COUNT
    assert len(paged.records) % 90 == AGENT_COUNT % 90


def test_next_link_mode_zendesk_to_the_last_page(sandbox: Sandbox):
    url = f"{sandbox.url}/zendesk/api/v2/users.json?role=agent&per_page=100"
    paged = sync(url, ZENDESK, NEXT, zendesk_users, next_link=lambda r: r.json().get("next_page"))
    assert paged.stop_reason is StopReason.NO_NEXT_LINK
    assert unique_ids(paged) == AGENT_COUNT
    assert paged.requests == AGENT_COUNT // 100


def test_offset_mode_zoho_ends_on_204(sandbox: Sandbox):
    url = f"{sandbox.url}/zoho/api/v1/agents"
    paged = sync(url, {"orgId": DEMO["zoho"]["org_id"]}, offset(200), data, auth=zoho_auth(sandbox))
    assert paged.stop_reason in (StopReason.EMPTY_PAGE, StopReason.SHORT_PAGE)
    assert unique_ids(paged) == AGENT_COUNT


def test_looping_next_links_stop_as_repeated(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(loop_pagination=True)
    url = f"{fresh_sandbox.url}/zendesk/api/v2/users.json?role=agent&per_page=100"
    paged = sync(url, ZENDESK, NEXT, zendesk_users, next_link=lambda r: r.json().get("next_page"))
    assert paged.stop_reason in (StopReason.REPEATED_LINK, StopReason.REPEATED_PAGE)
    assert unique_ids(paged) == len(paged.records) <= 200
    assert paged.requests <= 3


def test_ignored_page_parameter_stops_as_repeated_page(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(loop_pagination=True)
    paged = sync(f"{fresh_sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 50), data)
    assert paged.stop_reason is StopReason.REPEATED_PAGE
    assert unique_ids(paged) == 50


def test_cap_of_100_requests_against_the_helpdesk(fresh_sandbox: Sandbox):
    paged = sync(f"{fresh_sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 10), data,
                 max_concurrent=8)
    assert paged.stop_reason is StopReason.REQUEST_CAP
    assert len(fresh_sandbox.requests) == paged.requests == 100
    assert unique_ids(paged) == 1000


def test_rate_limits_mid_sync_lose_and_duplicate_nothing(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(rate_limit=4, retry_after_s=1)
    paged = sync(f"{fresh_sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 100), data)
    assert paged.stop_reason is StopReason.EMPTY_PAGE
    assert unique_ids(paged) == AGENT_COUNT
    assert sum(r["status"] == 429 for r in fresh_sandbox.requests) == 4


def test_persistent_server_error_stops_with_error_keeping_earlier_pages(fresh_sandbox: Sandbox):
    paged = sync(f"{fresh_sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 100), data,
                 retries=1, max_concurrent=1)
    fresh_sandbox.faults.update(server_error=50)
    failed = sync(f"{fresh_sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 100), data,
                  retries=1, max_concurrent=1)
    assert unique_ids(paged) == AGENT_COUNT
    assert failed.stop_reason is StopReason.ERROR
    assert "Get users (page 1): the helpdesk answered HTTP 503" in failed.detail
    assert failed.records == []


def test_expired_token_mid_sync_is_refreshed_and_the_sync_completes(fresh_sandbox: Sandbox):
    auth = zoho_auth(fresh_sandbox)
    url = f"{fresh_sandbox.url}/zoho/api/v1/agents"
    fresh_sandbox.expire_tokens()
    paged = sync(url, {"orgId": DEMO["zoho"]["org_id"]}, offset(100), data, auth=auth)
    assert unique_ids(paged) == AGENT_COUNT
    assert sum(r["status"] == 401 for r in fresh_sandbox.requests) >= 1
    assert sum(r["path"].endswith("/oauth/v2/token") for r in fresh_sandbox.requests) == 2


def recording_sync(hd: Sandbox, **client_kw: Any) -> tuple[Paged, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> Paged:
        async with Client(max_concurrent=1, sleep=sleep, **client_kw) as client:
            return await fetch_pages(client, "Get users", lambda _v: (f"{hd.url}/keydesk/api/users", KEYDESK),
                                     page("page", "page_size", 100), data, lambda r: None,
                                     options=SyncOptions(sleep=sleep))

    return asyncio.run(go()), waits


@pytest.mark.parametrize(
    ("switches", "page_waits"),
    [
        pytest.param({"rate_limit": 4, "retry_after_s": 2}, [2.0], id="four-429s-in-a-row"),
        pytest.param({"rate_limit": 1, "retry_after_s": 20}, [20.0], id="retry-after-over-8s"),
        pytest.param({"malformed": 1}, [1.0], id="truncated-page"),
    ],
)
def test_a_passing_fault_does_not_end_the_sync(fresh_sandbox: Sandbox, switches, page_waits):
    """Issue 12 (Low): each of these used to end the sync early; now the page is retried."""
    fresh_sandbox.faults.update(**switches)
    paged, waits = recording_sync(fresh_sandbox, retries=3)
    assert paged.stop_reason is StopReason.EMPTY_PAGE and paged.complete
    assert unique_ids(paged) == AGENT_COUNT and paged.retries == 1
    assert waits[-len(page_waits):] == page_waits  # the page-level wait comes after the client's own


def test_fetch_ahead_past_the_end_is_in_the_report(fresh_sandbox: Sandbox):
    paged = sync(f"{fresh_sandbox.url}/keydesk/api/users", KEYDESK, page("page", "page_size", 100), data,
                 max_concurrent=5)
    assert paged.stop_reason is StopReason.EMPTY_PAGE and paged.data_pages == AGENT_COUNT // 100
    sent = sorted(int(r["url"].split("page=")[1].split("&")[0]) for r in fresh_sandbox.requests)
    past = [int(r.exchange.step.split("page ")[1].rstrip(")")) for r in paged.past_end]
    assert past == [p for p in sent if p > paged.pages] and len(past) <= 4
    assert paged.requests == len(fresh_sandbox.requests) == paged.pages + len(past)
