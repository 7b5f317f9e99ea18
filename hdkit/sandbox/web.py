"""Small HTTP helpers the vendor modules share: credentials, bodies, links, the fault plan."""

from __future__ import annotations

import base64
import binascii
import hmac
import html
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from hdkit.sandbox.faults import Plan
from hdkit.sandbox.oauth_server import OAuthError, OAuthServer

PLAN_KEY = "sandbox.plan"
MAX_DIGITS = 30
FAULT_PARAM = "_fault"


def plan(request: Request) -> Plan:
    """The fault plan the middleware chose for this request."""
    return request.scope.get(PLAN_KEY) or Plan()


def natural(raw: object) -> int | None:
    """``raw`` as a whole number >= 0 when written in ASCII digits, else None.

    ``str.isdigit`` alone would pass ``"²"`` or ``"٣"``, which ``int`` then refuses; more than
    ``MAX_DIGITS`` digits is refused too (``int`` raises past 4,300 digits, and no page, offset
    or id is that long).
    """
    text = str(raw)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS else None


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """``(username, password)`` of a Basic Authorization header, or None."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def bearer_token(request: Request, *schemes: str) -> str | None:
    """The token of an Authorization header using one of ``schemes`` (default Bearer)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    wanted = {s.lower() for s in schemes or ("bearer",)}
    return (value.strip() or None) if scheme.lower() in wanted else None


def strict_json(raw: bytes | str) -> Any:
    """Parse JSON as RFC 8259 has it: ``NaN`` and ``Infinity`` are refused (ValueError).

    Python accepts them, and a record that kept one could not be answered as JSON again.
    Deep nesting raises RecursionError: callers catch both.
    """
    return json.loads(raw, parse_constant=_not_json)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def json_body(request: Request) -> Any:
    """The parsed JSON body, or None when the body is empty, not JSON or nested too deeply."""
    raw = await request.body()
    try:
        return strict_json(raw) if raw.strip() else None
    except (ValueError, RecursionError):
        return None


async def form_or_json(request: Request, accept: str = "any") -> tuple[dict[str, str], str]:
    """Parameters of a token request and the body kind they came in ("form", "json", "none")."""
    raw = await request.body()
    ctype = request.headers.get("content-type", "")
    if "json" in ctype and accept in ("any", "json"):
        try:
            data = strict_json(raw or b"{}")
        except (ValueError, RecursionError):
            data = None
        return ({str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}), "json"
    if "x-www-form-urlencoded" in ctype and accept in ("any", "form"):
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)), "form"
    return {}, "none"


def link(request: Request, **params: object) -> str:
    """This request's absolute URL with ``params`` replaced (and the fault parameter dropped)."""
    query = {k: v for k, v in request.query_params.items() if k != FAULT_PARAM}
    query.update({k: str(v) for k, v in params.items()})
    base = str(request.url.replace(query=""))
    return f"{base.rstrip('?')}?{urlencode(query)}" if query else base.rstrip("?")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(data, status_code=status, headers=headers)


def page(title: str, rows: dict[str, Any]) -> HTMLResponse:
    """A minimal HTML record page (the target of a call pop-up)."""
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in rows.items())
    return HTMLResponse(f"<!doctype html><title>{html.escape(title)}</title>"
                        f"<h1>{html.escape(title)}</h1><dl>{items}</dl>")


def not_found_page() -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>Not found</title><h1>Not found</h1>", 404)


def consent_page(title: str, action: str, params: dict[str, str]) -> HTMLResponse:
    """The authorize page a person would see; its form posts approve=1 or approve=0."""
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in params.items() if k != "approve")
    return HTMLResponse(
        f"<!doctype html><title>{html.escape(title)}</title><h1>{html.escape(title)}</h1>"
        f"<p>Allow {html.escape(params.get('client_id', ''))} to access your account?</p>"
        f'<form method="post" action="{html.escape(action)}">{hidden}'
        '<button name="approve" value="1">Allow</button>'
        '<button name="approve" value="0">Deny</button></form>')


async def authorize_flow(request: Request, server: OAuthServer, *, title: str,
                         default_scope: str, require_state: bool,
                         response_type_optional: bool = False) -> Response:
    """The authorize endpoint: consent page, or a 302 to ``redirect_uri`` once decided.

    Approve programmatically with ``approve=1`` (query or posted form); ``approve=0`` denies.
    A request that cannot be redirected safely (bad client, redirect_uri) gets a 400 page.
    """
    params = dict(request.query_params)
    if request.method == "POST":
        params.update(dict(parse_qsl((await request.body()).decode("utf-8", "replace"),
                                     keep_blank_values=True)))
    params.pop(FAULT_PARAM, None)
    try:
        server.check_authorize(params, require_state=require_state,
                               response_type_optional=response_type_optional)
    except OAuthError as exc:
        return HTMLResponse(f"<!doctype html><title>{title}</title><h1>{exc.error}</h1>"
                            f"<p>{html.escape(exc.description)}</p>", 400)
    decision = params.get("approve")
    if decision is None:
        return consent_page(title, request.url.path, params)
    faults = plan(request)
    if decision == "1":
        url = server.approve(params, params.get("scope") or default_scope,
                             bad_state=faults.bad_state, drop_state=faults.drop_state)
    else:
        url = server.deny(params, drop_state=faults.drop_state)
    return RedirectResponse(url, status_code=302)


def same(given: str, expected: str) -> bool:
    """Constant-time string comparison that also takes non-ASCII input."""
    return hmac.compare_digest(given.encode(), expected.encode())
