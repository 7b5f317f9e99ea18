"""An honest sync: what was sent past the last page, the PBX-faithful sequential mode, bounded
retries of a failing page, progress after every page, and the summary in words."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from hdkit.engine.client import Client
from hdkit.engine.paging import Paged, StopReason, SyncOptions, SyncProgress, fetch_pages
from hdkit.model import Pagination, PaginationMode, Unrecognized
from hdkit.results import UsersResult

URL = "https://desk.test/api/users"


def page_mode(size: int) -> Pagination:
    return Pagination(mode=PaginationMode.PAGE, page_param="page", page_start=1, size_param="per_page", size=size)


def desk(total: int, *, past_end: int = 200, faults: dict[int, list[httpx.Response]] | None = None):
    """Users ``page``/``per_page``; past the last page it answers ``past_end`` (200 with [] or 404).

    ``faults[page]`` lists answers served (in order) before that page answers normally.
    """
    seen: list[int] = []
    state = {"now": 0, "peak": 0}
    faults = {k: list(v) for k, v in (faults or {}).items()}

    async def handler(request: httpx.Request) -> httpx.Response:
        page, size = int(request.url.params["page"]), int(request.url.params["per_page"])
        seen.append(page)
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        await asyncio.sleep(0.001)
        state["now"] -= 1
        if faults.get(page):
            return faults[page].pop(0)
        users = [{"id": i} for i in range((page - 1) * size, min(page * size, total))]
        if not users and past_end == 404:
            return httpx.Response(404, json={"error": "RecordNotFound"})
        return httpx.Response(200, json={"users": users})

    return handler, seen, state


async def no_wait(_seconds: float) -> None:
    return None


def sync(handler, pagination: Pagination, *, max_concurrent: int = 4, method: str = "GET", dry_run: bool = False,
         **options) -> Paged:
    options.setdefault("sleep", no_wait)

    async def go() -> Paged:
        async with Client(transport=httpx.MockTransport(handler), max_concurrent=max_concurrent, retries=3,
                          sleep=no_wait, dry_run=dry_run) as client:
            return await fetch_pages(client, "GetUsers", lambda _v: (URL, {}), pagination,
                                     lambda r: r.json()["users"], lambda r: None, method=method,
                                     options=SyncOptions(**options))

    return asyncio.run(go())


def summary(paged: Paged) -> str:
    ids = [str(r["id"]) for r in paged.records]
    return UsersResult({"UserUniqueId": ids}, (), paged.stop("GetUsers")).summary()


# --------------------------------------------------------------------------- past the last page


def test_requests_past_the_last_page_are_reported_with_their_statuses():
    """Issue 8 item 7: 6 requests for 3 pages, the extra 3 answered 404, and the report says so."""
    handler, seen, _ = desk(55, past_end=404)
    paged = sync(handler, page_mode(20), max_concurrent=4)
    assert paged.stop_reason is StopReason.SHORT_PAGE and paged.complete
    assert sorted(seen) == [1, 2, 3, 4, 5, 6] and paged.requests == 6
    assert (paged.pages, paged.data_pages, len(paged.records)) == (3, 3, 55)
    assert [r.exchange.step for r in paged.past_end] == ["GetUsers (page 4)", "GetUsers (page 5)", "GetUsers (page 6)"]
    assert [r.exchange.status for r in paged.past_end] == [404, 404, 404]
    assert summary(paged) == ("55 users from 3 pages of data in 6 requests; no duplicates; stopped: page 3 had 15 of "
                              "20 records: the last page; 3 requests past the last page (3 x HTTP 404)")


def test_a_404_after_a_full_last_page_ends_the_sync_as_complete():
    handler, _, _ = desk(60, past_end=404)
    paged = sync(handler, page_mode(20), max_concurrent=1)
    assert paged.stop_reason is StopReason.NOT_FOUND and paged.complete
    assert paged.detail == "page 4 answered HTTP 404: the page before was the last"
    assert len(paged.records) == 60 and paged.data_pages == 3 and paged.past_end == ()
    assert "; 1 request past the last page (1 x HTTP 404)" in summary(paged)


def test_a_404_on_the_first_page_is_a_failure_not_the_end():
    handler, _, _ = desk(0, past_end=404)
    paged = sync(handler, page_mode(20))
    assert paged.stop_reason is StopReason.ERROR and not paged.complete
    assert summary(paged).startswith("incomplete sync: 0 users from 0 pages of data in 4 requests; no duplicates; "
                                     "stopped: GetUsers (page 1): the helpdesk answered HTTP 404")
    assert summary(paged).endswith("3 requests sent after that page and discarded (3 x HTTP 404)")


@pytest.mark.parametrize(("total", "requests"), [(55, 3), (60, 4)])
def test_sequential_sends_exactly_the_pages_the_pbx_would_one_at_a_time(total, requests):
    handler, seen, state = desk(total, past_end=404)
    paged = sync(handler, page_mode(20), max_concurrent=8, sequential=True)
    assert seen == list(range(1, requests + 1)) and paged.requests == requests
    assert state["peak"] == 1 and paged.past_end == () and len(paged.records) == total


def test_a_dry_run_renders_the_first_page_only():
    handler, seen, _ = desk(100)
    paged = sync(handler, page_mode(20), max_concurrent=8, dry_run=True)
    assert seen == [] and paged.requests == 1 and paged.stop_reason is StopReason.DRY_RUN
    assert [r.exchange.url for r in paged.responses] == [URL + "?page=1&per_page=20"]


# --------------------------------------------------------------------------- retries within bounds


def answers(*statuses: int, retry_after: str | None = None) -> list[httpx.Response]:
    headers = {"Retry-After": retry_after} if retry_after else {}
    return [httpx.Response(s, json={"error": "busy"}, headers=headers) for s in statuses]


def recorder() -> tuple[list[float], Callable]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return waits, sleep


@pytest.mark.parametrize(
    ("fault", "waits"),
    [
        pytest.param(answers(429, 429, 429, 429, retry_after="1"), [1.0], id="four-429s-in-a-row"),
        pytest.param(answers(503, 503, 503, 503), [1.0], id="four-503s"),
        pytest.param(answers(429, retry_after="30"), [30.0], id="retry-after-over-8s"),
        pytest.param([httpx.Response(200, text='{"users": [{"id": 2')], [1.0], id="truncated-page"),
        pytest.param(answers(500, 500, 500, 500, 500, 500, 500, 500), [1.0, 2.0], id="two-rounds"),
    ],
)
def test_a_page_failing_for_a_passing_reason_is_retried_within_bounds(fault, waits):
    handler, _, _ = desk(60, faults={2: fault})
    waited, sleep = recorder()
    paged = sync(handler, page_mode(20), max_concurrent=1, sleep=sleep)
    assert paged.stop_reason is StopReason.EMPTY_PAGE and paged.complete
    assert [r["id"] for r in paged.records] == list(range(60))  # nothing lost, nothing twice
    assert waited == waits and paged.retries == len(waits)
    assert f"{len(waits)} page retr" in summary(paged)


def test_a_page_that_keeps_failing_ends_the_sync_saying_how_hard_it_tried():
    handler, _, _ = desk(60, faults={2: answers(*[503] * 12)})
    paged = sync(handler, page_mode(20), max_concurrent=1)
    assert paged.stop_reason is StopReason.ERROR and not paged.complete and paged.retries == 2
    assert paged.detail.endswith("(still failing after 2 more attempt(s) of the page)")
    assert summary(paged).startswith("incomplete sync: 20 users from 1 page of data in 2 requests")


def test_a_retry_after_longer_than_a_sync_waits_is_reported_not_waited():
    handler, _, _ = desk(60, faults={2: answers(429, retry_after="120")})
    waited, sleep = recorder()
    paged = sync(handler, page_mode(20), max_concurrent=1, sleep=sleep, max_retry_wait=60)
    assert waited == [] and paged.stop_reason is StopReason.ERROR
    assert paged.detail.endswith("not retried: its Retry-After of 120 s is longer than the 60 s a sync waits")


def test_a_post_page_is_never_sent_twice():
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        return httpx.Response(503, json={"error": "busy"})

    paged = sync(handler, page_mode(20), max_concurrent=1, method="POST")
    assert sent == ["POST"] and paged.retries == 0 and paged.stop_reason is StopReason.ERROR


# --------------------------------------------------------------------------- progress


def test_progress_after_every_page_then_once_when_done():
    handler, _, _ = desk(95, past_end=404)
    seen: list[SyncProgress] = []
    paged = sync(handler, page_mode(20), max_concurrent=3, progress=seen.append)
    assert [p.pages for p in seen] == [0, 1, 2, 3, 4, 5]  # the short last page ends it: reported as done
    assert [p.records for p in seen][-1] == 95 and seen[-1].done and seen[-1].stop_reason is StopReason.SHORT_PAGE
    assert not any(p.done for p in seen[:-1])
    assert len(seen[-1].latencies_ms) == 5 and all(ms >= 0 for ms in seen[-1].latencies_ms)
    assert all(0 <= p.in_flight <= 3 for p in seen) and seen[-1].requests == paged.requests
    assert max(p.requests for p in seen) <= 7 and seen[0].max_requests == 100


def test_progress_says_what_a_retry_waits_for():
    handler, _, _ = desk(40, faults={1: answers(429, retry_after="20")})
    seen: list[SyncProgress] = []
    sync(handler, page_mode(20), max_concurrent=1, progress=seen.append)
    assert [p.note for p in seen if p.note] == ["page 1 answered HTTP 429; retrying in 20 s"]


def test_duplicates_are_counted_in_the_summary():
    paged = Paged([{"id": 1}, {"id": 2}, {"id": 1}], [], StopReason.SHORT_PAGE, "page 1 had 3 of 5 records", 1, 1,
                  data_pages=1)
    assert summary(paged) == ("3 users from 1 page of data in 1 request; 1 duplicate user id; "
                              "stopped: page 1 had 3 of 5 records")


@pytest.mark.parametrize(("mode", "said"), [
    (PaginationMode.DISABLED, "pagination is disabled: one request"),
    (Unrecognized("cursor"), "pagination mode 'cursor' is not one hdkit knows: one request"),
])
def test_one_request_and_the_report_says_why(mode, said):
    """A pagination mode read from a file but unknown to hdkit is run as one request, and the
    report names the mode instead of calling pagination disabled (issue 8 item 4)."""
    seen: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"users": [{"id": 1}, {"id": 2}]})

    paged = sync(handler, Pagination(mode=mode))
    assert seen == [URL] and paged.stop_reason is StopReason.SINGLE_REQUEST and paged.complete
    assert paged.detail == said
    assert summary(paged) == f"2 users from 1 page of data in 1 request; no duplicates; stopped: {said}"
