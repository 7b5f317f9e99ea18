"""The one HTTP client of a run: concurrency cap, limits, retries, and a redacted log.

Every request a run makes (scenario requests, follow-ups, token requests) goes through one
:class:`Client`, so the template's *Max Concurrent Request* is enforced in exactly one place:
the run's :class:`~hdkit.engine.transport.GuardedTransport`, around every request that reaches
the wire (auth requests made by httpx auth flows or by authlib included). ``peak_in_flight``
reports the highest concurrency actually reached. The same transport bounds each attempt in
time (``timeout``: connect to last byte) and each body in size (``max_response_bytes``,
decoded, 10 MB by default).

A helpdesk answering 4xx/5xx, timing out, refusing the connection, failing TLS, sending a
body that is not JSON, or one hdkit refuses (over the size cap, nested too deeply to decode)
is a *recorded outcome*, never an exception: :meth:`Client.send` returns a :class:`Response`
whose :class:`Exchange` says what was sent, what came back and, in ``error``, a message that
names the step and the cause. Exchanges are redacted when they are made (URL, headers, bodies,
error text), and again when a secret becomes known later in the run (:meth:`Client.add_secret`),
so nothing downstream can leak a secret by accident; the raw body is kept separately on
:class:`Response` for extraction only.

**Never sent twice.** Retries follow HTTP semantics: idempotent methods are retried on 429
(honouring ``Retry-After``), on 5xx and on transport failures (not on an answer that was still
arriving when the timeout ran out: it would drip again), with bounded exponential backoff. POST and PATCH are retried only when the request surely never reached the server
(the connection could not be made). An auth flow re-sends a request after refreshing its
token only by :func:`resend_after_refresh`: never after a 2xx/3xx answer (whatever its body
says), and a POST/PATCH only after an answer that proves it was not processed (401, or a 4xx
carrying the token-invalid marker).

**Credentials stay home.** Credentials belong to the origin (scheme, host, port) of the URL
the template rendered for a request. A redirect, or a next link (``home=``), to another origin
is followed without them: ``Authorization``, ``Cookie``, every secret-named header, every
header or query value holding a known secret are dropped, and the exchange says so. A
redirect that would carry a body holding a known secret there (307, 308) is not followed.
"""

from __future__ import annotations

import asyncio
import bisect
import contextvars
import email.utils
import enum
import functools
import json
import shlex
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any

import httpx

from hdkit.display import printable
from hdkit.engine.logs import redact_logs
from hdkit.engine.transport import (
    ACCEPT_ENCODING,
    MAX_RESPONSE_BYTES,
    GuardedTransport,
    Refused,
    RequestTimeout,
    lent,
)
from hdkit.errors import HdkitError
from hdkit.secrets import MASK, Redactor, is_secret_name

__all__ = [
    "IDEMPOTENT_METHODS",
    "MAX_RESPONSE_BYTES",
    "Client",
    "Exchange",
    "Outcome",
    "Response",
    "redact_exchange",
    "resend_after_refresh",
    "token_rejected",
]

# The place in the send order of the request being sent (each send runs in its own context).
_SLOT: contextvars.ContextVar[float | None] = contextvars.ContextVar("hdkit_send_slot", default=None)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CURL_SETS_ITSELF = frozenset({"host", "content-length", "connection", "accept-encoding"})
_EXCERPT_CHARS = 200  # of an error answer's body, quoted in the exchange's error
_HOME = "hdkit.home"  # request extension: the origin a request's credentials belong to
_DROPPED = "hdkit.dropped"  # request extension: the credentials held back from another origin
_TOO_DEEP = "it nests too deeply to decode (hundreds of levels of arrays or objects)"

Sleep = Callable[[float], Awaitable[Any]]


class Outcome(enum.StrEnum):
    """What became of one request. A str, so it compares equal to its value ("ok")."""

    OK = "ok"
    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    NETWORK_ERROR = "network_error"
    TLS_ERROR = "tls_error"
    INVALID_URL = "invalid_url"
    INVALID_JSON = "invalid_json"
    REFUSED = "refused"  # hdkit refused the answer: over the size cap, nested too deeply
    AUTH_ERROR = "auth_error"
    SKIPPED = "skipped"
    DRY_RUN = "dry_run"


