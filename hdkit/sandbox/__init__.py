"""hdkit's own helpdesk: six vendor-style APIs on 127.0.0.1, for demos and offline tests.

A person trying hdkit has no helpdesk account at hand, and tests must not need the
internet. The sandbox behaves like the real helpdesks (their URL shapes, auth, pagination,
phone matching and error bodies), so a template written against it moves to a real helpdesk
by changing only its URLs and inputs. It imports nothing else from hdkit, on purpose: hdkit
meets it as it would meet an outside server, over real HTTP.

Start it::

    with Sandbox() as hd:             # port 0 = OS-chosen; binds 127.0.0.1 only
        hd.url                        # "http://127.0.0.1:54321"
        hd.urls["zendesk"]            # hd.url + "/zendesk"
    python -m hdkit.sandbox --port 8700   # prints the URLs and DEMO credentials; Ctrl-C stops
    pytest_plugins = ["hdkit.sandbox.pytest_plugin"]   # fixtures ``sandbox`` / ``fresh_sandbox``:
                                          # one server per session, reset around every test

Credentials are in :data:`DEMO` (``hdkit/sandbox/accounts.py``). Below, ``{D.x}`` means
``DEMO[vendor][x]`` and every path is relative to ``hd.url``. Request and response bodies are
JSON unless said otherwise. Every vendor has 2,500 seeded agents (:data:`AGENT_COUNT`, fixed
seed) and the same 200 contacts, the first ten being the phone book below.

Phone book (``people.PHONEBOOK``; stored format is the point)::

    Ada Lovelace       +14155550123        mobile +14155550199 (Zendesk identities also
                                           "+1 415 555 0150", "415-555-0151")
    Alan Turing        (415) 555-0124      (Zendesk identity "+44 7700 900124")
    Grace Hopper       415 555 0125        mobile 415.555.0175
    Edsger Dijkstra    415-555-0126
    Barbara Liskov     415.555.0127
    Tim Berners-Lee    0044 20 7946 0958
    Karen Jones        +44 20 7946 0959    mobile 07700 900959
    Linus Torvalds     020 7946 0960
    Margaret Hamilton  +1-415-555-0128
    Dennis Ritchie     1 415 555 0129

Phone matching (``hdkit.sandbox.matching``), what a searched number must look like to hit:

    zendesk   digits   equal digits once formatting is dropped (a leading 00 counts as +):
                       "+1 415-555-0123" finds "+14155550123"; "4155550124" finds
                       "(415) 555-0124", but "+14155550124" does not.
    freshdesk exact    the stored string, character for character.
    zoho      suffix   last digits: one number's digits end with the other's (>= 7 digits):
                       "4155550123" finds "+14155550123"; "+14155550124" finds "(415) 555-0124";
                       "+44 7700 900959" misses "07700 900959" (the trunk 0), "7700 900959" hits.
    keydesk   contains the query's digits (>= 4) appear in the stored digits.

Zendesk-like, ``/zendesk`` (errors ``{"error", "description"?, "details"?}``; every
``/api/v2/...`` path below answers with or without its ``.json``, as Zendesk's do)
  Auth: ``Authorization: Bearer <OAuth2 access token | {D.bearer_token}>``, or Basic
  ``{D.email}/token:{D.api_token}``. 401 ``{"error": "Couldn't authenticate you"}`` (or
  ``"invalid_token"`` for a bad/expired Bearer); ``{D.readonly_bearer_token}`` or an OAuth2
  token of scope ``read`` gets 403 ``{"error": "Forbidden"}`` on writes.
  GET  /zendesk/oauth/authorizations/new?response_type=code&client_id=&redirect_uri=
       [&scope=read write][&state=][&code_challenge=&code_challenge_method=S256]
       -> HTML consent page; add ``approve=1`` (or POST the form) -> 302 to
       ``redirect_uri?code=..&state=..``; ``approve=0`` -> ``?error=access_denied&state=``.
       Bad client_id/redirect_uri -> 400 HTML page.
  POST /zendesk/oauth/tokens  (JSON or form) grant_type=authorization_code, code, client_id,
       client_secret, redirect_uri[, code_verifier] | grant_type=refresh_token, refresh_token,
       client_id, client_secret -> {"access_token", "refresh_token", "token_type": "bearer",
       "scope", "expires_in", "refresh_token_expires_in"}. Refresh tokens ROTATE (as Zendesk
       documents): a refresh returns a new pair and deletes the previous refresh AND access
       token, so a stale refresh token gets 400 invalid_grant.
       Errors: 400/401 {"error": "invalid_grant"|"invalid_client"|..., "error_description"}.
  GET  /zendesk/api/v2/users.json[?role=agent|end-user]  list users. Offset pagination:
       ``page`` (1-based), ``per_page`` (<= 100) -> {"users", "next_page": url|null,
       "previous_page", "count"}. Cursor pagination when ``page[size]`` is sent:
       ``page[size]``, ``page[after]`` -> {"users", "meta": {"has_more", "after_cursor",
       "before_cursor"}, "links": {"next": url|null, "prev": null}}. 2,500 agents, 200 end-users.
  GET  /zendesk/api/v2/users/search.json?query=  phone (digits rule), ``email`` (exact,
       when the query has "@"), else name substring; ``phone:``/``email:``/``name:`` prefixes
       force a field. Same paging/shape as users.json. 422 when query is blank.
  GET  /zendesk/api/v2/users/{id}.json  -> {"user"}; 404 {"error": "RecordNotFound"}.
  GET  /zendesk/api/v2/users/{id}/identities.json  -> {"identities": [{"id", "user_id",
       "type": "email"|"phone_number", "value", "primary", "verified"}], "next_page": null,
       "count"}; identities = email, phone, mobile, extra numbers.
  POST /zendesk/api/v2/users.json  {"user": {"name"*, "email", "phone", "role"}} -> 201
       {"user"}; 422 {"error": "RecordInvalid", "details": {"name": [{"description", "error":
       "BlankValue"}]}}; duplicate email -> 422 "DuplicateValue".
  POST /zendesk/api/v2/tickets.json  {"ticket": {"subject", "comment": {"body"*},
       "requester_id" (int or digit string, must exist), "tags", "priority", "status"}}
       -> 201 {"ticket": {"id", "subject", "description", "status": "new", ...}, "audit"}.
  PUT|PATCH /zendesk/api/v2/tickets/{id}.json  {"ticket": {"status", "subject", "comment":
       {"body"}, "voice_comment": {"from", "to", "recording_url", "started_at",
       "call_duration"} (all required)}} -> 200 {"ticket", "audit"}; 404 unknown ticket.
  GET  /zendesk/api/v2/tickets/{id}.json -> {"ticket"};  GET .../tickets/{id}/comments.json
       -> {"comments": [{"type": "Comment"|"VoiceComment", "body"|"data"}], "count"}.
  GET  /zendesk/agent/users/{id}  HTML user page (call pop-up target; no auth).

Freshdesk-like, ``/freshdesk`` (errors ``{"code", "message"}``; validation: **400**
``{"description": "Validation failed", "errors": [{"field", "message", "code"}]}``, 409 for a
duplicate email; 404 has an empty body)
  Auth: Basic ``{D.api_key}:X`` (any password) or ``{D.username}:{D.password}``; 401
  ``{"code": "invalid_credentials"}``; Basic ``{D.readonly_api_key}:X`` gets 403
  ``{"code": "access_denied"}`` on writes.
  GET  /freshdesk/api/v2/agents?page=&per_page=  (page from 1, per_page default 30, max 100)
       -> bare JSON array [{"id", "contact": {"name", "email", "phone"}, "type", ...}];
       header ``Link: <url>; rel="next"`` while more pages exist; past the end -> [].
  GET  /freshdesk/api/v2/agents/{id}
  GET  /freshdesk/api/v2/contacts[?phone=|mobile=|email=][&page=&per_page=]  -> array
       [{"id", "name", "email", "phone", "mobile", ...}] (filters exact), paged as agents.
  GET  /freshdesk/api/v2/search/contacts?query="phone:'...' OR mobile:'...'"  (quotes
       included; terms phone, mobile, email, name) -> {"results": [...], "total"}.
  GET  /freshdesk/api/v2/contacts/{id}
  POST /freshdesk/api/v2/contacts  {"name"*, "email"|"phone"|"mobile"*} -> 201 contact.
  POST /freshdesk/api/v2/tickets  {"subject"*, "description"*, "requester_id"|"email"|
       "phone"*, "status" (2), "priority" (1)} -> 201 ticket {"id", ...}.
  GET|PUT /freshdesk/api/v2/tickets/{id}  read or update (subject, description, status,
       priority, tags) -> 200 ticket.
  POST /freshdesk/api/v2/tickets/{id}/notes  {"body"*, "private"} -> 201 note (the call log).
  GET  /freshdesk/a/contacts/{id}  HTML contact page (call pop-up target; no auth).

Zoho-Desk-like, ``/zoho`` (ids are strings; errors ``{"errorCode", "message"}``; 422
``{"errorCode": "INVALID_DATA", "errors": [{"fieldName": "/x", "errorType": "missing"|
"invalid"}]}`` for a bad body, 422 ``{"errorCode": "UNPROCESSABLE_ENTITY", "message": "The value
passed for field 'limit' exceeds the range of '1-100'."}`` for a bad ``from``/``limit``;
**an empty list or search is HTTP 204 with no body**)
  Auth: ``Authorization: Zoho-oauthtoken <access token>`` (``Bearer`` accepted) AND header
  ``orgId: {D.org_id}`` (missing/wrong -> 422). 401 ``{"errorCode": "INVALID_OAUTH"}``
  (bad or expired token); a token without a ``.ALL``/``.CREATE``/``.UPDATE`` scope (e.g.
  ``{D.readonly_scope}``) gets 403 ``{"errorCode": "SCOPE_MISMATCH"}`` on writes.
  GET  /zoho/oauth/v2/auth?response_type=code&client_id=&redirect_uri=&state=* [&scope=]
       [&access_type=offline (ignored)][&code_challenge=&code_challenge_method=S256]  as Zendesk's
       authorize; ``state`` is required (400 page without it). Faults ``require_pkce`` (no
       challenge -> 400 page) and ``bad_state`` (the redirect carries another state).
  POST /zoho/oauth/v2/token  params in the query string and/or body; body form or JSON
       (switch ``token_body``: "any" | "form" | "json"; a refused body kind ->
       {"error": "invalid_request"}). Same grants as Zendesk -> {"access_token",
       "refresh_token", "scope", "api_domain", "token_type": "Bearer", "expires_in"}; a
       refresh answers the same WITHOUT "refresh_token": Zoho's refresh token is kept (valid
       until revoked or reset) and may be used again and again.
       Refusals are **HTTP 200** {"error": "invalid_code"|"invalid_client"|...}.
  GET  /zoho/api/v1/agents?from=&limit=  (from: 0-based offset, default 0; pages start at
       0, limit, 2 x limit, ...; limit 1..200, default 10)
       -> {"data": [{"id", "firstName", "lastName", "name", "emailId", "phone", ...}]};
       past the end -> 204. Other Zoho lists and searches: the same, limit 1..100.
  GET  /zoho/api/v1/contacts/search?phone=|email=|_all=[&from=&limit=]  -> {"data": [{"id",
       "firstName", "lastName", "email", "phone", "mobile", ...}], "count"}; phone matches
       phone or mobile (suffix rule); no hit -> 204.
  GET  /zoho/api/v1/accounts/search?phone=|email=|_all=  -> {"data": [{"id", "accountName",
       "phone", "email", "website"}], "count"}; the 4 accounts are in ``people.COMPANIES``.
  GET  /zoho/api/v1/contacts/{id},  /zoho/api/v1/accounts/{id}
  POST /zoho/api/v1/contacts  {"lastName"*, "firstName", "email", "phone", "mobile"} -> 200.
  POST /zoho/api/v1/tickets  {"subject"*, "departmentId"* (= {D.department_id}),
       "contactId"* (must exist), "description", "priority", "status"} -> 200 {"id",
       "ticketNumber", "status": "Open", "webUrl", ...}.
  GET|PATCH /zoho/api/v1/tickets/{id}  read or update -> 200 ticket.
  POST /zoho/api/v1/calls  {"subject"*, "departmentId"*, "contactId"*, "direction"*
       (inbound|outbound), "startTime"*, "duration"*, "ticketId", "status"} -> 200 call.
  GET  /zoho/api/v1/activities?from=&limit=  created calls, paged like agents.
  GET  /zoho/support/contacts/{id}  HTML contact page (call pop-up target; no auth).

KeyDesk, ``/keydesk`` (the "None" auth method; errors ``{"ok": false, "error": {"code",
"message", "fields"?}}``, validation 422)
  Auth: ``?api_key={D.api_key}`` or header ``X-API-Key: {D.api_key}``; 401 without or with a
  wrong key; ``{D.readonly_api_key}`` gets 403 on writes.
  GET  /keydesk/api/users?page=&page_size=  (page from 1, page_size default 50, max 100)
       -> {"data": [{"id", "name", "email"}], "page", "page_size", "total", "total_pages"}.
  GET  /keydesk/api/contacts[?phone=][&email=][&name=][&page=&page_size=]  phone: contains
       rule (phone or mobile); email exact; name substring -> same shape as users.
  GET  /keydesk/api/contacts/{id}  -> {"data": contact}; 404.
  POST /keydesk/api/contacts  {"name"*, "phone"*, "email", "mobile", "company"} -> 201
       {"ok": true, "data"}.
  POST /keydesk/api/calls  {"phone"*, "direction"* (inbound|outbound|internal),
       "started_at"*, "duration", "contact_id" (must exist), "status", "recording_url",
       "note"} -> 201 {"ok": true, "data"}.
  GET  /keydesk/contacts/{id}  HTML contact page (call pop-up target; no auth).
  POST /keydesk/api/auth/login  {"username": {D.username}, "password": {D.password}} (JSON or
       form) -> {"ok": true, "data": {"access_token", "token_type": "Bearer", "expires_in"}};
       the token then works as ``Authorization: Bearer <token>`` (a DRF/GitLab-style login a
       template runs as a follow-up). 401 invalid_credentials; 422 for a missing field.

HubSpot-like CRM, ``/hubspot`` (ids are strings; objects ``{"id", "properties", "createdAt",
"updatedAt", "archived"}``; errors ``{"status": "error", "message", "correlationId", "category",
"errors"?}``, validation 400 ``VALIDATION_ERROR`` naming the field, 409 ``CONFLICT``)
  Auth: ``Authorization: Bearer {D.private_app_token}`` (a static private-app token, no token
  endpoint) or an OAuth2 access token; ``{D.readonly_private_app_token}`` or a token of scope
  ``{D.readonly_scope}`` gets 403 ``MISSING_SCOPES`` on writes; 401 ``INVALID_AUTHENTICATION``,
  ``EXPIRED_AUTHENTICATION`` for an expired OAuth2 token.
  GET  /hubspot/oauth/authorize?client_id=&redirect_uri=&state=*[&scope=]  as Zendesk's, but
       ``state`` is required (400 page without it) and ``response_type`` is optional.
  POST /hubspot/oauth/v1/token  form bodies only; grants as Zendesk's -> {"access_token",
       "refresh_token", "token_type": "bearer", "expires_in"}; a refresh returns the SAME
       refresh token (kept). Refusals 400 {"status": "BAD_AUTH_CODE"|"BAD_REFRESH_TOKEN"|
       "BAD_CLIENT_ID"|"BAD_GRANT_TYPE", "message"}.
  GET  /hubspot/crm/v3/owners?limit=&after=[&email=][&archived=]  (limit 1..500, default 100;
       after = offset) -> {"results": [{"id", "email", "firstName", "lastName", "userId", ...}],
       "paging": {"next": {"after", "link"}}} (no paging on the last page). 2,500 owners.
  POST /hubspot/crm/v3/objects/contacts/search  {"filterGroups": [{"filters": [{"propertyName",
       "operator": EQ|NEQ|IN|NOT_IN|CONTAINS_TOKEN|NOT_CONTAINS_TOKEN|HAS_PROPERTY|
       NOT_HAS_PROPERTY, "value"|"values"}]}], "query", "properties", "limit" (1..200, 10),
       "after"} -> {"total", "results": [contact], "paging"?: {"next": {"after"}}}. Groups
       are OR'ed, filters AND'ed; EQ compares the stored string ignoring case. ``{}`` lists
       every contact (first page); an empty or malformed body is a 400 naming the problem.
       A contact shows HubSpot's default properties unless "properties" names others, plus
       ``"url"``: its record page (the pop-up URL, readable from the response).
  GET  /hubspot/crm/v3/objects/contacts[?limit=&after=&properties=],  .../contacts/{id}
  POST /hubspot/crm/v3/objects/contacts  {"properties": {firstname, lastname, email, phone,
       mobilephone, company, jobtitle, lifecyclestage, ...}} -> 201; unknown property -> 400.
  POST /hubspot/crm/v3/objects/calls  {"properties": {"hs_timestamp"* (ms or ISO 8601),
       hs_call_title, hs_call_body, hs_call_duration (ms), hs_call_direction (INBOUND|OUTBOUND),
       hs_call_status, hs_call_from_number, hs_call_to_number, hs_call_recording_url},
       "associations": [{"to": {"id": <contact>}, "types": [{"associationCategory":
       "HUBSPOT_DEFINED", "associationTypeId": 194}]}]} -> 201.  GET .../calls/{id}
  POST /hubspot/crm/v3/objects/tickets  {"properties": {"subject"*, "hs_pipeline_stage"*
       (1..4), "hs_pipeline" ("0"), content, hs_ticket_priority}, "associations"} -> 201;
       GET|PATCH /hubspot/crm/v3/objects/tickets/{id}.
  GET  /hubspot/contacts/{D.portal_id}/record/0-1/{id}  HTML contact page (pop-up; no auth).

Zammad-like, ``/zammad`` (integer ids; lists are bare arrays; errors ``{"error",
"error_human"}``, validation 422, 404 "Couldn't find Ticket with 'id'=N")
  Auth: ``Authorization: Bearer {D.api_token}`` or ``Token token={D.api_token}`` (a static
  access token, no token endpoint); ``{D.readonly_api_token}`` gets 403 on writes.
  GET  /zammad/api/v1/users?page=&per_page=  (per_page 1..500, default 100) agents (ids 3..),
       then customers (the phone book from id 5001).
  GET  /zammad/api/v1/users/search?query=[&limit=|&page=&per_page=]  ``field:value`` terms
       (phone, mobile, email, login, firstname, lastname, role_ids, note) joined by " OR ",
       else free text; phone terms compare digits (Zendesk's rule); ``role_ids:2`` = agents.
  GET  /zammad/api/v1/users/{id};  POST /zammad/api/v1/users  {firstname, lastname, email,
       phone, mobile, note} (one identifier required; duplicate email 422) -> 201.
  POST /zammad/api/v1/tickets  {"title"*, "group"* ({D.group}) | "group_id", "customer_id"*,
       "state", "priority", "article": {"body"*, "subject", "type" (phone|note|...),
       "sender", "internal"}} -> 201;  GET|PUT /zammad/api/v1/tickets/{id} (state, title,
       article, ...).
  POST /zammad/api/v1/ticket_articles  {"ticket_id"*, "body"*, "type", "sender", "internal"}
       -> 201;  GET /zammad/api/v1/ticket_articles/by_ticket/{id}.
  GET  /zammad/  the agent app; its pop-up URLs are ``/zammad/#user/profile/{id}``.

The PBX's OAuth2 callback, ``/pbx/oauth/callback?code=&state=`` (``PBX_CALLBACK``): use it as
a redirect_uri to check a consent round trip carries ``state``; without it 400
{"status": "PARAMETER ERROR", "message": "state is null"} (then "code is null"), as the PBX
fails; every callback is recorded in ``hd.state["pbx"]["callbacks"]`` (never the code).

Every vendor answers rate limits with 429 and ``Retry-After`` in its own error shape, and an
unknown path under its prefix with its own 404 (Zendesk ``InvalidEndpoint``, Zoho
``URL_NOT_FOUND``, KeyDesk ``no_route``, HubSpot ``NOT_FOUND``, Zammad "No route matches",
Freshdesk an empty body). ``{D.contact_page}`` is each
vendor's call pop-up URL pattern (``{id}`` = the contact id).

Faults and observation (Python ``hd.faults.update(name=value)`` or ``POST /_sandbox/faults``
with a JSON object; per request with header ``X-Sandbox-Fault: a=1,b`` or ``?_fault=a=1,b``):
  latency_ms=N        wait N ms, <= 30000 (asyncio: concurrent requests overlap; ends on stop)
  rate_limit=N        next N requests -> 429 + Retry-After: retry_after_s (per request: bare)
  server_error=N      next N requests -> error_status (503; per request: server_error=502)
  timeout=N           next N requests hang hang_s s (<= 30, ends when the server stops) -> 504
  malformed=N         next N responses have their JSON cut in half
  loop_pagination     next links point back to the first page; page/from are ignored
  bad_state           OAuth2 redirects carry a state the client did not send
  drop_state          OAuth2 redirects carry no state (a proxy that drops it; the PBX fails)
  require_pkce        Zoho authorize refuses requests without code_challenge
  token_ttl_s=N       lifetime of access tokens issued from now on (default 3600)
  token_body=any|form|json   bodies the Zoho token endpoint accepts
  expire_tokens       every access token issued so far expires now (``hd.expire_tokens()``;
                      in POST /_sandbox/faults as {"expire_tokens": true})
  Flags take true/false, yes/no, on/off or 1/0 (bare = true). Unknown names, wrong kinds,
  NaN, negative numbers or waits over 30 s -> ``FaultError`` in Python, 400 {"sandbox_error"}
  over HTTP. Control routes are never faulted nor logged:
  GET /_sandbox (vendor URLs), GET /_sandbox/state (= ``hd.state``: records created, by vendor
  and kind), GET /_sandbox/requests ({"requests": [...], "peak_in_flight", "in_flight"} =
  ``hd.requests``/``hd.peak_in_flight``), GET|POST /_sandbox/faults, POST /_sandbox/reset
  (= ``hd.reset()``: faults, log, created records, issued tokens).
  A logged request is {"seq", "method", "path", "url" (path+query), "vendor", "headers",
  "body", "fault" (the faults that fired, e.g. {"status": 429}, or null), "status",
  "error" (null, or what went wrong inside the sandbox: it then answered 500),
  "received_at"}, with secret headers, query parameters and body
  fields (and every demo secret or issued token anywhere) replaced by ``********``.
"""

from hdkit.sandbox.accounts import AGENT_COUNT, DEMO
from hdkit.sandbox.asgi import create_app
from hdkit.sandbox.faults import FaultError, Faults
from hdkit.sandbox.server import Sandbox

__all__ = ["AGENT_COUNT", "DEMO", "FaultError", "Faults", "Sandbox", "create_app"]
