"""A file's spelling, recorded on import and followed on export.

Import records the file's shape as a tree of :class:`Node`\\ s: every element it read, in file
order, under a key that says what the element holds (``set:oauth2.refresh_minutes``,
``request:2``, ``output:1``), with each attribute's literal text, and a place-holder where an
element or attribute hdkit keeps unread (an :class:`~hdkit.model.Extra`) stood. The tree is the
opaque ``spelling`` of the template's :class:`~hdkit.model.FileRecord`.

Export builds the file a new template would get as a tree of :class:`Out` elements with the
same keys, each attribute marked as a model value (``own``) or spelling. :func:`merge` then
walks the recorded tree and fills it from the new one: a model value replaces the literal
unless the literal means the same (``"contact_field"`` and ``"retrieve_from_contact"`` are one
pop-up mode, ``" 25"`` is 25); spelling (a ``Name`` alias, a ``Father``, an absent ``Key``)
stays as read; what the model no longer holds goes; what it newly holds is added in the default
spelling, beside its neighbours. Unread elements and attributes come back where they were.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from hdkit.model import Extra

__all__ = ["Node", "Out", "Spelling", "emit", "merge"]

# How an Out element or attribute is written:
ALWAYS = ""  # always
WEAK = "weak"  # by a new template, and into a file that had it
GHOST = "ghost"  # only into a file that had it


@dataclass(frozen=True)
class Node:
    """One element of a file as read: ``key`` says what it held ("" for a kept unread element,
    whose :class:`Extra` is ``extra``); each attribute is (name, literal text, its Extra when
    hdkit kept it unread)."""

    tag: str
    key: str
    attrs: tuple[tuple[str, str, Extra | None], ...] = ()
    children: tuple[Node, ...] = ()
    extra: Extra | None = None


@dataclass(frozen=True)
class Spelling:
    """The recorded shape of a file: its XML declaration's version, the comments between the
    declaration and the root (``prolog``), and its root element."""

    version: str
    root: Node
    prolog: str = ""


class Out:
    """An element export writes: its key, attributes and children, and when each is written.

    ``owns`` names the attributes whose value is the model's (even when this element does not
    write them); every other attribute is spelling.
    """

    __slots__ = ("attrs", "children", "key", "mode", "owns", "tag")

    def __init__(self, tag: str, key: str, mode: str = ALWAYS) -> None:
        self.tag, self.key, self.mode = tag, key, mode
        self.attrs: dict[str, tuple[str, str, Callable[[str], bool] | None]] = {}
        self.owns: set[str] = set()
        self.children: list[Out] = []

    def set(self, name: str, text: str, *, own: bool = True, mode: str = ALWAYS,
            same: Callable[[str], bool] | None = None) -> Out:
        """Write attribute ``name``; ``same(literal)`` says a file's literal means ``text``."""
        self.attrs[name] = (text, mode, same)
        if own:
            self.owns.add(name)
        return self

    def add(self, child: Out) -> Out:
        self.children.append(child)
        return child

    def sub(self, tag: str, key: str = "", mode: str = ALWAYS) -> Out:
        return self.add(Out(tag, key or tag, mode))


def _insertable(out: Out) -> bool:
    """Whether a new element belongs in a file that lacked it: it carries something."""
    if out.mode == GHOST:
        return False
    return out.mode != WEAK or any(_insertable(c) for c in out.children)


def emit(out: Out) -> ET.Element | None:
    """The element as a new template writes it (None for an element only a file can have)."""
    if out.mode == GHOST:
        return None
    el = ET.Element(out.tag, {n: text for n, (text, mode, _) in out.attrs.items() if mode != GHOST})
    for child in out.children:
        written = emit(child)
        if written is not None:
            el.append(written)
    return el


class _Pool:
    """The template's extras, each taken once where the file had it."""

    def __init__(self, extras: tuple[Extra, ...]) -> None:
        self.left = list(extras)

    def take(self, extra: Extra) -> bool:
        if extra in self.left:
            self.left.remove(extra)
            return True
        return False


def merge(node: Node, out: Out, extras: tuple[Extra, ...]) -> tuple[ET.Element, list[Extra]]:
    """The file as recorded, filled from what export built; the extras not placed are returned."""
    pool = _Pool(extras)
    return _merge(node, out, pool), pool.left


def _merge(node: Node, out: Out, pool: _Pool) -> ET.Element:
    el = ET.Element(node.tag)
    had = set()
    for name, literal, extra in node.attrs:
        had.add(name)
        if extra is not None:
            if pool.take(extra):
                el.set(name, extra.xml)
        elif name not in out.owns:
            el.set(name, literal)  # spelling: as the file had it
        elif name in out.attrs:
            text, _, same = out.attrs[name]
            el.set(name, literal if literal == text or (same is not None and same(literal)) else text)
    for name, (text, mode, _) in out.attrs.items():
        if name not in had and name in out.owns and mode == ALWAYS:
            el.set(name, text)
    by_key = {c.key: (i, c) for i, c in enumerate(out.children)}
    placed: list[tuple[ET.Element, int | None]] = []
    matched: set[str] = set()
    for child in node.children:
        if child.extra is not None:
            if pool.take(child.extra):
                from .extras import element

                placed.append((element(child.extra.xml), None))
            continue
        found = by_key.get(child.key)
        if found is None or child.key in matched:
            continue  # the model no longer holds it
        matched.add(child.key)
        placed.append((_merge(child, found[1], pool), found[0]))
    for j, child in enumerate(out.children):
        if child.key in matched or not _insertable(child):
            continue
        written = emit(child)
        if written is None:
            continue
        at = max((i + 1 for i, (_, k) in enumerate(placed) if k is not None and k < j), default=0)
        placed.insert(at, (written, j))
    el.extend(e for e, _ in placed)
    return el
