""":class:`~hdkit.model.Template` -> Yeastar template XML (:func:`to_xml`, :func:`save`).

Export builds the file a new template gets (the first spelling of everything in
:data:`~hdkit.yeastar_xml.spelling.SPELLING`); for a template read from a file it then follows
the spelling the file had (:mod:`.layout`): the same parameter names and ``Father`` groups,
the same optional elements present or absent, the same order, and the elements and attributes
hdkit keeps unread back where they were. Every request is written with every parameter,
output and attribute the model holds.

Secrets have no place in the model, so they are never written: a Password Input's value, or a
pasted credential (a client secret, an issued token), is dropped on import with a warning.
:func:`to_xml` serialises whatever it is given; :func:`save` refuses while validation finds
errors.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from hdkit import arguments, fileio
from hdkit.errors import FileError, Location
from hdkit.model import Auth, FollowUpRequest, Template, Unrecognized
from hdkit.model.requests import _Request
from hdkit.validate import require_valid

from .extras import _write_extras
from .layout import ALWAYS, GHOST, WEAK, Out, Spelling, emit, merge
from .spelling import FIRST_METHOD, SPELLING, Setting, parse_value, value_text

_DECLARATION = '<?xml version="{version}" encoding="UTF-8"?>\n'


def _b(flag: bool) -> str:
    return "1" if flag else "0"


def _means(kind: str, value: Any, default: Any, literal: str) -> bool:
    """Whether a file's literal stands for ``value`` (so export keeps the file's spelling)."""
    try:
        return parse_value(kind, literal, default) == value and not isinstance(value, Unrecognized)
    except ValueError:
        return False


def _same_method(method: str, literal: str) -> bool:
    """Whether a file's HTTP method literal (``post``) is the model's, which holds it upper-case."""
    return literal.strip().upper() == method


def _get(part: Any, path: str) -> Any:
    for name in path.split("."):
        part = getattr(part, name)
    return part


def _variables(params: Out, part: Any) -> None:
    """The scenario's own variables (CustomScenarioParameter)."""
    for i, v in enumerate(part.variables):
        el = params.sub("Parameter", f"var:{i}")
        el.set("Father", SPELLING["variable_father"], own=False).set("Name", v.name)
        el.set("Value", v.value, mode=WEAK if not v.value else ALWAYS)


def _settings(params: Out, settings: Sequence[Setting], part: Any) -> None:
    """One Parameter per setting of the scenario, the model value in the first spelling."""
    blank = type(part)()
    for s in settings:
        value, default = _get(part, s.path), _get(blank, s.path)
        at_default = value == default and type(value) is type(default)
        mode = (GHOST if s.optional else WEAK) if at_default else ALWAYS
        p = params.sub("Parameter", f"set:{s.path}", mode)
        if s.fathers[0]:
            p.set("Father", s.fathers[0], own=False)
        p.set("Name", s.names[0], own=False)
        same = partial(_means, s.kind, value, default) if s.kind != "text" else (
            partial(_same_method, value) if s.path.endswith("_method") else None)
        p.set("Value", value_text(s.kind, value), mode=WEAK if at_default else ALWAYS, same=same)


def _scenario(scenarios: Out, sid: str, mode: str, type_: str = "REST") -> tuple[Out, Out, Out]:
    """A scenario: WEAK (written by a new template, else only when it carries something),
    ALWAYS (an optional section in use) or GHOST (an optional section not in use)."""
    s = scenarios.sub("Scenario", f"Scenario:{sid}", mode)
    s.set("Id", sid, own=False)
    s.set("Type", type_, own=False)
    s.sub("Presets", mode=WEAK)
    params = s.sub("Parameters", mode=WEAK)
    requests = s.sub("Requests", mode=WEAK)
    s.sub("Responses", mode=WEAK if type_ == "AUTH" else GHOST)
    return s, params, requests


def _attrs(el: Out, attrs: tuple[tuple[str, str], ...]) -> None:
    for name, value in attrs:
        el.set(name, value)


