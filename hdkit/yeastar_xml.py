"""Yeastar template XML <-> :class:`~hdkit.model.Template`: the only module that knows the spelling.

The format follows ``yeastar-template-format.md`` section 2: an ``<Information>`` root with the
General settings as attributes and one ``<Scenario>`` per feature (``AuthMethod``,
``SyncContactAuto``, ``UserAssociation``, ``CreateNewContact``, ``CallJournal``,
``CreateNewTicket``, ``Common``). Contact types are the Requests of ``SyncContactAuto``, creation
types the Requests of ``CreateNewContact``, follow-up requests the Requests of ``Common`` (the
sample's ``GetIdentities`` is reached through ``<Outputs Next=...>``).

**Reconstructed spellings.** The reference could not see how the PBX spells pagination, follow-up
events and headers, the dropdown field type and its options, the "from contact field" popup mode,
the OAuth2 content types and refresh settings, the Basic credential types or the "hide missed
calls" option. Every such name is in :data:`SPELLING` below and nowhere else, so one edit fixes
them once a real PBX export is available. Everything outside that table is seen in the sample.

Import parses with ``defusedxml`` (entity expansion and external entities are refused with one
:class:`~hdkit.errors.XMLFormatError`), accepts XML 1.0 and 1.1 declarations and both empty
element forms, lets the last of duplicate parameters and outputs win, and keeps every element or
attribute it does not understand as an :class:`~hdkit.model.Extra` that export writes back in
place. What the model cannot hold without losing part of it is refused with its line instead of
half read: a scenario given twice, or contact types whose outputs map the contact fields
differently (the product has one Contact Field Mapping for all contact types).

A draft whose Contact Field Mapping is filled in before any contact type is written with the
mapping in a ``<Request>`` with no attributes (validation refuses exporting such a draft; the
library saves drafts). Follow-up paths and variables are written one ``<Output>`` per pair, an
unpaired one alone. Secrets have no place in the model, so they are never written: a Password
Input's value, or a literal value of any parameter whose name says secret (``client_secret``,
``AccessToken``), is dropped on import and starred out of error snippets. :func:`to_xml`
serialises whatever it is given; :func:`save` refuses while validation finds errors.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from itertools import zip_longest
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree as DET

from hdkit.errors import Location, ModelError, ValidationFailed, XMLFormatError, caret_snippet
from hdkit.limits import DEFAULT_MAX_CONCURRENT_REQUESTS, MAX_CUSTOM_FIELDS, MAX_HEADERS
from hdkit.model import (
    CONTACT_VARIABLES,
    Auth,
    BasicAuth,
    CallJournal,
    CallOption,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactType,
    CreationType,
    CustomField,
    Extra,
    FieldMapping,
    FieldType,
    FollowUpRequest,
    General,
    Header,
    Logo,
    NewTicket,
    OAuth2,
    Output,
    Pagination,
    PaginationMode,
    Popup,
    PopupMode,
    Template,
    UserAssociation,
    UserFields,
    split_list,
)
from hdkit.secrets import is_secret_name

__all__ = ["SPELLING", "from_xml", "load", "save", "to_xml"]

# Reconstructed or unknown spellings ([I] in the format reference). Change them here only.
SPELLING: dict[str, Any] = {
    "pagination_father": "Pagination",  # 2.6 [I]
    "pagination": {  # model field -> Parameter Name, 2.6 [I]
        "mode": "Mode",
        "page_param": "PageParam",
        "page_start": "PageStart",
        "size_param": "SizeParam",
        "size": "PageSize",
        "offset_param": "OffsetParam",
        "offset_start": "OffsetStart",
        "limit_param": "LimitParam",
        "limit": "Limit",
        "next_link_path": "NextLinkPath",
    },
    "pagination_mode": {  # 2.6 [I]
        PaginationMode.DISABLED: "disabled",
        PaginationMode.PAGE: "page",
        PaginationMode.OFFSET: "offset",
        PaginationMode.NEXT_LINK: "next_link",
    },
    "field_editor": {FieldType.TEXT: "string", FieldType.PASSWORD: "password", FieldType.DROPDOWN: "select"},
    "field_options_attr": "Options",  # dropdown options, comma separated [I]
    "header_description_attr": "Description",  # [I]
    "popup_mode": {PopupMode.URL_FORMAT: "specify_url_format", PopupMode.CONTACT_FIELD: "contact_field"},
    "popup_output": "ContactUrl",  # 4.2 [I]: output that carries the contact-field popup URL
    "credential_type": {"username_password": "username_password", "api_key": "api_key"},  # [I]
    "oauth2": {  # 3.1: refresh settings and content types are [I]
        "content_type": "TokenContentType",
        "refresh_method": "RefreshTokenMethod",
        "refresh_endpoint": "RefreshTokenEndPoint",
        "refresh_content_type": "RefreshTokenContentType",
        "refresh_minutes": "RefreshTokenInterval",
        "refresh_body": "RefreshTokenBody",
    },
    "follow_up_event": "TriggerEvent",  # request Parameter holding the event [I]
    "follow_up_headers": "Headers",  # request Parameter (Type="Header") with the JSON object [I]
    "hide_missed": ("EnableHideMissedCallRecords", "HideMissedCallRecords"),  # [I]
}

# Output names of the PBX contact fields are the model's variable names (format reference 3.3).
CONTACT_OUTPUTS = CONTACT_VARIABLES
CONTACT_ID_ALIASES = ("ContactsId", "ContactId")  # 3.3 [S]: both spellings occur
USER_OUTPUTS = {"user_id": "UserUniqueId", "first_name": "FirstName", "last_name": "LastName",
                "email": "Email"}

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_RESPONSE_TYPE = "application/json"
_SWITCHES = ("UserAssociation", "CallJournal", "CreateNewContact", "CreateNewTicket")


# =========================================================================== parsing


# Parameters hdkit reads as settings: their names say "token" but their values are no secrets.
_SETTINGS = {"TokenType", "TokenEndPoint", "TokenInvalid", "NoNeedRefreshAccessToken", "Base64EncodedCredential",
             "CredentialType", *SPELLING["oauth2"].values()}
_TAG = re.compile(r"<[^<>]*>")
_NAME = re.compile(r"""\bName\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_PASSWORD = re.compile(r"""\bEditor\s*=\s*(["'])password\1""")
_VALUE = re.compile(r"""(\bValue\s*=\s*)(["'])(.*?)\2""", re.DOTALL)


