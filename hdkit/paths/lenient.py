"""JSON text read the way Go gjson 1.14.4 reads it: leniently, one value at a time.

gjson never parses a whole document. It scans the text for the value a path needs and skips the
rest by counting brackets, so on broken JSON it still answers, in its own way (a string ended by
the end of the text, an unterminated array closed at the end, stray characters skipped until
something that starts a value). The PBX stores those answers, so hdkit reproduces them: every
reader here takes the text and an index and returns where it stopped, as gjson's scanner does.
Behaviour was pinned against the Go oracle (``tests/data/gjson``), including the odd corners.

:class:`Value` is the internal counterpart of Go's ``Result`` (kind, raw text, string, number).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from collections.abc import Iterator

__all__ = [
    "FALSE", "JSON", "NULL", "NUMBER", "STRING", "TRUE", "Value", "for_each", "go_float",
    "is_valid", "json_string", "parse_value", "read_any", "read_literal", "read_number",
    "read_squash", "read_string", "squash", "unescape",
]

NULL, FALSE, NUMBER, STRING, TRUE, JSON = range(6)  # Go's gjson.Type order
_NUMBER_START = frozenset("+-0123456789iIN")
_DIGITS = re.compile(r"-?[0-9]*")


class Value:
    """One value as gjson holds it: ``kind``, its ``raw`` text, and the decoded string/number."""

    __slots__ = ("kind", "num", "raw", "str")

    def __init__(self, kind: int = NULL, raw: str = "", text: str = "", num: float = 0.0) -> None:
        self.kind, self.raw, self.str, self.num = kind, raw, text, num

    @property
    def exists(self) -> bool:
        return self.kind != NULL or bool(self.raw)

    def string(self) -> str:
        """Go's ``Result.String()``: integers as written, other numbers reformatted."""
        kind = self.kind
        if kind == STRING:
            return self.str
        if kind == JSON:
            return self.raw
        if kind == NUMBER:
            raw = self.raw
            if raw and _DIGITS.fullmatch(raw):
                return raw
            return format_float(self.num)
        return "true" if kind == TRUE else "false" if kind == FALSE else ""

    def truth(self) -> bool:
        """Go's ``Result.Bool()``."""
        if self.kind == TRUE:
            return True
        if self.kind == STRING:
            return self.str.lower() in ("1", "t", "true")
        return self.kind == NUMBER and self.num != 0

    def is_array(self) -> bool:
        return self.kind == JSON and self.raw[:1] == "["

    def is_object(self) -> bool:
        return self.kind == JSON and self.raw[:1] == "{"

    def __repr__(self) -> str:
        return f"Value({self.kind}, {self.raw!r})"


def number(raw: str) -> Value:
    return Value(NUMBER, raw, num=go_float(raw))


# ---------------------------------------------------------------- numbers

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_HEX = re.compile(r"([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))[pP]([+-]?[0-9]+)")
_INF = re.compile(r"[+-]?(?:inf|infinity)", re.IGNORECASE)


def _underscores_ok(text: str) -> bool:
    """Go's rule: an underscore only between digits (or after a base prefix)."""
    body = text[1:] if text[:1] in "+-" else text
    hexa = body[:2].lower() in ("0x", "0b", "0o")
    saw, start = ("0", 2) if hexa else ("^", 0)
    digits = "0123456789abcdefABCDEF" if body[:2].lower() == "0x" else "0123456789"
    for c in body[start:]:
        if c in digits:
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def go_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)`` with the error ignored (0 on bad syntax), as gjson does."""
    if "_" in text:
        if not _underscores_ok(text):
            return 0.0
        text = text.replace("_", "")
    if _DECIMAL.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text[0] == "-" else math.inf
    if text.lower() == "nan":
        return math.nan
    found = _HEX.fullmatch(text)
    if found:
        sign, mantissa, exponent = found.groups()
        try:
            return float.fromhex(f"{sign}0x{mantissa}p{exponent}")
        except OverflowError:
            return -math.inf if sign == "-" else math.inf
    return 0.0


def format_float(value: float) -> str:
    """Go's ``strconv.FormatFloat(value, 'f', -1, 64)``: shortest digits, never an exponent."""
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ---------------------------------------------------------------- strings

_ESCAPES = {"\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", '"': '"'}
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")


def _hex4(text: str, at: int) -> int:
    found = _HEX4.match(text, at)
    return int(found.group(), 16) if found else 0


