"""Yeastar template XML -> :class:`~hdkit.model.Template` (:func:`from_xml`, :func:`load`).

Import parses with ``defusedxml`` (entity expansion and external entities are refused with one
:class:`~hdkit.errors.XMLFormatError`), accepts XML 1.0 and 1.1 declarations and both empty
element forms, and reads every spelling :data:`~.spelling.SPELLING` lists. Nothing read is
dropped but pasted secrets (a Password Input's value, a client secret, an issued token: each
named in a warning with its line):

* every request of every scenario is kept whole (:class:`~hdkit.model.Request`): method, URL,
  body, every other parameter and output with all their attributes, ``Next``;
* a value hdkit does not know (a pop-up mode, a credential type) is kept verbatim
  (:class:`~hdkit.model.Unrecognized`) and written back unchanged; validation warns about it;
* an element or attribute the readers do not use is kept as an :class:`~hdkit.model.Extra`
  and written back where it was; of duplicated settings the last one counts, the others are
  kept that way;
* the file's spelling, the warnings and the line of each part are kept in the template's
  :class:`~hdkit.model.FileRecord`, so export writes the file back as it came and validation
  names file lines.

Refused, with the line: malformed or unsafe XML, a root other than ``<Information>``, a number
that is not one, a scenario given twice (which one the PBX uses is unknown), and what the model
itself refuses (a 6th custom field, a 21st header, a logo that is no PNG/JPG).
"""

from __future__ import annotations

import dataclasses
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from hdkit import arguments, fileio, limits
from hdkit.errors import ArgumentError, LimitError, Location, ModelError, XMLFormatError
from hdkit.limits import MAX_CUSTOM_FIELDS, MAX_HEADERS
from hdkit.model import (
    Auth,
    CallJournal,
    ContactCreation,
    ContactSearch,
    ContactType,
    CreationType,
    CustomField,
    CustomVariable,
    FieldType,
    FileRecord,
    FollowUpRequest,
    General,
    Header,
    KeywordSearch,
    Logo,
    NewTicket,
    Output,
    Param,
    Part,
    Request,
    Template,
    UserAssociation,
    field_info,
    split_list,
)
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

from .document import _Tree
from .extras import collect, dropped, kept_secrets, secret_value
from .layout import Spelling
from .spelling import FIRST_METHOD, SPELLING, flag_note, parse_value

_SWITCHES = {"UserAssociation": USER_ASSOCIATION, "CallJournal": CALL_JOURNAL, "CreateNewContact": CONTACT_CREATION,
             "CreateNewTicket": NEW_TICKET}
_REQUEST_ATTRS = ("Name", "Method", "URLFormat", "ResponseType")
_VERSION = re.compile(rb"""<\?xml[^>]*?version\s*=\s*["']([^"']+)["']""")


def _get(part: Any, path: str) -> Any:
    for name in path.split("."):
        part = getattr(part, name)
    return part


def _title(cls: type, path: str) -> str:
    """The form title of a dotted setting path (``popup.mode`` -> "Contact Popup URL")."""
    *parents, leaf = path.split(".")
    part = cls()
    for name in parents:
        part = getattr(part, name)
    return field_info(part, leaf).title


def _nest(values: dict[str, Any]) -> dict[str, Any]:
    """``{"oauth2.scope": x}`` -> ``{"oauth2": {"scope": x}}`` (nested parts build from mappings)."""
    out: dict[str, Any] = {}
    for path, value in values.items():
        *parents, leaf = path.split(".")
        level = out
        for name in parents:
            level = level.setdefault(name, {})
        level[leaf] = value
    return out


