"""The exchange log lists requests in the order they were sent, however the answers come back
(pages fetched ahead answer out of order; the workbench shows them as the run made them)."""

from __future__ import annotations

import asyncio

import httpx

from hdkit.engine._sync import run_sync
from hdkit.engine.client import Client


def test_a_slow_first_answer_still_comes_first() -> None:
    async def run() -> list[str]:
        second_answered = asyncio.Event()

        async def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/1":
                await second_answered.wait()  # the first request is answered last
            else:
                second_answered.set()
            return httpx.Response(200, json={"page": request.url.path})

        async with Client(transport=httpx.MockTransport(handler), max_concurrent=2) as client:
            await asyncio.gather(client.send("page 1", "GET", "http://desk.test/1"),
                                 client.send("page 2", "GET", "http://desk.test/2"))
            return [e.step for e in client.exchanges]

    assert run_sync(run()) == ["page 1", "page 2"]


def test_requests_skipped_before_sending_keep_their_place_too() -> None:
    async def run() -> list[str]:
        async with Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={}))) as client:
            await client.send("first", "GET", "http://desk.test/a")
            await client.send("blank", "GET", "")
            await client.send("last", "GET", "http://desk.test/b")
            return [e.step for e in client.exchanges]

    assert run_sync(run()) == ["first", "blank", "last"]
