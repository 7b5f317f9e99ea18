""":class:`~hdkit.model.Template` -> Yeastar template XML (:func:`to_xml`, :func:`save`).

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
import stat
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import zip_longest
from pathlib import Path
from typing import Any

from hdkit.errors import ValidationFailed
from hdkit.model import (
    CallJournal,
    CallOption,
    ContactCreation,
    ContactSearch,
    FollowUpRequest,
    NewTicket,
    Template,
    UserAssociation,
)

from .extras import _write_extras
from .spelling import _RESPONSE_TYPE, CONTACT_OUTPUTS, SPELLING, USER_OUTPUTS

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


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

    A loaded logo is written beside the file under its own name. Only a regular file is ever
    replaced (see :func:`_atomic_write`).
    """
    if check:
        from hdkit.validate import validate

        problems = validate(template)
        n_errors = sum(p.is_error for p in problems)
        if n_errors:
            raise ValidationFailed(f"{n_errors} error(s); not exported", problems)
    path = Path(path)
    _atomic_write(path, to_xml(template).encode("utf-8"))
    logo = template.general.logo
    if logo and logo.data:
        _atomic_write(path.parent / logo.filename, logo.data)


_NOT_REGULAR = {
    stat.S_IFLNK: "a symbolic link", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory",
}


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so a reader never
    sees half a file and a failed write leaves the old one.

    Only a regular file (or nothing) is replaced: a rename over a symbolic link would replace
    the link, and over a device node (``-o /dev/null`` as root) the system's node, so anything
    else is refused with an :class:`OSError` that says what ``path`` is. The file gets the
    mode a new file gets under the umask (``0o666 & ~umask``), or keeps the mode of the file it
    replaces; never the temporary file's 0600.
    """
    try:
        existing = path.lstat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        kind = stat.S_IFMT(existing.st_mode)
        if kind != stat.S_IFREG:
            what = _NOT_REGULAR.get(kind, "not a regular file")
            code = errno.EISDIR if kind == stat.S_IFDIR else errno.EEXIST
            raise OSError(code, f"it is {what}; hdkit only replaces regular files", str(path))
        mode = stat.S_IMODE(existing.st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
