"""The HubSpot-like CRM API under ``/hubspot``: a search that is a POST with a JSON filter.

Shapes follow HubSpot's CRM v3. Objects are ``{"id" (a string), "properties": {...},
"createdAt", "updatedAt", "archived"}``; lists are ``{"results", "paging": {"next": {"after",
"link"}}}`` paged by ``after``; contacts are found with the CRM search API, a POST whose JSON
body holds ``filterGroups`` (groups are OR'ed, the filters of a group AND'ed), ``query``,
``properties``, ``limit`` and ``after``. A search returns HubSpot's default properties unless
the body names others, as HubSpot does. Errors are ``{"status": "error", "message",
"correlationId", "category", "errors"?}``.

Auth is a bearer token: a private app access token (static: the admin pastes it, there is no
token endpoint) or an OAuth2 access token from the public-app flow (consent on the app host,
``state`` required here; token at ``/oauth/v1/token``, form bodies only; the refresh token is
kept and returned again on every refresh). Each contact carries ``url``, its record page in the
CRM, so a pop-up URL can be read from the search response. Phone filters compare the stored
string, ignoring case (``EQ``), as HubSpot's do.
"""

from __future__ import annotations

import fnmatch
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hdkit.sandbox.accounts import DEMO
from hdkit.sandbox.context import Context
from hdkit.sandbox.oauth_server import OAuthError
from hdkit.sandbox.people import Person, make_agents, make_contacts
from hdkit.sandbox.vendor import VendorAPI
from hdkit.sandbox.web import (authorize_flow, basic_credentials, bearer_token, form_or_json,
                               json_response, link, natural, not_found_page, page, plan, same,
                               strict_json)

VENDOR = "hubspot"
_D = DEMO[VENDOR]
CONTACT_ID0, OWNER_ID0, USER_ID0, CREATED_ID0 = 1001, 70_000_001, 9_000_001, 5_000_000
MAX_OWNERS, DEFAULT_OWNERS = 500, 100
MAX_SEARCH, DEFAULT_SEARCH = 200, 10
MAX_GROUPS, MAX_FILTERS = 5, 6
CREATED_AT = "2024-01-15T09:30:00.000Z"
DEFAULT_PROPERTIES = ("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname")
ALWAYS = ("createdate", "hs_object_id", "lastmodifieddate")
SEARCHED_BY_QUERY = ("firstname", "lastname", "email", "phone", "mobilephone", "company")
WRITABLE = {
    "contacts": {"firstname", "lastname", "email", "phone", "mobilephone", "company", "jobtitle",
                 "lifecyclestage", "hubspot_owner_id", "city", "country"},
    "calls": {"hs_timestamp", "hs_call_title", "hs_call_body", "hs_call_duration", "hs_call_direction",
              "hs_call_status", "hs_call_from_number", "hs_call_to_number", "hs_call_recording_url",
              "hubspot_owner_id"},
    "tickets": {"subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority",
                "hs_ticket_category", "hubspot_owner_id", "source_type"},
}
CHOICES = {
    "hs_call_direction": ("INBOUND", "OUTBOUND"),
    "hs_call_status": ("BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED",
                       "IN_PROGRESS", "NO_ANSWER", "QUEUED", "RINGING"),
    "hs_pipeline": ("0",),
    "hs_pipeline_stage": ("1", "2", "3", "4"),
    "hs_ticket_priority": ("LOW", "MEDIUM", "HIGH", "URGENT"),
}
ASSOCIATION_CATEGORIES = ("HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$")
_TOKEN_SPLIT = re.compile(r"[^0-9a-z@.]+")
_OAUTH_STATUS = {"invalid_client": "BAD_CLIENT_ID", "unsupported_grant_type": "BAD_GRANT_TYPE"}


def error(status: int, category: str, message: str, errors: list[dict[str, Any]] | None = None,
          headers: dict[str, str] | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"status": "error", "message": message, "correlationId": str(uuid.uuid4()),
                            "category": category, **extra}
    if errors:
        body["errors"] = errors
    return json_response(body, status, headers)


def invalid(message: str, code: str = "INVALID_INPUT", **context: Any) -> Response:
    """HubSpot's 400: the message says what is wrong and where (a JSON path into the body)."""
    detail: dict[str, Any] = {"message": message, "code": code}
    if context:
        detail["context"] = context
    return error(400, "VALIDATION_ERROR", message, [detail])