def _masked(text: str) -> str:
    """``text`` with every literal secret value starred out, column for column.

    Error snippets quote the file; a client secret or a Password Input's value pasted into it
    must not reach the message, even when the tag around it is malformed.
    """

    def star(value: re.Match[str]) -> str:
        literal = value.group(3)
        hidden = literal if "{{" in literal else "*" * len(literal)
        return f"{value.group(1)}{value.group(2)}{hidden}{value.group(2)}"

    def tag(match: re.Match[str]) -> str:
        name = _NAME.search(match.group())
        secret = name is not None and is_secret_name(name.group(2)) and name.group(2) not in _SETTINGS
        if secret or _PASSWORD.search(match.group()):
            return _VALUE.sub(star, match.group())
        return match.group()

    return _TAG.sub(tag, text)


class _Tree:
    """A parsed document plus each element's file position and the bookkeeping of what was read."""

    def __init__(self, data: bytes, source: str | None, encoding: str | None = None) -> None:
        self.source = source
        self.text = _masked(data.decode("utf-8", errors="replace"))  # quoted in error snippets
        self.pos: dict[int, tuple[int, int]] = {}
        self.used: set[int] = set()
        self.used_attrs: set[tuple[int, str]] = set()
        self.root = self._parse(data, encoding)

    def _parse(self, data: bytes, encoding: str | None) -> ET.Element:
        positions = self.pos

        class Builder(ET.TreeBuilder):
            def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
                el = super().start(tag, attrs)
                positions[id(el)] = (expat.CurrentLineNumber, expat.CurrentColumnNumber + 1)
                return el

        parser = DET.DefusedXMLParser(target=Builder(), forbid_dtd=False, encoding=encoding)
        expat = parser.parser
        try:
            parser.feed(data)
            return parser.close()
        except ET.ParseError as err:
            line, col = err.position
            raise XMLFormatError(
                f"malformed XML: {str(err).split(':')[0]}",
                Location(line=line, column=col + 1, source=self.source),
                snippet=caret_snippet(self.text, line, col + 1),
                hint="attribute values must escape \" as &quot;, & as &amp; and < as &lt;",
            ) from err
        except defusedxml.DefusedXmlException as err:
            raise XMLFormatError(
                f"refused unsafe XML: {err} (templates never need DTD entities)",
                Location(line=expat.CurrentLineNumber, column=expat.CurrentColumnNumber + 1,
                         source=self.source),
            ) from err

    def loc(self, el: ET.Element, section: str | None = None, field: str | None = None) -> Location:
        line, col = self.pos.get(id(el), (None, None))
        return Location(section, field, line, col, self.source)

    def use(self, el: ET.Element, *attrs: str) -> ET.Element:
        self.used.add(id(el))
        self.used_attrs.update((id(el), a) for a in attrs)
        return el

    def get(self, el: ET.Element, attr: str, default: str = "") -> str:
        self.used_attrs.add((id(el), attr))
        return el.get(attr, default)

    def child(self, el: ET.Element | None, tag: str) -> ET.Element | None:
        found = el.find(tag) if el is not None else None
        return self.use(found) if found is not None else None

    def children(self, el: ET.Element | None, container: str, tag: str) -> list[ET.Element]:
        box = self.child(el, container)
        return [self.use(c) for c in box.findall(tag)] if box is not None else []

    def number(self, text: str, el: ET.Element, section: str, field: str) -> int | None:
        if not text.strip():
            return None
        try:
            return int(text.strip())
        except ValueError:
            raise XMLFormatError(
                f"{field} must be a whole number, got {text!r}",
                self.loc(el, section, field),
                snippet=self._snippet(el),
            ) from None

    def _snippet(self, el: ET.Element) -> str | None:
        line, col = self.pos.get(id(el), (None, None))
        return caret_snippet(self.text, line, col) if line else None

    def build(self, el: ET.Element, make: Callable[[], Any]) -> Any:
        """Construct a model part, pinning a ModelError/LimitError to the element's line."""
        try:
            return make()
        except ModelError as err:
            where = err.location or Location()
            raise type(err)(
                err.message,
                self.loc(el, where.section, where.field),
                hint=err.hint,
                snippet=self._snippet(el),
            ) from err


class _Params:
    """The ``<Parameter>`` children of one scenario or request: settings and Father groups."""

    def __init__(self, tree: _Tree, owner: ET.Element | None) -> None:
        self.tree = tree
        self.plain: dict[str, ET.Element] = {}
        self.groups: dict[str, list[ET.Element]] = {}
        box = tree.child(owner, "Parameters")
        for p in box.findall("Parameter") if box is not None else []:
            father = p.get("Father")
            if father:
                self.groups.setdefault(father, []).append(p)
                continue
            earlier = self.plain.get(p.get("Name", ""))
            if earlier is not None:
                tree.use(earlier, *earlier.attrib)  # duplicate: the last one wins
            self.plain[p.get("Name", "")] = p

    def el(self, name: str) -> ET.Element | None:
        p = self.plain.get(name)
        return self.tree.use(p, "Name", "Value") if p is not None else None

    def value(self, name: str, default: str = "") -> str:
        p = self.el(name)
        return p.get("Value", default) if p is not None else default

    def flag(self, name: str, default: bool = False) -> bool:
        p = self.el(name)
        return p.get("Value", "").strip() == "1" if p is not None else default

    def group(self, father: str) -> list[ET.Element]:
        return [self.tree.use(p, "Father") for p in self.groups.get(father, [])]

    def by_type(self, type_: str) -> ET.Element | None:
        """The plain parameter of Type ``type_`` (a request's ``Data``/``Body``)."""
        found = [p for p in self.plain.values() if p.get("Type") == type_]
        return self.tree.use(found[-1], "Name", "Type", "Value") if found else None


