"""Go 1.19 ``text/template/parse`` parser, ported production for production.

Which templates are accepted, and how, is Go's business: ``{{else if}}`` desugars to a nested
``if``, variables are checked at parse time, a trailing ``|`` is tolerated (a Go 1.19 quirk the
PBX shares), and only the first command of a pipeline may be a literal. The parser returns the
set of named trees (the main template plus every ``define``/``block``). Nesting is capped so
hostile input gets an error, not a Python ``RecursionError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .gostr import from_bytes, to_bytes
from .lexer import Item, T, lex
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
    is_empty_tree,
)

__all__ = ["MAX_DEPTH", "ParseError", "parse", "unquote_char", "unquote_string"]

MAX_DEPTH = 100


class ParseError(Exception):
    """A syntax error at ``pos`` (offset in the source). ``char_constant`` flags a malformed
    single-quoted literal and ``function`` names an undefined function, so the caller can
    suggest a fix."""

    def __init__(self, message: str, pos: int, char_constant: bool = False, function: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.char_constant = char_constant
        self.function = function


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_HEX_LEN = {"x": 2, "u": 4, "U": 8}


def _unquote_one(s: str, i: int, quote: str) -> tuple[int | str, int]:
    """Go's ``strconv.UnquoteChar``: one (possibly escaped) character of ``s`` at ``i``.

    Returns a str for a character or a rune escape, an int for a ``\\x``/octal byte.
    """
    c = s[i]
    if c == quote and quote in "'\"":
        raise ValueError("invalid syntax")
    if c != "\\":
        return c, i + 1
    if i + 1 >= len(s):
        raise ValueError("invalid syntax")
    e = s[i + 1]
    if e in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[e], i + 2
    if e in "'\"":
        if e != quote:
            raise ValueError("invalid syntax")
        return e, i + 2
    if e in _HEX_LEN:
        n = _HEX_LEN[e]
        digits = s[i + 2 : i + 2 + n]
        if len(digits) != n or not all(d in "0123456789abcdefABCDEF" for d in digits):
            raise ValueError("invalid syntax")
        v = int(digits, 16)
        if e == "x":
            return (chr(v) if quote == "'" else v), i + 2 + n
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise ValueError("invalid syntax")
        return chr(v), i + 2 + n
    if e in "01234567":
        digits = s[i + 1 : i + 4]
        if len(digits) != 3 or not all(d in "01234567" for d in digits) or int(digits, 8) > 255:
            raise ValueError("invalid syntax")
        v = int(digits, 8)
        return (chr(v) if quote == "'" else v), i + 4
    raise ValueError("invalid syntax")


def unquote_char(text: str) -> int:
    """The rune value of a Go character constant such as ``'a'`` or ``'\\n'``."""
    body = text[1:]
    value, i = _unquote_one(body, 0, "'") if body else (None, 0)
    if value is None or body[i:] != "'":
        raise ValueError(f"malformed character constant: {text}")
    return value if isinstance(value, int) else ord(value)


def unquote_string(text: str) -> str:
    """Go's ``strconv.Unquote`` for a ``"..."`` or raw `` `...` `` literal."""
    if text[0] == "`":
        return text[1:-1].replace("\r", "")
    body = text[1:-1]
    if "\\" not in body:
        return body
    out = bytearray()
    i = 0
    while i < len(body):
        value, i = _unquote_one(body, i, '"')
        if isinstance(value, int):
            out.append(value)
        else:
            out += to_bytes(value)
    return from_bytes(bytes(out))


_OCTAL = re.compile(r"[+-]?0[0-7_]+")
_FLOAT = re.compile(
    r"[+-]?(?:(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?"
    r"|0[xX](?:[\da-fA-F_]*\.?[\da-fA-F_]*)[pP][+-]?\d[\d_]*)"
)


def _parse_int(text: str) -> int | None:
    """Go's ``strconv.ParseInt(text, 0, 64)``/``ParseUint``: None when it is not an integer."""
    try:
        if _OCTAL.fullmatch(text) and text.lstrip("+-") != "0":
            sign = -1 if text.startswith("-") else 1
            return sign * int(text.lstrip("+-")[1:].replace("_", "") or "0", 8)
        return int(text, 0)
    except ValueError:
        return None


def _parse_float(text: str) -> float | None:
    if not _FLOAT.fullmatch(text) or "__" in text or text.endswith("_"):
        return None
    try:
        body = text.replace("_", "")
        if "x" in body.lower():
            return float.fromhex(body)
        return float(body)
    except (ValueError, OverflowError):
        return None


