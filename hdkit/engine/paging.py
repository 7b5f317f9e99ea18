"""User-sync pagination: page number, offset and next link, capped at 100 requests.

Each mode is a strategy with a tiny interface. Page-number and offset modes know every
request in advance (:meth:`Indexed.params` for the k-th page), so :func:`fetch_pages` fetches
ahead concurrently, keeping up to *Max Concurrent Request* pages in flight, and still hands
records back in page order: pages are consumed strictly in order and the first page that ends
the sync (empty, short, repeated, failed) discards everything fetched after it. The
next-link mode can only go one page at a time, and so does ``sequential=True``
(:class:`SyncOptions`): the PBX-faithful mode, which sends exactly the requests the PBX would,
one after the other. The request cap is enforced once, around all modes: no more than
``max_requests`` page requests are ever sent (a retried page counts once).

A sync is honest about what it did, because a sync that silently truncates or overshoots is
the bug users of other tools cannot see:

* it says why it stopped (:class:`StopReason` plus a detail sentence) and whether that means
  the list is complete (:attr:`StopReason.complete`): a looping sync, one that hit the cap or
  one that failed is not;
* the requests sent past the page that ended it (fetched ahead, then discarded) are awaited
  and reported with their statuses (:attr:`Paged.past_end`), never dropped unseen;
* a page that failed for a passing reason (429, 5xx, a timeout, a truncated body) is retried
  within bounds (:attr:`SyncOptions.page_retries`, a ``Retry-After`` up to
  :attr:`SyncOptions.max_retry_wait`) before the sync gives up and says so;
* a watcher (the CLI's progress bar, the workbench) gets a :class:`SyncProgress` after every
  page through :attr:`SyncOptions.progress`.
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

from hdkit.engine.client import IDEMPOTENT_METHODS, Client, Outcome, Response, retry_after_seconds
from hdkit.errors import EngineError, HdkitError, Location
from hdkit.limits import MAX_SYNC_REQUESTS
from hdkit.results import Stop
from hdkit.vocabulary import USER_ASSOCIATION

__all__ = [
    "Indexed",
    "NextLink",
    "Paged",
    "StopReason",
    "SyncOptions",
    "SyncProgress",
    "add_query",
    "fetch_pages",
    "strategy_for",
]

RequestFn = Callable[[Mapping[str, Any]], "tuple[str, Mapping[str, str]]"]
ExtractFn = Callable[[Response], list[Any]]  # one item per record (a row, a mapping: the caller's choice)
NextLinkFn = Callable[[Response], "str | None"]
Sleep = Callable[[float], Awaitable[Any]]

_TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
_TRANSIENT_OUTCOMES = frozenset({Outcome.TIMEOUT, Outcome.NETWORK_ERROR, Outcome.INVALID_JSON})


class StopReason(enum.StrEnum):
    """Why a user sync stopped."""

    SINGLE_REQUEST = "single_request"  # pagination disabled: one request by design
    EMPTY_PAGE = "empty_page"
    SHORT_PAGE = "short_page"
    NO_NEXT_LINK = "no_next_link"
    NOT_FOUND = "not_found"  # a page after the first answered 404: the page before was the last
    REPEATED_PAGE = "repeated_page"
    REPEATED_LINK = "repeated_link"
    REQUEST_CAP = "request_cap"
    ERROR = "error"
    DRY_RUN = "dry_run"  # nothing was sent: only the first page can be rendered

    @property
    def complete(self) -> bool:
        """Whether stopping here means every user was fetched (a loop, the cap or a failure: no)."""
        return self in _COMPLETE


_COMPLETE = frozenset({StopReason.SINGLE_REQUEST, StopReason.EMPTY_PAGE, StopReason.SHORT_PAGE,
                       StopReason.NO_NEXT_LINK, StopReason.NOT_FOUND})


@dataclass(frozen=True)
class SyncProgress:
    """A sync as a watcher sees it, after every page (and once more when it ends).

    ``latencies_ms`` holds one figure per page consumed, in page order (a retried page: its
    last attempt); ``note`` says what the sync is waiting for, when it waits (a Retry-After).
    """

    pages: int
    records: int
    requests: int
    in_flight: int
    latencies_ms: tuple[float, ...] = ()
    retries: int = 0
    max_requests: int = MAX_SYNC_REQUESTS
    note: str = ""
    stop_reason: StopReason | None = None

    @property
    def done(self) -> bool:
        return self.stop_reason is not None


@dataclass(frozen=True)
class SyncOptions:
    """How a sync runs. The defaults are the fast mode; ``sequential=True`` is the PBX's.

    ``page_retries`` extra rounds are spent on a page that failed for a passing reason, after
    the client's own retries, waiting the helpdesk's ``Retry-After`` (up to
    ``max_retry_wait`` seconds) or a doubling pause; ``sleep`` is the waiting seam (tests
    pass one that returns at once). Only idempotent requests are retried. ``progress`` is
    called on the thread running the sync's event loop (a worker thread under Jupyter).
    """

    sequential: bool = False
    progress: Callable[[SyncProgress], None] | None = None
    page_retries: int = 2
    max_retry_wait: float = 60.0
    sleep: Sleep | None = None


@dataclass(frozen=True)
class Paged:
    """The outcome of a sync: records in page order, the pages used, and why it stopped.

    ``responses`` holds the pages consumed, in order (the stopping page last); ``requests``
    counts every page request sent, including pages fetched ahead and then discarded, which
    ``past_end`` holds (in page order, each with its status); ``retries`` counts the extra
    attempts spent on pages that failed for a passing reason.
    """

    records: list[Any]
    responses: list[Response]
    stop_reason: StopReason
    detail: str
    requests: int
    pages: int = field(default=0)
    past_end: tuple[Response, ...] = ()
    retries: int = 0
    latencies_ms: tuple[float, ...] = ()
    data_pages: int = 0  # pages consumed that held at least one record
    page_records: tuple[int, ...] = ()  # records of each page consumed, in page order

    @property
    def complete(self) -> bool:
        return self.stop_reason.complete

    def stop(self, step: str) -> Stop:
        """The result-side record of this sync (:class:`hdkit.results.Stop`)."""
        last = self.responses[-1].exchange if self.responses else None
        return Stop(step, str(self.stop_reason), self.requests, len(self.records), self.detail, self.pages,
                    last, data_pages=self.data_pages, complete=self.complete,
                    past_end=tuple(r.exchange for r in self.past_end), retries=self.retries,
                    latencies_ms=self.latencies_ms, page_records=self.page_records)


class Indexed(Protocol):
    """A mode whose k-th request is known in advance (page number, offset, disabled)."""

    @property
    def page_size(self) -> int | None: ...

    def params(self, k: int) -> dict[str, str]:
        """Query parameters of the k-th request (k = 0, 1, ...)."""
        ...


@dataclass(frozen=True)
class _Single:
    page_size: int | None = None
    why: str = "pagination is disabled"  # or names the mode hdkit does not know, so a report never hides it

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
    if mode == "DISABLED":
        return _Single()
    mode_text = str(getattr(pagination, "mode", pagination))
    return _Single(why=f"pagination mode {mode_text!r} is not one hdkit knows")


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
    options: SyncOptions | None = None,
) -> Paged:
    """Fetch every page of a user sync (see the module docstring for the rules).

    ``request(vars)`` renders the Get User request and returns ``(url, headers)``; ``vars``
    holds the page's parameters (empty for the first next-link page). ``extract`` maps a
    page to its records; ``next_link`` finds the next page's URL in a response. A dry run
    renders the first page only: the next ones depend on the helpdesk's answers.
    """
    options = options or SyncOptions()
    max_requests = max(1, min(max_requests, MAX_SYNC_REQUESTS))
    strategy = strategy_for(pagination)
    run = _Run(client, step, method.upper(), body, auth, options, extract, max_requests,
               getattr(strategy, "page_size", None))
    if isinstance(strategy, NextLink):
        return await _follow_links(run, request, strategy, next_link)
    single = isinstance(strategy, _Single) or client.dry_run
    window = 1 if single or options.sequential else max(1, max_concurrent or client.max_concurrent)
    return await _fetch_indexed(run, request, strategy, 1 if single else max_requests, window, single)


class _Stop(Exception):
    def __init__(self, reason: StopReason, detail: str) -> None:
        self.reason, self.detail = reason, detail


class _Run:
    """One sync's state: what was sent, what was consumed, and the stop rules of every mode."""

    def __init__(self, client: Client, step: str, method: str, body: str | None, auth: httpx.Auth | None,
                 options: SyncOptions, extract: ExtractFn, max_requests: int, page_size: int | None) -> None:
        self.client, self.step, self.method, self.body, self.auth = client, step, method, body, auth
        self.options = options
        self.extract = extract
        self.max_requests = max_requests
        self.page_size = page_size
        self.sleep: Sleep = options.sleep or asyncio.sleep
        self.sent = 0
        self.home: str | None = None  # the first page's URL: credentials go to its host only
        self.in_flight = 0
        self.retries = 0
        self.records: list[Any] = []
        self.responses: list[Response] = []
        self.latencies: list[float] = []
        self.page_records: list[int] = []
        self.data_pages = 0
        self.page_retries = 0  # extra attempts of the page being consumed
        self.refusal = ""  # why that page was not retried, when a retry was refused
        self._seen: dict[str, int] = {}

    # -- sending ---------------------------------------------------------------------------

    def launch(self, url: str, headers: Mapping[str, str]) -> asyncio.Task[Response]:
        """Send the next page's request (counted against the cap now, answered later)."""
        self.sent += 1
        self.home = self.home or url
        return asyncio.ensure_future(self._send(url, headers, self.sent))

    async def _send(self, url: str, headers: Mapping[str, str], page: int) -> Response:
        self.in_flight += 1
        try:
            return await self.client.send(f"{self.step} (page {page})", self.method, url, headers=headers,
                                          body=self.body, auth=self.auth, home=self.home)
        finally:
            self.in_flight -= 1

    async def settle(self, response: Response, url: str, headers: Mapping[str, str], page: int) -> Response:
        """``response``, or the answer of a bounded retry when it failed for a passing reason."""
        self.page_retries, self.refusal = 0, ""
        for attempt in range(self.options.page_retries):
            wait = self._retry_wait(response, attempt)
            if wait is None:
                return response
            self.report(note=f"page {page} answered {_said(response)}; retrying in {wait:g} s")
            await self.sleep(wait)
            self.retries += 1
            self.page_retries += 1
            response = await self._send(url, headers, page)
        return response

    def _retry_wait(self, response: Response, attempt: int) -> float | None:
        """Seconds to wait before retrying a failed page; ``None``: do not retry it."""
        outcome, status = response.exchange.outcome, response.exchange.status
        transient = outcome in _TRANSIENT_OUTCOMES or (
            outcome is Outcome.HTTP_ERROR and status in _TRANSIENT_STATUSES)
        if not transient or self.method not in IDEMPOTENT_METHODS:
            return None
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None and asked > self.options.max_retry_wait:
            self.refusal = (f"; not retried: its Retry-After of {asked:g} s is longer than the "
                            f"{self.options.max_retry_wait:g} s a sync waits")
            return None
        if asked is not None:
            return asked
        return min(2.0 ** attempt, self.options.max_retry_wait)

    # -- consuming -------------------------------------------------------------------------

    def take(self, response: Response) -> None:
        """Consume the next page in order; raise :class:`_Stop` when it ends the sync."""
        number = len(self.responses) + 1
        self.responses.append(response)
        self.latencies.append(response.exchange.elapsed_ms)
        self.page_records.append(0)
        if self.client.dry_run:
            raise _Stop(StopReason.DRY_RUN, "nothing was sent; page 1 is rendered, the next pages depend on "
                                            "the helpdesk's answers")
        if response.exchange.status == 404 and number > 1:
            raise _Stop(StopReason.NOT_FOUND, f"page {number} answered HTTP 404: the page before was the last")
        if not response.ok:
            detail = response.exchange.error or f"page {number} failed"
            raise _Stop(StopReason.ERROR, detail + self._retried_note())
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
        self.page_records[-1] = len(records)
        self.data_pages += 1
        if self.page_size and len(records) < self.page_size:
            raise _Stop(StopReason.SHORT_PAGE,
                        f"page {number} had {len(records)} of {self.page_size} records: the last page")
        self.report()

    def _retried_note(self) -> str:
        if self.page_retries:
            return f" (still failing after {self.page_retries} more attempt(s) of the page)"
        return self.refusal

    async def finish(self, stop: _Stop, later: list[asyncio.Task[Response]]) -> Paged:
        """The result, once the requests sent past the stopping page have answered.

        They are already on the wire (the window is the concurrency limit), so waiting for
        them costs at most one page's latency and lets the report say what they got.
        """
        answered = await asyncio.gather(*later, return_exceptions=True) if later else []
        past_end = tuple(r for r in answered if isinstance(r, Response))
        paged = Paged(self.records, self.responses, stop.reason, stop.detail, self.sent, len(self.responses),
                      past_end, self.retries, tuple(self.latencies), self.data_pages, tuple(self.page_records))
        self.report(stop=stop.reason)
        return paged

    def report(self, *, note: str = "", stop: StopReason | None = None) -> None:
        if self.options.progress is None:
            return
        self.options.progress(SyncProgress(
            pages=len(self.responses), records=len(self.records), requests=self.sent,
            in_flight=self.in_flight, latencies_ms=tuple(self.latencies), retries=self.retries,
            max_requests=self.max_requests, note=note, stop_reason=stop,
        ))