@dataclass(frozen=True)
class Exchange:
    """One request and what came of it, already redacted; safe to show, log or export."""

    step: str
    method: str
    url: str
    request_headers: Mapping[str, str]
    request_body: str | None
    status: int | None
    response_headers: Mapping[str, str]
    response_body: str | None
    elapsed_ms: float
    attempts: int
    outcome: Outcome
    error: str | None = None
    extracted: Mapping[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.OK, Outcome.DRY_RUN)

    def to_curl(self) -> str:
        """The request as a (redacted) curl command a user can paste into a shell."""
        parts = ["curl", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.request_headers.items():
            if name.lower() in _CURL_SETS_ITSELF:
                continue
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.request_body is not None:
            parts += ["--data-raw", shlex.quote(self.request_body)]
        return " ".join(parts)


@dataclass(frozen=True)
class Response:
    """What :meth:`Client.send` returns: the redacted exchange plus the raw body.

    ``text`` is the unredacted body, for extraction only; never display it. ``json_error``
    says why the body is not JSON (``None`` when it is, or when there is no body).
    """

    exchange: Exchange
    text: str | None = None
    json_error: str | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)

    @property
    def status(self) -> int | None:
        return self.exchange.status

    @property
    def outcome(self) -> Outcome:
        return self.exchange.outcome

    @property
    def ok(self) -> bool:
        return self.exchange.ok

    def json(self) -> Any:
        """The parsed body (``None`` when there is none or it is not JSON)."""
        if not self.text or self.json_error:
            return None
        try:
            return json.loads(self.text)
        except RecursionError:  # the decoder's depth limit depends on the caller's stack depth
            return None


