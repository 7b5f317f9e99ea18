"""The Freshdesk-like API under ``/freshdesk``.

Shapes follow Freshdesk's API v2: lists are bare JSON arrays paged with ``page`` and
``per_page`` (max 100) and a ``Link: <...>; rel="next"`` header while more pages exist;
Basic auth with the API key as user name and any password (``apikey:X``) or user name and
password; validation errors are HTTP 400 ``{"description": "Validation failed", "errors":
[{"field", "message", "code"}]}`` (Freshdesk uses 400 where others use 422; 409 for a
duplicate); 404 has an empty body. Phone search is an exact string match (``matching.exact``).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hdkit.sandbox import matching
from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.context import Context
from hdkit.sandbox.people import Person, make_agents, make_contacts
from hdkit.sandbox.vendor import VendorAPI, not_text
from hdkit.sandbox.web import (basic_credentials, json_response, link, natural, not_found_page, page,
                               plan, same)

VENDOR = "freshdesk"
_D = DEMO[VENDOR]
AGENT_ID0, CONTACT_ID0, CREATED_ID0 = 43_000_000_000, 44_000_000_000, 45_000_000_000
MAX_PER_PAGE, DEFAULT_PER_PAGE = 100, 30
CREATED_AT = "2024-01-15T09:30:00Z"
_TERM = re.compile(r"^\s*(\w+)\s*:\s*'([^']*)'\s*$")


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"code": code, "message": message}, status, headers)


def invalid(field: str, message: str, code: str = "missing_field", status: int = 400) -> Response:
    return json_response({"description": "Validation failed",
                          "errors": [{"field": field, "message": message, "code": code}]}, status)


def not_found() -> Response:
    return Response(status_code=404)


def unknown_route() -> Response:
    return not_found()


def fault_response(status: int, retry_after_s: int) -> Response:
    if status == 429:
        return json_response({"message": "You have exceeded the limit of requests per hour"},
                             429, {"Retry-After": str(retry_after_s)})
    return error(status, "internal_error", "We're sorry, but something went wrong.")


class Freshdesk(VendorAPI):
    name = VENDOR

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.agents = [self._agent(AGENT_ID0 + p.index, p) for p in make_agents()]
        self.contacts = [self._contact(CONTACT_ID0 + p.index, p) for p in make_contacts()]

    @staticmethod
    def _agent(aid: int, p: Person) -> dict[str, Any]:
        return {"id": aid, "available": True, "occasional": False, "ticket_scope": 1,
                "type": "support_agent", "created_at": CREATED_AT, "updated_at": CREATED_AT,
                "contact": {"active": True, "email": p.email, "name": p.name, "phone": p.phone,
                            "mobile": None, "job_title": "Agent", "language": "en",
                            "time_zone": "UTC"}}

    @staticmethod
    def _contact(cid: int, p: Person) -> dict[str, Any]:
        return {"id": cid, "name": p.name, "email": p.email, "phone": p.phone,
                "mobile": p.mobile or None, "company_id": None, "active": True,
                "job_title": None, "created_at": CREATED_AT, "updated_at": CREATED_AT}

    def guard(self, request: Request, write: bool = False) -> Response | None:
        creds = basic_credentials(request)
        if creds is None:
            return error(401, "invalid_credentials", "You have to be logged in to perform this action.")
        user, password = creds
        full = (same(user, _D["api_key"])
                or (user == _D["username"] and same(password, _D["password"])))
        readonly = same(user, _D["readonly_api_key"])
        if not (full or readonly):
            return error(401, "invalid_credentials", "You have to be logged in to perform this action.")
        if write and not full:
            return error(403, "access_denied", "You are not authorized to perform this action.")
        return None

    def missing(self) -> Response:
        return not_found()

    def bad_body(self, wrapper: str | None) -> Response:
        return invalid("body", "The request body must be a JSON object", "invalid_json")

    def _all_contacts(self) -> list[dict[str, Any]]:
        return self.contacts + self.created("contacts")

    def _paged(self, request: Request, items: list[dict[str, Any]]) -> Response:
        q = request.query_params
        number_raw, size_raw = q.get("page", "1"), q.get("per_page", str(DEFAULT_PER_PAGE))
        number, size = natural(number_raw), natural(size_raw)
        if number is None or number < 1:
            return invalid("page", "It should be a Positive Integer", "invalid_value")
        if size is None or not 1 <= size <= MAX_PER_PAGE:
            return invalid("per_page", f"It should be a Positive Integer less than or equal to "
                           f"{MAX_PER_PAGE}", "invalid_value")
        if plan(request).loop_pagination:
            number = 1
        headers = {}
        if number * size < len(items):
            headers["Link"] = f'<{link(request, page=number + 1, per_page=size)}>; rel="next"'
        return json_response(items[(number - 1) * size: number * size], headers=headers)

    async def agents_list(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        return self._paged(request, self.agents)

    async def agent(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        aid = request.path_params["aid"] - AGENT_ID0
        return json_response(self.agents[aid]) if 0 <= aid < len(self.agents) else not_found()

    async def contacts_list(self, request: Request) -> Response:
        """Filter with ``phone``, ``mobile`` or ``email`` (exact), page with ``page``/``per_page``."""
        if refused := self.guard(request):
            return refused
        items = self._all_contacts()
        for field in ("phone", "mobile", "email"):
            if field in request.query_params:
                wanted = request.query_params[field]
                items = [c for c in items if matching.exact(str(c.get(field) or ""), wanted)]
        return self._paged(request, items)

    async def search_contacts(self, request: Request) -> Response:
        """``query="phone:'...' OR mobile:'...' OR email:'...'"``: ``{"results", "total"}``."""
        if refused := self.guard(request):
            return refused
        raw = request.query_params.get("query", "").strip()
        if len(raw) < 2 or raw[0] != '"' or raw[-1] != '"':
            return invalid("query", "The query must be enclosed in double quotes", "invalid_value")
        parts = raw[1:-1].split(" OR ")
        terms = [m for m in map(_TERM.match, parts) if m is not None]
        if len(terms) < len(parts) or any(t[1] not in ("phone", "mobile", "email", "name") for t in terms):
            return invalid("query", "Only phone, mobile, email and name terms joined by OR "
                           "are supported", "invalid_value")
        hits = [c for c in self._all_contacts()
                if any(matching.exact(str(c.get(t[1]) or ""), t[2]) for t in terms)]
        return json_response({"results": hits[:30], "total": len(hits)})

    async def contact(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._contact_by_id(request.path_params["cid"])
        return json_response(found) if found else not_found()

    def _contact_by_id(self, cid: int | None) -> dict[str, Any] | None:
        if cid is None:
            return None
        if 0 <= cid - CONTACT_ID0 < len(self.contacts):
            return self.contacts[cid - CONTACT_ID0]
        return self.stored("contacts", cid)

    async def create_contact(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("name", "email", "phone", "mobile", "job_title")):
            return invalid(field, "It should be a/an String", "datatype_mismatch")
        if not str(body.get("name", "")).strip():
            return invalid("name", "It should be a/an String")
        if not any(body.get(k) for k in ("email", "phone", "mobile")):
            return invalid("requester_id", "Please fill at least 1 of email, mobile, phone "
                           "fields", "missing_field")
        email = body.get("email")
        if email and any(c.get("email") == email for c in self._all_contacts()):
            return invalid("email", f"It should be a unique value", "duplicate_value", 409)
        now = self.now()
        record = {"id": CREATED_ID0 + self.ctx.store.next_id(), "name": body["name"],
                  "email": email, "phone": body.get("phone"), "mobile": body.get("mobile"),
                  "company_id": None, "active": False, "job_title": body.get("job_title"),
                  "created_at": now, "updated_at": now}
        return json_response(self.keep("contacts", record), 201)

    async def create_ticket(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("subject", "description", "email", "phone")):
            return invalid(field, "It should be a/an String", "datatype_mismatch")
        for field in ("subject", "description"):
            if not str(body.get(field, "")).strip():
                return invalid(field, "It should be a/an String")
        requester = next((body[k] for k in ("requester_id", "email", "phone") if body.get(k)), None)
        if requester is None:
            return invalid("requester_id", "Please fill at least 1 of requester_id, email, "
                           "phone fields")
        if body.get("requester_id") and self._contact_by_id(natural(body["requester_id"])) is None:
            return invalid("requester_id", "There is no contact matching the given requester_id",
                           "invalid_value")
        now = self.now()
        record = {"id": self.ctx.store.next_id(), "subject": body["subject"],
                  "description": body["description"], "description_text": body["description"],
                  "status": body.get("status", 2), "priority": body.get("priority", 1),
                  "requester_id": body.get("requester_id"), "email": body.get("email"),
                  "phone": body.get("phone"), "tags": body.get("tags", []),
                  "created_at": now, "updated_at": now}
        return json_response(self.keep("tickets", record), 201)

    async def ticket(self, request: Request) -> Response:
        return await self.show(request, "tickets", request.path_params["tid"])

    async def update_ticket(self, request: Request) -> Response:
        return await self.update(request, "tickets", ("subject", "description", "status", "priority",
                                                      "tags"), "updated_at")

    async def create_note(self, request: Request) -> Response:
        """A note on a ticket: Freshdesk's place for a call log."""
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        tid = request.path_params["tid"]
        if self.stored("tickets", tid) is None:
            return not_found()
        if not str(body.get("body", "")).strip():
            return invalid("body", "It should be a/an String")
        record = {"id": self.ctx.store.next_id(), "ticket_id": tid, "body": body["body"],
                  "body_text": body["body"], "private": bool(body.get("private", True)),
                  "incoming": bool(body.get("incoming", False)), "created_at": self.now()}
        return json_response(self.keep("notes", record), 201)

    async def contact_page(self, request: Request) -> Response:
        found = self._contact_by_id(request.path_params["cid"])
        if found is None:
            return not_found_page()
        return page(f"Freshdesk contact {found['name']}",
                    {k: found[k] for k in ("id", "name", "email", "phone")})

    def routes(self) -> list[Route]:
        api = "/api/v2"
        return [
            Route(f"{api}/agents", self.agents_list, methods=["GET"]),
            Route(f"{api}/agents/{{aid:int}}", self.agent, methods=["GET"]),
            Route(f"{api}/contacts", self.contacts_list, methods=["GET"]),
            Route(f"{api}/contacts", self.create_contact, methods=["POST"]),
            Route(f"{api}/contacts/{{cid:int}}", self.contact, methods=["GET"]),
            Route(f"{api}/search/contacts", self.search_contacts, methods=["GET"]),
            Route(f"{api}/tickets", self.create_ticket, methods=["POST"]),
            Route(f"{api}/tickets/{{tid:int}}", self.ticket, methods=["GET"]),
            Route(f"{api}/tickets/{{tid:int}}", self.update_ticket, methods=["PUT"]),
            Route(f"{api}/tickets/{{tid:int}}/notes", self.create_note, methods=["POST"]),
            Route("/a/contacts/{cid:int}", self.contact_page, methods=["GET"]),
        ]
