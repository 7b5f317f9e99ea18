"""What import does not understand, and the file's shape around it.

:func:`collect` walks a read file once: every element or attribute the readers did not use
becomes an :class:`~hdkit.model.Extra` under its parent's logical path (without layout
whitespace and without pasted credentials), and every element they did use becomes a
:class:`~.layout.Node` of the file's recorded spelling, with a place-holder where an extra
stood. Export puts each extra back at its place-holder, or, for a template whose spelling is
unknown (built in Python), recreates its path (:func:`_write_extras`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hdkit.errors import Location
from hdkit.model import EXTRAS, Extra
from hdkit.problems import Problem

from .document import _Tree
from .layout import Node
from .spelling import SPELLING, is_credential


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
            elif not isinstance(child.tag, str):  # a comment
                child_path = f"{path}/#comment"
            elif child.tag in ("Parameter", "Output"):
                child_path = f"{path}/{child.tag}[{child.get('Name', '')}]"
            else:
                child_path = f"{path}/{child.tag}"
            paths[id(child)] = child_path
            walk(child, child_path)

    walk(root, "Information")
    return paths


def secret_value(el: ET.Element, attr: str) -> bool:
    """A pasted secret: a Password Input's value, or a credential parameter's literal value."""
    if el.tag != "Parameter" or attr != "Value" or not el.get("Value", "").strip():
        return False
    password = el.get("Editor", "").strip().lower() in SPELLING["values"]["field_editor"]["password"]
    return password or is_credential(el.get("Name", ""), el.get("Value", ""))


def dropped(tree: _Tree, el: ET.Element) -> Problem:
    """The warning for a secret value import dropped (it is never written back)."""
    line, column = tree.pos.get(id(el), (None, None))
    name = el.get("Name", "")
    return Problem("warning", f"the value of {name!r} is a secret; it was not imported and will not be exported",
                   Location(None, name, line, column, tree.source),
                   fix="enter it as an input when running (a Password Input custom field)", code="secret-dropped")


def element(xml: str) -> ET.Element:
    """An extra's element again (a comment is kept as ``<!--text-->``)."""
    if xml.startswith("<!--") and xml.endswith("-->"):
        return ET.Comment(xml[4:-3])
    return ET.fromstring(xml)


def _clean_copy(tree: _Tree, el: ET.Element, notes: list[Problem]) -> ET.Element:
    """A copy without layout whitespace (so extras compare equal after a pretty-printed trip)
    and without pasted secrets (so they are never exported)."""
    if el.tag is ET.Comment:
        return ET.Comment(el.text)
    kept = {}
    for name, value in el.attrib.items():
        if secret_value(el, name):
            notes.append(dropped(tree, el))
        else:
            kept[name] = value
    copy = ET.Element(el.tag, kept)
    copy.text = el.text if el.text and el.text.strip() else None
    for child in el:
        c = _clean_copy(tree, child, notes)
        c.tail = child.tail if child.tail and child.tail.strip() else None
        copy.append(c)
    return copy


def collect(tree: _Tree, keys: dict[int, str], notes: list[Problem],
            positions: dict[tuple[str | None, str | None], tuple[int, int]]) -> tuple[tuple[Extra, ...], Node]:
    """The extras of a read file, and its recorded spelling (see the module docstring)."""
    paths = _paths(tree.root)
    extras: list[Extra] = []

    def keep(extra: Extra, el: ET.Element) -> Extra:
        extras.append(extra)
        if id(el) in tree.pos:
            positions.setdefault((EXTRAS, extra.where), tree.pos[id(el)])
        return extra

    def walk(el: ET.Element) -> Node:
        path = paths[id(el)]
        attrs: list[tuple[str, str, Extra | None]] = []
        for name, value in el.attrib.items():
            if (id(el), name) in tree.used_attrs:
                if (id(el), name) not in tree.dropped:
                    attrs.append((name, value, None))
            elif secret_value(el, name):
                notes.append(dropped(tree, el))
            else:
                attrs.append((name, value, keep(Extra(f"{path}/@{name}", value), el)))
        children: list[Node] = []
        for child in el:
            if id(child) in tree.used:
                children.append(walk(child))
            else:
                xml = ET.tostring(_clean_copy(tree, child, notes), encoding="unicode")
                children.append(Node(child.tag, "", extra=keep(Extra(path, xml), child)))
        return Node(el.tag, keys.get(id(el), el.tag), tuple(attrs), tuple(children))

    tree.use(tree.root)
    root = walk(tree.root)
    return tuple(sorted(extras, key=lambda e: e.where)), root  # stable: document order per place


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
            el.append(element(extra.xml))
