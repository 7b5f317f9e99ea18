"""The Zammad-like API under ``/zammad``: a static access token sent as a bearer token.

Shapes follow Zammad's REST API: users, tickets and articles are flat JSON objects with integer
ids; lists and searches are bare JSON arrays paged by ``page``/``per_page`` (a search also takes
``limit``); errors are ``{"error", "error_human"}``, validation failures HTTP 422. Auth is a
personal access token (Profile > Token Access) sent as ``Authorization: Token token=<token>``
or ``Authorization: Bearer <token>``: the admin pastes it, there is no token endpoint. A
ticket is created in a group (by name) for a customer, with an optional first article; calls
are logged as articles of type ``phone``. The users search takes ``field:value`` terms joined
by ``OR`` (``phone``, ``mobile``, ``email``, ``login``, ``firstname``, ``lastname``,
``role_ids``) or free text; phone terms compare digits only (``phones.same_digits``). The
agent UI lives in the URL fragment (``/#user/profile/<id>``), so the pop-up page is ``/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from hdkit.sandbox import phones
from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.context import Context
from hdkit.sandbox.people import Person, make_agents, make_contacts
from hdkit.sandbox.vendor import VendorAPI, not_text
from hdkit.sandbox.web import json_response, natural, plan, same

VENDOR = "zammad"
_D = DEMO[VENDOR]
AGENT_ID0, CUSTOMER_ID0, CREATED_ID0, TICKET_NUMBER0 = 3, 5001, 9000, 31000
AGENT_ROLE, CUSTOMER_ROLE, ROLES = 2, 3, (1, 2, 3)
MAX_PER_PAGE, DEFAULT_PER_PAGE, MAX_LIMIT, DEFAULT_LIMIT = 500, 100, 100, 10
CREATED_AT = "2024-01-15T09:30:00.000Z"
GROUPS = {_D["group"]: 1}
STATES = {"new": 1, "open": 2, "pending reminder": 3, "closed": 4, "merged": 5, "pending close": 7}
PRIORITIES = {"1 low": 1, "2 normal": 2, "3 high": 3}
ARTICLE_TYPES = ("email", "sms", "chat", "fax", "phone", "web", "note")
SENDERS = ("Agent", "Customer", "System")
TERM_FIELDS = ("phone", "mobile", "email", "login", "firstname", "lastname", "role_ids", "note")
USER_TEXT = ("firstname", "lastname", "email", "phone", "mobile", "note")


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"error": message, "error_human": message}, status, headers)


def invalid(message: str) -> Response:
    return error(422, message)


def not_found(model: str = "Record", record_id: object = "") -> Response:
    return error(404, f"Couldn't find {model} with 'id'={record_id}")


def unknown_route() -> Response:
    return error(404, "No route matches this request")


def fault_response(status: int, retry_after_s: int) -> Response:
    if status == 429:
        return error(429, "Too many requests", {"Retry-After": str(retry_after_s)})
    return error(status, "Internal Server Error")


class Zammad(VendorAPI):
    name = VENDOR
    millis = True

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.users = ([_user(AGENT_ID0 + p.index, p, AGENT_ROLE) for p in make_agents()]
                      + [_user(CUSTOMER_ID0 + p.index, p, CUSTOMER_ROLE) for p in make_contacts()])
        self._by_id = {u["id"]: u for u in self.users}

    # -- auth --------------------------------------------------------------------------------

    def guard(self, request: Request, write: bool = False) -> Response | None:
        token = _access_token(request.headers.get("authorization", ""))
        if token is None:
            return error(401, "Authentication failed")
        full, readonly = same(token, _D["api_token"]), same(token, _D["readonly_api_token"])
        if not (full or readonly):
            return error(401, "Authentication failed")
        if write and not full:
            return error(403, "Not authorized (token has no permission to change data)")
        return None

    def missing(self) -> Response:
        return not_found()

    def bad_body(self, wrapper: str | None) -> Response:
        return invalid("The request body must be a JSON object")

    # -- users ---------------------------------------------------------------------------------

    def _all_users(self) -> list[dict[str, Any]]:
        return self.users + self.created("users")

    def _user_by_id(self, raw: object) -> dict[str, Any] | None:
        uid = natural(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
        if uid is None:
            return None
        return self._by_id.get(uid) or self.stored("users", uid)

    def _paged(self, request: Request, items: list[dict[str, Any]], default: int) -> Response:
        """``per_page`` records of page ``page`` (from 1); a search's ``limit`` is its page size."""
        q = request.query_params
        size_key = "per_page" if "per_page" in q or "limit" not in q else "limit"
        size, number = natural(q.get(size_key, str(default))), natural(q.get("page", "1"))
        maximum = MAX_PER_PAGE if size_key == "per_page" else MAX_LIMIT
        if size is None or not 1 <= size <= maximum:
            return invalid(f"{size_key} must be a whole number from 1 to {maximum}, got {q.get(size_key)!r}")
        if number is None or number < 1:
            return invalid(f"page must be a whole number from 1, got {q.get('page')!r}")
        if plan(request).loop_pagination:
            number = 1
        return json_response(items[(number - 1) * size: number * size])

    async def users_list(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        return self._paged(request, self._all_users(), DEFAULT_PER_PAGE)

    async def users_search(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        query = request.query_params.get("query", "").strip()
        if not query:
            return invalid("Need query param: send ?query=phone:<number> (or any search text)")
        wanted = _query_matcher(query)
        hits = [u for u in self._all_users() if wanted(u)]
        default = DEFAULT_LIMIT if "per_page" not in request.query_params else DEFAULT_PER_PAGE
        return self._paged(request, hits, default)

    async def user(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._user_by_id(request.path_params["uid"])
        return json_response(found) if found else not_found("User", request.path_params["uid"])

    async def create_user(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("firstname", "lastname", "email", "phone", "mobile", "note", "login")):
            return invalid(f"{field} must be a string")
        if not any(str(body.get(k) or "").strip() for k in ("login", "firstname", "lastname", "phone", "email")):
            return invalid("Minimum one identifier (login, firstname, lastname, phone or email) for user "
                           "is required.")
        roles = body.get("role_ids", [CUSTOMER_ROLE])
        if not isinstance(roles, list) or not roles or not all(r in ROLES and not isinstance(r, bool)
                                                               for r in roles):
            return invalid(f"role_ids must be a list of role ids ({', '.join(map(str, ROLES))})")
        email = str(body.get("email") or "").strip()
        if email and any(str(u.get("email") or "").lower() == email.lower() for u in self._all_users()):
            return invalid(f"Email address '{email}' is already used for other user.")
        uid = CREATED_ID0 + self.ctx.store.next_id()
        now = self.now()
        record = {"id": uid, "organization_id": None, "login": body.get("login") or email or f"user{uid}",
                  "firstname": body.get("firstname") or "", "lastname": body.get("lastname") or "",
                  "email": email, "phone": body.get("phone") or "", "mobile": body.get("mobile") or "",
                  "fax": "", "note": body.get("note") or "", "active": True, "verified": False,
                  "role_ids": roles, "created_at": now, "updated_at": now}
        return json_response(self.keep("users", record), 201)

    # -- tickets and articles -------------------------------------------------------------------

    async def create_ticket(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        if field := not_text(body, ("title", "group", "state", "priority", "note")):
            return invalid(f"{field} must be a string")
        if not str(body.get("title") or "").strip():
            return invalid("title is required")
        group = _lookup(body, "group", GROUPS)
        state = _lookup(body, "state", STATES, default="new")
        priority = _lookup(body, "priority", PRIORITIES, default="2 normal")
        for found in (group, state, priority):
            if isinstance(found, Response):
                return found
        customer = self._user_by_id(body.get("customer_id"))
        if customer is None:
            return invalid(f"customer_id: no user has the id {body.get('customer_id')!r}")
        tid = self.ctx.store.next_id()
        now = self.now()
        record = {"id": tid, "number": str(TICKET_NUMBER0 + tid), "title": body["title"],
                  "group_id": GROUPS[group], "group": group, "state_id": STATES[state], "state": state,
                  "priority_id": PRIORITIES[priority], "priority": priority, "owner_id": 1,
                  "customer_id": customer["id"], "organization_id": None, "note": body.get("note"),
                  "article_ids": [], "article_count": 0, "created_at": now, "updated_at": now}
        if "article" in body:
            article = self._article(body["article"], record, "article.")
            if isinstance(article, Response):
                return article
        self.keep("tickets", record)
        if "article" in body:
            self._attach(record, article)
        return json_response(record, 201)

    async def ticket(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._ticket(request.path_params["tid"])
        return json_response(found) if found else not_found("Ticket", request.path_params["tid"])

    def _ticket(self, raw: object) -> dict[str, Any] | None:
        tid = natural(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
        return None if tid is None else self.stored("tickets", tid)

    async def update_ticket(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        record = self._ticket(request.path_params["tid"])
        if record is None:
            return not_found("Ticket", request.path_params["tid"])
        if field := not_text(body, ("title", "group", "state", "priority", "note")):
            return invalid(f"{field} must be a string")
        changes: dict[str, Any] = {}
        for key, table, id_key in (("group", GROUPS, "group_id"), ("state", STATES, "state_id"),
                                   ("priority", PRIORITIES, "priority_id")):
            if key in body or id_key in body:
                found = _lookup(body, key, table)
                if isinstance(found, Response):
                    return found
                changes |= {key: found, id_key: table[found]}
        article = self._article(body["article"], record, "article.") if "article" in body else None
        if isinstance(article, Response):
            return article
        record.update(changes | {k: body[k] for k in ("title", "note") if k in body})
        if article is not None:
            self._attach(record, article)
        record["updated_at"] = self.now()
        return json_response(record)

    async def create_article(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        record = self._ticket(body.get("ticket_id"))
        if record is None:
            return invalid(f"ticket_id: no ticket has the id {body.get('ticket_id')!r}")
        article = self._article(body, record, "")
        if isinstance(article, Response):
            return article
        self._attach(record, article)
        return json_response(article, 201)

    def _article(self, raw: object, ticket: dict[str, Any], where: str) -> dict[str, Any] | Response:
        """An article for ``ticket`` checked like Zammad does (not stored yet)."""
        if not isinstance(raw, dict):
            return invalid(f"{where or 'body'} must be an object")
        if field := not_text(raw, ("body", "subject", "type", "sender", "content_type", "from", "to")):
            return invalid(f"{where}{field} must be a string")
        if not str(raw.get("body") or "").strip():
            return invalid(f"{where}body is required")
        kind, sender = raw.get("type", "note"), raw.get("sender", "Agent")
        if kind not in ARTICLE_TYPES:
            return invalid(f"{where}type: No lookup value found for 'type': {kind!r}")
        if sender not in SENDERS:
            return invalid(f"{where}sender: No lookup value found for 'sender': {sender!r}")
        internal = raw.get("internal", False)
        if not isinstance(internal, bool):
            return invalid(f"{where}internal must be true or false")
        return {"id": self.ctx.store.next_id(), "ticket_id": ticket["id"], "type": kind, "sender": sender,
                "from": raw.get("from"), "to": raw.get("to"), "subject": raw.get("subject"),
                "body": raw["body"], "content_type": raw.get("content_type", "text/plain"),
                "internal": internal, "created_at": self.now()}

    def _attach(self, ticket: dict[str, Any], article: dict[str, Any]) -> None:
        self.keep("ticket_articles", article)
        ticket["article_ids"].append(article["id"])
        ticket["article_count"] = len(ticket["article_ids"])

    async def articles_by_ticket(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        record = self._ticket(request.path_params["tid"])
        if record is None:
            return not_found("Ticket", request.path_params["tid"])
        return json_response([a for a in self.created("ticket_articles") if a["ticket_id"] == record["id"]])

    async def app_page(self, request: Request) -> Response:
        """Zammad's single-page app: its routes (``#user/profile/<id>``) never reach the server."""
        return HTMLResponse("<!doctype html><title>Zammad</title><h1>Zammad</h1>"
                            "<p>The agent interface opens the record named in the URL fragment.</p>")

    def routes(self) -> list[Route]:
        api = "/api/v1"
        return [
            Route("/", self.app_page, methods=["GET"]),
            Route(f"{api}/users", self.users_list, methods=["GET"]),
            Route(f"{api}/users", self.create_user, methods=["POST"]),
            Route(f"{api}/users/search", self.users_search, methods=["GET"]),
            Route(f"{api}/users/{{uid}}", self.user, methods=["GET"]),
            Route(f"{api}/tickets", self.create_ticket, methods=["POST"]),
            Route(f"{api}/tickets/{{tid}}", self.ticket, methods=["GET"]),
            Route(f"{api}/tickets/{{tid}}", self.update_ticket, methods=["PUT"]),
            Route(f"{api}/ticket_articles", self.create_article, methods=["POST"]),
            Route(f"{api}/ticket_articles/by_ticket/{{tid}}", self.articles_by_ticket, methods=["GET"]),
        ]


def _access_token(header: str) -> str | None:
    """The token of ``Bearer <t>``, ``Token token=<t>`` or ``Token token="<t>"``."""
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() == "token":
        value = value.removeprefix("token=").strip('"')
    elif scheme.lower() != "bearer":
        return None
    return value or None


def _lookup(body: dict[str, Any], key: str, table: dict[str, int],
            default: str | None = None) -> str | Response:
    """A group/state/priority given by name (``key``) or id (``key_id``), as its name."""
    if key in body:
        name = body[key]
        if name in table:
            return name
        return invalid(f"No lookup value found for '{key}': {name!r}")
    raw = body.get(f"{key}_id")
    if raw is not None:
        found = next((n for n, i in table.items() if i == raw and not isinstance(raw, bool)), None)
        return found if found is not None else invalid(f"No lookup value found for '{key}_id': {raw!r}")
    return default if default is not None else invalid(f"{key} is required")


def _query_matcher(query: str) -> Callable[[dict[str, Any]], bool]:
    """A predicate for a users search: ``field:value`` terms or free text, joined by ``OR``."""
    terms = [t.strip() for t in query.split(" OR ") if t.strip()]
    tests = [_term(t) for t in terms]
    return lambda user: any(test(user) for test in tests)


def _term(term: str) -> Callable[[dict[str, Any]], bool]:
    field, sep, value = term.partition(":")
    value = value.strip().strip('"')
    if sep and field in TERM_FIELDS:
        if field in ("phone", "mobile"):
            return lambda u: phones.same_digits(str(u.get(field) or ""), value)
        if field == "role_ids":
            return lambda u: value in {str(r) for r in u["role_ids"]}
        return lambda u: str(u.get(field) or "").lower() == value.lower()
    text = term.strip('"').lower()
    return lambda u: (any(text in str(u.get(f) or "").lower() for f in USER_TEXT)
                      or phones.any_match(phones.same_digits, [u["phone"], u["mobile"]], text))


def _user(uid: int, p: Person, role: int) -> dict[str, Any]:
    return {"id": uid, "organization_id": None, "login": p.email, "firstname": p.first, "lastname": p.last,
            "email": p.email, "phone": p.phone, "mobile": p.mobile, "fax": "",
            "note": f"{p.company} customer" if p.company else "", "active": True, "verified": True,
            "role_ids": [role], "created_at": CREATED_AT, "updated_at": CREATED_AT}
