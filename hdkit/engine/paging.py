"""User-sync pagination: page number, offset and next link, capped at 100 requests.

Each mode is a strategy with a tiny interface. Page-number and offset modes know every
request in advance (:meth:`Indexed.params` for the k-th page), so :func:`fetch_pages` fetches
ahead concurrently, keeping up to *Max Concurrent Request* pages in flight, and still hands
records back in page order: pages are consumed strictly in order and the first page that ends
the sync (empty, short, repeated, failed) discards everything fetched after it. The
next-link mode can only go one page at a time. The request cap is enforced once, around all
modes: no more than ``max_requests`` requests are ever sent.

Every sync says why it stopped (:class:`StopReason` plus a detail sentence), because a sync
that silently truncates is the bug users of other tools cannot see.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

import httpx

from hdkit.engine.client import Client, Response
from hdkit.errors import EngineError, HdkitError, Location

try:
    from hdkit.limits import MAX_SYNC_REQUESTS
except ImportError:  # pragma: no cover - limits lands separately
    MAX_SYNC_REQUESTS = 100

USER_ASSOCIATION = "User Association"

__all__ = [
    "Indexed",
    "NextLink",
    "Paged",
    "StopReason",
    "add_query",
    "fetch_pages",
    "strategy_for",
]

RequestFn = Callable[[Mapping[str, Any]], "tuple[str, Mapping[str, str]]"]
ExtractFn = Callable[[Response], list[dict]]
NextLinkFn = Callable[[Response], "str | None"]


class StopReason(enum.StrEnum):
    """Why a user sync stopped."""

    SINGLE_REQUEST = "single_request"  # pagination disabled: one request by design
    EMPTY_PAGE = "empty_page"
    SHORT_PAGE = "short_page"
    NO_NEXT_LINK = "no_next_link"
    REPEATED_PAGE = "repeated_page"
    REPEATED_LINK = "repeated_link"
    REQUEST_CAP = "request_cap"
    ERROR = "error"


@dataclass(frozen=True)
class Paged:
    """The outcome of a sync: records in page order, the pages used, and why it stopped.

    ``responses`` holds the pages consumed, in order (the stopping page last); ``requests``
    counts every request sent, including pages fetched ahead and then discarded.
    """

    records: list[dict]
    responses: list[Response]
    stop_reason: StopReason
    detail: str
    requests: int
    pages: int = field(default=0)


class Indexed(Protocol):
    """A mode whose k-th request is known in advance (page number, offset, disabled)."""

    page_size: int | None

    def params(self, k: int) -> dict[str, str]:
        """Query parameters of the k-th request (k = 0, 1, ...)."""
        ...


@dataclass(frozen=True)
class _Single:
    page_size: int | None = None

    def params(self, k: int) -> dict[str, str]:
        return {}


@dataclass(frozen=True)
class _PageNumber:
    page_param: str
    start: int
    size_param: str
    page_size: int | None

    def params(self, k: int) -> dict[str, str]:
        out = {self.page_param: str(self.start + k)}
        if self.size_param and self.page_size:
            out[self.size_param] = str(self.page_size)
        return out


@dataclass(frozen=True)
class _Offset:
    offset_param: str
    start: int
    limit_param: str
    page_size: int | None

    def params(self, k: int) -> dict[str, str]:
        out = {self.offset_param: str(self.start + k * (self.page_size or 0))}
        if self.limit_param and self.page_size:
            out[self.limit_param] = str(self.page_size)
        return out


@dataclass(frozen=True)
class NextLink:
    """Follow the URL found in each response; a relative link resolves against the page URL."""

    def next_url(self, current_url: str, link: str | None) -> str | None:
        link = (link or "").strip()
        return urljoin(current_url, link) if link else None


def strategy_for(pagination: Any) -> Indexed | NextLink:
    """The strategy for a template's ``Pagination`` (``None`` means disabled)."""
    mode = _mode_name(pagination)
    if mode == "PAGE":
        _require(pagination.page_param, "Page Parameter Name", "page number pagination")
        return _PageNumber(pagination.page_param, _int(pagination.page_start, 1),
                           pagination.size_param or "", _size(pagination.size, "Page Size Value"))
    if mode == "OFFSET":
        _require(pagination.offset_param, "Offset Parameter Name", "offset pagination")
        limit = _size(pagination.limit, "Limit Value")
        _require(limit, "Limit Value", "offset pagination (the offset grows by it)")
        return _Offset(pagination.offset_param, _int(pagination.offset_start, 0),
                       pagination.limit_param or "", limit)
    if mode == "NEXT_LINK":
        return NextLink()
    return _Single()