def _reverse(table: dict[Any, str], text: str, section: str, field: str) -> Any:
    """The model value a file spelling stands for (model spellings are accepted too); an unknown
    spelling is refused listing the file's own spellings."""
    for value, spelled in table.items():
        if text.strip().lower() in (spelled.lower(), str(value).lower()):
            return value
    raise ModelError(f"unknown {field} {text!r}; a template file spells it as one of "
                     + ", ".join(repr(v) for v in table.values()), Location(section, field))


def _read_outputs(tree: _Tree, request: ET.Element | None, *, chained: bool = True,
                  ) -> tuple[dict[str, ET.Element], str]:
    """Name -> Output element (not yet marked read), and the Outputs' ``Next`` when the model
    keeps it (``chained``); otherwise ``Next`` stays an extra."""
    box = tree.child(request, "Outputs")
    if box is None:
        return {}, ""
    outputs: dict[str, ET.Element] = {}
    for o in box.findall("Output"):
        earlier = outputs.get(o.get("Name", ""))
        if earlier is not None:
            tree.use(earlier, *earlier.attrib)  # duplicate: the last one wins, as for parameters
        outputs[o.get("Name", "")] = o
    return outputs, tree.get(box, "Next") if chained else ""


def _take(tree: _Tree, outputs: dict[str, ET.Element], name: str) -> str | None:
    o = outputs.get(name)
    if o is None:
        return None
    tree.use(o, "Name", "Path")
    return o.get("Path", "")


def _request_common(tree: _Tree, request: ET.Element) -> tuple[str, str, str, _Params]:
    if request.get("ResponseType", _RESPONSE_TYPE) == _RESPONSE_TYPE:
        tree.get(request, "ResponseType")  # export writes it; any other value stays an extra
    params = _Params(tree, request)
    body = params.by_type("Body")
    return (
        tree.get(request, "Method"),  # the model keeps methods upper-case
        tree.get(request, "URLFormat"),
        body.get("Value", "") if body is not None else "",
        params,
    )


def _outputs(tree: _Tree, request: ET.Element | None) -> tuple[Output, ...]:
    outs, _ = _read_outputs(tree, request, chained=False)
    found = []
    for name, o in outs.items():
        tree.use(o, "Name", "Path")
        found.append(tree.build(o, lambda o=o, name=name: Output(name, o.get("Path", ""))))
    return tuple(found)


def _read_general(tree: _Tree, root: ET.Element) -> General:
    g = tree.get
    logo_name = g(root, "Logo")
    max_req = tree.number(g(root, "MaxConcurrentRequest"), root, "General", "Max Concurrent Request")
    return tree.build(root, lambda: General(
        name=g(root, "Name"),
        max_concurrent_requests=DEFAULT_MAX_CONCURRENT_REQUESTS if max_req is None else max_req,
        remark=g(root, "Remark"),
        logo=Logo(logo_name) if logo_name else None,
        key=g(root, "Key"),
        version=g(root, "Version", "1.0.0"),
        provider=g(root, "Provider", "helpdesk"),
    ))


def _read_auth(tree: _Tree, root: ET.Element, scenario: ET.Element | None) -> tuple[Auth, tuple[Header, ...]]:
    p = _Params(tree, scenario)
    auth_type = tree.get(root, "AuthType")
    method = p.value("AuthMethod") or auth_type or "none"
    fields, field_els = [], p.group("CustomFieldList")
    for f in field_els:
        editor = tree.get(f, "Editor", "string")
        ftype = tree.build(f, lambda editor=editor: _reverse(SPELLING["field_editor"], editor, "Authentication",
                                                             "Type"))
        if ftype is FieldType.PASSWORD:
            tree.get(f, "Value")  # a secret pasted into the file: dropped, never re-exported
        fields.append(tree.build(f, lambda f=f, ftype=ftype: CustomField(
            name=tree.get(f, "Name"),
            title=tree.get(f, "Title"),
            type=ftype,
            options=tuple(split_list(tree.get(f, SPELLING["field_options_attr"]))),
        )))
        tree.get(f, "Key")
    header_els = [h for h in p.group("PopulateTemplateString") if tree.get(h, "Type", "Header") == "Header"]
    headers = tuple(
        tree.build(h, lambda h=h: Header(tree.get(h, "Name"), tree.get(h, "Value"),
                                         tree.get(h, SPELLING["header_description_attr"])))
        for h in header_els
    )
    if len(header_els) > MAX_HEADERS:  # the model refuses them; name the first extra header's line
        tree.build(header_els[MAX_HEADERS], lambda: Template(headers=headers))
    names = SPELLING["oauth2"]
    no_refresh = any(
        tree.get(o, "Name") == "NoNeedRefreshAccessToken" and tree.get(o, "Value") == "1"
        for o in p.group("AuthOption")
    )
    interval = p.el(names["refresh_minutes"])
    minutes = None
    if interval is not None:
        minutes = tree.number(interval.get("Value", ""), interval, "Authentication", "Token Refresh Time (min)")
    invalid = tuple(tree.use(t, "Type", "Name").get("Value", "") for t in p.group("TokenErrorMap"))
    for t in p.group("TokenErrorMap"):
        tree.use(t, "Value")
    cred_el = p.el("CredentialType")
    cred = "username_password"
    if cred_el is not None and cred_el.get("Value", "").strip():
        cred = tree.build(cred_el, lambda: _reverse(SPELLING["credential_type"], cred_el.get("Value", ""),
                                                    "Authentication", "Credential Type"))
    anchor = scenario if scenario is not None else root
    if len(field_els) > MAX_CUSTOM_FIELDS:  # the model refuses them; name the first extra field's line
        anchor = field_els[MAX_CUSTOM_FIELDS]
    auth = tree.build(anchor, lambda: Auth(
        method=method,
        custom_fields=tuple(fields),
        basic=BasicAuth(
            credential_type=cred,
            credential_format=p.value("Base64EncodedCredential"),
        ),
        oauth2=OAuth2(
            authorization_endpoint=p.value("AuthEndPoint"),
            token_endpoint=p.value("TokenEndPoint"),
            content_type=p.value(names["content_type"]) or "application/x-www-form-urlencoded",
            scope=p.value("Scope"),
            additional_query=p.value("AdditionalQueryString"),
            refresh_method=p.value(names["refresh_method"]) or "POST",
            refresh_endpoint=p.value(names["refresh_endpoint"]),
            refresh_content_type=p.value(names["refresh_content_type"]) or "application/x-www-form-urlencoded",
            refresh_minutes=0 if no_refresh else minutes,
            refresh_body=p.value(names["refresh_body"]),
            token_type=p.value("TokenType", "Bearer"),
            token_invalid=invalid,
        ),
    ))
    return auth, headers


