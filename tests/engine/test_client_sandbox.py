"""The run's HTTP client against the sandbox helpdesk and its fault switches (real HTTP)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hdkit.engine.client import Client, Outcome, Response
from hdkit.sandbox import DEMO, Sandbox

API_KEY = DEMO["keydesk"]["api_key"]
HEADERS = {DEMO["keydesk"]["header"]: API_KEY}


def users(hd: Sandbox) -> str:
    return f"{hd.url}{DEMO['keydesk']['api']}/users?page=1&page_size=5"


def send(method: str, url: str, *, sleeps: list[float] | None = None, body: str | None = None,
         headers: dict[str, str] | None = None, **client_kw: Any) -> Response:
    async def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    async def go() -> Response:
        async with Client(sleep=sleep, **client_kw) as client:
            return await client.send("Step X", method, url, headers=HEADERS if headers is None else headers,
                                     body=body)

    return asyncio.run(go())


def logged(hd: Sandbox, method: str = "GET") -> int:
    return sum(1 for r in hd.requests if r["method"] == method)


def test_rate_limit_is_retried_after_retry_after(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(rate_limit=2, retry_after_s=2)
    sleeps: list[float] = []
    response = send("GET", users(fresh_sandbox), sleeps=sleeps)
    assert response.ok and response.exchange.attempts == 3
    assert sleeps == [2.0, 2.0]
    assert logged(fresh_sandbox) == 3


def test_server_errors_are_retried_a_bounded_number_of_times(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(server_error=10)
    response = send("GET", users(fresh_sandbox), retries=2, sleeps=[])
    assert response.outcome is Outcome.HTTP_ERROR and response.status == 503
    assert response.exchange.error == (
        "Step X: the helpdesk answered HTTP 503 Service Unavailable after 3 attempts: "
        '{"ok":false,"error":{"code":"server_error","message":"Something went wrong"}}'
    )
    assert logged(fresh_sandbox) == 3


@pytest.mark.parametrize("fault", ["server_error=1", "rate_limit=1", "malformed=1"])
def test_a_post_is_never_sent_twice(fresh_sandbox: Sandbox, fault: str):
    name, _, count = fault.partition("=")
    fresh_sandbox.faults.update(**{name: int(count)})
    url = f"{fresh_sandbox.url}{DEMO['keydesk']['api']}/contacts"
    response = send("POST", url, body='{"name": "Once Only", "phone": "+15550001111"}',
                    headers={**HEADERS, "Content-Type": "application/json"}, sleeps=[])
    assert logged(fresh_sandbox, "POST") == 1
    assert response.exchange.attempts == 1


def test_timeout_is_a_recorded_outcome_naming_step_and_cause(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(timeout=1, hang_s=3)
    response = send("GET", users(fresh_sandbox), timeout=0.3, retries=0)
    assert response.outcome is Outcome.TIMEOUT
    assert response.exchange.error == "Step X: timed out after 0.3 s while waiting for the response"


def test_truncated_json_is_a_recorded_outcome(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(malformed=1)
    response = send("GET", users(fresh_sandbox))
    assert response.outcome is Outcome.INVALID_JSON
    assert response.exchange.error.startswith("Step X: the response is not valid JSON (application/json")
    assert response.text and response.json() is None


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param({}, 401, id="no-key"),
        pytest.param({"X-API-Key": "wrong-key-123"}, 401, id="wrong-key"),
    ],
)
def test_http_errors_keep_the_helpdesk_body(sandbox: Sandbox, headers, status):
    response = send("GET", users(sandbox), headers=headers)
    assert response.outcome is Outcome.HTTP_ERROR and response.status == status
    assert response.json()["ok"] is False
    assert response.exchange.response_body == response.text  # recorded as the helpdesk sent it


def test_api_key_in_the_query_never_shows(sandbox: Sandbox):
    url = f"{sandbox.url}{DEMO['keydesk']['api']}/users?page=1&page_size=2&api_key={API_KEY}"
    response = send("GET", url, headers={})
    assert response.ok
    exchange = response.exchange
    assert API_KEY not in exchange.url + exchange.to_curl() + repr(exchange)
    assert "page_size=2" in exchange.url


def test_concurrency_cap_seen_by_the_helpdesk(fresh_sandbox: Sandbox):
    fresh_sandbox.faults.update(latency_ms=30)

    async def go() -> Client:
        async with Client(max_concurrent=4) as client:
            await asyncio.gather(*(client.send(f"r{i}", "GET", users(fresh_sandbox), headers=HEADERS)
                                   for i in range(16)))
            return client

    client = asyncio.run(go())
    assert all(e.ok for e in client.exchanges)
    assert fresh_sandbox.peak_in_flight == client.peak_in_flight == 4


def test_tls_handshake_failure_is_a_recorded_tls_error(sandbox: Sandbox):
    # https:// to the sandbox's plain-HTTP port: a real TLS handshake that fails.
    url = users(sandbox).replace("http://", "https://") + f"&api_key={API_KEY}"
    response = send("GET", url, retries=2)
    assert response.outcome is Outcome.TLS_ERROR
    assert response.exchange.attempts == 1  # retrying cannot fix a certificate or protocol
    assert response.exchange.error.startswith("Step X: TLS error: ")
    assert API_KEY not in response.exchange.error + response.exchange.url
