"""The run's HTTP client: outcomes, retries, the concurrency cap, redaction, dry run, curl."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import Callable

import httpx
import pytest

from hdkit.engine._sync import run_sync
from hdkit.engine.client import Client, Outcome, Response
from hdkit.secrets import Redactor

SENTINEL = "s3ntinel-Secret-9f2c"


class Recorder:
    """A MockTransport handler that records the requests it saw and replays scripted answers."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer


def send(handler, method: str = "GET", url: str = "https://desk.test/api/users", *,
         sleeps: list[float] | None = None, **client_kw) -> tuple[Response, Client]:
    async def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    async def go() -> tuple[Response, Client]:
        async with Client(transport=httpx.MockTransport(handler), sleep=sleep, **client_kw) as client:
            body = '{"name": "x"}' if method in ("POST", "PATCH", "PUT") else None
            return await client.send("Get users", method, url, body=body), client

    return asyncio.run(go())


def _tls_error() -> httpx.ConnectError:
    try:
        raise ssl.SSLCertVerificationError("certificate verify failed: self-signed certificate")
    except ssl.SSLError as cause:
        err = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] https://desk.test/api")
        err.__cause__ = cause
        return err


@pytest.mark.parametrize(
    ("answer", "outcome", "error_part"),
    [
        pytest.param(httpx.Response(200, json={"users": []}), Outcome.OK, None, id="ok"),
        pytest.param(httpx.Response(204), Outcome.OK, None, id="empty-body-ok"),
        pytest.param(httpx.Response(404, json={"error": "nope"}), Outcome.HTTP_ERROR, "HTTP 404", id="404"),
        pytest.param(httpx.Response(401), Outcome.HTTP_ERROR, "HTTP 401", id="401"),
        pytest.param(httpx.Response(422, json={}), Outcome.HTTP_ERROR, "HTTP 422", id="422"),
        pytest.param(httpx.Response(200, text="<html>oops</html>"), Outcome.INVALID_JSON,
                     "not valid JSON", id="html"),
        pytest.param(httpx.Response(200, text='{"users": [1, 2'), Outcome.INVALID_JSON,
                     "not valid JSON", id="truncated-json"),
        pytest.param(httpx.ReadTimeout("read timed out"), Outcome.TIMEOUT, "timed out after 10 s",
                     id="timeout"),
        pytest.param(httpx.ConnectError("[Errno 111] Connection refused"), Outcome.NETWORK_ERROR,
                     "could not connect", id="refused"),
        pytest.param(httpx.RemoteProtocolError("peer closed connection without sending complete body"),
                     Outcome.NETWORK_ERROR, "truncated", id="truncated-body"),
        pytest.param(_tls_error(), Outcome.TLS_ERROR, "TLS error", id="tls"),
    ],
)
def test_outcomes_are_recorded_not_raised(answer, outcome, error_part):
    response, client = send(Recorder(answer), retries=0)
    exchange = response.exchange
    assert exchange.outcome is outcome
    assert client.exchanges == [exchange]
    if error_part is None:
        assert exchange.error is None
    else:
        assert exchange.error.startswith("Get users: ")
        assert error_part in exchange.error


@pytest.mark.parametrize(
    ("url", "outcome"),
    [
        pytest.param("", Outcome.SKIPPED, id="empty"),
        pytest.param("   ", Outcome.SKIPPED, id="blank"),
        pytest.param("desk.test/no-scheme", Outcome.INVALID_URL, id="no-scheme"),
        pytest.param("ftp://desk.test/x", Outcome.INVALID_URL, id="bad-scheme"),
    ],
)
def test_unsendable_urls_are_recorded_without_a_request(url, outcome):
    handler = Recorder(httpx.Response(200))
    response, _ = send(handler, url=url)
    assert response.exchange.outcome is outcome
    assert "Get users" in response.exchange.error
    assert handler.requests == []


def test_429_honours_retry_after_then_succeeds():
    handler = Recorder(httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json=[]))
    sleeps: list[float] = []
    response, _ = send(handler, sleeps=sleeps)
    assert response.exchange.outcome is Outcome.OK
    assert response.exchange.attempts == 2
    assert sleeps == [3.0]


def test_5xx_retries_are_bounded_with_exponential_backoff():
    handler = Recorder(httpx.Response(503))
    sleeps: list[float] = []
    response, _ = send(handler, sleeps=sleeps, retries=3, backoff=0.5, backoff_max=1.5)
    assert len(handler.requests) == 4
    assert sleeps == [0.5, 1.0, 1.5]
    assert response.exchange.outcome is Outcome.HTTP_ERROR
    assert "after 4 attempts" in response.exchange.error


