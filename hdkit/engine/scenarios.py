"""The template's lookup scenarios: user sync, contact search, keyword search, contact creation.

Each is a coroutine over a :class:`~hdkit.engine.session.Session` returning a result object
from :mod:`hdkit.results`. Each request runs as the file states it: its method, URL, body,
header parameters and its own outputs (a contact type reads the fields *its* outputs map).
Follow-up (``Next``) requests run once per matched record and their outputs are merged into
it, the "retrieve additional variables" pattern of the format reference (3.5).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from hdkit.engine.client import Outcome
from hdkit.engine.paging import Paged, SyncOptions, add_query, fetch_pages
from hdkit.engine.phones import many_records_note
from hdkit.engine.prepare import Spec, defaults, scope
from hdkit.engine.session import Sent, Session, matched_nothing
from hdkit.errors import EngineError, Location
from hdkit.extract import extract_records
from hdkit.model import ContactType, PopupMode, Template
from hdkit.model.requests import _Request
from hdkit.paths import MISSING, gjson_get
from hdkit.problems import Problem
from hdkit.results import (
    CallTrace,
    ContactMatch,
    SearchResult,
    Step,
    UsersResult,
    redact_columns,
)
from hdkit.vocabulary import (
    CONTACT_CREATION,
    CONTACT_ID_ALIASES,
    CONTACT_SEARCH,
    FOLLOW_UPS,
    KEYWORD_SEARCH,
    USER_ASSOCIATION,
    USER_VARIABLES,
)

__all__ = ["create_contact", "follow_chain", "keyword_search", "search", "user_columns", "user_rows", "users"]

USERS_STEP = "GetUsers"
_POPUP = "\x00popup"  # a mapping key no template variable can spell
MAX_CHAIN = 10


# --------------------------------------------------------------------------- users


def _user_mapping(template: Template) -> dict[str, str]:
    """Every output of the Get User request (the User Field Mapping and any other the file has)."""
    first = template.user_association.requests[0] if template.user_association.requests else None
    return dict(first.pairs()) if first else {}


async def users(session: Session, options: SyncOptions | None = None) -> UsersResult:
    """The Get User sync with the template's pagination; users as column-built records."""
    ua = session.template.user_association
    where = Location(USER_ASSOCIATION, "Get User")
    if not ua.enabled or not ua.url.strip():
        raise EngineError("user association is not enabled in this template", where,
                          hint="enable User Association and set the Get User URL")
    mapping = _user_mapping(session.template)
    if USER_VARIABLES["user_id"] not in mapping:
        raise EngineError("the User Unique ID path is not mapped", Location(USER_ASSOCIATION, "User Unique ID"))
    spec = Spec.of(ua.requests[0], USER_ASSOCIATION, USERS_STEP)
    base = scope(defaults(ua), session.base)
    prepared = session.renderer.render(spec, base)
    names = list(mapping)

    def request(params: Mapping[str, Any]) -> tuple[str, Mapping[str, str]]:
        return add_query(prepared.url, params), prepared.headers

    def extract(response: Any) -> list[tuple[Any, ...]]:
        return user_rows(response.text or "", mapping, base) if response.text else []

    def next_link(response: Any) -> str | None:
        path = ua.pagination.next_link_path
        if not path or not response.text:
            return None
        found = gjson_get(response.text, path)
        return found.string if found.exists and found.string else None

    paged: Paged = await fetch_pages(
        session.client, USERS_STEP, request, ua.pagination, extract, next_link,
        max_concurrent=session.client.max_concurrent, method=ua.method, body=prepared.body, auth=session.auth,
        options=options,
    )
    problems = [*prepared.problems, *_unmatched_users(paged.records, mapping)]
    columns = user_columns(paged.records, names)
    stop = paged.stop(USERS_STEP)
    log = tuple(session.client.exchanges)  # every page sent, fetched-ahead ones included
    return UsersResult(redact_columns(columns, session.redactor), log, stop, tuple(problems))


def _unmatched_users(rows: list[tuple[Any, ...]], mapping: Mapping[str, str]) -> list[Problem]:
    """Warnings for user paths that matched nothing in any user (a column stops at its first value)."""
    return [matched_nothing(USERS_STEP, USER_ASSOCIATION, name, path, len(rows))
            for i, (name, path) in enumerate(mapping.items()) if rows and all(r[i] is MISSING for r in rows)]


def user_rows(text: str, mapping: Mapping[str, str], variables: Mapping[str, object]) -> list[tuple[Any, ...]]:
    """One tuple per user (in ``mapping`` order): cheap to page, cheap to turn into columns."""
    rows = extract_records(text, mapping, variables)
    get = itemgetter(*mapping)
    return [(get(r),) for r in rows] if len(mapping) == 1 else list(map(get, rows))


