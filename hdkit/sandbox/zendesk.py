"""The Zendesk-like API under ``/zendesk``.

Shapes follow Zendesk's public API: objects wrapped in ``{"user": ...}`` / ``{"ticket": ...}``,
lists with ``next_page``/``previous_page``/``count`` (offset pagination) or, when
``page[size]`` is sent, ``meta.has_more``/``meta.after_cursor`` and ``links.next`` (cursor
pagination), errors as ``{"error": ..., "description": ..., "details": ...}``.
Phone search compares digits only (``matching.same_digits``).
"""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hdkit.sandbox import matching
from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.context import Context
from hdkit.sandbox.oauth_server import OAuthError
from hdkit.sandbox.people import Person, make_agents, make_contacts
from hdkit.sandbox.vendor import VendorAPI, not_text
from hdkit.sandbox.web import (authorize_flow, basic_credentials, bearer_token, form_or_json,
                               json_response, link, natural, not_found_page, page, plan, same)

VENDOR = "zendesk"
_D = DEMO[VENDOR]
AGENT_ID0, CONTACT_ID0, CREATED_ID0, TICKET_ID0 = 361_000_000_000, 362_000_000_000, 363_000_000_000, 1000
MAX_PER_PAGE = 100
CREATED_AT = "2024-01-15T09:30:00Z"


def error(status: int, error: str, description: str = "", details: dict[str, Any] | None = None,
          headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"error": error}
    if description:
        body["description"] = description
    if details:
        body["details"] = details
    return json_response(body, status, headers)


def invalid(field: str, description: str, code: str = "BlankValue") -> Response:
    return error(422, "RecordInvalid", "Record validation errors",
                 {field: [{"description": description, "error": code}]})


def not_found() -> Response:
    return error(404, "RecordNotFound", "Not found")


def unknown_route() -> Response:
    return error(404, "InvalidEndpoint", "Not found")


def fault_response(status: int, retry_after_s: int) -> Response:
    if status == 429:
        return error(429, "APIRateLimitExceeded", "Number of allowed API requests per minute "
                     "exceeded", headers={"Retry-After": str(retry_after_s)})
    if status == 504:
        return error(504, "GatewayTimeout", "The request took too long")
    return error(status, "ServiceUnavailable", "Zendesk is temporarily unavailable")


