"""A parsed template file: each element's position, what import has read, secrets starred out.

Parsing uses ``defusedxml`` (entity expansion and external entities are refused with one
:class:`~hdkit.errors.XMLFormatError`). :class:`_Tree` remembers every element's line and column
for error messages and which elements and attributes the readers used, so the rest can be kept
as extras; :class:`_Params` groups the ``<Parameter>`` children of a scenario or request.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import defusedxml
import defusedxml.ElementTree as DET

from hdkit import limits
from hdkit.errors import Location, ModelError, XMLFormatError, caret_snippet
from hdkit.problems import Problem
from hdkit.secrets import is_secret_name

from .spelling import SPELLING, go_int, go_space


# Parameters hdkit reads as settings: their names say "token" but their values are no secrets.
_SETTINGS = {"TokenInvalid", *(name for table in SPELLING["settings"].values() for s in table for name in s.names)}
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


_ENTITY = re.compile(r"&(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);")


# Expat (XML 1.0 rules, also for a version="1.1" file) and the PBX's Go encoding/xml both refuse
# a reference to a control character other than tab, line feed and carriage return.
_CONTROL_HINT = ("XML allows no control character but tab, line feed and carriage return, not even "
                 "as a &#x..; reference (the PBX's Go parser refuses it too): remove it")


def _raw_ampersand(text: str, line: int, col: int) -> int | None:
    """The 0-based column of the unescaped ``&`` that made expat stop at ``col``, if that is why."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    before = lines[line - 1][: col + 1]
    amp = before.rfind("&")
    if amp < 0 or any(q in before[amp:col] for q in "\"'<>") or _ENTITY.match(lines[line - 1], amp):
        return None
    return amp


class _TooDeep(Exception):
    """Raised from the parser's start handler: elements nested beyond MAX_XML_DEPTH."""


class _Tree:
    """A parsed document plus each element's file position and the bookkeeping of what was read."""

    def __init__(self, data: bytes, source: str | None, encoding: str | None = None) -> None:
        self.source = source
        if len(data) > limits.MAX_TEMPLATE_BYTES:
            raise XMLFormatError(
                f"the template file is over {limits.MAX_TEMPLATE_BYTES // (1024 * 1024)} MB; a template is a few "
                "KB (hdkit.limits.MAX_TEMPLATE_BYTES)", Location(source=source))
        self.text = _masked(data.decode("utf-8", errors="replace"))  # quoted in error snippets
        self.pos: dict[int, tuple[int, int]] = {}
        self.used: set[int] = set()
        self.used_attrs: set[tuple[int, str]] = set()
        self.dropped: set[tuple[int, str]] = set()  # (element, attribute) secrets import dropped
        self.notes: list[Problem] = []  # what parsing alone has to say (a DTD's ignored defaults)
        self.root = self._parse(data, encoding)

    def _parse(self, data: bytes, encoding: str | None) -> ET.Element:
        positions = self.pos
        depth = [0]

        class Builder(ET.TreeBuilder):
            def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
                depth[0] += 1
                if depth[0] > limits.MAX_XML_DEPTH:
                    raise _TooDeep
                el = super().start(tag, attrs)
                positions[id(el)] = (expat.CurrentLineNumber, expat.CurrentColumnNumber + 1)
                return el

            def end(self, tag: str) -> ET.Element:
                depth[0] -= 1
                return super().end(tag)

        # comments a user wrote are kept (as extras, written back in place)
        parser = DET.DefusedXMLParser(target=Builder(insert_comments=True), forbid_dtd=False, encoding=encoding)
        expat = parser.parser
        self._dtd(expat)
        try:
            parser.feed(data)
            return parser.close()
        except _TooDeep:
            line, col = expat.CurrentLineNumber, expat.CurrentColumnNumber + 1
            raise XMLFormatError(
                f"elements nested more than {limits.MAX_XML_DEPTH} levels deep; a template has 7",
                Location(line=line, column=col, source=self.source), snippet=caret_snippet(self.text, line, col),
            ) from None
        except LookupError as err:  # an encoding Python does not know (expat asks for it by name)
            raise XMLFormatError(
                f"unknown encoding in the XML declaration: {str(err).rpartition(': ')[2]!r}",
                Location(line=1, column=1, source=self.source), snippet=caret_snippet(self.text, 1, 1),
                hint='templates are UTF-8: write <?xml version="1.0" encoding="UTF-8"?>',
            ) from None
        except ET.ParseError as err:
            raise self._malformed(err) from err
        except defusedxml.DefusedXmlException as err:
            raise XMLFormatError(
                f"refused unsafe XML: {err} (templates never need DTD entities)",
                Location(line=expat.CurrentLineNumber, column=expat.CurrentColumnNumber + 1,
                         source=self.source),
            ) from err

    def _dtd(self, expat: Any) -> None:
        """A DOCTYPE is read but never obeyed: expat would fill in its ATTLIST defaults, which
        the PBX's Go parser (encoding/xml) ignores, so a hidden URL or MaxConcurrentRequest="999"
        would be tested but never run. Only attributes the file shows are read, and each default
        and the DOCTYPE itself (export does not write it back) are said with their line."""
        expat.specified_attributes = True

        def here() -> Location:
            return Location(line=expat.CurrentLineNumber, column=expat.CurrentColumnNumber + 1, source=self.source)

        def doctype(name: str, *_: Any) -> None:
            self.notes.append(Problem("warning", f"the DOCTYPE {name!r} is ignored and not written back on export "
                                      "(templates have none)", here(), code="dtd"))

        def attlist(element: str, attr: str, _type: str, default: str | None, _required: int) -> None:
            if default is not None:
                self.notes.append(Problem(
                    "warning", f"the DTD's default {attr}={default!r} for <{element}> is ignored: the PBX's Go parser "
                    "ignores DTD defaults, so only attributes written in the element count", here(),
                    fix=f"write {attr}={default!r} on the element if it is meant", code="dtd-default"))

        expat.StartDoctypeDeclHandler = doctype
        expat.AttlistDeclHandler = attlist

    def _malformed(self, err: ET.ParseError) -> XMLFormatError:
        line, col = err.position
        amp = _raw_ampersand(self.text, line, col)
        if amp is not None:  # the one malformation the PBX is known to refuse (format reference 6.1)
            before = self.text.splitlines()[line - 1][:amp]
            where = " in an attribute value" if before.rfind("<") > before.rfind(">") else ""
            return XMLFormatError(
                f"a raw '&'{where}: the PBX refuses such a file with \"content of the "
                "uploaded template file is incorrect\"",
                Location(line=line, column=amp + 1, source=self.source),
                snippet=caret_snippet(self.text, line, amp + 1), hint="write & as &amp;",
            )
        reason = str(err).split(":")[0]
        return XMLFormatError(
            f"malformed XML: {reason}",
            Location(line=line, column=col + 1, source=self.source),
            snippet=caret_snippet(self.text, line, col + 1),
            hint=_CONTROL_HINT if "invalid character number" in reason else
            "attribute values must escape \" as &quot;, & as &amp; and < as &lt;",
        )

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
        if not go_space(text):
            return None
        try:
            return go_int(text)
        except ValueError as err:
            raise XMLFormatError(
                f"{field} must be a whole number, got {text!r}: {err}",
                self.loc(el, section, field),
                snippet=self._snippet(el),
            ) from None

    def _snippet(self, el: ET.Element) -> str | None:
        found = self.pos.get(id(el))
        return caret_snippet(self.text, *found) if found else None

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
