"""Everything wrong with a template, found in one pass: ``validate(template) -> list[Problem]``.

The model already refuses what can never be right (wrong types, a 6th custom field, a 21st
header, a bad logo). Validation reports the rest, each problem with its section, field and,
inside a value, line and column: required fields per enabled feature, pagination settings the
chosen mode needs, numbers out of range, template strings that do not compile (with the quote
fix Go users need), GJSON paths that do not compile, JSON bodies that are not JSON whatever the
values, values printed raw where they can break a body or a query, variables no scenario
provides, follow-ups nobody reaches, and secrets pasted literally where a Password Input
belongs. Errors block export and runs; warnings do not. A value holding more template actions
than :data:`~hdkit.limits.MAX_ACTIONS_PER_VALUE` is one error instead of minutes of checks.

A template read from a file holds more than the form shows, and hdkit keeps and runs all of it;
validation says where that goes beyond what the product documents: a value hdkit does not know
(kept as read), a request the form does not offer (a POST search with a body, a second ticket
request: run, but the PBX's support is undocumented), contact types that map fields
differently, a parameter nothing sends, an element kept unread. The warnings import raised
(a secret it dropped) come first, and every problem is located at its file line when the
template came from a file.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from hdkit import arguments, gotemplate, limits
from hdkit.errors import Location, PathError, TemplateSyntaxError, ValidationFailed
from hdkit.extract import split_paths
from hdkit.gotemplate import FieldRef, fix_quotes
from hdkit.model import (
    AuthMethod,
    ContactFields,
    FieldType,
    FollowUpRequest,
    PaginationMode,
    Part,
    PopupMode,
    Provider,
    Template,
    Unrecognized,
    field_info,
    split_list,
)
from hdkit.model.requests import _Request
from hdkit.paths import compile_path, path_traps
from hdkit.problems import Problem
from hdkit.rendering import Kind, body_kind, check_json_template, lint
from hdkit.secrets import is_secret_name
from hdkit.vocabulary import (
    AUTHENTICATION,
    CALL_JOURNAL,
    CONTACT_CREATION,
    CONTACT_ID_ALIASES,
    CONTACT_SEARCH,
    CONTACT_VARIABLES,
    EXTRAS,
    FOLLOW_UPS,
    GENERAL,
    HEADERS,
    KEYWORD_SEARCH,
    NEW_TICKET,
    PREDEFINED_VARIABLES,
    USER_ASSOCIATION,
    USER_VARIABLES,
)

__all__ = ["authorization_not_sent", "errors", "require_valid", "validate"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_SECRET_KIND = re.compile(r"type|ur[il]|endpoint|expir", re.IGNORECASE)  # token_type: Bearer is no secret
_JSON_STRING_MEMBER = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"')  # "name": "text"


def _json_headers(text: str) -> list[tuple[str, str]]:
    """A follow-up's Headers field (a JSON object) as pairs; none when it is not one (validated apart)."""
    try:
        headers = json.loads(text) if text.strip() else {}
    except ValueError:
        return []
    return [(str(k), str(v)) for k, v in headers.items()] if isinstance(headers, dict) else []


def authorization_not_sent(name: str, method: AuthMethod | Unrecognized) -> str:
    """What happens to a template's own Authorization header under an auth method, said the same
    way by validation and by the engine that drops it (hdkit.engine.prepare)."""
    return (f"header {name!r} is not sent: the {method.value} auth method sets Authorization itself, "
            "and a template header never overrides it")


def _quote_fix(source: str) -> str | None:
    """The double-quoted text, when single quotes are what breaks ``source`` (and only then)."""
    fixed = fix_quotes(source)
    if fixed is None:
        return None
    try:
        gotemplate.compile(fixed)
    except TemplateSyntaxError:
        return None
    return f"use double quotes: {fixed}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Only the problems that block export and runs."""
    return [p for p in problems if p.is_error]


def require_valid(template: Template, action: str, *, problems: list[Problem] | None = None) -> list[Problem]:
    """The one gate before acting on a template: refuse while validation finds errors.

    ``action`` is what would be refused, as a past participle (``"exported"``, ``"run"``). Export,
    save, the :class:`~hdkit.engine.Engine`, the command line and the workbench all ask here, so
    a refusal always reads the same: ``2 error(s); not exported``, then each error with its
    location (the file and line, for a template read from a file), in a
    :class:`~hdkit.errors.ValidationFailed` that keeps every problem (warnings too). Returns every
    problem (warnings the caller may show) when nothing blocks.

    ``problems`` are the ones to judge when the caller has them already (a form: validation
    plus the values it refused); by default the template is validated here.
    """
    problems = validate(template) if problems is None else list(problems)
    blocking = errors(problems)
    if blocking:
        raise ValidationFailed(f"{len(blocking)} error(s); not {action}", problems)
    return problems