def test_retry_after_beyond_the_limit_gives_up_and_says_why():
    handler = Recorder(httpx.Response(429, headers={"Retry-After": "600"}))
    response, _ = send(handler, backoff_max=8)
    assert len(handler.requests) == 1
    assert "Retry-After 600 s exceeds the 8 s limit" in response.exchange.error


@pytest.mark.parametrize(
    ("method", "answer", "sent"),
    [
        pytest.param("POST", httpx.Response(503), 1, id="post-5xx-once"),
        pytest.param("POST", httpx.Response(429, headers={"Retry-After": "1"}), 1, id="post-429-once"),
        pytest.param("POST", httpx.ReadTimeout("slow"), 1, id="post-read-timeout-once"),
        pytest.param("PATCH", httpx.RemoteProtocolError("closed"), 1, id="patch-closed-once"),
        pytest.param("POST", httpx.ConnectError("refused"), 3, id="post-connect-error-retried"),
        pytest.param("POST", httpx.ConnectTimeout("connect"), 3, id="post-connect-timeout-retried"),
        pytest.param("GET", httpx.ReadTimeout("slow"), 3, id="get-read-timeout-retried"),
        pytest.param("PUT", httpx.Response(502), 3, id="put-5xx-retried"),
        pytest.param("GET", _tls_error(), 1, id="tls-never-retried"),
    ],
)
def test_only_requests_that_surely_never_arrived_are_resent(method, answer, sent):
    handler = Recorder(answer)
    response, _ = send(handler, method, retries=2)
    assert len(handler.requests) == sent
    assert response.exchange.attempts == sent
    assert not response.ok