def _contact_outputs(tree: _Tree, outs: dict[str, ET.Element], popup: str) -> dict[str, ET.Element]:
    """Model field (or the popup output) -> the Output element that maps it, marked read."""
    found: dict[str, ET.Element] = {}
    for name, out_name in CONTACT_OUTPUTS.items():
        aliases = CONTACT_ID_ALIASES if name == "contact_id" else (out_name,)
        for alias in aliases:
            if alias in outs and _take(tree, outs, alias) and name not in found:
                found[name] = outs[alias]
    if popup and popup in outs:
        _take(tree, outs, popup)
        found[popup] = outs[popup]
    return found


def _same_mapping(tree: _Tree, types: list[tuple[ET.Element, dict[str, ET.Element]]]) -> None:
    """Refuse contact types that map the contact fields differently.

    The product has one Contact Field Mapping for all contact types and writes it into every
    contact request; a file whose requests differ cannot be modelled without losing one of them.
    """
    (first, expected), others = types[0], types[1:]
    for request, found in others:
        for name in sorted(expected.keys() | found.keys()):
            want = expected[name].get("Path", "") if name in expected else None
            got = found[name].get("Path", "") if name in found else None
            if want == got:
                continue
            el = found.get(name, request)
            output = CONTACT_OUTPUTS.get(name, name)
            raise XMLFormatError(
                f"contact type {request.get('Name', '')!r} maps {output} to "
                f"{'nothing' if got is None else repr(got)} but contact type {first.get('Name', '')!r} "
                f"maps it to {'nothing' if want is None else repr(want)}; a template has one Contact "
                "Field Mapping for all contact types",
                tree.loc(el, "Contact Search", "Contact Field Mapping"),
                snippet=tree._snippet(el),
                hint="give every contact request the same <Output> elements",
            )


def _read_contact_search(tree: _Tree, scenario: ET.Element | None) -> ContactSearch:
    p = _Params(tree, scenario)
    popup_output = p.value("ContactFieldForUri")
    types, mappings = [], []
    for r in tree.children(scenario, "Requests", "Request"):
        outs, nxt = _read_outputs(tree, r)
        mappings.append((r, _contact_outputs(tree, outs, popup_output)))
        if not r.attrib:  # a draft's mapping, written while it has no contact type yet
            continue
        method, url, _, _ = _request_common(tree, r)
        types.append(tree.build(r, lambda r=r, method=method, url=url, nxt=nxt: ContactType(
            name=tree.get(r, "Name"), url=url, method=method or "GET", next=nxt)))
    if mappings:
        _same_mapping(tree, mappings)
    found = mappings[0][1] if mappings else {}
    # the popup URL is an output of every contact request (4.2); keep its path
    field_for_uri = found[popup_output].get("Path", "") if popup_output in found else popup_output
    mode_el = p.el("ContactUrlType")
    mode = PopupMode.URL_FORMAT
    if mode_el is not None:
        mode = tree.build(mode_el, lambda: _reverse(SPELLING["popup_mode"], mode_el.get("Value", ""),
                                                    "Contact Search", "Contact Popup URL"))
    fields = {
        name: FieldMapping(p.flag(f"{out_name}Enable"), found[name].get("Path", "") if name in found else "")
        for name, out_name in CONTACT_OUTPUTS.items()
    }
    anchor = scenario if scenario is not None else tree.root
    return tree.build(anchor, lambda: ContactSearch(
        contact_types=tuple(types),
        popup=Popup(mode=mode, url_format=p.value("URLFormat"), contact_field_path=field_for_uri),
        fields=ContactFields(**fields),
    ))