async def _fetch_indexed(run: _Run, request: RequestFn, strategy: Indexed, max_requests: int,
                         window: int, single: bool) -> Paged:
    planned: dict[int, tuple[str, Mapping[str, str]]] = {}
    tasks: dict[int, asyncio.Task[Response]] = {}

    def launch(k: int) -> None:
        params = strategy.params(k)
        url, headers = request(params)
        planned[k] = (add_query(url, params), headers)
        tasks[k] = run.launch(*planned[k])

    try:
        run.report()
        for k in range(max_requests):
            # Slide the window: at most `window` pages past the one being consumed, so at
            # most window - 1 requests are sent past the last page (and reported).
            while run.sent < min(max_requests, k + window):
                launch(run.sent)
            response = await run.settle(await tasks[k], *planned[k], k + 1)
            try:
                run.take(response)
            except _Stop as stop:
                return await run.finish(stop, [tasks[j] for j in range(k + 1, run.sent)])
            if single:
                why = strategy.why if isinstance(strategy, _Single) else "pagination is disabled"
                return await run.finish(_Stop(StopReason.SINGLE_REQUEST, f"{why}: one request"), [])
        return await run.finish(_Stop(StopReason.REQUEST_CAP,
                                      f"the {max_requests}-request cap was reached; more users may exist"), [])
    finally:
        await _cancel(tasks.values())


