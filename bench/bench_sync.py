"""Paged user sync: hdkit's fetch-ahead paging vs a sequential client, in one run.

The sandbox adds latency L to every request. A sequential client (how other tools page)
needs about 100 x L for 100 pages; hdkit's page-number and offset modes keep Max Concurrent
Request C pages in flight, so the goal is 1.25 x ceil(100 / C) x L.

    .venv/bin/python bench/bench_sync.py [--latency-ms 100] [--concurrency 10]

The sandbox runs in its own process, as a helpdesk would (in-process, its CPU time would
share the GIL with the client's). Page mode runs against the KeyDesk-like API (API key,
``page``/``page_size``), offset mode against the Zoho-like API (an OAuth2 code flow with
PKCE first, then ``from``/``limit``). Both list 2,500 agents, 25 per page: exactly 100 pages.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from hdkit.engine import OAuth2Session  # noqa: E402
from hdkit.engine.client import Client  # noqa: E402
from hdkit.engine.paging import Paged, add_query, fetch_pages  # noqa: E402
from hdkit.model import ContentType, OAuth2, Pagination, PaginationMode  # noqa: E402
from hdkit.sandbox import DEMO  # noqa: E402

PAGES = 100
SIZE = 25
START_TIMEOUT_S = 20


@contextlib.contextmanager
def sandbox_process() -> Iterator[str]:
    """``python -m hdkit.sandbox --port 0`` in a child process; yields its base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "hdkit.sandbox", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "hdkit sandbox on http://127.0.0.1:PORT  (...)"
        if " on http://" not in first:
            raise RuntimeError(f"the sandbox did not start: {first!r}")
        url = first.split(" on ", 1)[1].split()[0]
        deadline = time.monotonic() + START_TIMEOUT_S
        while httpx.get(f"{url}/_sandbox").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def zoho_session(url: str, client: Client) -> OAuth2Session:
    """A real OAuth2 code flow with PKCE against the sandbox (consent auto-approved)."""
    z = DEMO["zoho"]
    config = OAuth2(
        authorization_endpoint=f"{url}{z['authorize']}?response_type=code&client_id={{{{.client_id}}}}"
                               "&access_type=offline&approve=1",
        token_endpoint=f"{url}{z['token']}",
        content_type=ContentType.FORM,
        scope=z["scope"],
    )
    inputs = {"client_id": z["client_id"], "client_secret": z["client_secret"]}
    session = OAuth2Session(config, inputs, client=client, pkce=True)
    consent = session.authorization_url(z["redirect_uri"])
    async with httpx.AsyncClient() as browser:
        redirect = (await browser.get(consent)).headers["location"]
    await session.complete(redirect)
    return session


async def timed(run: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await run()
    return time.perf_counter() - started, result


async def sequential(url: str, headers: dict[str, str], key: str) -> int:
    """The baseline: one page after another, stopping on a short page."""
    records = 0
    async with httpx.AsyncClient(timeout=30) as http:
        for k in range(PAGES):
            params = {"page": str(k + 1), "page_size": str(SIZE)}
            page = (await http.get(add_query(url, params), headers=headers)).json()[key]
            records += len(page)
            if len(page) < SIZE:
                break
    return records


async def run(url: str, latency_ms: int, concurrency: int) -> list[tuple[str, float, int, int, str]]:
    keydesk = f"{url}{DEMO['keydesk']['api']}/users"
    key_headers = {DEMO["keydesk"]["header"]: DEMO["keydesk"]["api_key"]}
    page = Pagination(mode=PaginationMode.PAGE, page_param="page", page_start=1,
                      size_param="page_size", size=SIZE)
    zoho = f"{url}{DEMO['zoho']['api']}/agents"
    zoho_headers = {"orgId": DEMO["zoho"]["org_id"]}
    offset = Pagination(mode=PaginationMode.OFFSET, offset_param="from", offset_start=0,
                        limit_param="limit", limit=SIZE)
    rows = []
    async with Client(max_concurrent=concurrency, timeout=30) as client:
        session = await zoho_session(url, client)
        httpx.post(f"{url}/_sandbox/faults", json={"latency_ms": latency_ms}).raise_for_status()
        for name, target, headers, pagination, key, auth in (
            ("hdkit page mode", keydesk, key_headers, page, "data", None),
            ("hdkit offset mode", zoho, zoho_headers, offset, "data", session),
        ):
            elapsed, paged = await timed(lambda: fetch_pages(
                client, "Get users", lambda _v: (target, headers), pagination,
                lambda r: r.json()[key], lambda _r: None, auth=auth))
            assert isinstance(paged, Paged)
            rows.append((name, elapsed, len(paged.records), paged.requests, str(paged.stop_reason)))
        peak = client.peak_in_flight
    elapsed, users = await timed(lambda: sequential(keydesk, key_headers, "data"))
    rows.append(("sequential baseline", elapsed, users, PAGES, "-"))
    rows.append(("peak in flight", float(peak), 0, 0, f"limit {concurrency}"))
    return rows


def main(latency_ms: int, concurrency: int) -> int:
    latency = latency_ms / 1000
    goal = 1.25 * math.ceil(PAGES / concurrency) * latency
    with sandbox_process() as url:
        rows = asyncio.run(run(url, latency_ms, concurrency))
    *timings, (_, peak, _, _, _) = rows
    print(f"paged user sync: {PAGES} pages x {SIZE} users, latency L = {latency_ms} ms, "
          f"Max Concurrent Request C = {concurrency}")
    print(f"goal for page/offset modes: 1.25 x ceil({PAGES}/{concurrency}) x L = {goal:.3f} s; "
          f"a sequential client needs at least {PAGES * latency:.3f} s")
    print(f"{'run':<22}{'elapsed s':>10}{'ratio/goal':>12}{'users':>8}{'requests':>10}  stop")
    ok = peak <= concurrency
    for name, elapsed, users, requests, stop in timings:
        ratio = elapsed / goal
        print(f"{name:<22}{elapsed:>10.3f}{ratio:>12.2f}{users:>8}{requests:>10}  {stop}")
        if name.startswith("hdkit"):
            ok = ok and ratio <= 1.0 and users == PAGES * SIZE and requests <= PAGES
    baseline = timings[-1][1]
    print(f"peak in flight (hdkit client): {peak:.0f} (limit {concurrency})")
    print(f"speed-up over the sequential baseline: page {baseline / timings[0][1]:.1f}x, "
          f"offset {baseline / timings[1][1]:.1f}x")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    sys.exit(main(args.latency_ms, args.concurrency))
