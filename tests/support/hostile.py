"""A hostile helpdesk on 127.0.0.1 for the hardening suites: it echoes what it receives and
misbehaves on demand.

:class:`HostileDesk` speaks just enough of each sample's API shape (keydesk under ``/kd``,
freshdesk under ``/fd``, zoho under ``/zo``, zendesk under ``/zd``) for the bundled samples to
run against it unchanged, with ``base_url`` pointing here. Every answer echoes the request
(headers, query, body) inside its records and under ``"echo"``, so whatever credential a
request carried comes back in the body, JSON-escaped: the planted-secrets suite then checks
hdkit never shows it. ``mode`` switches the misbehaviour for the next requests:

``echo``          the normal, echoing helpdesk (requests to ``/api`` need a credential: 401 without)
``deep``          JSON nested 5,000 levels
``bomb``          a 1 MB gzip body that inflates to 1 GiB
``huge``          a 50 MB JSON body
``drip``          one byte every 50 ms (bounded)
``latin1``        a JSON body in ISO-8859-1, declared as plain ``application/json``
``redirect``      every request to 127.0.0.1 answered 302 to the same path on ``localhost``
``offhost_next``  user pages whose next link points at ``localhost`` (another host, this server)
``unauthorized``  401 whose body echoes the request (``unauthorized_next = N``: only the next N)

In ``echo`` mode a POST is answered 201 with its body echoed: a caller named after a
template's token-invalid marker comes back in a successful answer.

``localhost`` and ``127.0.0.1`` are different hosts to a client, so :attr:`elsewhere` is "another
host" that still records what reached it (:attr:`requests`, each with its ``host``).
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import AsyncIterator
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

HOST = "127.0.0.1"
DEEP_LEVELS = 5_000
BOMB_INFLATED = 1 << 30  # 1 GiB of "0" inside a JSON string
HUGE_BYTES = 50 * 1024 * 1024
DRIP_BYTES = 400  # at 50 ms a byte: 20 s, far past any timeout a test uses
DRIP_INTERVAL_S = 0.05
ACCESS_TOKEN = 'Ao9+tok "en\\%&Xq'  # issued by the token endpoints: quote, backslash, space...
REFRESH_TOKEN = 'Rf4&re "fr\\%+Yw'
FOLLOWUP_TOKEN = 'Fu5\\tk "n%+&Lm'  # issued by POST .../login, the follow-up login
MODES = ("echo", "deep", "bomb", "huge", "drip", "latin1", "redirect", "offhost_next", "unauthorized")
PREFIX = {"keydesk": "kd", "freshdesk": "fd", "zoho": "zo", "zendesk": "zd"}
_ALL = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@cache
def gzip_bomb(inflated: int = BOMB_INFLATED) -> bytes:
    """A gzip body (about 1 KB per MB) that inflates to ``{"data": "000..."}`` of ``inflated`` bytes.

    Built from one compressed megabyte repeated (a full flush makes each copy identical), so
    it costs a fraction of a second, not the seconds compressing a gigabyte would.
    """
    pre, post, block = b'{"data": "', b'"}', b"0" * (1 << 20)
    blocks = max(1, (inflated - len(pre) - len(post)) // len(block))
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = c.compress(pre) + c.flush(zlib.Z_FULL_FLUSH)
    chunk = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = (c.compress(post) + c.flush())[:-8]  # its trailer counts 1 block: write the real one
    crc = zlib.crc32(pre)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(post, crc)
    size = (len(pre) + blocks * len(block) + len(post)) & 0xFFFFFFFF
    return head + chunk * blocks + tail + struct.pack("<II", crc, size)


def deep_json(levels: int = DEEP_LEVELS) -> bytes:
    return b'{"data": ' + b"[" * levels + b"]" * levels + b"}"


class HostileDesk:
    """The server; ``with HostileDesk() as desk:`` binds 127.0.0.1 on a free port and stops after."""

    def __init__(self, users: int = 150) -> None:
        self.users = users
        self.mode = "echo"
        self.unauthorized_next = 0  # the next N requests to /api answer 401 (a token that expired)
        self.requests: list[dict[str, Any]] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> HostileDesk:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, 0))
        self.port = sock.getsockname()[1]
        app = Starlette(routes=[Route("/{path:path}", self._answer, methods=_ALL)])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._sock = sock
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"hostile-desk-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 5
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the hostile desk did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None

    def __enter__(self) -> HostileDesk:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self, mode: str = "echo") -> None:
        assert mode in MODES, mode
        self.mode = mode
        self.unauthorized_next = 0
        self.requests.clear()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def elsewhere(self) -> str:
        """This server under another host name: what a client must treat as another host."""
        return f"http://localhost:{self.port}"

    def base(self, vendor: str) -> str:
        """The ``base_url`` input of a sample (``keydesk``, ``freshdesk``, ``zoho``, ``zendesk``)."""
        return f"{self.url}/{PREFIX[vendor]}"

    # -- answers -------------------------------------------------------------------------------

    async def _answer(self, request: Request) -> Response:
        body = (await request.body()).decode("utf-8", "replace")
        host = request.headers.get("host", "").split(":")[0]
        seen = {"method": request.method, "host": host, "path": request.url.path,
                "query": request.url.query, "headers": dict(request.headers), "body": body}
        self.requests.append(seen)
        path, mode = request.url.path, self.mode
        if mode == "redirect" and host == HOST:
            target = f"{self.elsewhere}{path}" + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(target, status_code=302)
        special = self._misbehave(mode, path)  # token endpoints misbehave too
        if special is not None:
            return special
        if path.endswith(("/token", "/tokens")) and request.method == "POST":
            return JSONResponse({"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN,
                                 "token_type": "Bearer", "expires_in": 3600})
        if path.endswith("/login"):
            return JSONResponse({"data": {"access_token": FOLLOWUP_TOKEN, "jwt": FOLLOWUP_TOKEN}})
        credential = next((request.headers[h] for h in ("x-api-key", "authorization") if h in request.headers), "")
        expired = "/api" in path and self.unauthorized_next > 0
        if expired:
            self.unauthorized_next -= 1
        if mode == "unauthorized" or expired or ("/api" in path and not credential):
            return JSONResponse({"error": "unauthorized", "errorCode": "INVALID_OAUTH", "echo": seen},
                                status_code=401)
        return JSONResponse(self._shaped(request, seen, credential), status_code=201 if request.method == "POST" else 200)

    def _misbehave(self, mode: str, path: str) -> Response | None:
        if mode == "deep":
            return Response(deep_json(), media_type="application/json")
        if mode == "bomb":
            return Response(gzip_bomb(), media_type="application/json", headers={"Content-Encoding": "gzip"})
        if mode == "huge":
            return StreamingResponse(_huge(), media_type="application/json")
        if mode == "drip":
            return StreamingResponse(_drip(), media_type="application/json")
        if mode == "latin1":
            text = ('{"data": [{"id": "c1", "name": "José Müller", "email": "jm@x.io", "company": "Société",'
                    ' "phone": "+14155550123", "mobile": "+14155550124"}]}')
            return Response(text.encode("latin-1"), media_type="application/json")
        return None

    def _shaped(self, request: Request, seen: dict[str, Any], credential: str) -> Any:
        """An answer each sample can map: its records, built from what the request carried."""
        path, query = request.url.path, dict(parse_qsl(request.url.query, keep_blank_values=True))
        if _is_users(path):
            return self._users(request, path, query)
        record = {"id": "c1", "name": credential or "Ada Lovelace", "firstName": credential or "Ada",
                  "lastName": "Lovelace", "email": seen["query"] or "ada@x.io", "emailId": "ada@x.io",
                  "company": seen["body"][:500], "notes": credential, "phone": "+14155550123",
                  "mobile": "+14155550124", "accountName": "", "contact": {"name": credential, "email": ""}}
        if path.startswith("/fd/") and path.endswith("/contacts") and request.method == "GET":
            return [record]  # freshdesk answers a bare array
        many = request.method == "GET"
        return {"data": [record] if many else record, "users": [record], "user": record,
                "ticket": record, "id": "r1", "status": "open", "tags": ["hdkit"], "echo": seen}

    def _users(self, request: Request, path: str, query: dict[str, str]) -> Any:
        size = int(query.get("page_size") or query.get("per_page") or query.get("limit") or 100)
        if "from" in query:
            start = int(query["from"])
        elif "page" in query:
            start = (int(query["page"]) - 1) * size
        else:
            start = 0
        users = [{"id": f"u{i:04d}", "name": f"User {i}", "firstName": "User", "lastName": str(i),
                  "email": f"u{i}@x.io", "emailId": f"u{i}@x.io",
                  "contact": {"name": f"User {i}", "email": f"u{i}@x.io"}}
                 for i in range(start, min(start + size, self.users))]
        if path.startswith("/fd/"):
            return users
        page = start // size + 1
        more = start + size < self.users
        host = self.elsewhere if self.mode == "offhost_next" else self.url
        next_page = f"{host}{path}?page={page + 1}&page_size={size}" if more else None
        return {"data": users, "users": users, "next_page": next_page}


def _is_users(path: str) -> bool:
    return path.endswith(("/api/users", "/agents", "/users.json"))


async def _huge() -> AsyncIterator[bytes]:
    chunk = b"x" * (1 << 20)
    yield b'{"data": [], "pad": "'
    for _ in range(HUGE_BYTES // len(chunk)):
        yield chunk
    yield b'"}'


async def _drip() -> AsyncIterator[bytes]:
    for _ in range(DRIP_BYTES):
        yield b" "
        await asyncio.sleep(DRIP_INTERVAL_S)
    yield json.dumps({"data": []}).encode()


def variant(sample: str, *replacements: tuple[str, str]) -> str:
    """A bundled sample's XML text with some text replaced (each original must be there).

    Tests change templates at the file level, the file being the truth: the XML keeps working
    whatever shape the Python model takes.
    """
    from hdkit import samples

    text = samples.text(sample)
    for old, new in replacements:
        assert old in text, f"{old!r} is not in the {sample} sample"
        text = text.replace(old, new)
    return text


KEY_IN_QUERY = ('phone={{UrlEncode .Phone}}"', 'phone={{UrlEncode .Phone}}&amp;key={{.api_key}}"')


# A keydesk variant whose call first logs in with a follow-up, then uses the token it obtained.
# The output variable's name says nothing (``Jwt``); the path's last key (``access_token``) does.
_LOGIN = """    <Scenario Id="Common" Type="REST">
      <Presets />
      <Parameters />
      <Requests>
        <Request Name="Login" Method="POST" ResponseType="application/json" URLFormat="{{.base_url}}/api/login">
          <Parameters>
            <Parameter Name="Data" Type="Body" Value="{&quot;key&quot;: {{printf &quot;%q&quot; .api_key}}}" />
            <Parameter Name="TriggerEvent" Value="call_ringing" />
            <Parameter Name="Headers" Type="Header" Value="{&quot;Content-Type&quot;: &quot;application/json&quot;}" />
          </Parameters>
          <Outputs>
            <Output Name="Jwt" Path="$.data.access_token" />
          </Outputs>
        </Request>
        <Request Name="WhoAmI" Method="GET" ResponseType="application/json" URLFormat="{{.base_url}}/api/whoami?jwt={{UrlEncode .Jwt}}">
          <Parameters>
            <Parameter Name="TriggerEvent" Value="call_ringing" />
            <Parameter Name="Headers" Type="Header" Value="{&quot;Authorization&quot;: {{printf &quot;%q&quot; (printf &quot;Bearer %s&quot; .Jwt)}}}" />
          </Parameters>
          <Outputs>
            <Output Name="Me" Path="$.id" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
"""
FOLLOWUP_LOGIN = ('    <Scenario Id="CreateNewContact" Type="REST">', _LOGIN + '    <Scenario Id="CreateNewContact" Type="REST">')
