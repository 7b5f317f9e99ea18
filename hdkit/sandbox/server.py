"""Run the sandbox on a real uvicorn server in a background thread.

``with Sandbox() as hd:`` binds 127.0.0.1 on an OS-chosen port, serves until the block ends
and then stops: the thread is joined and the port closed. Only 127.0.0.1 is ever bound: the
sandbox accepts demo credentials and must never be reachable from another machine.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.app import create_app
from hdkit.sandbox.context import Context
from hdkit.sandbox.faults import Faults

HOST = "127.0.0.1"
START_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 5.0
_POLL_S = 0.005


class Sandbox:
    """A running sandbox helpdesk: its URL, switches, request log and created records."""

    def __init__(self, port: int = 0, host: str = HOST) -> None:
        if host != HOST:
            raise ValueError(f"the sandbox binds {HOST} only, not {host!r}")
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be 0..65535, got {port}")
        self._port = port
        self._ctx = Context()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Bind, serve in a daemon thread, and return once the server accepts requests."""
        if self._thread is not None:
            raise RuntimeError("this sandbox is already running")
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else ~40 ms per reply).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, self._port))
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]  # kept after stop: a restart serves the same URL
        config = uvicorn.Config(create_app(self._ctx), log_level="warning", access_log=False,
                                lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._sock = sock
        self._ctx.stopping.clear()
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"hdkit-sandbox-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox server did not start")
            time.sleep(_POLL_S)
        return self

    def stop(self) -> None:
        """Stop serving, join the thread and close the port (idempotent)."""
        self._ctx.stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_S)
        if self._sock is not None:
            self._sock.close()
        self._server, self._thread, self._sock = None, None, None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    # -- addresses -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (0 until a server started with port 0 has bound one)."""
        return self._port

    @property
    def address(self) -> tuple[str, int] | None:
        """The address the listening socket is bound to, None when not running."""
        return self._sock.getsockname() if self._sock is not None else None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash."""
        return f"http://{HOST}:{self.port}"

    @property
    def urls(self) -> dict[str, str]:
        """Each vendor's base URL, e.g. ``urls["zendesk"]`` is ``<url>/zendesk``."""
        return {name: self.url + demo["base"] for name, demo in DEMO.items()}

    # -- observation and control ------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        return self._ctx.faults

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request received since the last reset, oldest first, secrets masked."""
        return self._ctx.log.entries

    @property
    def peak_in_flight(self) -> int:
        return self._ctx.log.peak_in_flight

    @property
    def state(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Records created through the APIs: ``state[vendor][kind]`` is a list of records."""
        return self._ctx.store.snapshot()

    def expire_tokens(self) -> None:
        """Every OAuth2 access token issued so far expires now (refresh tokens stay valid)."""
        self._ctx.expire_tokens()

    def reset(self) -> None:
        """Clear faults, the request log, created records and issued OAuth2 tokens."""
        self._ctx.reset()

    def settle(self, quiet: float = 0.05, limit: float = 2.0) -> None:
        """Wait (at most ``limit`` s) until no request is in flight and none arrived for ``quiet`` s.

        A client that stopped early (a sync that found a repeated page cancels its fetch-ahead)
        may have requests still on their way; settling before a reset keeps them out of the next
        test's request log.
        """
        log = self._ctx.log
        deadline = time.monotonic() + limit
        seen, calm_since = len(log.entries), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(quiet / 5)
            now = len(log.entries)
            if now != seen or log.in_flight:
                seen, calm_since = now, time.monotonic()
            elif time.monotonic() - calm_since >= quiet:
                return

    def __repr__(self) -> str:
        return f"<Sandbox {self.url} {'running' if self.running else 'stopped'}>"
