"""The Zoho-Desk-like API under ``/zoho``.

Shapes follow Zoho Desk's API v1: ``Authorization: Zoho-oauthtoken <token>`` (``Bearer`` is
accepted too) plus an ``orgId`` header; lists are ``{"data": [...]}`` paged by ``from`` (a
0-based offset: ``from=0`` is the first record) and ``limit``; an empty page or a search
without hits is **HTTP 204 with no body**, as in Zoho; ids are strings; errors are
``{"errorCode": ..., "message": ...}``, with ``errors: [{"fieldName", "errorType",
"errorMessage"}]`` when a body is invalid (422) and a message naming the field and its range
when a query parameter is out of range (422 ``UNPROCESSABLE_ENTITY``). The token endpoint
answers refusals with **HTTP 200** and ``{"error": "invalid_code"}`` (or ``invalid_client``
...), as Zoho's accounts server does; a refresh returns a new access token only (Zoho keeps
the refresh token). Phone search matches the last digits (``matching.suffix``), across
contacts and accounts.

Why ``from`` is 0-based: Zoho documents the search APIs' ``from`` as "From index, starts from
0" and the list APIs' as an "index number, starting from which" records are fetched; clients
in the wild page with ``from=0``, ``from=100``... (Only the help-center users API says its
default is 1.) A template that sends ``from=1`` first silently skips one record here, as it
would against Zoho.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hdkit.sandbox import matching
from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.context import Context
from hdkit.sandbox.oauth_server import OAuthError
from hdkit.sandbox.people import COMPANIES, Person, make_agents, make_contacts
from hdkit.sandbox.vendor import VendorAPI, not_text
from hdkit.sandbox.web import (authorize_flow, basic_credentials, bearer_token, form_or_json,
                               json_response, natural, not_found_page, page, plan)

VENDOR = "zoho"
_D = DEMO[VENDOR]
AGENT_ID0, CONTACT_ID0, ACCOUNT_ID0, CREATED_ID0 = (1892000000100000, 1892000000200000,
                                                     1892000000300000, 1892000000900000)
MAX_AGENTS_LIMIT, MAX_LIMIT = 200, 100
DEFAULT_LIMIT = 10
CREATED_TIME = "2024-01-15T09:30:00.000Z"
_ZOHO_ERRORS = {"invalid_grant": "invalid_code"}
_WRITE_SUFFIXES = (".ALL", ".CREATE", ".UPDATE", ".WRITE")


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"errorCode": code, "message": message}, status, headers)


def invalid(field: str, kind: str = "missing") -> Response:
    return json_response({"errorCode": "INVALID_DATA",
                          "message": "The data is invalid due to validation restrictions",
                          "errors": [{"fieldName": f"/{field}", "errorType": kind,
                                      "errorMessage": ""}]}, 422)


def out_of_range(param: str, bounds: str) -> Response:
    """Zoho's answer to a query parameter outside its range, e.g. ``limit=500``."""
    return error(422, "UNPROCESSABLE_ENTITY",
                 f"The value passed for field '{param}' exceeds the range of '{bounds}'.")


def not_found() -> Response:
    return error(404, "RESOURCE_NOT_FOUND", "The requested resource does not exist.")


def no_content() -> Response:
    return Response(status_code=204)


def unknown_route() -> Response:
    return error(404, "URL_NOT_FOUND", "The URL you requested could not be found")


def fault_response(status: int, retry_after_s: int) -> Response:
    if status == 429:
        return error(429, "TOO_MANY_REQUESTS", "You have exceeded the API call limit",
                     {"Retry-After": str(retry_after_s)})
    if status == 504:
        return error(504, "GATEWAY_TIMEOUT", "The request timed out")
    return error(status, "INTERNAL_SERVER_ERROR", "An internal server error occurred")