def _read_users(tree: _Tree, enabled: bool, scenario: ET.Element | None) -> UserAssociation:
    p = _Params(tree, scenario)
    pag: dict[str, Any] = {}
    named = {tree.get(e, "Name"): e for e in p.group(SPELLING["pagination_father"])}
    for field_name, xml_name in SPELLING["pagination"].items():
        e = named.get(xml_name)
        if e is None:
            continue
        value = tree.get(e, "Value")
        if field_name == "mode":
            pag[field_name] = PaginationMode.DISABLED if not value.strip() else tree.build(
                e, lambda value=value: _reverse(SPELLING["pagination_mode"], value, "User Association",
                                                "Pagination Type"))
        elif field_name in ("page_start", "size", "offset_start", "limit"):
            pag[field_name] = tree.number(value, e, "User Association", f"Pagination {xml_name}")
        else:
            pag[field_name] = value
    requests = tree.children(scenario, "Requests", "Request")
    method, url = "GET", ""
    paths: dict[str, str] = {}
    if requests:
        _default_name(tree, requests[0], "UserAssociation")
        method, url, _, _ = _request_common(tree, requests[0])
        outs, _ = _read_outputs(tree, requests[0])
        paths = {k: _take(tree, outs, v) or "" for k, v in USER_OUTPUTS.items()}
    anchor = scenario if scenario is not None else tree.root
    return tree.build(anchor, lambda: UserAssociation(
        enabled=enabled, url=url, method=method or "GET",
        pagination=Pagination(**pag), fields=UserFields(**paths),
    ))


def _read_follow_ups(tree: _Tree, scenario: ET.Element | None) -> tuple[FollowUpRequest, ...]:
    found = []
    for r in tree.children(scenario, "Requests", "Request"):
        method, url, body, params = _request_common(tree, r)
        event = params.value(SPELLING["follow_up_event"]) or None
        headers_el = params.el(SPELLING["follow_up_headers"])
        if headers_el is not None:
            tree.get(headers_el, "Type")
        box = tree.child(r, "Outputs")
        nxt = tree.get(box, "Next") if box is not None else ""
        pairs = [(o.get("Name"), o.get("Path")) for o in box.findall("Output")] if box is not None else []
        for o in box.findall("Output") if box is not None else []:
            tree.use(o, "Name", "Path")
        found.append(tree.build(r, lambda r=r, m=method, u=url, b=body, e=event, h=headers_el,
                                pairs=pairs, nxt=nxt: FollowUpRequest(
            name=tree.get(r, "Name"), event=e, method=m or "GET", url=u,
            headers=h.get("Value", "") if h is not None else "", body=b,
            response_paths=",".join(path for _, path in pairs if path is not None),
            target_variables=",".join(name for name, _ in pairs if name is not None), next=nxt,
        )))
    return tuple(found)


def _read_creation(tree: _Tree, enabled: bool, scenario: ET.Element | None) -> ContactCreation:
    types = []
    for r in tree.children(scenario, "Requests", "Request"):
        method, url, body, _ = _request_common(tree, r)
        outputs = _outputs(tree, r)
        types.append(tree.build(r, lambda r=r, m=method, u=url, b=body, o=outputs: CreationType(
            name=tree.get(r, "Name"), url=u, body=b, method=m or "POST", outputs=o)))
    return ContactCreation(enabled=enabled, contact_types=tuple(types))


def _option(p: _Params, name: str, enable: str | None = None) -> CallOption:
    return CallOption(p.flag(enable or f"Enable{name}"), p.value(name))


def _default_name(tree: _Tree, request: ET.Element, default: str) -> None:
    """A single-request scenario's request name is export's default, or kept as an extra."""
    if request.get("Name") == default:
        tree.get(request, "Name")


def _first_request(tree: _Tree, scenario: ET.Element | None) -> tuple[str, str, str, tuple[Output, ...]]:
    requests = tree.children(scenario, "Requests", "Request")
    if not requests:
        return "POST", "", "", ()
    _default_name(tree, requests[0], scenario.get("Id", "") if scenario is not None else "")
    method, url, body, _ = _request_common(tree, requests[0])
    # further requests (the sample's UpdateTicket) stay as extras, written back after the first
    for extra in requests[1:]:
        tree.used.discard(id(extra))
    return method or "POST", url, body, _outputs(tree, requests[0])


def _read_journal(tree: _Tree, enabled: bool, scenario: ET.Element | None) -> CallJournal:
    p = _Params(tree, scenario)
    method, url, body, outputs = _first_request(tree, scenario)
    enable_hide, hide = SPELLING["hide_missed"]
    return CallJournal(
        enabled=enabled, url=url, body=body, method=method,
        subject=_option(p, "Subject"), description=_option(p, "Description"),
        play_recording=_option(p, "PlayCallRecording"),
        hide_missed_for_unanswered=_option(p, hide, enable_hide),
        need_contact_match=p.flag("NeedSyncContact", True), outputs=outputs,
    )


def _read_ticket(tree: _Tree, enabled: bool, scenario: ET.Element | None) -> NewTicket:
    p = _Params(tree, scenario)
    method, url, body, outputs = _first_request(tree, scenario)
    return NewTicket(
        enabled=enabled, url=url, body=body, method=method,
        subject=_option(p, "Subject"), description=_option(p, "Description"),
        need_contact_match=p.flag("NeedSyncContact", True), outputs=outputs,
    )


# --------------------------------------------------------------------------- extras


def _paths(root: ET.Element) -> dict[int, str]:
    """A stable logical path for every element, the same on import and export."""
    paths = {id(root): "Information"}

    def walk(el: ET.Element, path: str) -> None:
        index = 0
        for child in el:
            if child.tag == "Scenario":
                child_path = f"Scenario[{child.get('Id', '')}]"
            elif child.tag == "Request":
                index += 1
                child_path = f"{path.removesuffix('/Requests')}/Request[{index}]"
            elif child.tag == "Scenarios":
                child_path = "Scenarios"
            elif child.tag in ("Parameter", "Output"):
                child_path = f"{path}/{child.tag}[{child.get('Name', '')}]"
            else:
                child_path = f"{path}/{child.tag}"
            paths[id(child)] = child_path
            walk(child, child_path)

    walk(root, "Information")
    return paths


