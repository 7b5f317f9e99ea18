"""Yeastar template XML -> :class:`~hdkit.model.Template` (:func:`from_xml`, :func:`load`).

Import parses with ``defusedxml`` (entity expansion and external entities are refused with one
:class:`~hdkit.errors.XMLFormatError`), accepts XML 1.0 and 1.1 declarations and both empty
element forms, lets the last of duplicate parameters and outputs win, and keeps every element or
attribute it does not understand as an :class:`~hdkit.model.Extra` that export writes back in
place. What the model cannot hold without losing part of it is refused with its line instead of
half read: a scenario given twice, or contact types whose outputs map the contact fields
differently (the product has one Contact Field Mapping for all contact types).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hdkit.errors import Location, ModelError, XMLFormatError
from hdkit.limits import DEFAULT_MAX_CONCURRENT_REQUESTS, MAX_CUSTOM_FIELDS, MAX_HEADERS
from hdkit.model import (
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

from .document import _Params, _Tree
from .extras import _collect_extras
from .spelling import _RESPONSE_TYPE, CONTACT_ID_ALIASES, CONTACT_OUTPUTS, SPELLING, USER_OUTPUTS

_SWITCHES = ("UserAssociation", "CallJournal", "CreateNewContact", "CreateNewTicket")


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
