"""Go 1.19 ``text/template/parse`` lexer, ported state for state.

The token stream decides which templates Go accepts, so the rules here are Go's own: trim
markers need a space (``{{-3}}`` is the number -3), newlines are allowed inside actions, a
field must end at a terminator (``{{.a-b}}`` is a "bad character"), and numbers follow Go's
literal syntax (``0x1F``, ``1_000``, ``0o17``, ``1e3``). The whole source is tokenized up front;
an error token ends the stream, like Go's.
"""

from __future__ import annotations

from enum import IntEnum, auto
from typing import NamedTuple

__all__ = ["Item", "T", "lex", "KEYWORDS"]


class T(IntEnum):
    """Token types, named after Go's ``item*`` constants."""

    ERROR = auto()
    BOOL = auto()
    CHAR = auto()
    CHAR_CONSTANT = auto()
    COMMENT = auto()
    COMPLEX = auto()
    ASSIGN = auto()
    DECLARE = auto()
    EOF = auto()
    FIELD = auto()
    IDENTIFIER = auto()
    LEFT_DELIM = auto()
    LEFT_PAREN = auto()
    NUMBER = auto()
    PIPE = auto()
    RAW_STRING = auto()
    RIGHT_DELIM = auto()
    RIGHT_PAREN = auto()
    SPACE = auto()
    STRING = auto()
    TEXT = auto()
    VARIABLE = auto()
    # keywords
    BLOCK = auto()
    BREAK = auto()
    CONTINUE = auto()
    DOT = auto()
    DEFINE = auto()
    ELSE = auto()
    END = auto()
    IF = auto()
    NIL = auto()
    RANGE = auto()
    TEMPLATE = auto()
    WITH = auto()


KEYWORDS = {
    ".": T.DOT,
    "block": T.BLOCK,
    "break": T.BREAK,
    "continue": T.CONTINUE,
    "define": T.DEFINE,
    "else": T.ELSE,
    "end": T.END,
    "if": T.IF,
    "range": T.RANGE,
    "nil": T.NIL,
    "template": T.TEMPLATE,
    "with": T.WITH,
}


class Item(NamedTuple):
    """A token: type, offset in the source, text (the message for ERROR), 1-based line."""

    typ: T
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        if self.typ == T.EOF:
            return "EOF"
        if self.typ == T.ERROR:
            return self.val
        if self.typ >= T.BLOCK:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return f'"{self.val[:10]}"...'
        return '"' + self.val.replace("\\", "\\\\").replace('"', '\\"') + '"'


LEFT, RIGHT = "{{", "}}"
LEFT_COMMENT, RIGHT_COMMENT = "/*", "*/"
_SPACE = " \t\r\n"
_TERMINATORS = frozenset(" \t\r\n.,|:)(" + RIGHT[0])


def _is_alnum(c: str) -> bool:
    return c == "_" or c.isalpha() or c.isdigit()


def _describe(c: str) -> str:
    """Go's ``%#U`` of a rune: ``U+002D '-'``."""
    return f"U+{ord(c):04X} '{c}'" if c.isprintable() else f"U+{ord(c):04X}"