def validate(template: Template) -> list[Problem]:
    """Every problem of ``template``, errors and warnings, in form order; the warnings import
    raised first. A template read from a file has each problem located at its file line."""
    arguments.instance(template, Template, "validate", "template", arguments.TEMPLATE_FROM)
    problems = [*template.warnings, *_Validator(template).run()]
    return [_at_file_line(p, template) for p in problems]


def _at_file_line(problem: Problem, template: Template) -> Problem:
    """The problem located at the line of the file its field came from (when it has no line)."""
    record = template.file
    where = problem.location
    if record is None or where.line is not None:
        return problem
    found = record.position(where.section, where.field)
    if found is None:
        return problem
    return dataclasses.replace(problem, location=dataclasses.replace(
        where, line=found[0], column=found[1], source=where.source or record.source))


def _unknown_values(part: Any, section: str, prefix: str = "") -> Iterator[tuple[str, str, str]]:
    """(section, field, value) of every value a file held that hdkit does not know."""
    for f in dataclasses.fields(part):
        value = getattr(part, f.name)
        title = field_info(part, f.name).title
        if isinstance(value, Unrecognized):
            yield section, prefix + title, str(value)
        elif isinstance(value, Part) and not isinstance(value, _Request):
            yield from _unknown_values(value, getattr(value, "SECTION", "") or section, prefix)