def _literal_secret(el: ET.Element, attr: str, value: str) -> bool:
    """A parameter whose name says secret, holding a literal value rather than a template."""
    return (el.tag == "Parameter" and attr == "Value" and "{{" not in value and bool(value.strip())
            and is_secret_name(el.get("Name", "")))


def _clean_copy(el: ET.Element) -> ET.Element:
    """A copy without layout whitespace (so extras compare equal after a pretty-printed trip)
    and without literal secrets (so they are never exported)."""
    copy = ET.Element(el.tag, {k: v for k, v in el.attrib.items() if not _literal_secret(el, k, v)})
    copy.text = el.text if el.text and el.text.strip() else None
    for child in el:
        c = _clean_copy(child)
        c.tail = child.tail if child.tail and child.tail.strip() else None
        copy.append(c)
    return copy


def _collect_extras(tree: _Tree) -> tuple[Extra, ...]:
    paths = _paths(tree.root)
    extras: list[Extra] = []
    tree.use(tree.root)

    def walk(el: ET.Element) -> None:
        for name, value in el.attrib.items():
            if (id(el), name) not in tree.used_attrs and not _literal_secret(el, name, value):
                extras.append(Extra(f"{paths[id(el)]}/@{name}", value))
        for child in el:
            if id(child) in tree.used:
                walk(child)
            else:
                extras.append(Extra(paths[id(el)], ET.tostring(_clean_copy(child), encoding="unicode")))

    walk(tree.root)
    return tuple(sorted(extras, key=lambda e: e.where))  # stable: document order per place


# --------------------------------------------------------------------------- public: import


def from_xml(data: str | bytes, source: str | None = None) -> Template:
    """Read a Yeastar template. Raises XMLFormatError / ModelError / LimitError with file positions."""
    if isinstance(data, str):  # already text: its encoding declaration no longer applies
        tree = _Tree(data.encode("utf-8"), source, encoding="utf-8")
    else:
        tree = _Tree(data, source)
    root = tree.root
    if root.tag != "Information":
        raise XMLFormatError(
            f"not a Yeastar template: the root element is <{root.tag}>, expected <Information>",
            tree.loc(root),
        )
    tree.child(root, "Parameters")
    scenarios: dict[str, ET.Element] = {}
    for s in tree.children(root, "Scenarios", "Scenario"):
        sid = tree.get(s, "Id")
        if sid in scenarios:  # which one the PBX would use is unknown: refuse, lose neither
            line, _ = tree.pos[id(scenarios[sid])]
            raise XMLFormatError(
                f"scenario {sid!r} appears twice (first on line {line}); a template has one of each",
                tree.loc(s), snippet=tree._snippet(s), hint="merge the two scenarios into one",
            )
        if sid in _READERS or sid == "AuthMethod":
            tree.get(s, "Type")
            for container in ("Presets", "Parameters", "Requests", "Responses"):
                tree.child(s, container)
            scenarios[sid] = s
        else:
            tree.used.discard(id(s))
    switch = {name: tree.get(root, name).strip() == "1" for name in _SWITCHES}
    general = _read_general(tree, root)
    auth, headers = _read_auth(tree, root, scenarios.get("AuthMethod"))
    parts = {sid: read(tree, switch, scenarios.get(sid)) for sid, read in _READERS.items()}
    return tree.build(root, lambda: Template(
        general=general,
        auth=auth,
        headers=headers,
        user_association=parts["UserAssociation"],
        follow_ups=parts["Common"],
        contact_search=parts["SyncContactAuto"],
        contact_creation=parts["CreateNewContact"],
        call_journal=parts["CallJournal"],
        new_ticket=parts["CreateNewTicket"],
        extras=_collect_extras(tree),
    ))


_READERS: dict[str, Callable[[_Tree, dict[str, bool], ET.Element | None], Any]] = {
    "SyncContactAuto": lambda t, sw, s: _read_contact_search(t, s),
    "UserAssociation": lambda t, sw, s: _read_users(t, sw["UserAssociation"], s),
    "CreateNewContact": lambda t, sw, s: _read_creation(t, sw["CreateNewContact"], s),
    "CallJournal": lambda t, sw, s: _read_journal(t, sw["CallJournal"], s),
    "CreateNewTicket": lambda t, sw, s: _read_ticket(t, sw["CreateNewTicket"], s),
    "Common": lambda t, sw, s: _read_follow_ups(t, s),
}


