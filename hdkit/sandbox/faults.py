"""Fault switches: what can go wrong on the next requests, server-wide or per request.

A client is only as good as its handling of a helpdesk's bad days, so the sandbox can have
them on demand. Server-wide switches live in one :class:`Faults` object (``hd.faults.update``
or ``POST /_sandbox/faults``); counters such as ``rate_limit=3`` mean "the next 3 requests".
A single request can ask for its own fault with the header ``X-Sandbox-Fault`` or the query
parameter ``_fault``, e.g. ``X-Sandbox-Fault: latency_ms=300,rate_limit``; the names are the
same as the switches. Either way the middleware turns them into one :class:`Plan` per request.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

MAX_HANG_S = 30.0
TOKEN_BODIES = ("any", "form", "json")


class FaultError(ValueError):
    """An unknown switch or a value of the wrong kind (answered with HTTP 400 by the sandbox)."""


@dataclass
class _Switches:
    latency_ms: int = 0          # added to every request, awaited (concurrent requests overlap)
    rate_limit: int = 0          # the next N requests answer 429 with Retry-After
    retry_after_s: int = 1       # the Retry-After of those 429s
    server_error: int = 0        # the next N requests answer error_status
    error_status: int = 503
    timeout: int = 0             # the next N requests hang hang_s seconds, then answer 504
    hang_s: float = 5.0          # bounded by MAX_HANG_S; ends early when the server stops
    malformed: int = 0           # the next N responses have their JSON cut in half
    loop_pagination: bool = False  # next links point back to page 1; page/offset are ignored
    bad_state: bool = False      # OAuth2 redirects carry a state the client did not send
    drop_state: bool = False     # OAuth2 redirects lose the state (a proxy that drops it)
    require_pkce: bool = False   # the Zoho authorize endpoint refuses requests without PKCE
    token_ttl_s: int = 3600      # lifetime of newly issued OAuth2 access tokens
    token_body: str = "any"      # Zoho token endpoint accepts: "any", "form" or "json" bodies


@dataclass(frozen=True)
class Plan:
    """What happens to one request."""

    latency_ms: int = 0
    status: int | None = None
    retry_after_s: int = 1
    hang_s: float | None = None
    malformed: bool = False
    loop_pagination: bool = False
    bad_state: bool = False
    drop_state: bool = False
    expire_tokens: bool = False

    def summary(self) -> dict[str, Any] | None:
        """The faults that fire, for the request log (None when the request is clean)."""
        fired = {k: v for k, v in asdict(self).items() if v != getattr(Plan, k) and k != "retry_after_s"}
        return fired or None


_TYPES = {f.name: f.type for f in fields(_Switches)}


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
#: Upper bounds: no fault may make a request wait longer than MAX_HANG_S.
_MAXIMA = {"latency_ms": MAX_HANG_S * 1000, "hang_s": MAX_HANG_S}


def _coerce(name: str, value: Any) -> Any:
    kind = _TYPES.get(name)
    if kind is None:
        raise FaultError(f"unknown fault switch {name!r}; known: {', '.join(sorted(_TYPES))}")
    if kind == "bool":
        return _flag(name, value, blank=True)
    if kind in ("int", "float") and isinstance(value, bool):
        raise FaultError(f"fault switch {name!r} needs a {kind}, got {value!r}")
    try:
        converted = {"int": int, "float": float, "str": str}[kind](value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise FaultError(f"fault switch {name!r} needs a {kind}, got {value!r}") from exc
    if name == "token_body" and converted not in TOKEN_BODIES:
        raise FaultError(f"token_body must be one of {TOKEN_BODIES}, got {converted!r}")
    if name == "error_status" and not 500 <= converted <= 599:
        raise FaultError(f"error_status must be a 5xx status, got {value!r}")
    if kind in ("int", "float") and not 0 <= converted <= _MAXIMA.get(name, math.inf):
        limit = f" and at most {_MAXIMA[name]}" if name in _MAXIMA else ""
        raise FaultError(f"fault switch {name!r} must be a number >= 0{limit}, got {value!r}")
    return converted


def _flag(name: str, value: Any, *, blank: bool) -> bool:
    """A yes/no value: a bool, or one of 1/true/yes/on and 0/false/no/off (any case)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or (blank and text == ""):
        return True
    if text in _FALSE:
        return False
    raise FaultError(f"fault switch {name!r} needs yes or no (true/false, 1/0), got {value!r}")


class Faults:
    """The server-wide switches; safe to change from any thread while the server runs."""

    def __init__(self, expire_tokens: Callable[[], None] = lambda: None) -> None:
        self._lock = threading.Lock()
        self._s = _Switches()
        self._expire_tokens = expire_tokens

    def update(self, **changes: Any) -> None:
        """Set switches by name, e.g. ``update(latency_ms=200, rate_limit=3)``.

        ``expire_tokens=True`` is an action, not a switch: every access token issued so far
        expires now.
        """
        expire = _flag("expire_tokens", changes.pop("expire_tokens", False), blank=False)
        coerced = {name: _coerce(name, value) for name, value in changes.items()}
        with self._lock:
            for name, value in coerced.items():
                setattr(self._s, name, value)
        if expire:
            self._expire_tokens()

    def clear(self) -> None:
        with self._lock:
            self._s = _Switches()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self._s)

    def __getattr__(self, name: str) -> Any:
        if name in _TYPES:
            with self._lock:
                return getattr(self._s, name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.snapshot().items() if v != getattr(_Switches, k)}
        return f"Faults({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    def take(self, spec: str = "") -> Plan:
        """The plan for the next request: its own ``spec`` first, then the switches.

        Taking a plan consumes one unit of each counter that fires.
        """
        own = parse_spec(spec)
        with self._lock:
            s = self._s
            status = _own_status(own)
            if status is None and s.rate_limit:
                s.rate_limit -= 1
                status = 429
            elif status is None and s.server_error:
                s.server_error -= 1
                status = s.error_status
            hang = own.get("timeout")
            if hang is None and s.timeout:
                s.timeout -= 1
                hang = s.hang_s
            malformed = own.get("malformed", False)
            if not malformed and s.malformed:
                s.malformed -= 1
                malformed = True
            return Plan(
                latency_ms=own.get("latency_ms", s.latency_ms),
                status=status,
                retry_after_s=own.get("retry_after_s", s.retry_after_s),
                hang_s=None if hang is None else float(hang),
                malformed=malformed,
                loop_pagination=own.get("loop_pagination", s.loop_pagination),
                bad_state=own.get("bad_state", s.bad_state),
                drop_state=own.get("drop_state", s.drop_state),
                expire_tokens=own.get("expire_tokens", False),
            )


def _own_status(own: dict[str, Any]) -> int | None:
    if own.get("rate_limit"):
        return 429
    if "server_error" in own:
        return own["server_error"]
    return None


def parse_spec(spec: str) -> dict[str, Any]:
    """Parse a per-request fault spec: ``name[=value]`` items separated by commas.

    ``rate_limit`` and ``malformed`` take no value; ``server_error`` takes an optional
    status (default 503); ``timeout`` an optional hang in seconds (default 5).
    """
    own: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, has_value, value = (p.strip() for p in item.partition("="))
        if name == "expire_tokens":
            own[name] = _flag(name, value, blank=False) if has_value else True
        elif name == "server_error":
            own[name] = _coerce("error_status", value) if has_value else 503
        elif name == "timeout":
            own[name] = _coerce("hang_s", value) if has_value else _Switches.hang_s
        elif name in ("rate_limit", "malformed"):
            own[name] = True
        else:
            own[name] = _coerce(name, value)
    return own