class Zendesk(VendorAPI):
    name = VENDOR

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.oauth = ctx.oauth[VENDOR]
        self.agents = [(AGENT_ID0 + p.index, p, "agent") for p in make_agents()]
        self.contacts = [(CONTACT_ID0 + p.index, p, "end-user") for p in make_contacts()]
        self.numbers = {uid: [p.phone, p.mobile, *p.extra_phones]
                        for uid, p, _ in self.agents + self.contacts}

    # -- auth ------------------------------------------------------------------------------

    def guard(self, request: Request, write: bool = False) -> Response | None:
        """None when the request may proceed, else Zendesk's 401 or 403."""
        token = bearer_token(request)
        if token is not None:
            writable = self._token_access(token)
            if writable is None:
                return error(401, "invalid_token", "The access token provided is expired, "
                             "revoked, malformed or invalid for other reasons.")
        else:
            writable = self._basic_access(request)
            if writable is None:
                return error(401, "Couldn't authenticate you")
        if write and not writable:
            return error(403, "Forbidden", "You do not have access to this page. Please contact "
                         "the account owner of this help desk for further help.")
        return None

    def _token_access(self, token: str) -> bool | None:
        """True: may write; False: read only; None: not a valid token."""
        if same(token, _D["bearer_token"]):
            return True
        if same(token, _D["readonly_bearer_token"]):
            return False
        grant = self.oauth.lookup(token)
        if grant is None or grant.expires_at <= time.time():
            return None
        return "write" in grant.scope.split()

    def _basic_access(self, request: Request) -> bool | None:
        """An API token (``email/token:api_token``) may write; anything else is refused."""
        creds = basic_credentials(request)
        if creds is not None and creds[0] == f"{_D['email']}/token" and same(creds[1], _D["api_token"]):
            return True
        return None

    def missing(self) -> Response:
        return not_found()

    def bad_body(self, wrapper: str | None) -> Response:
        return error(400, "InvalidEndpoint", f"Body must be JSON with a \"{wrapper}\" object")

    # -- OAuth -----------------------------------------------------------------------------

    async def authorize(self, request: Request) -> Response:
        return await authorize_flow(request, self.oauth, title="Zendesk: authorize",
                                    default_scope=_D["scope"], require_state=False)

    async def token(self, request: Request) -> Response:
        params, _ = await form_or_json(request)
        try:
            body = self.oauth.token(params, basic_credentials(request))
        except OAuthError as exc:
            status = 401 if exc.error == "invalid_client" else 400
            return json_response({"error": exc.error, "error_description": exc.description}, status)
        return json_response(body | {"token_type": "bearer", "refresh_token_expires_in": 2592000})

    # -- users -----------------------------------------------------------------------------

    def _user(self, request: Request, uid: int, p: Person, role: str) -> dict[str, Any]:
        return {"id": uid, "url": f"{request.base_url}zendesk/api/v2/users/{uid}.json",
                "name": p.name, "email": p.email, "phone": p.phone, "role": role,
                "notes": f"{p.company} customer" if p.company else "", "active": True,
                "verified": True, "time_zone": "UTC", "created_at": CREATED_AT}

    def _pool(self, request: Request, role: str | None) -> list[dict[str, Any]]:
        seeded = [(uid, p, r) for uid, p, r in self.agents + self.contacts if role in (None, r)]
        users = [self._user(request, uid, p, r) for uid, p, r in seeded]
        return users + [u for u in self.created("users") if role in (None, u["role"])]

    def _find(self, request: Request, uid: int) -> tuple[dict[str, Any], Person | None] | None:
        for base, seeded in ((AGENT_ID0, self.agents), (CONTACT_ID0, self.contacts)):
            if 0 <= uid - base < len(seeded):
                _, p, role = seeded[uid - base]
                return self._user(request, uid, p, role), p
        created = self.stored("users", uid)
        return (created, None) if created else None

    async def users(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        role = request.query_params.get("role")
        if role not in (None, "agent", "end-user"):
            return invalid("role", f"Role: {role} is not a valid role", "InvalidValue")
        return self._listing(request, "users", self._pool(request, role))

    def _listing(self, request: Request, key: str, items: list[dict[str, Any]]) -> Response:
        if "page[size]" in request.query_params or "page[after]" in request.query_params:
            return self._cursor_page(request, key, items)
        q = request.query_params
        number_raw, size_raw = natural(q.get("page", "1")), natural(q.get("per_page", "100"))
        if number_raw is None or size_raw is None:
            return invalid("page", "page and per_page must be positive integers", "InvalidValue")
        number, size = max(1, number_raw), min(MAX_PER_PAGE, max(1, size_raw))
        if plan(request).loop_pagination:
            nxt: str | None = link(request, page=1, per_page=size)
        else:
            nxt = link(request, page=number + 1, per_page=size) if number * size < len(items) else None
        prev = link(request, page=number - 1, per_page=size) if number > 1 else None
        return json_response({key: items[(number - 1) * size: number * size], "next_page": nxt,
                              "previous_page": prev, "count": len(items)})

    def _cursor_page(self, request: Request, key: str, items: list[dict[str, Any]]) -> Response:
        q = request.query_params
        size_raw = natural(q.get("page[size]", "100"))
        start = _decode_cursor(q.get("page[after]", "")) if "page[after]" in q else 0
        if size_raw is None or start is None:
            return error(400, "InvalidPaginationParameter", "page[size] or page[after] is invalid")
        size = min(MAX_PER_PAGE, max(1, size_raw))
        chunk = items[start: start + size]
        has_more = start + size < len(items)
        after = _encode_cursor(start + size) if has_more else None
        before = _encode_cursor(start) if start else None  # informative; page[before] unsupported
        if plan(request).loop_pagination:
            has_more, after = True, _encode_cursor(0)
        nxt = link(request, **{"page[size]": size, "page[after]": after}) if has_more else None
        return json_response({key: chunk,
                              "meta": {"has_more": has_more, "after_cursor": after,
                                       "before_cursor": before},
                              "links": {"next": nxt, "prev": None}})

    async def search(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        query = request.query_params.get("query", "").strip()
        if not query:
            return invalid("query", "Query: cannot be blank")
        hits = [u for u in self._pool(request, None) if self._matches(request, u, query)]
        return self._listing(request, "users", hits)

    def _matches(self, request: Request, user: dict[str, Any], query: str) -> bool:
        field, sep, value = query.partition(":")
        if not sep or field not in ("phone", "email", "name"):
            field, value = _guess_field(query), query
        if field == "phone":
            return matching.any_match(matching.same_digits, self._numbers(request, user), value)
        if field == "email":
            return str(user.get("email", "")).lower() == value.lower()
        return value.lower() in str(user.get("name", "")).lower()

    def _numbers(self, request: Request, user: dict[str, Any]) -> list[str]:
        """Every phone number of the user, as its phone_number identities list them."""
        return self.numbers.get(user["id"]) or [user.get("phone") or ""]

    def _identities(self, request: Request, uid: int) -> list[dict[str, Any]] | None:
        found = self._find(request, uid)
        if found is None:
            return None
        user, person = found
        values = [("email", user.get("email"))]
        numbers = [user.get("phone")] + ([person.mobile, *person.extra_phones] if person else [])
        values += [("phone_number", n) for n in numbers]
        return [{"url": f"{request.base_url}zendesk/api/v2/users/{uid}/identities/{uid * 10 + i}.json",
                 "id": uid * 10 + i, "user_id": uid, "type": kind, "value": value,
                 "verified": True, "primary": i < 2, "created_at": CREATED_AT}
                for i, (kind, value) in enumerate(v for v in values if v[1])]

    async def identities(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._identities(request, request.path_params["uid"])
        if found is None:
            return not_found()
        return json_response({"identities": found, "next_page": None, "previous_page": None,
                              "count": len(found)})

    async def show_user(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._find(request, request.path_params["uid"])
        return json_response({"user": found[0]}) if found else not_found()

    async def create_user(self, request: Request) -> Response:
        user = await self.write_body(request, "user")
        if isinstance(user, Response):
            return user
        if field := not_text(user, ("name", "email", "phone", "role", "notes")):
            return invalid(field, f"{field.capitalize()}: must be a string", "InvalidValue")
        if not str(user.get("name", "")).strip():
            return invalid("name", "Name: cannot be blank")
        email = str(user.get("email", "")).strip()
        if email and any(str(u.get("email", "")).lower() == email.lower()
                         for u in self._pool(request, None)):
            return invalid("email", f"Email: {email} is already being used by another user",
                           "DuplicateValue")
        uid = CREATED_ID0 + self.ctx.store.next_id()
        record = {"id": uid, "url": f"{request.base_url}zendesk/api/v2/users/{uid}.json",
                  "name": str(user["name"]), "email": email or None,
                  "phone": str(user.get("phone") or "") or None,
                  "role": user.get("role", "end-user"), "notes": str(user.get("notes", "")),
                  "active": True, "verified": False, "time_zone": "UTC", "created_at": self.now()}
        return json_response({"user": self.keep("users", record)}, 201)

    # -- tickets ---------------------------------------------------------------------------

    async def create_ticket(self, request: Request) -> Response:
        ticket = await self.write_body(request, "ticket")
        if isinstance(ticket, Response):
            return ticket
        if field := not_text(ticket, ("subject", "status", "priority")):
            return invalid(field, f"{field.capitalize()}: must be a string", "InvalidValue")
        comment = ticket.get("comment")
        text = comment.get("body") if isinstance(comment, dict) else None
        if not str(text or "").strip():
            return invalid("base", "Description: cannot be blank")
        given = ticket.get("requester_id") not in (None, "")
        requester = natural(ticket["requester_id"]) if given else None
        if given and (requester is None or self._find(request, requester) is None):
            return invalid("requester", "Requester: is invalid", "InvalidValue")
        tags = ticket.get("tags") or []
        if not isinstance(tags, list):
            return invalid("tags", "Tags: must be a list of strings", "InvalidValue")
        tid = TICKET_ID0 + self.ctx.store.next_id()
        now = self.now()
        record = {"id": tid, "url": f"{request.base_url}zendesk/api/v2/tickets/{tid}.json",
                  "subject": ticket.get("subject", ""), "description": text,
                  "status": ticket.get("status", "new"), "priority": ticket.get("priority"),
                  "requester_id": requester,
                  "tags": tags, "created_at": now, "updated_at": now}
        self.keep("tickets", record)
        self._add_comment(tid, "Comment", {"body": text})
        return json_response({"ticket": record, "audit": {"ticket_id": tid, "created_at": now}}, 201)

    async def update_ticket(self, request: Request) -> Response:
        changes = await self.write_body(request, "ticket")
        if isinstance(changes, Response):
            return changes
        record = self.stored("tickets", request.path_params["tid"])
        if record is None:
            return not_found()
        voice = changes.get("voice_comment")
        if voice is not None:
            missing = [k for k in ("from", "to", "recording_url", "started_at", "call_duration")
                       if not isinstance(voice, dict) or voice.get(k) in (None, "")]
            if missing:
                return invalid("voice_comment", f"Voice comment: {', '.join(missing)} cannot be blank")
            self._add_comment(record["id"], "VoiceComment", {"data": voice})
        comment = changes.get("comment")
        if isinstance(comment, dict) and comment.get("body"):
            self._add_comment(record["id"], "Comment", {"body": comment["body"]})
        for key in ("subject", "status", "priority", "tags"):
            if key in changes:
                record[key] = changes[key]
        record["updated_at"] = self.now()
        return json_response({"ticket": record, "audit": {"ticket_id": record["id"],
                                                          "created_at": record["updated_at"]}})

    def _add_comment(self, tid: int, kind: str, content: dict[str, Any]) -> None:
        cid = self.ctx.store.next_id()
        self.keep("comments", {"id": cid, "ticket_id": tid, "type": kind,
                                                "created_at": self.now(), **content})

    async def show_ticket(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        record = self.stored("tickets", request.path_params["tid"])
        return json_response({"ticket": record}) if record else not_found()

    async def comments(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        tid = request.path_params["tid"]
        if self.stored("tickets", tid) is None:
            return not_found()
        found = [c for c in self.created("comments") if c["ticket_id"] == tid]
        return json_response({"comments": found, "next_page": None, "previous_page": None,
                              "count": len(found)})

    # -- agent pages (call pop-up targets) --------------------------------------------------

    async def agent_user_page(self, request: Request) -> Response:
        found = self._find(request, request.path_params["uid"])
        if found is None:
            return not_found_page()
        user = found[0]
        return page(f"Zendesk user {user['name']}", {k: user[k] for k in ("id", "name", "email", "phone")})

    def routes(self) -> list[Route]:
        """The API paths answer with or without ``.json``, as Zendesk's do."""
        api = [
            ("users", self.users, "GET"),
            ("users", self.create_user, "POST"),
            ("users/search", self.search, "GET"),
            ("users/{uid:int}", self.show_user, "GET"),
            ("users/{uid:int}/identities", self.identities, "GET"),
            ("tickets", self.create_ticket, "POST"),
            ("tickets/{tid:int}", self.show_ticket, "GET"),
            ("tickets/{tid:int}", self.update_ticket, "PUT PATCH"),
            ("tickets/{tid:int}/comments", self.comments, "GET"),
        ]
        return [
            Route("/oauth/authorizations/new", self.authorize, methods=["GET", "POST"]),
            Route("/oauth/tokens", self.token, methods=["POST"]),
            *(Route(f"/api/v2/{path}{suffix}", endpoint, methods=methods.split())
              for path, endpoint, methods in api for suffix in (".json", "")),
            Route("/agent/users/{uid:int}", self.agent_user_page, methods=["GET"]),
        ]


def _guess_field(query: str) -> str:
    if "@" in query:
        return "email"
    if len(matching.digits(query)) >= 3 and not any(ch.isalpha() for ch in query):
        return "phone"
    return "name"


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    kind, _, number = text.partition(":")
    return natural(number) if kind == "o" else None
