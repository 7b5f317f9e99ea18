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

from hdkit.errors import Location, ModelError, XMLFormatError, caret_snippet
from hdkit.secrets import is_secret_name

from .spelling import SPELLING


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

        # comments a user wrote are kept (as extras, written back in place)
        parser = DET.DefusedXMLParser(target=Builder(insert_comments=True), forbid_dtd=False, encoding=encoding)
        expat = parser.parser
        try:
            parser.feed(data)
            return parser.close()
        except ET.ParseError as err:
            line, col = err.position
            amp = _raw_ampersand(self.text, line, col)
            if amp is not None:  # the one malformation the PBX is known to refuse (format reference 6.1)
                before = self.text.splitlines()[line - 1][:amp]
                where = " in an attribute value" if before.rfind("<") > before.rfind(">") else ""
                raise XMLFormatError(
                    f"a raw '&'{where}: the PBX refuses such a file with \"content of the "
                    "uploaded template file is incorrect\"",
                    Location(line=line, column=amp + 1, source=self.source),
                    snippet=caret_snippet(self.text, line, amp + 1), hint="write & as &amp;",
                ) from err
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
