"""A contact lookup end to end (``Engine.asearch``) vs a raw httpx GET of the same URL.

Both run against the sandbox with added latency (``latency_ms``), each lookup opening its own
client, as a PBX lookup per call would. hdkit's lookup renders the template, sends through the
run's client (concurrency cap, retries, redaction), extracts the contact fields and builds the
pop-up URL; the baseline is ``httpx.AsyncClient().get(url, headers=...)``. Prints the medians and
the ratio (goal: <= 1.15); no assertions.

A new ``AsyncClient`` reloads the CA bundle (10-30 ms); hdkit builds its TLS context once per
process, so a second baseline shares one context too: that ratio is hdkit's own overhead.

Run: ``.venv/bin/python bench/bench_lookup.py [latency_ms]``
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

import httpx

from hdkit import samples
from hdkit.engine.runner import Engine
from hdkit.sandbox import Sandbox

SAMPLE, REPEAT = "keydesk", 30


async def medians_ms(*lookups: Callable[[], Awaitable[None]], repeat: int = REPEAT) -> list[float]:
    """Median time of each lookup, run interleaved so machine load hits them alike."""
    for lookup in lookups:
        await lookup()  # warm up
    times: list[list[float]] = [[] for _ in lookups]
    for _ in range(repeat):
        for lookup, bucket in zip(lookups, times, strict=True):
            start = time.perf_counter()
            await lookup()
            bucket.append(time.perf_counter() - start)
    return [statistics.median(t) * 1000 for t in times]


async def run(latency_ms: int) -> None:
    with Sandbox() as hd:
        hd.faults.update(latency_ms=latency_ms)
        engine = Engine(samples.load(SAMPLE), samples.demo_inputs(SAMPLE, hd.url))
        phone = samples.demo_phone(SAMPLE)
        first = await engine.asearch(phone)
        exchange = first.log[0]
        url = exchange.url  # the rendered URL (nothing secret in it for this sample)
        headers = {"X-API-Key": samples.demo_inputs(SAMPLE, hd.url)["api_key"], "Accept": "application/json"}
        assert len(first) >= 1

        async def hdkit_lookup() -> None:
            await engine.asearch(phone)

        async def raw_get() -> None:
            async with httpx.AsyncClient() as client:
                (await client.get(url, headers=headers)).raise_for_status()

        tls = httpx.create_ssl_context()

        async def raw_get_shared_tls() -> None:  # the fairest baseline: no CA bundle reload
            async with httpx.AsyncClient(verify=tls) as client:
                (await client.get(url, headers=headers)).raise_for_status()

        ours, raw, bare = await medians_ms(hdkit_lookup, raw_get, raw_get_shared_tls)
    print(f"contact lookup ({SAMPLE} sample), sandbox latency {latency_ms} ms, median of {REPEAT}")
    print(f"  hdkit Engine.asearch: {ours:8.2f} ms")
    print(f"  raw httpx GET:        {raw:8.2f} ms  (a new AsyncClient per lookup, as documented)")
    print(f"  raw GET, shared TLS:  {bare:8.2f} ms  (the CA bundle loaded once, as hdkit does)")
    print(f"  ratio hdkit / raw: {ours / raw:.2f}  (goal <= 1.15)")
    print(f"  ratio hdkit / raw with shared TLS: {ours / bare:.2f}  (hdkit's own overhead)")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
