"""The PBX's side of OAuth2: the redirect target that checks ``state`` as the PBX does.

The PBX puts a ``state`` in the consent URL and expects it back on its callback; when the
helpdesk (or a proxy in between) drops it, the PBX fails with "PARAMETER ERROR" / "state is
null" (format reference 6.1). Point a template's ``redirect_uri`` at
``{hd.url}/pbx/oauth/callback`` to see, without a PBX, whether a consent round trip carries
``state``: the callback answers as the PBX does and records what arrived in
``hd.state["pbx"]["callbacks"]`` (whether a code came, never the code itself). The fault switch
``drop_state`` makes a vendor's authorize endpoint lose the state, as such a proxy would.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from hdkit.sandbox.accounts import PBX_CALLBACK
from hdkit.sandbox.vendor import VendorAPI
from hdkit.sandbox.web import FAULT_PARAM, json_response

VENDOR = "pbx"
PREFIX = "/" + VENDOR


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"status": code, "message": message}, status, headers)


def unknown_route() -> Response:
    return error(404, "NOT FOUND", "No such page on the PBX")


def fault_response(status: int, retry_after_s: int) -> Response:
    headers = {"Retry-After": str(retry_after_s)} if status == 429 else None
    return error(status, "SYSTEM ERROR", f"HTTP {status}", headers)


class PBX(VendorAPI):
    name = VENDOR

    async def oauth_callback(self, request: Request) -> Response:
        """``?code=..&state=..``: refused without state (then without code), like the PBX."""
        params = {k: v for k, v in request.query_params.items() if k != FAULT_PARAM}
        refusal = None
        if not params.get("state"):
            refusal = "state is null"
        elif not params.get("code"):
            refusal = "code is null"
        self.keep("callbacks", {"id": self.ctx.store.next_id(), "state": params.get("state"),
                                "code_received": bool(params.get("code")), "error": params.get("error"),
                                "accepted": refusal is None, "received_at": self.now()})
        if refusal is not None:
            body = {"status": "PARAMETER ERROR", "message": refusal}
            return json_response(body | ({"error": params["error"]} if "error" in params else {}), 400)
        return HTMLResponse("<!doctype html><title>Authorized</title><h1>Authorization complete</h1>"
                            "<p>The PBX received the code. You can close this window.</p>")

    def routes(self) -> list[Route]:
        return [Route(PBX_CALLBACK.removeprefix(PREFIX), self.oauth_callback, methods=["GET"])]