class Zoho(VendorAPI):
    name = VENDOR
    millis = True

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.oauth = ctx.oauth[VENDOR]
        self.agents = [_agent(p) for p in make_agents()]
        self.contacts = [_contact(p) for p in make_contacts()]
        self.accounts = [{"id": str(ACCOUNT_ID0 + i), "accountName": name, "phone": phone,
                          "email": f"info@{name.split()[0].lower()}.example.com",
                          "website": f"https://{name.split()[0].lower()}.example.com",
                          "createdTime": CREATED_TIME}
                         for i, (name, phone) in enumerate(COMPANIES)]

    # -- auth ------------------------------------------------------------------------------

    def guard(self, request: Request, write: bool = False) -> Response | None:
        token = bearer_token(request, "zoho-oauthtoken", "bearer")
        grant = self.oauth.lookup(token) if token else None
        if grant is None:
            return error(401, "INVALID_OAUTH", "The OAuth Token you provided is invalid.")
        if grant.expires_at <= time.time():
            return error(401, "INVALID_OAUTH", "The OAuth Token you provided has expired.")
        org = request.headers.get("orgid")
        if org is None:
            return invalid("orgId")
        if org != _D["org_id"]:
            return invalid("orgId", "invalid")
        if write and not any(s.endswith(_WRITE_SUFFIXES) for s in grant.scope.split(",")):
            return error(403, "SCOPE_MISMATCH", "The OAuth scope does not allow this action.")
        return None

    async def authorize(self, request: Request) -> Response:
        return await authorize_flow(request, self.oauth, title="Zoho Accounts: authorize",
                                    default_scope=_D["scope"], require_state=True)

    async def token(self, request: Request) -> Response:
        """Params from the query string and the body (``faults.token_body`` says which bodies)."""
        body, kind = await form_or_json(request, self.ctx.faults.token_body)
        if kind == "none" and (await request.body()).strip():
            return json_response({"error": "invalid_request"})
        params = dict(request.query_params) | body
        params.pop("_fault", None)
        try:
            issued = self.oauth.token(params, basic_credentials(request))
        except OAuthError as exc:
            return json_response({"error": _ZOHO_ERRORS.get(exc.error, exc.error)})
        return json_response(issued | {"api_domain": f"{request.base_url}zoho"})

    # -- listing and search ------------------------------------------------------------------

    def _window(self, request: Request, items: list[dict[str, Any]], *, count: bool = False,
                max_limit: int = MAX_LIMIT) -> Response:
        """``limit`` records skipping ``from`` (0-based); 204 when there are none."""
        q = request.query_params
        start_raw, limit_raw = q.get("from", "0"), q.get("limit", str(DEFAULT_LIMIT))
        start, limit = natural(start_raw), natural(limit_raw)
        if start is None:
            return out_of_range("from", "0-2147483647")
        if limit is None or not 1 <= limit <= max_limit:
            return out_of_range("limit", f"1-{max_limit}")
        if plan(request).loop_pagination:
            start = 0
        chunk = items[start: start + limit]
        if not chunk:
            return no_content()
        return json_response({"data": chunk, "count": len(items)} if count else {"data": chunk})

    async def agents_list(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        return self._window(request, self.agents, max_limit=MAX_AGENTS_LIMIT)

    def _all_contacts(self) -> list[dict[str, Any]]:
        return self.contacts + self.created("contacts")

    async def search_contacts(self, request: Request) -> Response:
        """``phone`` (phone or mobile, last digits), ``email`` (exact), ``_all`` (any field)."""
        return await self._search(request, self._all_contacts(), ("phone", "mobile"),
                                  ("firstName", "lastName", "email"))

    async def search_accounts(self, request: Request) -> Response:
        """``phone`` (last digits), ``email`` (exact), ``_all`` (any field)."""
        return await self._search(request, self.accounts, ("phone",), ("accountName", "email"))

    async def _search(self, request: Request, pool: list[dict[str, Any]],
                      number_fields: tuple[str, ...], text_fields: tuple[str, ...]) -> Response:
        if refused := self.guard(request):
            return refused
        q = request.query_params
        if not any(k in q for k in ("phone", "email", "_all")):
            return invalid("phone")
        hits = pool
        if "phone" in q:
            hits = [r for r in hits if matching.any_match(
                matching.suffix, [str(r.get(f) or "") for f in number_fields], q["phone"])]
        if "email" in q:
            hits = [r for r in hits if str(r.get("email") or "").lower() == q["email"].lower()]
        if "_all" in q:
            needle = q["_all"].lower()
            hits = [r for r in hits if any(needle in str(r.get(f) or "").lower() for f in text_fields)
                    or matching.any_match(matching.suffix, [str(r.get(f) or "") for f in number_fields], needle)]
        return self._window(request, hits, count=True)

    async def contact(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._contact_by_id(request.path_params["cid"])
        return json_response(found) if found else not_found()

    def _contact_by_id(self, cid: str) -> dict[str, Any] | None:
        number = natural(cid)
        offset = -1 if number is None else number - CONTACT_ID0
        if 0 <= offset < len(self.contacts):
            return self.contacts[offset]
        return self.stored("contacts", cid)

    async def account(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = next((a for a in self.accounts if a["id"] == request.path_params["aid"]), None)
        return json_response(found) if found else not_found()

    # -- writes ----------------------------------------------------------------------------

    def missing(self) -> Response:
        return not_found()

    def bad_body(self, wrapper: str | None) -> Response:
        return error(400, "INVALID_DATA", "The request body must be a JSON object")

    def _new_id(self) -> str:
        return str(CREATED_ID0 + self.ctx.store.next_id())

    async def create_contact(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("lastName", "firstName", "email", "phone", "mobile")):
            return invalid(field, "invalid")
        if not str(body.get("lastName", "")).strip():
            return invalid("lastName")
        cid = self._new_id()
        record = {"id": cid, "firstName": body.get("firstName"), "lastName": body["lastName"],
                  "email": body.get("email"), "phone": body.get("phone"),
                  "mobile": body.get("mobile"), "accountId": body.get("accountId"),
                  "webUrl": f"{request.base_url}zoho/support/contacts/{cid}",
                  "createdTime": self.now()}
        return json_response(self.keep("contacts", record))

    async def create_ticket(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("subject", "description", "priority", "status")):
            return invalid(field, "invalid")
        for field in ("subject", "departmentId", "contactId"):
            if not str(body.get(field, "")).strip():
                return invalid(field)
        if refused := self._check_refs(body):
            return refused
        tid = self._new_id()
        record = {"id": tid, "ticketNumber": str(100 + self.ctx.store.next_id()),
                  "subject": body["subject"], "description": body.get("description"),
                  "departmentId": str(body["departmentId"]), "contactId": str(body["contactId"]),
                  "status": body.get("status", "Open"), "channel": body.get("channel", "Phone"),
                  "priority": body.get("priority"), "createdTime": self.now(),
                  "webUrl": f"{request.base_url}zoho/support/tickets/{tid}"}
        return json_response(self.keep("tickets", record))

    def _check_refs(self, body: dict[str, Any]) -> Response | None:
        if str(body["departmentId"]) != _D["department_id"]:
            return invalid("departmentId", "invalid")
        if self._contact_by_id(str(body["contactId"])) is None:
            return invalid("contactId", "invalid")
        return None

    async def update_ticket(self, request: Request) -> Response:
        return await self.update(request, "tickets", ("subject", "description", "status", "priority"),
                                 "modifiedTime")

    async def ticket(self, request: Request) -> Response:
        return await self.show(request, "tickets", request.path_params["tid"])

    async def create_call(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("subject", "direction", "startTime", "status", "description")):
            return invalid(field, "invalid")
        for field in ("subject", "departmentId", "contactId", "direction", "startTime", "duration"):
            if str(body.get(field, "")).strip() == "":
                return invalid(field)
        if body["direction"] not in ("inbound", "outbound"):
            return invalid("direction", "invalid")
        if refused := self._check_refs(body):
            return refused
        record = {"id": self._new_id(), "activityType": "Calls", "subject": body["subject"],
                  "departmentId": str(body["departmentId"]), "contactId": str(body["contactId"]),
                  "ticketId": body.get("ticketId"), "direction": body["direction"],
                  "startTime": body["startTime"], "duration": str(body["duration"]),
                  "status": body.get("status", "Completed"), "description": body.get("description"),
                  "createdTime": self.now()}
        return json_response(self.keep("calls", record))

    async def activities(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        return self._window(request, self.created("calls"))

    async def contact_page(self, request: Request) -> Response:
        found = self._contact_by_id(request.path_params["cid"])
        if found is None:
            return not_found_page()
        return page(f"Zoho Desk contact {found['lastName']}",
                    {k: found[k] for k in ("id", "firstName", "lastName", "email", "phone")})

    def routes(self) -> list[Route]:
        api = "/api/v1"
        return [
            Route("/oauth/v2/auth", self.authorize, methods=["GET", "POST"]),
            Route("/oauth/v2/token", self.token, methods=["POST"]),
            Route(f"{api}/agents", self.agents_list, methods=["GET"]),
            Route(f"{api}/contacts/search", self.search_contacts, methods=["GET"]),
            Route(f"{api}/contacts", self.create_contact, methods=["POST"]),
            Route(f"{api}/contacts/{{cid}}", self.contact, methods=["GET"]),
            Route(f"{api}/accounts/search", self.search_accounts, methods=["GET"]),
            Route(f"{api}/accounts/{{aid}}", self.account, methods=["GET"]),
            Route(f"{api}/tickets", self.create_ticket, methods=["POST"]),
            Route(f"{api}/tickets/{{tid}}", self.ticket, methods=["GET"]),
            Route(f"{api}/tickets/{{tid}}", self.update_ticket, methods=["PATCH"]),
            Route(f"{api}/calls", self.create_call, methods=["POST"]),
            Route(f"{api}/activities", self.activities, methods=["GET"]),
            Route("/support/contacts/{cid}", self.contact_page, methods=["GET"]),
        ]


def _agent(p: Person) -> dict[str, Any]:
    return {"id": str(AGENT_ID0 + p.index), "firstName": p.first, "lastName": p.last,
            "name": p.name, "emailId": p.email, "phone": p.phone, "mobile": None,
            "status": "ACTIVE", "isConfirmed": True, "roleId": "1892000000008001"}


def _contact(p: Person) -> dict[str, Any]:
    return {"id": str(CONTACT_ID0 + p.index), "firstName": p.first, "lastName": p.last,
            "email": p.email, "phone": p.phone, "mobile": p.mobile or None,
            "accountId": None, "createdTime": CREATED_TIME}