def _request(requests: Out, index: int, r: _Request, method: str) -> Out:
    """A request with every parameter, output and attribute it holds."""
    el = requests.sub("Request", f"request:{index}")
    el.set("Name", r.name, mode=GHOST if not r.name else ALWAYS)
    el.set("Method", r.method, mode=WEAK if r.method == method else ALWAYS,
           same=partial(_same_method, r.method))
    el.set("ResponseType", r.response_type, mode=GHOST if not r.response_type else ALWAYS)
    el.set("URLFormat", r.url, mode=ALWAYS if r.url else WEAK)
    _attrs(el, r.attrs)
    params = el.sub("Parameters", mode=WEAK)
    name, type_ = SPELLING["body"]
    body = params.sub("Parameter", "body", GHOST if not r.body else ALWAYS)
    body.set("Name", name, own=False).set("Type", type_, own=False).set("Value", r.body)
    if isinstance(r, FollowUpRequest):
        event = params.sub("Parameter", "event", GHOST if r.event is None else ALWAYS)
        event.set("Name", SPELLING["follow_up_event"], own=False)
        event.set("Value", "" if r.event is None else value_text("follow_up_event", r.event))
        headers = params.sub("Parameter", "headers", GHOST if not r.headers else ALWAYS)
        headers.set("Name", SPELLING["follow_up_headers"], own=False).set("Type", "Header", own=False)
        headers.set("Value", r.headers)
    for j, p in enumerate(r.params):
        param = params.sub("Parameter", f"param:{j}")
        param.set("Name", p.name).set("Type", p.type, mode=GHOST if not p.type else ALWAYS)
        param.set("Value", p.value, mode=WEAK if not p.value else ALWAYS)
        _attrs(param, p.attrs)
    outputs = el.sub("Outputs", mode=WEAK)
    outputs.set("Next", r.next, mode=GHOST if not r.next else ALWAYS)
    for k, o in enumerate(r.outputs):
        out = outputs.sub("Output", f"output:{k}")
        out.set("Name", o.name, mode=GHOST if not o.name else ALWAYS)
        out.set("Path", o.path, mode=GHOST if not o.path else ALWAYS)
        _attrs(out, o.attrs)
    return el


def _requests(container: Out, requests: Sequence[_Request], sid: str) -> None:
    for i, r in enumerate(requests):
        _request(container, i, r, FIRST_METHOD[sid])


def _write_auth(scenarios: Out, t: Template) -> None:
    auth = t.auth
    _, p, _ = _scenario(scenarios, "AuthMethod", WEAK, "AUTH")
    _settings(p, SPELLING["settings"]["AuthMethod"], auth)
    father, type_, name = SPELLING["token_invalid"]
    for i, text in enumerate(auth.oauth2.token_invalid):
        el = p.sub("Parameter", f"invalid:{i}")
        el.set("Father", father, own=False).set("Type", type_, own=False).set("Name", name, own=False)
        el.set("Value", text)
    _custom_fields(p, auth)
    for i, h in enumerate(t.headers):
        el = p.sub("Parameter", f"header:{i}")
        el.set("Father", SPELLING["header_father"], own=False)
        el.set("Name", h.name).set("Type", SPELLING["header_type"], own=False).set("Value", h.value)
        el.set(SPELLING["header_description_attr"], h.description, mode=GHOST if not h.description else ALWAYS)


def _custom_fields(params: Out, auth: Auth) -> None:
    editors = SPELLING["values"]["field_editor"]
    for i, f in enumerate(auth.custom_fields):
        el = params.sub("Parameter", f"field:{i}")
        el.set("Father", SPELLING["custom_field_father"], own=False)
        el.set("Name", f.name)
        el.set("Editor", value_text("field_editor", f.type),
               same=partial(_means, "field_editor", f.type, None) if f.type in editors else None)
        el.set("Title", f.title)
        el.set("Key", f.name, own=False)
        el.set(SPELLING["field_options_attr"], ",".join(f.options), mode=GHOST if not f.options else ALWAYS)
        el.owns.add("Value")  # a Password Input's value: never the model's, never written


def _differs(section: Any) -> bool:
    """Whether an optional section holds anything beyond its switch (so it must be written)."""
    return section.enabled or section != type(section)(enabled=section.enabled)


def _used(flag: bool) -> str:
    return WEAK if flag else GHOST


def _method_as_read(template: Template) -> str | None:
    """The AuthMethod parameter's literal in the file the template came from (None: new, or none)."""
    spelling = template.file.spelling if template.file is not None else None
    todo = [spelling.root] if isinstance(spelling, Spelling) else []
    while todo:
        node = todo.pop()
        if node.key == "set:method":
            return next((literal for name, literal, _ in node.attrs if name == "Value"), None)
        todo.extend(node.children)
    return None


def _auth_type_as_read(method_literal: str | None, method: Any, literal: str) -> bool:
    """Whether the root's ``AuthType`` literal stays: it names the method, or the file's AuthMethod
    parameter (which hdkit follows, warning on import that they disagree) is unchanged, so the file
    is written back as it came; once the method is changed both get the new one."""
    if parse_value("auth_method", literal, None) == method:
        return True
    return method_literal is not None and parse_value("auth_method", method_literal, None) == method


