"""The ASGI application: six vendor APIs side by side, the PBX's OAuth2 callback, and
``/_sandbox`` control routes."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from hdkit.sandbox import freshdesk, hubspot, keydesk, pbx, zammad, zendesk, zoho
from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.context import Context
from hdkit.sandbox.faults import FaultError
from hdkit.sandbox.middleware import SandboxMiddleware, responder_for


def create_app(ctx: Context | None = None) -> ASGIApp:
    """The sandbox as an ASGI app over ``ctx`` (a fresh :class:`Context` by default)."""
    ctx = ctx or Context()
    vendors = {
        "/zendesk": (zendesk.Zendesk(ctx).routes(), zendesk),
        "/freshdesk": (freshdesk.Freshdesk(ctx).routes(), freshdesk),
        "/zoho": (zoho.Zoho(ctx).routes(), zoho),
        "/keydesk": (keydesk.KeyDesk(ctx).routes(), keydesk),
        "/hubspot": (hubspot.HubSpot(ctx).routes(), hubspot),
        "/zammad": (zammad.Zammad(ctx).routes(), zammad),
        pbx.PREFIX: (pbx.PBX(ctx).routes(), pbx),
    }
    mounts = [Mount(prefix, app=Router(routes, default=_unknown(module.unknown_route)))
              for prefix, (routes, module) in vendors.items()]
    responders = {prefix: module.fault_response for prefix, (_, module) in vendors.items()}

    async def crashed(request: Request, exc: Exception) -> Response:
        """A bug in a route still answers in its vendor's 500 shape (the middleware notes it)."""
        return responder_for(responders, request.url.path)(500, 0)

    app = Starlette(routes=[*_control_routes(ctx), *mounts], exception_handlers={Exception: crashed})
    return SandboxMiddleware(app, ctx, responders)


def _unknown(make: Callable[[], Response]) -> ASGIApp:
    """A vendor's answer to a path it does not have, in its own 404 shape."""

    async def unknown(scope: Scope, receive: Receive, send: Send) -> None:
        await make()(scope, receive, send)

    return unknown


def _control_routes(ctx: Context) -> list[Route]:
    async def index(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return JSONResponse({name: {"url": base + d["base"], "api": base + d["api"]}
                             for name, d in DEMO.items()})

    async def state(request: Request) -> Response:
        return JSONResponse(ctx.store.snapshot())

    async def requests(request: Request) -> Response:
        return JSONResponse({"requests": ctx.log.entries, "peak_in_flight": ctx.log.peak_in_flight,
                             "in_flight": ctx.log.in_flight})

    async def get_faults(request: Request) -> Response:
        return JSONResponse(ctx.faults.snapshot())

    async def set_faults(request: Request) -> Response:
        try:
            changes = await request.json()
        except ValueError:
            changes = None
        if not isinstance(changes, dict):
            return JSONResponse({"sandbox_error": "send a JSON object of switches"}, 400)
        try:
            ctx.faults.update(**changes)
        except FaultError as exc:
            return JSONResponse({"sandbox_error": str(exc)}, 400)
        return JSONResponse(ctx.faults.snapshot())

    async def reset(request: Request) -> Response:
        ctx.reset()
        return JSONResponse({"reset": True})

    return [
        Route("/_sandbox", index, methods=["GET"]),
        Route("/_sandbox/state", state, methods=["GET"]),
        Route("/_sandbox/requests", requests, methods=["GET"]),
        Route("/_sandbox/faults", get_faults, methods=["GET"]),
        Route("/_sandbox/faults", set_faults, methods=["POST"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
    ]
