"""User-sync pagination: every mode to its last page, every stop reason, the cap, fetch-ahead."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from hdkit.engine.client import Client
from hdkit.engine.paging import Paged, StopReason, add_query, fetch_pages
from hdkit.errors import EngineError, Location
from hdkit.model import Pagination, PaginationMode

BASE = "https://desk.test/api/users?role=agent&q=a%20b"


def page_of(total: int, start: int, size: int) -> list[dict]:
    return [{"id": i} for i in range(start, min(start + size, total))]


def users_api(total: int, *, page_start: int = 1, per_page_default: int = 25,
              link_to: Callable[[int], str | None] | None = None,
              fail_at: int | None = None, ignore_params: bool = False, latency: float = 0.0):
    """A paged users endpoint: ``page``/``per_page``, ``offset``/``limit`` or next links."""
    seen: list[httpx.Request] = []
    state = {"now": 0, "peak": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        await asyncio.sleep(latency)
        state["now"] -= 1
        q = request.url.params
        assert q["role"] == "agent" and q["q"] == "a b"  # existing parameters kept
        if ignore_params:
            return httpx.Response(200, json={"users": page_of(total, 0, per_page_default)})
        if "cursor" in q or link_to is not None:
            n = int(q.get("cursor", 0))
            body = {"users": page_of(total, n * per_page_default, per_page_default)}
            body["links"] = {"next": link_to(n)}
        elif "offset" in q:
            body = {"users": page_of(total, int(q["offset"]), int(q["limit"]))}
        else:
            size = int(q.get("per_page", per_page_default))
            page = int(q.get("page", page_start)) - page_start
            if fail_at is not None and page == fail_at:
                return httpx.Response(500, json={"error": "boom"})
            body = {"users": page_of(total, page * size, size)}
        return httpx.Response(200, json=body)

    return handler, seen, state


def sync(handler, pagination: Pagination | None, *, max_concurrent: int = 4, max_requests: int = 100,
         request: Callable[[dict], tuple[str, dict]] | None = None) -> tuple[Paged, Client]:
    async def go() -> tuple[Paged, Client]:
        async with Client(transport=httpx.MockTransport(handler), max_concurrent=max_concurrent,
                          retries=0) as client:
            paged = await fetch_pages(
                client, "Get users", request or (lambda _vars: (BASE, {"Accept": "application/json"})),
                pagination, lambda r: r.json()["users"], lambda r: (r.json().get("links") or {}).get("next"),
                max_requests=max_requests,
            )
            return paged, client

    return asyncio.run(go())


def page_mode(size: int = 25, start: int = 1) -> Pagination:
    return Pagination(mode=PaginationMode.PAGE, page_param="page", page_start=start,
                      size_param="per_page", size=size)


def offset_mode(limit: int = 25, start: int = 0) -> Pagination:
    return Pagination(mode=PaginationMode.OFFSET, offset_param="offset", offset_start=start,
                      limit_param="limit", limit=limit)


NEXT = Pagination(mode=PaginationMode.NEXT_LINK, next_link_path="links.next")


def ids(paged: Paged) -> list[int]:
    return [r["id"] for r in paged.records]


@pytest.mark.parametrize(
    ("pagination", "total", "reason", "pages"),
    [
        pytest.param(page_mode(25), 110, StopReason.SHORT_PAGE, 5, id="page-short-last"),
        pytest.param(page_mode(25), 100, StopReason.EMPTY_PAGE, 5, id="page-empty-last"),
        pytest.param(page_mode(10, start=0), 35, StopReason.SHORT_PAGE, 4, id="page-start-0"),
        pytest.param(offset_mode(25), 110, StopReason.SHORT_PAGE, 5, id="offset-short-last"),
        pytest.param(offset_mode(20), 60, StopReason.EMPTY_PAGE, 4, id="offset-empty-last"),
        pytest.param(None, 25, StopReason.SINGLE_REQUEST, 1, id="disabled"),
        pytest.param(Pagination(), 25, StopReason.SINGLE_REQUEST, 1, id="disabled-model-default"),
    ],
)
def test_indexed_modes_fetch_every_record_once_in_order(pagination, total, reason, pages):
    start = getattr(pagination, "page_start", None)
    handler, _seen, _state = users_api(total, page_start=1 if start is None else start)
    paged, _ = sync(handler, pagination)
    assert paged.stop_reason is reason
    assert ids(paged) == list(range(total))
    assert paged.pages == pages
    assert paged.requests <= 100
    assert [r.exchange.step for r in paged.responses][0] == "Get users (page 1)"


def test_next_link_mode_follows_links_to_the_last_page():
    links = {0: f"{BASE}&cursor=1", 1: "/api/users?role=agent&q=a%20b&cursor=2", 2: None}
    handler, seen, _ = users_api(70, link_to=links.get)
    paged, _ = sync(handler, NEXT)
    assert paged.stop_reason is StopReason.NO_NEXT_LINK
    assert ids(paged) == list(range(70))
    assert str(seen[1].url).startswith("https://desk.test/api/users?")  # relative link resolved
    assert paged.requests == 3


def test_next_link_that_loops_stops_with_repeated_link():
    handler, _, _ = users_api(500, link_to=lambda n: f"{BASE}&cursor={n % 2 + 1}")
    paged, _ = sync(handler, NEXT)
    assert paged.stop_reason is StopReason.REPEATED_LINK
    assert ids(paged) == list(range(75))


def test_helpdesk_ignoring_page_params_stops_with_repeated_page_without_duplicates():
    handler, _, _ = users_api(500, ignore_params=True)
    paged, _ = sync(handler, page_mode(25))
    assert paged.stop_reason is StopReason.REPEATED_PAGE
    assert ids(paged) == list(range(25))
    assert "page 2 repeated page 1" in paged.detail


@pytest.mark.parametrize("pagination", [page_mode(5), offset_mode(5), NEXT])
def test_request_cap_stops_at_100_requests(pagination):
    handler, seen, _ = users_api(10_000, per_page_default=5, link_to=None if pagination is not NEXT
                                 else (lambda n: f"{BASE}&cursor={n + 1}"))
    paged, _ = sync(handler, pagination, max_concurrent=8)
    assert paged.stop_reason is StopReason.REQUEST_CAP
    assert len(seen) == paged.requests == 100
    assert ids(paged) == list(range(500))


def test_error_page_stops_keeping_earlier_pages_and_discarding_later_ones():
    handler, seen, _ = users_api(1000, fail_at=3, latency=0.001)
    paged, _ = sync(handler, page_mode(25), max_concurrent=5)
    assert paged.stop_reason is StopReason.ERROR
    assert "HTTP 500" in paged.detail and "Get users (page 4)" in paged.detail
    assert ids(paged) == list(range(75))
    assert len(paged.responses) == 4


def test_fetch_ahead_stays_within_max_concurrent_and_the_cap():
    handler, seen, state = users_api(1000, latency=0.002)
    paged, client = sync(handler, page_mode(10), max_concurrent=6)
    assert ids(paged) == list(range(1000))
    assert paged.stop_reason is StopReason.REQUEST_CAP
    assert state["peak"] == client.peak_in_flight == 6
    assert len(seen) == 100


def test_fetch_ahead_past_the_last_page_wastes_less_than_the_window():
    handler, seen, state = users_api(95, latency=0.001)
    paged, _ = sync(handler, page_mode(10), max_concurrent=4)
    assert paged.stop_reason is StopReason.SHORT_PAGE
    assert ids(paged) == list(range(95))
    assert 10 <= paged.requests <= 10 + 4 - 1
    assert state["peak"] <= 4


def test_page_parameters_reach_the_request_callback_and_the_url():
    handler, seen, _ = users_api(30)
    asked: list[dict] = []

    def request(params: dict) -> tuple[str, dict]:
        asked.append(dict(params))
        return BASE, {}

    sync(handler, page_mode(10), request=request, max_concurrent=1)
    assert asked[:2] == [{"page": "1", "per_page": "10"}, {"page": "2", "per_page": "10"}]
    assert str(seen[0].url) == BASE + "&page=1&per_page=10"


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        pytest.param("https://h/u", {"page": "1"}, "https://h/u?page=1", id="no-query"),
        pytest.param("https://h/u?a=1&b=x%2Fy", {"page": "2", "per_page": "50"},
                     "https://h/u?a=1&b=x%2Fy&page=2&per_page=50", id="keeps-encoding"),
        pytest.param("https://h/u?page=9&a=1", {"page": "2"}, "https://h/u?a=1&page=2", id="replaces"),
        pytest.param("https://h/u?a=1#frag", {"from": "0"}, "https://h/u?a=1&from=0#frag", id="fragment"),
        pytest.param("https://h/u?a=1", {}, "https://h/u?a=1", id="nothing-to-add"),
    ],
)
def test_add_query_keeps_existing_parameters(url, params, expected):
    assert add_query(url, params) == expected


def test_invalid_json_page_is_an_error_stop():
    paged, _ = sync(lambda r: httpx.Response(200, text="<html>"), page_mode(10))
    assert paged.stop_reason is StopReason.ERROR
    assert "not valid JSON" in paged.detail
    assert paged.records == []


@pytest.mark.parametrize(
    ("pagination", "field"),
    [
        pytest.param(Pagination(mode=PaginationMode.PAGE, size=10), "Page Parameter Name", id="page-no-param"),
        pytest.param(Pagination(mode=PaginationMode.OFFSET, offset_param="from"), "Limit Value",
                     id="offset-no-limit"),
        pytest.param(Pagination(mode=PaginationMode.OFFSET, limit=10), "Offset Parameter Name",
                     id="offset-no-param"),
        pytest.param(Pagination(mode=PaginationMode.PAGE, page_param="p", size=0), "Page Size Value",
                     id="zero-size"),
    ],
)
def test_incomplete_pagination_is_a_located_error(pagination, field):
    handler, seen, _ = users_api(10)
    with pytest.raises(EngineError) as err:
        sync(handler, pagination)
    assert err.value.location == Location("User Association", field)
    assert seen == []