class _Reader:
    """One import: the parsed file, what each read element is (its key), warnings, positions."""

    def __init__(self, tree: _Tree) -> None:
        self.tree = tree
        self.keys: dict[int, str] = {}
        self.notes: list[Problem] = list(tree.notes)
        self.positions: dict[tuple[str | None, str | None], tuple[int, int]] = {}

    # -- bookkeeping -----------------------------------------------------------------------

    def mark(self, el: ET.Element, key: str, section: str | None = None, field: str | None = None,
             *attrs: str) -> ET.Element:
        """Element ``el`` is read as ``key`` (and is where the form's ``section > field`` sits)."""
        self.tree.use(el, *attrs)
        self.keys[id(el)] = key
        if section is not None and id(el) in self.tree.pos:
            self.positions.setdefault((section, field), self.tree.pos[id(el)])
        return el

    def container(self, owner: ET.Element | None, tag: str) -> ET.Element | None:
        """The first ``<tag>`` child of ``owner`` (a second one is kept unread)."""
        return self.tree.child(owner, tag)

    def drop(self, el: ET.Element) -> str:
        """A pasted secret: not imported, never written back, said in a warning."""
        self.tree.use(el, "Value")
        self.tree.dropped.add((id(el), "Value"))
        self.notes.append(dropped(self.tree, el))
        return ""

    def note(self, message: str, el: ET.Element, code: str, section: str | None = None,
             field: str | None = None) -> None:
        line, column = self.tree.pos.get(id(el), (None, None))
        self.notes.append(Problem("warning", message, Location(section, field, line, column, self.tree.source),
                                  code=code))

    def switch_note(self, name: str, text: str, el: ET.Element, section: str, field: str | None) -> None:
        """A 0/1 switch spelled otherwise: said with its line (``true`` must not silently mean off)."""
        message = flag_note(name, text)
        if message is not None:
            self.note(message, el, "switch-value", section, field)

    # -- settings --------------------------------------------------------------------------

    def variables(self, scenario: ET.Element | None, section: str) -> tuple[CustomVariable, ...]:
        """The scenario's own variables (CustomScenarioParameter), in order."""
        box = self.container(scenario, "Parameters")
        found = []
        for i, el in enumerate(p for p in (box.findall("Parameter") if box is not None else [])
                               if p.get("Father") == SPELLING["variable_father"]):
            self.mark(el, f"var:{i}", section, CustomVariable.label(i + 1), "Father", "Name", "Value")
            found.append(self.tree.build(el, partial(CustomVariable, el.get("Name", ""), el.get("Value", ""))))
        return tuple(found)

    def settings(self, scenario: ET.Element | None, sid: str, cls: type, section: str) -> dict[str, Any]:
        """The scenario's settings (and its own variables) as a nested mapping for ``cls``
        (absent settings: the default)."""
        box = self.container(scenario, "Parameters")
        params = box.findall("Parameter") if box is not None else []
        blank = cls()
        values: dict[str, Any] = {}
        for s in SPELLING["settings"].get(sid, ()):
            found = [p for p in params if p.get("Name") in s.names and p.get("Father", "") in s.fathers]
            if not found:
                continue
            *earlier, p = found
            title = _title(cls, s.path)
            for e in earlier:
                self.note(f"{e.get('Name')} is given again on line {self.tree.pos[id(p)][0]}; the last one is "
                          "used, this one is kept as it is", e, "duplicate-setting", section, title)
            self.mark(p, f"set:{s.path}", section, title, "Name", "Father", "Value")
            if "Value" not in p.attrib:
                continue
            if s.kind == "flag":
                self.switch_note(p.get("Name", ""), p.get("Value", ""), p, section, title)
            try:
                values[s.path] = parse_value(s.kind, p.get("Value", ""), _get(blank, s.path))
            except ValueError as err:
                raise XMLFormatError(
                    f"{p.get('Name')} must be a whole number, got {p.get('Value')!r}: {err}",
                    self.tree.loc(p, section, title), snippet=self.tree._snippet(p),
                ) from None
        nested = _nest(values)
        if "variables" in {f.name for f in dataclasses.fields(cls)}:
            nested["variables"] = self.variables(scenario, section)
        return nested

    # -- requests --------------------------------------------------------------------------

    def requests(self, scenario: ET.Element | None, sid: str, cls: type[Part], section: str) -> tuple[Any, ...]:
        box = self.container(scenario, "Requests")
        found = []
        for i, el in enumerate(box.findall("Request") if box is not None else []):
            self.mark(el, f"request:{i}", section, cls.label(i + 1))
            kwargs = self.request(el, cls is FollowUpRequest, FIRST_METHOD[sid])
            found.append(self.tree.build(el, partial(cls, **kwargs)))
        return tuple(found)

    def request(self, el: ET.Element, follow_up: bool, method: str) -> dict[str, Any]:
        """A request's fields: everything it holds, in file order."""
        tree = self.tree
        tree.use(el, *_REQUEST_ATTRS, *el.attrib)
        kwargs: dict[str, Any] = {
            "name": el.get("Name", ""), "method": el.get("Method", method), "url": el.get("URLFormat", ""),
            "response_type": el.get("ResponseType", ""),
            "attrs": self.others(el, _REQUEST_ATTRS),
        }
        params: list[Param] = []
        box = self.container(el, "Parameters")
        for p in box.findall("Parameter") if box is not None else []:
            name, type_ = p.get("Name", ""), p.get("Type", "")
            if type_ == SPELLING["body"][1] and "body" not in kwargs:
                self.mark(p, "body", None, None, "Name", "Type", "Value")
                kwargs["body"] = p.get("Value", "")
            elif follow_up and name == SPELLING["follow_up_event"] and "event" not in kwargs:
                self.mark(p, "event", None, None, "Name", "Value")
                kwargs["event"] = parse_value("follow_up_event", p.get("Value", ""), None) or None
            elif follow_up and name == SPELLING["follow_up_headers"] and type_ == "Header" and "headers" not in kwargs:
                self.mark(p, "headers", None, None, "Name", "Type", "Value")
                kwargs["headers"] = p.get("Value", "")
            else:
                self.mark(p, f"param:{len(params)}", None, None, *p.attrib)
                value = p.get("Value", "")
                others = self.others(p, ("Name", "Type", "Value"))
                params.append(tree.build(p, partial(Param, name, value, type_, others)))
        kwargs["params"] = tuple(params)
        outputs: list[Output] = []
        box = self.container(el, "Outputs")
        if box is not None:
            kwargs["next"] = tree.get(box, "Next")
            for k, o in enumerate(box.findall("Output")):
                self.mark(o, f"output:{k}", None, None, *o.attrib)
                others = self.others(o, ("Name", "Path"))
                outputs.append(tree.build(o, partial(Output, o.get("Name", ""), o.get("Path", ""), others)))
        kwargs["outputs"] = tuple(outputs)
        return kwargs

    def others(self, el: ET.Element, fields: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """The attributes of ``el`` beyond its fields, kept in the model and written back; one
        named as a credential (``ApiKey="..."``) is dropped, one that only looks secret warned about."""
        kept = []
        for name, value in el.attrib.items():
            if name in fields:
                continue
            if secret_value(el, name):
                self.tree.dropped.add((id(el), name))
                self.notes.append(dropped(self.tree, el, name))
                continue
            kept_secrets(self.tree, el, [name], self.notes)
            kept.append((name, value))
        return tuple(kept)

    # -- sections --------------------------------------------------------------------------

    def general(self, root: ET.Element) -> General:
        g = self.tree.get
        logo_name = g(root, "Logo")
        max_req = self.tree.number(g(root, "MaxConcurrentRequest"), root, GENERAL, "Max Concurrent Request")
        values: dict[str, Any] = {"name": g(root, "Name"), "remark": g(root, "Remark"), "key": g(root, "Key"),
                                  "logo": {"filename": logo_name} if logo_name else None}
        if max_req is not None:
            values["max_concurrent_requests"] = max_req
        if "Version" in root.attrib:
            values["version"] = g(root, "Version")
        if "Provider" in root.attrib:
            values["provider"] = parse_value("provider", g(root, "Provider"), General().provider)
        return self.tree.build(root, lambda: General(**values))

    def auth(self, root: ET.Element, scenario: ET.Element | None) -> tuple[Auth, tuple[Header, ...]]:
        values = self.settings(scenario, "AuthMethod", Auth, AUTHENTICATION)
        auth_type = self.tree.get(root, "AuthType")
        if auth_type.strip():
            from_root = parse_value("auth_method", auth_type, Auth().method)
            if "method" in values and values["method"] != from_root:
                self.note(f"AuthType {auth_type!r} and the AuthMethod parameter {str(values['method'])!r} disagree; "
                          "hdkit uses the AuthMethod parameter and writes both back as read (a method set "
                          "later is written to both)",
                          root, "auth-type-mismatch", AUTHENTICATION, "Authentication Method")
            if "method" not in values:
                self.positions.setdefault((AUTHENTICATION, "Authentication Method"), self.tree.pos[id(root)])
                values["method"] = from_root
        box = self.container(scenario, "Parameters")
        params = box.findall("Parameter") if box is not None else []

        def group(father: str) -> list[ET.Element]:
            return [p for p in params if p.get("Father") == father]

        invalid = []
        father, type_, _ = SPELLING["token_invalid"]
        for i, el in enumerate(group(father)):
            self.mark(el, f"invalid:{i}", AUTHENTICATION, "Token Invalid Errors", "Father", "Type", "Name", "Value")
            invalid.append(el.get("Value", ""))
        if invalid:
            values.setdefault("oauth2", {})["token_invalid"] = tuple(invalid)
        field_els = group(SPELLING["custom_field_father"])
        values["custom_fields"] = tuple(self.custom_field(i, el) for i, el in enumerate(field_els))
        header_els = [h for h in group(SPELLING["header_father"]) if h.get("Type", SPELLING["header_type"])
                      == SPELLING["header_type"]]
        headers = tuple(self.header(i, h) for i, h in enumerate(header_els))
        if len(header_els) > MAX_HEADERS:  # the model refuses them; name the first extra header's line
            self.tree.build(header_els[MAX_HEADERS], lambda: Template(headers=headers))
        anchor = scenario if scenario is not None else root
        if len(field_els) > MAX_CUSTOM_FIELDS:  # the model refuses them; name the first extra field's line
            anchor = field_els[MAX_CUSTOM_FIELDS]
        return self.tree.build(anchor, lambda: Auth(**values)), headers

    def custom_field(self, i: int, el: ET.Element) -> CustomField:
        where = CustomField.label(i + 1)
        options = SPELLING["field_options_attr"]
        self.mark(el, f"field:{i}", AUTHENTICATION, where, "Father", "Name", "Editor", "Title", "Key", options)
        editor = parse_value("field_editor", el.get("Editor", ""), FieldType.TEXT)
        if el.get("Value", "").strip() and editor is FieldType.PASSWORD:
            self.drop(el)
        return self.tree.build(el, lambda: CustomField(el.get("Name", ""), el.get("Title", ""), editor,
                                                       tuple(split_list(el.get(options, "")))))

    def header(self, i: int, el: ET.Element) -> Header:
        self.mark(el, f"header:{i}", HEADERS, Header.label(i + 1), "Father", "Name", "Type", "Value",
                  SPELLING["header_description_attr"])
        return self.tree.build(el, lambda: Header(el.get("Name", ""), el.get("Value", ""),
                                                  el.get(SPELLING["header_description_attr"], "")))

    def contact_search(self, scenario: ET.Element | None) -> ContactSearch:
        values = self.settings(scenario, "SyncContactAuto", ContactSearch, CONTACT_SEARCH)
        values["contact_types"] = self.requests(scenario, "SyncContactAuto", ContactType, CONTACT_SEARCH)
        return self.tree.build(scenario if scenario is not None else self.tree.root, lambda: ContactSearch(**values))

    def keyword_search(self, scenario: ET.Element | None) -> KeywordSearch:
        types = self.requests(scenario, "SearchContact", ContactType, KEYWORD_SEARCH)
        return KeywordSearch(contact_types=types)

    def users(self, enabled: bool, scenario: ET.Element | None) -> UserAssociation:
        values = self.settings(scenario, "UserAssociation", UserAssociation, USER_ASSOCIATION)
        values["requests"] = self.requests(scenario, "UserAssociation", Request, USER_ASSOCIATION)
        return self.tree.build(scenario if scenario is not None else self.tree.root,
                               lambda: UserAssociation(enabled=enabled, **values))

    def follow_ups(self, scenario: ET.Element | None) -> tuple[FollowUpRequest, ...]:
        return self.requests(scenario, "Common", FollowUpRequest, FOLLOW_UPS)

    def creation(self, enabled: bool, scenario: ET.Element | None) -> ContactCreation:
        values = self.settings(scenario, "CreateNewContact", ContactCreation, CONTACT_CREATION)
        types = self.requests(scenario, "CreateNewContact", CreationType, CONTACT_CREATION)
        return ContactCreation(enabled=enabled, contact_types=types, **values)

    def with_options(self, cls: type, sid: str, section: str, enabled: bool,
                     scenario: ET.Element | None) -> Any:
        values = self.settings(scenario, sid, cls, section)
        values["requests"] = self.requests(scenario, sid, Request, section)
        return self.tree.build(scenario if scenario is not None else self.tree.root,
                               lambda: cls(enabled=enabled, **values))


def from_xml(data: str | bytes, source: str | None = None) -> Template:
    """Read a Yeastar template. Raises XMLFormatError / ModelError / LimitError with file positions."""
    source = arguments.text(source, "from_xml", "source", optional=True)
    if isinstance(data, str):  # already text: its encoding declaration no longer applies
        at = arguments.surrogate(data)
        if at is not None:
            line = data.count("\n", 0, at) + 1
            raise XMLFormatError(f"a lone surrogate (U+{ord(data[at]):04X}): text no file can hold",
                                 Location(line=line, column=at - data.rfind("\n", 0, at), source=source),
                                 hint="decode the file's bytes with its real encoding, or pass the bytes")
        data = data.encode("utf-8")
        tree = _Tree(data, source, encoding="utf-8")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        tree = _Tree(data, source)
    else:
        raise ArgumentError(f"data must be the file's text or bytes, got {'None' if data is None else type(data).__name__}",
                            Location("from_xml", "data"))
    root = tree.root
    if root.tag != "Information":
        raise XMLFormatError(
            f"not a Yeastar template: the root element is <{root.tag}>, expected <Information>",
            tree.loc(root),
        )
    r = _Reader(tree)
    r.mark(root, "Information", GENERAL, None)
    r.container(root, "Parameters")
    scenarios: dict[str, ET.Element] = {}
    for s in tree.children(root, "Scenarios", "Scenario"):
        sid = tree.get(s, "Id")
        if sid in scenarios:  # which one the PBX would use is unknown: refuse, lose neither
            line, _ = tree.pos[id(scenarios[sid])]
            raise XMLFormatError(
                f"scenario {sid!r} appears twice (first on line {line}); a template has one of each",
                tree.loc(s), snippet=tree._snippet(s), hint="merge the two scenarios into one",
            )
        if sid in _SCENARIOS:
            r.mark(s, f"Scenario:{sid}", _SCENARIOS[sid], None, "Id", "Type")
            for container in ("Presets", "Parameters", "Requests", "Responses"):
                r.container(s, container)
            scenarios[sid] = s
        else:
            tree.used.discard(id(s))
    switch = {}
    for name, section in _SWITCHES.items():
        switch[name] = parse_value("flag", tree.get(root, name), False)
        r.switch_note(name, root.get(name, ""), root, section, None)
    general = r.general(root)
    auth, headers = r.auth(root, scenarios.get("AuthMethod"))
    get = scenarios.get
    parts: dict[str, Any] = dict(
        contact_search=r.contact_search(get("SyncContactAuto")),
        keyword_search=r.keyword_search(get("SearchContact")),
        user_association=r.users(switch["UserAssociation"], get("UserAssociation")),
        follow_ups=r.follow_ups(get("Common")),
        contact_creation=r.creation(switch["CreateNewContact"], get("CreateNewContact")),
        call_journal=r.with_options(CallJournal, "CallJournal", CALL_JOURNAL, switch["CallJournal"],
                                    get("CallJournal")),
        new_ticket=r.with_options(NewTicket, "CreateNewTicket", NEW_TICKET, switch["CreateNewTicket"],
                                  get("CreateNewTicket")),
    )
    extras, layout = collect(tree, r.keys, r.notes, r.positions)
    version = _VERSION.search(data[:200])
    spelling = Spelling(version.group(1).decode() if version else "1.0", layout, _prolog(data))
    record = FileRecord(source, tuple(r.notes), spelling, r.positions)
    return tree.build(root, lambda: Template(general=general, auth=auth, headers=headers, extras=extras,
                                             file=record, **parts))


def _prolog(data: bytes) -> str:
    """The comments a file has between its XML declaration and its root element."""
    text = data.decode("utf-8", errors="replace")
    start = text.find("<Information")
    head = text[:start] if start > 0 else ""
    return "\n".join(m.group() for m in _COMMENT.finditer(head))


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# Scenario id -> the form section it fills.
_SCENARIOS = {
    "AuthMethod": AUTHENTICATION, "SyncContactAuto": CONTACT_SEARCH, "SearchContact": KEYWORD_SEARCH,
    "UserAssociation": USER_ASSOCIATION, "Common": FOLLOW_UPS, "CreateNewContact": CONTACT_CREATION,
    "CallJournal": CALL_JOURNAL, "CreateNewTicket": NEW_TICKET,
}


def load(path: str | os.PathLike[str]) -> Template:
    """Read a template file; a logo file named by the template and lying beside it is loaded too.

    Only a regular file is read, and at most one byte past its limit: a device (``/dev/zero``),
    a named pipe that nobody writes (which would block), a directory or a file over
    :data:`~hdkit.limits.MAX_TEMPLATE_BYTES` is refused with its name, unread.
    """
    path = arguments.path(path, "load")
    source = arguments.path_text(path)
    refused = partial(XMLFormatError, location=Location(source=source))
    data = fileio.read_limited(path, limits.MAX_TEMPLATE_BYTES, "template file", refused, lambda: refused(
        f"the template file is over {limits.MAX_TEMPLATE_BYTES // (1024 * 1024)} MB; a template is a few KB "
        "(hdkit.limits.MAX_TEMPLATE_BYTES)"))
    template = from_xml(data, source=source)
    logo = template.general.logo
    beside = path.parent / logo.filename if logo else None
    if logo and beside and _exists(beside):
        shown = arguments.path_text(beside)
        data = fileio.read_limited(beside, limits.LOGO_MAX_BYTES, "logo file",
                                  partial(XMLFormatError, location=Location(source=shown)),
                                  lambda: LimitError(f"logo {logo.filename!r} is over {limits.LOGO_MAX_BYTES // 1024} KB; it must "
                                               "be less (read stopped there)", Location(GENERAL, "Logo", source=shown)))
        if not data:
            raise LimitError(f"logo {logo.filename!r} is an empty file; it must be a PNG, JPG or JPEG image",
                             Location(GENERAL, "Logo", source=shown))
        loaded = _pin(lambda: Logo(logo.filename, data), shown)
        template = dataclasses.replace(template, general=dataclasses.replace(template.general, logo=loaded))
    return template


def _exists(path: Path) -> bool:
    """Whether something lies at ``path`` (a name too long for the filesystem: nothing does)."""
    try:
        return path.exists()
    except OSError:
        return False


def _pin(make: Callable[[], Any], source: str) -> Any:
    try:
        return make()
    except ModelError as err:
        where = err.location or Location()
        raise type(err)(err.message, Location(where.section, where.field, source=source)) from err