def build(template: Template) -> Out:
    """The file a new template gets, keyed so a recorded spelling can be followed."""
    g, t = template.general, template
    root = Out("Information", "Information")
    root.set("Provider", value_text("provider", g.provider), mode=WEAK if g.provider == "helpdesk" else ALWAYS,
             same=partial(_means, "provider", g.provider, None))
    root.set("Name", g.name, mode=ALWAYS if g.name else WEAK).set("Key", g.key, mode=ALWAYS if g.key else WEAK)
    root.set("Logo", g.logo.filename if g.logo else "", mode=ALWAYS if g.logo else WEAK)
    root.set("Remark", g.remark, mode=ALWAYS if g.remark else WEAK)
    root.set("Version", g.version, mode=WEAK if g.version == "1.0.0" else ALWAYS)
    root.set("AuthType", value_text("auth_method", t.auth.method), mode=WEAK,
             same=partial(_auth_type_as_read, _method_as_read(t), t.auth.method))
    root.set("MaxConcurrentRequest", str(g.max_concurrent_requests),
             mode=WEAK if g.max_concurrent_requests == 10 else ALWAYS,
             same=partial(_means, "number", g.max_concurrent_requests, None))
    for name, section in (("UserAssociation", t.user_association), ("CallJournal", t.call_journal),
                          ("CreateNewContact", t.contact_creation), ("CreateNewTicket", t.new_ticket)):
        root.set(name, _b(section.enabled), mode=ALWAYS if section.enabled else WEAK,
                 same=partial(_means, "flag", section.enabled, False))
    root.sub("Parameters", mode=WEAK)
    scenarios = root.sub("Scenarios", mode=WEAK)
    _write_auth(scenarios, t)

    _, p, r = _scenario(scenarios, "SyncContactAuto", WEAK)
    _settings(p, SPELLING["settings"]["SyncContactAuto"], t.contact_search)
    _variables(p, t.contact_search)
    _requests(r, t.contact_search.contact_types, "SyncContactAuto")

    _, _, r = _scenario(scenarios, "SearchContact", _used(bool(t.keyword_search.contact_types)))
    _requests(r, t.keyword_search.contact_types, "SearchContact")

    _, p, r = _scenario(scenarios, "UserAssociation", _used(_differs(t.user_association)))
    _settings(p, SPELLING["settings"]["UserAssociation"], t.user_association)
    _variables(p, t.user_association)
    _requests(r, t.user_association.requests, "UserAssociation")

    _, _, r = _scenario(scenarios, "Common", _used(bool(t.follow_ups)))
    _requests(r, t.follow_ups, "Common")

    _, p, r = _scenario(scenarios, "CreateNewContact", _used(_differs(t.contact_creation)))
    _variables(p, t.contact_creation)
    _requests(r, t.contact_creation.contact_types, "CreateNewContact")

    for sid, section in (("CallJournal", t.call_journal), ("CreateNewTicket", t.new_ticket)):
        _, p, r = _scenario(scenarios, sid, _used(_differs(section)))
        _settings(p, SPELLING["settings"][sid], section)
        _variables(p, section)
        _requests(r, section.requests, sid)
    return root


def to_xml(template: Template) -> str:
    """The template as Yeastar XML text (UTF-8, 2-space indent, entities escaped), in the
    spelling of the file it was read from, or the default spelling for a new template."""
    out = build(arguments.instance(template, Template, "to_xml", "template", arguments.TEMPLATE_FROM))
    spelling = template.file.spelling if template.file is not None else None
    prolog = ""
    if isinstance(spelling, Spelling):
        root, left = merge(spelling.root, out, template.extras)
        version, prolog = spelling.version, spelling.prolog + "\n" if spelling.prolog else ""
    else:
        root, left, version = emit(out) or ET.Element("Information"), list(template.extras), "1.0"
    _write_extras(root, tuple(left))
    ET.indent(root, "  ")
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    # ElementTree writes &#10; &#13; &#09;; the format reference's sample uses the hex forms.
    text = text.replace("&#10;", "&#xA;").replace("&#13;", "&#xD;").replace("&#09;", "&#x9;")
    return _DECLARATION.format(version=version) + prolog + text + "\n"


def save(template: Template, path: str | os.PathLike[str], *, check: bool = True) -> None:
    """Write the template atomically; refuses (ValidationFailed) while validation finds errors.

    A loaded logo is written beside the file under its own name. Only a regular file is ever
    replaced (see :func:`hdkit.fileio.write_atomic`). A file that cannot be written is a
    :class:`~hdkit.errors.FileError` naming it (also an OSError).
    """
    arguments.instance(template, Template, "save", "template", arguments.TEMPLATE_FROM)
    path = arguments.path(path, "save")
    if check:
        require_valid(template, "exported")
    _write(path, to_xml(template).encode("utf-8"))
    logo = template.general.logo
    if logo and logo.data:
        _write(path.parent / logo.filename, logo.data)


def _write(path: Path, data: bytes) -> None:
    """:func:`hdkit.fileio.write_atomic`, its OSError said about ``path`` (never the temporary
    file beside it)."""
    try:
        fileio.write_atomic(path, data)
    except OSError as err:
        where = arguments.path_text(path)
        missing = isinstance(err, FileNotFoundError) and not path.parent.is_dir()
        reason = f"{err.strerror}: the folder {arguments.path_text(path.parent)} does not exist" if missing \
            else err.strerror
        raise FileError(f"cannot write the file: {reason}", Location(source=where), errno=err.errno,
                        strerror=reason, filename=str(path)) from err


__all__ = ["build", "save", "to_xml"]
