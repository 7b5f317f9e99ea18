"""What reaches the wire: one concurrency slot, one deadline and one size cap per request.

Every request of a run, the engine's own and those authlib makes through the run's client,
passes :class:`GuardedTransport`, which holds a slot of *Max Concurrent Request* from
sending the request until its body is fully read, and within that slot enforces two limits a
hostile or broken helpdesk could otherwise stretch without bound:

* **a deadline**: the whole attempt (connect, send, wait, read) ends after ``timeout``
  seconds, where httpx's own timeout restarts with every byte read, so a helpdesk dripping one
  byte a second could hold a run for as long as it liked;
* **a size cap** on the *decoded* body: gzip and deflate are decoded here, chunk by chunk, with
  zlib's ``max_length`` so a small gzip bomb is stopped after ``max_bytes`` of output instead
  of being inflated whole. A declared ``Content-Length`` over the cap is refused before
  reading. Only those codings are asked for (``Accept-Encoding: gzip, deflate``); a body in any
  other (``br``, ``zstd``) is refused, since httpx would inflate it past the cap whenever the
  brotli or zstandard package happens to be installed. Memory for bodies in flight is bounded by concurrency x cap: fetch-ahead cannot
  multiply it further, because a page holds its slot until its body is read.

The response handed back is already decoded (``Content-Encoding`` and ``Content-Length`` are
dropped from its headers), so httpx does not decode it again.
"""

from __future__ import annotations

import asyncio
import zlib
import httpx

__all__ = [
    "ACCEPT_ENCODING",
    "MAX_RESPONSE_BYTES",
    "GuardedTransport",
    "Refused",
    "RequestTimeout",
    "ResponseTooLarge",
    "UnknownEncoding",
    "lent",
]

MAX_RESPONSE_BYTES = 10 * 1024 * 1024  # decoded body; a page of 100 users is a few hundred KB
ACCEPT_ENCODING = "gzip, deflate"  # the codings decoded here, under the cap
_DECODED = ("gzip", "x-gzip", "deflate")


class Refused(httpx.TransportError):
    """hdkit will not take this exchange further (the outcome ``refused``); asking again would
    meet the same answer, so it is never retried."""


class ResponseTooLarge(Refused):
    """The body (decoded) is over the run's size cap; reading stopped at the cap."""


class UnknownEncoding(Refused):
    """The body is in a content coding hdkit does not decode under its cap."""


class RequestTimeout(httpx.TimeoutException):
    """The whole attempt took longer than the run's timeout; ``phase`` says where it was.

    ``answering`` is true when the helpdesk had started its answer: it is alive but too slow,
    and asking again would only be as slow (the client does not retry then).
    """

    def __init__(self, message: str, *, phase: str, answering: bool,
                 request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)
        self.phase = phase
        self.answering = answering


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


class _Zlib:
    """gzip or deflate, decoded in bounded steps (never more than ``room`` bytes at once)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_fallback = encoding == "deflate"  # RFC 9110 says zlib; some servers send raw
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS)

    def __call__(self, data: bytes, room: int) -> bytes:
        try:
            out = self._d.decompress(data, room)
        except zlib.error:
            if not self._raw_fallback:
                raise httpx.DecodingError(f"the {self.encoding} body is corrupt") from None
            self._raw_fallback = False
            self._d = zlib.decompressobj(-zlib.MAX_WBITS)
            return self(data, room)
        self._raw_fallback = False
        if self._d.unconsumed_tail:  # more output is waiting than there is room for
            raise _Overflow
        return out

    def finish(self, room: int) -> bytes:
        out = self._d.flush()
        if len(out) > room:
            raise _Overflow
        return out


class _Overflow(Exception):
    pass


def _decoders(headers: httpx.Headers) -> list[_Zlib]:
    """The decoders for a Content-Encoding list, outermost first (``identity`` is none)."""
    names = [n.strip().lower() for n in headers.get("content-encoding", "").split(",") if n.strip()]
    unknown = [n for n in names if n not in (*_DECODED, "identity")]
    if unknown:
        raise UnknownEncoding(f"the response is encoded as {', '.join(unknown)!r}, which hdkit does not decode "
                              f"(it asks for {ACCEPT_ENCODING}); hdkit did not read it")
    return [_Zlib("gzip" if n == "x-gzip" else n) for n in reversed(names) if n in _DECODED]


async def read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """The decoded body, and whether it was decoded; :class:`ResponseTooLarge` past ``limit``."""
    decoders = _decoders(response.headers)
    declared = response.headers.get("content-length", "")
    if not decoders and declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(f"the response declares {_size(int(declared))}, over the "
                               f"{_size(limit)} limit; hdkit did not read it")
    body = bytearray()
    try:
        async for chunk in response.stream:  # type: ignore[union-attr]
            for decode in decoders:
                chunk = decode(chunk, limit - len(body) + 1)
            body += chunk
            if len(body) > limit:
                raise _Overflow
        for i, decoder in enumerate(decoders):  # what the decoders still hold, through the rest
            tail = decoder.finish(limit - len(body) + 1)
            for decode in decoders[i + 1:]:
                tail = decode(tail, limit - len(body) + 1)
            body += tail
            if len(body) > limit:
                raise _Overflow
    except _Overflow:
        kind = "decoded " if decoders else ""
        raise ResponseTooLarge(f"the response is over the {_size(limit)} limit ({kind}body); "
                               f"hdkit stopped reading at {_size(limit)}") from None
    return bytes(body), bool(decoders)


class GuardedTransport(httpx.AsyncBaseTransport):
    """The run's transport: concurrency slot, whole-attempt deadline, decoded size cap."""

    def __init__(self, inner: httpx.AsyncBaseTransport, limit: int, *, timeout: float | None,
                 max_bytes: int = MAX_RESPONSE_BYTES) -> None:
        self._inner = inner
        self._slots = asyncio.Semaphore(limit)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.in_flight = 0
        self.peak = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async with self._slots:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            try:
                return await self._bounded(request)
            finally:
                self.in_flight -= 1

    async def _bounded(self, request: httpx.Request) -> httpx.Response:
        answering = False
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._inner.handle_async_request(request)
                answering = True
                try:
                    raw, decoded = await read_capped(response, self.max_bytes)
                finally:
                    await response.aclose()
        except TimeoutError:
            phase = "reading the response (it arrived too slowly)" if answering else "waiting for the response"
            raise RequestTimeout(f"no complete response within {self.timeout:g} s", phase=phase,
                                 answering=answering, request=request) from None
        headers = httpx.Headers(response.headers)
        if decoded:
            del headers["content-encoding"]
            headers.pop("content-length", None)
        return httpx.Response(response.status_code, headers=headers, stream=httpx.ByteStream(raw),
                              extensions=response.extensions, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class _Lent(httpx.AsyncBaseTransport):
    """The run's transport lent to another httpx client (authlib); closing it is a no-op."""

    def __init__(self, owner: GuardedTransport) -> None:
        self._owner = owner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._owner.handle_async_request(request)


def lent(owner: GuardedTransport) -> httpx.AsyncBaseTransport:
    """``owner`` for another httpx client: same slots and limits, but that client cannot close it."""
    return _Lent(owner)