def unescape(text: str) -> str:
    """Decode a JSON string body the way gjson does: a control character or a bad escape ends
    it, a lone surrogate becomes U+FFFD, and the escape after a high surrogate is consumed."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c < " ":
            break
        if c != "\\":
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= n:
            break
        e = text[i]
        if e in _ESCAPES:
            out.append(_ESCAPES[e])
            i += 1
            continue
        if e != "u" or i + 5 > n:
            break
        r = _hex4(text, i + 1)
        i += 5
        if 0xD800 <= r < 0xE000 and n - i >= 6 and text[i] == "\\" and text[i + 1] == "u":
            r2 = _hex4(text, i + 2)
            i += 6
            if 0xD800 <= r < 0xDC00 and 0xDC00 <= r2 < 0xE000:
                r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00)
            else:
                r = 0xFFFD
        out.append("\ufffd" if 0xD800 <= r < 0xE000 else chr(r))
    return "".join(out)


def _escaped_quote(text: str, at: int, floor: int) -> bool:
    """Is the ``"`` at ``at`` escaped: an odd run of backslashes before it (gjson counts the
    run down to, but not including, index ``floor``)."""
    if text[at - 1] != "\\":
        return False
    n, j = 0, at - 2
    while j > floor and text[j] == "\\":
        n += 1
        j -= 1
    return n % 2 == 0


_QUOTE_OR_BACKSLASH = re.compile(r'["\\]')


def read_string(text: str, i: int) -> tuple[int, str, bool, bool]:
    """A string whose opening quote is at ``i - 1``: ``(end, raw with quotes, escaped, closed)``."""
    found = _QUOTE_OR_BACKSLASH.search(text, i)
    if found is None:
        return len(text), text[i - 1 :], False, False
    j = found.start()
    if text[j] == '"':
        return j + 1, text[i - 1 : j + 1], False, True
    j = text.find('"', j + 1)
    while j >= 0:
        if not _escaped_quote(text, j, 0):
            return j + 1, text[i - 1 : j + 1], True, True
        j = text.find('"', j + 1)
    return len(text), text[i - 1 :], False, False


def string_value(raw: str, escaped: bool) -> Value:
    body = raw[1:-1]
    return Value(STRING, raw, unescape(body) if escaped else body)


_SQUASH_TOKEN = re.compile(r'["\[\]{}()]')


def read_squash(text: str, i: int) -> tuple[int, str]:
    """Skip the array, object (or parenthesis) opening at ``i``: ``(end, raw)``. Strings are
    skipped, brackets of any kind counted; unclosed, it runs to the end of the text (and one
    past it when a string is left open)."""
    depth, j = 1, i + 1
    find = _SQUASH_TOKEN.search
    while True:
        found = find(text, j)
        if found is None:
            return len(text), text[i:]
        j = found.start()
        c = text[j]
        if c == '"':
            start = j + 1
            k = text.find('"', start)
            while k >= 0 and _escaped_quote(text, k, start - 1):
                k = text.find('"', k + 1)
            if k < 0:  # gjson steps one past the end here: an enclosing array is not closed
                return len(text) + 1, text[i:]
            j = k + 1
        elif c in "[{(":
            depth += 1
            j += 1
        else:
            depth -= 1
            j += 1
            if depth == 0:
                return j, text[i:j]


def squash(text: str) -> str:
    """The leading value of ``text`` (a bracketed value or a string): how gjson cuts a
    modifier's argument out of a path. Led by anything else, it runs to the first unbalanced
    closer, or to the end."""
    depth, i = (0, 0) if text[:1] == '"' else (1, 1)
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            start = i + 1
            k = text.find('"', start)
            while k >= 0 and _escaped_quote(text, k, start - 1):
                k = text.find('"', k + 1)
            if k < 0:
                return text
            if depth == 0:
                return text[: k + 1]
            i = k
        elif c in "[{(":
            depth += 1
        elif c in "]})":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
        i += 1
    return text


_LITERAL_END = re.compile(r"[^a-z]")
_NUMBER_END = re.compile(r"[\x00- ,\]}]")


def read_literal(text: str, i: int) -> tuple[int, str]:
    found = _LITERAL_END.search(text, i + 1)
    end = found.start() if found else len(text)
    return end, text[i:end]


def read_number(text: str, i: int) -> tuple[int, str]:
    found = _NUMBER_END.search(text, i + 1)
    end = found.start() if found else len(text)
    return end, text[i:end]


def literal_value(c: str, raw: str) -> Value:
    return Value(TRUE if c == "t" else FALSE if c == "f" else NULL, raw)


def starts_number(text: str, i: int) -> bool:
    """Does the character at ``i`` start a number (``nan`` too, but not ``null``)?"""
    c = text[i]
    if c == "n":
        return i + 1 < len(text) and text[i + 1] != "u"
    return c in _NUMBER_START


def read_any(text: str, i: int) -> tuple[int, Value | None]:
    """The next value from ``i``, skipping whatever cannot start one; ``None`` at the end."""
    n = len(text)
    while i < n:
        c = text[i]
        if c in "{[":
            end, raw = read_squash(text, i)
            return end, Value(JSON, raw)
        if c <= " ":
            i += 1
        elif c == '"':
            end, raw, escaped, ok = read_string(text, i + 1)
            return end, (string_value(raw, escaped) if ok else None)
        elif starts_number(text, i):
            end, raw = read_number(text, i)
            return end, number(raw)
        elif c in "ntf":
            end, raw = read_literal(text, i)
            return end, literal_value(c, raw)
        else:
            i += 1
    return i, None


def parse_value(text: str) -> Value:
    """Go's ``gjson.Parse``: the first value of ``text``; a container takes all the rest."""
    for i, c in enumerate(text):
        if c in "{[":
            return Value(JSON, text[i:])
        if c <= " ":
            continue
        rest = text[i:]
        if c == '"':
            return _parsed_string(rest)
        if starts_number(text, i):
            return number(_to_delimiter(rest))
        if c in "ntf":
            return literal_value(c, read_literal(rest, 0)[1])
        return Value()
    return Value()


