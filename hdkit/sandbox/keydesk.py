"""KeyDesk, a small API under ``/keydesk`` with no auth method at all.

Many in-house helpdesks take an API key as a query parameter (``?api_key=``) or a custom
header (``X-API-Key``) and nothing else; a template reaches them with the "None" auth method
and puts the key in a URL or a header itself. Others (Django REST framework, GitLab-style
token logins) hand out a token for a user name and password: ``POST /api/auth/login`` answers
``{"ok": true, "data": {"access_token", "token_type": "Bearer", "expires_in"}}`` and the token
then works as ``Authorization: Bearer <token>`` (a template logs in with a follow-up request). Lists are ``{"data": [...], "page",
"page_size", "total", "total_pages"}`` paged by ``page``/``page_size``; errors are
``{"ok": false, "error": {"code", "message", "fields"}}``. Phone search finds stored numbers
whose digits contain the query's digits (``phones.contains``).
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hdkit.sandbox import phones
from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.context import Context
from hdkit.sandbox.people import Person, make_agents, make_contacts
from hdkit.sandbox.vendor import VendorAPI, not_text
from hdkit.sandbox.web import (bearer_token, form_or_json, json_response, natural, not_found_page, page,
                               plan, same)

VENDOR = "keydesk"
_D = DEMO[VENDOR]
MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE = 100, 50


def error(status: int, code: str, message: str, fields: dict[str, str] | None = None,
          headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return json_response({"ok": False, "error": body}, status, headers)


def invalid(field: str, message: str = "required") -> Response:
    return error(422, "validation_failed", f"{field}: {message}", {field: message})


def not_found() -> Response:
    return error(404, "not_found", "No such record")


def unknown_route() -> Response:
    return error(404, "no_route", "No such endpoint")


def fault_response(status: int, retry_after_s: int) -> Response:
    if status == 429:
        return error(429, "rate_limited", "Too many requests", headers={"Retry-After": str(retry_after_s)})
    return error(status, "server_error", "Something went wrong")


class KeyDesk(VendorAPI):
    name = VENDOR

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.users = [{"id": f"u{p.index + 1:05d}", "name": p.name, "email": p.email,
                       "extension": None} for p in make_agents()]
        self.contacts = [_contact(p) for p in make_contacts()]
        self.logins = ctx.oauth[VENDOR]

    def guard(self, request: Request, write: bool = False) -> Response | None:
        token = bearer_token(request)
        if token is not None:
            grant = self.logins.lookup(token)
            if grant is None:
                return error(401, "invalid_token", "The access token is not valid; log in again")
            if grant.expires_at <= time.time():
                return error(401, "token_expired", "The access token has expired; log in again")
            return None
        key = request.headers.get(_D["header"]) or request.query_params.get(_D["query_param"], "")
        if not key:
            return error(401, "missing_api_key", f"Send the API key in the {_D['header']} header "
                         f"or the {_D['query_param']} query parameter")
        full, readonly = same(key, _D["api_key"]), same(key, _D["readonly_api_key"])
        if not (full or readonly):
            return error(401, "invalid_api_key", "The API key is not valid")
        if write and not full:
            return error(403, "read_only_key", "This API key may only read")
        return None

    def missing(self) -> Response:
        return not_found()

    def bad_body(self, wrapper: str | None) -> Response:
        return error(400, "bad_json", "The body must be a JSON object")

    def _all_contacts(self) -> list[dict[str, Any]]:
        return self.contacts + self.created("contacts")

    def _paged(self, request: Request, items: list[dict[str, Any]]) -> Response:
        q = request.query_params
        number_raw, size_raw = q.get("page", "1"), q.get("page_size", str(DEFAULT_PAGE_SIZE))
        number, size = natural(number_raw), natural(size_raw)
        if number is None or number < 1:
            return invalid("page", "must be a positive integer")
        if size is None or not 1 <= size <= MAX_PAGE_SIZE:
            return invalid("page_size", f"must be between 1 and {MAX_PAGE_SIZE}")
        if plan(request).loop_pagination:
            number = 1
        return json_response({"data": items[(number - 1) * size: number * size], "page": number,
                              "page_size": size, "total": len(items),
                              "total_pages": -(-len(items) // size)})

    async def login(self, request: Request) -> Response:
        """A user name and password (JSON or form) for a bearer token."""
        params, kind = await form_or_json(request)
        if kind == "none" and (await request.body()).strip():
            return error(400, "bad_json", "Send username and password as JSON or a form")
        for field in ("username", "password"):
            if not params.get(field):
                return invalid(field)
        if params["username"] != _D["username"] or not same(params["password"], _D["password"]):
            return error(401, "invalid_credentials", "Unable to log in with provided credentials")
        issued = self.logins.issue("keydesk")
        return json_response({"ok": True, "data": {"access_token": issued["access_token"],
                                                   "token_type": "Bearer",
                                                   "expires_in": issued["expires_in"]}})

    async def users_list(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        return self._paged(request, self.users)

    async def contacts_list(self, request: Request) -> Response:
        """Filter by ``phone`` (digits contained), ``email`` (exact) and ``name`` (substring)."""
        if refused := self.guard(request):
            return refused
        q = request.query_params
        items = self._all_contacts()
        if "phone" in q:
            items = [c for c in items if phones.any_match(
                phones.contains, [c.get("phone") or "", c.get("mobile") or ""], q["phone"])]
        if "email" in q:
            items = [c for c in items if str(c.get("email") or "").lower() == q["email"].lower()]
        if "name" in q:
            items = [c for c in items if q["name"].lower() in str(c.get("name") or "").lower()]
        return self._paged(request, items)

    async def contact(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._contact_by_id(request.path_params["cid"])
        return json_response({"data": found}) if found else not_found()

    def _contact_by_id(self, cid: str) -> dict[str, Any] | None:
        return next((c for c in self._all_contacts() if c["id"] == cid), None)

    async def create_contact(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("name", "phone", "mobile", "email", "company")):
            return invalid(field, "must be a string")
        if not str(body.get("name", "")).strip():
            return invalid("name")
        if not str(body.get("phone", "")).strip():
            return invalid("phone")
        record = {"id": f"c{self.ctx.store.next_id() + 90000}", "name": body["name"],
                  "phone": body["phone"], "mobile": body.get("mobile"),
                  "email": body.get("email"), "company": body.get("company"), "created_at": self.now()}
        return json_response({"ok": True, "data": self.keep("contacts", record)}, 201)

    async def create_call(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("phone", "direction", "started_at", "status", "recording_url", "note")):
            return invalid(field, "must be a string")
        for field in ("phone", "direction", "started_at"):
            if not str(body.get(field, "")).strip():
                return invalid(field)
        if body["direction"] not in ("inbound", "outbound", "internal"):
            return invalid("direction", "must be inbound, outbound or internal")
        contact_id = body.get("contact_id")
        if contact_id and self._contact_by_id(str(contact_id)) is None:
            return invalid("contact_id", "no such contact")
        record = {"id": f"call{self.ctx.store.next_id()}", "contact_id": contact_id,
                  "phone": body["phone"], "direction": body["direction"],
                  "started_at": body["started_at"], "duration": body.get("duration"),
                  "status": body.get("status"), "recording_url": body.get("recording_url"),
                  "note": body.get("note"), "created_at": self.now()}
        return json_response({"ok": True, "data": self.keep("calls", record)}, 201)

    async def contact_page(self, request: Request) -> Response:
        found = self._contact_by_id(request.path_params["cid"])
        if found is None:
            return not_found_page()
        return page(f"KeyDesk contact {found['name']}",
                    {k: found[k] for k in ("id", "name", "email", "phone")})

    def routes(self) -> list[Route]:
        return [
            Route("/api/auth/login", self.login, methods=["POST"]),
            Route("/api/users", self.users_list, methods=["GET"]),
            Route("/api/contacts", self.contacts_list, methods=["GET"]),
            Route("/api/contacts", self.create_contact, methods=["POST"]),
            Route("/api/contacts/{cid}", self.contact, methods=["GET"]),
            Route("/api/calls", self.create_call, methods=["POST"]),
            Route("/contacts/{cid}", self.contact_page, methods=["GET"]),
        ]


def _contact(p: Person) -> dict[str, Any]:
    return {"id": f"c{p.index + 1:05d}", "name": p.name, "phone": p.phone,
            "mobile": p.mobile or None, "email": p.email, "company": p.company or None,
            "created_at": "2024-01-15T09:30:00Z"}
