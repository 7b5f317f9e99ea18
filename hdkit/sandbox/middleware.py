"""The ASGI middleware in front of every vendor API: record, then misbehave on request.

It buffers the request body (to log it, masked, and replay it to the app), counts requests
in flight, and applies the request's fault :class:`~hdkit.sandbox.faults.Plan`: latency
(awaited, so concurrent requests overlap), a hang, a vendor-shaped 429/5xx, or a response
whose JSON is cut in half. ``/_sandbox/...`` control routes pass through untouched.
A request the sandbox itself fails on gets the vendor's 500 and an ``error`` in its log entry
(the traceback goes to the ``hdkit.sandbox.middleware`` logger at DEBUG), never a traceback on
the user's terminal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hdkit.sandbox.context import Context
from hdkit.sandbox.faults import FaultError
from hdkit.sandbox.web import FAULT_PARAM, PLAN_KEY

FaultResponder = Callable[[int, int], Response]
_log = logging.getLogger(__name__)
CONTROL_PREFIX = "/_sandbox"
FAULT_HEADER = "x-sandbox-fault"


class SandboxMiddleware:
    def __init__(self, app: ASGIApp, ctx: Context, responders: dict[str, FaultResponder]) -> None:
        self.app = app
        self.ctx = ctx
        self.responders = responders

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        spec = _fault_spec(headers, scope["query_string"].decode("latin-1"))
        entry = self._entry(scope, headers, body)
        generation = self.ctx.log.begin(entry)
        done = False

        def finish() -> None:
            nonlocal done
            if not done:
                done = True
                self.ctx.log.end(generation)

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.ctx.log.answered(entry, message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finish()  # before the last byte leaves: a client's next request never overlaps
            await send(message)

        try:
            await self._handle(scope, _replay(body, receive), send_status, spec, entry)
        except Exception as exc:  # a sandbox bug: answer like a helpdesk's 500, note it, stay quiet
            entry["error"] = self.ctx.masker.text(f"{type(exc).__name__}: {exc}")
            _log.debug("sandbox request %s %s failed", scope["method"], entry["path"], exc_info=True)
            if entry["status"] is None:
                await self._responder(scope["path"])(500, 0)(scope, receive, send_status)
        finally:
            finish()

    async def _handle(self, scope: Scope, receive: Receive, send: Send, spec: str,
                      entry: dict[str, Any]) -> None:
        try:
            plan = self.ctx.faults.take(spec)
        except FaultError as exc:
            await JSONResponse({"sandbox_error": str(exc)}, 400)(scope, receive, send)
            return
        entry["fault"] = plan.summary()
        if plan.expire_tokens:
            self.ctx.expire_tokens()
        if plan.latency_ms:
            await self.ctx.pause(plan.latency_ms / 1000)
        send = _truncating(send) if plan.malformed else send
        responder = self._responder(scope["path"])
        if plan.hang_s is not None:
            await self.ctx.pause(plan.hang_s)
            await responder(504, plan.retry_after_s)(scope, receive, send)
        elif plan.status is not None:
            await responder(plan.status, plan.retry_after_s)(scope, receive, send)
        else:
            scope[PLAN_KEY] = plan
            await self.app(scope, receive, send)

    def _responder(self, path: str) -> FaultResponder:
        return responder_for(self.responders, path)

    def _entry(self, scope: Scope, headers: list[tuple[str, str]], body: bytes) -> dict[str, Any]:
        masker = self.ctx.masker
        query = masker.query(scope["query_string"].decode("latin-1"))
        ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
        vendor = scope["path"].strip("/").split("/", 1)[0]
        return {"method": scope["method"], "path": masker.text(scope["path"]),
                "url": masker.text(scope["path"]) + (f"?{query}" if query else ""),
                "vendor": vendor if f"/{vendor}" in self.responders else None,
                "headers": masker.headers(headers), "body": masker.body(body, ctype),
                "fault": None, "error": None}


def responder_for(responders: dict[str, FaultResponder], path: str) -> FaultResponder:
    """The error answers of the vendor whose prefix ``path`` is under (a generic one if none)."""
    for prefix, responder in responders.items():
        if path == prefix or path.startswith(prefix + "/"):
            return responder
    return _generic_fault


def _generic_fault(status: int, retry_after_s: int) -> Response:
    headers = {"Retry-After": str(retry_after_s)} if status == 429 else None
    return JSONResponse({"error": f"HTTP {status}"}, status, headers)


def _fault_spec(headers: list[tuple[str, str]], query: str) -> str:
    parts = [v for k, v in headers if k.lower() == FAULT_HEADER]
    parts += [v for k, v in parse_qsl(query, keep_blank_values=True) if k == FAULT_PARAM]
    return ",".join(p for p in parts if p)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _truncating(send: Send) -> Send:
    """Hold the response and send its body cut in half, with a matching Content-Length."""
    held: list[Message] = []
    chunks: list[bytes] = []

    async def truncating(message: Message) -> None:
        if message["type"] == "http.response.start":
            held.append(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                start, whole = held[0], b"".join(chunks)
                if start["status"] in (204, 304):
                    await send(start)
                    await send(message)
                    return
                cut = whole[: len(whole) // 2] if len(whole) > 1 else b'{"'
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(cut)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": cut})
        else:
            await send(message)

    return truncating