class _Validator:
    def __init__(self, template: Template) -> None:
        self.t = template
        self.custom = {f.name for f in template.auth.custom_fields}
        self.custom |= {v.name for section in (template.contact_search, template.user_association,
                                               template.contact_creation, template.call_journal, template.new_ticket)
                        for v in section.variables}
        self.produced = {o.name for f in template.follow_ups for o in f.outputs if o.name and o.path}
        for section, _, request in template.requests():
            if section not in (CONTACT_SEARCH, KEYWORD_SEARCH, USER_ASSOCIATION):
                self.produced |= {o.name for o in request.outputs if o.name}

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def error(message: str, where: Location, fix: str | None = None, code: str = "") -> Problem:
        return Problem("error", message, where, fix, code)

    @staticmethod
    def warn(message: str, where: Location, fix: str | None = None, code: str = "") -> Problem:
        return Problem("warning", message, where, fix, code)

    def required(self, value: str, section: str, field: str) -> Iterator[Problem]:
        if not value.strip():
            yield self.error(f"{field} is required", Location(section, field), code="required")

    def template(self, source: str, section: str, field: str, kind: Kind = "text") -> Iterator[Problem]:
        """Compile a template string; report syntax, unknown variables, JSON and escaping."""
        if not source:
            return
        where = Location(section, field)
        actions = source.count("{{")
        if actions > limits.MAX_ACTIONS_PER_VALUE:  # the checks are linear, but 200,000 of them take minutes
            yield self.error(f"{actions:,} template actions in one value; hdkit checks at most "
                             f"{limits.MAX_ACTIONS_PER_VALUE:,} (a request body needs tens)", where,
                             code="too-many-actions")
            return
        try:
            compiled = gotemplate.compile(source, field)
        except TemplateSyntaxError as err:
            loc = err.location or where
            yield self.error(
                err.message,
                Location(section, field, loc.line, loc.column),
                fix=_quote_fix(source) or err.hint,
                code="template-syntax",
            )
        else:
            yield from self.variables(compiled.fields(), section, field)
        if kind == "json":
            yield from check_json_template(source, where)
        if kind in ("json", "url"):
            yield from lint(source, kind, where)
        if kind == "url":
            yield from self.literal_secrets(parse_qsl(urlsplit(source).query, keep_blank_values=True), where)
        if kind == "json":
            yield from self.literal_secrets(_JSON_STRING_MEMBER.findall(source), where)

    def variables(self, refs: Iterable[FieldRef], section: str, field: str) -> Iterator[Problem]:
        known = PREDEFINED_VARIABLES.get(section, frozenset()) | self.custom | self.produced
        reported: set[str] = set()
        for ref in refs:
            name = ref.path[0] if ref.path else ""
            if not name or name in known or name in reported:
                continue
            reported.add(name)
            yield self.warn(
                f"no scenario provides {{{{.{name}}}}}; it renders as <no value>",
                Location(section, field, ref.line, ref.column),
                fix="add a custom field with this name, or map it as a follow-up target variable",
                code="unknown-variable",
            )

    def literal_secrets(self, pairs: Iterable[tuple[str, str]], where: Location) -> Iterator[Problem]:
        """Secret-named query parameters or JSON members holding a literal: exported for anyone to read."""
        for name, value in pairs:
            if is_secret_name(name) and not _SECRET_KIND.search(name) and value.strip() and "{{" not in value:
                yield self.warn(
                    f"{name!r} holds a literal secret; it would be written into the exported template",
                    where,
                    fix=f"add a Password Input custom field and write {{{{.{name}}}}} instead",
                    code="literal-secret",
                )

    def paths(self, text: str, section: str, field: str, required: bool = False) -> Iterator[Problem]:
        if not text.strip():
            if required:
                yield self.error(f"{field} is required", Location(section, field), code="required")
            return
        for path in split_paths(text):
            yield from self.template(path, section, field)
            concrete = _PLACEHOLDER.sub("x", path)  # {{.Phone}} inside a filter: check the shape
            try:
                compile_path(concrete, Location(section, field))
            except PathError as err:
                loc = err.location or Location(section, field)
                yield self.error(f"path {path!r}: {err.message}", Location(section, field, loc.line, loc.column),
                                 fix=err.hint, code="path-syntax")
            for trap in path_traps(path, records=section in (CONTACT_SEARCH, USER_ASSOCIATION)):
                yield self.warn(f"path {path!r}: {trap.message}", Location(section, field, trap.line, trap.column),
                                fix=trap.fix, code=f"path-{trap.code}")

    def method(self, method: str, section: str, field: str = "Request Method") -> Iterator[Problem]:
        if method.upper() not in limits.HTTP_METHODS:
            yield self.error(f"unknown HTTP method {method!r}; use one of {', '.join(limits.HTTP_METHODS)}",
                             Location(section, field), code="method")

    def request(self, url: str, method: str, body: str, section: str, prefix: str,
                url_title: str, body_title: str, request: _Request | None = None) -> Iterator[Problem]:
        yield from self.required(url, section, f"{prefix}{url_title}")
        yield from self.template(url, section, f"{prefix}{url_title}", "url")
        yield from self.method(method, section, f"{prefix}Request Method")
        yield from self.template(body, section, f"{prefix}{body_title}", self.body_kind(request))

    def body_kind(self, request: _Request | None) -> Kind:
        """The headers the request goes out with, as the engine sends them: the template's (not
        for a follow-up), then its own; :func:`hdkit.rendering.body_kind` reads them."""
        if isinstance(request, FollowUpRequest):
            return body_kind(request.header_params() + _json_headers(request.headers))
        headers = [(h.name, h.value) for h in self.t.headers]
        return body_kind(headers + (request.header_params() if request is not None else []))

    def undocumented(self, what: str, section: str, field: str) -> Problem:
        return self.warn(f"{what}: the product form does not offer this; hdkit runs it as written, but "
                         "whether the PBX does is undocumented", Location(section, field), code="undocumented")

    # ------------------------------------------------------------------ sections

    def run(self) -> Iterator[Problem]:
        for check in (self.general, self.auth, self.headers, self.users, self.follow_ups,
                      self.contact_search, self.keyword_search, self.creation, self.journal, self.ticket,
                      self.unknown, self.extras):
            yield from check()

    def unknown(self) -> Iterator[Problem]:
        """Values a file held that hdkit does not know: kept and written back as they were."""
        t = self.t
        found = [*_unknown_values(t.general, GENERAL), *_unknown_values(t.auth, AUTHENTICATION),
                 *_unknown_values(t.user_association, USER_ASSOCIATION),
                 *_unknown_values(t.contact_search, CONTACT_SEARCH)]
        for i, custom in enumerate(t.auth.custom_fields, 1):
            found += _unknown_values(custom, AUTHENTICATION, f"{custom.label(i)} > ")
        for i, request in enumerate(t.follow_ups, 1):
            if isinstance(request.event, Unrecognized):
                found.append((FOLLOW_UPS, f"{request.label(i)} > Triggered Event", str(request.event)))
        for section, field, value in found:
            yield self.warn(f"{value!r} is not a value hdkit knows for {field.rpartition(' > ')[2]}; it is kept "
                            "and written back unchanged, but hdkit cannot tell what the PBX does with it",
                            Location(section, field), code="unknown-value")

    def extras(self) -> Iterator[Problem]:
        for extra in self.t.extras:
            if extra.xml.startswith("<!--"):  # a comment: kept, nothing to interpret
                continue
            what = f"attribute {extra.where.rpartition('/@')[2]!r}" if "/@" in extra.where else extra.xml[:60]
            yield self.warn(f"kept as written, not interpreted by hdkit: {what}", Location(EXTRAS, extra.where),
                            code="kept-unread")

    def general(self) -> Iterator[Problem]:
        g = self.t.general
        yield from self.required(g.name, GENERAL, "Helpdesk Name")
        yield from self.required(g.key, GENERAL, "Key")
        if g.key and not _IDENT.match(g.key):
            yield self.warn("Key should hold only letters, digits and underscores",
                            Location(GENERAL, "Key"), code="key")
        if g.max_concurrent_requests <= 0:
            yield self.error(f"Max Concurrent Request must be a positive integer, got {g.max_concurrent_requests}",
                             Location(GENERAL, "Max Concurrent Request"), code="range")
        if g.logo and g.logo.size and g.logo.size != limits.LOGO_SUGGESTED_SIZE:
            w, h = limits.LOGO_SUGGESTED_SIZE
            yield self.warn(f"logo is {g.logo.width}x{g.logo.height}; {w}x{h} is suggested",
                            Location(GENERAL, "Logo"), code="logo-size")

    def auth(self) -> Iterator[Problem]:
        a = self.t.auth
        seen: set[str] = set()
        for i, f in enumerate(a.custom_fields, 1):
            prefix = f"{f.label(i)} > "
            yield from self.required(f.name, AUTHENTICATION, prefix + "Name")
            if f.name and not _IDENT.match(f.name):
                yield self.error(f"{f.name!r} cannot be a template variable name (letters, digits, _)",
                                 Location(AUTHENTICATION, prefix + "Name"), code="identifier")
            if f.name in seen:
                yield self.error(f"custom field name {f.name!r} is used twice",
                                 Location(AUTHENTICATION, prefix + "Name"), code="duplicate")
            seen.add(f.name)
            if not f.title.strip():
                yield self.warn("Title is empty; users see it above the input",
                                Location(AUTHENTICATION, prefix + "Title"), code="required")
            if f.type is FieldType.DROPDOWN and not f.options:
                yield self.error("a Dropdown List needs options",
                                 Location(AUTHENTICATION, prefix + "Dropdown Options"), code="required")
            if f.type is FieldType.TEXT and is_secret_name(f.name):
                yield self.warn(f"{f.name!r} looks like a secret but is a Text Input",
                                Location(AUTHENTICATION, prefix + "Type"), fix="make it a Password Input",
                                code="literal-secret")
        if a.method is AuthMethod.BASIC:
            title = field_info(type(a.basic), "credential_format").title
            yield from self.required(a.basic.credential_format, AUTHENTICATION, title)
            yield from self.template(a.basic.credential_format, AUTHENTICATION, title)
        if a.method in (AuthMethod.OAUTH2, AuthMethod.BEARER):
            yield from self.oauth2()
        if a.method is AuthMethod.BEARER:
            yield from self.bearer()

    def bearer(self) -> Iterator[Problem]:
        """Bearer token both ways: fetched from the Token Endpoint, or pasted into a Password input."""
        a = self.t.auth
        title = field_info(type(a.oauth2), "token_endpoint").title
        if a.bearer_fetched:
            if not a.oauth2.authorization_endpoint.strip():
                yield self.warn("the bearer token is fetched from the Token Endpoint with the authorization-code "
                                "flow (hdkit auth), which needs an Authorization Endpoint; without one hdkit can "
                                "only use a token already in its token store",
                                Location(AUTHENTICATION, field_info(type(a.oauth2), "authorization_endpoint").title),
                                code="bearer-fetch")
            return
        candidates = a.token_inputs()
        if not candidates:
            yield self.error("a bearer token without a Token Endpoint is taken from a Password input, and this "
                             "template has none", Location(AUTHENTICATION, "Custom Fields"),
                             fix=f"add a Password Input custom field for the token, or set the {title}",
                             code="bearer-token-input")
        elif len(candidates) > 1:
            chosen = a.bearer_input() or candidates[0]
            names = ", ".join(repr(f.name) for f in candidates)
            yield self.warn(f"the bearer token is taken from the Password input {chosen.name!r} (of {names}); "
                            "a name holding 'token' is preferred, else the first",
                            Location(AUTHENTICATION, "Custom Fields"), code="bearer-token-input")

    def oauth2(self) -> Iterator[Problem]:
        o = self.t.auth.oauth2
        oauth2 = self.t.auth.method is AuthMethod.OAUTH2

        def title(name: str) -> str:
            return field_info(type(o), name).title

        if oauth2:
            yield from self.required(o.authorization_endpoint, AUTHENTICATION, title("authorization_endpoint"))
            yield from self.required(o.token_endpoint, AUTHENTICATION, title("token_endpoint"))
        for name in ("authorization_endpoint", "token_endpoint", "refresh_endpoint"):
            yield from self.template(getattr(o, name), AUTHENTICATION, title(name), "url")
        yield from self.template(o.additional_query, AUTHENTICATION, title("additional_query"))
        yield from self.literal_secrets(parse_qsl(o.additional_query, keep_blank_values=True),
                                        Location(AUTHENTICATION, title("additional_query")))
        yield from self.template(o.scope, AUTHENTICATION, title("scope"))
        kind: Kind = "json" if o.refresh_content_type.value == "application/json" else "text"
        yield from self.template(o.refresh_body, AUTHENTICATION, title("refresh_body"), kind)
        if kind == "text":  # a form body
            yield from self.literal_secrets(parse_qsl(o.refresh_body, keep_blank_values=True),
                                            Location(AUTHENTICATION, title("refresh_body")))
        yield from self.method(o.refresh_method, AUTHENTICATION, title("refresh_method"))
        if o.refresh_minutes is not None and o.refresh_minutes < 0:
            yield self.error("Token Refresh Time (min) cannot be negative (blank = 25, 0 = never)",
                             Location(AUTHENTICATION, title("refresh_minutes")), code="range")

    def headers(self) -> Iterator[Problem]:
        names: set[str] = set()
        for i, h in enumerate(self.t.headers, 1):
            prefix = f"{h.label(i)} > "
            yield from self.required(h.name, HEADERS, prefix + "Name")
            if h.name and not _HEADER_NAME.match(h.name):
                yield self.error(f"{h.name!r} is not a valid HTTP header name", Location(HEADERS, prefix + "Name"),
                                 code="header-name")
            if h.name.lower() in names:
                yield self.warn(f"header {h.name!r} is defined twice", Location(HEADERS, prefix + "Name"),
                                code="duplicate")
            names.add(h.name.lower())
            if h.name.lower() == "authorization" and self.t.auth.method is not AuthMethod.NONE:
                yield self.warn(authorization_not_sent(h.name, self.t.auth.method), Location(HEADERS, prefix + "Name"),
                                fix="remove this header", code="authorization-header")
            if is_secret_name(h.name) and h.value.strip() and "{{" not in h.value:
                yield self.warn(f"header {h.name!r} holds a literal secret", Location(HEADERS, prefix + "Value"),
                                fix="add a Password Input custom field and reference it, e.g. {{.api_key}}",
                                code="literal-secret")
            yield from self.template(h.value, HEADERS, prefix + "Value")

    def users(self) -> Iterator[Problem]:
        ua = self.t.user_association
        if not ua.enabled:
            return
        yield from self.required(ua.url, USER_ASSOCIATION, "Get User")
        yield from self.template(ua.url, USER_ASSOCIATION, "Get User", "url")
        yield from self.method(ua.method, USER_ASSOCIATION)
        for name in ("user_id", "first_name", "last_name", "email"):
            yield from self.paths(getattr(ua.fields, name), USER_ASSOCIATION,
                                  field_info(type(ua.fields), name).title, required=name == "user_id")
        for i, r in enumerate(ua.requests, 1):
            prefix = f"{r.label(i)} > "
            if i > 1:
                yield self.warn(f"request {r.name!r} is not run: hdkit pages the first request of User "
                                "Association only, and what the PBX does with more is undocumented",
                                Location(USER_ASSOCIATION, prefix + "URL"), code="not-run")
                continue
            if r.body:
                yield self.undocumented("a body on the Get User request", USER_ASSOCIATION, prefix + "Request Body")
                yield from self.template(r.body, USER_ASSOCIATION, prefix + "Request Body", self.body_kind(r))
            yield from self.params(r, USER_ASSOCIATION, prefix)
            yield from self.after(r, USER_ASSOCIATION, prefix, runs=False)
            yield from self.other_outputs(r, set(USER_VARIABLES.values()), USER_ASSOCIATION, prefix)
        yield from self.pagination()

    def pagination(self) -> Iterator[Problem]:
        p = self.t.user_association.pagination
        needs: dict[object, tuple[tuple[str, ...], tuple[str, ...]]] = {
            PaginationMode.PAGE: (("page_param", "page_start", "size_param", "size"), ("size",)),
            PaginationMode.OFFSET: (("offset_param", "offset_start", "limit_param", "limit"), ("limit",)),
            PaginationMode.NEXT_LINK: ((), ()),
        }
        required, positive = needs.get(p.mode, ((), ()))
        for name in required:
            title = field_info(type(p), name).title
            value = getattr(p, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                yield self.error(f"{title} is required for {p.mode.value} pagination",
                                 Location(USER_ASSOCIATION, title), code="required")
        for name in ("page_start", "size", "offset_start", "limit"):
            value = getattr(p, name)
            minimum = 1 if name in positive or name in ("size", "limit") else 0
            if value is not None and value < minimum:
                title = field_info(type(p), name).title
                yield self.error(f"{title} must be at least {minimum}, got {value}",
                                 Location(USER_ASSOCIATION, title), code="range")
        if p.mode is PaginationMode.NEXT_LINK:
            yield from self.paths(p.next_link_path, USER_ASSOCIATION, "Next Page Link Path", required=True)

    def follow_ups(self) -> Iterator[Problem]:
        names = [f.name for f in self.t.follow_ups]
        targets = {r.next for _, _, r in self.t.requests()}
        for i, f in enumerate(self.t.follow_ups, 1):
            prefix = f"{f.label(i)} > "
            yield from self.required(f.name, FOLLOW_UPS, prefix + "Name")
            if names.count(f.name) > 1:
                yield self.error(f"follow-up name {f.name!r} is used twice", Location(FOLLOW_UPS, prefix + "Name"),
                                 code="duplicate")
            if f.event is None and f.name not in targets:
                yield self.warn(f"{f.name!r} has no triggered event and no request names it as next; it never runs",
                                Location(FOLLOW_UPS, prefix + "Triggered Event"), code="unreachable")
            yield from self.request(f.url, f.method, f.body, FOLLOW_UPS, prefix, "URL", "Request Body", f)
            if f.headers.strip():
                yield from self.template(f.headers, FOLLOW_UPS, prefix + "Headers", "json")
                if not f.headers.lstrip().startswith("{"):
                    yield self.error("Headers must be a JSON object", Location(FOLLOW_UPS, prefix + "Headers"),
                                     code="json-object")
            yield from self.params(f, FOLLOW_UPS, prefix)
            yield from self.outputs(f.response_paths, f.target_variables, prefix)
            yield from self.next_target(f.next, FOLLOW_UPS, prefix + "Next Request")

    def after(self, r: _Request, section: str, prefix: str, runs: bool = True) -> Iterator[Problem]:
        """A ``Next`` on a request other than a contact search: the file's own, run (or, on the
        paged users request, kept but not run: it would run once per user)."""
        if not r.next:
            return
        field = prefix + "Next Request"
        yield from self.next_target(r.next, section, field)
        if runs:
            yield self.undocumented(f"a next request ({r.next!r}) after this one, run with its outputs", section,
                                    field)
        else:
            yield self.warn(f"next request {r.next!r} is not run: hdkit does not follow a Next from the Get User "
                            "request (it would run once per user), and what the PBX does is undocumented",
                            Location(section, field), code="not-run")

    def params(self, r: _Request, section: str, prefix: str) -> Iterator[Problem]:
        """A request's parameters beyond its body: headers are sent, anything else is not."""
        for i, p in enumerate(r.params, 1):
            where = prefix + p.label(i)
            if p.type.lower() == "header":
                if not _HEADER_NAME.match(p.name):
                    yield self.error(f"{p.name!r} is not a valid HTTP header name", Location(section, where),
                                     code="header-name")
                if is_secret_name(p.name) and p.value.strip() and "{{" not in p.value:
                    yield self.warn(f"header {p.name!r} holds a literal secret", Location(section, where),
                                    fix="add a Password Input custom field and reference it, e.g. {{.api_key}}",
                                    code="literal-secret")
                yield from self.template(p.value, section, where)
            elif p.type.strip().lower() == "body":  # the body is the first Type="Body", spelt so [S]
                yield self.warn(f"parameter {p.name!r} of type {p.type!r} is kept as written but not sent: the "
                                "request body is the first parameter of Type \"Body\" (spelt so), and whether "
                                "the PBX reads it otherwise is undocumented", Location(section, where),
                                code="parameter-not-sent")
            else:
                yield self.warn(f"parameter {p.name!r} of type {p.type or '(none)'!r} is kept as written but "
                                "hdkit sends only Body and Header parameters; what the PBX does with it is "
                                "undocumented", Location(section, where), code="parameter-not-sent")

    def other_outputs(self, r: _Request, shown: set[str], section: str, prefix: str) -> Iterator[Problem]:
        """Paths of the outputs a form view does not show (a view checks its own)."""
        for j, o in enumerate(r.outputs, 1):
            if o.name not in shown and o.path.strip():
                yield from self.paths(o.path, section, f"{prefix}{o.label(j)} ({o.name or 'no variable'})")

    def outputs(self, paths: str, variables: str, prefix: str) -> Iterator[Problem]:
        path_list, names = split_paths(paths), split_list(variables)
        if len(path_list) != len(names):
            yield self.error(
                f"{len(path_list)} response field path(s) but {len(names)} target variable(s); "
                "they are paired in order",
                Location(FOLLOW_UPS, prefix + "Target Variable Name"), code="output-count")
        for name in names:
            if not _IDENT.match(name):
                yield self.error(f"{name!r} cannot be a template variable name",
                                 Location(FOLLOW_UPS, prefix + "Target Variable Name"), code="identifier")
        yield from self.paths(paths, FOLLOW_UPS, prefix + "Response Field Path")

    def next_target(self, name: str, section: str, field: str) -> Iterator[Problem]:
        if name and self.t.follow_up(name) is None:
            yield self.error(f"next request {name!r} is not a follow-up request of this template",
                             Location(section, field), code="unknown-next")

    def search_request(self, ct: Any, section: str, prefix: str, shown: set[str]) -> Iterator[Problem]:
        """A contact search request (a contact type, a keyword search): URL, body, headers, outputs."""
        yield from self.request(ct.url, ct.method, ct.body, section, prefix, "Contact Match Query URL",
                                "Request Body", ct)
        if ct.body:
            yield self.undocumented(f"a {ct.method} contact search with a request body", section,
                                    prefix + "Request Body")
        yield from self.params(ct, section, prefix)
        yield from self.other_outputs(ct, shown, section, prefix)
        yield from self.next_target(ct.next, section, prefix + "Next Request")

    def contact_search(self) -> Iterator[Problem]:
        cs = self.t.contact_search
        if not cs.contact_types:
            yield self.error("add at least one contact type (searching contacts is mandatory)",
                             Location(CONTACT_SEARCH, "Contact Types"), code="required")
        names = [ct.name for ct in cs.contact_types]
        mapped = {*CONTACT_VARIABLES.values(), *CONTACT_ID_ALIASES}
        for i, ct in enumerate(cs.contact_types, 1):
            prefix = f"{ct.label(i)} > "
            yield from self.required(ct.name, CONTACT_SEARCH, prefix + "Contact Type")
            if names.count(ct.name) > 1:
                yield self.error(f"contact type {ct.name!r} is used twice",
                                 Location(CONTACT_SEARCH, prefix + "Contact Type"), code="duplicate")
            yield from self.search_request(ct, CONTACT_SEARCH, prefix, mapped if i == 1 else set())
        first = cs.contact_types[0].name if cs.contact_types else ""
        for ct, output in cs.mapped_differently():
            i = cs.contact_types.index(ct) + 1
            theirs, mine = cs.contact_types[0].mapping().get(output), ct.mapping().get(output)
            yield self.warn(
                f"contact type {ct.name!r} maps {output} to {'nothing' if mine is None else repr(mine)} but "
                f"{first!r} maps it to {'nothing' if theirs is None else repr(theirs)}; each runs with its own "
                "outputs, while the Contact Field Mapping shows the first contact type's and sets every one's",
                Location(CONTACT_SEARCH, f"{ct.label(i)} > Outputs"), code="contact-mapping-differs")
        if cs.popup.mode is PopupMode.URL_FORMAT:
            yield from self.required(cs.popup.url_format, CONTACT_SEARCH, "URL Format")
            yield from self.template(cs.popup.url_format, CONTACT_SEARCH, "URL Format", "url")
        elif cs.popup.mode is PopupMode.CONTACT_FIELD:
            yield from self.paths(cs.popup.contact_field_path, CONTACT_SEARCH, "Contact Field for URL", required=True)
            yield from self.popup_output(cs.popup.contact_field_path)
        # A field another contact type maps is mapped: that type sets it when it is the one matching.
        by_any_type = {name for ct in cs.contact_types for name, path in ct.mapping().items() if path.strip()}
        yield from self.contact_fields(cs.fields, by_any_type)

    def popup_output(self, path: str) -> Iterator[Problem]:
        """Contact Field for URL naming an output (what hdkit once wrote) instead of a response path."""
        outputs = {o.name: o.path for ct in self.t.contact_search.contact_types for o in ct.outputs}
        if path.strip() in outputs and outputs[path.strip()]:
            yield self.warn(f"Contact Field for URL {path!r} names an output, but the PBX reads a GJSON path of the "
                            "search response here", Location(CONTACT_SEARCH, "Contact Field for URL"),
                            fix=f"use the output's path: {outputs[path.strip()]}", code="popup-output-name")

    def keyword_search(self) -> Iterator[Problem]:
        for i, ct in enumerate(self.t.keyword_search.contact_types, 1):
            yield from self.search_request(ct, KEYWORD_SEARCH, f"{ct.label(i)} > ", set())

    def contact_fields(self, fields: ContactFields, by_any_type: set[str]) -> Iterator[Problem]:
        for name, mapping in fields.items():
            info = field_info(ContactFields, name)
            yield from self.paths(mapping.path, CONTACT_SEARCH, info.title, required=info.required)
        mapped = {n for n, m in fields.items()
                  if m.path.strip() or CONTACT_VARIABLES[n] in self.produced | by_any_type}
        phones = [n for n in ContactFields.PHONE_FIELDS if getattr(fields, n).enabled and n in mapped]
        if not phones:
            yield self.error("enable and map at least one phone number field",
                             Location(CONTACT_SEARCH, "Contact Field Mapping"),
                             fix="enable Business Number and map it, e.g. data.#.phone", code="phone-required")
        for name, mapping in fields.items():
            if mapping.enabled and name not in mapped:
                yield self.warn(f"{field_info(ContactFields, name).title} is enabled but not mapped",
                                Location(CONTACT_SEARCH, field_info(ContactFields, name).title), code="unmapped")

    def creation(self) -> Iterator[Problem]:
        cc = self.t.contact_creation
        if not cc.enabled:
            return
        if not cc.contact_types:
            yield self.error("add at least one contact type to create", Location(CONTACT_CREATION, "Contact Types"),
                             code="required")
        for i, ct in enumerate(cc.contact_types, 1):
            prefix = f"{ct.label(i)} > "
            yield from self.required(ct.name, CONTACT_CREATION, prefix + "Contact Type")
            yield from self.request(ct.url, ct.method, ct.body, CONTACT_CREATION, prefix,
                                    "Contact Creation URL (POST)", "Contact Creation Request Body", ct)
            yield from self.params(ct, CONTACT_CREATION, prefix)
            yield from self.after(ct, CONTACT_CREATION, prefix)
            yield from self.other_outputs(ct, set(), CONTACT_CREATION, prefix)

    def sequence(self, section: Any, what: str) -> Iterator[Problem]:
        """The requests of a journal or ticket: the first is the form's, the others run after it."""
        titles = {CALL_JOURNAL: ("Create Call Journal URL (POST)", "Call Journal Creation Request Data"),
                  NEW_TICKET: ("Create New Ticket URL (POST)", "New Ticket Creation Request Body")}[section.SECTION]
        first = section.requests[0] if section.requests else None
        yield from self.request(section.url, section.method, section.body, section.SECTION, "", *titles, first)
        for i, r in enumerate(section.requests, 1):
            prefix = f"{r.label(i)} > "
            if i > 1:
                yield self.undocumented(f"a second {what} request ({r.name!r}, run after the first and seeing its "
                                        "outputs)", section.SECTION, prefix + "URL")
                yield from self.request(r.url, r.method, r.body, section.SECTION, prefix, "URL", "Request Body", r)
            yield from self.params(r, section.SECTION, prefix)
            yield from self.after(r, section.SECTION, prefix)
            yield from self.other_outputs(r, set(), section.SECTION, prefix)
        yield from self.template(section.subject.default, section.SECTION, "Subject")
        yield from self.template(section.description.default, section.SECTION, "Description")

    def journal(self) -> Iterator[Problem]:
        if self.t.call_journal.enabled:
            yield from self.sequence(self.t.call_journal, "call journal")

    def ticket(self) -> Iterator[Problem]:
        nt = self.t.new_ticket
        if not nt.enabled:
            return
        if self.t.general.provider is Provider.CRM:
            yield self.warn("ticket creation is a Helpdesk feature the CRM template form does not offer; hdkit runs "
                            "it as written, but the PBX probably ignores it in a CRM template",
                            Location(NEW_TICKET, "Create New Ticket Automatically"), code="provider")
        yield from self.sequence(nt, "ticket")
