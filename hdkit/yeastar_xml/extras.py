"""What import does not understand: kept as :class:`~hdkit.model.Extra` and written back in place.

Every element gets a stable logical path (the same on import and export); an element or
attribute the readers did not use is stored under its parent's path, without layout whitespace
and without literal secrets, and export recreates the path where it did not write it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hdkit.model import Extra
from hdkit.secrets import is_secret_name

from .document import _Tree


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