def not_found() -> Response:
    return error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.")


def unknown_route() -> Response:
    return error(404, "NOT_FOUND", "Unable to route the request: no such endpoint.")


def fault_response(status: int, retry_after_s: int) -> Response:
    if status == 429:
        return error(429, "RATE_LIMITS", "You have reached your secondly limit.",
                     headers={"Retry-After": str(retry_after_s)}, errorType="RATE_LIMIT",
                     policyName="SECONDLY")
    return error(status, "INTERNAL_ERROR", "internal error")


class SearchError(ValueError):
    """A search body HubSpot would refuse; the message names the field."""


class HubSpot(VendorAPI):
    name = VENDOR
    millis = True

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.oauth = ctx.oauth[VENDOR]
        self.owners = [_owner(p) for p in make_agents()]
        self.contacts = [_contact(p) for p in make_contacts()]

    # -- auth --------------------------------------------------------------------------------

    def guard(self, request: Request, write: bool = False) -> Response | None:
        """None when the token may do this, else HubSpot's 401 or 403 (scopes by path)."""
        token = bearer_token(request)
        if token is None:
            return error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API "
                         "supports OAuth 2.0 authentication and private app access tokens.")
        if same(token, _D["private_app_token"]):
            scopes = _D["scope"]
        elif same(token, _D["readonly_private_app_token"]):
            scopes = _D["readonly_scope"]
        else:
            grant = self.oauth.lookup(token)
            if grant is None:
                return error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. "
                             "The access token is unknown or revoked.")
            if grant.expires_at <= time.time():
                return error(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call "
                             f"expired {int(time.time() - grant.expires_at)} second(s) ago.")
            scopes = grant.scope
        needed = _scope_for(request.url.path, write)
        if needed not in scopes.split():
            return error(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to "
                         "make this call.", [{"message": "One or more of the following scopes are "
                                              "required.", "context": {"requiredGranularScopes": [needed]}}])
        return None

    def missing(self) -> Response:
        return not_found()

    def bad_body(self, wrapper: str | None) -> Response:
        return invalid("Invalid input JSON: the body must be a JSON object", "INVALID_JSON")

    async def authorize(self, request: Request) -> Response:
        return await authorize_flow(request, self.oauth, title="HubSpot: connect an app",
                                    default_scope=_D["scope"], require_state=True,
                                    response_type_optional=True)

    async def token(self, request: Request) -> Response:
        """Form bodies only; a refresh answers with the same (kept) refresh token."""
        params, kind = await form_or_json(request, "form")
        if kind != "form":
            return json_response({"status": "BAD_REQUEST", "message": "The token request must be "
                                  "form-encoded (application/x-www-form-urlencoded)",
                                  "correlationId": str(uuid.uuid4())}, 400)
        try:
            issued = self.oauth.token(params, basic_credentials(request))
        except OAuthError as exc:
            status = _OAUTH_STATUS.get(exc.error) or (
                "BAD_REFRESH_TOKEN" if params.get("grant_type") == "refresh_token" else "BAD_AUTH_CODE")
            return json_response({"status": status, "message": exc.description,
                                  "correlationId": str(uuid.uuid4())}, 400)
        if params.get("grant_type") == "refresh_token":
            issued = issued | {"refresh_token": params["refresh_token"]}
        return json_response(issued | {"token_type": "bearer"})

    # -- records -----------------------------------------------------------------------------

    def _all_contacts(self) -> list[dict[str, Any]]:
        return self.contacts + self.created("contacts")

    def _contact_by_id(self, cid: str) -> dict[str, Any] | None:
        number = natural(cid)
        offset = -1 if number is None else number - CONTACT_ID0
        if 0 <= offset < len(self.contacts):
            return self.contacts[offset]
        return self.stored("contacts", cid)

    def _view(self, request: Request, record: dict[str, Any], wanted: list[str] | None) -> dict[str, Any]:
        """A contact as HubSpot answers it: the asked-for (else default) properties, and its url."""
        names = DEFAULT_PROPERTIES if wanted is None else (*wanted, *ALWAYS)
        props = record["properties"]
        shown = {n: props.get(n) for n in dict.fromkeys(names) if n in props}
        url = f"{request.base_url}hubspot/contacts/{_D['portal_id']}/record/0-1/{record['id']}"
        return {k: v for k, v in record.items() if k != "properties"} | {"properties": shown, "url": url}

    # -- owners (users) ------------------------------------------------------------------------

    async def owners_list(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        q = request.query_params
        items = self.owners
        if "email" in q:
            items = [o for o in items if o["email"].lower() == q["email"].lower()]
        archived = q.get("archived", "false").lower()
        if archived not in ("true", "false"):
            return invalid(f"archived: {q['archived']!r} is not a boolean (true or false)")
        if archived == "true":
            items = []  # no owner is archived
        return self._listing(request, items, DEFAULT_OWNERS, MAX_OWNERS, lambda o: o)

    async def owner(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = next((o for o in self.owners if o["id"] == request.path_params["oid"]), None)
        return json_response(found) if found else not_found()

    def _listing(self, request: Request, items: list[dict[str, Any]], default: int, maximum: int,
                 show: Callable[[dict[str, Any]], dict[str, Any]]) -> Response:
        """``limit`` records from ``after`` (an offset, as HubSpot's CRM cursors are), next link."""
        q = request.query_params
        limit, after = natural(q.get("limit", str(default))), natural(q.get("after", "0"))
        if limit is None or not 1 <= limit <= maximum:
            return invalid(f"limit: must be a whole number from 1 to {maximum}, got {q.get('limit')!r}")
        if after is None:
            return invalid(f"after: must be a paging cursor from a previous response, got {q.get('after')!r}")
        body: dict[str, Any] = {"results": [show(r) for r in items[after: after + limit]]}
        if plan(request).loop_pagination:
            body["paging"] = {"next": {"after": "0", "link": link(request, after=0, limit=limit)}}
        elif after + limit < len(items):
            nxt = after + limit
            body["paging"] = {"next": {"after": str(nxt), "link": link(request, after=nxt, limit=limit)}}
        return json_response(body)

    # -- contacts ------------------------------------------------------------------------------

    async def contacts_list(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        wanted = _property_list(request.query_params.get("properties"))
        return self._listing(request, self._all_contacts(), DEFAULT_SEARCH, 100,
                             lambda c: self._view(request, c, wanted))

    async def contact(self, request: Request) -> Response:
        if refused := self.guard(request):
            return refused
        found = self._contact_by_id(request.path_params["cid"])
        if found is None:
            return not_found()
        return json_response(self._view(request, found, _property_list(request.query_params.get("properties"))))

    async def search_contacts(self, request: Request) -> Response:
        """The CRM search: an empty object lists everything (first page); a bad body is a 400."""
        if refused := self.guard(request):
            return refused
        raw = await request.body()
        if not raw.strip():
            return invalid("Invalid input JSON on line 1, column 1: No content to map due to end-of-input",
                           "INVALID_JSON")
        try:
            body = strict_json(raw)
        except json.JSONDecodeError as exc:
            return invalid(f"Invalid input JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}",
                           "INVALID_JSON")
        except (ValueError, RecursionError):  # not UTF-8, NaN, or nested deeper than a parser goes
            return invalid("Invalid input JSON: not UTF-8 text, a NaN or Infinity, or nested too deeply",
                           "INVALID_JSON")
        try:
            search = _Search.parse(body)
        except SearchError as exc:
            return invalid(str(exc))
        hits = [c for c in self._all_contacts() if search.matches(c["properties"])]
        chunk = hits[search.after: search.after + search.limit]
        answer: dict[str, Any] = {"total": len(hits),
                                  "results": [self._view(request, c, search.properties) for c in chunk]}
        if search.after + search.limit < len(hits):
            answer["paging"] = {"next": {"after": str(search.after + search.limit)}}
        return json_response(answer)

    async def create_contact(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        props = _properties(body, "contacts")
        if isinstance(props, Response):
            return props
        email = props.get("email")
        if email:
            dup = next((c for c in self._all_contacts()
                        if str(c["properties"].get("email") or "").lower() == email.lower()), None)
            if dup is not None:
                return error(409, "CONFLICT", f"Contact already exists. Existing ID: {dup['id']}")
        cid = str(CREATED_ID0 + self.ctx.store.next_id())
        record = self._new_record(cid, props)
        self.keep("contacts", record)
        return json_response(self._view(request, record, sorted(props)), 201)

    def _new_record(self, oid: str, props: dict[str, str]) -> dict[str, Any]:
        now = self.now()
        return {"id": oid, "properties": props | {"hs_object_id": oid, "createdate": now,
                                                  "lastmodifieddate": now},
                "createdAt": now, "updatedAt": now, "archived": False}

    # -- calls and tickets --------------------------------------------------------------------

    async def create_call(self, request: Request) -> Response:
        return await self._create_engagement(request, "calls", ("hs_timestamp",))

    async def create_ticket(self, request: Request) -> Response:
        return await self._create_engagement(request, "tickets", ("subject", "hs_pipeline_stage"),
                                             {"hs_pipeline": "0"})

    async def _create_engagement(self, request: Request, kind: str, required: tuple[str, ...],
                                 defaults: dict[str, str] | None = None) -> Response:
        """A call or ticket with its properties checked and its associations to contacts."""
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        props = _properties(body, kind)
        if isinstance(props, Response):
            return props
        props = (defaults or {}) | props
        if missing := [name for name in required if not props.get(name)]:
            return invalid(f"properties.{missing[0]}: is required", "REQUIRED_PROPERTY")
        associations = self._associations(body.get("associations", []))
        if isinstance(associations, Response):
            return associations
        record = self._new_record(str(CREATED_ID0 + self.ctx.store.next_id()), props)
        record["associations"] = associations
        self.keep(kind, record)
        return json_response(record, 201)

    def _associations(self, raw: object) -> list[dict[str, Any]] | Response:
        """``[{"to": {"id"}, "types": [{"associationCategory", "associationTypeId"}]}]`` to contacts."""
        if not isinstance(raw, list):
            return invalid("associations: must be a list")
        kept = []
        for i, item in enumerate(raw):
            to = item.get("to") if isinstance(item, dict) else None
            target = to.get("id") if isinstance(to, dict) else None
            if not isinstance(target, (str, int)) or isinstance(target, bool):
                return invalid(f"associations[{i}].to.id: must be the id of a contact")
            if self._contact_by_id(str(target)) is None:
                return invalid(f"associations[{i}].to.id: no contact has the id {str(target)!r}",
                               "INVALID_OBJECT_ID")
            types = item.get("types")
            if not isinstance(types, list) or not types or not all(_association_type(t) for t in types):
                return invalid(f"associations[{i}].types: must be a non-empty list of "
                               '{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": <int>}')
            kept.append({"to": {"id": str(target)},
                         "types": [{k: t[k] for k in ("associationCategory", "associationTypeId")} for t in types]})
        return kept

    async def ticket(self, request: Request) -> Response:
        return await self.show(request, "tickets", request.path_params["tid"])

    async def call(self, request: Request) -> Response:
        return await self.show(request, "calls", request.path_params["oid"])

    async def update_ticket(self, request: Request) -> Response:
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        record = self.stored("tickets", request.path_params["tid"])
        if record is None:
            return not_found()
        props = _properties(body, "tickets")
        if isinstance(props, Response):
            return props
        now = self.now()
        record["properties"].update(props | {"hs_lastmodifieddate": now})
        record["updatedAt"] = now
        return json_response(record)

    async def contact_page(self, request: Request) -> Response:
        found = self._contact_by_id(request.path_params["cid"])
        if found is None or request.path_params["portal"] != _D["portal_id"]:
            return not_found_page()
        props = found["properties"]
        return page(f"HubSpot contact {props['firstname']} {props['lastname']}",
                    {"id": found["id"], "email": props.get("email"), "phone": props.get("phone")})

    def routes(self) -> list[Route]:
        objects = "/crm/v3/objects"
        return [
            Route("/oauth/authorize", self.authorize, methods=["GET", "POST"]),
            Route("/oauth/v1/token", self.token, methods=["POST"]),
            Route("/crm/v3/owners", self.owners_list, methods=["GET"]),
            Route("/crm/v3/owners/{oid}", self.owner, methods=["GET"]),
            Route(f"{objects}/contacts", self.contacts_list, methods=["GET"]),
            Route(f"{objects}/contacts", self.create_contact, methods=["POST"]),
            Route(f"{objects}/contacts/search", self.search_contacts, methods=["POST"]),
            Route(f"{objects}/contacts/{{cid}}", self.contact, methods=["GET"]),
            Route(f"{objects}/calls", self.create_call, methods=["POST"]),
            Route(f"{objects}/calls/{{oid}}", self.call, methods=["GET"]),
            Route(f"{objects}/tickets", self.create_ticket, methods=["POST"]),
            Route(f"{objects}/tickets/{{tid}}", self.ticket, methods=["GET"]),
            Route(f"{objects}/tickets/{{tid}}", self.update_ticket, methods=["PATCH"]),
            Route("/contacts/{portal}/record/0-1/{cid}", self.contact_page, methods=["GET"]),
        ]


# -- the search body ------------------------------------------------------------------------------

_VALUE_OPERATORS = ("EQ", "NEQ", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN")
_LIST_OPERATORS = ("IN", "NOT_IN")
_BARE_OPERATORS = ("HAS_PROPERTY", "NOT_HAS_PROPERTY")
_UNSUPPORTED = ("LT", "LTE", "GT", "GTE", "BETWEEN")
_Filter = tuple[str, str, Any]


class _Search:
    """A parsed CRM search body; every refusal names the field it is about."""

    def __init__(self, groups: list[list[_Filter]], query: str, properties: list[str] | None,
                 limit: int, after: int) -> None:
        self.groups, self.query, self.properties = groups, query, properties
        self.limit, self.after = limit, after

    @classmethod
    def parse(cls, body: object) -> _Search:
        if not isinstance(body, dict):
            raise SearchError("Invalid input JSON: the search body must be a JSON object")
        groups = body.get("filterGroups", [])
        if not isinstance(groups, list):
            raise SearchError("filterGroups: must be a list of {\"filters\": [...]} objects")
        if len(groups) > MAX_GROUPS:
            raise SearchError(f"filterGroups: at most {MAX_GROUPS} filter groups, got {len(groups)}")
        parsed = [_group(g, i) for i, g in enumerate(groups)]
        query = body.get("query", "")
        if not isinstance(query, str):
            raise SearchError("query: must be a string")
        properties = body.get("properties")
        if properties is not None and (not isinstance(properties, list)
                                       or not all(isinstance(p, str) for p in properties)):
            raise SearchError("properties: must be a list of property names")
        if not isinstance(body.get("sorts", []), list):
            raise SearchError("sorts: must be a list")
        limit = _whole(body.get("limit", DEFAULT_SEARCH), "limit")
        if not 1 <= limit <= MAX_SEARCH:
            raise SearchError(f"limit: must be from 1 to {MAX_SEARCH}, got {limit}")
        after = _whole(body.get("after", 0), "after")
        return cls(parsed, query, properties, limit, after)

    def matches(self, props: dict[str, Any]) -> bool:
        if self.query and not any(self.query.lower() in str(props.get(n) or "").lower()
                                  for n in SEARCHED_BY_QUERY):
            return False
        return not self.groups or any(all(_holds(f, props) for f in g) for g in self.groups)


def _group(group: object, i: int) -> list[_Filter]:
    filters = group.get("filters") if isinstance(group, dict) else None
    if not isinstance(filters, list) or not filters:
        raise SearchError(f"filterGroups[{i}].filters: must be a non-empty list of filters")
    if len(filters) > MAX_FILTERS:
        raise SearchError(f"filterGroups[{i}].filters: at most {MAX_FILTERS} filters, got {len(filters)}")
    return [_filter(f, f"filterGroups[{i}].filters[{j}]") for j, f in enumerate(filters)]


def _filter(item: object, where: str) -> _Filter:
    if not isinstance(item, dict):
        raise SearchError(f"{where}: must be an object with propertyName, operator and value")
    name, operator = item.get("propertyName"), item.get("operator", "EQ")
    if not isinstance(name, str) or not name:
        raise SearchError(f"{where}.propertyName: must be a property name")
    if operator in _UNSUPPORTED:
        raise SearchError(f"{where}.operator: {operator} is a HubSpot operator the sandbox does not "
                          f"implement (it compares numbers and dates)")
    if operator in _VALUE_OPERATORS:
        value = item.get("value")
        if not _scalar(value):
            raise SearchError(f"{where}.value: {operator} needs a string or number value")
        return name, operator, str(value)
    if operator in _LIST_OPERATORS:
        values = item.get("values")
        if not isinstance(values, list) or not values or not all(_scalar(v) for v in values):
            raise SearchError(f"{where}.values: {operator} needs a non-empty list of values")
        return name, operator, [str(v) for v in values]
    if operator in _BARE_OPERATORS:
        return name, operator, None
    known = ", ".join((*_VALUE_OPERATORS, *_LIST_OPERATORS, *_BARE_OPERATORS, *_UNSUPPORTED))
    raise SearchError(f"{where}.operator: {operator!r} is not a valid operator; use one of {known}")


def _holds(f: _Filter, props: dict[str, Any]) -> bool:
    name, operator, value = f
    stored = props.get(name)
    text = "" if stored is None else str(stored).lower()
    if operator in _BARE_OPERATORS:
        return bool(text) == (operator == "HAS_PROPERTY")
    if operator in _LIST_OPERATORS:
        hit = stored is not None and text in {v.lower() for v in value}
        return hit == (operator == "IN")
    if operator in ("EQ", "NEQ"):
        hit = stored is not None and text == value.lower()
        return hit == (operator == "EQ")
    hit = stored is not None and _has_token(text, value.lower())
    return hit == (operator == "CONTAINS_TOKEN")


def _has_token(text: str, wanted: str) -> bool:
    """HubSpot's CONTAINS_TOKEN: a whole word of the value, ``*`` matching anything."""
    if "*" in wanted:
        return fnmatch.fnmatchcase(text, wanted)
    return wanted in _TOKEN_SPLIT.split(text)


def _scalar(value: object) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _whole(raw: object, field: str) -> int:
    number = natural(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
    if number is None:
        raise SearchError(f"{field}: must be a whole number >= 0, got {raw!r}")
    return number


# -- object bodies --------------------------------------------------------------------------------

def _properties(body: dict[str, Any], kind: str) -> dict[str, str] | Response:
    """The ``properties`` object of a write, as strings; unknown or wrong values are a 400."""
    props = body.get("properties")
    if not isinstance(props, dict):
        return invalid('properties: must be an object of {"name": "value"}')
    unknown = sorted(k for k in props if k not in WRITABLE[kind])
    if unknown:
        return invalid(f"Property values were not valid: Property {unknown[0]!r} does not exist",
                       "PROPERTY_DOESNT_EXIST", propertyName=unknown)
    kept: dict[str, str] = {}
    for key, value in props.items():
        if value is not None and not _scalar(value) and not isinstance(value, bool):
            return invalid(f"properties.{key}: must be a string, number or boolean", "INVALID_OPTION")
        text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        if (problem := _check_value(key, text)) is not None:
            return invalid(f"properties.{key}: {problem}", "INVALID_OPTION")
        kept[key] = text
    return kept


def _check_value(key: str, text: str) -> str | None:
    if key in CHOICES and text not in CHOICES[key]:
        return f"{text!r} is not one of {', '.join(CHOICES[key])}"
    if key == "hs_timestamp" and not (_ISO.match(text) or natural(text) is not None):
        return f"{text!r} is neither epoch milliseconds nor an ISO 8601 date-time"
    if key == "hs_call_duration" and text and natural(text) is None:
        return f"{text!r} is not a number of milliseconds"
    return None


def _association_type(t: object) -> bool:
    return (isinstance(t, dict) and t.get("associationCategory") in ASSOCIATION_CATEGORIES
            and isinstance(t.get("associationTypeId"), int) and not isinstance(t["associationTypeId"], bool))


def _property_list(raw: str | None) -> list[str] | None:
    return None if raw is None else [p for p in (s.strip() for s in raw.split(",")) if p]


def _scope_for(path: str, write: bool) -> str:
    """The OAuth scope a request needs, from the object it touches."""
    if "/owners" in path:
        return "crm.objects.owners.read"
    if "/tickets" in path:
        return "tickets"
    return "crm.objects.contacts.write" if write else "crm.objects.contacts.read"


def _owner(p: Person) -> dict[str, Any]:
    return {"id": str(OWNER_ID0 + p.index), "email": p.email, "type": "PERSON", "firstName": p.first,
            "lastName": p.last, "userId": USER_ID0 + p.index, "userIdIncludingInactive": USER_ID0 + p.index,
            "createdAt": CREATED_AT, "updatedAt": CREATED_AT, "archived": False, "teams": []}


def _contact(p: Person) -> dict[str, Any]:
    cid = str(CONTACT_ID0 + p.index)
    return {"id": cid, "properties": {"firstname": p.first, "lastname": p.last, "email": p.email,
                                      "phone": p.phone, "mobilephone": p.mobile or None,
                                      "company": p.company or None, "hs_object_id": cid,
                                      "createdate": CREATED_AT, "lastmodifieddate": CREATED_AT},
            "createdAt": CREATED_AT, "updatedAt": CREATED_AT, "archived": False}