class _Lexer:
    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.items: list[Item] = []
        self.paren_depth = 0
        self.action_start = 0

    # -- helpers -----------------------------------------------------------------------
    def emit(self, typ: T) -> None:
        self.items.append(Item(typ, self.start, self.src[self.start : self.pos], self.start_line))
        self.ignore()

    def ignore(self) -> None:
        self.line += self.src.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def error(self, msg: str) -> None:
        self.items.append(Item(T.ERROR, self.start, msg, self.start_line))

    def peek(self) -> str:
        return self.src[self.pos] if self.pos < self.n else ""

    def accept(self, chars: str) -> bool:
        if self.pos < self.n and self.src[self.pos] in chars:
            self.pos += 1
            return True
        return False

    def accept_run(self, chars: str) -> None:
        while self.pos < self.n and self.src[self.pos] in chars:
            self.pos += 1

    def at_right_delim(self) -> tuple[bool, bool]:
        s, p = self.src, self.pos
        if p + 1 < self.n and s[p] in _SPACE and s[p + 1] == "-" and s.startswith(RIGHT, p + 2):
            return True, True
        return s.startswith(RIGHT, p), False

    def at_terminator(self) -> bool:
        return self.pos >= self.n or self.src[self.pos] in _TERMINATORS

    def skip_left_trim(self) -> None:
        while self.pos < self.n and self.src[self.pos] in _SPACE:
            self.pos += 1

    # -- states ------------------------------------------------------------------------
    def run(self) -> list[Item]:
        state = self.lex_text
        while state is not None:
            state = state()
        return self.items

    def lex_text(self):
        x = self.src.find(LEFT, self.pos)
        if x < 0:
            self.pos = self.n
            if self.pos > self.start:
                self.emit(T.TEXT)
            self.emit(T.EOF)
            return None
        after = self.src[x + len(LEFT) : x + len(LEFT) + 2]
        trim = len(after) == 2 and after[0] == "-" and after[1] in _SPACE
        self.pos = x
        text_end = x
        while trim and text_end > self.start and self.src[text_end - 1] in _SPACE:
            text_end -= 1
        if text_end > self.start:
            self.pos = text_end
            self.emit(T.TEXT)
            self.pos = x
        self.ignore()
        return self.lex_left_delim

    def lex_left_delim(self):
        self.pos += len(LEFT)
        rest = self.src[self.pos : self.pos + 2]
        marker = 2 if len(rest) == 2 and rest[0] == "-" and rest[1] in _SPACE else 0
        if self.src.startswith(LEFT_COMMENT, self.pos + marker):
            self.pos += marker
            self.ignore()
            return self.lex_comment
        self.action_start = self.start
        self.emit(T.LEFT_DELIM)
        self.pos += marker
        self.ignore()
        self.paren_depth = 0
        return self.lex_inside_action

    def lex_comment(self):
        self.pos += len(LEFT_COMMENT)
        x = self.src.find(RIGHT_COMMENT, self.pos)
        if x < 0:
            self.error("unclosed comment")
            return None
        self.pos = x + len(RIGHT_COMMENT)
        delim, trim = self.at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
            return None
        self.emit(T.COMMENT)
        if trim:
            self.pos += 2
        self.pos += len(RIGHT)
        if trim:
            self.skip_left_trim()
        self.ignore()
        return self.lex_text

    def lex_right_delim(self):
        _, trim = self.at_right_delim()
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT)
        self.emit(T.RIGHT_DELIM)
        if trim:
            self.skip_left_trim()
            self.ignore()
        return self.lex_text

    def lex_inside_action(self):
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            self.error("unclosed left paren")
            return None
        if self.pos >= self.n:
            self.start = self.action_start  # point at the "{{" that is never closed
            self.error("unclosed action")
            return None
        c = self.src[self.pos]
        self.pos += 1
        if c in _SPACE:
            self.pos -= 1
            return self.lex_space
        if c == "=":
            self.emit(T.ASSIGN)
        elif c == ":":
            if self.peek() != "=":
                self.error("expected :=")
                return None
            self.pos += 1
            self.emit(T.DECLARE)
        elif c == "|":
            self.emit(T.PIPE)
        elif c == '"':
            return self.lex_quote
        elif c == "`":
            return self.lex_raw_quote
        elif c == "$":
            return self.lex_variable
        elif c == "'":
            return self.lex_char
        elif c == "." and not ("0" <= self.peek() <= "9" and self.peek() != ""):
            return self.lex_field
        elif c in "+-." or "0" <= c <= "9":
            self.pos -= 1
            return self.lex_number
        elif _is_alnum(c):
            self.pos -= 1
            return self.lex_identifier
        elif c == "(":
            self.emit(T.LEFT_PAREN)
            self.paren_depth += 1
        elif c == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self.error(f"unexpected right paren {_describe(c)}")
                return None
            self.emit(T.RIGHT_PAREN)
        elif ord(c) < 128 and c.isprintable():
            self.emit(T.CHAR)
        else:
            self.error(f"unrecognized character in action: {_describe(c)}")
            return None
        return self.lex_inside_action

    def lex_space(self):
        spaces = 0
        while self.pos < self.n and self.src[self.pos] in _SPACE:
            self.pos += 1
            spaces += 1
        # A trim-marked closing delimiter starts with a space: leave that space for it.
        if self.src.startswith("-" + RIGHT, self.pos):
            self.pos -= 1
            if spaces == 1:
                return self.lex_right_delim
        self.emit(T.SPACE)
        return self.lex_inside_action

    def lex_identifier(self):
        while self.pos < self.n and _is_alnum(self.src[self.pos]):
            self.pos += 1
        word = self.src[self.start : self.pos]
        if not self.at_terminator():
            self.error(f"bad character {_describe(self.src[self.pos])}")
            return None
        if word in KEYWORDS:
            self.emit(KEYWORDS[word])
        elif word in ("true", "false"):
            self.emit(T.BOOL)
        else:
            self.emit(T.IDENTIFIER)
        return self.lex_inside_action

    def lex_field(self):
        return self._field_or_variable(T.FIELD)

    def lex_variable(self):
        return self._field_or_variable(T.VARIABLE)

    def _field_or_variable(self, typ: T):
        if self.at_terminator():
            self.emit(T.VARIABLE if typ == T.VARIABLE else T.DOT)
            return self.lex_inside_action
        while self.pos < self.n and _is_alnum(self.src[self.pos]):
            self.pos += 1
        if not self.at_terminator():
            self.error(f"bad character {_describe(self.src[self.pos])}")
            return None
        self.emit(typ)
        return self.lex_inside_action

    def lex_char(self):
        return self._quoted("'", T.CHAR_CONSTANT, "unterminated character constant")

    def lex_number(self):
        if not self._scan_number():
            self.error(f"bad number syntax: {self.src[self.start:self.pos]!r}")
            return None
        if self.peek() in ("+", "-") and self.peek():
            if not self._scan_number() or self.src[self.pos - 1] != "i":
                self.error(f"bad number syntax: {self.src[self.start:self.pos]!r}")
                return None
            self.emit(T.COMPLEX)
        else:
            self.emit(T.NUMBER)
        return self.lex_inside_action

    def _scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if self.pos < self.n and _is_alnum(self.src[self.pos]):
            self.pos += 1
            return False
        return True

    def lex_quote(self):
        return self._quoted('"', T.STRING, "unterminated quoted string")

    def _quoted(self, close: str, typ: T, unterminated: str):
        """Scan to the closing quote, skipping backslash escapes; a newline or EOF first is an error."""
        while True:
            c = self.peek()
            self.pos += 1
            if c == "\\":
                nxt = self.peek()
                self.pos += 1
                if nxt not in ("", "\n"):
                    continue
                c = ""
            if c in ("", "\n"):
                self.error(unterminated)
                return None
            if c == close:
                break
        self.emit(typ)
        return self.lex_inside_action

    def lex_raw_quote(self):
        end = self.src.find("`", self.pos)
        if end < 0:
            self.error("unterminated raw quoted string")
            return None
        self.pos = end + 1
        self.emit(T.RAW_STRING)
        return self.lex_inside_action


def lex(source: str) -> list[Item]:
    """All tokens of ``source``, ending with EOF or with the first ERROR."""
    return _Lexer(source).run()
