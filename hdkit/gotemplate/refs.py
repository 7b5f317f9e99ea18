"""Which data a template reads: the field chains rooted at the top-level data.

Editors and validators need to know that a URL reads ``.Phone`` or a body ``.User.Email``
without rendering it. Only chains that certainly start at the data count: ``.X`` while dot is
still the data, ``$.X`` anywhere, and the body of a ``template``/``block`` called with the data
as dot. Inside ``range``/``with`` dot is something else, so those fields are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .nodes import (
    ActionNode,
    ChainNode,
    DotNode,
    FieldNode,
    IfNode,
    ListNode,
    Node,
    PipeNode,
    RangeNode,
    TemplateNode,
    VariableNode,
    WithNode,
)
from .spans import LineIndex

__all__ = ["FieldRef", "collect_fields"]


class FieldRef(NamedTuple):
    """A field chain read from the top-level data: ``path`` ('.User.Name' -> ('User', 'Name'))
    and the 1-based position of the field in the source."""

    path: tuple[str, ...]
    line: int
    column: int


def collect_fields(trees: Mapping[str, ListNode], name: str, source: str) -> list[FieldRef]:
    """Field chains rooted at the top-level data, main template first; the body of a
    ``template``/``block`` invoked with the top-level dot (``.`` or ``$``) follows, once."""
    refs: list[FieldRef] = []
    where = LineIndex(source)
    walked = {name}

    def add(path: tuple[str, ...], pos: int) -> None:
        line, column = where(pos)
        refs.append(FieldRef(path, line, column))

    def operand(n: Node, top: bool) -> None:
        if isinstance(n, FieldNode):
            if top:
                add(n.ident, n.pos)
        elif isinstance(n, VariableNode):
            if n.ident[0] == "$" and len(n.ident) > 1:
                add(n.ident[1:], n.pos)
        elif isinstance(n, ChainNode):
            operand(n.node, top)
        elif isinstance(n, PipeNode):
            pipe(n, top)

    def pipe(p: PipeNode | None, top: bool) -> None:
        if p is None:
            return
        for cmd in p.cmds:
            for a in cmd.args:
                operand(a, top)

    def walk(n: Node | None, top: bool) -> None:
        if isinstance(n, ListNode):
            for child in n.nodes:
                walk(child, top)
        elif isinstance(n, ActionNode):
            pipe(n.pipe, top)
        elif isinstance(n, IfNode):
            pipe(n.pipe, top)
            walk(n.list, top)
            walk(n.else_list, top)
        elif isinstance(n, (RangeNode, WithNode)):
            pipe(n.pipe, top)
            walk(n.list, False)
            walk(n.else_list, top)
        elif isinstance(n, TemplateNode):
            pipe(n.pipe, top)
            if top and _passes_top_dot(n.pipe) and n.name in trees and n.name not in walked:
                walked.add(n.name)
                pending.append(n.name)

    pending = [name]
    while pending:  # a worklist, not recursion: chains of templates can be long
        walk(trees[pending.pop(0)], True)
    return refs


def _passes_top_dot(p: PipeNode | None) -> bool:
    if p is None or p.decl or len(p.cmds) != 1 or len(p.cmds[0].args) != 1:
        return False
    arg = p.cmds[0].args[0]
    return isinstance(arg, DotNode) or (isinstance(arg, VariableNode) and arg.ident == ("$",))