class Client:
    """One per run; an async context manager. See the module docstring for the rules."""

    def __init__(
        self,
        *,
        max_concurrent: int = 10,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        backoff_max: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
        redactor: Redactor | None = None,
        sleep: Sleep = asyncio.sleep,
        dry_run: bool = False,
        verify: bool | ssl.SSLContext = True,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        if max_concurrent < 1:
            raise ValueError(f"max_concurrent must be at least 1, got {max_concurrent}")
        if max_response_bytes < 1:
            raise ValueError(f"max_response_bytes must be at least 1, got {max_response_bytes}")
        self.max_concurrent = max_concurrent
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.redactor = redactor if redactor is not None else Redactor()
        redact_logs(self.redactor)  # httpx, httpcore and authlib log through it from now on
        self.dry_run = dry_run
        self.exchanges: list[Exchange] = []  # in the order the requests were sent, not answered
        self._slots: list[float] = []  # each exchange's place in that order
        self._sent = 0
        self._sleep = sleep
        inner = transport or httpx.AsyncHTTPTransport(
            verify=_verifying_context() if verify is True else verify,
            limits=httpx.Limits(max_connections=max_concurrent),
        )
        self.transport = GuardedTransport(inner, max_concurrent, timeout=timeout,
                                          max_bytes=max_response_bytes)
        self._http: httpx.AsyncClient | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Client:
        self._http = httpx.AsyncClient(
            transport=self.transport, timeout=self.timeout, follow_redirects=True,
            headers={"Accept-Encoding": ACCEPT_ENCODING},  # only what the transport decodes under its cap
            event_hooks={"request": [self._keep_credentials_home]},
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    @property
    def peak_in_flight(self) -> int:
        """The most requests that were ever on the wire at once."""
        return self.transport.peak

    @property
    def http(self) -> httpx.AsyncClient:
        """The underlying httpx client (for libraries such as authlib that need one)."""
        if self._http is None:
            raise RuntimeError("use 'async with Client(...)' before sending requests")
        return self._http

    def borrowed_transport(self) -> httpx.AsyncBaseTransport:
        """This run's transport (same concurrency cap and limits) for another httpx client,
        e.g. authlib's. Record what that client exchanges with :meth:`record`.
        """
        return lent(self.transport)

    def add_secret(self, secret: Any) -> None:
        """Register a secret learnt during the run (a token a follow-up extracted).

        The exchanges already recorded are redacted again, so the answer that carried the
        secret does not show it either.
        """
        before = len(self.redactor)
        self.redactor.add(secret)
        if len(self.redactor) != before:
            self.exchanges[:] = [redact_exchange(e, self.redactor) for e in self.exchanges]

    def record(self, step: str, response: httpx.Response, *, elapsed_ms: float = 0.0,
               expect_json: bool = True) -> Response:
        """Record a response some other httpx client received (its body must be read)."""
        body = response.request.content.decode(errors="replace") if response.request.content else None
        started = time.perf_counter() - elapsed_ms / 1000
        return self._received(step, response, body, started, 1, expect_json)

    # -- sending -----------------------------------------------------------------------------

    async def send(
        self,
        step: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: str | None = None,
        auth: httpx.Auth | None = None,
        expect_json: bool = True,
        home: str | None = None,
    ) -> Response:
        """Send one request (with retries) and record it; never raises for HTTP or network.

        A blank ``url`` is skipped (the PBX skips a request whose rendered URL is empty).
        With ``expect_json`` a successful response whose body is not JSON is recorded as
        ``invalid_json``. ``home`` is the URL whose origin the credentials belong to when
        ``url`` came from a helpdesk's answer (a next link); by default, ``url``'s own.
        Its exchange takes its place in :attr:`exchanges` by when it was sent, however long the
        answer took (pages fetched ahead answer out of order); a request sent on behalf of another,
        inside it (a token refresh), is placed just before it.
        """
        parent = _SLOT.get()
        token = _SLOT.set(parent - 0.5 if parent is not None else self._next_slot())
        try:
            return await self._send(step, method, url, headers=headers, body=body, auth=auth,
                                    expect_json=expect_json, home=home)
        finally:
            _SLOT.reset(token)

    def _next_slot(self) -> float:
        self._sent += 1
        return float(self._sent)

    async def _send(
        self,
        step: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: str | None = None,
        auth: httpx.Auth | None = None,
        expect_json: bool = True,
        home: str | None = None,
    ) -> Response:
        method = method.upper()
        headers = dict(headers or {})
        if not url or not url.strip():
            return self._record(step, method, "", headers, body, Outcome.SKIPPED,
                                error=f"{step}: skipped, the URL rendered empty")
        try:
            request = self.http.build_request(method, url.strip(), headers=headers,
                                              content=body.encode() if body is not None else None)
            request.extensions[_HOME] = _origin(httpx.URL(home) if home else request.url)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
            return self._record(step, method, url, headers, body, Outcome.INVALID_URL,
                                error=f"{step}: invalid URL: {self.scrub(str(exc))}")
        if request.url.scheme not in ("http", "https") or not request.url.host:
            return self._record(step, method, url, headers, body, Outcome.INVALID_URL,
                                error=f"{step}: invalid URL {self.redactor.url(url.strip())!r}: "
                                      "it must start with http:// or https:// and name a host")
        if self.dry_run:
            return self._dry_run(step, request, body, auth)
        return await self._send_with_retries(step, request, body, auth, expect_json)

    async def _send_with_retries(
        self, step: str, request: httpx.Request, body: str | None,
        auth: httpx.Auth | None, expect_json: bool,
    ) -> Response:
        started = time.perf_counter()
        idempotent = request.method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self.http.send(request, auth=auth or httpx.USE_CLIENT_DEFAULT)
            except HdkitError as exc:  # raised by an auth flow: no token, failed refresh...
                return self._failed(step, request, body, Outcome.AUTH_ERROR,
                                    f"{step}: authentication failed: {self.scrub(str(exc))}",
                                    started, attempt)
            except Refused as exc:  # too large, an unknown coding, a secret for another host: same again
                return self._failed(step, request, body, Outcome.REFUSED, f"{step}: refused: {exc}",
                                    started, attempt)
            except httpx.HTTPError as exc:
                outcome, cause, may_retry = self._classify(exc, idempotent)
                if may_retry and attempt <= self.retries:
                    await self._sleep(self._backoff(attempt))
                    continue
                return self._failed(step, request, body, outcome, f"{step}: {cause}",
                                    started, attempt)
            note = None
            if response.status_code in _RETRY_STATUSES and idempotent:
                retry_after = response.headers.get("Retry-After")
                delay = self._delay(attempt, retry_after)
                if delay is not None and attempt <= self.retries:
                    await self._sleep(delay)
                    continue
                if delay is None:
                    note = f"(Retry-After {retry_after} s exceeds the {self.backoff_max:g} s limit)"
                elif attempt > 1:
                    note = f"after {attempt} attempts"
            return self._received(step, response, body, started, attempt, expect_json, note)

    def _delay(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before the next attempt; ``None`` when Retry-After asks too much."""
        if retry_after:
            wait = retry_after_seconds(retry_after)
            if wait is not None:
                return wait if wait <= self.backoff_max else None
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff * 2 ** (attempt - 1), self.backoff_max)

    def _classify(self, exc: httpx.HTTPError, idempotent: bool) -> tuple[Outcome, str, bool]:
        """(outcome, cause, may retry) for a failed send."""
        text = self.scrub(str(exc)) or type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            phase = {httpx.ConnectTimeout: "connecting", httpx.ReadTimeout: "waiting for the response",
                     httpx.WriteTimeout: "sending the request", httpx.PoolTimeout: "waiting for a connection"}
            what = exc.phase if isinstance(exc, RequestTimeout) else phase.get(type(exc), "waiting")
            surely_unsent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            too_slow = isinstance(exc, RequestTimeout) and exc.answering  # would drip again
            return (Outcome.TIMEOUT, f"timed out after {self.timeout:g} s while {what}",
                    (idempotent or surely_unsent) and not too_slow)
        if isinstance(exc, httpx.ConnectError):
            if _is_tls(exc):
                return Outcome.TLS_ERROR, f"TLS error: {text}", False
            return Outcome.NETWORK_ERROR, f"could not connect: {text}", True
        if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
            return Outcome.INVALID_URL, f"invalid URL: {text}", False
        if isinstance(exc, httpx.RemoteProtocolError):
            return (Outcome.NETWORK_ERROR,
                    f"the connection closed before the full response arrived (truncated): {text}",
                    idempotent)
        if isinstance(exc, httpx.TooManyRedirects):
            return Outcome.NETWORK_ERROR, f"too many redirects: {text}", False
        return Outcome.NETWORK_ERROR, f"{type(exc).__name__}: {text}", idempotent and isinstance(
            exc, httpx.TransportError)

    # -- recording ---------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """Redact secrets and secret-named query values from free text (httpx messages)."""
        return self.redactor.scrub(text)

    async def _keep_credentials_home(self, request: httpx.Request) -> None:
        """httpx request hook (every hop of a redirect): credentials only go to their origin."""
        home = request.extensions.get(_HOME)
        if home is None or _same_site(home, request.url):
            return
        body = await request.aread()  # a redirect's stream is the original request's bytes
        if body and body.decode(errors="replace") in self.redactor:
            # a 307/308 re-sends the body: one holding a credential must not leave its origin
            raise Refused(f"the helpdesk redirected the request to {request.url.host}, another host than the one "
                          "the template addressed, and its body holds a credential; hdkit did not follow",
                          request=request)
        dropped = _drop_credentials(request, self.redactor)
        if dropped:
            request.extensions = {**request.extensions, _DROPPED: dropped}

    def _record(
        self, step: str, method: str, url: str, headers: Mapping[str, str], body: str | None,
        outcome: Outcome, *, status: int | None = None,
        response_headers: Mapping[str, str] | None = None, response_body: str | None = None,
        elapsed_ms: float = 0.0, attempts: int = 0, error: str | None = None,
        text: str | None = None, json_error: str | None = None,
        raw_headers: httpx.Headers | None = None,
    ) -> Response:
        exchange = Exchange(
            step=step,
            method=method,
            url=self.redactor.url(url) if url else url,
            request_headers=self.redactor.headers(_as_written(headers)),
            request_body=_redact_body(self.redactor, body),
            status=status,
            response_headers=self.redactor.headers(_as_written(response_headers or {})),
            response_body=_redact_body(self.redactor, response_body),
            elapsed_ms=elapsed_ms,
            attempts=attempts,
            outcome=outcome,
            error=self.scrub(error) if error else None,
        )
        slot = _SLOT.get()
        slot = self._next_slot() if slot is None else slot
        at = bisect.bisect_right(self._slots, slot)
        self._slots.insert(at, slot)
        self.exchanges.insert(at, exchange)
        return Response(exchange, text, json_error, raw_headers or httpx.Headers())

    def _failed(self, step: str, request: httpx.Request, body: str | None, outcome: Outcome,
                error: str, started: float, attempts: int) -> Response:
        return self._record(step, request.method, str(request.url), request.headers, body, outcome,
                            elapsed_ms=_ms_since(started), attempts=attempts, error=error)

    def _received(self, step: str, response: httpx.Response, body: str | None, started: float,
                  attempts: int, expect_json: bool, note: str | None = None) -> Response:
        sent = response.request
        text = response.text
        json_error = _json_error(text)
        status = response.status_code
        error = None
        dropped = sent.extensions.get(_DROPPED)
        if dropped:
            note = (f"{note} " if note else "") + (
                f"(sent without {', '.join(dropped)}: {sent.url.host} is another host than the "
                "one the template addressed, and credentials never follow a helpdesk elsewhere)")
        if status >= 400:
            outcome = Outcome.HTTP_ERROR
            error = f"{step}: the helpdesk answered HTTP {status} {response.reason_phrase}".rstrip()
            if note:
                error += f" {note}"
            if said := _excerpt(_redact_body(self.redactor, text)):
                error += f": {said}"
        elif expect_json and json_error == _TOO_DEEP:
            outcome = Outcome.REFUSED
            error = f"{step}: refused: the response is JSON, but {_TOO_DEEP}"
        elif expect_json and json_error:
            outcome = Outcome.INVALID_JSON
            ctype = printable(response.headers.get("Content-Type", "no content type"))
            error = f"{step}: the response is not valid JSON ({ctype}): {json_error}"
        else:
            outcome = Outcome.OK
            error = f"{step}: note: {note.strip('()')}" if dropped and note else None
        return self._record(
            step, sent.method, str(sent.url), sent.headers, body, outcome, status=status,
            response_headers=response.headers, response_body=text, elapsed_ms=_ms_since(started),
            attempts=attempts, error=error, text=text, json_error=json_error,
            raw_headers=response.headers,
        )

    def _dry_run(self, step: str, request: httpx.Request, body: str | None,
                 auth: httpx.Auth | None) -> Response:
        if auth is not None:
            flow = auth.sync_auth_flow(request)
            try:
                request = next(flow)
            except HdkitError:
                pass  # no credential yet: show the request without it
            finally:
                flow.close()
        return self._record(step, request.method, str(request.url), request.headers, body,
                            Outcome.DRY_RUN)


def redact_exchange(exchange: Exchange, redactor: Redactor) -> Exchange:
    """``exchange`` redacted again with every secret ``redactor`` knows now (idempotent)."""
    r = redactor
    return replace(
        exchange, url=r.url(exchange.url) if exchange.url else exchange.url,
        request_headers=r.headers(exchange.request_headers),
        request_body=r.text(exchange.request_body) if exchange.request_body else exchange.request_body,
        response_headers=r.headers(exchange.response_headers),
        response_body=r.text(exchange.response_body) if exchange.response_body else exchange.response_body,
        error=r.scrub(exchange.error) if exchange.error else exchange.error,
    )


# -- never sent twice ---------------------------------------------------------------------------


def token_rejected(response: httpx.Response, markers: Iterable[str] = ()) -> bool:
    """Whether ``response`` says the access token was refused, so a refresh is due.

    A 401 does; so does a failed answer (4xx/5xx) whose body holds one of the template's
    token-invalid markers. A 2xx/3xx answer never does, whatever its body says: a contact
    created for a caller named "invalid_token Doe" echoes the marker in a 201. Nor does an
    answer from another host, which never saw the token (see :class:`Client`).
    """
    if response.request.extensions.get(_DROPPED):
        return False
    if response.status_code == 401:
        return True
    if response.status_code < 400:
        return False
    text = response.text
    return any(m and m in text for m in markers)


def resend_after_refresh(request: httpx.Request, response: httpx.Response) -> bool:
    """Whether ``request`` may be sent again once its refused token is refreshed.

    Idempotent methods may. POST and PATCH may only when the answer proves the helpdesk did not
    process them: a 401, or a 4xx (that :func:`token_rejected` accepted, so it names the
    token). After a 5xx the helpdesk may have acted before failing, so they are not re-sent.
    """
    if request.method in IDEMPOTENT_METHODS:
        return True
    return 400 <= response.status_code < 500


# -- credentials stay home --------------------------------------------------------------------


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)


def _same_site(home: tuple[str, str, int | None], url: httpx.URL) -> bool:
    """Same origin, or the same host upgraded from http:80 to https:443 (as httpx allows)."""
    here = _origin(url)
    return here == home or (home == ("http", here[1], 80) and here == ("https", home[1], 443))


def _drop_credentials(request: httpx.Request, redactor: Redactor) -> list[str]:
    """Remove every credential from ``request`` (in place); the names of what was removed."""
    dropped: list[str] = []
    for raw_name, raw_value in list(request.headers.raw):
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        lower = name.lower()
        credential = lower in ("authorization", "proxy-authorization", "cookie") or (
            is_secret_name(lower) and lower not in ("content-type", "accept")) or value in redactor
        if credential and name in request.headers:
            del request.headers[name]
            dropped.append(name)
    params = request.url.params
    kept = [(k, v) for k, v in params.multi_items() if not (v in redactor or k in redactor)]
    if len(kept) != len(params.multi_items()):
        dropped += [f"query parameter {k!r}" for k, v in params.multi_items() if (k, v) not in kept]
        request.url = request.url.copy_with(params=httpx.QueryParams(tuple(kept)))
    return dropped


@functools.cache
def _verifying_context() -> ssl.SSLContext:
    """httpx's default certificate-verifying TLS context, built once per process.

    Loading the CA bundle takes 10-30 ms, more than a whole lookup on a fast network; every
    run opens its own client, so they share this (immutable once built) context.
    """
    return httpx.create_ssl_context()


def _as_written(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """Header names as they were written (httpx lower-cases them when iterated)."""
    if isinstance(headers, httpx.Headers):
        return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw]
    return list(headers.items())


def _redact_body(redactor: Redactor, body: str | None) -> str | None:
    """Mask known secrets, and the values of secret-named JSON fields, keeping the layout.

    Name-based masking matters for token responses: their tokens are not known to the
    redactor until after the exchange is recorded.
    """
    if not body or not is_secret_name(body):  # cheap: no secret-looking word, no such field
        return redactor.text(body) if body else body
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return redactor.text(body)
    for value in _secret_named_values(data):
        for escaped in {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}:
            body = body.replace(escaped, MASK)
    return redactor.text(body)


def _secret_named_values(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and value and is_secret_name(str(key)):
                yield value
            else:
                yield from _secret_named_values(value)
    elif isinstance(data, list):
        for item in data:
            yield from _secret_named_values(item)


def _excerpt(text: str | None, limit: int = _EXCERPT_CHARS) -> str:
    """The start of a body on one line: what an error answer says, without flooding a log
    (or a terminal: control characters are shown escaped)."""
    flat = printable(" ".join((text or "")[: limit * 4].split()))
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _json_error(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    try:
        json.loads(text)
    except RecursionError:
        return _TOO_DEEP
    except json.JSONDecodeError as exc:
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    except ValueError as exc:  # a number too long to convert, say
        return str(exc)
    return None


def retry_after_seconds(retry_after: str | None) -> float | None:
    """A ``Retry-After`` in seconds (delta-seconds or an HTTP date); ``None`` when absent or unreadable."""
    if not retry_after:
        return None
    value = retry_after.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _is_tls(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError) or "SSL" in str(cur) or "CERTIFICATE" in str(cur):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