def test_concurrency_cap_holds_across_many_requests_and_peak_is_measured():
    state = {"now": 0, "peak": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        await asyncio.sleep(0.001)
        state["now"] -= 1
        return httpx.Response(200, json={"ok": True})

    async def go() -> Client:
        async with Client(transport=httpx.MockTransport(handler), max_concurrent=3) as client:
            await asyncio.gather(*(client.send(f"r{i}", "GET", f"https://desk.test/{i}")
                                   for i in range(30)))
            return client

    client = asyncio.run(go())
    assert len(client.exchanges) == 30
    assert state["peak"] == client.peak_in_flight == 3


def test_secrets_never_reach_exchanges_curl_or_errors():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    async def go() -> Client:
        redactor = Redactor([SENTINEL])
        async with Client(transport=httpx.MockTransport(handler), redactor=redactor, retries=0) as client:
            await client.send("Create contact", "POST", f"https://desk.test/c?api_key={SENTINEL}&q=1",
                              headers={"X-Token": SENTINEL, "X-Other": f"k={SENTINEL}"},
                              body=json.dumps({"note": SENTINEL}))
            return client

    client = asyncio.run(go())
    ok_client = send(Recorder(httpx.Response(200, json={"token": SENTINEL, "x": 1})),
                     redactor=Redactor([SENTINEL]))[1]
    for exchange in client.exchanges + ok_client.exchanges:
        shown = repr(exchange) + exchange.to_curl() + str(exchange.error)
        assert SENTINEL not in shown
        assert "********" in shown
    assert "q=1" in client.exchanges[0].url


def test_dry_run_records_the_rendered_request_without_sending():
    handler = Recorder(httpx.Response(200))

    async def go() -> Response:
        async with Client(transport=httpx.MockTransport(handler), dry_run=True) as client:
            return await client.send("Search", "POST", "https://desk.test/search?phone=%2B44",
                                     headers={"Content-Type": "application/json"}, body='{"a": 1}',
                                     auth=httpx.BasicAuth("user", SENTINEL))

    response = asyncio.run(go())
    assert handler.requests == []
    assert response.exchange.outcome is Outcome.DRY_RUN
    assert response.exchange.request_headers["Authorization"] == "Basic ********"
    curl = response.exchange.to_curl()
    assert curl.startswith("curl -X POST 'https://desk.test/search?phone=%2B44'")
    assert "-H 'Content-Type: application/json'" in curl
    assert curl.endswith("--data-raw '{\"a\": 1}'")
    assert SENTINEL not in curl


def test_connection_refused_on_a_real_socket():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def go() -> Response:
        async with Client(retries=1, timeout=2, sleep=lambda _s: asyncio.sleep(0)) as client:
            return await client.send("Get users", "GET", f"http://127.0.0.1:{port}/users?token={SENTINEL}")

    response = asyncio.run(go())
    assert response.exchange.outcome is Outcome.NETWORK_ERROR
    assert response.exchange.attempts == 2
    assert "Get users: could not connect" in response.exchange.error
    assert SENTINEL not in response.exchange.error + response.exchange.url


def test_response_keeps_raw_text_for_extraction_only():
    response, _ = send(Recorder(httpx.Response(200, json={"token": SENTINEL})), redactor=Redactor([SENTINEL]))
    assert response.json() == {"token": SENTINEL}
    assert SENTINEL not in response.exchange.response_body


def test_run_sync_works_inside_a_running_loop():
    async def inner() -> int:
        await asyncio.sleep(0)
        return 42

    async def outer() -> int:
        return run_sync(inner())  # as a notebook cell would, with a loop already running

    assert run_sync(inner()) == 42
    assert asyncio.run(outer()) == 42


def test_runs_share_one_certificate_verifying_tls_context():
    """Loading the CA bundle costs more than a lookup; every run's client reuses one context."""
    import ssl

    from hdkit.engine.client import _verifying_context

    first, again = _verifying_context(), _verifying_context()
    assert first is again
    assert first.verify_mode is ssl.CERT_REQUIRED and first.check_hostname


# -- issue 12, item 2: a response nested 5,000 levels deep is an outcome, not a RecursionError -----

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize(
    ("answer", "outcome", "error_part"),
    [
        pytest.param(httpx.Response(200, text=DEEP), Outcome.REFUSED,
                     "Get users: refused: the response is JSON, but it nests too deeply to decode", id="200"),
        pytest.param(httpx.Response(500, text='{"error": ' + DEEP + "}"), Outcome.HTTP_ERROR,
                     "Get users: the helpdesk answered HTTP 500", id="500"),
        pytest.param(httpx.Response(400, text='{"token": ' + DEEP + "}"), Outcome.HTTP_ERROR,
                     "Get users: the helpdesk answered HTTP 400", id="400-secret-named"),
    ],
)
def test_deep_json_is_a_recorded_outcome(answer, outcome, error_part):
    response, _ = send(Recorder(answer), retries=0)
    assert response.outcome is outcome and response.exchange.error.startswith(error_part)
    assert response.json() is None


# -- issue 12, item 1: never sent twice ---------------------------------------------------------------


def _answered(method: str, status: int, body: str) -> tuple[httpx.Request, httpx.Response]:
    request = httpx.Request(method, "https://desk.test/api/contacts")
    return request, httpx.Response(status, text=body, request=request)


@pytest.mark.parametrize(
    ("method", "status", "body", "rejected", "resend"),
    [
        pytest.param("POST", 201, '{"name": "invalid_token Doe"}', False, False, id="marker-in-201"),
        pytest.param("GET", 200, '{"error": "invalid_token"}', False, False, id="marker-in-200"),
        pytest.param("POST", 302, "invalid_token", False, False, id="marker-in-302"),
        pytest.param("POST", 401, "", True, True, id="post-401"),
        pytest.param("POST", 400, '{"error": "invalid_token"}', True, True, id="post-400-marker"),
        pytest.param("POST", 403, '{"error": "forbidden"}', False, False, id="post-403-no-marker"),
        pytest.param("POST", 500, '{"error": "invalid_token"}', True, False, id="post-500-marker"),
        pytest.param("PATCH", 503, "invalid_token", True, False, id="patch-503-marker"),
        pytest.param("GET", 500, "invalid_token", True, True, id="get-500-marker"),
        pytest.param("PUT", 401, "", True, True, id="put-401"),
    ],
)
def test_the_token_invalid_marker_counts_only_on_failed_answers(method, status, body, rejected, resend):
    from hdkit.engine.client import resend_after_refresh, token_rejected

    request, response = _answered(method, status, body)
    assert token_rejected(response, ["invalid_token"]) is rejected
    assert (rejected and resend_after_refresh(request, response)) is resend


# -- issue 12, item 10: credentials never follow a helpdesk to another host -----------------------


def _desk_redirecting_to(location: str) -> Recorder:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "desk.test" and request.url.path == "/api/users":
            return httpx.Response(302, headers={"Location": location})
        return httpx.Response(200, json={"users": [], "seen": dict(request.headers)})
    return Recorder(answer)


def _send_with_credentials(handler: Recorder, url: str = "https://desk.test/api/users", **kw) -> Response:
    async def go() -> Response:
        async with Client(transport=httpx.MockTransport(handler), redactor=Redactor([SENTINEL])) as client:
            return await client.send("Get users", "GET", url, auth=httpx.BasicAuth("user", SENTINEL),
                                     headers={"X-API-Key": SENTINEL, "X-Trace": f"t-{SENTINEL}",
                                              "Accept": "application/json"}, **kw)
    return asyncio.run(go())


def test_an_off_host_redirect_is_followed_without_any_credential():
    handler = _desk_redirecting_to(f"https://cdn.example/files?sig=abc&key={SENTINEL}&page=2")
    response = _send_with_credentials(handler, url=f"https://desk.test/api/users?api_key={SENTINEL}")
    first, second = handler.requests
    assert first.headers["X-API-Key"] == SENTINEL and first.headers["Authorization"].startswith("Basic ")
    assert second.url.host == "cdn.example"
    assert not {"authorization", "x-api-key", "x-trace", "cookie"} & set(second.headers)
    assert second.headers["accept"] == "application/json"
    assert SENTINEL not in str(second.url) and second.url.params["sig"] == "abc" and second.url.params["page"] == "2"
    assert response.ok and response.exchange.error.startswith("Get users: note: sent without ")
    assert "cdn.example is another host than the one the template addressed" in response.exchange.error
    assert SENTINEL not in response.exchange.error


@pytest.mark.parametrize("location", ["https://desk.test/api/v2/users", "/api/v2/users"])
def test_a_redirect_on_the_same_host_keeps_the_credentials(location):
    handler = _desk_redirecting_to(location)
    response = _send_with_credentials(handler)
    _, second = handler.requests
    assert second.headers["X-API-Key"] == SENTINEL and response.ok and response.exchange.error is None


@pytest.mark.parametrize("status", [307, 308])
def test_a_body_holding_a_credential_never_follows_a_redirect_to_another_host(status):
    """307 and 308 re-send the body: one holding a known secret (in any spelling) stays home."""
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "desk.test":
            return httpx.Response(status, headers={"Location": "https://evil.example/collect"})
        return httpx.Response(200, json={})

    async def go(body: str) -> tuple[Response, Recorder]:
        handler = Recorder(answer)
        async with Client(transport=httpx.MockTransport(handler), redactor=Redactor([SENTINEL])) as client:
            return await client.send("Create contact", "POST", "https://desk.test/api/contacts", body=body), handler

    response, handler = asyncio.run(go(json.dumps({"name": "Ann", "auth": {"key": SENTINEL}})))
    assert [r.url.host for r in handler.requests] == ["desk.test"]
    assert response.outcome is Outcome.REFUSED and response.exchange.attempts == 1
    assert "redirected the request to evil.example, another host" in response.exchange.error
    assert SENTINEL not in response.exchange.error and SENTINEL not in (response.exchange.request_body or "")
    response, handler = asyncio.run(go('{"name": "Ann"}'))  # nothing secret in it: followed
    assert [r.url.host for r in handler.requests] == ["desk.test", "evil.example"] and response.ok
    assert handler.requests[1].content == b'{"name": "Ann"}'


def test_a_next_link_to_another_host_is_sent_without_credentials():
    handler = Recorder(httpx.Response(401, json={"error": "who are you"}))
    response = _send_with_credentials(handler, url="https://evil.example/api/users?page=2",
                                      home="https://desk.test/api/users")
    (request,) = handler.requests
    assert not {"authorization", "x-api-key", "x-trace"} & set(request.headers)
    assert response.outcome is Outcome.HTTP_ERROR
    assert "(sent without X-API-Key, X-Trace, Authorization: evil.example is another host" in response.exchange.error


# -- issue 12, item 5: a secret learnt mid-run is masked in what was already recorded ----------------


def test_add_secret_redacts_exchanges_recorded_before_it_was_known():
    late = 'L4te "tok\\en+%&'
    response, client = send(Recorder(httpx.Response(200, json={"data": {"handle": late}})))  # a name says nothing
    assert late.replace("\\", "\\\\").replace('"', '\\"') in client.exchanges[0].response_body
    client.add_secret(late)
    assert "********" in client.exchanges[0].response_body
    assert "tok" not in client.exchanges[0].response_body and response.json()["data"]["handle"] == late