def user_columns(rows: list[tuple[Any, ...]], names: list[str]) -> dict[str, list[Any]]:
    """Rows to columns (a path that matches nothing gives an empty value)."""
    columns = zip(*rows, strict=True) if rows else ([] for _ in names)
    return {n: ["" if v is MISSING else v for v in c] for n, c in zip(names, columns, strict=True)}


# --------------------------------------------------------------------------- contact search


def contact_mapping(template: Template, request: _Request) -> dict[str, str]:
    """Variable -> GJSON path(s) of every output of a contact search request, plus the pop-up
    URL's path (Contact Field for URL, evaluated on the same response) when the pop-up uses it."""
    mapping = dict(request.pairs())
    popup = template.contact_search.popup
    if popup.mode is PopupMode.CONTACT_FIELD and popup.contact_field_path.strip():
        mapping[_POPUP] = popup.contact_field_path
    return mapping


def _contact_types(template: Template, name: str | None) -> list[ContactType]:
    types = list(template.contact_search.contact_types)
    if name is None:
        return types
    chosen = [t for t in types if t.name == name]
    if not chosen:
        known = ", ".join(t.name for t in types) or "none"
        raise EngineError(f"no contact type {name!r} (template contact types: {known})",
                          Location(CONTACT_SEARCH, "Contact Type"))
    return chosen


def _with_aliases(record: dict[str, Any]) -> dict[str, Any]:
    """Both spellings of the contact ID name the same id (format reference 3.3)."""
    found = next((record[name] for name in CONTACT_ID_ALIASES if name in record), None)
    if found is not None:
        for name in CONTACT_ID_ALIASES:
            record.setdefault(name, found)
    return record


async def follow_chain(session: Session, name: str, variables: Mapping[str, object],
                       steps: list[Step], depth: int = 0) -> dict[str, object]:
    """Run the ``Next`` request ``name`` (and its own ``next``), returning the outputs set."""
    request = session.template.follow_up(name)
    where = Location(FOLLOW_UPS, name)
    if request is None:
        raise EngineError(f"the next request {name!r} does not exist", where,
                          hint="name a request of the Follow-up Requests section")
    if depth >= MAX_CHAIN:
        raise EngineError(f"next requests chain deeper than {MAX_CHAIN} (a loop?) at {name!r}", where)
    sent = await session.send(Spec.follow_up(request), variables)
    outputs = session.values(sent, request.pairs(), variables)
    steps.append(sent.step(outputs, session.redactor))
    if request.next and sent.ok:
        outputs.update(await follow_chain(session, request.next, scope(variables, outputs), steps, depth + 1))
    return outputs


async def _search_type(session: Session, ct: ContactType, variables: Mapping[str, object],
                       steps: list[Step], *, follow: bool = True,
                       section: str = CONTACT_SEARCH) -> list[tuple[ContactMatch, dict[str, Any]]]:
    sent = await session.send(Spec.of(ct, section, f"Search {ct.name}"), variables)
    mapping = contact_mapping(session.template, ct) if section == CONTACT_SEARCH else dict(ct.pairs())
    records = [_with_aliases(r) for r in session.records(sent, mapping, variables, section)]
    answered = sent.exchange.outcome is Outcome.OK  # a dry run matched nothing: it sent nothing
    if section == CONTACT_SEARCH:
        sent.problems.extend(_unfiltered(ct, records, str(variables.get("Phone", ""))))
    steps.append(sent.step({"matches": len(records)} if answered else {}, session.redactor))
    if follow and ct.next and records:
        # one step list per record, joined in record order: the trace reads in the order the
        # PBX declares its requests, not in the order concurrent answers happened to arrive
        chains: list[list[Step]] = [[] for _ in records]
        extra = await asyncio.gather(*(follow_chain(session, ct.next, scope(variables, r), chain)
                                       for r, chain in zip(records, chains, strict=True)))
        for record, outputs, chain in zip(records, extra, chains, strict=True):
            record.update(outputs)
            steps.extend(chain)
    return [(_match(session, ct, r, variables, sent), r) for r in records]


def _unfiltered(ct: ContactType, records: list[dict[str, Any]], phone: str) -> list[Problem]:
    """A warning when one number finds many records that do not carry it: the helpdesk most
    likely ignored the filter (a body or query it did not read) and answered its first page."""
    note = many_records_note(records, "".join(c for c in phone if c.isdigit()))
    if "filter was probably not applied" not in note:
        return []
    return [Problem("warning", f"Search {ct.name}: {note}; a call takes the first record as the caller",
                    Location(CONTACT_SEARCH, ct.name), fix="check the search URL or body against the helpdesk's "
                    "API: the number must reach it as a filter", code="search-unfiltered")]


