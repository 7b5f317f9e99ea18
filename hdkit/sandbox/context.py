"""Everything one running sandbox holds: switches, log, created records, OAuth servers.

Vendor routes and the middleware receive one :class:`Context`; nothing is global, so two
sandboxes in one process (two test sessions, a notebook and a test) never share state.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import threading
import time
from typing import Any

from hdkit.sandbox.accounts import DEMO, secret_values
from hdkit.sandbox.faults import Faults
from hdkit.sandbox.oauth_server import OAuthServer
from hdkit.sandbox.recorder import Masker, RequestLog

HANG_POLL_S = 0.05


class Store:
    """Records created through the APIs, per vendor and kind, for the life of the server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        """A fresh number; vendors add their own offset or turn it into a string id."""
        with self._lock:
            return next(self._ids)

    def put(self, vendor: str, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._data.setdefault(vendor, {}).setdefault(kind, {})[str(record["id"])] = record
        return record

    def get(self, vendor: str, kind: str, record_id: object) -> dict[str, Any] | None:
        with self._lock:
            return self._data.get(vendor, {}).get(kind, {}).get(str(record_id))

    def all(self, vendor: str, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._data.get(vendor, {}).get(kind, {}).values())

    def snapshot(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        with self._lock:
            return {vendor: {kind: copy.deepcopy(list(records.values()))
                             for kind, records in kinds.items()}
                    for vendor, kinds in self._data.items()}

    def clear(self) -> None:
        with self._lock:
            self._data = {}


class Context:
    """The state of one sandbox server."""

    def __init__(self) -> None:
        self.faults = Faults(self.expire_tokens)
        self.masker = Masker(secret_values())
        self.log = RequestLog()
        self.store = Store()
        self.stopping = threading.Event()
        self._epoch = 0  # bumped by reset(): pauses from before it end early
        zd, zo, hs, kd = DEMO["zendesk"], DEMO["zoho"], DEMO["hubspot"], DEMO["keydesk"]
        self.oauth = {
            "zendesk": OAuthServer("zd", zd["client_id"], zd["client_secret"], rotate=True,
                                   faults=self.faults, masker=self.masker),
            "zoho": OAuthServer("zoho", zo["client_id"], zo["client_secret"], rotate=False,
                                faults=self.faults, masker=self.masker),
            "hubspot": OAuthServer("hs", hs["client_id"], hs["client_secret"], rotate=False,
                                   faults=self.faults, masker=self.masker),
            # KeyDesk's password logins: tokens only (issue()), no code flow.
            "keydesk": OAuthServer("kd", kd["username"], kd["password"], rotate=False,
                                   faults=self.faults, masker=self.masker),
        }

    def expire_tokens(self) -> None:
        """Every issued OAuth2 access token, of every vendor, expires now."""
        for server in self.oauth.values():
            server.expire_all()

    def reset(self) -> None:
        """Back to a fresh server: no faults, log, created records or issued tokens."""
        self._epoch += 1
        self.faults.clear()
        self.log.clear()
        self.store.clear()
        for server in self.oauth.values():
            server.reset()
        self.masker.forget_issued()

    async def pause(self, seconds: float) -> None:
        """Sleep ``seconds`` (added latency or a hang); ends early on stop or reset.

        Ending early is what lets the server stop at once, however long a fault said to wait,
        instead of having uvicorn cancel the request mid-sleep (and log it as an error).
        """
        deadline, epoch = time.monotonic() + seconds, self._epoch
        while not self.stopping.is_set() and epoch == self._epoch and time.monotonic() < deadline:
            await asyncio.sleep(min(HANG_POLL_S, max(0.0, deadline - time.monotonic())))
