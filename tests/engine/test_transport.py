"""The guarded transport: a deadline per attempt and a cap on the decoded body (issue 12, 3 and 9).

Each test sends through :class:`hdkit.engine.client.Client` with an ``httpx.MockTransport``
whose answers stream their bodies, so the limits are exercised exactly as on the wire: the
bytes are pulled chunk by chunk and decoded here, not handed over whole.
"""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from hdkit.engine.client import Client, Outcome, Response
from support.hostile import gzip_bomb

MB = 1024 * 1024


class Stream(httpx.AsyncByteStream):
    """A body that arrives in chunks, optionally slowly (a drip)."""

    def __init__(self, chunks: list[bytes], *, interval: float = 0.0) -> None:
        self.chunks, self.interval, self.sent = chunks, interval, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            if self.interval:
                await asyncio.sleep(self.interval)
            self.sent += len(chunk)
            yield chunk


def send(answer: httpx.Response | None = None, *, method: str = "GET", handler=None,
         **client_kw) -> tuple[Response, Client, float]:
    async def no_wait(_s: float) -> None:
        pass

    async def go() -> tuple[Response, Client, float]:
        transport = httpx.MockTransport(handler or (lambda request: answer))
        async with Client(transport=transport, sleep=no_wait, **client_kw) as client:
            started = time.perf_counter()
            response = await client.send("Get users", method, "https://desk.test/api/users",
                                         body="{}" if method == "POST" else None)
            return response, client, time.perf_counter() - started

    return asyncio.run(go())


def test_a_gzip_bomb_is_refused_after_the_cap_not_inflated_whole():
    bomb = gzip_bomb()  # 1 MB that inflates to 1 GiB
    chunks = [bomb[i:i + 64 * 1024] for i in range(0, len(bomb), 64 * 1024)]
    stream = Stream(chunks)
    answer = httpx.Response(200, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
                            stream=stream)
    tracemalloc.start()
    try:
        response, _, _ = send(answer, max_response_bytes=2 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.outcome is Outcome.REFUSED and response.exchange.attempts == 1
    assert response.exchange.error == ("Get users: refused: the response is over the 2 MB limit "
                                       "(decoded body); hdkit stopped reading at 2 MB")
    assert stream.sent <= 2 * 64 * 1024  # stopped within the first compressed chunks of 1 MB
    assert peak < 16 * MB  # not the gigabyte (reported bound, generous)


def test_a_declared_length_over_the_cap_is_refused_before_reading():
    stream = Stream([b"x" * MB] * 3)
    answer = httpx.Response(200, headers={"Content-Length": str(3 * MB)}, stream=stream)
    response, _, _ = send(answer, max_response_bytes=MB)
    assert response.outcome is Outcome.REFUSED and stream.sent == 0
    assert "declares 3 MB, over the 1 MB limit; hdkit did not read it" in response.exchange.error


def test_an_undeclared_body_over_the_cap_stops_at_the_cap():
    stream = Stream([b"x" * (256 * 1024)] * 40)  # 10 MB, no Content-Length
    response, _, _ = send(httpx.Response(200, stream=stream), max_response_bytes=MB)
    assert response.outcome is Outcome.REFUSED and stream.sent <= MB + 256 * 1024


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        pytest.param("gzip", gzip.compress, id="gzip"),
        pytest.param("deflate", zlib.compress, id="deflate-zlib"),
        pytest.param("deflate", lambda b: zlib.compress(b)[2:-4], id="deflate-raw"),
        pytest.param("gzip, gzip", lambda b: gzip.compress(gzip.compress(b)), id="gzip-twice"),
        pytest.param("identity", lambda b: b, id="identity"),
    ],
)
def test_encoded_bodies_under_the_cap_arrive_decoded(encoding, encode):
    payload = b'{"users": [' + b",".join(b'{"id": %d}' % i for i in range(2000)) + b"]}"
    raw = encode(payload)
    answer = httpx.Response(200, headers={"Content-Encoding": encoding, "Content-Type": "application/json"},
                            stream=Stream([raw[i:i + 1000] for i in range(0, len(raw), 1000)]))
    response, _, _ = send(answer, max_response_bytes=len(payload))
    assert response.ok and response.json()["users"][1999] == {"id": 1999}
    if encoding != "identity":
        assert "content-encoding" not in {k.lower() for k in response.exchange.response_headers}


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, br"])
def test_a_coding_hdkit_does_not_decode_is_refused_unread(encoding):
    """httpx would inflate brotli or zstd past the cap whenever their packages are installed."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Encoding": encoding}, stream=Stream([b"\x1b" * 64]))

    response, _, _ = send(handler=answer)
    assert seen[0].headers["Accept-Encoding"] == "gzip, deflate"  # all it asks for
    assert response.outcome is Outcome.REFUSED and response.exchange.attempts == 1
    assert f"encoded as {encoding.split(', ')[-1]!r}, which hdkit does not decode" in response.exchange.error


def test_a_corrupt_gzip_body_is_a_recorded_outcome():
    answer = httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=Stream([b"not gzip at all"]))
    response, _, _ = send(answer)
    assert response.outcome is Outcome.NETWORK_ERROR and "gzip body is corrupt" in response.exchange.error


def test_the_timeout_bounds_the_whole_attempt_not_each_read():
    """One byte every 20 ms would reset a per-read timeout forever; the attempt still ends."""
    drip = Stream([b" "] * 500, interval=0.02)  # 10 s in all
    response, _, elapsed = send(httpx.Response(200, stream=drip), method="POST", timeout=0.3)
    assert response.outcome is Outcome.TIMEOUT and response.exchange.attempts == 1  # a POST: once
    assert response.exchange.error == ("Get users: timed out after 0.3 s while reading the response "
                                       "(it arrived too slowly)")
    assert drip.sent < 100 and elapsed < 5  # generous: the drip alone would take 10 s


def test_a_dripping_get_is_not_asked_again():
    """It answered, too slowly: asking again would drip again, so the request ends at the timeout."""
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, stream=Stream([b" "] * 500, interval=0.02))

    response, _, elapsed = send(handler=handler, timeout=0.2, retries=3)
    assert response.outcome is Outcome.TIMEOUT and len(calls) == 1 and response.exchange.attempts == 1
    assert elapsed < 5


def test_a_get_that_got_no_answer_in_time_is_retried():
    calls = []

    async def hang(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        await asyncio.sleep(5)
        return httpx.Response(200)

    response, _, elapsed = send(handler=hang, timeout=0.2, retries=2)
    assert response.outcome is Outcome.TIMEOUT and len(calls) == 3
    assert response.exchange.error == "Get users: timed out after 0.2 s while waiting for the response"
    assert elapsed < 5


def test_the_cap_and_the_deadline_apply_to_requests_another_client_borrows():
    """authlib's token requests go through the run's transport too."""
    async def go() -> httpx.Response | Exception:
        transport = httpx.MockTransport(lambda r: httpx.Response(200, stream=Stream([b"x" * MB] * 2)))
        async with Client(transport=transport, max_response_bytes=MB) as client:
            async with httpx.AsyncClient(transport=client.borrowed_transport()) as other:
                try:
                    return await other.post("https://desk.test/oauth/token")
                except httpx.TransportError as exc:
                    return exc

    outcome = asyncio.run(go())
    assert isinstance(outcome, httpx.TransportError) and "over the 1 MB limit" in str(outcome)