def number_value(text: str, typ: T) -> int | float | complex:
    """What Go's ``newNumber`` + ``idealConstant`` make of a numeric literal."""
    if typ == T.CHAR_CONSTANT:
        return unquote_char(text)
    if typ == T.COMPLEX or text.endswith("i"):
        try:
            return complex(text[:-1].replace("_", "") + "j")
        except ValueError:
            raise ValueError(f"illegal number syntax: {text!r}") from None
    as_int = _parse_int(text)
    if as_int is not None:
        if as_int > 2**64 - 1 or as_int < -(2**63):
            raise ValueError(f"integer overflow: {text}") if as_int < 0 else ValueError(f"{text} overflows int")
        if as_int > 2**63 - 1:
            raise ValueError(f"{text} overflows int")
        if any(c in text for c in ".eEpP") and not text.lstrip("+-").lower().startswith("0x"):
            return float(as_int)
        return as_int
    f = _parse_float(text)
    if f is None:
        raise ValueError(f"illegal number syntax: {text!r}")
    if not any(c in text for c in ".eEpP"):
        raise ValueError(f"integer overflow: {text}")
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError(f"illegal number syntax: {text!r}")
    return f


class _Parser:
    def __init__(self, source: str, has_function: Callable[[str], bool]) -> None:
        self.source = source
        self.items = lex(source)
        self.i = 0
        self.has_function = has_function
        self.trees: dict[str, ListNode] = {}
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.depth = 0

    # -- token stream ------------------------------------------------------------------
    def next(self) -> Item:
        item = self.items[self.i]
        if item.typ == T.ERROR:
            raise ParseError(item.val, item.pos)
        if self.i < len(self.items) - 1:
            self.i += 1
        return item

    def backup(self, n: int = 1) -> None:
        self.i -= n

    def peek(self) -> Item:
        item = self.items[self.i]
        if item.typ == T.ERROR:
            raise ParseError(item.val, item.pos)
        return item

    def next_non_space(self) -> Item:
        item = self.next()
        while item.typ == T.SPACE:
            item = self.next()
        return item

    def peek_non_space(self) -> Item:
        item = self.next_non_space()
        self.backup()
        return item

    def error(self, message: str, pos: int | None = None) -> ParseError:
        if pos is None:
            pos = self.items[max(self.i - 1, 0)].pos
        return ParseError(message, pos)

    def expect(self, typ: T, context: str) -> Item:
        item = self.next_non_space()
        if item.typ != typ:
            raise self.unexpected(item, context)
        return item

    def unexpected(self, item: Item, context: str) -> ParseError:
        if item.typ == T.ERROR:
            return ParseError(item.val, item.pos)
        return ParseError(f"unexpected {item} in {context}", item.pos)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"template nested too deeply (more than {MAX_DEPTH} levels)", pos)

    # -- templates ---------------------------------------------------------------------
    def parse(self, name: str) -> dict[str, ListNode]:
        nodes: list[Node] = []
        while self.peek().typ != T.EOF:
            if self.peek().typ == T.LEFT_DELIM:
                start = self.i
                delim = self.next()
                if self.next_non_space().typ == T.DEFINE:
                    self.parse_definition(delim)
                    continue
                self.i = start
            n = self.text_or_action()
            if isinstance(n, (_End, _Else)):
                raise ParseError(f"unexpected {n}", n.pos)
            if n is not None:
                nodes.append(n)
        self.add(name, ListNode(0, tuple(nodes)), 0)
        return self.trees

    def add(self, name: str, root: ListNode, pos: int) -> None:
        existing = self.trees.get(name)
        if existing is None or is_empty_tree(existing):
            self.trees[name] = root
        elif not is_empty_tree(root):
            raise ParseError(f"template: multiple definition of template {name!r}", pos)

    def parse_definition(self, delim: Item) -> None:
        context = "define clause"
        name_item = self.next_non_space()
        if name_item.typ not in (T.STRING, T.RAW_STRING):
            raise self.unexpected(name_item, context)
        name = unquote_string(name_item.val)
        self.expect(T.RIGHT_DELIM, context)
        saved_vars, self.vars = self.vars, ["$"]
        root, end = self.item_list()
        self.vars = saved_vars
        if not isinstance(end, _End):
            raise ParseError(f"unexpected {end} in {context}", end.pos)
        self.add(name, root, delim.pos)

    def item_list(self) -> tuple[ListNode, Node]:
        pos = self.peek_non_space().pos
        nodes: list[Node] = []
        while self.peek_non_space().typ != T.EOF:
            n = self.text_or_action()
            if isinstance(n, (_End, _Else)):
                return ListNode(pos, tuple(nodes)), n
            if n is not None:
                nodes.append(n)
        raise self.error("unexpected EOF", len(self.source))

    def text_or_action(self) -> Node | None:
        item = self.next_non_space()
        if item.typ == T.TEXT:
            return TextNode(item.pos, item.val)
        if item.typ == T.LEFT_DELIM:
            return self.action(item)
        if item.typ == T.COMMENT:
            return None
        raise self.unexpected(item, "input")

    def action(self, delim: Item) -> Node:
        item = self.next_non_space()
        typ = item.typ
        if typ == T.BLOCK:
            return self.block_control(delim)
        if typ in (T.BREAK, T.CONTINUE):
            end = self.next_non_space()
            if end.typ != T.RIGHT_DELIM:
                raise self.unexpected(end, "{{%s}}" % item.val)
            if self.range_depth == 0:
                raise ParseError("{{%s}} outside {{range}}" % item.val, item.pos)
            return BreakNode(item.pos) if typ == T.BREAK else ContinueNode(item.pos)
        if typ == T.ELSE:
            return self.else_control(item)
        if typ == T.END:
            self.expect(T.RIGHT_DELIM, "end")
            return _End(item.pos)
        if typ == T.IF:
            return self.control(IfNode, "if")
        if typ == T.RANGE:
            return self.control(RangeNode, "range")
        if typ == T.WITH:
            return self.control(WithNode, "with")
        if typ == T.TEMPLATE:
            return self.template_control()
        self.backup()
        token = self.peek()
        return ActionNode(token.pos, token.line, self.pipeline("command", T.RIGHT_DELIM), delim.pos)

    def else_control(self, item: Item) -> Node:
        peek = self.peek_non_space()
        if peek.typ == T.IF:
            return _Else(peek.pos)
        self.expect(T.RIGHT_DELIM, "else")
        return _Else(item.pos)

    def control(self, cls: type, context: str) -> Node:
        self.enter(self.items[self.i].pos)
        n_vars = len(self.vars)
        pipe = self.pipeline(context, T.RIGHT_DELIM)
        if context == "range":
            self.range_depth += 1
        body, nxt = self.item_list()
        if context == "range":
            self.range_depth -= 1
        else_list = None
        if isinstance(nxt, _Else):
            if context == "if" and self.peek().typ == T.IF:
                self.next()
                else_list = ListNode(nxt.pos, (self.control(IfNode, "if"),))
            else:
                else_list, nxt = self.item_list()
                if not isinstance(nxt, _End):
                    raise ParseError(f"expected end; found {nxt}", nxt.pos)
        del self.vars[n_vars:]
        self.depth -= 1
        return cls(pipe.pos, pipe.line, pipe, body, else_list)

    def template_name(self, item: Item, context: str) -> str:
        if item.typ in (T.STRING, T.RAW_STRING):
            try:
                return unquote_string(item.val)
            except ValueError as exc:
                raise ParseError(str(exc), item.pos) from None
        raise self.unexpected(item, context)

    def template_control(self) -> Node:
        context = "template clause"
        item = self.next_non_space()
        name = self.template_name(item, context)
        pipe = None
        if self.next_non_space().typ != T.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, T.RIGHT_DELIM)
        return TemplateNode(item.pos, item.line, name, pipe)

    def block_control(self, delim: Item) -> Node:
        context = "block clause"
        item = self.next_non_space()
        name = self.template_name(item, context)
        pipe = self.pipeline(context, T.RIGHT_DELIM)
        saved = (self.vars, self.range_depth)
        self.vars, self.range_depth = ["$"], 0
        self.enter(item.pos)
        root, end = self.item_list()
        self.depth -= 1
        self.vars, self.range_depth = saved
        if not isinstance(end, _End):
            raise ParseError(f"unexpected {end} in {context}", end.pos)
        self.add(name, root, delim.pos)
        return TemplateNode(item.pos, item.line, name, pipe)

    # -- pipelines ---------------------------------------------------------------------
    def pipeline(self, context: str, end: T) -> PipeNode:
        token = self.peek_non_space()
        decl: list[VariableNode] = []
        is_assign = False
        while True:  # declarations: "$x :=", "$x =", "$i, $v :=" (range only)
            v = self.peek_non_space()
            if v.typ != T.VARIABLE:
                break
            start = self.i
            self.next_non_space()
            nxt = self.peek_non_space()
            if nxt.typ in (T.ASSIGN, T.DECLARE):
                is_assign = nxt.typ == T.ASSIGN
                self.next_non_space()
                decl.append(VariableNode(v.pos, (v.val,)))
                self.vars.append(v.val)
                break
            if nxt.typ == T.CHAR and nxt.val == ",":
                self.next_non_space()
                decl.append(VariableNode(v.pos, (v.val,)))
                self.vars.append(v.val)
                if context == "range" and len(decl) < 2:
                    if self.peek_non_space().typ in (T.VARIABLE, T.RIGHT_DELIM, T.RIGHT_PAREN):
                        continue
                    raise self.error("range can only initialize variables", nxt.pos)
                raise self.error(f"too many declarations in {context}", nxt.pos)
            self.i = start
            break
        cmds: list[CommandNode] = []
        while True:
            item = self.next_non_space()
            if item.typ == end:
                if not cmds:
                    raise ParseError(f"missing value for {context}", item.pos)
                for n, cmd in enumerate(cmds[1:], start=2):
                    if isinstance(cmd.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                        raise ParseError(f"non executable command in pipeline stage {n}", cmd.pos)
                return PipeNode(token.pos, token.line, is_assign, tuple(decl), tuple(cmds))
            if item.typ in _OPERAND_START:
                self.backup()
                cmds.append(self.command())
            else:
                raise self.unexpected(item, context)

    def command(self) -> CommandNode:
        pos = self.peek_non_space().pos
        args: list[Node] = []
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                args.append(operand)
            item = self.next()
            if item.typ == T.SPACE:
                continue
            if item.typ in (T.RIGHT_DELIM, T.RIGHT_PAREN):
                self.backup()
            elif item.typ != T.PIPE:
                raise self.unexpected(item, "operand")
            break
        if not args:
            raise ParseError("empty command", pos)
        return CommandNode(pos, tuple(args))

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == T.FIELD:
            fields: list[str] = []
            while self.peek().typ == T.FIELD:
                fields.append(self.next().val[1:])
            if isinstance(node, FieldNode):
                return FieldNode(node.pos, node.ident + tuple(fields))
            if isinstance(node, VariableNode):
                return VariableNode(node.pos, node.ident + tuple(fields))
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                raise ParseError(f"unexpected . after term {str(node)!r}", node.pos)
            return ChainNode(node.pos, node, tuple(fields))
        return node

    def term(self) -> Node | None:
        item = self.next_non_space()
        typ = item.typ
        if typ == T.IDENTIFIER:
            if not self.has_function(item.val):
                raise ParseError(f'function "{item.val}" not defined', item.pos, function=item.val)
            return IdentifierNode(item.pos, item.val)
        if typ == T.DOT:
            return DotNode(item.pos)
        if typ == T.NIL:
            return NilNode(item.pos)
        if typ == T.VARIABLE:
            name = item.val.split(".")[0]
            if name not in self.vars:
                raise ParseError(f'undefined variable "{name}"', item.pos)
            return VariableNode(item.pos, tuple(item.val.split(".")))
        if typ == T.FIELD:
            return FieldNode(item.pos, (item.val[1:],))
        if typ == T.BOOL:
            return BoolNode(item.pos, item.val == "true")
        if typ in (T.CHAR_CONSTANT, T.COMPLEX, T.NUMBER):
            try:
                return NumberNode(item.pos, item.val, number_value(item.val, typ))
            except ValueError as exc:
                err = ParseError(str(exc), item.pos, char_constant=typ == T.CHAR_CONSTANT)
                raise err from None
        if typ == T.LEFT_PAREN:
            self.enter(item.pos)
            pipe = self.pipeline("parenthesized pipeline", T.RIGHT_PAREN)
            self.depth -= 1
            return pipe
        if typ in (T.STRING, T.RAW_STRING):
            try:
                return StringNode(item.pos, item.val, unquote_string(item.val))
            except ValueError as exc:
                raise ParseError(f"{exc}: {item.val}", item.pos) from None
        self.backup()
        return None


_OPERAND_START = frozenset(
    {
        T.BOOL,
        T.CHAR_CONSTANT,
        T.COMPLEX,
        T.DOT,
        T.FIELD,
        T.IDENTIFIER,
        T.NUMBER,
        T.NIL,
        T.RAW_STRING,
        T.STRING,
        T.VARIABLE,
        T.LEFT_PAREN,
    }
)


class _End(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "{{end}}"


class _Else(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "{{else}}"


def parse(source: str, name: str, has_function: Callable[[str], bool]) -> dict[str, ListNode]:
    """Parse ``source`` into named trees; raises :class:`ParseError`."""
    return _Parser(source, has_function).parse(name)