def add_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` added, keeping every other query parameter byte for byte.

    A parameter already in the URL under one of ``params``' names is replaced.
    """
    if not params:
        return url
    parts = urlsplit(url)
    kept = [seg for seg in parts.query.split("&")
            if seg and unquote_plus(seg.partition("=")[0]) not in params]
    added = [f"{quote(k, safe='')}={quote(str(v), safe='')}" for k, v in params.items()]
    return urlunsplit(parts._replace(query="&".join(kept + added)))


async def fetch_pages(
    client: Client,
    step: str,
    request: RequestFn,
    pagination: Any,
    extract: ExtractFn,
    next_link: NextLinkFn,
    *,
    max_requests: int = MAX_SYNC_REQUESTS,
    max_concurrent: int | None = None,
    method: str = "GET",
    body: str | None = None,
    auth: httpx.Auth | None = None,
) -> Paged:
    """Fetch every page of a user sync (see the module docstring for the rules).

    ``request(vars)`` renders the Get User request and returns ``(url, headers)``; ``vars``
    holds the page's parameters (empty for the first next-link page). ``extract`` maps a
    page to its records; ``next_link`` finds the next page's URL in a response.
    """
    max_requests = max(1, min(max_requests, MAX_SYNC_REQUESTS))
    strategy = strategy_for(pagination)
    send = _Sender(client, step, method, body, auth)
    if isinstance(strategy, NextLink):
        return await _follow_links(send, request, strategy, extract, next_link, max_requests)
    window = max(1, max_concurrent or client.max_concurrent)
    single = isinstance(strategy, _Single)
    return await _fetch_indexed(send, request, strategy, extract,
                                1 if single else max_requests, 1 if single else window, single)


@dataclass
class _Sender:
    client: Client
    step: str
    method: str
    body: str | None
    auth: httpx.Auth | None
    sent: int = 0
    home: str | None = None  # the first page's URL: credentials go to its host only

    def __call__(self, url: str, headers: Mapping[str, str], page: int) -> Awaitable[Response]:
        self.sent += 1
        self.home = self.home or url
        return self.client.send(f"{self.step} (page {page})", self.method, url, headers=headers,
                                body=self.body, auth=self.auth, home=self.home)


class _Stop(Exception):
    def __init__(self, reason: StopReason, detail: str) -> None:
        self.reason, self.detail = reason, detail


class _Pages:
    """Consumes pages in order, applying the stop rules shared by every mode."""

    def __init__(self, extract: ExtractFn, page_size: int | None) -> None:
        self.extract = extract
        self.page_size = page_size
        self.records: list[dict] = []
        self.responses: list[Response] = []
        self._seen: dict[str, int] = {}

    def take(self, response: Response) -> list[dict]:
        number = len(self.responses) + 1
        self.responses.append(response)
        if not response.ok:
            raise _Stop(StopReason.ERROR, response.exchange.error or f"page {number} failed")
        try:
            records = list(self.extract(response))
        except HdkitError as exc:
            raise _Stop(StopReason.ERROR, f"page {number}: {exc}") from exc
        if not records:
            raise _Stop(StopReason.EMPTY_PAGE, f"page {number} was empty")
        digest = hashlib.sha256((response.text or "").encode()).hexdigest()
        if digest in self._seen:
            raise _Stop(StopReason.REPEATED_PAGE,
                        f"page {number} repeated page {self._seen[digest]}; the helpdesk "
                        "probably ignores the pagination parameters")
        self._seen[digest] = number
        self.records.extend(records)
        if self.page_size and len(records) < self.page_size:
            raise _Stop(StopReason.SHORT_PAGE,
                        f"page {number} had {len(records)} of {self.page_size} records: the last page")
        return records

    def result(self, reason: StopReason, detail: str, requests: int) -> Paged:
        return Paged(self.records, self.responses, reason, detail, requests, len(self.responses))


async def _fetch_indexed(send: _Sender, request: RequestFn, strategy: Indexed, extract: ExtractFn,
                         max_requests: int, window: int, single: bool) -> Paged:
    pages = _Pages(extract, strategy.page_size)
    tasks: dict[int, asyncio.Task[Response]] = {}

    def launch(k: int) -> None:
        params = strategy.params(k)
        url, headers = request(params)
        tasks[k] = asyncio.ensure_future(send(add_query(url, params), headers, k + 1))

    try:
        for k in range(max_requests):
            # Slide the window: at most `window` pages past the one being consumed, so at
            # most window - 1 requests are wasted past the last page.
            while send.sent < min(max_requests, k + window):
                launch(send.sent)
            try:
                pages.take(await tasks[k])
            except _Stop as stop:
                return pages.result(stop.reason, stop.detail, send.sent)
            if single:
                return pages.result(StopReason.SINGLE_REQUEST,
                                    "pagination is disabled: one request", send.sent)
        return pages.result(StopReason.REQUEST_CAP,
                            f"stopped at the {max_requests}-request cap; more users may exist",
                            send.sent)
    finally:
        await _cancel(tasks.values())


async def _follow_links(send: _Sender, request: RequestFn, strategy: NextLink, extract: ExtractFn,
                        next_link: NextLinkFn, max_requests: int) -> Paged:
    pages = _Pages(extract, None)
    url, headers = request({})
    seen = {url}
    while True:
        response = await send(url, headers, send.sent + 1)
        try:
            pages.take(response)
        except _Stop as stop:
            return pages.result(stop.reason, stop.detail, send.sent)
        try:
            link = next_link(response)
        except HdkitError as exc:
            return pages.result(StopReason.ERROR, f"page {send.sent}: next link: {exc}", send.sent)
        nxt = strategy.next_url(url, link)
        if nxt is None:
            return pages.result(StopReason.NO_NEXT_LINK,
                                f"page {send.sent} has no next link: the last page", send.sent)
        if nxt in seen:
            return pages.result(StopReason.REPEATED_LINK,
                                f"page {send.sent} links back to a page already fetched",
                                send.sent)
        if send.sent >= max_requests:
            return pages.result(StopReason.REQUEST_CAP,
                                f"stopped at the {max_requests}-request cap; more users may exist",
                                send.sent)
        seen.add(nxt)
        url = nxt


async def _cancel(tasks: Any) -> None:
    pending = [t for t in tasks if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)


def _mode_name(pagination: Any) -> str:
    if pagination is None:
        return "DISABLED"
    mode = getattr(pagination, "mode", pagination)
    return str(getattr(mode, "name", mode)).upper()


def _require(value: Any, field: str, mode: str) -> None:
    if not value:
        raise EngineError(f"{mode} needs a {field}", Location(USER_ASSOCIATION, field))


def _size(value: Any, field: str) -> int | None:
    size = _int(value, None)
    if size is not None and size < 1:
        raise EngineError(f"{field} must be at least 1, got {size}", Location(USER_ASSOCIATION, field))
    return size


def _int(value: Any, default: int | None) -> int | None:
    if value is None or value == "":
        return default
    return int(value)