def load(path: str | os.PathLike[str]) -> Template:
    """Read a template file; a logo file named by the template and lying beside it is loaded too."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise XMLFormatError(f"cannot read template file: {err.strerror}", Location(source=str(path))) from err
    template = from_xml(data, source=str(path))
    logo = template.general.logo
    beside = path.parent / logo.filename if logo else None
    if logo and beside and beside.is_file():
        from dataclasses import replace

        loaded = _pin(lambda: Logo(logo.filename, beside.read_bytes()), str(beside))
        template = replace(template, general=replace(template.general, logo=loaded))
    return template


def _pin(make: Callable[[], Any], source: str) -> Any:
    try:
        return make()
    except ModelError as err:
        where = err.location or Location()
        raise type(err)(err.message, Location(where.section, where.field, source=source)) from err


# =========================================================================== writing


def _b(flag: bool) -> str:
    return "1" if flag else "0"


def _param(parent: ET.Element, name: str, value: str | None = "", **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, "Parameter")
    if "Father" in attrs:
        el.set("Father", attrs.pop("Father"))
    el.set("Name", name)
    for k, v in attrs.items():
        el.set(k, v)
    if value is not None:
        el.set("Value", value)
    return el


def _scenario(scenarios: ET.Element, sid: str, type_: str = "REST") -> tuple[ET.Element, ET.Element, ET.Element]:
    s = ET.SubElement(scenarios, "Scenario", {"Id": sid, "Type": type_})
    ET.SubElement(s, "Presets")
    params = ET.SubElement(s, "Parameters")
    requests = ET.SubElement(s, "Requests")
    return s, params, requests


def _request(requests: ET.Element, name: str, method: str, url: str, body: str = "",
             outputs: Sequence[tuple[str | None, str | None]] = (), next_: str = "") -> ET.Element:
    r = ET.SubElement(requests, "Request", {"Name": name, "Method": method,
                                            "ResponseType": _RESPONSE_TYPE, "URLFormat": url})
    params = ET.SubElement(r, "Parameters")
    if body:
        _param(params, "Data", body, Type="Body")
    outs = ET.SubElement(r, "Outputs")
    if next_:
        outs.set("Next", next_)
    for name_, path in outputs:  # None: an unpaired path or variable, written alone
        attrs = {"Name": name_, "Path": path}
        ET.SubElement(outs, "Output", {k: v for k, v in attrs.items() if v is not None})
    return r


def _write_auth(scenarios: ET.Element, t: Template) -> None:
    auth, o = t.auth, t.auth.oauth2
    names = SPELLING["oauth2"]
    s, p, _ = _scenario(scenarios, "AuthMethod", "AUTH")
    _param(p, "AuthMethod", auth.method.value)
    _param(p, "TokenType", o.token_type)
    _param(p, "AuthEndPoint", o.authorization_endpoint)
    _param(p, "TokenEndPoint", o.token_endpoint)
    _param(p, names["content_type"], o.content_type.value)
    _param(p, "AdditionalQueryString", o.additional_query)
    _param(p, "Scope", o.scope)
    _param(p, names["refresh_method"], o.refresh_method)
    _param(p, names["refresh_endpoint"], o.refresh_endpoint)
    _param(p, names["refresh_content_type"], o.refresh_content_type.value)
    if o.refresh_minutes == 0:
        _param(p, "NoNeedRefreshAccessToken", "1", Father="AuthOption")
    else:
        _param(p, names["refresh_minutes"], "" if o.refresh_minutes is None else str(o.refresh_minutes))
    _param(p, names["refresh_body"], o.refresh_body)
    for text in o.token_invalid:
        _param(p, "TokenInvalid", text, Father="TokenErrorMap", Type="TokenInvalid")
    _param(p, "CredentialType", SPELLING["credential_type"][auth.basic.credential_type.value])
    _param(p, "Base64EncodedCredential", auth.basic.credential_format)
    for f in auth.custom_fields:
        extra = {SPELLING["field_options_attr"]: ",".join(f.options)} if f.options else {}
        _param(p, f.name, None, Father="CustomFieldList", Editor=SPELLING["field_editor"][f.type],
               Title=f.title, Key=f.name, **extra)
    for h in t.headers:
        extra = {SPELLING["header_description_attr"]: h.description} if h.description else {}
        _param(p, h.name, h.value, Father="PopulateTemplateString", Type="Header", **extra)
    ET.SubElement(s, "Responses")


def _write_contact_search(scenarios: ET.Element, cs: ContactSearch) -> None:
    _, p, requests = _scenario(scenarios, "SyncContactAuto")
    popup_out = SPELLING["popup_output"] if cs.popup.contact_field_path else ""
    _param(p, "ContactUrlType", SPELLING["popup_mode"][cs.popup.mode])
    _param(p, "URLFormat", cs.popup.url_format)
    _param(p, "ContactFieldForUri", popup_out)
    for name, mapping in cs.fields.items():
        _param(p, f"{CONTACT_OUTPUTS[name]}Enable", _b(mapping.enabled))
    outputs = [(CONTACT_OUTPUTS[n], m.path) for n, m in cs.fields.items() if m.path]
    if popup_out:
        outputs.append((popup_out, cs.popup.contact_field_path))
    for ct in cs.contact_types:
        _request(requests, ct.name, ct.method, ct.url, outputs=outputs, next_=ct.next)
    if outputs and not cs.contact_types:  # a draft: keep its mapping in a request of no type
        outs = ET.SubElement(ET.SubElement(requests, "Request"), "Outputs")
        for name, path in outputs:
            ET.SubElement(outs, "Output", {"Name": name, "Path": path})


def _write_users(scenarios: ET.Element, ua: UserAssociation) -> None:
    _, p, requests = _scenario(scenarios, "UserAssociation")
    pag = ua.pagination
    for field_name, xml_name in SPELLING["pagination"].items():
        value = getattr(pag, field_name)
        if field_name == "mode":
            value = SPELLING["pagination_mode"][value]
        if value not in (None, ""):
            _param(p, xml_name, str(value), Father=SPELLING["pagination_father"])
    outputs = [(USER_OUTPUTS[k], getattr(ua.fields, k)) for k in USER_OUTPUTS if getattr(ua.fields, k)]
    _request(requests, "UserAssociation", ua.method, ua.url, outputs=outputs)


def _write_follow_ups(scenarios: ET.Element, follow_ups: tuple[FollowUpRequest, ...]) -> None:
    _, _, requests = _scenario(scenarios, "Common")
    for f in follow_ups:
        pairs = list(zip_longest(f.variables(), f.paths()))  # unpaired items are kept too
        r = _request(requests, f.name, f.method, f.url, f.body, pairs, f.next)
        params = r.find("Parameters")
        if f.event is not None:
            _param(params, SPELLING["follow_up_event"], f.event.value)
        if f.headers:
            _param(params, SPELLING["follow_up_headers"], f.headers, Type="Header")


def _write_creation(scenarios: ET.Element, cc: ContactCreation) -> None:
    _, _, requests = _scenario(scenarios, "CreateNewContact")
    for ct in cc.contact_types:
        _request(requests, ct.name, ct.method, ct.url, ct.body, [(o.name, o.path) for o in ct.outputs])


def _write_options(p: ET.Element, options: list[tuple[str, str, CallOption]], need_match: bool) -> None:
    for enable, name, option in options:
        _param(p, enable, _b(option.enabled))
        _param(p, name, option.default)
    _param(p, "NeedSyncContact", _b(need_match))


def _write_journal(scenarios: ET.Element, cj: CallJournal) -> None:
    _, p, requests = _scenario(scenarios, "CallJournal")
    enable_hide, hide = SPELLING["hide_missed"]
    _write_options(p, [
        ("EnableSubject", "Subject", cj.subject),
        ("EnableDescription", "Description", cj.description),
        ("EnablePlayCallRecording", "PlayCallRecording", cj.play_recording),
        (enable_hide, hide, cj.hide_missed_for_unanswered),
    ], cj.need_contact_match)
    _request(requests, "CallJournal", cj.method, cj.url, cj.body, [(o.name, o.path) for o in cj.outputs])


def _write_ticket(scenarios: ET.Element, nt: NewTicket) -> None:
    _, p, requests = _scenario(scenarios, "CreateNewTicket")
    _write_options(p, [
        ("EnableSubject", "Subject", nt.subject),
        ("EnableDescription", "Description", nt.description),
    ], nt.need_contact_match)
    _request(requests, "CreateNewTicket", nt.method, nt.url, nt.body, [(o.name, o.path) for o in nt.outputs])


def _differs(section: Any) -> bool:
    """Whether an optional section holds anything beyond its switch (so it must be written)."""
    return section.enabled or section != type(section)(enabled=section.enabled)


def _ensure(root: ET.Element, where: str, index: dict[str, ET.Element]) -> ET.Element:
    """The element at logical path ``where``, created (empty) when export did not write it."""
    if where in index:
        return index[where]
    parent_path, _, last = where.rpartition("/")
    if last.startswith("Scenario["):
        ET.SubElement(index["Scenarios"], "Scenario", {"Id": last[9:-1], "Type": "REST"})
    elif last.startswith("Request["):
        requests = _ensure(root, f"{parent_path}/Requests", index)
        while len(requests.findall("Request")) < int(last[8:-1]):
            ET.SubElement(requests, "Request")
    else:
        ET.SubElement(_ensure(root, parent_path, index), last)
    index.update(_index(root))
    return index[where]


def _index(root: ET.Element) -> dict[str, ET.Element]:
    """Logical path -> element; the first element wins where a path repeats."""
    by_id = {id(e): e for e in root.iter()}
    index: dict[str, ET.Element] = {}
    for i, p in _paths(root).items():
        index.setdefault(p, by_id[i])
    return index


def _write_extras(root: ET.Element, extras: tuple[Extra, ...]) -> None:
    index = _index(root)
    for extra in extras:
        where, _, attr = extra.where.partition("/@")
        el = _ensure(root, where, index)
        if attr:
            el.set(attr, extra.xml)
        else:
            el.append(ET.fromstring(extra.xml))


def to_xml(template: Template) -> str:
    """The template as Yeastar XML text (UTF-8 declaration, 2-space indent, entities escaped)."""
    g = template.general
    root = ET.Element("Information", {
        "Provider": g.provider.value,
        "Name": g.name,
        "Key": g.key,
        "Logo": g.logo.filename if g.logo else "",
        "Remark": g.remark,
        "Version": g.version,
        "AuthType": template.auth.method.value,
        "MaxConcurrentRequest": str(g.max_concurrent_requests),
        "UserAssociation": _b(template.user_association.enabled),
        "CallJournal": _b(template.call_journal.enabled),
        "CreateNewContact": _b(template.contact_creation.enabled),
        "CreateNewTicket": _b(template.new_ticket.enabled),
    })
    ET.SubElement(root, "Parameters")
    scenarios = ET.SubElement(root, "Scenarios")
    _write_auth(scenarios, template)
    _write_contact_search(scenarios, template.contact_search)
    if _differs(template.user_association):
        _write_users(scenarios, template.user_association)
    if template.follow_ups:
        _write_follow_ups(scenarios, template.follow_ups)
    if _differs(template.contact_creation):
        _write_creation(scenarios, template.contact_creation)
    if _differs(template.call_journal):
        _write_journal(scenarios, template.call_journal)
    if _differs(template.new_ticket):
        _write_ticket(scenarios, template.new_ticket)
    _write_extras(root, template.extras)
    ET.indent(root, "  ")
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    # ElementTree writes &#10; &#13; &#09;; the format reference's sample uses the hex forms.
    text = text.replace("&#10;", "&#xA;").replace("&#13;", "&#xD;").replace("&#09;", "&#x9;")
    return _DECLARATION + text + "\n"


def save(template: Template, path: str | os.PathLike[str], *, check: bool = True) -> None:
    """Write the template atomically; refuses (ValidationFailed) while validation finds errors.

    A loaded logo is written beside the file under its own name.
    """
    if check:
        from hdkit.validate import validate

        problems = validate(template)
        n_errors = sum(p.is_error for p in problems)
        if n_errors:
            raise ValidationFailed(f"{n_errors} error(s); not exported", problems)
    path = Path(path)
    if path.is_dir():  # os.replace would report a busy device, not the real mistake
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    _atomic_write(path, to_xml(template).encode("utf-8"))
    logo = template.general.logo
    if logo and logo.data:
        _atomic_write(path.parent / logo.filename, logo.data)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