def _to_delimiter(text: str) -> str:
    return read_number(text, 0)[1]


def _parsed_string(text: str) -> Value:
    found = _QUOTE_OR_BACKSLASH.search(text, 1)
    if found is None:
        return Value(STRING, text, text[1:])
    j = found.start()
    if text[j] == '"':
        return Value(STRING, text[: j + 1], text[1:j])
    k = text.find('"', j + 1)
    while k >= 0 and _escaped_quote(text, k, 0):
        k = text.find('"', k + 1)
    if k >= 0:
        return Value(STRING, text[: k + 1], unescape(text[1:k]))
    return Value(STRING, text, unescape(text[1:]))


def for_each(value: Value) -> Iterator[tuple[Value, Value]]:
    """Go's ``Result.ForEach``: ``(key, value)`` pairs of an object, ``(index, value)`` of an
    array, the value itself for a scalar. Stops at the first thing it cannot read."""
    if not value.exists:
        return
    if value.kind != JSON:
        yield Value(), value
        return
    text, i, n = value.raw, 0, len(value.raw)
    obj = False
    while i < n:
        c = text[i]
        if c == "{" or c == "[":
            obj = c == "{"
            i += 1
            break
        if c > " ":
            return
        i += 1
    index = -1
    while i < n:
        if obj:
            if text[i] != '"':
                i += 1
                continue
            i, raw, escaped, ok = read_string(text, i + 1)
            if not ok:
                return
            key = string_value(raw, escaped)
        else:
            index += 1
            key = Value(NUMBER, "", num=float(index))
        while i < n and (text[i] <= " " or text[i] in ",:"):
            i += 1
        i, item = read_any(text, i)
        if item is None:
            return
        yield key, item
        i += 1


def json_string(text: str) -> str:
    """gjson's ``AppendJSONString``: ``<``, ``>``, ``&`` and U+2028/9 escaped, UTF-8 kept."""
    out = ['"']
    for c in text:
        if c < " ":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or f"\\u{ord(c):04x}")
        elif c in "<>&":
            out.append(f"\\u{ord(c):04x}")
        elif c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c in "\u2028\u2029" or "\ud800" <= c <= "\udfff":
            out.append(f"\\u{ord(c):04x}" if c in "\u2028\u2029" else "\\ufffd")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------- strict validation

_WS = " \t\n\r"
_STRICT_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_STRICT_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')


def is_valid(text: str) -> bool:
    """Go's ``gjson.Valid``: strict JSON, one value, whitespace around it. Iterative, so depth
    costs memory, not the stack."""
    i = _skip_ws(text, 0)
    stack: list[str] = []
    n = len(text)
    expect_value = True
    while True:
        if expect_value:
            if i >= n:
                return False
            c = text[i]
            if c in "{[":
                stack.append(c)
                i = _skip_ws(text, i + 1)
                if i < n and text[i] == ("}" if c == "{" else "]"):
                    i += 1
                    stack.pop()
                elif c == "{":
                    i = _object_key(text, i)
                    if i < 0:
                        return False
                    continue
                else:
                    continue
            else:
                i = _scalar(text, i)
                if i < 0:
                    return False
            expect_value = False
        i = _skip_ws(text, i)
        if not stack:
            return i == n
        if i >= n:
            return False
        top, c = stack[-1], text[i]
        if c == ",":
            i = _skip_ws(text, i + 1)
            if top == "{":
                i = _object_key(text, i)
                if i < 0:
                    return False
            expect_value = True
        elif c == ("}" if top == "{" else "]"):
            stack.pop()
            i += 1
        else:
            return False


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _object_key(text: str, i: int) -> int:
    """After ``{`` or ``,`` in an object: a key and its colon; index of the value, or -1."""
    found = _STRICT_STRING.match(text, i)
    if not found:
        return -1
    i = _skip_ws(text, found.end())
    if i >= len(text) or text[i] != ":":
        return -1
    return _skip_ws(text, i + 1)


def _scalar(text: str, i: int) -> int:
    for word in ("true", "false", "null"):
        if text.startswith(word, i):
            return i + len(word)
    found = (_STRICT_STRING if text[i] == '"' else _STRICT_NUMBER).match(text, i)
    return found.end() if found else -1

