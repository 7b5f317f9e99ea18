"""The request log: every request the sandbox saw, with its secrets masked.

Tests and benchmarks ask the server what it received (which auth, which body, how many
requests at once) instead of trusting the client. Secrets never enter the log: values of
secret-named headers, query parameters and body fields are masked, and so is every known
secret (demo credentials, issued codes and tokens) wherever else it appears.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

MASK = "********"

_SECRET_NAME = re.compile(
    r"(pass(word|wd)?|secret|token|api[-_]?key|apikey|auth|credential|cookie|session"
    r"|signature|code_verifier|^code$)",
    re.IGNORECASE,
)


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


class Masker:
    """Masks secret-named fields and every registered secret value."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._fixed = frozenset(s for s in secrets if s)
        self._issued: set[str] = set()
        self._lock = threading.Lock()

    def register(self, *values: str) -> None:
        """Add issued secrets (OAuth codes and tokens) to mask from now on."""
        with self._lock:
            self._issued.update(v for v in values if v)

    def forget_issued(self) -> None:
        with self._lock:
            self._issued.clear()

    def text(self, text: str) -> str:
        with self._lock:
            known = sorted(self._fixed | self._issued, key=len, reverse=True)
        for value in known:
            text = text.replace(value, MASK)
        return text

    def query(self, query: str) -> str:
        if not query:
            return ""
        pairs = parse_qsl(query, keep_blank_values=True)
        masked = [(k, MASK if is_secret_name(k) else v) for k, v in pairs]
        return self.text(urlencode(masked, safe="*"))

    def headers(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        masked = {}
        for name, value in headers:
            if name.lower() == "authorization" and " " in value:
                masked[name] = f"{value.split(' ', 1)[0]} {MASK}"
            elif is_secret_name(name):
                masked[name] = MASK
            else:
                masked[name] = self.text(value)
        return masked

    def body(self, body: bytes, content_type: str) -> str:
        text = body.decode("utf-8", errors="replace")
        if "json" in content_type:
            try:
                parsed = json.loads(text)
                masked = _mask_json(parsed)
                # Keep the bytes as sent (spacing, escapes) unless a field had to be masked.
                return self.text(text if masked == parsed else json.dumps(masked))
            except (ValueError, RecursionError):  # not JSON, or too deep to walk: mask as text
                return self.text(text)
        if "x-www-form-urlencoded" in content_type:
            return self.query(text)
        return self.text(text)


def _mask_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASK if is_secret_name(str(k)) else _mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    return value


class RequestLog:
    """Recorded requests and the peak number of requests in flight at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._in_flight = 0
        self._peak = 0
        self._generation = 0  # bumped by clear(): requests from before it no longer count

    def begin(self, entry: dict[str, Any]) -> int:
        """Record a request arriving; returns the token to pass to :meth:`end`."""
        with self._lock:
            entry["seq"] = len(self._entries) + 1
            entry["received_at"] = time.time()
            entry["status"] = None
            self._entries.append(entry)
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            return self._generation

    def answered(self, entry: dict[str, Any], status: int) -> None:
        """Note the response status (called before the response leaves the server)."""
        with self._lock:
            entry["status"] = status

    def end(self, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._in_flight -= 1

    @property
    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in self._entries]

    @property
    def peak_in_flight(self) -> int:
        return self._peak

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def clear(self) -> None:
        """Forget every request, including those still in flight (a reset starts at zero)."""
        with self._lock:
            self._entries = []
            self._in_flight = self._peak = 0
            self._generation += 1
