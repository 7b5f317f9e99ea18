"""What one Try needs: the problems that stop this request, and only those.

A template is written request by request, so each request should be tried as soon as it is
written, while others are still half done: a nameless header being typed, a journal body not
yet JSON must not stop a contact search. :func:`blocking` keeps, of all the template's errors,
those located where this request lives (its section, its own item of a list, the follow-ups
its ``Next`` chain reaches) and in what every request needs (authentication, the concurrency
limit, the custom headers a scenario request carries); :func:`missing_inputs` adds the
custom-field inputs its templates (and the auth method's) use that have no value yet.

Both answer :class:`~hdkit.problems.Problem`\\ s located at the field to fix, so a view can
list them as short lines that lead there. The workbench and the CLI use the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hdkit import gotemplate
from hdkit.errors import HdkitError, Location
from hdkit.model import AuthMethod, ContactType, CreationType, CustomField, FollowUpRequest, Header, Part, Template
from hdkit.problems import Problem
from hdkit.vocabulary import (
    AUTHENTICATION,
    CALL_JOURNAL,
    CONTACT_CREATION,
    CONTACT_SEARCH,
    FOLLOW_UPS,
    GENERAL,
    HEADERS,
    KEYWORD_SEARCH,
    NEW_TICKET,
    USER_ASSOCIATION,
)

__all__ = ["KINDS", "Target", "blocking", "concerning", "missing_inputs"]

INPUTS = "Try it"  # where a missing input is located: the Try it tab's inputs


@dataclass(frozen=True)
class Target:
    """What a Try runs: a scenario's request (``kind``), the item ``name`` for list items."""

    kind: str  # users | search | keyword | create | journal | ticket | followup | call
    name: str = ""

    def __str__(self) -> str:
        return f"{KINDS[self.kind]} {self.name}".strip()


# What each kind of Try is, in words, and the section its requests live in.
KINDS: dict[str, str] = {
    "users": "Get User", "search": "Contact search", "keyword": "Keyword search", "create": "Contact creation",
    "journal": "Call journal", "ticket": "New ticket", "followup": "Follow-up", "call": "Simulated call",
}
_SECTION = {
    "users": USER_ASSOCIATION, "search": CONTACT_SEARCH, "keyword": KEYWORD_SEARCH,
    "create": CONTACT_CREATION, "journal": CALL_JOURNAL, "ticket": NEW_TICKET, "followup": FOLLOW_UPS,
}
# The kinds whose requests are items of a list, and the class that labels them ("Contact Type 2").
_ITEM: dict[str, type[Part]] = {"search": ContactType, "keyword": ContactType, "create": CreationType,
                                "followup": FollowUpRequest}


def _items(template: Template, kind: str) -> Sequence[Any]:
    return {
        "search": template.contact_search.contact_types, "keyword": template.keyword_search.contact_types,
        "create": template.contact_creation.contact_types, "followup": template.follow_ups,
    }.get(kind, ())


def _index(template: Template, kind: str, name: str) -> int | None:
    """1-based position of item ``name`` in its list (how validation numbers it)."""
    return next((i for i, item in enumerate(_items(template, kind), 1) if item.name == name), None)


def _chain(template: Template, first: str) -> Iterator[str]:
    """The follow-ups a ``Next`` chain starting at ``first`` reaches (each once)."""
    seen: set[str] = set()
    name = first
    while name and name not in seen:
        seen.add(name)
        yield name
        request = template.follow_up(name)
        name = request.next if request is not None else ""


def _places(template: Template, target: Target) -> list[tuple[str, str | None]]:
    """(section, item prefix) pairs the target's requests live in; None: the section's own fields."""
    kinds = _call_kinds(template) if target.kind == "call" else [(target.kind, target.name)]
    places: list[tuple[str, str | None]] = []
    for kind, name in kinds:
        section = _SECTION[kind]
        places.append((section, None))
        if kind in _ITEM:
            index = _index(template, kind, name) if name else None
            places += [(section, _ITEM[kind].label(index))] if index else [
                (section, _ITEM[kind].label(i)) for i in range(1, len(_items(template, kind)) + 1)]
            nexts = [item.next for item in _items(template, kind) if (not name or item.name == name) and item.next]
            for first in nexts:
                for follow in _chain(template, first):
                    k = _index(template, "followup", follow)
                    if k:
                        places.append((FOLLOW_UPS, FollowUpRequest.label(k)))
    return places


def _call_kinds(template: Template) -> list[tuple[str, str]]:
    """What a simulated call may run: every enabled scenario and every event follow-up."""
    t = template
    kinds = [("search", "")]
    kinds += [("create", "")] if t.contact_creation.enabled else []
    kinds += [("journal", "")] if t.call_journal.enabled else []
    kinds += [("ticket", "")] if t.new_ticket.enabled else []
    kinds += [("followup", f.name) for f in t.follow_ups if f.event is not None]
    return kinds