async def _search_types(session: Session, types: list[ContactType], variables: Mapping[str, object],
                        steps: list[Step], **options: Any) -> list[tuple[ContactMatch, dict[str, Any]]]:
    """Search every contact type at once; their steps and matches in contact-type order."""
    own: list[list[Step]] = [[] for _ in types]
    found = await asyncio.gather(*(_search_type(session, ct, variables, mine, **options)
                                   for ct, mine in zip(types, own, strict=True)))
    for mine in own:
        steps.extend(mine)
    return [pair for group in found for pair in group]


def _match(session: Session, ct: ContactType, record: dict[str, Any],
           variables: Mapping[str, object], sent: Sent) -> ContactMatch:
    popup = session.template.contact_search.popup
    url = str(record.pop(_POPUP, "") or "")
    if popup.mode is PopupMode.URL_FORMAT and popup.url_format:
        spec = Spec(f"Search {ct.name}", CONTACT_SEARCH, "GET", popup.url_format)
        url = session.renderer.render_text(spec, "Popup URL", popup.url_format, scope(variables, record), sent.problems)
    return ContactMatch(ct.name, session.shown(record), session.redactor.url(url) if url else "")


async def search(session: Session, phone: str, contact_type: str | None = None, *,
                 variables: Mapping[str, object] | None = None,
                 steps: list[Step] | None = None) -> tuple[SearchResult, dict[str, object]]:
    """Search every (or one) contact type for ``phone``; the first match's raw record too.

    The raw record (unredacted) is for later requests of a call; display the SearchResult.
    Each request is appended to ``steps`` when given (a call's trace).
    """
    types = _contact_types(session.template, contact_type)
    if not types:
        raise EngineError("the template has no contact types", Location(CONTACT_SEARCH, "Contact Types"))
    scoped = scope(defaults(session.template.contact_search), session.base, variables,
                   {"Phone": phone, "SearchValue": phone})
    steps = [] if steps is None else steps
    first_step = len(steps)
    pairs = await _search_types(session, types, scoped, steps)
    own = steps[first_step:]
    log = tuple(s.exchange for s in own if s.exchange is not None)
    result = SearchResult(phone, tuple(m for m, _ in pairs), log, tuple(p for s in own for p in s.problems))
    return result, (pairs[0][1] if pairs else {})


async def keyword_search(session: Session, text: str) -> SearchResult:
    """The keyword search from Linkus (the file's ``SearchContact`` scenario): each of its
    requests with ``SearchValue`` (and ``Phone``) set to ``text``, with its own outputs and
    follow-ups."""
    types = list(session.template.keyword_search.contact_types)
    if not types:
        raise EngineError("the template has no keyword search requests", Location(KEYWORD_SEARCH, "Contact Types"),
                          hint="a template file's SearchContact scenario holds them")
    scoped = scope(session.base, {"SearchValue": text, "Phone": text})
    steps: list[Step] = []
    pairs = await _search_types(session, types, scoped, steps, section=KEYWORD_SEARCH)
    log = tuple(s.exchange for s in steps if s.exchange is not None)
    return SearchResult(text, tuple(m for m, _ in pairs), log, tuple(p for s in steps for p in s.problems))


# --------------------------------------------------------------------------- contact creation


async def create_contact(session: Session, phone: str, *, first_name: str = "", last_name: str = "",
                         contact_type: str | None = None, variables: Mapping[str, object] | None = None,
                         steps: list[Step] | None = None) -> tuple[CallTrace, dict[str, object]]:
    """Create the contact in the first (or the named) creation type; ``ContactId`` is returned."""
    creation = session.template.contact_creation
    where = Location(CONTACT_CREATION, "Create New Contact")
    if not creation.enabled or not creation.contact_types:
        raise EngineError("contact creation is not enabled in this template", where)
    types = list(creation.contact_types)
    chosen = types[:1] if contact_type is None else [t for t in types if t.name == contact_type]
    if not chosen:
        known = ", ".join(t.name for t in types)
        raise EngineError(f"no creation contact type {contact_type!r} (template: {known})", where)
    display = " ".join(p for p in (first_name, last_name) if p) or phone
    given = {"Phone": phone, "BusinessNumber": phone, "ContactNumber": phone, "DisplayName": display}
    if first_name or last_name:
        given |= {"FirstName": first_name, "LastName": last_name}
    scoped = scope(defaults(creation), session.base, given, variables)
    steps = [] if steps is None else steps
    ct = chosen[0]
    sent = await session.send(Spec.of(ct, CONTACT_CREATION, f"Create {ct.name}"), scoped)
    outputs = _with_aliases(session.values(sent, ct.pairs(), scoped))
    steps.append(sent.step(outputs, session.redactor))
    if ct.next and sent.ok:  # its Next, as after a contact search, seeing the new contact's id
        outputs.update(await follow_chain(session, ct.next, scope(scoped, outputs), steps))
    trace = CallTrace("create-contact", tuple(steps), session.shown(scope(scoped, outputs)))
    return trace, outputs