async def _follow_links(run: _Run, request: RequestFn, strategy: NextLink, next_link: NextLinkFn) -> Paged:
    url, headers = request({})
    seen = {url}
    run.report()
    while True:
        response = await run.settle(await run.launch(url, headers), url, headers, run.sent)
        try:
            run.take(response)
        except _Stop as stop:
            return await run.finish(stop, [])
        try:
            link = next_link(response)
        except HdkitError as exc:
            return await run.finish(_Stop(StopReason.ERROR, f"page {run.sent}: next link: {exc}"), [])
        nxt = strategy.next_url(url, link)
        if nxt is None:
            return await run.finish(_Stop(StopReason.NO_NEXT_LINK,
                                          f"page {run.sent} has no next link: the last page"), [])
        if nxt in seen:
            return await run.finish(_Stop(StopReason.REPEATED_LINK,
                                          f"page {run.sent} links back to a page already fetched"), [])
        if run.sent >= run.max_requests:
            return await run.finish(_Stop(StopReason.REQUEST_CAP, f"the {run.max_requests}-request cap was "
                                                                  "reached; more users may exist"), [])
        seen.add(nxt)
        url = nxt


async def _cancel(tasks: Any) -> None:
    pending = [t for t in tasks if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)


def _said(response: Response) -> str:
    e = response.exchange
    return f"HTTP {e.status}" if e.status and e.status >= 400 else str(e.outcome).replace("_", " ")


def _mode_name(pagination: Any) -> str:
    if pagination is None:
        return "DISABLED"
    mode = getattr(pagination, "mode", pagination)
    return str(getattr(mode, "name", mode)).upper()


def _require(value: Any, field: str, mode: str) -> None:
    if not value:
        raise EngineError(f"{mode} needs a {field}", Location(USER_ASSOCIATION, field))


def _size(value: Any, field: str) -> int | None:
    size = None if value is None or value == "" else int(value)
    if size is not None and size < 1:
        raise EngineError(f"{field} must be at least 1, got {size}", Location(USER_ASSOCIATION, field))
    return size


def _int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    return int(value)