def _in_item(field: str, prefix: str) -> bool:
    return field == prefix or field.startswith(prefix + " > ")


def _concerns(problem: Problem, places: Iterable[tuple[str, str | None]], items: Mapping[str, str]) -> bool:
    section, field = problem.location.section or "", problem.location.field or ""
    for place_section, prefix in places:
        if section != place_section:
            continue
        if prefix is not None and _in_item(field, prefix):
            return True
        item = items.get(section)
        if prefix is None and not (item and field.startswith(item + " ")):
            return True  # a field of the section itself (the mapping, the pop-up, an option)
    return False


def _nameless(template: Template, problem: Problem) -> bool:
    """A header or custom field still without a name: nothing sends or reads it yet."""
    field = problem.location.field or ""
    lists: tuple[tuple[str, type[Part], Sequence[Any]], ...] = (
        (HEADERS, Header, template.headers), (AUTHENTICATION, CustomField, template.auth.custom_fields))
    for section, cls, items in lists:
        if problem.location.section != section:
            continue
        for i, item in enumerate(items, 1):
            if _in_item(field, cls.label(i)) and not item.name.strip():
                return True
    return False


def concerning(template: Template, problems: Iterable[Problem], target: Target) -> list[Problem]:
    """The problems among ``problems`` (any severity) located where ``target``'s requests live,
    or in what every request needs: what a run of ``target`` should say, and no more."""
    places = _places(template, target)
    shared: list[tuple[str, str | None]] = [(AUTHENTICATION, None)]
    if target.kind != "followup":
        shared.append((HEADERS, None))
    items = {section: _ITEM[kind].ITEM for kind, section in _SECTION.items() if kind in _ITEM}
    out = []
    for p in problems:
        limit = p.location.section == GENERAL and p.location.field == "Max Concurrent Request"
        if limit or _concerns(p, places, items) or _concerns(p, shared, {}):
            out.append(p)
    return out


def blocking(template: Template, problems: Iterable[Problem], target: Target) -> list[Problem]:
    """The errors among ``problems`` that stop ``target``: its own, and what every request needs."""
    return [p for p in concerning(template, problems, target) if p.is_error and not _nameless(template, p)]


# --------------------------------------------------------------------------- inputs


def _sources(template: Template, target: Target) -> Iterator[str]:
    """Every template string the target's requests render (and the auth method's)."""
    auth = template.auth
    if auth.method is AuthMethod.BASIC:
        yield auth.basic.credential_format
    elif auth.method in (AuthMethod.OAUTH2, AuthMethod.BEARER):
        o = auth.oauth2
        yield from (o.authorization_endpoint, o.token_endpoint, o.additional_query, o.scope, o.refresh_endpoint,
                    o.refresh_body)
    if target.kind != "followup":
        yield from (h.value for h in template.headers)
    for request in _requests(template, target):
        yield from (request.url, request.body, getattr(request, "headers", ""))
        yield from (p.value for p in request.params)


def _requests(template: Template, target: Target) -> Iterator[Any]:
    kinds = _call_kinds(template) if target.kind == "call" else [(target.kind, target.name)]
    for kind, name in kinds:
        if kind == "users":
            yield from template.user_association.requests
        elif kind == "journal":
            yield from template.call_journal.requests
        elif kind == "ticket":
            yield from template.new_ticket.requests
        else:
            for item in _items(template, kind):
                if not name or item.name == name:
                    yield item
                    for follow in _chain(template, getattr(item, "next", "")):
                        request = template.follow_up(follow)
                        if request is not None and request is not item:
                            yield request


def _refs(source: str) -> set[str]:
    if "{{" not in source:
        return set()
    try:
        return {ref.path[0] for ref in gotemplate.compile(source).fields() if ref.path}
    except HdkitError:  # a syntax error: validation reports it where it is
        return set()


def missing_inputs(template: Template, values: Mapping[str, Any], target: Target) -> list[Problem]:
    """The custom-field inputs the target uses (or its auth method needs) that have no value."""
    used: set[str] = set()
    for source in _sources(template, target):
        used |= _refs(source)
    if template.auth.bearer_input() is not None and template.auth.method is AuthMethod.BEARER \
            and not template.auth.bearer_fetched:
        used.add(template.auth.bearer_input().name)  # type: ignore[union-attr]
    out = []
    for spec in template.auth.custom_fields:
        if spec.name and spec.name in used and values.get(spec.name) in (None, ""):
            out.append(Problem("error", f"needs a value for the input {spec.title or spec.name!r} ({{{{.{spec.name}}}}})",
                               Location(INPUTS, f"Inputs > {spec.name}"),
                               fix=f"type it in Try it > Inputs > {spec.title or spec.name}", code="missing-input"))
    return out
